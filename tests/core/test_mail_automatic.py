"""Mail no listener wrote (auto-replies, bounces, read receipts) and mail deleted in
Thunderbird but still in its folder file: left out and counted."""

from __future__ import annotations

import pytest

from qa_queue.importers import read_file
from tests.helpers import FIXTURES, run_cli

MAIL = FIXTURES / "mail"


def test_auto_replies_bounces_and_receipts_are_left_out_and_counted():
    batch = read_file(MAIL / "autoreplies_bounces_receipts.mbox", hosts=["Austin"])
    assert [q.title for q in batch.questions] == ["Is cold plunging after runs bad?"]
    assert batch.rejected == [] and not batch.follow_ups
    assert batch.notes[-1] == (
        "left out 6 messages no listener wrote (3 auto-replies, 2 bounces, 1 read receipt)"
    )


def test_a_listeners_out_of_office_is_no_follow_up(queue):
    batch = read_file(MAIL / "listener_autoreply_to_host_answer.mbox", hosts=["Austin"])
    assert batch.notes[-1] == "left out 1 auto-reply (no listener wrote it)"
    # the host's answer joins; the listener's auto-reply does not
    assert len(batch.follow_ups) == 1


def test_messages_deleted_in_thunderbird_stay_deleted():
    batch = read_file(MAIL / "thunderbird_folder_with_deleted")
    assert [q.listener.name for q in batch.questions] == ["Greta Lind"]
    assert batch.notes[-1] == "left out 2 messages deleted in Thunderbird (still in its file)"


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ("Auto-Submitted: auto-replied\n", "an auto-reply"),
        ("X-Autoreply: yes\n", "an auto-reply"),
        ("Precedence: auto_reply\n", "an auto-reply"),
        ("Subject: Abwesenheitsnotiz: Kreatin\n", "an auto-reply"),
        ("Subject: Réponse automatique : Créatine\n", "an auto-reply"),
        ("Subject: Undeliverable: Creatine\n", "a bounce"),
        ("Content-Type: multipart/report; report-type=delivery-status; boundary=b\n", "a bounce"),
        ("Subject: Return Receipt (displayed) - Creatine\n", "a read receipt"),
        ("Precedence: bulk\nList-Unsubscribe: <https://news.example/u>\n", "a newsletter"),
    ],
)
def test_one_saved_auto_reply_is_left_out_saying_what_it_is(tmp_path, headers, why):
    mail = tmp_path / "auto.eml"
    subject = "" if "Subject:" in headers else "Subject: Re: Creatine\n"
    body = "--b\nContent-Type: text/plain\n\nOut until Monday.\n--b--\n"
    mail.write_text(
        f"From: Lee <lee@example.com>\n{subject}{headers}Message-ID: <a@x>\n\n"
        + (body if "multipart" in headers else "I'm away until Monday.\n"),
        encoding="utf-8",
    )
    batch = read_file(mail)  # nothing wrong with the file: exit 0, nothing added
    assert batch.questions == [] and batch.rejected == []
    assert batch.notes == [f"left out: {why} (no listener wrote it)"]


def test_a_person_saying_auto_submitted_no_is_read(tmp_path):
    mail = tmp_path / "q.eml"
    mail.write_text(
        "From: Lee <lee@example.com>\nSubject: Creatine\nAuto-Submitted: no\n"
        "Message-ID: <q@x>\n\nIs creatine safe for teenagers?\n",
        encoding="utf-8",
    )
    [question] = read_file(mail).questions
    assert question.body == "Is creatine safe for teenagers?"


def test_cli_reports_what_was_left_out(capsys, tmp_path):
    mbox = str(MAIL / "autoreplies_bounces_receipts.mbox")
    code, out, _err = run_cli(capsys, "--db", str(tmp_path / "q.json"), "import", mbox)
    assert code == 0
    assert "left out 6 messages no listener wrote" in out and "added 1 (#1)" in out
