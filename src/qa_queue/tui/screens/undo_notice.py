"""What the queue's undo keys say they undid: whose change, and what it was."""

from __future__ import annotations

from ...errors import QaQueueError
from ...model import history
from ...queue import QuestionQueue
from ...store.schema import Summary


def undo_notice(queue: QuestionQueue, targets: list[Summary], *, theirs: bool = False) -> str:
    """ "Undid Jordan's last change (priority)" for one question (u: its last change; U,
    `theirs`: a co-host's last), or a plain word for several."""
    plain = "Undid a co-host's last change" if theirs else "Undone"
    if len(targets) != 1:
        return plain
    try:
        question = queue.get(targets[0]["id"])
    except QaQueueError:
        return plain
    if theirs:
        entry = history.last_undoable_by_other(question, queue.me or "")
    else:
        entry = history.last_undoable(question)
    if entry is None:
        return plain
    who = queue.host_name(entry.host) if entry.host else ("the import" if theirs else "someone")
    return f"Undid {who}'s last change ({entry.action})"
