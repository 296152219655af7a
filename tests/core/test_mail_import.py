"""E-mail importing: threads and follow-ups (also across imports), client quote blocks,
contact-form notifications, raw and encoded headers, and fuzzing of headers and quotes."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.importers import read_file
from qa_queue.importers.email import parse_eml, parse_mbox
from qa_queue.importers.htmltext import html_to_text
from qa_queue.importers.mail_message import parse, texts
from qa_queue.importers.mail_quotes import opens_with_a_marker, question_text, separates
from qa_queue.model.question import Reply
from tests.helpers import FIXTURES, run_cli

MAIL = FIXTURES / "mail"
FUZZ = settings(max_examples=150, deadline=None)
HOSTS = ["Austin", "Jordan"]


def read(name: str, **options):
    return read_file(MAIL / name, mtime=lambda _: datetime(2026, 11, 30, tzinfo=UTC), **options)


def imported(queue, name: str):
    batch = read(name, hosts=HOSTS)
    return batch, queue.import_questions(
        batch.questions, links=batch.duplicates, follow_ups=batch.follow_ups
    )


# -- threads ------------------------------------------------------------------------------------


def test_a_thread_in_one_mailbox_joins_replies_to_their_question(queue):
    batch, result = imported(queue, "thread.mbox")
    assert len(batch.questions) == 7 and batch.rejected == []
    assert len(result.added) == 3 and len(result.joined) == 4
    amara, priya, marco = (queue.get(i) for i in result.added)
    assert amara.title == "Creatine for teenagers?"
    assert [(r.author, r.is_host) for r in amara.replies] == [
        ("Austin", True),  # the host's reply, named like a host
        ("Amara Mensah", False),  # In-Reply-To the host's reply, References the question
        ("Amara Mensah", False),  # Apple Mail: no In-Reply-To, "Re:" subject, same sender
    ]
    assert amara.replies[1].text == (
        "Thank you! One more thing: should he stop during the off-season?"
    )
    assert amara.replies[2].text.startswith("He asked me to add")
    assert "iPhone" not in amara.replies[2].text and "wrote" not in amara.replies[2].text
    assert amara.replies[1].received_at == "2026-11-10T17:03:10Z"
    # a raw 8-bit From header, then her Outlook reply (windows-1252, From/Sent/To/Subject)
    assert priya.listener.name == "Priya Ramé" and priya.title == "Café au lait before lifting?"
    assert [r.text for r in priya.replies] == [
        "Thanks – so the caffeine is doing the work, not the milk?\n\nBest,\nPriya"
    ]
    # a display name that is the address: no name, the address kept as the contact
    assert (marco.listener.name, marco.listener.contact) == ("", "marco.rossi@example.it")
    assert marco.listener.credited_as() == "a listener"
    assert marco.title == "Proteine e caffè" and "“protein timing”" in marco.body


def test_importing_the_thread_again_adds_and_joins_nothing(queue):
    _, first = imported(queue, "thread.mbox")
    _, again = imported(queue, "thread.mbox")
    assert (again.added, again.joined) == ([], [])
    assert len(again.skipped) == 7
    assert [len(queue.get(i).replies) for i in first.added] == [3, 1, 0]


def test_a_reply_in_a_later_import_joins_the_question_already_there(queue):
    _, first = imported(queue, "lena_question.eml")
    _, later = imported(queue, "lena_reply_de.eml")
    [question_id] = first.added
    assert (later.added, later.joined) == ([], [question_id])
    question = queue.get(question_id)
    assert [r.text for r in question.replies] == [
        "Vielen Dank! Und wie lange soll die Pause dauern?\n\nGrüße\nLena"
    ]
    assert question.history[-1].action == "follow-up"
    assert question.history[-1].changes["replies"][0] == []
    _, again = imported(queue, "lena_reply_de.eml")
    assert (again.added, again.joined, again.skipped) == ([], [], [question_id])
    assert len(queue.get(question_id).replies) == 1


def test_a_reply_whose_question_is_not_in_the_queue_is_a_question(queue):
    _, result = imported(queue, "lena_reply_de.eml")
    assert len(result.added) == 1 and result.joined == []


def test_a_message_from_the_show_answering_nothing_is_reported_not_added(queue):
    mbox = (
        b"From a@example.com Mon Nov  2 08:14:03 2026\nFrom: A <a@example.com>\n"
        b"To: questions@podcast.example.com\nSubject: Sleep\nMessage-ID: <q@a>\n\nHow long?\n\n"
        b"From questions@podcast.example.com Mon Nov  2 09:14:03 2026\n"
        b"From: The Show <questions@podcast.example.com>\nTo: x@example.com\n"
        b"Subject: Re: Newsletter\nIn-Reply-To: <elsewhere@x>\nMessage-ID: <n@show>\n\nThanks!\n"
    )
    batch = parse_mbox(mbox, name="in.mbox", received_at="2026-11-30T00:00:00Z")
    result = queue.import_questions(batch.questions, follow_ups=batch.follow_ups)
    assert len(result.added) == 1 and result.unjoined == ["message 2 (<n@show>)"]


def test_add_follow_up_is_recorded_and_undoable(queue):
    [question_id] = imported(queue, "lena_question.eml")[1].added
    queue.me = "austin"
    queue.add_follow_up(question_id, Reply(text="Also: my left knee only.", author="Lena"))
    assert queue.get(question_id).replies[-1].text == "Also: my left knee only."
    queue.undo(question_id)
    assert queue.get(question_id).replies == []


# -- the command line -----------------------------------------------------------------------


def test_cli_reports_follow_ups_forms_and_where_rejected_messages_are(capsys, tmp_path):
    db = str(tmp_path / "q.json")
    mbox = tmp_path / "in.mbox"
    mbox.write_bytes(
        (MAIL / "thread.mbox").read_bytes()
        + b"\nFrom x@example.com Mon Nov 30 08:00:00 2026\nFrom: X <x@example.com>\n"
        b"Subject: Re: hi\nMessage-ID: <only-quoted@example.com>\n\n> only quoted text\n"
    )
    code, out, err = run_cli(capsys, "--db", db, "import", str(mbox))
    assert code == 0
    assert "added 3 (#1, #2, #3), 4 follow-ups joined (#1, #2)" in out
    assert "rejected 1" in out
    assert "message 8 (<only-quoted@example.com>): no question text" in err
    code, out, err = run_cli(capsys, "--db", db, "import", str(MAIL / "squarespace.eml"))
    assert code == 0 and "1 contact form (Squarespace)" in out


def test_a_raw_utf8_from_header_imports_instead_of_crashing(capsys, tmp_path):
    """It was "internal error … surrogates not allowed" (exit 70)."""
    path = tmp_path / "raw.mbox"
    path.write_bytes(
        b"From priya@example.com Mon Nov  2 08:14:03 2026\n"
        b'From: "Priya Ram\xc3\xa9" <priya@example.com>\n'
        b"Subject: Caf\xc3\xa9?\n\nIs caf\xc3\xa9 ok?\n"
    )
    db = str(tmp_path / "q.json")
    code, out, err = run_cli(capsys, "--db", db, "import", str(path))
    assert (code, err) == (0, "") and "added 1" in out
    code, out, _ = run_cli(capsys, "--db", db, "show", "1")
    assert "Priya Ramé" in out and "Is café ok?" in out


# -- quotes and client header blocks ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Quick one?\n\nOn Mon, Nov 9, 2026 at 9:12 AM Austin <a@b.com>\nwrote:\n> old\n",
        "Quick one?\n\nOn 9 Nov 2026, at 09:12, Austin <a@b.com> wrote:\n\n> old\n",
        "Quick one?\n\nOn 09/11/2026 09:12, Austin wrote:\n> old\n",
        "Quick one?\n\nAm 09.11.2026 um 09:12 schrieb Austin <a@b.com>:\n> alt\n",
        "Quick one?\n\nLe lun. 9 nov. 2026 à 09:12, Austin <a@b.com> a écrit :\n> vieux\n",
        "Quick one?\n\nEl lun, 9 nov 2026 a las 9:12, Austin (<a@b.com>) escribió:\n> viejo\n",
        "Quick one?\n\nEm seg., 9 de nov. de 2026 às 09:12, Austin <a@b.com> escreveu:\n",
        "Quick one?\n\n-----Original Message-----\nFrom: Austin\nSent: x\n\nold\n",
        "Quick one?\n\n-----Ursprüngliche Nachricht-----\nVon: Austin\n",
        "Quick one?\n________________________________\nFrom: Austin\nSent: Monday\nTo: me\n",
        "Quick one?\n\nFrom: Austin <a@b.com>\nSent: Monday, November 9, 2026 9:12 AM\n"
        "To: Priya <p@b.com>\nSubject: RE: Iron\n\nold\n",
        "Quick one?\n\nVon: Austin <a@b.com>\nGesendet: Montag, 9. November 2026 09:12\n"
        "An: Lena <l@b.de>\nBetreff: AW: Knie\n\nalt\n",
        "Quick one?\n\nDe: Austin <a@b.com>\nEnviado: lunes, 9 de noviembre de 2026 9:12\n"
        "Para: José <j@b.mx>\nAsunto: RE: Creatina\n\nviejo\n",
        "Quick one?\n\nDe : Austin <a@b.com>\nEnvoyé : lundi 9 novembre 2026 09:12\n"
        "À : Claire <c@b.fr>\nObjet : RE: Sommeil\n\nvieux\n",
        "Quick one?\n\nDe: Austin <a@b.com>\nEnviada em: segunda-feira, 9 de novembro de 2026\n"
        "Para: Ana <a@b.br>\nAssunto: RE: Creatina\n\nvelho\n",
        "Quick one?\n\n-- \nJosé Ramírez\n+52 55 0000 0000\n",
        "Quick one?\n\nSent from my iPhone\n",
        "Quick one?\n\nGet Outlook for iOS\n",
        "Quick one?\n\nGet Outlook for Android<https://aka.ms/AAb9ysg>\n",
        "Quick one?\n\nSent from Mail (https://go.microsoft.com/fwlink/?LinkId=5) for Windows\n",
        "Quick one?\n\nVon meinem iPhone gesendet\n",
        "Quick one?\n\nEnviado desde mi iPhone\n",
        "> you said creatine is fine\n\nQuick one?\n",
    ],
)
def test_quoted_text_client_headers_and_signatures_are_cut(text):
    assert question_text(text) == "Quick one?"


def test_sign_offs_stay_and_a_first_paragraph_is_never_cut():
    assert question_text("Is it safe?\n\nThanks so much,\nAmara") == (
        "Is it safe?\n\nThanks so much,\nAmara"
    )
    text = "My coach says this.\nOn Monday my coach wrote: rest more.\nFrom: what I read, no."
    assert question_text(text) == text


def test_a_german_outlook_html_reply_keeps_only_the_listeners_words():
    html = texts(parse((MAIL / "lena_reply_de.eml").read_bytes()))[1]
    assert question_text(html) == "Vielen Dank! Und wie lange soll die Pause dauern?\n\nGrüße\nLena"


def test_outlook_and_gmail_html_parts_end_at_the_quoted_original():
    box = mailbox.mbox(MAIL / "thread.mbox", create=False)
    gmail, outlook = parse(box.get_bytes(2)), parse(box.get_bytes(6))
    assert question_text(texts(gmail)[1]) == (
        "Thank you! One more thing: should he stop during the off-season?"
    )
    assert question_text(texts(outlook)[1]) == (
        "Thanks – so the caffeine is doing the work, not the milk?\n\nBest,\nPriya"
    )


def test_html_tables_and_lists_read_as_lines():
    html = (
        "<table><tr><td><b>Name</b></td><td>Amara Mensah</td></tr>"
        "<tr><th>E-mail:</th><td>a@example.com</td></tr><tr><td>a</td><td>b</td><td>c</td></tr>"
        "</table><ul><li>one<ul><li>inner</li></ul></li><li>two</ul><p>Hello<b> world</b></p>"
    )
    assert html_to_text(html) == (
        "Name: Amara Mensah\nE-mail: a@example.com\na | b | c\n\n- one\n  - inner\n- two"
        "\n\nHello world"
    )


# -- contact forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "service", "name", "contact", "title", "body"),
    [
        ("squarespace.eml", "Squarespace", "Amara Mensah", "amara@example.com", "HRV tracking",
         "Is it worth tracking HRV for recovery, or is it noise for a recreational lifter?"
         "\n\nI train 4x a week."),
        ("wix.eml", "Wix", "Tomasz Wrona", "tomasz.wrona@example.pl",
         "Does sauna after lifting blunt hypertrophy?", None),
        ("contact_form_7.eml", "Contact Form 7", "José Ramírez", "jose.ramirez@example.mx",
         "Rest days", "How many rest days a week does a 50-year-old beginner need?\n"
         "I'm sore for days after each session."),
        ("wpforms.eml", "WPForms", "Lena Fischer", "lena.fischer@example.de",
         "Are knee sleeves a crutch?", "Are knee sleeves a crutch?\nI squat 3x a week."),
        ("gravity_forms.eml", "Gravity Forms", "Priya Sharma", "priya@example.com",
         "Should I take iron if my ferritin is 14?", None),
        ("ninja_forms.eml", "Ninja Forms", "Mark Obi", "mark.obi@example.com",
         "Deadlift pain the day after: normal?", None),
        ("typeform.eml", "Typeform", "Sam Lee", "sam.lee@example.com",
         "Is a 5-minute warm-up enough before heavy singles?", None),
        ("tally.eml", "Tally", "Noor Haddad", "noor@example.com",
         "Does fasted cardio burn more fat?", None),
        ("google_forms.eml", "Google Forms", "Kenji Watanabe", "kenji@example.jp",
         "How much protein per meal is useful?", None),
        ("jotform.eml", "Jotform", "Ana Souza", "ana.souza@example.com.br",
         "Creatina causa queda de cabelo?", None),
        ("wpforms_simple_contact.eml", "WPForms", "Noah Williams", "noah.w@example.com",
         "Can you explain HRV in simple words?",
         "Can you explain HRV in simple words?\nWhat's a good number?"),
        ("typeform_phrased.eml", "Typeform", "Grace Hopper", "grace.h@example.com",
         "How many rest days per week do I need when marathon training?", None),
        ("elementor.eml", "a website form", "Kim Lee", "kim.lee@example.kr",
         "Is foam rolling worth it, or is it just a placebo?", None),
        ("unknown_form.eml", "a website form", "Ola Nordmann", "ola@example.no",
         "Is it OK to lift the day after a marathon?", None),
        # no Reply-To: the listener is in the fields of a no-reply sender's notification
        ("webflow.eml", "Webflow", "Yuki Tanaka", "yuki.tanaka@example.jp",
         "Is it true you can't build muscle after 40 without TRT?", None),
        ("hubspot_notification.eml", "HubSpot", "Carla Rossi", "carla.rossi@example.it",
         "My husband snores and wakes me up.", "My husband snores and wakes me up. Could "
         "mouth taping help him, or is that a fad?"),
        ("formspree.eml", "Formspree", "Marta Ruiz", "marta.ruiz@example.es",
         "¿Es malo entrenar con agujetas?",  # its "Submitted …" and "Mark as spam" cut
         "¿Es malo entrenar con agujetas? I always feel sore two days after leg day."),
        ("netlify_forms.eml", "Netlify Forms", "Tom Baker", "tom.baker@example.co.uk",
         "What's the best way to fix rounded shoulders from desk work?", None),
    ],
)  # fmt: skip
def test_contact_form_notifications_read_the_listener_not_the_service(
    fixture, service, name, contact, title, body
):
    batch = read(fixture)
    [question] = batch.questions
    assert batch.recognised == {f"contact form ({service})": 1}
    assert (question.listener.name, question.listener.contact) == (name, contact)
    assert (question.title, question.body) == (title, body or title)
    assert question.source.kind == "form" and batch.follow_ups == {}


def test_a_raw_latin1_subject_and_an_outlook_surname_first_name_read_as_written():
    [question] = read("latin1_raw_subject.eml").questions
    assert question.title == "Question sur les étirements"
    [question] = read("outlook_surname_first.eml").questions
    assert question.listener.name == "Sue Baker"  # From: "Baker, Sue"
    assert question.listener.public_name() == "Sue"


def test_a_form_notification_without_a_message_is_rejected(tmp_path):
    path = tmp_path / "form.eml"
    path.write_bytes(
        b"From: Squarespace <form-submission@squarespace.info>\nReply-To: a@example.com\n"
        b"Subject: Form Submission - Newsletter\nMessage-ID: <f@sq>\n\n"
        b"Name: A\nEmail: a@example.com\n"
    )
    with pytest.raises(BadInput, match=r"message \(<f@sq>\): a contact form's notification"):
        read_file(path)


# -- fuzzing ----------------------------------------------------------------------------------

HEADER_NAMES = [
    "From", "Reply-To", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
    "Content-Type", "Content-Transfer-Encoding", "MIME-Version",
]  # fmt: skip


def _no_surrogates(batch) -> None:
    for question in batch.questions:
        question.to_dict()  # orjson refuses surrogates: what crashed the import
        for text in (question.title, question.body, question.listener.name):
            text.encode("utf-8")


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(HEADER_NAMES),
            st.binary(max_size=80).filter(lambda b: b"\n" not in b and b"\r" not in b),
        ),
        max_size=8,
    ),
    st.binary(max_size=200),
)
def test_no_header_or_body_crashes_the_importer(headers, body):
    head = b"".join(name.encode() + b": " + value + b"\n" for name, value in headers)
    for parse_one, data in (
        (parse_eml, b"From: a@example.com\n" + head + b"\n" + body),
        (parse_mbox, b"From x Mon Nov  2 08:14:03 2026\n" + head + b"\n" + body),
    ):
        try:
            batch = parse_one(data, name="fuzz", received_at="2026-01-01T00:00:00Z")
        except BadInput as error:
            assert "\n" not in str(error)
            continue
        _no_surrogates(batch)


@FUZZ
@given(st.text(max_size=300))
def test_html_to_text_never_raises(html):
    html_to_text(html)
    html_to_text(f"<table><tr><td>{html}</td><td>{html}</td></tr></table><ul><li>{html}")


_LINE = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=60
).filter(lambda line: line.strip() and not line.lstrip().startswith(">"))


@FUZZ
@given(st.lists(_LINE, min_size=1, max_size=5), st.text(max_size=300))
def test_quote_stripping_never_removes_the_listeners_first_paragraph(lines, rest):
    first = "\n".join(lines)
    # mutt's bare "Austin wrote:" is an attribution only above a quote, which `rest` may hold
    assume(not opens_with_a_marker(f"{first}\n\n{rest}"))
    assume(not any(separates(lines, i) for i in range(len(lines))))
    expected = "\n".join(line.rstrip() for line in lines).strip()
    assert question_text(f"{first}\n\n{rest}").startswith(expected)


def test_forgetting_the_listener_and_public_exports_drop_their_follow_ups_message_ids(queue):
    from qa_queue.exporters.common import public_dict

    _, result = imported(queue, "lena_question.eml")
    imported(queue, "lena_reply_de.eml")
    [question_id] = result.added
    reply = public_dict(queue.get(question_id))["replies"][0]
    assert "import_key" not in reply and reply["author"] == "Lena"
    queue.me = "austin"
    queue.forget(queue.find_listener("lena.fischer@example.de"))
    [reply] = queue.get(question_id).replies
    assert (reply.import_key, reply.author) == (None, "")


@FUZZ
@given(st.text(max_size=400), st.text(max_size=60), st.sampled_from(["", "x@example.com"]))
def test_form_parsing_never_raises(text, subject, reply_to):
    from qa_queue.importers.contact_forms import fields, submission

    fields(text)
    found = submission(
        sender="form-submission@squarespace.info",
        reply_to=("", reply_to),
        subject=subject,
        plain=text,
        html=lambda: text,
    )
    assert found is not None  # the sender says it is one; a message or not


def test_a_streamed_mailbox_reads_the_same_threads():
    from qa_queue.importers import stream_file

    whole = read("thread.mbox")
    batches = list(
        stream_file(
            MAIL / "thread.mbox",
            size=2,
            stream_from=0,
            mtime=lambda _: datetime(2026, 11, 30, tzinfo=UTC),
        )
    )
    assert len(batches) > 1
    streamed = {key: thread for batch in batches for key, thread in batch.follow_ups.items()}
    assert streamed == whole.follow_ups


def test_a_joined_follow_up_reads_as_such_in_the_history(queue):
    from qa_queue.model.changes import summary

    [question_id] = imported(queue, "lena_question.eml")[1].added
    imported(queue, "lena_reply_de.eml")
    entry = queue.get(question_id).history[-1]
    assert summary(entry) == "a follow-up by e-mail: replies: 0 -> 1"


# -- forwards -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "listener", "contact", "received", "asks", "note"),
    [
        (  # Gmail: the date in the forwarder's zone (their Date header: -0600)
            "forwarded_by_host.eml",
            "Ben Okafor",
            "ben.okafor@example.com",
            "2026-11-27T00:01:00Z",
            "my LDL went from 110 to 240",
            "Forwarded by Jordan <jordan.personal@gmail.com>: This came to my personal address",
        ),
        (
            "forwarded_by_listener_friend.eml",
            "Luis Ortiz",
            "luis.ortiz@example.mx",
            "2026-11-27T00:01:00Z",
            "start lifting weights with a pacemaker",
            "Forwarded by Sam Ortiz <sam.ortiz@gmail.com>: My dad doesn't do email",
        ),
        (  # Apple Mail: "Begin forwarded message:", a date in GMT
            "apple_forward_begin_forwarded.eml",
            "Nora Quinn",
            "nora.quinn@example.ie",
            "2026-11-26T18:01:00Z",
            "Should I stop deadlifting completely",
            "Forwarded by Austin <austin.home@icloud.com>: For the queue.",
        ),
    ],
)
def test_a_forwarded_mail_is_the_question_of_the_one_who_wrote_it(
    name, listener, contact, received, asks, note
):
    [question] = read(name).questions
    assert (question.listener.name, question.listener.contact) == (listener, contact)
    assert question.received_at == received
    assert asks in question.body and "Forwarded message" not in question.body
    assert question.notes.startswith(note)
    assert "Fwd" not in question.title


OUTLOOK_FORWARD = """From: Jordan <jordan@podcast.example.com>
To: show@podcast.example.com
Subject: FW: Knee sleeves
Date: Fri, 27 Nov 2026 09:00:00 +0100
Message-ID: <fw-outlook-1@example.com>
Content-Type: text/plain; charset=utf-8

