"""Every QuestionQueue operation as a spec: its effect, and the history entry it leaves.

The queue acts as host "austin" (a second queue acts as "jordan" on the same store) with a fixed
clock at Tuesday 2026-11-24 12:00 UTC, so every entry's who, what, when and before/after is exact.
"""

from __future__ import annotations

from datetime import UTC

import pytest

from qa_queue.errors import AnswerTaken, BadInput, NotFound, RuleViolation, StaleRevision, WhoAreYou
from qa_queue.model.question import Credit, HistoryEntry, Listener, Question, Reference, Source
from qa_queue.model.question import Status as S
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store

T0 = "2026-11-24T12:00:00Z"


def make(title="Does LDN help fibromyalgia?", **fields) -> Question:
    fields.setdefault("body", "I read that low-dose naltrexone helps with fibro pain.")
    fields.setdefault("received_at", "2026-11-01T09:00:00Z")
    fields.setdefault("source", Source(kind="forum", ref="https://forum.example.org/t/4ddf"))
    fields.setdefault("listener", Listener(name="Mary Ann Smith", contact="mary@example.org"))
    return Question(title=title, **fields)


@pytest.fixture
def qid(queue) -> int:
    return queue.add(make()).id


def last(question: Question) -> HistoryEntry:
    return question.history[-1]


def entry_of(question: Question) -> tuple:
    entry = last(question)
    return entry.action, entry.host, entry.at, entry.changes


def unchanged(queue, question_id: int, before: Question) -> bool:
    return queue.get(question_id).to_dict() == before.to_dict()


# -- adding ------------------------------------------------------------------------------------


def test_add_stores_the_question_and_logs_its_arrival(queue, store):
    added = queue.add(make())
    assert (added.id, added.revision, added.status) == (1, 1, S.NEW)
    assert added.history == [
        HistoryEntry(at=T0, host="austin", action="received", changes={}, note="via forum", seq=1)
    ]
    assert queue.get(1).to_dict() == added.to_dict()
    assert queue.add(make("Second")).id == 2
    assert len(store) == 2


def test_add_keeps_the_listeners_words_verbatim(queue):
    body = "  Hi!\n\nI've read *LDN* [helps] <b>fibro</b>…\n\\ bye  "
    assert queue.get(queue.add(make(body=body)).id).body == body


def test_import_is_idempotent_by_import_key(queue, store):
    first = queue.import_questions([make("A", import_key="forum:1"), make("B", import_key="f:2")])
    assert (first.added, first.skipped) == ([1, 2], [])

    again = queue.import_questions(
        [make("A", import_key="forum:1"), make("C"), make("B", import_key="f:2")]
    )
    assert (again.added, again.skipped) == ([3], [1, 2])
    assert len(store) == 3
    assert queue.get(1).title == "A"


def test_the_same_import_key_twice_in_one_batch_is_added_once(queue):
    result = queue.import_questions([make("A", import_key="k"), make("A again", import_key="k")])
    assert (result.added, result.skipped) == ([1], [1])


def test_add_with_a_known_import_key_returns_the_question_already_there(queue, store):
    first = queue.add(make("A", import_key="forum:1"))
    again = queue.add(make("A", import_key="forum:1"))
    assert again.id == first.id
    assert len(store) == 1


def test_an_imported_history_is_kept(queue):
    imported = [HistoryEntry(at="2026-01-01T00:00:00Z", host="jordan", action="received")]
    added = queue.add(make(history=imported))
    assert [entry.seq for entry in added.history] == [1]  # numbered as it was stored
    added.history[0].seq = 0
    assert added.history == imported


# -- assigning -----------------------------------------------------------------------------------


def test_assign_sets_the_host_and_logs_it(queue, qid, clock):
    clock.advance(minutes=5)
    assigned = queue.assign(qid, "jordan")
    assert assigned.host == "jordan"
    assert assigned.revision == 2
    assert entry_of(assigned) == (
        "assign",
        "austin",
        "2026-11-24T12:05:00Z",
        {"host": [None, "jordan"]},
    )
    # a change returns the question with the entry it added (the history before it is not
    # read: an edit's cost must not grow with the question's past)
    stored = queue.get(qid)
    assert stored.history[-1] == assigned.history[-1]
    assert {**stored.to_dict(), "history": []} == {**assigned.to_dict(), "history": []}

    unassigned = queue.assign(qid, None)
    assert unassigned.host is None
    assert last(unassigned).changes == {"host": ["jordan", None]}


