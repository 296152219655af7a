"""The queue's episode operations the app's episode screen needs: moving a question in the air
order, and taking one out of its episode (undone like any episode change)."""

from __future__ import annotations

import pytest

from qa_queue.errors import NotFound, RuleViolation
from qa_queue.model.question import Question


@pytest.fixture
def planned(queue):
    """Episode 212 with three questions in planning order, none timed yet."""
    queue.save_episode(212, "Lifting under pressure", "2026-11-24")
    for title in ("First", "Second", "Third"):
        added = queue.add(Question(title=title, body="", received_at="2026-11-20T00:00:00Z"))
        queue.add_to_episode(added.id, 212)
    return queue


def test_move_in_episode_changes_the_air_order(planned):
    assert planned.episode(212).question_ids == [1, 2, 3]
    assert planned.move_in_episode(212, 1, 1).question_ids == [2, 1, 3]
    assert planned.episode(212).question_ids == [2, 1, 3]
    planned.move_in_episode(212, 3, -5)  # clamped at the top
    assert planned.episode(212).question_ids == [3, 2, 1]
    planned.move_in_episode(212, 1, 1)  # already last: nothing changes
    assert planned.episode(212).question_ids == [3, 2, 1]
    history = planned.get(1).history
    assert [h.action for h in history] == ["received", "episode"]  # episodes keep no history


def test_move_in_episode_refuses_strangers(planned):
    planned.save_episode(213)
    with pytest.raises(NotFound, match="not in episode 213"):
        planned.move_in_episode(213, 1, 1)
    with pytest.raises(NotFound, match="no episode 299"):
        planned.move_in_episode(299, 1, 1)


def test_remove_from_episode_and_undo_it(planned):
    planned.add_to_episode(2, 212, "00:41:05")
    taken = planned.remove_from_episode(2)
    assert (taken.episode, taken.timestamp, taken.answered_on) == (None, None, None)
    assert planned.episode(212).question_ids == [1, 3]
    with pytest.raises(RuleViolation, match="in no episode"):
        planned.remove_from_episode(2)
    back = planned.undo(2)
    assert (back.episode, back.timestamp) == (212, "00:41:05")
    assert 2 in planned.episode(212).question_ids


def test_two_questions_at_one_time_in_an_episode_are_pointed_out(capsys, tmp_path):
    from tests.helpers import run_cli

    db = str(tmp_path / "q.json")
    run_cli(capsys, "--db", db, "hosts", "add", "austin", "Austin")
    run_cli(capsys, "--db", db, "episodes", "add", "212", "--title", "Pain")
    for title in ("One?", "Two?"):
        run_cli(capsys, "--db", db, "--as", "austin", "add", title, "--body", title)
    run_cli(
        capsys, "--db", db, "--as", "austin", "update", "1", "--episode", "212", "--at", "41:05"
    )
    code, out, _ = run_cli(
        capsys, "--db", db, "--as", "austin", "update", "2", "--episode", "212", "--at", "00:41:05"
    )
    assert code == 0
    assert "note: #2 and #1 are both at 00:41:05 in episode 212" in out
