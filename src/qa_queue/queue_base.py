"""What every part of the queue stands on: the store, the host at the keyboard, the clock and
the host's time zone, and the primitives the parts share: reading a question, the show's hosts,
and `_update`, the one path by which a question is changed (under the writers' lock, keeping
the workflow's rules).

`QueueBase` owns that state; the parts (finding.py, importing.py, show.py, episodes.py)
subclass it, and QuestionQueue (queue.py) is all of them together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from .errors import BadInput, DatabaseError, WhoAreYou
from .model import workflow
from .model.dates import Clock, system_clock, to_iso
from .model.question import Host, Question, unreadable_fields
from .store import Store, Transaction


def as_question(doc: dict[str, Any]) -> Question:
    """The stored document as a Question; a DatabaseError (exit 4, pointing at doctor) when
    its values are not ones qa-queue writes (doctor's own check), never an internal error."""
    bad = unreadable_fields(doc)
    try:
        if not bad:
            return Question.from_dict(doc)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        bad = [str(error)]
    raise DatabaseError(
        f"question #{doc.get('id')} holds values qa-queue cannot read ({', '.join(bad)}); "
        "nothing was changed: run `qa-queue doctor`"
    )


class QueueBase:
    """The store, who is at the keyboard (`me`), the clock and the zone, and what every part
    of the queue needs of them."""

    def __init__(
        self,
        store: Store,
        *,
        me: str | None = None,
        clock: Clock = system_clock,
        zone: tzinfo | None = None,
    ) -> None:
        self.store = store
        self.me = me
        self.clock = clock
        self.zone = zone

    # -- who and when -------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def _at(self) -> str:
        return to_iso(self.clock())

    def _by(self) -> str:
        """Who makes a change: every history entry names a host."""
        return self.require_me("changing a question")

    def require_me(self, doing: str) -> str:
        if not self.me:
            raise WhoAreYou(
                f"{doing} needs to know which host you are: use --as HOST "
                "(or $QA_QUEUE_HOST, or `qa-queue whoami HOST` to remember it)"
            )
        return self.me

    def set_me(self, host_id: str | None) -> None:
        """Say which host is at the keyboard (checked against the show's hosts)."""
        self.me = self.check_host(host_id.strip().lower()) if host_id else None

    # -- the show's hosts (adding and removing them: show.py) -----------------------------------

    def hosts(self) -> list[Host]:
        return [Host(**h) for h in self.store.settings().get("hosts", [])]

    def check_host(self, host_id: str) -> str:
        known = [h.id for h in self.hosts()]
        if host_id not in known:
            hint = f"hosts are: {', '.join(known)}" if known else "there are no hosts yet"
            raise BadInput(f"no host {host_id!r}; {hint} (add one with 'qa-queue hosts add')")
        return host_id

    # -- reading and changing one question ------------------------------------------------------

    def get(self, question_id: int) -> Question:
        return as_question(self.store.get(question_id))

    def _update(
        self,
        question_id: int,
        expected_revision: int | None,
        apply: Callable[[Question, Transaction], Question],
        *,
        with_history: bool = False,
        by_import: bool = False,
    ) -> Question:
        """Change one question under the lock. Its history is read only `with_history` (for
        undo): an edit appends its entry without reading the ones before, so its cost does
        not grow with the question's past; the question returned holds only the new ones."""
        if not by_import:  # what an import notes is "import"'s when no host is named
            self._by()  # ask who is at the keyboard before taking the lock
        with self.store.transaction() as tx:
            current = as_question(tx.get(question_id, history=with_history))
            if expected_revision is not None and current.revision != expected_revision:
                tx.put_question(current.to_dict(), expected_revision)  # raises StaleRevision
            updated = apply(current, tx)
            workflow.check_kept(current, updated)  # every path keeps the workflow's rules
            tx.put_question(updated.to_dict(), current.revision)
        updated.revision = current.revision + 1
        if self.store.gathering:
            return updated  # part of a larger change: numbered once it is committed
        new = [entry for entry in updated.history if not entry.seq]
        count = self.store.summary(question_id)["_h"][2]
        for seq, entry in enumerate(new, count - len(new) + 1):
            entry.seq = seq  # as stored: the question returned can be put again as it is
        return updated