def test_assign_refuses_an_unknown_host_and_lists_the_known_ones(queue, qid):
    before = queue.get(qid)
    with pytest.raises(BadInput, match="no host 'sam'; hosts are: austin, jordan"):
        queue.assign(qid, "sam")
    assert unchanged(queue, qid, before)


def test_assigning_the_same_host_again_is_nothing_to_change(queue, qid):
    queue.assign(qid, "austin")
    with pytest.raises(RuleViolation, match="nothing to change"):
        queue.assign(qid, "austin")


def test_assign_an_unknown_question_is_not_found(queue):
    with pytest.raises(NotFound, match="no question #42"):
        queue.assign(42, "austin")


def test_take_assigns_me(queue, jordan, qid):
    taken = jordan.take(qid)
    assert taken.host == "jordan"
    assert entry_of(taken) == ("assign", "jordan", T0, {"host": [None, "jordan"]})


def test_take_without_knowing_who_i_am_asks(anonymous, queue, qid):
    before = queue.get(qid)
    with pytest.raises(WhoAreYou, match="--as HOST"):
        anonymous.take(qid)
    assert unchanged(queue, qid, before)


# -- status and priority -------------------------------------------------------------------------


def test_set_status_follows_the_workflow_and_logs_each_step(queue, qid, clock):
    steps = []
    triaged = queue.set_status(qid, "triaged")
    steps.append(entry_of(triaged))
    queue.take(qid)
    clock.advance(minutes=1)
    drafting = queue.set_status(qid, S.DRAFTING)
    steps.append(entry_of(drafting))
    assert steps == [
        ("status", "austin", T0, {"status": ["new", "triaged"]}),
        ("status", "austin", "2026-11-24T12:01:00Z", {"status": ["triaged", "drafting"]}),
    ]
    assert queue.get(qid).status is S.DRAFTING


def test_set_status_refuses_an_unknown_status(queue, qid):
    with pytest.raises(BadInput, match="unknown status 'open'; statuses are: new, triaged"):
        queue.set_status(qid, "open")


def test_set_status_refusal_says_why(queue, qid):
    with pytest.raises(RuleViolation, match="drafting needs a host"):
        queue.set_status(qid, "drafting")
    with pytest.raises(RuleViolation, match="from new it can go to: triaged, drafting"):
        queue.set_status(qid, "answered")


@pytest.mark.parametrize("priority", [0, 1, 2, 3])
def test_priority_within_bounds(queue, qid, priority):
    if priority == 0:
        queue.set_priority(qid, 2)
    changed = queue.set_priority(qid, priority)
    assert changed.priority == priority
    assert last(changed).action == "priority"
    assert last(changed).changes["priority"][1] == priority


@pytest.mark.parametrize("priority", [-1, 4, 99])
def test_priority_out_of_bounds_is_refused(queue, qid, priority):
    before = queue.get(qid)
    with pytest.raises(BadInput, match=f"priority is 0 to 3, not {priority}"):
        queue.set_priority(qid, priority)
    assert unchanged(queue, qid, before)


# -- tags, notes, credit -------------------------------------------------------------------------


def test_tags_are_normalised_deduplicated_and_logged(queue, qid):
    tagged = queue.tag(qid, add=["Back Pain", " LDN ", "ldn", "  ", "pain"])
    assert tagged.tags == ["back-pain", "ldn", "pain"]
    assert entry_of(tagged) == ("tags", "austin", T0, {"tags": [[], ["back-pain", "ldn", "pain"]]})


def test_tags_add_and_remove_together(queue, qid):
    queue.tag(qid, add=["pain", "ldn"])
    changed = queue.tag(qid, add=["Fibromyalgia"], remove=["PAIN"])
    assert changed.tags == ["ldn", "fibromyalgia"]
    assert last(changed).changes == {"tags": [["pain", "ldn"], ["ldn", "fibromyalgia"]]}
    removed = queue.tag(qid, remove=["back  pain", "ldn"])
    assert removed.tags == ["fibromyalgia"]


