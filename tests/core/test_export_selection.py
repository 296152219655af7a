"""What an export holds: answered questions only (ready ones too in a preview), in air order,
the ones it leaves out and why, and how many listeners asked."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.exporters import FORMATS, ShowNotes, export, exported
from qa_queue.exporters.selection import LeftOut, left_out_line, select
from qa_queue.model.question import Answer, Credit, Episode, Listener, Question, Status
from tests.helpers import answered

SHOW_NOTES_AND_DATA = [fmt for fmt in FORMATS if fmt != "chapters"]


def asked(qid: int, status: Status, timestamp: str | None = None, **fields) -> Question:
    return answered(qid, f"Question {qid}", timestamp, status=status, **fields)


@pytest.fixture
def episode_notes() -> ShowNotes:
    """Episode 212 as planned: #7 drafting, #4 answered at 00:20:00, #9 answered but untimed,
    #6 ready at 00:30:00, #2 answered at 00:05:00, #8 new."""
    questions = [
        asked(7, Status.DRAFTING, "00:10:00", answer=None),
        asked(4, Status.ANSWERED, "00:20:00"),
        asked(9, Status.ANSWERED),
        asked(6, Status.READY, "00:30:00"),
        asked(2, Status.ANSWERED, "00:05:00"),
        asked(8, Status.NEW, answer=None),
    ]
    episode = Episode(212, "Lifting", "2026-11-24", [7, 4, 9, 6, 2, 8])
    return ShowNotes("P", questions, episode, hosts={"austin": "Austin"})


