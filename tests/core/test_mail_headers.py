"""What a message's headers say, read right when they are incomplete or old-fashioned: a
mailbox cut off inside a message's headers, a message without a Date header, an old-style
"address (Name)" sender."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa_queue.errors import BadInput
from qa_queue.importers import read_file
from qa_queue.importers.email import parse_eml, parse_mbox
from tests.helpers import FIXTURES, run_cli

MAIL = FIXTURES / "mail"


def read(name: str):
    return read_file(MAIL / name, mtime=lambda _: datetime(2026, 11, 30, tzinfo=UTC))


# -- a mailbox cut off inside a message's headers ----------------------------------------------


def test_a_message_cut_off_inside_its_headers_is_rejected_and_the_others_imported():
    """It was a question titled with the raw encoded word it was cut in
    ("=?iso-8859-1?Q?RE=A0:_Musculation_=E0_14_"), dated at the import."""
    batch = read("truncated_download.mbox")
    assert [q.title for q in batch.questions] == ["Musculation à 14 ans"]
    [rejected] = batch.rejected
    assert rejected.startswith(f"{MAIL / 'truncated_download.mbox'}: message 2: cut off")


def test_a_cut_off_message_is_reported_by_the_cli_and_a_saved_one_refused(capsys, tmp_path):
    db = str(tmp_path / "q.json")
    code, out, err = run_cli(capsys, "--db", db, "import", str(MAIL / "truncated_download.mbox"))
    assert code == 0 and "added 1 (#1)" in out and "rejected 1" in out
    assert "message 2: cut off inside its headers" in err
    with pytest.raises(BadInput, match=r"cut\.eml: message: cut off inside its headers"):
        parse_eml(b"From: A <a@example.com>\nSubject: Is creatine", name="cut.eml", received_at="x")


@pytest.mark.parametrize(
    "tail",
    [
        b"Subject: hi\n\n",  # a message with no words: rejected for that, not as cut off
        b"Subject: hi\r\n\r\n",
        b"\nHow much creatine?\n",
    ],
)
def test_headers_that_end_are_not_cut_off(tail):
    mbox = b"From a@example.com Mon Nov  2 08:14:03 2026\nFrom: A <a@example.com>\n" + tail
    batch = parse_mbox(mbox, name="in.mbox", received_at="2026-11-30T00:00:00Z")
    assert not any("cut off" in line for line in batch.rejected)


# -- a message without a Date header -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "received"),
    [
        ("no_date_received_header.mbox", "2026-11-29T16:45:12Z"),
        ("no_date_received_header.eml", "2026-11-29T17:05:00Z"),
    ],
)
def test_without_a_date_header_the_newest_received_header_dates_the_question(
    queue, fixture, received
):
    """It was dated at the file's time (the import's), though the file says when it came."""
    batch = read(fixture)
    [question] = batch.questions
    assert question.received_at == received
    first = queue.import_questions(batch.questions)
    again = queue.import_questions(read(fixture).questions)
    assert len(first.added) == 1 and (again.added, len(again.skipped)) == ([], 1)


NO_DATE = (
    b"From: Kai <kai@example.com>\nSubject: Sauna after lifting?\n"
    b"Received: from mx2 by mx1; Mon, 30 Nov 2026 10:00:00 +0100 (CET)\n"
    b"Received: from laptop by mx2; Mon, 30 Nov 2026 09:59:58 +0100\n"
    b"\nDoes a sauna after lifting blunt the gains?\n"
)


@pytest.mark.parametrize(
    ("data", "received"),
    [
        (NO_DATE, "2026-11-30T09:00:00Z"),  # the topmost: the newest hop
        (NO_DATE.replace(b"; Mon, 30 Nov", b"; (no date) Mon, 40 Nov", 1), "2026-11-30T08:59:58Z"),
        (b"From kai@example.com Sun Nov 29 07:30:00 2026\n" + NO_DATE.replace(b"Received", b"X"),
         "2026-11-29T07:30:00Z"),  # an mbox's "From " line, in UTC
        (NO_DATE.replace(b"Received", b"X"), "2026-11-30T00:00:00Z"),  # nothing: the file's
    ],
)  # fmt: skip
def test_without_a_date_header_received_then_the_mbox_line_then_the_file_date_it(data, received):
    [question] = parse_eml(data, name="q.eml", received_at="2026-11-30T00:00:00Z").questions
    assert question.received_at == received
    if data.startswith(b"From "):
        [question] = parse_mbox(data, name="q.mbox", received_at="x").questions
        assert question.received_at == received


def test_a_message_without_date_or_message_id_keeps_its_key_whatever_it_is_dated_by():
    """The key is the sender, the Date header and the words, as before: the same file
    imported again, or imported by an earlier version, is known."""
    mbox = b"From kai@example.com Sun Nov 29 07:30:00 2026\n" + NO_DATE
    [first] = parse_mbox(mbox, name="q.mbox", received_at="2026-11-30T00:00:00Z").questions
    [again] = parse_mbox(mbox, name="q.mbox", received_at="2026-12-24T00:00:00Z").questions
    [eml] = parse_eml(NO_DATE, name="q.eml", received_at="2026-11-30T00:00:00Z").questions
    assert first.import_key == again.import_key == eml.import_key


# -- an old-style sender ------------------------------------------------------------------------


def test_an_old_style_address_then_name_in_parentheses_gives_the_name():
    """'From: old.timer@aol.com (Walter Hughes)' gave no name."""
    [question] = read("aol_address_then_name_in_parentheses.eml").questions
    assert (question.listener.name, question.listener.contact) == (
        "Walter Hughes",
        "old.timer@aol.com",
    )
    assert question.received_at == "2026-11-30T14:00:00Z"  # "Mon, 30 Nov 26 09:00:00 EST"


@pytest.mark.parametrize(
    ("sender", "name"),
    [
        (b"rene@example.fr (=?utf-8?Q?Ren=C3=A9_Dupont?=)", "René Dupont"),
        (b"rene@example.fr (rene@example.fr)", ""),  # an address is never a name
        (b"rene@example.fr ()", ""),
        (b"Rene <rene@example.fr> (work)", "Rene"),  # a display name: the comment is not it
    ],
)
def test_a_name_in_the_senders_comment(sender, name):
    data = b"From: " + sender + b"\nSubject: Sleep\nMessage-ID: <c@x>\n\nHow long?\n"
    [question] = parse_eml(data, name="q.eml", received_at="2026-11-30T00:00:00Z").questions
    assert (question.listener.name, question.listener.contact) == (name, "rene@example.fr")
