"""Forum threads as hosts bring them: handles as authors, the host's zone, real page shapes."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.importers import read_file
from qa_queue.importers.thread import parse_thread
from tests.helpers import FIXTURES, run_cli

THREADS = FIXTURES / "threads"
MTIME = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
TOKYO = timezone(timedelta(hours=9))
HOSTS = ["Austin", "Jordan"]
FUZZ = settings(max_examples=150, deadline=None)


def read(name: str, **options):
    return read_file(THREADS / name, mtime=lambda _path: MTIME, hosts=HOSTS, **options)


def replies(question):
    return [(r.author, r.is_host, r.text) for r in question.replies]


# -- 1. handles as authors --------------------------------------------------------------------


def test_thread_with_forum_handles_reads_authors_date_and_link():
    [question] = read("discourse_copied.md").questions
    assert question.title == "Is low-carb bad for thyroid function?"
    assert question.listener.name == "priya_r"
    assert question.received_at == "2026-11-26T18:01:00Z"
    assert question.source.ref == (
        "https://community.bbm.example/t/is-low-carb-bad-for-thyroid-function/4821"
    )
    assert question.body.startswith("Hi all,\n\nI've been on a ketogenic diet")
    assert "From:" not in question.body and "Link:" not in question.body
    assert replies(question) == [
        (
            "austin",
            True,
            "T3 tends to drop on very low carbohydrate intakes, but that is not "
            "the same thing as hypothyroidism.",
        ),
        ("priya_r", False, "That makes sense, thanks Austin!"),
    ]


@pytest.mark.parametrize(
    "handle",
    ["priya_r", "PRIYA", "p.raman-77", "jörg", "Ñandú_9", "张伟", "محمد", "Jean-Luc O'Neil"],
)
def test_thread_any_handle_is_an_author(handle):
    text = f"Title\n\nFrom: {handle}\n\nMy question?\n\n---\n\n**{handle}:** thanks!\n"
    [question] = parse_thread(text, name="t.md", received_at="2026-01-01T00:00:00Z").questions
    assert (question.listener.name, question.body) == (handle, "My question?")
    assert replies(question) == [(handle, False, "thanks!")]


def test_thread_handle_of_a_host_is_the_hosts_reply():
    text = "Title\n\nFrom: lee_99\n\nMy question?\n\n---\n\n**austin_bbm:** An answer.\n"
    [question] = parse_thread(text, name="t.md", received_at="x", hosts=HOSTS).questions
    assert replies(question) == [("austin_bbm", True, "An answer.")]


def test_thread_bold_label_in_a_post_is_not_an_author():
    text = "Title\n\nMy question?\n\n**edit:** I meant daily.\n\n**Austin:** An answer.\n"
    [question] = parse_thread(text, name="t.md", received_at="x", hosts=HOSTS).questions
    assert question.body == "My question?\n\n**edit:** I meant daily."
    assert replies(question) == [("Austin", True, "An answer.")]


# -- 3. the host's zone -------------------------------------------------------------------------


def test_thread_date_without_a_zone_is_in_the_hosts_zone_and_said():
    batch = read("documented_shape.md", zone=TOKYO)
    [question] = batch.questions
    assert question.received_at == "2026-11-25T12:40:00Z"
    assert any(
        note.startswith("times without a zone read in your time zone (") for note in batch.notes
    )


def test_thread_date_with_a_zone_keeps_it_and_says_nothing():
    text = "Title\n\nFrom: Lee\nDate: 2026-11-25 21:40 UTC\n\nMy question?\n"
    batch = parse_thread(text, name="t.md", received_at="x", zone=TOKYO)
    assert batch.questions[0].received_at == "2026-11-25T21:40:00Z"
    assert not batch.notes


def test_cli_thread_date_in_the_hosts_zone(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()  # the conftest sets it back after the test
    db = str(tmp_path / "q.json")
    code, out, err = run_cli(capsys, "--db", db, "import", str(THREADS / "documented_shape.md"))
    assert code == 0, err
    assert "times without a zone read in your time zone (Asia/Tokyo)" in out
    [listed] = json.loads(run_cli(capsys, "--db", db, "list", "--json")[1])
    assert listed["received_at"] == "2026-11-25T12:40:00Z"


# -- every file: imported twice, adds nothing -------------------------------------------------


@pytest.mark.parametrize("fixture", sorted(p.name for p in THREADS.iterdir()))
def test_cli_thread_fixture_imports_once(capsys, tmp_path, fixture):
    db = str(tmp_path / "q.json")
    for host in ("austin", "jordan"):
        assert run_cli(capsys, "--db", db, "hosts", "add", host, host.title())[0] == 0
    code, out, err = run_cli(capsys, "--db", db, "import", str(THREADS / fixture))
    assert code == 0, err
    assert "added 1" in out
    code, out, _ = run_cli(capsys, "--db", db, "import", str(THREADS / fixture))
    assert code == 0 and "added 0" in out and "skipped 1" in out


# -- any text ---------------------------------------------------------------------------------

HANDLES = st.from_regex(r"[^\W\d_][\w.-]{0,14}", fullmatch=True).filter(lambda h: h[-1].isalnum())
WORDS = st.lists(st.from_regex(r"[a-z]{1,10}[?.,]?", fullmatch=True), min_size=1, max_size=30)


@FUZZ
@given(handle=HANDLES, words=WORDS, reply=WORDS)
def test_thread_never_loses_the_first_posts_words(handle, words, reply):
    body = " ".join(words)
    text = f"# Title\n\nFrom: {handle}\n\n{body}\n\n---\n\n**{handle}:** {' '.join(reply)}\n"
    [question] = parse_thread(text, name="t.md", received_at="x").questions
    assert question.listener.name == handle
    assert question.body.split() == body.split()


@FUZZ
@given(st.text())
def test_thread_any_text_never_crashes(text):
    try:
        batch = parse_thread(text, name="fuzz.txt", received_at="2026-01-01T00:00:00Z", zone=TOKYO)
    except BadInput as error:
        assert "\n" not in str(error)
    else:
        assert batch.questions[0].import_key.startswith("thread:")