def test_tags_that_change_nothing_are_refused(queue, qid):
    queue.tag(qid, add=["pain"])
    with pytest.raises(RuleViolation, match="nothing to change"):
        queue.tag(qid, add=["Pain"])
    with pytest.raises(RuleViolation, match="nothing to change"):
        queue.tag(qid, remove=["diet"])


def test_notes_are_set_and_logged(queue, qid):
    noted = queue.set_notes(qid, "Mary wrote twice; ask Dr. Lee.")
    assert noted.notes == "Mary wrote twice; ask Dr. Lee."
    assert entry_of(noted) == (
        "notes",
        "austin",
        T0,
        {"notes": ["", "Mary wrote twice; ask Dr. Lee."]},
    )


def test_credit_changes_only_how_the_listener_is_named(queue, qid):
    credited = queue.set_credit(qid, "anonymous")
    assert credited.listener.credit is Credit.ANONYMOUS
    assert credited.listener.contact == "mary@example.org"
    assert credited.listener.credited_as() == "a listener"
    action, host, at, changes = entry_of(credited)
    assert (action, host, at) == ("credit", "austin", T0)
    assert changes["listener"][0]["credit"] == "first"
    assert changes["listener"][1]["credit"] == "anonymous"
    assert queue.set_credit(qid, "full").listener.credited_as() == "Mary Ann Smith"


def test_credit_refuses_an_unknown_level(queue, qid):
    with pytest.raises(BadInput, match="credit is full, first or anonymous, not 'surname'"):
        queue.set_credit(qid, "surname")


# -- drafts and the answer -----------------------------------------------------------------------


def test_each_host_has_their_own_draft(queue, jordan, qid, clock):
    mine = queue.save_draft(qid, "Austin's take: small trials, worth asking.")
    assert entry_of(mine)[:3] == ("draft", "austin", T0)
    assert last(mine).changes["drafts"][0] == {}

    clock.advance(minutes=10)
    theirs = jordan.save_draft(qid, "Jordan's take: cite the Stanford pilot.")
    assert entry_of(theirs)[:3] == ("draft", "jordan", "2026-11-24T12:10:00Z")

    both = queue.get(qid).drafts
    assert set(both) == {"austin", "jordan"}
    assert (both["austin"].text, both["austin"].updated_at) == (
        "Austin's take: small trials, worth asking.",
        T0,
    )
    assert (both["jordan"].host, both["jordan"].updated_at) == ("jordan", "2026-11-24T12:10:00Z")

    clock.advance(minutes=1)
    edited = queue.save_draft(qid, "Austin's take, revised.")
    assert edited.drafts["austin"].text == "Austin's take, revised."
    assert edited.drafts["jordan"].text == "Jordan's take: cite the Stanford pilot."


def test_a_draft_needs_to_know_whose_it_is(anonymous, qid):
    with pytest.raises(WhoAreYou):
        anonymous.save_draft(qid, "Whose take?")


def test_set_answer_from_text_with_references(queue, qid, clock):
    clock.advance(hours=1)
    refs = [Reference("Younger 2013, LDN in fibromyalgia", "PMID:23359310")]
    answered = queue.set_answer(qid, "It may help; talk to your doctor.", references=refs)
    assert answered.answer.text == "It may help; talk to your doctor."
    assert (answered.answer.host, answered.answer.answered_at) == ("austin", "2026-11-24T13:00:00Z")
    assert answered.references == refs
    action, host, at, changes = entry_of(answered)
    assert (action, host, at) == ("answer", "austin", "2026-11-24T13:00:00Z")
    assert changes["answer"][0] is None
    assert changes["answer"][1]["text"] == "It may help; talk to your doctor."
    assert changes["references"] == [[], [{"title": refs[0].title, "url": "PMID:23359310"}]]
    assert answered.status is S.NEW  # answering does not move the status by itself


