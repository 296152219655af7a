"""`qa-queue listener show`: what is held about a listener, found as `forget` finds them,
so the two always agree."""

from __future__ import annotations

import json

import pytest

from tests.core.test_forget import CONTACT, NAME, Built


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


def test_show_lists_what_forget_takes_out_and_what_names_them(tmp_path, capsys):
    built = Built(tmp_path, capsys)
    built.cli("update", "3", "--notes", f"Bob knows {NAME}")
    reply = tmp_path / "reply.txt"
    reply.write_text(f"Thanks {NAME} for asking", encoding="utf-8")
    built.cli("replies", "add", "thanks", "--file", str(reply))
    _code, out, _err = built.cli("listener", "show", CONTACT.upper(), "--json")
    data = json.loads(out)
    assert [q["id"] for q in data["questions"]] == [1, 2]
    assert data["questions"][0]["body"].startswith("My zebra-striped migraine")
    assert data["questions"][1]["answer"]["text"] == "Ask your endocrinologist first."
    assert data["questions"][0]["history"]  # every change, as the hosts made them
    assert data["replies"][0]["question"] == 4
    assert [r["author"] for r in data["replies"][0]["replies"]] == [NAME]
    assert data["named_in"] == {"questions": [3], "other": ["saved reply 'thanks'"]}
    _code, text, _err = built.cli("listener", "show", "  priya   RAMÉ ")
    assert "#1  Migraine and LDN" in text and "Also naming them: #3, saved reply 'thanks'" in text
    code, out, err = built.cli("forget", CONTACT, "--yes", ok=False)
    assert (
        code == 1
        and "in #1, #2." in out
        and "replies in #4" in out
        and "#3" in err
        and "thanks" in err
    )


def test_nobody_is_one_line_and_exit_2(tmp_path, capsys):
    built = Built(tmp_path, capsys)
    code, _out, err = built.cli("listener", "show", "nobody@example.com", ok=False)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "nobody@example.com" in err
