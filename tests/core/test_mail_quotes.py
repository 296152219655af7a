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


# -- quote markers in more languages and clients ---------------------------------------------


def test_polish_gmail_thunderbird_and_outlook_quotes_are_cut():
    """Gmail's "W dniu … napisał(a):", Thunderbird's "W dniu …, Austin pisze:" and Outlook's
    "Od: / Wysłano: / Do: / Temat:" block stayed in the replies, the original under them."""
    [question] = read("reply_pl_gmail_napisal_iso8859-2.eml").questions
    assert question.body == (
        "Tak, badałam też hemoglobinę: 12,9 g/dl. Czy to zmienia odpowiedź?\n\nMałgorzata"
    )
    batch = read("replies_pl_es_it_nl_pt_yahoo.mbox")
    assert [q.body for q in batch.questions] == [
        "Jeszcze jedno: boli mnie tylko lewe kolano.",  # Thunderbird, Polish
        "Solo la rodilla izquierda, y peor por la mañana.",  # Outlook, Spanish
        "Solo il ginocchio sinistro.",  # Outlook, Italian
        "Alleen de linkerknie.",  # Outlook, Dutch
        "Só o joelho esquerdo.",  # Outlook, Portuguese
        "Only the left one, and it clicks.",  # Yahoo: its original is not quoted with ">"
        "Tylko lewe kolano.",  # Outlook, Polish
    ]


def test_a_swedish_outlook_block_and_a_groupwise_original_are_cut():
    """Both originals, unquoted under their header, were kept as the listener's words."""
    swedish, groupwise = read("replies_sv_outlook_groupwise.mbox").questions
    assert swedish.body == (
        "Jag glömde: jag tar 300 mg på kvällen. Är det för mycket?\n\nMvh\nIngrid"
    )
    assert groupwise.body == "Aanvulling: ik loop meestal 8 km in zone 2.\n\nPieter"


@pytest.mark.parametrize(
    "quote",
    [
        # Outlook's header blocks
        "Från: Austin <a@b.com>\nSkickat: den 24 november 2026 09:14\nTill: Ingrid <i@b.se>\n"
        "Ämne: SV: Magnesium\n\nold\n",
        "Fra: Austin <a@b.com>\nSendt: 24. november 2026 09:14\nTil: Mette <m@b.dk>\n"
        "Emne: SV: Søvn\n\nold\n",
        "Lähettäjä: Austin <a@b.com>\nLähetetty: tiistai 24. marraskuuta 2026 9.14\n"
        "Vastaanottaja: Aino <a@b.fi>\nAihe: VS: Uni\n\nold\n",
        "Od: Austin <a@b.com>\nOdesláno: úterý 24. listopadu 2026 9:14\nKomu: Jan <j@b.cz>\n"
        "Předmět: RE: Spánek\n\nold\n",
        "Kimden: Austin <a@b.com>\nGönderildi: 24 Kasım 2026 Salı 09:14\nKime: Ali <a@b.tr>\n"
        "Konu: YNT: Uyku\n\nold\n",
        # attribution lines, with the original quoted or not
        "Den tis 24 nov. 2026 kl 09:14 skrev Austin <a@b.com>:\n> old\n",
        "tir. 24. nov. 2026 kl. 09:14 skrev Austin <a@b.com>:\n\n old\n",
        "24 nov. 2026 kl. 09:14 skrev Austin:\n> old\n",
        "Austin <a@b.com> kirjoitti ti 24.11.2026 klo 9.14:\n> old\n",
        "Austin kirjoitti 24.11.2026 klo 9.14:\n old\n",
        "út 24. 11. 2026 v 9:14 odesílatel Austin <a@b.com> napsal:\n> old\n",
        "Dne 24. 11. 26 v 9:14 Austin napsal(a):\n old\n",
        "Austin <a@b.com>, 24 Kas 2026 Sal, 09:14 tarihinde şunu yazdı:\n> old\n",
        "24.11.2026 09:14 tarihinde Austin yazdı:\n old\n",
        "wt., 24 lis 2026 o 09:14 Austin <a@b.com> napisał(a):\n> old\n",
        ">>> Austin <a@b.com> 24-11-2026 09:14 >>>\nold\n",
    ],
)
def test_quotes_in_nordic_finnish_czech_turkish_and_polish_are_cut(quote):
    assert question_text(f"Quick one?\n\n{quote}") == "Quick one?"


def test_a_listener_telling_what_someone_wrote_is_not_an_attribution():
    text = "Hi,\n\nMy doctor wrote me on 12.11.2026 at 10:30 the following:\nStop creatine.\n"
    assert question_text(text) == text.strip()


# -- the lines above a quoted original ---------------------------------------------------------


def test_zimbras_mail_original_line_and_what_follows_it_are_cut():
    """ "----- Mail original -----" stayed at the end of the reply."""
    [question] = read("zimbra_mail_original_fr.eml").questions
    assert question.body == (
        "Petite précision : je cours 4 fois par semaine, surtout du fractionné.\n\nAnaïs"
    )


@pytest.mark.parametrize(
    "line",
    [
        "----- Mail original -----",
        "----- Original Message -----",
        "-------- Message d'origine --------",
        "-------- Originalnachricht --------",
        "----- Ursprüngliche Mail -----",
        "-----Ursprungligt meddelande-----",
        "-----Oprindelig meddelelse-----",
        "-----Opprinnelig melding-----",
        "-----Alkuperäinen viesti-----",
        "-----Wiadomość oryginalna-----",
        "-----Původní zpráva-----",
        "-----Orijinal Mesaj-----",
    ],
)
def test_original_message_lines_end_the_text_with_the_original_under_them(line):
    text = f"Quick one?\n\n{line}\nDe: Austin\nObjet: Sommeil\n\nold words\n"
    assert question_text(text) == "Quick one?"


def test_an_outlook_reply_with_its_original_message_line_is_not_read_as_a_forward(tmp_path):
    """It was: the question became the host's quoted words, asked by the host, and the
    listener's reply a "Forwarded by" note."""
    path = tmp_path / "reply.eml"
    path.write_text(
        "From: Priya Shah <priya@example.org>\nTo: Austin <austin@podcast.example.com>\n"
        "Subject: RE: Iron\nMessage-ID: <re-iron@example.org>\n"
        "Date: Fri, 27 Nov 2026 09:00:00 +0000\n\n"
        "Thanks, that helps. My ferritin is 14 now.\n\n-----Original Message-----\n"
        "From: Austin <austin@podcast.example.com>\nSent: Thursday, November 26, 2026 9:12 AM\n"
        "To: Priya Shah <priya@example.org>\nSubject: RE: Iron\n\nWhat is your ferritin?\n",
        encoding="utf-8",
    )
    [question] = read_file(path).questions
    assert (question.listener.name, question.notes) == ("Priya Shah", "")
    assert question.body == "Thanks, that helps. My ferritin is 14 now."
