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
    text = "Title\n\nFrom: lee_99\n\nMy question?\n\n---\n\n**austin:** An answer.\n"
    [question] = parse_thread(text, name="t.md", received_at="x", hosts=HOSTS).questions
    assert replies(question) == [("austin", True, "An answer.")]
    # a handle that only starts like a host's name is a listener's, unless thanked as the host
    fan = text.replace("**austin:**", "**austin_fan:**")
    [question] = parse_thread(fan, name="t.md", received_at="x", hosts=HOSTS).questions
    assert replies(question) == [("austin_fan", False, "An answer.")]
    thanked = (
        text.replace("**austin:**", "**austin_bbm:**") + "\n---\n\n**lee_99:** Thanks Austin!\n"
    )
    [question] = parse_thread(thanked, name="t.md", received_at="x", hosts=HOSTS).questions
    assert replies(question)[0] == ("austin_bbm", True, "An answer.")


@pytest.mark.parametrize(
    ("poster", "host", "may_be"),
    [
        ("Austin", "Austin Baraki", True),
        ("Austin Baraki", "Austin Baraki", True),
        ("Austin B.", "Austin Baraki", True),
        ("Dr. Austin Baraki", "Austin Baraki", True),
        ("austin", "Austin Baraki", True),  # a handle: the first name
        ("austin_baraki", "Austin Baraki", True),  # a handle: the whole name
        ("Austin Smith", "Austin Baraki", False),  # another Austin
        ("austin_fan", "Austin", False),
        ("austin.smith", "Austin Baraki", False),
        ("Jordan", "Austin Baraki", False),
        ("", "Austin", False),
    ],
)
def test_a_poster_may_be_a_host_only_as_far_as_both_names_go(poster, host, may_be):
    from qa_queue.importers.common import may_be_named

    assert may_be_named(poster, host) is may_be


def test_another_listener_with_a_hosts_first_name_is_no_host():
    text = (
        "Title\n\nFrom: Lee Park\n\nMy question?\n\n---\n\n**Austin Smith:** Same here!\n"
        "\n---\n\n**Austin Baraki:** An answer.\n"
    )
    [question] = parse_thread(text, name="t.md", received_at="x", hosts=["Austin Baraki"]).questions
    assert replies(question) == [
        ("Austin Smith", False, "Same here!"),
        ("Austin Baraki", True, "An answer."),
    ]


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


# -- 2. forum pages ----------------------------------------------------------------------------

CREATINE_ANSWER = (
    "Creatine supplementation raises serum creatinine without harming the kidney, so yes, stop "
    "it for a few weeks before the retest and tell your doctor you were taking it."
)


def test_thread_discourse_raw_reads_each_post_and_drops_quotes():
    batch = read("discourse_raw.md")
    [question] = batch.questions
    assert batch.notes == ["read as a Discourse topic (/raw): 3 posts"]
    assert (question.title, question.listener.name) == (
        "Is low-carb bad for thyroid function?",
        "priya_r",
    )
    assert question.received_at == "2026-11-26T18:01:22Z"
    assert question.body.endswith("https://pubmed.ncbi.nlm.nih.gov/12345678/")
    assert "austin |" not in question.body and "---" not in question.body
    assert replies(question) == [
        (
            "austin",
            True,
            "Yes, T3 tends to drop on very low carbohydrate intakes, but that is "
            "not the same thing as hypothyroidism. Talk to your GP before changing anything.",
        ),
        ("priya_r", False, "That makes sense, thanks Austin!"),
    ]


def test_thread_discourse_raw_without_a_title_takes_the_first_posts_words():
    text = (
        "lee_99 | 2026-11-26 18:01:22 UTC | #1\n\nIs oat milk fine?\n\n---------\n\n"
        "jordan | 2026-11-27 09:00:00 UTC | #2\n\n> Is oat milk fine?\n\nYes.\n"
    )
    [question] = parse_thread(text, name="raw.md", received_at="x", hosts=HOSTS).questions
    assert (question.title, question.body, question.listener.name) == (
        "Is oat milk fine?",
        "Is oat milk fine?",
        "lee_99",
    )
    assert replies(question) == [("jordan", True, "Yes.")]