def test_set_answer_from_my_draft(queue, jordan, qid):
    queue.save_draft(qid, "Austin's take.")
    jordan.save_draft(qid, "Jordan's take.")
    assert jordan.set_answer(qid).answer.text == "Jordan's take."
    with pytest.raises(AnswerTaken, match="already has Jordan's final answer"):
        queue.set_answer(qid)  # a co-host's answer is replaced only on purpose
    answered = queue.set_answer(qid, replace=True)
    assert (answered.answer.text, answered.answer.host) == ("Austin's take.", "austin")
    assert last(answered).changes["answer"][0]["host"] == "jordan"


def test_set_answer_without_my_draft_or_with_nothing_is_refused(queue, jordan, qid):
    jordan.save_draft(qid, "Jordan's take.")
    with pytest.raises(RuleViolation, match="no draft by austin"):
        queue.set_answer(qid)
    with pytest.raises(BadInput, match="the answer is empty"):
        queue.set_answer(qid, "   \n")
    queue.save_draft(qid, "  ")
    with pytest.raises(BadInput, match="the answer is empty"):
        queue.set_answer(qid)


def test_add_reference(queue, qid):
    first = queue.add_reference(
        qid, "  Younger 2013  ", " https://pubmed.ncbi.nlm.nih.gov/23359310 "
    )
    assert first.references == [
        Reference("Younger 2013", "https://pubmed.ncbi.nlm.nih.gov/23359310")
    ]
    second = queue.add_reference(qid, "Cochrane review")
    assert [r.title for r in second.references] == ["Younger 2013", "Cochrane review"]
    action, host, at, changes = entry_of(second)
    assert (action, host, at) == ("reference", "austin", T0)
    assert len(changes["references"][0]) == 1 and len(changes["references"][1]) == 2


def test_a_reference_needs_a_title(queue, qid):
    with pytest.raises(BadInput, match="needs a title"):
        queue.add_reference(qid, "  ", "https://example.org")


# -- decline and duplicates ----------------------------------------------------------------------


def test_decline_with_a_reason(queue, qid):
    declined = queue.decline(qid, "Asks for a personal diagnosis")
    assert (declined.status, declined.decline_reason) == (
        S.DECLINED,
        "Asks for a personal diagnosis",
    )
    entry = last(declined)
    assert (entry.action, entry.host, entry.at, entry.note) == (
        "decline",
        "austin",
        T0,
        "Asks for a personal diagnosis",
    )
    assert entry.changes == {
        "status": ["new", "declined"],
        "decline_reason": [None, "Asks for a personal diagnosis"],
    }


def test_decline_is_refused_once_answered(queue, qid):
    queue.take(qid)
    queue.set_status(qid, "drafting")
    queue.set_answer(qid, "Yes.")
    queue.set_status(qid, "ready")
    queue.set_status(qid, "answered")
    with pytest.raises(RuleViolation, match="cannot go from answered to declined"):
        queue.decline(qid, "too late")


def test_mark_duplicate_links_it_and_raises_the_originals_asked_count(queue, clock):
    original = queue.add(make()).id
    repeat = queue.add(make("LDN for fibro?", listener=Listener(name="Kim"))).id
    clock.advance(minutes=3)

    marked = queue.mark_duplicate(repeat, original)

    assert (marked.status, marked.duplicate_of) == (S.DUPLICATE, original)
    entry = last(marked)
    assert (entry.action, entry.host, entry.at, entry.note) == (
        "duplicate",
        "austin",
        "2026-11-24T12:03:00Z",
        f"#{original}",
    )
    assert entry.changes == {"status": ["new", "duplicate"], "duplicate_of": [None, original]}
    counted = queue.get(original)
    assert counted.asked_count == 2
    assert (last(counted).action, last(counted).note) == ("asked again", f"#{repeat}")
    assert last(counted).changes == {"asked_count": [1, 2]}


def test_undo_of_a_duplicate_restores_the_originals_asked_count(queue):
    original = queue.add(make()).id
    repeat = queue.add(make("LDN for fibro?")).id
    queue.mark_duplicate(repeat, original)

    undone = queue.undo(repeat)

    assert (undone.status, undone.duplicate_of) == (S.NEW, None)
    assert queue.get(original).asked_count == 1
    assert last(queue.get(original)).note == f"undo #{repeat}"


