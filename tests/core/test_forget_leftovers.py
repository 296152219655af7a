"""`qa-queue forget` finishing what an earlier forget left: the quarantine file, her words,
old values in the history of other questions, and the report that says what is left."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_queue.erasure import Who, _contact, _name
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


def test_a_name_stored_decomposed_is_found_typed_composed(built):
    decomposed = "Zoe\u0308 Ma\u0308rz"
    built.cli("add", "Knee", "--body", "My knee hurts", "--listener", decomposed)  # 5
    built.cli("update", "3", "--notes", f"Bob knows {decomposed}")
    code, out, _err = built.cli("forget", "ZOË  märz", "--yes", ok=False)
    assert "#5" in out and code == 1  # #3's note still names her (in the same form)
    files = built.files()
    assert holding(files, [decomposed]) != [] and built.questions()[5]["listener"]["name"] == ""
    assert "Bob knows [removed]" not in str(built.questions()[3])  # listed, not changed


@given(
    name=st.text(
        st.characters(whitelist_categories=("Lu", "Ll", "Mn", "Zs")), min_size=1, max_size=12
    ).filter(lambda t: t.strip() and _name(t.upper()) == _name(t))  # not "ı": its I is i's
)
def test_names_and_contacts_match_in_any_normal_form_and_case(name):
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        typed = unicodedata.normalize(form, name).upper()
        target = Who(typed, frozenset({_name(typed)}), frozenset({_contact(typed)}))
        assert target.is_them({"name": name, "contact": ""})
        assert target.is_them({"name": "", "contact": f" {name} "})
