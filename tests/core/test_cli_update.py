"""`update` with several options is one change: all of it, or nothing when a step is refused;
an episode's time is kept unless a new one is given; what a terminal cannot read is refused."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.helpers import run_cli


@pytest.fixture
def db(capsys, tmp_path, private_home) -> str:
    path = str(tmp_path / "q.json")
    run_cli(capsys, "--db", path, "hosts", "add", "austin")
    run_cli(capsys, "--db", path, "add", "LDN?", "--body", "Does it help?")
    run_cli(capsys, "--db", path, "episodes", "add", "213", "--title", "Pain")
    run_cli(capsys, "--db", path, "--as", "austin", "update", "1", "--take", "--status", "drafting")
    return path


def show(capsys, db: str) -> str:
    return run_cli(capsys, "--db", db, "show", "1")[1]


def test_a_refused_step_leaves_the_whole_update_undone(capsys, db):
    before = show(capsys, db)
    code, _out, err = run_cli(
        capsys, "--db", db, "--as", "austin", "update", "1", "--status", "answered",
        "--episode", "213", "--at", "00:03:00", "--priority", "2",
    )  # fmt: skip
    assert code == 1 and "cannot go from drafting to answered" in err
    assert show(capsys, db) == before  # no episode, no priority, same revision


def test_the_episode_time_is_kept_unless_a_new_one_is_given(capsys, db):
    cli = ("--db", db, "--as", "austin", "update", "1")
    assert run_cli(capsys, *cli, "--episode", "213", "--at", "00:03:00")[0] == 0
    assert run_cli(capsys, *cli, "--episode", "213", "--priority", "2")[0] == 0
    assert "213 at 00:03:00" in show(capsys, db)
    assert run_cli(capsys, *cli, "--at", "00:05:00")[0] == 0  # the episode it is in
    assert "213 at 00:05:00" in show(capsys, db)


def test_at_without_an_episode_says_so(capsys, db):
    code, _out, err = run_cli(capsys, "--db", db, "--as", "austin", "update", "1", "--at", "1:00")
    assert code == 2 and "is in no episode" in err


def test_an_argument_that_is_not_utf8_is_one_line_and_exit_2(capsys, db):
    code, _out, err = run_cli(capsys, "--db", db, "add", "x\udc9b")
    assert code == 2 and err.strip() == "qa-queue: an argument is not valid UTF-8 text: x\\udc9b"


def test_list_keeps_columns_for_wide_characters(capsys, db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    run_cli(
        capsys,
        "--db",
        db,
        "add",
        "筋トレと睡眠の関係について教えてください。毎日六時間しか寝られません",
    )
    run_cli(capsys, "--db", db, "add", "Plain title")
    _code, out, _err = run_cli(capsys, "--db", db, "list", "--status", "new")
    rows = out.splitlines()
    ages = [cell_len(row) - cell_len(row.rstrip().rsplit(" ", 1)[-1]) for row in rows]
    assert len(rows) == 2 and len(set(ages)) == 1  # the last column starts at one place


def test_undo_never_reaches_past_a_forget(capsys, db):
    cli = ("--db", db, "--as", "austin")
    run_cli(capsys, *cli, "update", "1", "--notes", "Listener asked about dosing.")
    run_cli(capsys, "--db", db, "add", "Q", "--listener", "Hannah", "--contact", "h@example.com")
    run_cli(capsys, *cli, "update", "2", "--notes", "call back")
    assert run_cli(capsys, *cli, "forget", "h@example.com", "--yes")[0] == 0
    code, _out, err = run_cli(capsys, *cli, "undo", "2")
    assert code == 1 and "no change to undo" in err
