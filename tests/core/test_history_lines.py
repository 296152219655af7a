"""History as hosts read it, in `show` and the app: who · when · field: old -> new, with big
values summarised and nothing a listener typed reaching the terminal as a control."""

from __future__ import annotations

from qa_queue.model.changes import describe, summary
from qa_queue.model.question import HistoryEntry
from tests.helpers import run_cli

NAMES = {"austin": "Austin", "jordan": "Jordan"}.get


def entry(action: str, **changes) -> HistoryEntry:
    return HistoryEntry(at="2026-11-24T12:00:00Z", host="austin", action=action, changes=changes)


def test_a_field_change_reads_who_when_field_old_new():
    line = describe(entry("status", status=["new", "triaged"]), lambda h: NAMES(h, h))
    assert line == "Austin · 2026-11-24 12:00 UTC · status: new -> triaged"


def test_assigning_names_both_hosts():
    assert summary(entry("assign", host=[None, "austin"]), lambda h: NAMES(h, h)) == (
        "host: none -> Austin"
    )
    assert summary(entry("assign", host=["austin", "jordan"])) == "host: austin -> jordan"


def test_tags_read_as_added_and_removed():
    assert summary(entry("tags", tags=[["diet"], ["pain", "sleep"]])) == (
        "tags: +pain +sleep -diet"
    )


def test_references_are_summarised_not_dumped():
    before = [{"title": "Younger 2013", "url": "https://pubmed.ncbi.nlm.nih.gov/23359310"}]
    after = [*before, {"title": "INNOVA trial protocol", "url": "10.1136/bmjopen-2022-061765"}]
    line = summary(entry("reference", references=[before, after]))
    assert line == "references: +'INNOVA trial protocol' (1 -> 2)"
    assert "{" not in line and "http" not in line


def test_answers_and_drafts_are_summarised_with_whose_and_how_long():
    answer = {"text": "Small trials suggest it may help.", "host": "jordan", "answered_at": "x"}
    mine = {"text": "Three words here", "host": "austin", "answered_at": "y"}
    assert summary(entry("answer", answer=[None, answer]), lambda h: NAMES(h, h)) == (
        "answer: written, Jordan's (6 words)"
    )
    assert summary(entry("answer", answer=[answer, mine]), lambda h: NAMES(h, h)) == (
        "answer: Jordan's (6 words) -> Austin's (3 words)"
    )
    drafts = [{}, {"austin": {"text": "one two", "updated_at": "x"}}]
    assert summary(entry("draft", drafts=drafts), lambda h: NAMES(h, h)) == (
        "Austin's draft: 2 words"
    )


def test_a_contact_change_is_never_repeated_in_history():
    before = {"name": "Amara", "contact": "amara@example.com", "credit": "first"}
    after = {"name": "Amara", "contact": "amara.m@example.org", "credit": "full"}
    line = summary(entry("credit", listener=[before, after]))
    assert line == "listener credit: first -> full; listener contact: changed"
    assert "example" not in line


def test_undo_reopen_and_received_read_as_what_happened():
    undo = HistoryEntry(
        at="2026-11-24T12:00:00Z",
        host="austin",
        action="undo",
        changes={"tags": [["pain"], []]},
        note="undid tags",
    )
    assert summary(undo) == "undo: tags: -pain"
    reopen = entry("reopen", status=["declined", "triaged"], decline_reason=["off topic", None])
    assert (
        summary(reopen)
        == "reopened: status: declined -> triaged; decline reason: 'off topic' -> none"
    )
    received = HistoryEntry(
        at="2026-11-24T12:00:00Z", host="import", action="received", note="via email"
    )
    assert summary(received) == "received (via email)"


def test_listener_text_in_history_cannot_reach_the_terminal_as_controls():
    line = describe(entry("decline", decline_reason=[None, "\x1b]0;pwned\x07 spam"]))
    assert "\x1b" not in line and "\x07" not in line


def test_show_prints_readable_history(capsys, tmp_path, private_home):
    db = str(tmp_path / "q.json")
    run_cli(capsys, "--db", db, "hosts", "add", "austin")
    run_cli(capsys, "--db", db, "add", "LDN?", "--body", "Does it help?")
    run_cli(capsys, "--db", db, "--as", "austin", "update", "1", "--take", "--status", "drafting")
    run_cli(
        capsys, "--db", db, "--as", "austin", "answer", "1", "An answer.", "--ref", "Trial|10.1/x"
    )
    code, out, _ = run_cli(capsys, "--db", db, "show", "1")
    history = out.split("History:")[1]
    assert code == 0
    assert "Austin · " in history and "host: none -> Austin" in history
    assert "status: new -> drafting" in history
    assert "answer: written, Austin's (2 words)" in history
    assert "references: +'Trial' (0 -> 1)" in history
    assert "{" not in history


def test_show_says_the_decline_reason_only_while_declined(capsys, tmp_path, private_home):
    db = str(tmp_path / "q.json")
    run_cli(capsys, "--db", db, "hosts", "add", "austin")
    run_cli(capsys, "--db", db, "add", "LDN?", "--body", "Does it help?")
    run_cli(capsys, "--db", db, "--as", "austin", "update", "1", "--decline", "covered in 200")
    assert "declined (covered in 200)" in run_cli(capsys, "--db", db, "show", "1")[1]
    run_cli(capsys, "--db", db, "--as", "austin", "update", "1", "--status", "triaged")
    out = run_cli(capsys, "--db", db, "show", "1")[1]
    facts = out.split("Question:")[0]
    assert "covered in 200" not in facts  # history still tells it
    assert "decline reason: 'covered in 200' -> none" in out
