"""Recording changes to a question in its history, and undoing the last one."""

from __future__ import annotations

import copy
from typing import Any

from ..errors import RuleViolation
from .question import HistoryEntry, Question, field_value, plain

UNDO = "undo"
# The original's side of a duplicate (its asked_count going up or down): undone together with the
# duplicate it belongs to, never on its own, or undo on the original would unlink the count.
ASKED_AGAIN = "asked again"


def change(
    question: Question, action: str, by: str, at: str, note: str = "", **fields: Any
) -> Question:
    """Return the question with `fields` set and the change appended to its history.

    Raises RuleViolation when nothing would change, so no empty entries pile up.
    """
    updated = copy.copy(question)  # only the fields that change are new objects
    changes = {}
    for name, value in fields.items():
        before, after = plain(getattr(question, name)), plain(value)
        if before != after:
            changes[name] = [before, after]
            setattr(updated, name, field_value(name, after))
    if not changes:
        raise RuleViolation(f"question #{question.id}: nothing to change ({action})")
    entry = HistoryEntry(at=at, host=by, action=action, changes=changes, note=note)
    updated.history = [*question.history, entry]
    return updated


FORGET = "forget"  # a listener's erasure: nothing before it can be undone (its data is gone)


def last_undoable(question: Question) -> HistoryEntry | None:
    for entry in reversed(question.history):
        if entry.action == FORGET:
            return None
        if entry.action not in (UNDO, ASKED_AGAIN) and not entry.undone and entry.changes:
            return entry
    return None


def _undoable(entry: HistoryEntry) -> bool:
    return entry.action not in (UNDO, ASKED_AGAIN) and not entry.undone and bool(entry.changes)


def last_undoable_by_other(question: Question, me: str) -> HistoryEntry | None:
    """The last change not yet undone that another host made (an import counts as another's),
    or None."""
    for entry in reversed(question.history):
        if entry.action == FORGET:
            return None
        if _undoable(entry) and entry.host != me:
            return entry
    return None


def changed_since(question: Question, entry: HistoryEntry) -> list[HistoryEntry]:
    """The later changes, not undone, to any field `entry` changed: undoing `entry` alone
    would throw them away."""
    index = question.history.index(entry)
    fields = set(entry.changes)
    return [
        later
        for later in question.history[index + 1 :]
        if _undoable(later) and fields & set(later.changes)
    ]


def undo(
    question: Question, by: str, at: str, entry: HistoryEntry | None = None
) -> tuple[Question, HistoryEntry]:
    """Revert the last change not yet undone (or `entry`, an earlier one no later change
    touched the fields of); the undo is itself recorded in history, naming the entry it
    reverted (entries once stored are never rewritten). Needs the whole history.

    Returns the question and the entry that was undone (callers undo cross-question effects).
    """
    entry = entry or last_undoable(question)
    if entry is None:
        raise RuleViolation(f"question #{question.id} has no change to undo")
    data = question.to_dict()
    reverse = {}
    for name, (before, _after) in entry.changes.items():
        reverse[name] = [data[name], before]
        data[name] = before
    index = question.history.index(entry)
    data["history"][index]["undone"] = True
    updated = Question.from_dict(data)
    updated.history.append(
        HistoryEntry(
            at=at,
            host=by,
            action=UNDO,
            changes=reverse,
            note=f"undid {entry.action}",
            undoes=entry.seq,
        )
    )
    return updated, entry
