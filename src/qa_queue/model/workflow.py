"""The question workflow: which status may follow which, and what each one needs.

Two tables say it all. ALLOWED is which status may follow which. NEEDS is what a question in
each status must carry (and must not): it holds for every question at rest, whichever path
changed it (the command line, the app, an import, an undo), and QuestionQueue refuses any change
that would break it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Needs:
    """What a question in one status must hold."""

    host: bool = False  # someone is working on it or answered it
    answer: bool = False  # a final answer with words in it
    original: bool = False  # the question it repeats (duplicate_of); only duplicates have one
    reason: bool = False  # may keep a decline reason; only declined questions do


NEEDS: dict[Status, Needs] = {
    S.NEW: Needs(),
    S.TRIAGED: Needs(),
    S.DRAFTING: Needs(host=True),
    S.READY: Needs(host=True, answer=True),
    S.ANSWERED: Needs(host=True, answer=True),
    S.DECLINED: Needs(reason=True),
    S.DUPLICATE: Needs(original=True),
}


def _has_answer(question: Question) -> bool:
    return bool(question.answer and question.answer.text.strip())


# (what breaks the rule, what a host is told), checked against NEEDS of the question's status
RULES: tuple[tuple[Callable[[Question, Needs], bool], str], ...] = (
    (lambda q, n: n.host and not q.host, "{status} keeps a host"),
    (lambda q, n: n.answer and not _has_answer(q), "{status} needs a final answer"),
    (lambda q, n: n.original and q.duplicate_of is None, "a duplicate links its original"),
    (
        lambda q, n: not n.original and q.duplicate_of is not None,
        "only a duplicate has an original",
    ),
    (lambda q, n: not n.reason and bool(q.decline_reason), "only a declined question has a reason"),
)


def broken(question: Question) -> list[str]:
    """The rules this question breaks as it is (none, for every question the queue stores)."""
    needs = NEEDS[question.status]
    return [
        message.format(status=question.status.value)
        for breaks, message in RULES
        if breaks(question, needs)
    ]


def newly_broken(before: Question, after: Question) -> list[str]:
    """The rules a change breaks that the question kept before it (older data that broke a
    rule already must not make every later edit of it impossible)."""
    already = set(broken(before))
    return [rule for rule in broken(after) if rule not in already]


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


def steps_to_ready(question: Question) -> list[Status]:
    """The status changes that make it ready: one, or two from new or triaged (drafting
    first, which needs a host); none when it is ready already or cannot be."""
    if question.status in (S.READY, S.ANSWERED):
        return []
    if why_not(question, S.READY) is None:
        return [S.READY]
    if question.status in (S.NEW, S.TRIAGED) and question.host:
        return [S.DRAFTING, S.READY]
    return []


def _missing_for(question: Question, new: Status) -> str | None:
    needs = NEEDS[new]
    if needs.host and not question.host:
        return f"assign a host first ({new} needs a host)"
    if needs.answer and not _has_answer(question):
        return f"write the final answer first ({new} needs one)"
    if needs.original and question.duplicate_of is None:
        return "mark it as a duplicate of another question instead"
    return None


def check_transition(question: Question, new: Status) -> None:
    """Refuse an illegal step with a message that says why and what is allowed."""
    reason = why_not(question, new)
    if reason:
        raise RuleViolation(reason)


def check_kept(before: Question, after: Question) -> None:
    """Refuse a change that leaves the question breaking a rule it kept (see NEEDS)."""
    rules = newly_broken(before, after)
    if rules:
        raise RuleViolation(
            f"question #{after.id} would break the workflow: {'; '.join(rules)} "
            f"(it is {after.status})"
        )
