"""The question workflow as a spec: which status may follow which, and what each step needs.

new → triaged → drafting → ready → answered, with declined and duplicate as side exits; drafting
needs a host, ready and answered need a final answer, duplicate is reached only by marking a
duplicate, and any step back is a reopen that is allowed and logged as such.
"""

from __future__ import annotations

import itertools

import pytest

from qa_queue.errors import RuleViolation
from qa_queue.model import workflow
from qa_queue.model.question import Answer, Draft, Question, Status

S = Status

# The table the rest of the app relies on; changing the workflow means changing this on purpose.
EXPECTED_ALLOWED = {
    S.NEW: {S.TRIAGED, S.DRAFTING, S.DECLINED, S.DUPLICATE},
    S.TRIAGED: {S.DRAFTING, S.NEW, S.DECLINED, S.DUPLICATE},
    S.DRAFTING: {S.READY, S.TRIAGED, S.NEW, S.DECLINED, S.DUPLICATE},
    S.READY: {S.ANSWERED, S.DRAFTING, S.TRIAGED, S.DECLINED},
    S.ANSWERED: {S.READY, S.DRAFTING, S.TRIAGED},
    S.DECLINED: {S.NEW, S.TRIAGED},
    S.DUPLICATE: {S.NEW, S.TRIAGED},
}

ALL_PAIRS = list(itertools.product(Status, Status))


def make(
    status: Status = S.NEW,
    *,
    host: str | None = "austin",
    answer: str | None = "Low-dose naltrexone has small trials behind it.",
    duplicate_of: int | None = 7,
) -> Question:
    """A question that meets every precondition unless a test takes one away."""
    return Question(
        id=3,
        title="Does LDN help fibromyalgia?",
        body="I read about low-dose naltrexone…",
        received_at="2026-11-01T09:00:00Z",
        status=status,
        host=host,
        answer=Answer(text=answer, host="austin", answered_at="2026-11-20T10:00:00Z")
        if answer is not None
        else None,
        duplicate_of=duplicate_of,
    )


def test_allowed_table_is_the_spec():
    assert {old: set(new) for old, new in workflow.ALLOWED.items()} == EXPECTED_ALLOWED
    assert set(workflow.ALLOWED) == set(Status)


@pytest.mark.parametrize(
    ("old", "new"),
    [(o, n) for o, n in ALL_PAIRS if n in EXPECTED_ALLOWED[o]],
    ids=lambda s: s.value,
)
def test_every_allowed_transition_passes_when_its_needs_are_met(old, new):
    workflow.check_transition(make(old), new)


@pytest.mark.parametrize(
    ("old", "new"),
    [(o, n) for o, n in ALL_PAIRS if n not in EXPECTED_ALLOWED[o] and n is not o],
    ids=lambda s: s.value,
)
def test_every_other_transition_is_refused_saying_why_and_what_is_allowed(old, new):
    with pytest.raises(RuleViolation) as refused:
        workflow.check_transition(make(old), new)
    message = str(refused.value)
    assert f"cannot go from {old.value} to {new.value}" in message
    assert "#3" in message
    listed = message.rsplit("can go to:", 1)[1]
    assert {part.strip() for part in listed.split(",")} == {s.value for s in EXPECTED_ALLOWED[old]}
    assert "\n" not in message


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_moving_to_the_same_status_is_refused(status):
    with pytest.raises(RuleViolation, match=f"already {status.value}"):
        workflow.check_transition(make(status), status)


@pytest.mark.parametrize("old", [S.NEW, S.TRIAGED, S.READY, S.ANSWERED], ids=lambda s: s.value)
def test_drafting_needs_a_host(old):
    with pytest.raises(RuleViolation, match="assign a host first"):
        workflow.check_transition(make(old, host=None), S.DRAFTING)
    workflow.check_transition(make(old, host="jordan"), S.DRAFTING)


@pytest.mark.parametrize(
    ("old", "new"),
    [(S.DRAFTING, S.READY), (S.READY, S.ANSWERED), (S.ANSWERED, S.READY)],
    ids=lambda s: s.value,
)
@pytest.mark.parametrize("answer", [None, "", "   \n\t"], ids=["none", "empty", "blank"])
def test_ready_and_answered_need_a_final_answer(old, new, answer):
    with pytest.raises(RuleViolation, match=rf"write the final answer first \({new.value} needs"):
        workflow.check_transition(make(old, answer=answer), new)


def test_a_draft_is_not_a_final_answer():
    question = make(S.DRAFTING, answer=None)
    question.drafts = {"austin": Draft(host="austin", text="My take…", updated_at="2026-11-20")}
    assert S.READY not in workflow.allowed_next(question)


@pytest.mark.parametrize("old", [S.NEW, S.TRIAGED, S.DRAFTING], ids=lambda s: s.value)
def test_duplicate_only_via_mark_duplicate(old):
    with pytest.raises(RuleViolation, match="mark it as a duplicate of another question instead"):
        workflow.check_transition(make(old, duplicate_of=None), S.DUPLICATE)


def test_ready_and_answered_cannot_become_duplicates_even_when_linked():
    for old in (S.READY, S.ANSWERED):
        with pytest.raises(RuleViolation, match="can go to"):
            workflow.check_transition(make(old), S.DUPLICATE)