def test_duplicates_of_duplicates_add_up_at_the_root(queue):
    root, middle, leaf = (queue.add(make(f"Q{i}")).id for i in range(3))
    queue.mark_duplicate(leaf, middle)
    assert queue.get(middle).asked_count == 2
    queue.mark_duplicate(middle, root)
    assert queue.get(root).asked_count == 3


def test_mark_duplicate_refusals(queue):
    first, second, third = (queue.add(make(f"Q{i}")).id for i in range(3))
    with pytest.raises(RuleViolation, match="cannot be a duplicate of itself"):
        queue.mark_duplicate(first, first)
    queue.mark_duplicate(second, first)
    with pytest.raises(RuleViolation, match=f"mark #{third} as a duplicate of #{first}"):
        queue.mark_duplicate(third, second)
    with pytest.raises(NotFound):
        queue.mark_duplicate(third, 99)
    assert queue.get(first).asked_count == 2
    assert queue.get(third).status is S.NEW


def test_undo_on_the_original_leaves_the_duplicate_count_alone(queue):
    original = queue.add(make()).id
    repeat = queue.add(make("LDN for fibro?")).id
    queue.set_priority(original, 2)
    queue.mark_duplicate(repeat, original)

    undone = queue.undo(original)

    # the original's own last change is undone; its count still matches its linked duplicate
    assert undone.priority == 0
    assert undone.asked_count == 2
    assert queue.get(repeat).duplicate_of == original
    with pytest.raises(RuleViolation, match="no change to undo"):
        queue.undo(original)


# -- snooze --------------------------------------------------------------------------------------


def test_snooze_until_next_friday_hides_it_without_changing_its_status(queue, qid):
    other = queue.add(make("Other")).id
    snoozed = queue.snooze(qid, "next friday")
    assert snoozed.snoozed_until == "2026-11-27T00:00:00Z"
    assert snoozed.status is S.NEW
    assert entry_of(snoozed) == (
        "snooze",
        "austin",
        T0,
        {"snoozed_until": [None, "2026-11-27T00:00:00Z"]},
    )
    assert [s["id"] for s in queue.find("")] == [other]
    assert [s["id"] for s in queue.find("is:snoozed")] == [qid]


def test_a_snoozed_question_comes_back_on_its_day(queue, qid, clock):
    queue.snooze(qid, "in 3 days")
    clock.advance(days=2, hours=11, minutes=59)
    assert queue.find("") == []
    clock.advance(minutes=1)
    assert [s["id"] for s in queue.find("")] == [qid]


def test_snooze_none_wakes_it(queue, qid):
    queue.snooze(qid, "2026-12-01")
    woken = queue.snooze(qid, None)
    assert woken.snoozed_until is None
    assert last(woken).changes == {"snoozed_until": ["2026-12-01T00:00:00Z", None]}
    assert [s["id"] for s in queue.find("")] == [qid]


@pytest.mark.parametrize("until", ["today", "2026-11-01", "2026-11-23 9am", "2026-11-24 12:00"])
def test_snooze_in_the_past_is_refused(queue, qid, until):
    before = queue.get(qid)
    with pytest.raises(BadInput, match="in the past"):
        queue.snooze(qid, until)
    assert unchanged(queue, qid, before)


def test_snooze_nonsense_is_bad_input(queue, qid):
    with pytest.raises(BadInput, match="cannot understand the date 'whenever'"):
        queue.snooze(qid, "whenever")


# -- episodes ------------------------------------------------------------------------------------


def test_add_to_episode_keeps_air_order_by_timestamp(queue):
    queue.save_episode(12, "Gut feelings")
    late, early, middle, untimed = (queue.add(make(f"Q{i}")).id for i in range(4))

    placed = queue.add_to_episode(late, 12, "1:02:03")
    queue.add_to_episode(early, 12, "05:00")
    queue.add_to_episode(untimed, 12)
    queue.add_to_episode(middle, 12, "00:41:05")

    assert queue.episode(12).question_ids == [early, middle, late, untimed]
    assert (placed.episode, placed.timestamp, placed.answered_on) == (12, "01:02:03", "air")
    assert entry_of(placed) == (
        "episode",
        "austin",
        T0,
        {"episode": [None, 12], "timestamp": [None, "01:02:03"], "answered_on": [None, "air"]},
    )
    assert queue.get(early).timestamp == "00:05:00"


