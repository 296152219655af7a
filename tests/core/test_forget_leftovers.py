"""`qa-queue forget` finishing what an earlier forget left: the quarantine file, her words,
old values in the history of other questions, and the report that says what is left."""

from __future__ import annotations

import json

import pytest

from tests.core.test_forget import CONTACT, IDENTITY, NAME, Built, holding


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


@pytest.fixture
def built(tmp_path, capsys) -> Built:
    return Built(tmp_path, capsys)


def _quarantine(built: Built):
    quarantine = built.folder / "q.json.quarantine"
    head = {"at": "2026-11-20T00:00:00Z", "file": "q.json.journal.1", "offset": 9, "why": "x"}
    part = f"garbled {CONTACT} bytes".encode()
    line = json.dumps({**head, "length": len(part)}).encode()
    quarantine.write_bytes(line + b"\n" + part + b"\n")
    return quarantine


def test_delete_quarantine_with_yes_and_a_relative_db_path(built, monkeypatch):
    """--db as the host typed it (relative): the flag deletes the file it names."""
    quarantine = _quarantine(built)
    monkeypatch.chdir(built.folder)
    code, out, err = built.cli(
        "--db", "q.json", "forget", CONTACT, "--yes", "--questions", "--delete-quarantine"
    )
    assert code == 0 and "Deleted q.json.quarantine" in out and err == ""
    assert not quarantine.exists()
    assert holding(built.files(), IDENTITY) == []


def test_the_quarantine_is_not_blamed_on_another_questions_words(built):
    built.cli("update", "3", "--notes", f"Bob knows {NAME}")
    _quarantine(built)
    code, _out, err = built.cli("forget", CONTACT, "--yes", ok=False)
    assert code == 1 and len(err.strip().splitlines()) == 1
    words = err.index("(the words of #3)")
    assert err.index("q.json.journal") < words < err.index("q.json.quarantine (parts a repair")
    assert "--delete-quarantine" in err