@pytest.mark.parametrize(
    ("old", "new", "reopen"),
    [
        (S.NEW, S.TRIAGED, False),
        (S.NEW, S.DRAFTING, False),
        (S.TRIAGED, S.DRAFTING, False),
        (S.DRAFTING, S.READY, False),
        (S.READY, S.ANSWERED, False),
        (S.NEW, S.DECLINED, False),
        (S.READY, S.DECLINED, False),
        (S.DRAFTING, S.DUPLICATE, False),
        (S.TRIAGED, S.NEW, True),
        (S.DRAFTING, S.TRIAGED, True),
        (S.READY, S.DRAFTING, True),
        (S.ANSWERED, S.DRAFTING, True),
        (S.ANSWERED, S.READY, True),
        (S.ANSWERED, S.TRIAGED, True),
        (S.DECLINED, S.NEW, True),
        (S.DECLINED, S.TRIAGED, True),
        (S.DUPLICATE, S.NEW, True),
    ],
    ids=lambda s: s.value if isinstance(s, Status) else str(s),
)
def test_a_step_back_is_a_reopen(old, new, reopen):
    assert workflow.is_reopen(old, new) is reopen


def test_reopen_from_answered_to_drafting_is_allowed():
    workflow.check_transition(make(S.ANSWERED), S.DRAFTING)


def test_reopen_through_the_queue_is_logged_as_reopen(queue, clock):
    question = queue.add(
        Question(title="LDN?", body="Does LDN help?", received_at="2026-11-01T09:00:00Z")
    )
    queue.take(question.id)
    queue.set_status(question.id, "drafting")
    queue.set_answer(question.id, "Small trials suggest it may.")
    queue.set_status(question.id, "ready")
    answered = queue.set_status(question.id, "answered")
    assert answered.history[-1].action == "status"
    clock.advance(hours=2)

    reopened = queue.set_status(question.id, "drafting")

    entry = reopened.history[-1]
    assert reopened.status is S.DRAFTING
    assert (entry.action, entry.host, entry.at) == ("reopen", "austin", "2026-11-24T14:00:00Z")
    assert entry.changes == {"status": ["answered", "drafting"]}
    assert reopened.answer is not None and reopened.answer.text == "Small trials suggest it may."
    assert queue.get(question.id).history[-1].action == "reopen"


def test_a_refused_transition_through_the_queue_changes_nothing(queue):
    question = queue.add(
        Question(title="LDN?", body="Does LDN help?", received_at="2026-11-01T09:00:00Z")
    )
    for status in ("drafting", "ready", "answered", "duplicate"):
        with pytest.raises(RuleViolation):
            queue.set_status(question.id, status)
    stored = queue.get(question.id)
    assert stored.status is S.NEW
    assert stored.revision == question.revision
    assert [entry.action for entry in stored.history] == ["received"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (make(S.NEW, host=None, duplicate_of=None), [S.TRIAGED, S.DECLINED]),
        (make(S.NEW, duplicate_of=None), [S.TRIAGED, S.DRAFTING, S.DECLINED]),
        (make(S.TRIAGED, host=None, duplicate_of=None), [S.NEW, S.DECLINED]),
        (make(S.DRAFTING, answer=None, duplicate_of=None), [S.TRIAGED, S.NEW, S.DECLINED]),
        (make(S.DRAFTING, duplicate_of=None), [S.READY, S.TRIAGED, S.NEW, S.DECLINED]),
        (make(S.READY, host=None), [S.TRIAGED, S.DECLINED]),  # answered keeps a host too
        (make(S.ANSWERED), [S.READY, S.DRAFTING, S.TRIAGED]),
        (make(S.DECLINED, host=None, answer=None, duplicate_of=None), [S.NEW, S.TRIAGED]),
        (make(S.DUPLICATE), [S.NEW, S.TRIAGED]),
    ],
    ids=lambda v: v.status.value if isinstance(v, Question) else "",
)
def test_allowed_next_applies_the_host_and_answer_rules(question, expected):
    assert set(workflow.allowed_next(question)) == set(expected)


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
@pytest.mark.parametrize("host", [None, "austin"])
@pytest.mark.parametrize("answer", [None, "An answer."])
def test_allowed_next_is_exactly_what_check_transition_accepts(status, host, answer):
    question = make(status, host=host, answer=answer, duplicate_of=None)
    accepted = set()
    for new in Status:
        try:
            workflow.check_transition(question, new)
        except RuleViolation:
            continue
        accepted.add(new)
    assert set(workflow.allowed_next(question)) == accepted
    assert status not in accepted


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (make(S.DRAFTING, duplicate_of=None), [S.READY]),
        (make(S.NEW, duplicate_of=None), [S.DRAFTING, S.READY]),  # drafting first: it has a host
        (make(S.TRIAGED, duplicate_of=None), [S.DRAFTING, S.READY]),
        (make(S.TRIAGED, host=None, duplicate_of=None), []),  # drafting needs a host
        (make(S.DRAFTING, answer=None, duplicate_of=None), []),  # ready needs the answer
        (make(S.READY, duplicate_of=None), []),
        (make(S.ANSWERED, duplicate_of=None), []),
        (make(S.DECLINED, duplicate_of=None), []),
    ],
    ids=lambda v: v.status.value if isinstance(v, Question) else "",
)
def test_steps_to_ready_are_the_ones_the_draft_editor_offers(question, expected):
    assert workflow.steps_to_ready(question) == expected
