"""The workflow's rules hold on every path: the table of what each status needs, the ownership
of a final answer between co-hosts, and a property test that no sequence of operations, by
two hosts on two stores of one database, reaches a question breaking a rule."""

from __future__ import annotations

from datetime import UTC

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from qa_queue.errors import AnswerTaken, QaQueueError, RuleViolation, StaleRevision
from qa_queue.importers.ours import parse_json
from qa_queue.model import workflow
from qa_queue.model.question import Question, Status
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store
from tests.helpers import FixedClock, run_cli

S = Status


def ask(title: str = "Does LDN help fibromyalgia?") -> Question:
    return Question(title=title, body="Low-dose naltrexone?", received_at="2026-11-01T09:00:00Z")


def test_the_needs_table_covers_every_status():
    assert set(workflow.NEEDS) == set(Status)
    assert [s for s in Status if workflow.NEEDS[s].host] == [S.DRAFTING, S.READY, S.ANSWERED]
    assert [s for s in Status if workflow.NEEDS[s].answer] == [S.READY, S.ANSWERED]


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        (Question("t", "b", "2026-11-01T09:00:00Z", status=S.DRAFTING), "drafting keeps a host"),
        (
            Question("t", "b", "2026-11-01T09:00:00Z", status=S.READY, host="austin"),
            "ready needs a final answer",
        ),
        (
            Question("t", "b", "2026-11-01T09:00:00Z", decline_reason="off topic"),
            "only a declined question has a reason",
        ),
        (
            Question("t", "b", "2026-11-01T09:00:00Z", duplicate_of=3),
            "only a duplicate has an original",
        ),
        (
            Question("t", "b", "2026-11-01T09:00:00Z", status=S.DUPLICATE),
            "a duplicate links its original",
        ),
    ],
)
def test_broken_names_the_rule(question, rule):
    assert rule in workflow.broken(question)


def test_reopening_a_declined_question_clears_its_reason_and_history_keeps_it(queue, capsys):
    qid = queue.add(ask()).id
    queue.decline(qid, "we covered this in episode 200")
    reopened = queue.set_status(qid, "triaged")
    assert reopened.decline_reason is None
    stored = queue.get(qid)
    assert stored.decline_reason is None and stored.status is S.TRIAGED
    assert stored.history[-1].action == "reopen"
    assert stored.history[-1].changes["decline_reason"] == ["we covered this in episode 200", None]
    queue.undo(qid)  # undoing the reopen brings the reason back with the status
    assert queue.get(qid).decline_reason == "we covered this in episode 200"


def test_a_drafting_question_keeps_a_host(queue):
    qid = queue.add(ask()).id
    queue.take(qid)
    queue.set_status(qid, "drafting")
    with pytest.raises(RuleViolation, match="drafting keeps a host"):
        queue.assign(qid, None)
    assert queue.assign(qid, "jordan").host == "jordan"  # handing it over is fine
    queue.set_status(qid, "triaged")
    assert queue.assign(qid, None).host is None


def test_undo_cannot_leave_a_rule_broken(queue):
    qid = queue.add(ask()).id
    queue.take(qid)
    queue.set_status(qid, "drafting")
    # the last undoable change by me is the status; undo it, then the take would be next
    queue.undo(qid)
    assert queue.get(qid).status is S.NEW
    queue.undo(qid)
    assert queue.get(qid).host is None


def test_older_data_breaking_a_rule_can_still_be_edited(queue, store):
    qid = queue.add(ask()).id
    with store.transaction() as tx:  # as an older version of qa-queue left it
        tx.put_question({**tx.get(qid), "decline_reason": "old reason"})
    assert queue.tag(qid, ["pain"]).tags == ["pain"]


def test_an_impossible_state_in_our_json_is_rejected_by_row():
    text = (
        '[{"title": "A", "body": "b", "received_at": "2026-11-01T09:00:00Z",'
        ' "status": "answered", "host": "austin"},'
        ' {"title": "B", "body": "b", "received_at": "2026-11-01T09:00:00Z"}]'
    )
    batch = parse_json(text, name="hand.json")
    assert [q.title for q in batch.questions] == ["B"]
    assert len(batch.rejected) == 1
    assert "question 1" in batch.rejected[0]
    assert "cannot be answered: answered needs a final answer" in batch.rejected[0]


# -- ownership of a final answer ----------------------------------------------------------------


def test_a_co_hosts_final_answer_is_replaced_only_on_purpose(queue, jordan):
    qid = queue.add(ask()).id
    jordan.set_answer(qid, "Jordan's answer.")
    with pytest.raises(AnswerTaken, match="Jordan's final answer") as refused:
        queue.set_answer(qid, "Austin's answer.")
    assert refused.value.host == "jordan"
    assert queue.get(qid).answer.text == "Jordan's answer."
    replaced = queue.set_answer(qid, "Austin's answer.", replace=True)
    assert (replaced.answer.host, replaced.answer.text) == ("austin", "Austin's answer.")
    # my own answer I rewrite freely
    assert queue.set_answer(qid, "Austin's second answer.").answer.text.endswith("second answer.")


