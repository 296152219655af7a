"""Importers: the seed thread, each fixture format, idempotency, bad files and fuzzing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.importers import read_file
from qa_queue.importers.email import parse_eml, parse_mbox, question_text
from qa_queue.importers.form import parse_form
from qa_queue.importers.ours import parse_json, parse_jsonl
from qa_queue.importers.thread import parse_thread
from tests.helpers import FIXTURES, ROOT, SEED

MTIME = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
FUZZ = settings(max_examples=150, deadline=None)


def fixed_mtime(_path: Path) -> datetime:
    return MTIME


def read(path: Path, **options):
    return read_file(path, mtime=fixed_mtime, **options)


# -- forum threads ----------------------------------------------------------------------------


def test_seed_thread_splits_question_host_answer_and_thanks():
    [question] = read(SEED).questions
    assert question.title == "Low Dose Naltrexone for Chronic Pain?"
    assert question.body.startswith("Hey BBM Crew,\n\nDo you know if low dose naltrexone")
    assert question.body.endswith("is LDN even worth discussing?\n\nThanks!")
    assert question.source.kind == "forum"
    assert question.received_at == "2026-11-20T09:30:00Z"
    host, thanks = question.replies
    assert (host.author, host.is_host) == ("Austin", True)
    assert host.text.startswith("As you noted,")
    assert host.text.endswith("would not generalize to all other chronic pain conditions.")
    assert thanks.text == "That makes sense, thanks Austin!"
    assert not thanks.is_host


def test_markdown_thread_with_separators_authors_and_meta_lines():
    [question] = read(FIXTURES / "forum_thread.md").questions
    assert question.title == "Is zone 2 cardio actually special, or is it just easy cardio?"
    assert question.listener.name == "Priya Raman"
    assert question.received_at == "2026-11-02T19:14:00Z"
    assert question.source.ref == "https://forum.example.com/t/is-zone-2-actually-special/48597"
    assert question.body.startswith("Hi all,")
    assert question.body.endswith("Thanks,\nPriya")
    assert [(r.author, r.is_host) for r in question.replies] == [
        ("Marcus", False),
        ("Jordan", True),
        ("Priya Raman", False),
    ]
    assert question.replies[2].text.startswith("Thanks Jordan, that's really helpful.")


def test_thread_known_host_names_mark_their_replies():
    text = "Title here\n\nMy question?\n\n---\n**Sam:** An answer.\n\n---\nFrom: Lee\n\nMe too\n"
    batch = parse_thread(text, name="t.txt", received_at="2026-01-01T00:00:00Z", hosts=["Sam"])
    assert [(r.author, r.is_host) for r in batch.questions[0].replies] == [
        ("Sam", True),
        ("Lee", False),
    ]


def test_thread_without_separators_splits_at_author_lines():
    text = "Title\n\n**Priya:** My question?\n\n**Austin (host):** An answer.\n\n**Priya:** ok!\n"
    [question] = parse_thread(text, name="t.md", received_at="x").questions
    assert (question.listener.name, question.body) == ("Priya", "My question?")
    assert [(r.author, r.is_host, r.text) for r in question.replies] == [
        ("Austin", True, "An answer."),
        ("Priya", False, "ok!"),
    ]


def test_thread_without_replies_is_all_question():
    batch = parse_thread("# Quick one\n\nIs creatine safe?\n", name="q.md", received_at="x")
    [question] = batch.questions
    assert (question.title, question.body) == ("Quick one", "Is creatine safe?")
    assert question.replies == []


def test_thread_import_key_is_stable_and_ignores_whitespace(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text(SEED.read_text(encoding="utf-8").replace("\n", "\r\n") + "\n\n")
    assert read(copy).questions[0].import_key == read(SEED).questions[0].import_key


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Only a title\n", "line 2"),
        ("#\n\nbody\n", "line 1"),
        ("Title\n\nDate: someday soon\n\nbody\n", "line 3"),
    ],
)
def test_bad_thread_names_file_and_line(tmp_path, text, where):
    path = tmp_path / "thread.txt"
    path.write_text(text)
    with pytest.raises(BadInput) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {where}: ")
    assert "\n" not in message


@FUZZ
@given(st.text())
def test_thread_parser_only_ever_raises_bad_input(text):
    try:
        batch = parse_thread(text, name="fuzz.txt", received_at="2026-01-01T00:00:00Z")
    except BadInput as error:
        assert "\n" not in str(error)
    else:
        assert batch.questions[0].import_key.startswith("thread:")


# -- our JSON and JSONL -----------------------------------------------------------------------


def test_jsonl_fixture_keeps_fields_and_rejects_the_bad_line():
    batch = read(FIXTURES / "questions.jsonl")
    first, second = batch.questions
    assert first.listener.contact == "+44 7700 900123"
    assert first.source.kind == "voicemail"
    assert first.import_key == "voicemail:2026-10-30-0712"
    assert second.received_at == "2026-11-04T17:40:00Z"  # canonical UTC
    assert (second.status, second.host, second.notes) == (
        "triaged",
        "jordan",
        "Jordan knows the Nordic meta-analyses well.",
    )
    assert second.import_key.startswith("json:")
    assert batch.rejected == [
        f"{FIXTURES / 'questions.jsonl'}: line 4: priority should be int, not str"
    ]


def test_demo_file_links_duplicates_by_key_and_keeps_settings():
    batch = read(ROOT / "data" / "demo.json")
    assert batch.rejected == []
    keys = [q.import_key for q in batch.questions]
    assert "demo:creatine-kidneys" in keys
    assert batch.duplicates == {"demo:creatine-kidneys-forum": "demo:creatine-kidneys"}
    assert all(q.duplicate_of is None for q in batch.questions)
    assert batch.meta["podcast"] == "Barbell Medicine Q&A"
    assert [e["number"] for e in batch.meta["episodes"]] == [211, 212, 213]


def test_json_list_round_trips_to_dict():
    [question] = read(SEED).questions
    question.notes = "internal"
    text = "[" + json.dumps(question.to_dict()) + "]"
    assert parse_json(text, name="x.json").questions == [question]


def test_json_file_holding_json_lines_is_read_as_jsonl(tmp_path):
    path = tmp_path / "lines.json"
    path.write_text((FIXTURES / "questions.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    assert len(read(path).questions) == 2


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[\n  {"title": "a",\n   "body": }\n]', "line 3"),
        ('{oops}\n{"title": "a", "body": "b", "received_at": "2026-01-01T00:00:00Z"}\n', "line 1"),
        ('"just a string"', "line 1: expected a list of questions"),
    ],
)
def test_bad_json_names_file_and_line(tmp_path, text, where):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(BadInput) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}: {where}")


def test_question_with_wrong_shapes_is_rejected_not_raised():
    text = '[{"title": "t", "body": "b", "received_at": "yesterday"}, 3, {"title": "t"}]'
    batch = parse_json(text, name="odd.json")
    assert batch.questions == []
    assert [r.split(": ")[1] for r in batch.rejected] == ["question 1", "question 2", "question 3"]


@FUZZ
@given(st.text())
def test_json_parsers_only_ever_raise_bad_input(text):
    for parse in (parse_json, parse_jsonl):
        try:
            parse(text, name="fuzz.json")
        except BadInput as error:
            assert "\n" not in str(error)


@FUZZ
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    ),
    st.sampled_from(["title", "body", "received_at", "listener", "answer", "drafts", "history"]),
)
def test_json_questions_with_arbitrary_field_values_never_crash(value, key):
    question = {"title": "t", "body": "b", "received_at": "2026-01-01T00:00:00Z", key: value}
    batch = parse_json(json.dumps([question]), name="fuzz.json")
    assert len(batch.questions) + len(batch.rejected) == 1


# -- web-form CSV ------------------------------------------------------------------------------


def test_google_form_csv_with_bom_crlf_multiline_field_and_a_bad_row():
    path = FIXTURES / "google_form.csv"
    batch = read(path)
    alex, mercy, anonymous = batch.questions
    assert alex.title == "I work rotating shifts as a paramedic (two days, two nights, four off)."
    assert alex.body.startswith("I work rotating shifts as a paramedic")
    assert "\n\nIs it better to lift before a night shift" in alex.body
    assert "\r" not in alex.body
    assert alex.received_at == "2026-11-03T14:22:05Z"  # US month/day, as Google Forms writes it
    assert (alex.listener.name, alex.listener.contact) == ("Alex Kim", "alex.kim@example.com")
    assert alex.listener.credit == "first"
    assert alex.tags == ["sleep", "shift-work"]
    assert alex.source.kind == "form"
    assert mercy.listener.credit == "full"
    assert (anonymous.listener.name, anonymous.listener.credit) == ("", "anonymous")
    assert batch.rejected == [
        f"{path}: row 4 (line 6): cannot understand the date 'last tuesday-ish'"
    ]


def test_typeform_csv_with_other_headers_subject_and_extra_context():
    sofia, kenji = read(FIXTURES / "typeform.csv").questions
    assert sofia.title == "Deadlifts with a herniated disc"
    assert sofia.listener.name == "Sofia Lindqvist"  # first name + last name columns
    assert sofia.body.endswith("Should I avoid them forever?\n\nI'm 41 and otherwise healthy.")
    assert sofia.received_at == "2026-11-03T14:22:05Z"  # the submit date, not the start date
    assert (sofia.source.ref, sofia.tags) == ("k3v9q2m8x1", ["back-pain"])
    assert kenji.title.startswith("What's the minimum effective dose of cardio")
    assert len(kenji.title) <= 80


def test_form_mapping_names_columns_no_header_would_reveal():
    text = "When,Who,Mail,Text\n2026-11-03 14:22:05,Lee,lee@example.com,Is rucking good cardio?\n"
    mapping = {"received_at": "When", "name": "Who", "email": "Mail", "body": "Text"}
    [question] = parse_form(text, name="f.csv", received_at="x", mapping=mapping).questions
    assert (question.title, question.listener.contact) == (
        "Is rucking good cardio?",
        "lee@example.com",
    )
    assert question.received_at == "2026-11-03T14:22:05Z"
    with pytest.raises(BadInput, match=r"f\.csv: no column 'Body' to map body to"):
        parse_form(text, name="f.csv", received_at="x", mapping={"body": "Body"})


def test_form_without_a_question_column_is_refused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("Order,Amount\n1,20\n")
    with pytest.raises(BadInput, match=r"orders\.csv: row 1: no question column found"):
        read(path)


def test_form_rows_with_too_many_cells_or_no_question_are_rejected():
    text = "Question,Name\nFirst?,Ann\n,Bob\nThird?,Cy,extra\nFourth?,Di\n"
    batch = parse_form(text, name="f.csv", received_at="2026-01-01T00:00:00Z")
    assert [q.title for q in batch.questions] == ["First?", "Fourth?"]
    assert batch.rejected == [
        "f.csv: row 3: no question text",
        "f.csv: row 4: 3 cells but the header has 2 columns",
    ]


@FUZZ
@given(st.text())
def test_form_parser_only_ever_raises_bad_input(text):
    try:
        parse_form("Question,Timestamp,Name\n" + text, name="f.csv", received_at="x")
        parse_form(text, name="f.csv", received_at="x")
    except BadInput as error:
        assert "\n" not in str(error)


# -- e-mail ------------------------------------------------------------------------------------


def test_mbox_reads_plain_alternative_html_only_and_reply_messages():
    plain, alternative, html_only, reply = read(FIXTURES / "listener_mail.mbox").questions
    assert plain.title == "Knee sleeves for squats: crutch or useful?"
    assert (plain.listener.name, plain.listener.contact) == (
        "Lena Fischer",
        "lena.fischer@example.de",
    )
    assert plain.received_at == "2026-11-02T08:14:03Z"
    assert plain.source.kind == "email"
    assert plain.source.ref == "<20261102091403.4471.lena@mail.example.de>"
    assert plain.import_key == "email:<20261102091403.4471.lena@mail.example.de>"
    assert "\nFrom what I've read" in plain.body  # mbox's ">From" quoting undone
    assert alternative.body.startswith("My ferritin came back at 14 ng/mL")  # the plain part
    assert "<" not in html_only.body and "alert" not in html_only.body
    assert '"above the neck" rule' in html_only.body
    assert "- Runny nose: train?\n- Fever: rest?" in html_only.body
    assert html_only.title == "Is it safe to lift with a cold?"
    assert reply.title == "Deadlift and lower back pain"
    assert reply.body.endswith("should I get it checked?\n\nMark")
    assert "wrote:" not in reply.body and ">" not in reply.body and "train" not in reply.body


def test_single_eml_decodes_encoded_headers_and_drops_the_signature():
    [question] = read(FIXTURES / "single_message.eml").questions
    assert question.title == "¿Creatine while breastfeeding?"
    assert question.listener.name == "José Ramírez"
    assert question.received_at == "2026-11-13T00:03:27Z"
    assert question.body.endswith("Gracias,\nJosé")
    assert "+52" not in question.body


def test_quoted_reply_markers_in_other_shapes_are_left_out():
    text = "New info here.\n> old line\nMore.\n-----Original Message-----\nFrom: host"
    assert question_text(text) == "New info here.\nMore."
    assert question_text("Hi\n\nSent from my iPhone") == "Hi"


def test_message_without_a_question_is_rejected_with_its_number():
    mbox = (
        b"From a@example.com Mon Nov  2 08:14:03 2026\nFrom: A <a@example.com>\n"
        b"Subject: hi\n\nA real question?\n\n"
        b"From b@example.com Mon Nov  2 08:15:03 2026\nFrom: B <b@example.com>\n"
        b"Subject: Re: hi\n\n> only quoted text\n"
    )
    batch = parse_mbox(mbox, name="in.mbox", received_at="2026-01-01T00:00:00Z")
    assert [q.title for q in batch.questions] == ["A real question?"]  # "hi" says nothing
    assert batch.rejected == [
        "in.mbox: message 2: no question text (only quoted text or a signature)"
    ]
    # no Date: header: the time of its mbox "From " line, not the file's
    assert batch.questions[0].received_at == "2026-11-02T08:14:03Z"
    assert batch.questions[0].import_key.startswith("email:")


@pytest.mark.parametrize(
    ("file", "data", "message"),
    [
        ("box.mbox", b"Subject: no From line\n\nhi\n", "box.mbox: line 1: not an mbox file"),
        ("note.eml", b"just some words\n", "note.eml: line 1: not an e-mail message"),
        ("q.eml", b"From: a@example.com\nSubject: x\n\n-- \nsig\n", "q.eml: message: no question"),
    ],
)
def test_bad_mail_files_name_file_and_place(tmp_path, file, data, message):
    path = tmp_path / file
    path.write_bytes(data)
    with pytest.raises(BadInput) as caught:
        read(path)
    assert str(caught.value).startswith(str(tmp_path / message))


@FUZZ
@given(st.binary())
def test_mail_parsers_only_ever_raise_bad_input(data):
    for candidate in (data, b"From x@example.com Mon Nov  2 08:14:03 2026\n" + data):
        for parse in (parse_mbox, parse_eml):
            try:
                parse(candidate, name="fuzz", received_at="2026-01-01T00:00:00Z")
            except BadInput as error:
                assert "\n" not in str(error)


# -- choosing a reader ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture",
    [
        "google_form.csv",
        "typeform.csv",
        "questions.jsonl",
        "forum_thread.md",
        "listener_mail.mbox",
        "single_message.eml",
    ],
)
def test_importing_the_same_file_twice_gives_the_same_keys(fixture):
    first = [q.import_key for q in read(FIXTURES / fixture).questions]
    again = [q.import_key for q in read(FIXTURES / fixture).questions]
    assert first == again
    assert len(set(first)) == len(first) and all(first)


def test_importing_into_the_queue_twice_adds_nothing_the_second_time(queue):
    for fixture in ("google_form.csv", "listener_mail.mbox", "forum_thread.md"):
        first = queue.import_questions(read(FIXTURES / fixture).questions)
        again = queue.import_questions(read(FIXTURES / fixture).questions)
        assert first.added and again.added == []
        assert sorted(again.skipped) == sorted(first.added)


def test_unknown_extension_is_refused(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04 binary")
    with pytest.raises(BadInput, match=r"notes\.docx: cannot import '\.docx' files"):
        read(path)


def test_missing_and_empty_files_are_refused(tmp_path):
    with pytest.raises(BadInput, match="cannot read the file"):
        read(tmp_path / "absent.txt")
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    with pytest.raises(BadInput, match=r"empty\.md: the file is empty"):
        read(empty)


def test_text_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Title\n\nCaf\xe9 question\n".encode("latin-1"))
    with pytest.raises(BadInput, match=r"latin\.txt: line 3: not UTF-8"):
        read(path)


@pytest.mark.parametrize("fixture", ["google_form.csv", "typeform.csv", "listener_mail.mbox"])
def test_a_large_file_streams_in_batches_to_the_same_questions(fixture):
    """Streaming (forced here with stream_from=0 and batches of one) reads what read_file reads."""
    from qa_queue.importers import stream_file

    path = FIXTURES / fixture
    whole = read_file(path, mtime=lambda _: datetime(2026, 11, 24, tzinfo=UTC))
    batches = list(
        stream_file(path, size=1, stream_from=0, mtime=lambda _: datetime(2026, 11, 24, tzinfo=UTC))
    )
    assert len(batches) >= len(whole.questions)
    streamed = [q for batch in batches for q in batch.questions]
    assert [q.to_dict() for q in streamed] == [q.to_dict() for q in whole.questions]
    assert [r for batch in batches for r in batch.rejected] == whole.rejected


@pytest.mark.parametrize(("bad_line", "before"), [(2, 0), (40, 0), (1900, 1890)])
def test_a_streamed_csv_names_the_line_of_a_byte_that_is_not_utf8(tmp_path, bad_line, before):
    """Read as it goes, a UTF-8 file (its header says Zoë) still names the exact line of a
    byte that is not UTF-8: at once when it is in the first 64 KB, which the encoding is
    guessed from; else when it comes, the batches before it whole."""
    from qa_queue.importers import stream_file

    lines = ["Timestamp,Your name,What would you like to ask Zoë?\n".encode()]
    lines += [
        f"11/03/2026 14:22:05,Listener {n},Question {n}? {'x' * 30}\n".encode() for n in range(2000)
    ]
    lines[bad_line - 1] = b"11/05/2026 14:22:05,Cy,Caf\xe9 au lait?\n"
    path = tmp_path / "export.csv"
    path.write_bytes(b"".join(lines))
    questions = []
    with pytest.raises(BadInput, match=rf"export\.csv: line {bad_line}: not UTF-8"):
        for batch in stream_file(path, size=10, stream_from=0):
            questions += batch.questions
    # the batches before the bad place came whole
    assert len(questions) == before


def test_a_csv_that_is_not_utf8_anywhere_is_read_as_windows_1252(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Question,Name\nCaf\xe9 au lait \x80 5?,Ren\xe9e\n")
    batch = read(path)
    [question] = batch.questions
    assert (question.body, question.listener.name) == ("Café au lait € 5?", "Renée")
    assert batch.notes[0] == "read as Windows-1252 (not UTF-8: as Excel saves it), comma-separated"


@pytest.mark.parametrize(
    ("asked", "title"),
    [
        ("Hi guys! Is creatine safe for kidneys?", "Is creatine safe for kidneys?"),
        ("Hey Austin and Jordan, quick one: is zone 2 worth it?", "Quick one: is zone 2 worth it?"),
        ("Hallo zusammen, ist Sauna nach dem Training gut?", "Ist Sauna nach dem Training gut?"),
        ("Great show! Value4value! How much protein per meal?", "How much protein per meal?"),
        ("Hey guys, longtime listener here. Is LDN any good?", "Is LDN any good?"),
        ("Hi, is creatine safe?", "Is creatine safe?"),
        ("Thanks!", "Thanks!"),  # nothing after it: the opening is all there is
        (
            "Great question from my coach: is zone 2 overrated?",
            "Great question from my coach: is zone 2 overrated?",
        ),
    ],
)
def test_a_title_skips_an_opening_that_only_greets_or_praises(asked, title):
    from qa_queue.importers.common import title_from

    assert title_from(asked) == title
