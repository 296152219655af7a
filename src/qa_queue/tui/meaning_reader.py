"""After an import of more questions than it reads the meanings of itself (meanings.INLINE),
the app reads them in a thread, then notes the imported questions' look-alikes by meaning,
as `qa-queue lookalikes` does.

The thread works on a Store of its own, as a co-host's app would: the app's store is never
touched from two threads (import_file.py), and the app's live refresh shows what it noted.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import QaQueueError
from ..queue import QuestionQueue
from ..store import Store
from .host_app import HostApp


def read_meanings_after_import(app: HostApp, added: list[int]) -> None:
    """Start reading (one reader at a time: a second import's waits for the first's)."""
    queue = app.queue
    app.run_worker(
        lambda: _read(app, queue.store.path, queue.me, added),
        thread=True,
        group="meanings",
        exclusive=False,
        description="reading questions' meanings",
    )


def _read(app: HostApp, path: Path, me: str | None, added: list[int]) -> None:
    try:
        reader = QuestionQueue(Store(path), me=me or None)
        try:
            reader.read_meanings()
            unsaved = reader.meanings_unsaved()
            changed = reader.look_again(added)
        finally:
            reader.store.close()
    except (QaQueueError, OSError) as error:
        app.call_from_thread(
            app.tell, f"Look-alikes stay by words: reading meanings failed: {error}", "warning"
        )
        return
    app.call_from_thread(_done, app, changed, unsaved)


def _done(app: HostApp, changed: list[int], unsaved: str) -> None:
    app.queue.meanings_reread()
    if unsaved:
        app.tell(f"Meanings read but not kept ({unsaved}): read again next time", "warning")
    count = len(changed)
    app.tell(
        f"Meanings read: {count} imported question{'s' if count != 1 else ''} "
        "look like others by meaning (d on a question marks a duplicate)"
        if count
        else "Meanings read: no imported question looks like another by meaning"
    )