def test_a_new_timestamp_moves_it_within_the_episode(queue):
    queue.save_episode(12)
    first, second = queue.add(make("A")).id, queue.add(make("B")).id
    queue.add_to_episode(first, 12, "00:10:00")
    queue.add_to_episode(second, 12, "00:20:00")
    queue.add_to_episode(first, 12, "00:30:00")
    assert queue.episode(12).question_ids == [second, first]


def test_moving_to_another_episode_removes_it_from_the_first(queue):
    queue.save_episode(12)
    queue.save_episode(13)
    qid = queue.add(make()).id
    queue.add_to_episode(qid, 12, "00:41:05")

    moved = queue.add_to_episode(qid, 13, "00:02:00")

    assert queue.episode(12).question_ids == []
    assert queue.episode(13).question_ids == [qid]
    assert last(moved).changes == {"episode": [12, 13], "timestamp": ["00:41:05", "00:02:00"]}

    back = queue.undo(qid)
    assert (back.episode, back.timestamp) == (12, "00:41:05")
    assert queue.episode(12).question_ids == [qid]
    assert queue.episode(13).question_ids == []


def test_add_to_episode_refusals(queue, qid):
    with pytest.raises(NotFound, match="no episode 7"):
        queue.add_to_episode(qid, 7, "00:01:00")
    queue.save_episode(7)
    with pytest.raises(BadInput, match="cannot understand the timestamp '41'"):
        queue.add_to_episode(qid, 7, "41")
    assert queue.get(qid).episode is None


def test_save_episode_with_a_persons_air_date(queue):
    episode = queue.save_episode(12, "  Gut feelings ", "next friday")
    assert (episode.number, episode.title, episode.air_date) == (12, "Gut feelings", "2026-11-27")
    assert queue.episode(12) == episode
    retitled = queue.save_episode(12, "Gut feelings, part 1")
    assert (retitled.title, retitled.air_date) == ("Gut feelings, part 1", "2026-11-27")
    assert queue.save_episode(12, air_date="2026-12-01").air_date == "2026-12-01"
    queue.save_episode(3)
    assert [e.number for e in queue.episodes()] == [3, 12]


def test_save_episode_refusals(queue):
    with pytest.raises(BadInput, match="positive whole number"):
        queue.save_episode(0)
    with pytest.raises(BadInput, match="cannot understand the date"):
        queue.save_episode(12, "Gut", "someday")
    assert queue.episodes() == []


def test_save_episode_keeps_a_co_hosts_running_order(queue, db_path, clock):
    queue.save_episode(12, "Gut feelings")
    qid = queue.add(make()).id
    with Store(db_path) as other_process:
        jordan = QuestionQueue(other_process, me="jordan", clock=clock, zone=UTC)
        jordan.add_to_episode(qid, 12, "00:41:05")
    # austin's store has not looked at the journal since: the rename must not drop jordan's order
    renamed = queue.save_episode(12, "Gut feelings, part 1")
    assert renamed.question_ids == [qid]
    assert queue.episode(12).question_ids == [qid]


# -- undo ----------------------------------------------------------------------------------------


def test_undo_reverts_the_last_change_and_successive_undos_walk_back(queue, qid, clock):
    queue.set_priority(qid, 1)
    queue.set_priority(qid, 2)
    queue.tag(qid, add=["pain"])
    clock.advance(minutes=1)

    first = queue.undo(qid)
    assert (first.tags, first.priority) == ([], 2)
    entry = last(first)
    assert (entry.action, entry.host, entry.at, entry.note) == (
        "undo",
        "austin",
        "2026-11-24T12:01:00Z",
        "undid tags",
    )
    assert entry.changes == {"tags": [["pain"], []]}
    assert first.history[-2].undone

    assert queue.undo(qid).priority == 1
    assert queue.undo(qid).priority == 0
    with pytest.raises(RuleViolation, match=f"question #{qid} has no change to undo"):
        queue.undo(qid)
    assert [e.action for e in queue.get(qid).history] == [
        "received",
        "priority",
        "priority",
        "tags",
        "undo",
        "undo",
        "undo",
    ]