def ids_in(text: str) -> list[int]:
    """The questions of a markdown export, in the order it lists them."""
    return [int(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("## ")]


def test_an_untimed_question_stays_where_the_host_put_it_in_the_running_order():
    questions = [
        asked(2, Status.ANSWERED, "00:05:00"),
        asked(9, Status.ANSWERED),
        asked(4, Status.ANSWERED, "00:20:00"),
    ]
    notes = ShowNotes("P", questions, Episode(212, "L", None, [2, 9, 4]), hosts={})
    assert ids_in(exported("markdown", notes).text) == [2, 9, 4]
    data = json.loads(exported("json", notes).text)
    assert [q["id"] for q in data["questions"]] == data["episode"]["question_ids"] == [2, 9, 4]
    chapters = json.loads(exported("chapters", notes).text)["chapters"]
    assert [c["startTime"] for c in chapters] == [300.0, 1200.0]  # times ascending, as ever


def test_show_notes_hold_answered_questions_in_timestamp_order_untimed_last(episode_notes):
    done = exported("markdown", episode_notes)
    assert ids_in(done.text) == [2, 4, 9]
    assert "## Question 9" in done.text  # listed, without a time
    assert done.count == 3
    assert done.left_out == [
        LeftOut(6, "ready, not answered"),
        LeftOut(7, "drafting, not answered"),
        LeftOut(8, "new, not answered"),
    ]
    assert done.left_out_line == (
        "left out #6 (ready, not answered), #7 (drafting, not answered), #8 (new, not answered)"
    )
    assert "Not yet answered" not in done.text


def test_chapters_also_leave_out_answered_questions_without_a_timestamp(episode_notes):
    done = exported("chapters", episode_notes)
    starts = [chapter["startTime"] for chapter in json.loads(done.text)["chapters"]]
    assert starts == [300.0, 1200.0]
    assert done.count == 2
    assert left_out_line(done.left_out) == (
        "left out #6 (ready, not answered), #7 (drafting, not answered), "
        "#8 (new, not answered), #9 (no timestamp)"
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_data_formats_hold_the_same_questions_as_the_show_notes(episode_notes, fmt):
    done = exported(fmt, episode_notes)
    if fmt == "json":
        held = [q["id"] for q in json.loads(done.text)["questions"]]
    else:
        held = [int(r["id"]) for r in csv.DictReader(io.StringIO(done.text.lstrip("\ufeff")))]
    assert held == [2, 4, 9]
    assert [q.id for q in done.left_out] == [6, 7, 8]


def test_a_preview_includes_ready_questions_marked_not_yet_answered(episode_notes):
    episode_notes.include_ready = True
    done = exported("markdown", episode_notes)
    assert ids_in(done.text) == [2, 4, 6, 9]
    assert done.previews == [6]
    ready_part = done.text.split("## [00:30:00] Question 6")[1].split("## ")[0]
    assert ready_part.startswith("\n\nNot yet answered (ready): a preview\n")
    assert done.text.count("Not yet answered") == 1
    assert [q.id for q in done.left_out] == [7, 8]
    page = export("html", episode_notes)
    assert "<p>Not yet answered (ready): a preview</p>" in page
    rows = list(csv.DictReader(io.StringIO(export("csv", episode_notes).lstrip("\ufeff"))))
    assert [(r["id"], r["status"]) for r in rows] == [
        ("2", "answered"),
        ("4", "answered"),
        ("6", "ready"),
        ("9", "answered"),
    ]
    assert [c["startTime"] for c in json.loads(export("chapters", episode_notes))["chapters"]] == [
        300.0,
        1200.0,
        1800.0,
    ]


def test_all_answered_questions_go_by_episode_then_time_untimed_and_unaired_last():
    questions = [
        asked(1, Status.ANSWERED, None, episode=None),  # answered on the forum
        asked(2, Status.ANSWERED, "00:40:00", episode=212),
        asked(3, Status.ANSWERED, "00:05:00", episode=212),
        asked(4, Status.ANSWERED, None, episode=211),
        asked(5, Status.ANSWERED, "00:50:00", episode=211),
        asked(6, Status.ANSWERED, "00:01:00", episode=213),
    ]
    text = export("markdown", ShowNotes("P", questions))
    assert ids_in(text) == [5, 4, 3, 2, 6, 1]
    assert "## [Episode 211, 00:50:00] Question 5" in text
    assert "## [Episode 211] Question 4" in text
    assert "## Question 1" in text
    rows = csv.DictReader(io.StringIO(export("csv", ShowNotes("P", questions)).lstrip("\ufeff")))
    assert [int(r["id"]) for r in rows] == [5, 4, 3, 2, 6, 1]


def test_a_selection_of_questions_keeps_only_the_answered_ones():
    notes = ShowNotes("P", [asked(3, Status.TRIAGED, answer=None), asked(1, Status.ANSWERED)])
    done = exported("json", notes)
    assert [q["id"] for q in json.loads(done.text)["questions"]] == [1]
    assert done.left_out_line == "left out #3 (triaged, not answered)"


def test_untimed_questions_keep_the_episodes_planned_order():
    questions = [asked(qid, Status.ANSWERED) for qid in (5, 3, 8)]
    notes = ShowNotes("P", questions, Episode(212, question_ids=[8, 5, 3]))
    assert [q.id for q in select(notes).questions] == [8, 5, 3]


statuses = st.sampled_from(list(Status))
stamps = st.none() | st.sampled_from(["00:01:00", "00:10:00", "00:41:05", "01:02:03"])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(statuses, stamps), max_size=8),
    st.booleans(),
    st.booleans(),
)
def test_every_question_is_either_held_in_time_order_or_left_out_with_a_reason(
    plan, ready, timed_only
):
    questions = [asked(qid, status, stamp) for qid, (status, stamp) in enumerate(plan, 1)]
    episode = Episode(1, question_ids=[q.id for q in questions])
    chosen = select(ShowNotes("P", questions, episode, include_ready=ready), timed_only=timed_only)
    held = [q.id for q in chosen.questions]
    assert sorted(held + [q.id for q in chosen.left_out]) == [q.id for q in questions]
    wanted = {Status.ANSWERED, Status.READY} if ready else {Status.ANSWERED}
    assert all(q.status in wanted for q in chosen.questions)
    assert all(q.timestamp for q in chosen.questions) or not timed_only
    timed = [q.timestamp for q in chosen.questions if q.timestamp]
    assert timed == sorted(timed)  # HH:MM:SS sorts as text
    assert [q.timestamp for q in chosen.questions if not q.timestamp] == (
        [None] * (len(held) - len(timed))
    )
    assert held[len(timed) :] == sorted(held[len(timed) :])  # untimed: in planned order
    for left in chosen.left_out:
        assert left.why == "no timestamp" or left.why.endswith(", not answered")


# -- how many listeners asked -----------------------------------------------------------------


def test_notes_say_how_many_listeners_asked(episode_notes):
    two = episode_notes.questions[1]  # #4
    two.asked_count = 3
    two.listener = Listener("Bob Stone", credit=Credit.FIRST)
    nine = episode_notes.questions[2]
    nine.asked_count = 2
    nine.listener = Listener("Cy", credit=Credit.ANONYMOUS)
    text = export("markdown", episode_notes)
    assert "Asked by Bob (asked by 3 listeners)\n" in text
    assert "Asked by 2 listeners\n" in text
    assert "Asked by Pat" not in text and text.count("asked by") == 1
    assert "Asked by Bob (asked by 3 listeners)</p>" in export("html", episode_notes)
    data = json.loads(export("json", episode_notes))
    assert [q["asked_count"] for q in data["questions"]] == [1, 3, 2]
    rows = csv.DictReader(io.StringIO(export("csv", episode_notes).lstrip("\ufeff")))
    assert [r["asked_count"] for r in rows] == ["1", "3", "2"]


def test_one_listener_is_just_asked_by(episode_notes):
    text = export("markdown", episode_notes)
    assert "Asked by a listener\n" in text and "listeners" not in text


def test_a_question_answered_without_text_still_counts():
    question = asked(1, Status.ANSWERED, "00:01:00", answer=Answer("", "austin", "x"))
    assert exported("markdown", ShowNotes("P", [question], Episode(1))).count == 1