def test_thread_phpbb_topic_reads_posts_without_their_subject_lines():
    [question] = read("phpbb_post.txt").questions
    assert (question.title, question.listener.name) == (
        "Creatine and kidney function",
        "kidneyworried",
    )
    assert question.received_at == "2026-11-26T18:01:00Z"
    assert question.body.startswith("I had a blood test") and question.body.endswith("test?")
    assert replies(question) == [
        ("Austin", True, CREATINE_ANSWER),
        ("kidneyworried", False, "Thanks Austin, I'll do that."),
    ]


def test_thread_reddit_saved_page_reads_posts_and_dates_them_back_from_the_file():
    [question] = read("reddit_saved.txt").questions
    assert question.title == "Question for the hosts: is creatine safe for a 16 year old?"
    assert question.listener.name == "liftingdad42"
    assert question.received_at == "2026-11-26T12:00:00Z"  # "3 days ago" before it was saved
    assert question.body.startswith("My son is 16") and question.body.endswith("make sense?")
    assert [(r.author, r.is_host) for r in question.replies] == [
        ("austin_bbm", True),
        ("liftingdad42", False),
    ]
    assert question.replies[0].text.endswith("no loading needed.")
    assert question.replies[1].text == "Thanks Austin, that's really reassuring."


def test_thread_facebook_post_name_is_the_listener_not_the_title():
    [question] = read("facebook_group.txt").questions
    assert question.listener.name == "Maria González"
    assert question.title != "Maria González" and question.title.startswith("Question for")
    assert question.body.endswith("the same target as for everyone else?")
    assert question.received_at.endswith("-11-26T18:01:00Z")
    assert replies(question) == [
        (
            "Austin Smith",
            True,
            "Same target for the most part: about 1.6 g/kg a day. HRT doesn't change that much.",
        ),
        ("Maria González", False, "Thank you Austin!!"),
    ]


def test_thread_name_alone_above_a_pasted_post_is_its_author():
    text = "Maria González\nIs protein the same for women on HRT?\n"
    [question] = parse_thread(text, name="fb.txt", received_at="x").questions
    assert (question.title, question.listener.name) == (
        "Is protein the same for women on HRT?",
        "Maria González",
    )


def test_thread_quote_lines_in_a_markdown_reply_are_dropped():
    text = "Title\n\nFrom: lee\n\nOats?\n\n---\n\n**Austin:**\n> Oats?\n\nYes, oats.\n"
    [question] = parse_thread(text, name="t.md", received_at="x", hosts=HOSTS).questions
    assert replies(question) == [("Austin", True, "Yes, oats.")]


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


SHAPE_LINES = st.sampled_from(
    [
        "priya_r | 2026-11-26 18:01:22 UTC | #1",
        "-------------------------",
        "Post by Austin » Fri Nov 27, 2026 9:00 am",
        "Posted by u/liftingdad42",
        "· 2 days ago",
        "MOD",
        "Maria González",
        "November 26 at 6:01 PM",
        '[quote="priya_r, post:1"]',
        "[/quote]",
        "> quoted",
        "**austin:**",
        "From: priya_r",
        "Date: someday",
        "Like",
        "",
    ]
)


@FUZZ
@given(st.lists(st.one_of(SHAPE_LINES, st.text(max_size=30)), max_size=25))
def test_thread_shape_lines_in_any_order_never_crash(lines):
    try:
        batch = parse_thread("\n".join(lines), name="fuzz.txt", received_at="2026-01-01T00:00:00Z")
    except BadInput as error:
        assert "\n" not in str(error)
    else:
        assert batch.questions[0].title.strip()
