"""The command line as scripts and people meet it: commands, output, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import SEED, run_cli


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


run = run_cli


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "q.json")


@pytest.fixture
def with_hosts(capsys, db):
    for host in ("austin", "jordan"):
        assert run(capsys, "--db", db, "hosts", "add", host)[0] == 0
    return db


def test_import_seed_then_list_shows_it_new_and_second_import_adds_nothing(capsys, db):
    code, out, _ = run(capsys, "--db", db, "import", str(SEED))
    assert code == 0
    assert "added 1" in out
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    listed = json.loads(out)
    assert [(q["title"], q["status"]) for q in listed] == [
        ("Low Dose Naltrexone for Chronic Pain?", "new")
    ]
    code, out, _ = run(capsys, "--db", db, "import", str(SEED))
    assert code == 0
    assert "added 0" in out and "skipped 1" in out
    assert len(json.loads(run(capsys, "--db", db, "list", "--json")[1])) == 1


def test_bad_file_gives_one_line_and_nonzero_exit(capsys, db, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"questions": [ {"title": ')
    code, _out, err = run(capsys, "--db", db, "import", str(bad))
    assert code != 0
    assert len(err.strip().splitlines()) == 1
    assert "broken.json" in err
    assert "Traceback" not in err
    missing = tmp_path / "nope.txt"
    code, _, err = run(capsys, "--db", db, "import", str(missing))
    assert code != 0 and len(err.strip().splitlines()) == 1 and "nope.txt" in err


def test_foreign_database_is_refused_and_left_untouched(capsys, tmp_path):
    foreign = tmp_path / "other.json"
    foreign.write_text('{"_default": {"1": {"name": "not ours"}}}')
    before = foreign.read_bytes()
    code, _, err = run(capsys, "--db", str(foreign), "list")
    assert code != 0
    assert "not a qa-queue database" in err and len(err.strip().splitlines()) == 1
    assert foreign.read_bytes() == before


def test_unknown_question_and_bad_values_are_one_line_errors(capsys, with_hosts):
    db = with_hosts
    for args in (
        ("show", "99"),
        ("update", "99", "--priority", "2"),
        ("list", "--query", "colour:blue"),
        ("list", "--query", 'unbalanced "quote'),
    ):
        code, _, err = run(capsys, "--db", db, *args)
        assert code != 0, args
        assert len(err.strip().splitlines()) == 1, (args, err)
        assert "Traceback" not in err


def test_the_whole_life_of_a_question(capsys, with_hosts):
    db = with_hosts
    assert run(capsys, "--db", db, "import", str(SEED))[0] == 0
    steps = [
        (
            "--as",
            "austin",
            "update",
            "1",
            "--tag",
            "pain",
            "--tag",
            "Fibromyalgia",
            "--priority",
            "2",
        ),
        ("--as", "austin", "update", "1", "--take", "--status", "drafting"),
        ("--as", "austin", "draft", "1", "LDN has small, short trials behind it."),
        ("--as", "jordan", "draft", "1", "Jordan's take."),
        ("--as", "austin", "answer", "1", "--from-draft", "--ref", "INNOVA protocol|10.1136/x"),
        ("--as", "austin", "update", "1", "--status", "ready"),
        ("episodes", "add", "212", "--title", "Pain", "--air-date", "2026-11-24"),
        ("--as", "austin", "update", "1", "--episode", "212", "--at", "00:41:05"),
        ("--as", "austin", "update", "1", "--status", "answered"),
    ]
    for step in steps:
        code, out, err = run(capsys, "--db", db, *step)
        assert code == 0, (step, out, err)
    shown = json.loads(run(capsys, "--db", db, "show", "1", "--json")[1])
    assert shown["status"] == "answered"
    assert shown["tags"] == ["pain", "fibromyalgia"]
    assert shown["host"] == "austin"
    assert set(shown["drafts"]) == {"austin", "jordan"}
    assert shown["answer"]["text"].startswith("LDN has small")
    assert shown["references"][0]["url"] == "10.1136/x"
    assert (shown["episode"], shown["timestamp"]) == (212, "00:41:05")
    code, out, _ = run(capsys, "--db", db, "show", "1")
    assert "Austin's draft" in out and "History:" in out
    code, out, _ = run(capsys, "--db", db, "--as", "jordan", "undo", "1")
    assert code != 0
    code, out, _ = run(capsys, "--db", db, "--as", "austin", "undo", "1")
    assert code == 0 and "undid status" in out
    assert json.loads(run(capsys, "--db", db, "show", "1", "--json")[1])["status"] == "ready"


def test_workflow_refusal_says_why(capsys, with_hosts):
    db = with_hosts
    run(capsys, "--db", db, "import", str(SEED))
    code, _, err = run(capsys, "--db", db, "update", "1", "--priority", "1")
    assert code != 0 and "which host you are" in err
    code, _, err = run(capsys, "--db", db, "--as", "austin", "update", "1", "--status", "drafting")
    assert code != 0
    assert "assign a host first" in err


def test_stale_revision_is_refused(capsys, with_hosts):
    db = with_hosts
    run(capsys, "--db", db, "import", str(SEED))
    run(capsys, "--db", db, "--as", "jordan", "update", "1", "--priority", "1")
    code, _, err = run(
        capsys, "--db", db, "--as", "austin", "update", "1", "--priority", "3", "--revision", "1"
    )
    assert code == 3
    assert "changed by" in err and "nothing was overwritten" in err


def test_who_am_i_is_remembered(capsys, with_hosts):
    db = with_hosts
    run(capsys, "--db", db, "import", str(SEED))
    code, _, err = run(capsys, "--db", db, "draft", "1", "text")
    assert code != 0 and "--as HOST" in err
    assert run(capsys, "--db", db, "whoami", "jordan")[0] == 0
    assert run(capsys, "--db", db, "draft", "1", "text")[0] == 0
    assert run(capsys, "--db", db, "whoami")[1].strip() == "jordan"
    code, _, err = run(capsys, "--db", db, "--as", "nobody", "list")
    assert code != 0 and "no host 'nobody'" in err


def test_add_list_filters_and_snooze(capsys, with_hosts):
    db = with_hosts
    run(capsys, "--db", db, "add", "Knee pain squatting", "--body", "It hurts", "--tag", "knee")
    run(capsys, "--db", db, "add", "Creatine", "--body", "Kidneys?", "--priority", "3")
    listed = json.loads(run(capsys, "--db", db, "list", "--tag", "knee", "--json")[1])
    assert [q["title"] for q in listed] == ["Knee pain squatting"]
    listed = json.loads(run(capsys, "--db", db, "list", "-q", "kidneys", "--json")[1])
    assert [q["title"] for q in listed] == ["Creatine"]
    assert (
        run(capsys, "--db", db, "--as", "austin", "update", "2", "--snooze", "in 2 weeks")[0] == 0
    )
    titles = [q["title"] for q in json.loads(run(capsys, "--db", db, "list", "--json")[1])]
    assert titles == ["Knee pain squatting"]
    snoozed = json.loads(run(capsys, "--db", db, "list", "--view", "snoozed", "--json")[1])
    assert [q["title"] for q in snoozed] == ["Creatine"]


def test_listener_text_cannot_drive_the_terminal(capsys, with_hosts):
    db = with_hosts
    run(capsys, "--db", db, "add", "Evil \x1b[31mred", "--body", "[bold]x[/] \x1b]0;pwned\x07")
    _, out, _ = run(capsys, "--db", db, "list")
    assert "\x1b" not in out and "␛[31mred" in out
    _, out, _ = run(capsys, "--db", db, "show", "1")
    assert "\x1b" not in out and "\x07" not in out and "[bold]x[/]" in out


def test_default_database_gets_the_demo_queue(capsys, tmp_path):
    default = tmp_path / "data-home" / "qa-queue" / "queue.json"
    # a command that only reads makes no queue; the app (here without a terminal: its
    # summary) opens a new one filled with the demo
    code, _, err = run(capsys, "list")
    assert code == 4 and "no queue yet" in err and "qa-queue import FILE" in err
    assert not default.exists()
    assert run(capsys)[0] == 0
    code, out, _ = run(capsys, "list", "--json", "--view", "all")
    assert code == 0
    titles = [q["title"] for q in json.loads(out)]
    assert "Low Dose Naltrexone for Chronic Pain?" in titles
    assert len(titles) >= 10
    assert default.exists()
    assert default.stat().st_mode & 0o777 == 0o600
    # the demo is loaded once: a second run adds nothing
    again = json.loads(run(capsys, "list", "--json", "--view", "all")[1])
    assert len(again) == len(titles)


def test_a_first_import_into_the_default_database_holds_only_the_shows_questions(capsys):
    from tests.helpers import FIXTURES

    code, out, _ = run(capsys, "import", str(FIXTURES / "google_form.csv"))
    assert code == 0 and "added 3" in out
    listed = json.loads(run(capsys, "list", "--json", "--view", "all")[1])
    assert len(listed) == 3  # no demo listeners among the show's own
    assert "Low Dose Naltrexone for Chronic Pain?" not in [q["title"] for q in listed]
    assert run(capsys, "hosts", "list")[0] == 0


def test_runs_as_a_module_without_a_terminal(tmp_path):
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "qa_queue"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Inbox" in done.stdout and "Naltrexone" in done.stdout


def test_an_address_typed_as_the_listeners_name_is_their_contact(capsys, tmp_path):
    db = str(tmp_path / "q.json")
    code, _out, _err = run_cli(
        capsys, "--db", db, "add", "Sauna?", "--body", "Sauna?", "--listener", "sam.w@example.org"
    )
    assert code == 0
    code, out, _err = run_cli(capsys, "--db", db, "show", "1", "--json")
    listener = json.loads(out)["listener"]
    assert (listener["name"], listener["contact"]) == ("", "sam.w@example.org")
