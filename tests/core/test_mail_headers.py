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
