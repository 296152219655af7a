"""`qa-queue forget` finishing what an earlier forget left: the quarantine file, her words,
old values in the history of other questions, and the report that says what is left."""

from __future__ import annotations

import json
import shlex
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_queue.erasure import REMOVED, Who, _contact, _name
from tests.core.test_forget import CONTACT, IDENTITY, NAME, PHRASES, Built, holding


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


def test_old_values_in_another_questions_history_are_scrubbed(built):
    """A host's note naming her, edited away before the forget: its old text goes from
    the history (masked) and from every file; the note as it is now stays the hosts'."""
    built.cli("update", "3", "--notes", f"Bob knows {NAME}")
    built.cli("update", "3", "--notes", "same as #1")
    assert holding(built.files(), [NAME]) != []
    _code, out, err = built.cli("forget", CONTACT, "--yes")
    assert "history of #3" in out and err == ""
    assert holding(built.files(), IDENTITY) == []
    bob = built.questions()[3]
    assert bob["notes"] == "same as #1" and bob["listener"]["name"] == "Bob Stone"
    notes = [e["changes"]["notes"] for e in bob["history"] if "notes" in e.get("changes", {})]
    assert notes[-2:] == [
        ["ask Jordan", "Bob knows [removed]"],
        ["Bob knows [removed]", "same as #1"],
    ]
    assert bob["history"][-1]["action"] == "forget" and NAME not in bob["history"][-1]["note"]


def test_a_later_forget_finishes_what_the_first_left(built, tmp_path):
    """Forgotten without --questions while a note, a saved reply and the quarantine name
    her: the report says what is left and the command that takes it out, which works once
    the hosts edited their words."""
    quarantine = _quarantine(built)
    built.cli("update", "3", "--notes", f"Bob knows {NAME}")
    reply = tmp_path / "reply.txt"
    reply.write_text(f"Thanks {NAME} for asking", encoding="utf-8")
    built.cli("replies", "add", "thanks", "--file", str(reply))
    code, out, err = built.cli("forget", CONTACT, "--yes", ok=False)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "Their words stay in #1, #2" in out and "saved reply 'thanks'" in out
    assert "saved reply 'thanks'" in err and "(the words of #3" in err
    line = next(x for x in out.splitlines() if x.startswith("To take out what is left"))
    command = shlex.split(line.split(": ", 1)[1])
    assert command[:3] == ["qa-queue", "--db", built.db] and command[3] == "forget"
    assert {"#1", "#2", "--questions", "--delete-quarantine", CONTACT} <= set(command)
    # a second forget by her address alone can no longer tell her questions: it says which
    # questions an earlier forget left words in, and how to name them
    code, _out, err = built.cli("forget", CONTACT, "--questions", "--yes", ok=False)
    assert code == 2 and "#1, #2" in err and "'#1' '#2' --questions" in err
    code, _out, err = built.cli("forget", "#1", "--yes", ok=False)
    assert code == 2 and "forgotten already" in err and "--questions" in err
    built.cli("update", "3", "--notes", "ask Jordan")
    built.cli("replies", "remove", "thanks")
    code, out, err = built.cli(*command[3:], "--yes")
    assert "Deleted q.json.quarantine" in out and err == "" and not quarantine.exists()
    assert holding(built.files(), [*IDENTITY, *PHRASES[:2]]) == []
    questions = built.questions()
    assert questions[1]["title"] == questions[2]["body"] == REMOVED
    assert questions[1]["drafts"] == {} and questions[2]["answer"]["text"].startswith("Ask your")


def test_by_number_alone_takes_the_words_an_earlier_forget_left(built):
    built.cli("forget", CONTACT, "--yes")
    built.cli("forget", "#2", "--questions", "--yes")
    questions = built.questions()
    assert questions[2]["body"] == REMOVED and questions[1]["body"] != REMOVED
    assert [e["action"] for e in questions[2]["history"]][-2:] == ["forget", "forget"]
