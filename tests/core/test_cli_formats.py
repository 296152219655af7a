"""Every import format and every export format, through the command line, on the fixtures."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers import DEMO, FIXTURES, SEED, run_cli


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


run = run_cli


@pytest.mark.parametrize(
    ("fixture", "count"),
    [
        ("google_form.csv", None),
        ("typeform.csv", None),
        ("listener_mail.mbox", None),
        ("single_message.eml", 1),
        ("forum_thread.md", 1),
        ("questions.jsonl", None),
    ],
)
def test_each_fixture_imports_once(capsys, tmp_path, fixture, count):
    db = str(tmp_path / "q.json")
    code, out, err = run(capsys, "--db", db, "import", str(FIXTURES / fixture))
    assert code == 0, err
    added = int(out.split("added ")[1].split()[0])
    assert added >= 1 and (count is None or added == count)
    code, out, _ = run(capsys, "--db", db, "import", str(FIXTURES / fixture))
    assert code == 0 and "added 0" in out and f"skipped {added}" in out
    listed = json.loads(run(capsys, "--db", db, "list", "--json", "--view", "All")[1])
    assert len(listed) == added


@pytest.fixture
def demo_db(capsys, tmp_path) -> str:
    db = str(tmp_path / "demo.json")
    assert run(capsys, "--db", db, "demo")[0] == 0
    return db


def test_markdown_show_notes_for_an_episode(capsys, demo_db):
    code, out, _ = run(capsys, "--db", demo_db, "export", "--episode", "211")
    assert code == 0
    assert out.startswith("# Barbell Medicine Q&A")
    assert "[00:06:30]" in out and "Creatine and my kidney labs" in out
    assert "@example" not in out  # no listener contact


def test_chapters_are_podcasting_2_json(capsys, demo_db, tmp_path):
    target = tmp_path / "211.chapters.json"
    code, _, err = run(
        capsys,
        "--db",
        demo_db,
        "export",
        "--episode",
        "211",
        "--format",
        "chapters",
        "-o",
        str(target),
    )
    assert code == 0 and "wrote episode 211" in err
    chapters = json.loads(target.read_text())
    assert chapters["version"] == "1.2.0"
    starts = [c["startTime"] for c in chapters["chapters"]]
    assert starts == sorted(starts) and all(isinstance(s, float | int) for s in starts)
    assert chapters["chapters"][0]["title"]


def test_html_csv_and_json_exports(capsys, demo_db, tmp_path):
    code, out, _ = run(capsys, "--db", demo_db, "export", "--format", "html")
    assert code == 0 and out.lstrip().lower().startswith("<!doctype html>")
    assert "<script>" not in out
    target = tmp_path / "answered.csv"
    assert run(capsys, "--db", demo_db, "export", "--format", "csv", "-o", str(target))[0] == 0
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows and {"title", "timestamp", "answer"} <= set(rows[0])
    code, out, _ = run(capsys, "--db", demo_db, "export", "--format", "json")
    exported = json.loads(out)
    assert exported["questions"] and all(
        "contact" not in json.dumps(q) for q in exported["questions"]
    )


def test_export_then_import_round_trips_through_json(capsys, demo_db, tmp_path):
    dump = tmp_path / "all.json"
    run(capsys, "--db", demo_db, "export", "--format", "json", "--include-private", "-o", str(dump))
    other = str(tmp_path / "other.json")
    # the export names hosts; a database that does not have them refuses those questions
    code, _, err = run(capsys, "--db", other, "import", str(dump))
    assert code == 2 and "host 'austin' is not one of the show's hosts" in err
    for host in ("austin", "jordan"):
        run(capsys, "--db", other, "hosts", "add", host, host.title())
    code, _, err = run(capsys, "--db", other, "import", str(dump))
    assert code == 0, err
    original = json.loads(
        run(capsys, "--db", demo_db, "list", "--json", "-q", "status:answered")[1]
    )
    copied = json.loads(run(capsys, "--db", other, "list", "--json", "-q", "status:answered")[1])
    assert sorted(q["title"] for q in copied) == sorted(q["title"] for q in original)


def test_demo_file_imports_with_its_duplicate_linked(capsys, tmp_path):
    db = str(tmp_path / "q.json")
    _, _, err = run(capsys, "--db", db, "import", str(DEMO))
    assert "the question it duplicates was rejected" in err  # its original has a host
    for host in ("austin", "jordan"):
        run(capsys, "--db", db, "hosts", "add", host, host.title())
    assert run(capsys, "--db", db, "import", str(DEMO), str(SEED))[0] == 0
    duplicates = json.loads(run(capsys, "--db", db, "list", "--json", "--status", "duplicate")[1])
    assert len(duplicates) == 1 and duplicates[0]["duplicate_of"] is not None


def test_unknown_export_format_and_episode_are_one_line_errors(capsys, demo_db):
    code, _, err = run(capsys, "--db", demo_db, "export", "--episode", "999")
    assert code != 0 and "no episode 999" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--db", demo_db, "export", "--format", "pdf")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "'pdf'" in err


def test_a_large_export_is_imported_in_batches(capsys, tmp_path, monkeypatch):
    """Files over STREAM_FROM are read as they go and committed a batch at a time."""
    import qa_queue.importers as importers

    monkeypatch.setattr(importers, "STREAM_FROM", 0)
    db = str(tmp_path / "q.json")
    code, out, err = run(capsys, "--db", db, "import", str(FIXTURES / "google_form.csv"))
    assert code == 0
    assert "added 3" in out and "rejected 1" in out and "row 4" in err
    code, out, _ = run(capsys, "--db", db, "import", str(FIXTURES / "google_form.csv"))
    assert "added 0" in out and "skipped 3" in out
