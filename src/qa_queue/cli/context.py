"""What every command shares: the database, opened lazily, and the host at the keyboard."""

from __future__ import annotations

import gc
import os
from functools import cached_property

import click

from .. import config
from ..demo import fill_if_fresh
from ..errors import DatabaseError, QaQueueError
from ..gc_pause import gc_paused
from ..queue import QuestionQueue
from ..store import Store
from ..store.generation import generation_numbers

# A store already open on a database, for the next Session on that path: an app forked by
# `qa-queue serve` (web/forks.py) starts with the one its parent opened and kept caught up,
# instead of reading the whole database again (its pages stay shared with its siblings).
_adopted: Store | None = None


def adopt_store(store: Store) -> None:
    global _adopted
    _adopted = store


def _adopted_store(path: os.PathLike[str] | str) -> Store | None:
    global _adopted
    store, _adopted = _adopted, None
    if store is None:
        return None
    if store.path != Store.resolve(path):
        store.close()
        return None
    store.refresh()  # what changed since the parent last looked (usually nothing)
    return store


class Session:
    def __init__(self, db: str | None, host: str | None):
        self.db_path, self.is_default_db = config.resolve_db_path(db)
        self._host_flag = host
        self._store: Store | None = None

    @cached_property
    def queue(self) -> QuestionQueue:
        # a journal without its snapshot is a database: the store says what is missing
        if (
            not os.path.lexists(self.db_path)
            and not generation_numbers(self.db_path)
            and _only_reads()
        ):
            if self.is_default_db:
                raise DatabaseError(
                    f"there is no queue yet at {self.db_path}: `qa-queue` opens the app on a "
                    "new one with demo questions to try, `qa-queue import FILE` starts one "
                    "with yours"
                )
            # a mistyped --db must not quietly make an empty database where none was
            raise DatabaseError(
                f"there is no database at {self.db_path} (check --db or ${config.DB_ENV})"
            )
        # The index (tens of thousands of small dicts) lives as long as the process: keep the
        # garbage collector from walking it at all. Frozen before the collector is back on:
        # its first pass after the parse walked them all (~100 ms at 50k).
        with gc_paused():
            self._store = _adopted_store(self.db_path) or Store(self.db_path)
            gc.freeze()
        queue = QuestionQueue(self._store)
        if self.is_default_db and _opens_the_app():
            # a new user meets a living queue, not an empty screen; a first `import` of the
            # show's own questions starts a queue of theirs alone
            fill_if_fresh(queue)
        queue.me = self._resolve_me(queue)
        return queue

    def _resolve_me(self, queue: QuestionQueue) -> str | None:
        me = config.resolve_host(self._host_flag)
        if me is None:
            return None
        known = {h.id for h in queue.hosts()}
        if self._host_flag and known and me not in known:
            queue.check_host(me)  # raises with the list of hosts
        # A remembered host from another show's database is simply not used here, nor in a
        # database with no hosts yet: --as or $QA_QUEUE_HOST names you there
        said = self._host_flag or os.environ.get(config.HOST_ENV)
        return me if (me in known or (not known and said)) else None

    def close(self) -> None:
        store = self._store
        if store is None:
            return
        try:
            if store.wrote and store.maintenance_due():
                store.maintain()
        except (QaQueueError, OSError) as error:
            # the change itself is saved ("done" means on disk); only tidying up failed
            click.echo(f"qa-queue: warning: your change is saved, but {error}", err=True)
        finally:
            store.close()


# Commands that only read: on a path where there is no database they say so instead of
# creating one (the others, and the app, create it: that is how a new database starts).
READING = {
    ("list",),
    ("show",),
    ("export",),
    ("hosts", "list"),
    ("episodes", "list"),
    ("replies", "list"),
    ("replies", "show"),
}


def _command() -> tuple[str, ...]:
    """The command being run, e.g. ("hosts", "list"); () for `qa-queue` alone."""
    context = click.get_current_context(silent=True)
    names = []
    while context is not None and context.parent is not None:
        names.append(context.info_name or "")
        context = context.parent
    return tuple(reversed(names))


def _only_reads() -> bool:
    return _command() in READING


def _opens_the_app() -> bool:
    return _command() in {(), ("app",)}


pass_session = click.make_pass_decorator(Session)