def test_a_stale_refusal_then_a_retry_still_does_not_replace_a_co_hosts_answer(
    queue, jordan, tmp_path
):
    qid = queue.add(ask()).id
    seen = queue.get(qid).revision
    jordan.set_answer(qid, "Jordan's answer.")
    with pytest.raises(StaleRevision):
        queue.set_answer(qid, "Austin's answer.", expected_revision=seen)
    with pytest.raises(AnswerTaken):
        queue.set_answer(qid, "Austin's answer.")


def test_answer_on_the_command_line_needs_replace(capsys, tmp_path, private_home):
    db = str(tmp_path / "q.json")
    run_cli(capsys, "--db", db, "hosts", "add", "austin")
    run_cli(capsys, "--db", db, "hosts", "add", "jordan")
    run_cli(capsys, "--db", db, "add", "LDN?", "--body", "Does it help?")
    assert run_cli(capsys, "--db", db, "--as", "jordan", "answer", "1", "Jordan's.")[0] == 0
    code, out, err = run_cli(capsys, "--db", db, "--as", "austin", "answer", "1", "Austin's.")
    assert code == 1 and out == ""
    assert "already has Jordan's final answer" in err and "--replace" in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run_cli(
        capsys, "--db", db, "--as", "austin", "answer", "1", "Austin's.", "--replace"
    )
    assert code == 0 and "replaced Jordan's answer" in out


# -- no sequence of operations breaks a rule ----------------------------------------------------

HOSTS = ("austin", "jordan")


class TwoHosts(RuleBasedStateMachine):
    """Two hosts, each with their own Store on one database, doing anything in any order."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self._folder = tempfile.TemporaryDirectory()
        path = f"{self._folder.name}/q.json"
        clock = FixedClock()
        self.stores = [Store(path), Store(path)]
        self.queues = [
            QuestionQueue(s, me=h, clock=clock, zone=UTC)
            for s, h in zip(self.stores, HOSTS, strict=True)
        ]
        for host in HOSTS:
            self.queues[0].add_host(host)
        self.ids = [self.queues[0].add(ask(f"Question {n}")).id for n in range(2)]

    def teardown(self) -> None:
        for store in self.stores:
            store.close()
        self._folder.cleanup()

    def _try(self, action) -> None:
        try:
            action()
        except (RuleViolation, StaleRevision):
            pass  # refused: refusing is always allowed, breaking a rule never is
        except QaQueueError as error:  # BadInput for an empty answer and the like
            assert "internal" not in str(error)

    who = st.integers(0, 1)
    which = st.integers(0, 1)

    @rule(who=who, which=which, host=st.sampled_from([*HOSTS, None]))
    def assign(self, who, which, host):
        self._try(lambda: self.queues[who].assign(self.ids[which], host))

    @rule(who=who, which=which, status=st.sampled_from(Status))
    def set_status(self, who, which, status):
        self._try(lambda: self.queues[who].set_status(self.ids[which], status))

    @rule(who=who, which=which)
    def take_it_to_drafting(self, who, which):  # the way most questions go: deeper states sooner
        self._try(lambda: self.queues[who].take(self.ids[which]))
        self._try(lambda: self.queues[who].set_status(self.ids[which], S.DRAFTING))

    @rule(who=who, which=which, text=st.sampled_from(["", "  ", "A draft.", "Longer draft."]))
    def draft(self, who, which, text):
        self._try(lambda: self.queues[who].save_draft(self.ids[which], text))

    @rule(who=who, which=which, from_draft=st.booleans(), replace=st.booleans())
    def answer(self, who, which, from_draft, replace):
        text = None if from_draft else "An answer."
        self._try(lambda: self.queues[who].set_answer(self.ids[which], text, replace=replace))

    @rule(who=who, which=which, reason=st.sampled_from(["", "off topic"]))
    def decline(self, who, which, reason):
        self._try(lambda: self.queues[who].decline(self.ids[which], reason))

    @rule(who=who, which=which, original=which)
    def duplicate(self, who, which, original):
        self._try(lambda: self.queues[who].mark_duplicate(self.ids[which], self.ids[original]))

    @rule(who=who, which=which, anyone=st.booleans())
    def undo(self, who, which, anyone):
        self._try(lambda: self.queues[who].undo(self.ids[which], anyone=anyone))

    @rule(who=who, which=which)
    def tag(self, who, which):
        self._try(lambda: self.queues[who].tag(self.ids[which], ["pain"]))

    @invariant()
    def every_question_keeps_the_rules(self):
        for queue in self.queues:
            queue.store.refresh()
            for question_id in self.ids:
                question = queue.get(question_id)
                assert workflow.broken(question) == [], (question_id, question.status)


TwoHosts.TestCase.settings = settings(
    max_examples=80,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_no_sequence_of_operations_breaks_a_rule = TwoHosts.TestCase