def test_undo_with_nothing_to_undo(queue, qid):
    before = queue.get(qid)
    with pytest.raises(RuleViolation, match="no change to undo"):
        queue.undo(qid)
    assert unchanged(queue, qid, before)


def test_undo_of_a_co_hosts_change_must_be_deliberate(queue, jordan, qid):
    queue.set_notes(qid, "check the trials")
    with pytest.raises(RuleViolation, match="was Austin's \\(notes\\)"):
        jordan.undo(qid)
    assert queue.get(qid).notes == "check the trials"


def test_undoing_a_co_hosts_last_change_leaves_mine_after_it(queue, jordan, qid):
    # Jordan declines; then I save my draft: U undoes Jordan's decline, not my draft
    jordan.decline(qid, "off topic")
    queue.save_draft(qid, "My take.")
    back = queue.undo(qid, theirs=True)
    assert (back.status, back.decline_reason) == (S.NEW, None)
    assert back.drafts["austin"].text == "My take."
    assert (last(back).host, last(back).note) == ("austin", "undid decline")


def test_a_co_hosts_change_i_changed_again_is_not_undone_under_me(queue, jordan, qid):
    jordan.set_notes(qid, "theirs")
    queue.set_notes(qid, "mine on top")
    with pytest.raises(RuleViolation, match=r"notes changed again since Jordan's notes \(by you"):
        queue.undo(qid, theirs=True)
    assert queue.get(qid).notes == "mine on top"
    mine = queue.add(make("Creatine?", source=Source(kind="manual"))).id
    queue.set_priority(mine, 2)
    with pytest.raises(RuleViolation, match=r"no co-host.s change to undo \(u undoes yours"):
        queue.undo(mine, theirs=True)


def test_undo_is_logged_under_whoever_undid(queue, jordan, qid):
    queue.set_notes(qid, "check the trials")
    undone = jordan.undo(qid, anyone=True)
    assert undone.notes == ""
    assert (last(undone).host, last(undone).note) == ("jordan", "undid notes")


def test_undo_of_a_decline_and_of_an_answer(queue, qid):
    queue.decline(qid, "off topic")
    back = queue.undo(qid)
    assert (back.status, back.decline_reason) == (S.NEW, None)
    queue.set_answer(qid, "Yes.")
    assert queue.undo(qid).answer is None


# -- reopening -----------------------------------------------------------------------------------


def test_reopening_after_answering_works_and_is_logged(queue, qid, clock):
    queue.take(qid)
    queue.set_status(qid, "drafting")
    queue.save_draft(qid, "Small trials suggest it may help.")
    queue.set_answer(qid)
    queue.set_status(qid, "ready")
    queue.set_status(qid, "answered")
    clock.advance(days=1)

    reopened = queue.set_status(qid, "drafting")

    assert entry_of(reopened) == (
        "reopen",
        "austin",
        "2026-11-25T12:00:00Z",
        {"status": ["answered", "drafting"]},
    )
    assert reopened.answer.text == "Small trials suggest it may help."
    assert queue.set_status(qid, "ready").status is S.READY
    assert queue.set_status(qid, "answered").status is S.ANSWERED


def test_reopening_a_declined_question_is_logged_as_reopen(queue, qid):
    queue.decline(qid, "off topic")
    assert last(queue.set_status(qid, "triaged")).action == "reopen"


# -- concurrent edits ----------------------------------------------------------------------------


def test_a_stale_expected_revision_is_refused_and_nothing_changes(queue, jordan, qid):
    seen = queue.get(qid)
    jordan.set_priority(qid, 3)
    current = queue.get(qid)

    with pytest.raises(StaleRevision, match=r"changed by Jordan \(priority\)") as refused:
        queue.set_priority(qid, 1, expected_revision=seen.revision)
    assert "nothing was overwritten" in str(refused.value)
    assert unchanged(queue, qid, current)
    assert current.priority == 3


