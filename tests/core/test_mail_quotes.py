"""The listener's words in a reply wherever they write them: above the quote, between its
lines, below it; and the quote markers of mail clients in the languages listeners write in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.importers import read_file
from qa_queue.importers.mail_quotes import question_text
from tests.helpers import FIXTURES

MAIL = FIXTURES / "mail"
FUZZ = settings(max_examples=200, deadline=None)
HOSTS = ["Austin", "Jordan"]


def read(name: str):
    return read_file(MAIL / name, mtime=lambda _: datetime(2026, 11, 30, tzinfo=UTC), hosts=HOSTS)


def imported(queue, name: str):
    batch = read(name)
    return batch, queue.import_questions(
        batch.questions, links=batch.duplicates, follow_ups=batch.follow_ups
    )


# -- answers below and between the quoted lines -------------------------------------------------


def test_inline_and_bottom_posted_replies_keep_the_listeners_answers(queue):
    """Both were rejected as "no question text (only quoted text or a signature)"."""
    batch, result = imported(queue, "inline_and_bottom_posted_replies.mbox")
    assert batch.rejected == []
    [question_id] = result.added
    replies = queue.get(question_id).replies
    assert [(r.author, r.is_host) for r in replies] == [
        ("Austin", True),
        ("Rob Turner", False),
        ("Rob Turner", False),
    ]
    # answers between the quoted lines, each under the quoted lines it answers
    assert replies[1].text == (
        "> Two quick questions so we answer it right:\n> 1. How old are you?\nI'm 52.\n\n"
        "> 2. Are you on any medication?\n"
        "Just a statin (atorvastatin 20 mg) and lisinopril 10 mg.\n\n> Austin\nThanks!\nRob"
    )
    # mutt's bare "Austin wrote:" above the quote, the answer below it, "--" signature cut
    assert replies[2].text == (
        "52, and lisinopril 10 mg. My GP says no heavy squats at all - is that overkill?"
    )


def test_a_dutch_bottom_posted_reply_keeps_the_answer_below_the_quote():
    [question] = read("bottom_posted_reply_nl_schreef.eml").questions
    assert question.body == (
        "Ja, amlodipine 5 mg sinds twee jaar. Maakt dat uit voor zware squats?\n\nHenk"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # bottom-posting under Gmail's attribution, wrapped onto two lines
        ("On Mon, Nov 9, 2026 at 9:12 AM Austin <a@b.com>\nwrote:\n\n> How old?\n\n52.\n",
         "52."),
        # the attribution at the top and nothing quoted below it: all of it is kept
        ("On 9 Nov 2026, at 09:12, Austin wrote:\n\nI am 52.\n", "I am 52."),
        ("austin@podcast.example.com writes:\n> How old?\n52.\n", "52."),
        ("* Austin <a@b.com> [2026-11-25 09:14]:\n> How old?\n52.\n", "52."),
        # top-posting: the quote below the attribution is left out, as before
        ("52.\n\nOn Mon, Nov 9, 2026 at 9:12 AM Austin <a@b.com> wrote:\n> How old?\n",
         "52."),
        # Yahoo quotes without ">": the text ends at the attribution under the answer
        ("52.\n\n   On Monday, November 9, 2026, 09:12 AM, Austin <a@b.com> wrote:\n\n"
         " How old?\n", "52."),
        # the listener's own words about someone are not an attribution
        ("My coach wrote:\n> rest more\n\nIs she right?\n",
         "My coach wrote:\n\nIs she right?"),
        # an answer above a quote that goes on: the quoted paragraph's last lines above it
        ("> one\n> two\n> three\n> four\nYes.\n> five\n", "> … two\n> three\n> four\nYes."),
        # a quote's own quote is not what the answer answers
        ("> Hi\n>\n>> older\nYes.\n> more\n", "Yes."),
        # the last answer of an inline reply keeps its question too; a bottom-post has none
        ("> How old?\n52.\n> Medication?\nNone.\n", "> How old?\n52.\n\n> Medication?\nNone."),
        ("> How old?\n> Medication?\n\n52, none.\n", "52, none."),
    ],
)  # fmt: skip
def test_attributions_are_dropped_and_the_words_around_the_quote_kept(text, expected):
    assert question_text(text) == expected


_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=60
)
_ATTRIBUTIONS = [
    "On Wed, Nov 25, 2026 at 9:14 AM Austin <austin@podcast.example.com> wrote:",
    "Op wo 25 nov. 2026 om 09:14 schreef Austin <austin@podcast.example.com>:",
    "Am 25.11.2026 um 09:14 schrieb Austin:",
    "Austin wrote:",
]


@FUZZ
@given(
    st.sampled_from(_ATTRIBUTIONS),
    st.lists(st.tuples(st.booleans(), _WORDS), min_size=1, max_size=12),
)
def test_no_unquoted_line_below_an_attribution_at_the_top_is_lost(heading, rows):
    """Whatever follows an attribution at the top, quoted or not, every line of the
    listener's that ends nothing (no signature, footer or header block) is kept, in order."""
    from qa_queue.importers.mail_markers import attribution, ends_text

    lines = [f"> {words}" if is_quoted else words for is_quoted, words in rows]
    text = "\n".join([heading, *lines])
    every = text.split("\n")
    start = attribution(every, 0)  # mutt's bare one only above a quote
    if any(ends_text(every, i) or attribution(every, i) for i in range(1, len(every))):
        return  # a line of it ends the text or is another attribution: not this property
    theirs = [
        index
        for index in range(start, len(every))
        if every[index].strip() and not every[index].lstrip().startswith(">")
    ]
    kept = [line for line in question_text(text).split("\n") if not line.startswith("> ")]
    assert [line.strip() for line in kept if line.strip()] == [
        every[index].strip() for index in theirs
    ]
