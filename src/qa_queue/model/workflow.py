"""The question workflow: which status may follow which, and what each one needs."""

from __future__ import annotations

from ..errors import RuleViolation
from .question import Question, Status

S = Status

# The happy path is new → triaged → drafting → ready → answered. A host may take a new question
# straight to drafting; any step back is a reopen. declined and duplicate are side exits.
ALLOWED: dict[Status, tuple[Status, ...]] = {
    S.NEW: (S.TRIAGED, S.DRAFTING, S.DECLINED, S.DUPLICATE),
    S.TRIAGED: (S.DRAFTING, S.NEW, S.DECLINED, S.DUPLICATE),
    S.DRAFTING: (S.READY, S.TRIAGED, S.NEW, S.DECLINED, S.DUPLICATE),
    S.READY: (S.ANSWERED, S.DRAFTING, S.TRIAGED, S.DECLINED),
    S.ANSWERED: (S.READY, S.DRAFTING, S.TRIAGED),
    S.DECLINED: (S.NEW, S.TRIAGED),
    S.DUPLICATE: (S.NEW, S.TRIAGED),
}

ORDER = (S.NEW, S.TRIAGED, S.DRAFTING, S.READY, S.ANSWERED)


def is_reopen(old: Status, new: Status) -> bool:
    if old in (S.DECLINED, S.DUPLICATE):
        return True
    return old in ORDER and new in ORDER and ORDER.index(new) < ORDER.index(old)


def allowed_next(question: Question) -> list[Status]:
    """The statuses a question may move to now, rules about host and answer included."""
    return [s for s in ALLOWED[question.status] if not _missing_for(question, s)]


def why_not(question: Question, new: Status) -> str | None:
    """Why the question cannot move to `new` now (one line), or None when it can."""
    old = question.status
    if new is old:
        return f"question #{question.id} is already {old}"
    if new not in ALLOWED[old]:
        options = ", ".join(ALLOWED[old])
        return (
            f"question #{question.id} cannot go from {old} to {new}; from {old} it can go to: "
            f"{options}"
        )
    missing = _missing_for(question, new)
    if missing:
        return f"question #{question.id} cannot go to {new}: {missing}"
    return None


def _missing_for(question: Question, new: Status) -> str | None:
    if new is S.DRAFTING and not question.host:
        return "assign a host first (drafting needs a host)"
    if new in (S.READY, S.ANSWERED) and not (question.answer and question.answer.text.strip()):
        return f"write the final answer first ({new} needs one)"
    if new is S.DUPLICATE and question.duplicate_of is None:
        return "mark it as a duplicate of another question instead"
    return None


def check_transition(question: Question, new: Status) -> None:
    """Refuse an illegal step with a message that says why and what is allowed."""
    reason = why_not(question, new)
    if reason:
        raise RuleViolation(reason)