@pytest.mark.parametrize(
    "operation",
    [
        lambda q, i, r: q.assign(i, "austin", expected_revision=r),
        lambda q, i, r: q.take(i, expected_revision=r),
        lambda q, i, r: q.set_status(i, "triaged", expected_revision=r),
        lambda q, i, r: q.tag(i, add=["pain"], expected_revision=r),
        lambda q, i, r: q.set_notes(i, "x", expected_revision=r),
        lambda q, i, r: q.set_credit(i, "full", expected_revision=r),
        lambda q, i, r: q.save_draft(i, "x", expected_revision=r),
        lambda q, i, r: q.set_answer(i, "x", expected_revision=r),
        lambda q, i, r: q.add_reference(i, "x", expected_revision=r),
        lambda q, i, r: q.decline(i, "x", expected_revision=r),
        lambda q, i, r: q.mark_duplicate(i, 1, expected_revision=r),
        lambda q, i, r: q.snooze(i, "next friday", expected_revision=r),
        lambda q, i, r: q.add_to_episode(i, 12, "00:01:00", expected_revision=r),
        lambda q, i, r: q.undo(i, expected_revision=r, anyone=True),
    ],
)
def test_every_change_checks_the_expected_revision(queue, jordan, operation):
    queue.add(make("Original"))
    qid = queue.add(make()).id
    queue.save_episode(12)
    queue.set_priority(qid, 1)  # something to undo
    seen = queue.get(qid).revision
    jordan.set_priority(qid, 2)
    original, current = queue.get(1), queue.get(qid)

    with pytest.raises(StaleRevision):
        operation(queue, qid, seen)

    assert unchanged(queue, qid, current)
    assert unchanged(queue, 1, original)
    assert queue.episode(12).question_ids == []
    operation(queue, qid, current.revision)  # the fresh revision goes through


def test_the_returned_revision_is_the_stored_one(queue, qid):
    changed = queue.set_priority(qid, 1)
    assert changed.revision == queue.get(qid).revision == 2
    assert queue.set_notes(qid, "x", expected_revision=changed.revision).revision == 3


# -- hosts ---------------------------------------------------------------------------------------


def test_hosts_add_remove_and_check(queue):
    assert [(h.id, h.name) for h in queue.hosts()] == [("austin", "Austin"), ("jordan", "Jordan")]
    sam = queue.add_host("  Sam ", None)
    assert (sam.id, sam.name) == ("sam", "Sam")
    queue.add_host("sam", "Samantha Reyes")
    assert [(h.id, h.name) for h in queue.hosts()][-1] == ("sam", "Samantha Reyes")
    assert len(queue.hosts()) == 3
    assert queue.host_name("sam") == "Samantha Reyes"
    assert queue.host_name("nobody") == "nobody"
    assert queue.check_host("sam") == "sam"

    queue.remove_host("sam")
    assert [h.id for h in queue.hosts()] == ["austin", "jordan"]
    with pytest.raises(BadInput, match="no host 'sam'; hosts are: austin, jordan"):
        queue.check_host("sam")
    with pytest.raises(BadInput, match="no host 'sam'"):
        queue.remove_host("sam")


@pytest.mark.parametrize("host_id", ["two words", "sam!", "", "9lives"])
def test_a_host_id_is_one_short_word(queue, host_id):
    with pytest.raises(BadInput, match="one short word"):
        queue.add_host(host_id)


def test_check_host_with_no_hosts_says_how_to_add_one(store, clock):
    empty = QuestionQueue(store, me="austin", clock=clock, zone=UTC)
    with pytest.raises(BadInput, match="there are no hosts yet"):
        empty.check_host("austin")


def test_a_hosts_short_name_is_their_first_unless_another_host_shares_it(queue):
    queue.add_host("hannah", "Hannah Host")
    queue.add_host("hank", "Hannah Kim")
    queue.add_host("cory", "Cory Cohost")
    assert queue.short_host_name("cory") == "Cory"
    assert queue.short_host_name("hannah") == "Hannah Host"  # two Hannahs: the whole name
    assert queue.short_host_name("austin") == "Austin"