________________________________
Von: Lena Vogel <lena.vogel@example.de>
Gesendet: Donnerstag, 26. November 2026 18:01
An: Jordan <jordan@podcast.example.com>
Betreff: Knee sleeves

Do knee sleeves actually help with squats or are they just a crutch?

Lena
"""

ASKED_ABOVE_A_FORWARD = """From: Priya Shah <priya@example.org>
To: show@podcast.example.com
Subject: Fwd: my lab results
Date: Fri, 27 Nov 2026 09:00:00 +0000
Message-ID: <fw-context-1@example.com>
Content-Type: text/plain; charset=utf-8

My doctor sent me this. Is she right that I should stop creatine before my next test?

---------- Forwarded message ---------
From: Dr. Ana Costa <clinic@example.com>
Date: Wed, Nov 25, 2026 at 10:00 AM
Subject: my lab results

Your creatinine is slightly high; please pause creatine for two weeks.
"""


def test_an_outlook_forward_in_german_and_a_forward_asked_about(tmp_path):
    outlook = tmp_path / "fw.eml"
    outlook.write_text(OUTLOOK_FORWARD, encoding="utf-8")
    [question] = read_file(outlook).questions
    assert (question.listener.name, question.listener.contact) == (
        "Lena Vogel",
        "lena.vogel@example.de",
    )
    assert question.title == "Knee sleeves" and question.body.startswith("Do knee sleeves")
    # "Donnerstag, 26. November 2026 18:01": read in the forwarder's zone (+0100)
    assert question.received_at == "2026-11-26T17:01:00Z"
    # the listener asks about what they forward: theirs the question, the forward context
    context = tmp_path / "context.eml"
    context.write_text(ASKED_ABOVE_A_FORWARD, encoding="utf-8")
    [asked] = read_file(context).questions
    assert asked.listener.name == "Priya Shah"
    assert asked.body.startswith("My doctor sent me this. Is she right")


@pytest.mark.parametrize(
    ("subject", "rule", "labels"),
    [  # Outlook in Swedish, Polish, Finnish, Czech, Turkish and Italian
        ("VB: Knäskydd", "-----Ursprungligt meddelande-----", ("Från", "Skickat", "Till", "Ämne")),
        ("PD: Ochraniacze", "-----Wiadomość oryginalna-----", ("Od", "Wysłano", "Do", "Temat")),
        (
            "VL: Polvituet",
            "-----Alkuperäinen viesti-----",
            ("Lähettäjä", "Lähetetty", "Vastaanottaja", "Aihe"),
        ),
        ("PŘ: Bandáže", "-----Původní zpráva-----", ("Od", "Odesláno", "Komu", "Předmět")),
        (
            "İLT: Dizlik",
            "________________________________",
            ("Kimden", "Gönderildi", "Kime", "Konu"),
        ),
        ("I: Ginocchiere", "-----Messaggio originale-----", ("Da", "Inviato", "A", "Oggetto")),
    ],
)
def test_outlook_forwards_in_more_languages_are_the_listeners(tmp_path, subject, rule, labels):
    sender, sent, to, about = labels
    mail = tmp_path / "fw.eml"
    mail.write_text(
        "From: Jordan <jordan@podcast.example.com>\nTo: show@podcast.example.com\n"
        f"Subject: {subject}\nDate: Fri, 27 Nov 2026 09:00:00 +0100\n"
        "Message-ID: <fw-lang@example.com>\nContent-Type: text/plain; charset=utf-8\n\n"
        f"{rule}\n{sender}: Lena Vogel <lena.vogel@example.de>\n"
        f"{sent}: 26.11.2026 18:01\n{to}: Jordan <jordan@podcast.example.com>\n"
        f"{about}: {subject.split(': ', 1)[1]}\n\n"
        "Do knee sleeves actually help with squats or are they just a crutch?\n",
        encoding="utf-8",
    )
    [question] = read_file(mail).questions
    assert (question.listener.name, question.listener.contact) == (
        "Lena Vogel",
        "lena.vogel@example.de",
    )
    assert question.title == subject.split(": ", 1)[1]
    assert question.body == "Do knee sleeves actually help with squats or are they just a crutch?"
    assert question.received_at == "2026-11-26T17:01:00Z"


def test_a_finnish_reply_vs_is_no_forward(tmp_path):
    # Finnish Outlook's "VS:" is a reply (Danish "VS:" forwards): the quoted original under
    # the rule is the host's, and the question is the listener's words above it
    mail = tmp_path / "vs.eml"
    mail.write_text(
        "From: Lena Vogel <lena.vogel@example.de>\nTo: show@podcast.example.com\n"
        "Subject: VS: Polvituet\nDate: Fri, 27 Nov 2026 09:00:00 +0200\n"
        "Message-ID: <vs-fi@example.com>\nContent-Type: text/plain; charset=utf-8\n\n"
        "Entä jos kyykkään ilman polvitukia?\n\n-----Alkuperäinen viesti-----\n"
        "Lähettäjä: Jordan <jordan@podcast.example.com>\nLähetetty: 26.11.2026 18:01\n"
        "Aihe: Polvituet\n\nThanks for writing in!\n",
        encoding="utf-8",
    )
    [question] = read_file(mail).questions
    assert question.listener.name == "Lena Vogel"
    assert question.body == "Entä jos kyykkään ilman polvitukia?"


def test_a_co_hosts_forward_asking_a_co_host_is_the_listeners_question(tmp_path):
    # "Austin - can you take this one?" above Jordan's forward asks Austin, not the show
    mail = tmp_path / "fw.eml"
    mail.write_text(
        OUTLOOK_FORWARD.replace("From: Jordan <jordan@", "From: Jordan Blake <jordan@").replace(
            "________________________________\n",
            "Austin - can you take this one?\n\n________________________________\n",
        ),
        encoding="utf-8",
    )
    [question] = read_file(mail, hosts=HOSTS).questions
    assert question.listener.name == "Lena Vogel"
    assert question.body.startswith("Do knee sleeves")
    assert "can you take this one?" in question.notes
    # a listener's own question above what they forward is still theirs
    [asked] = read_file(mail, hosts=["Austin"]).questions
    assert asked.listener.name == "Jordan Blake"


def test_an_empty_mail_whose_subject_asks_is_that_question(tmp_path):
    [question] = read("empty_body_subject_asks.eml").questions
    assert question.title == question.body == "Is it safe to take ashwagandha with an SSRI?"
    assert question.listener.name == "Dana Whitfield"
    empty = tmp_path / "hello.eml"
    empty.write_bytes(
        b"From: A <a@example.com>\nSubject: Hello\nMessage-ID: <h@x>\n"
        b"Content-Type: text/plain\n\n\n"
    )
    with pytest.raises(BadInput, match="an empty message"):  # not "only attachments?"
        read_file(empty)


def test_two_listeners_through_one_form_are_two_listeners_not_look_alikes(queue):
    batch, result = imported(queue, "webflow_two_submissions.mbox")
    assert len({q.listener.contact for q in batch.questions}) == 2
    assert all(not queue.get(i).similar_to for i in result.added)


def test_format_flowed_lines_are_joined_as_written():
    from qa_queue.importers.mail_message import unflowed

    [question] = read("thunderbird_flowed.eml").questions  # Thunderbird: format=flowed
    assert "My doctor says it's fine, but my smartwatch keeps flagging bradycardia." in (
        question.body
    )
    assert unflowed("one \ntwo\n> quoted \n> on\n-- \nsig") == "one two\n> quoted on\n-- \nsig"
    assert unflowed("a\n more", delsp=False) == "a\nmore"  # space-stuffed
    assert unflowed("wo \nrd", delsp=True) == "word"


@pytest.mark.parametrize(
    "footer",
    [
        "Wiadomość wysłana z poczty WP.pl | https://poczta.wp.pl",
        "Gesendet mit der GMX Mail App",
        "Sent with Proton Mail secure email.",
        "Yahoo Mail: Search, Organize, Conquer",
        "Enviado con Outlook para Android",
    ],
)
def test_webmail_and_app_footers_are_cut(footer):
    text = f"Is creatine safe after sixty?\n\nThanks,\nTomasz\n\n{footer}\n"
    assert question_text(text) == "Is creatine safe after sixty?\n\nThanks,\nTomasz"


@pytest.mark.parametrize(
    ("subject", "told"),
    [
        ("question", ""),
        ("Re: Quick question for the show", ""),
        ("Fwd: (no subject)", ""),
        ("Hi!", ""),
        ("Pregunta", ""),
        ("Re: LDN for fibro?", "LDN for fibro?"),
        ("A question about creatine", "A question about creatine"),
    ],
)
def test_a_subject_that_says_nothing_leaves_the_title_to_the_words(subject, told):
    from qa_queue.importers.mail_threads import telling_subject

    assert telling_subject(subject) == told


def test_a_sender_is_a_host_by_their_name_or_address_as_far_as_it_goes():
    from qa_queue.importers.mail_threads import host_named

    hosts = ["Austin Baraki", "Jordan"]
    assert host_named("Austin", "a@show.example.com", hosts) == "Austin Baraki"
    assert host_named("", "austin.baraki@gmail.com", hosts) == "Austin Baraki"
    assert host_named("", "jordan+show@gmail.com", hosts) == "Jordan"
    assert host_named("Austin Smith", "austin.smith@gmail.com", hosts) == ""  # a listener
    assert host_named("Lee", "lee@example.com", hosts) == ""
    # an address is all of a host's name or their first name, never more
    assert host_named("", "austin.baraki.fan@gmail.com", hosts) == ""
    assert host_named("Austin Baraki-Smith", "abs@gmail.com", hosts) == ""
    assert host_named("Dr. Austin Baraki, MD", "ab@clinic.example", hosts) == "Austin Baraki"


def test_a_plain_part_asking_to_see_the_html_one_gives_way_to_it():
    [question] = read("plain_part_says_view_in_html.eml").questions
    assert question.body.startswith("Hello! I have sickle cell trait. Is it safe")
    assert "HTML" not in question.body


def test_a_forward_as_an_attachment_is_the_attached_listeners_question():
    [question] = read("cohost_forward_as_attachment_rfc822.eml", hosts=["Jordan Blake"]).questions
    assert (question.listener.name, question.listener.contact) == ("Nils Berg", "nils@example.dk")
    assert question.title == "Tendon pain and collagen"
    assert question.body.startswith("Hej Jordan, does taking collagen with vitamin C")
    assert question.received_at == "2026-11-29T19:11:00Z"
    assert question.notes == "Forwarded by Jordan Blake <jordan@showpod.example>: For the mailbag."


def test_a_lists_digest_is_read_message_by_message(queue):
    batch, result = imported(queue, "mailman_mime_digest.eml")
    [question] = batch.questions[:1]
    assert (question.listener.name, question.title) == ("Hana Novak", "Protein before bed?")
    assert len(result.added) == 1 and len(result.joined) == 1  # Leo's reply joins Hana's
    assert "Digest" not in " ".join(q.title for q in batch.questions)
    assert not any(q.title.startswith("[") for q in batch.questions)  # the list's tag goes


def test_a_list_rewriting_the_sender_gives_the_listener_not_the_list():
    [question] = read("google_groups_via_rewrite.eml").questions
    assert (question.listener.name, question.listener.contact) == (
        "Ana Ruiz",
        "ana.ruiz@yahoo.example",
    )
    assert question.title == "Beta-alanine tingles"  # without "[askshow]"
    assert "Google Groups" not in question.body


@pytest.mark.parametrize(
    "name", ["gmail_show_original_copied.txt", "gmail_show_original_whole_page.txt"]
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_raw_message_saved_as_text_is_read_as_mail(tmp_path, name, newline):
    text = (MAIL / name).read_text(encoding="utf-8").replace("\n", newline)
    saved = tmp_path / name
    saved.write_bytes(text.encode("utf-8"))
    [question] = read_file(saved).questions
    assert (question.listener.name, question.title) == (
        "Tomás Reyes",
        "Sauna after lifting - kills gains?",
    )
    assert question.body.startswith("Hey guys, I heard a sauna right after lifting")
    assert question.source.kind == "email"


def test_a_post_with_typed_mail_lines_stays_a_forum_thread(tmp_path):
    post = tmp_path / "post.txt"
    post.write_text(
        "Creatine timing\n\nFrom: lee_99\nDate: 2026-11-20\nSubject: Creatine timing\n"
        "To: the show\n\nDoes it matter when I take creatine?\n",
        encoding="utf-8",
    )
    [question] = read_file(post).questions
    assert question.source.kind == "forum"


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("attachment_only_voice_memo.eml", r"no text, only a recording \(New Recording 14.m4a\)"),
        ("outlook_winmail_dat_tnef_only.eml", r"its text is in Outlook's winmail.dat \(TNEF\)"),
    ],
)
def test_a_message_of_attachments_only_says_what_it_holds(name, says):
    with pytest.raises(BadInput, match=says):
        read(name)


def test_an_outlook_forward_as_attachment_without_a_disposition_is_read():
    # Outlook attaches the message as message/rfc822 with no Content-Disposition
    hosts = ["Austin Baraki", "Jordan Feigenbaum"]
    [question] = read("outlook_forward_as_attachment_inline.eml", hosts=hosts).questions
    assert question.listener.name == "Priya Raman"
    assert "Jordan Feigenbaum" in question.notes


@pytest.mark.parametrize(
    "placeholder",
    [
        "To view this email message, open it in a program that understands HTML!",  # PHPMailer
        "To view this message, please use an HTML compatible email viewer!",
        "Please enable HTML to view this message.",
    ],
)
def test_more_html_placeholders_give_way_to_the_html_part(tmp_path, placeholder):
    mail = tmp_path / "ph.eml"
    mail.write_text(
        "From: Lee <lee@example.com>\nSubject: Belts\nMessage-ID: <ph@x>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        f"{placeholder}\n--b\nContent-Type: text/html\n\n<p>When should I start using a belt?</p>"
        "\n--b--\n",
        encoding="utf-8",
    )
    [question] = read_file(mail).questions
    assert question.body == "When should I start using a belt?"


def test_a_digests_messages_lose_the_lists_tag():
    titles = {q.title for q in read("mailman_digest_tagged.eml").questions}
    assert {"Grip strength?", "Sleep and gains"} <= titles
    assert not any("[" in title for title in titles)


@pytest.mark.parametrize(
    ("written", "when"),
    [
        ("20. marraskuuta 2026 10.15", "2026-11-20T09:15:00Z"),  # Finnish
        ("piątek, 20 listopada 2026 10:15", "2026-11-20T09:15:00Z"),  # Polish
        ("pátek 20. listopadu 2026 10:15", "2026-11-20T09:15:00Z"),  # Czech
        ("20 Kasım 2026 Cuma 10:15", "2026-11-20T09:15:00Z"),  # Turkish
        ("Donnerstag, 26. März 2026 18:01", "2026-03-26T17:01:00Z"),  # German
        ("martes, 3 de marzo de 2026 9:12", "2026-03-03T08:12:00Z"),  # Spanish
        ("3. června 2026 10:15", "2026-06-03T08:15:00Z"),  # Czech, summer time
    ],
)
def test_a_forwarded_date_with_a_month_in_another_language_is_read(written, when):
    from zoneinfo import ZoneInfo

    from qa_queue.importers.mail_forwards import _when

    assert _when(written, ZoneInfo("Europe/Warsaw")) == when


def test_what_a_listener_forwards_under_their_question_is_kept_in_the_notes():
    [question] = read("listener_forwards_doctors_mail.eml").questions
    assert question.listener.name == "Emily Carter"
    assert question.body.startswith("My doctor wrote this after my bloodwork.")
    assert question.notes.startswith("They forwarded, from Dr. Susan Wright:")
    assert "amlodipine 5 mg" in question.notes
