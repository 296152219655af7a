"""`qa-queue export` as hosts meet it: answered questions only, what was left out on stderr,
a preview with --include-ready, the counts, and private files readable only by you."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest

from tests.helpers import run_cli as run


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


WORKFLOW = ["drafting", "ready", "answered"]


def cli(capsys, db, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--db", db, "--as", "austin", *args)


@pytest.fixture
def db(capsys, tmp_path) -> str:
    """Episode 212: #1 answered at 00:41:05, #2 answered without a time, #3 ready at 00:10:00,
    #4 drafting; episode 211: #5 answered at 00:30:00; #6 answered on the forum."""
    path = str(tmp_path / "q.json")
    assert cli(capsys, path, "hosts", "add", "austin")[0] == 0
    assert cli(capsys, path, "podcast", "Barbell Medicine Q&A")[0] == 0
    for number in (211, 212):
        assert cli(capsys, path, "episodes", "add", str(number))[0] == 0
    plan = [
        ("answered", 212, "00:41:05"),
        ("answered", 212, None),
        ("ready", 212, "00:10:00"),
        ("drafting", 212, None),
        ("answered", 211, "00:30:00"),
        ("answered", None, None),
    ]
    for number, (status, episode, at) in enumerate(plan, 1):
        assert cli(capsys, path, "add", f"Question {number}", "--body", "Why?")[0] == 0
        assert cli(capsys, path, "update", str(number), "--take", "--status", "drafting")[0] == 0
        assert cli(capsys, path, "answer", str(number), f"Answer {number}.")[0] == 0
        for step in WORKFLOW[1 : WORKFLOW.index(status) + 1]:
            assert cli(capsys, path, "update", str(number), "--status", step)[0] == 0
        if episode:
            where = ["--episode", str(episode)] + (["--at", at] if at else [])
            assert cli(capsys, path, "update", str(number), *where)[0] == 0
    return path


def titles(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("## ")]


def test_an_episode_holds_its_answered_questions_and_says_what_it_left_out(capsys, db):
    code, out, err = cli(capsys, db, "export", "--episode", "212")
    assert code == 0
    assert titles(out) == ["## [00:41:05] Question 1", "## Question 2"]
    assert err == "left out #3 (ready, not answered), #4 (drafting, not answered)\n"
    code, out, err = cli(capsys, db, "export", "--episode", "212", "--format", "chapters")
    assert [c["title"] for c in json.loads(out)["chapters"]] == ["Question 1"]
    assert err == (
        "left out #2 (no timestamp), #3 (ready, not answered), #4 (drafting, not answered)\n"
    )


def test_include_ready_previews_the_ready_questions(capsys, db, tmp_path):
    target = tmp_path / "preview.md"
    code, _, err = cli(
        capsys, db, "export", "--episode", "212", "--include-ready", "-o", str(target)
    )
    assert code == 0
    text = target.read_text()
    assert titles(text) == ["## [00:10:00] Question 3", "## [00:41:05] Question 1", "## Question 2"]
    assert "Not yet answered (ready): a preview" in text
    assert err.splitlines() == [
        "left out #4 (drafting, not answered)",
        "preview: #3 not answered yet",
        f"wrote episode 212 (3 questions, markdown) to {target}",
    ]


def test_all_answered_questions_in_air_order(capsys, db):
    code, out, err = cli(capsys, db, "export")
    assert code == 0 and err == ""
    assert titles(out) == [
        "## [Episode 211, 00:30:00] Question 5",
        "## [Episode 212, 00:41:05] Question 1",
        "## [Episode 212] Question 2",
        "## Question 6",
    ]
    code, out, _ = cli(capsys, db, "export", "--format", "csv", "--include-ready")
    rows = csv.DictReader(io.StringIO(out.lstrip("\ufeff")))
    assert [row["id"] for row in rows] == ["5", "3", "1", "2", "6"]


def test_one_question_is_one_question(capsys, db, tmp_path):
    target = tmp_path / "211.md"
    code, _, err = cli(capsys, db, "export", "--episode", "211", "-o", str(target))
    assert code == 0
    assert err == f"wrote episode 211 (1 question, markdown) to {target}\n"
    code, _, err = cli(capsys, db, "export", "--episode", "212", "-o", str(target))
    assert err.splitlines()[-1] == f"wrote episode 212 (2 questions, markdown) to {target}"


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_private_export_is_readable_only_by_you(capsys, db, tmp_path, usual_umask):
    target = tmp_path / "all.csv"
    target.write_text("an older public export")
    os.chmod(target, 0o644)
    code, _, _ = cli(
        capsys, db, "export", "--format", "csv", "--include-private", "-o", str(target)
    )
    assert code == 0 and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes().startswith("\ufeffid,".encode())
    code, _, _ = cli(capsys, db, "export", "--format", "csv", "-o", str(target))
    assert code == 0 and stat.S_IMODE(target.stat().st_mode) == 0o644


def test_an_export_over_a_fifo_is_a_one_line_error(capsys, db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = cli(capsys, db, "export", "-o", str(fifo))
    assert code == 2 and err.strip().endswith(
        "pipe is a FIFO (named pipe), not a file to write an export to"
    )
    assert len(err.strip().splitlines()) == 1
