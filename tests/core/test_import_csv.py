"""CSV-family imports as the tools really write them: encodings, delimiters, time zones, column
phrasings in five languages, Helipad boosts, --map, content keys, and rows that never merge."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.importers import read_file, stream_file
from qa_queue.importers.columns import credit_from, recognise
from qa_queue.importers.common import parse_date
from qa_queue.importers.csv_sniff import DELIMITERS, sniff_dialect
from qa_queue.importers.form import parse_form, read_form
from qa_queue.model.question import name_without_contacts
from tests.helpers import FIXTURES, run_cli

MTIME = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read(name: str, **options):
    return read_file(FIXTURES / name, mtime=lambda _: MTIME, **options)


def people(batch):
    return [(q.listener.name, q.listener.contact, q.listener.credit.value) for q in batch.questions]


# -- time zones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2026/11/26 6:01:00 PM GMT+1", "2026-11-26T17:01:00Z"),  # not dateutil's UTC-1
        ("2026/11/26 6:01:00 AM GMT-5", "2026-11-26T11:01:00Z"),
        ("2026-11-26 18:01 UTC-5", "2026-11-26T23:01:00Z"),
        ("2026-11-26 18:01:00 GMT+5:30", "2026-11-26T12:31:00Z"),
        ("2026-11-26T18:01:00+01:00", "2026-11-26T17:01:00Z"),
        ("2026-11-26 18:01:00 +0100", "2026-11-26T17:01:00Z"),
        ("2026-11-26T17:01:00Z", "2026-11-26T17:01:00Z"),
        ("2026-11-26 18:01:00 Europe/Berlin", "2026-11-26T17:01:00Z"),
        ("2026-07-26 18:01:00 Europe/Berlin", "2026-07-26T16:01:00Z"),  # summer time
        ("2026-11-26 18:01 CET", "2026-11-26T17:01:00Z"),
        ("Nov 26 2026 12:01 PST", "2026-11-26T20:01:00Z"),
        ("2026-11-26 13:01 EST", "2026-11-26T18:01:00Z"),
        (
            "Thu Nov 26 2026 18:01:00 GMT+0100 (Central European Standard Time)",
            "2026-11-26T17:01:00Z",
        ),
        ("1795712460", "2026-11-26T17:01:00Z"),  # epoch seconds
        ("1795712460000", "2026-11-26T17:01:00Z"),  # epoch milliseconds
        ("26.11.2026 18:01", "2026-11-26T18:01:00Z"),
        (" 6 Nov 2026 18:01:00 UTC", "2026-11-06T18:01:00Z"),
        ("2026/11/26 12:01:00 AM GMT", "2026-11-26T00:01:00Z"),
    ],
)
def test_time_zones_are_honoured_exactly(written, stored):
    assert parse_date(written) == stored


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("2026-11-26 18:01 CST", "names several"),
        ("2026-11-26 18:01 IST", "names several"),
        ("2026-11-26 18:01 Mars/Olympus", "unknown time zone"),
        ("2026-11-26 18:01 GMT+19", "not one on Earth"),
    ],
)
def test_zones_that_name_no_one_offset_are_refused(written, why):
    with pytest.raises(ValueError, match=why):
        parse_date(written)


@FUZZ
@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    st.integers(-12, 14),
    st.sampled_from(["GMT", "UTC"]),
)
def test_any_gmt_offset_reads_as_written(moment, hours, name):
    moment = moment.replace(microsecond=0)
    sign = "+" if hours >= 0 else "-"
    text = f"{moment:%Y/%m/%d %I:%M:%S %p} {name}{sign}{abs(hours)}"
    expected = (moment - __import__("datetime").timedelta(hours=hours)).replace(tzinfo=UTC)
    assert parse_date(text) == expected.isoformat().replace("+00:00", "Z")


# -- the fixtures, as each tool writes its export -----------------------------------------------


def test_google_forms_gmt_offsets_long_name_header_and_credit():
    batch = read("google_forms_gmt.csv")
    lena, anonymous, priya = batch.questions
    assert [q.received_at for q in batch.questions] == [
        "2026-11-26T17:01:00Z",
        "2026-11-27T14:15:30Z",
        "2026-11-27T18:17:02Z",
    ]
    assert (lena.listener.name, lena.listener.credit) == ("Lena Fischer", "full")
    assert anonymous.listener.name == ""
    assert (priya.listener.name, priya.listener.credit) == ("Priya Raman", "first")
    assert "'Your name (or leave blank to stay anony…' = name" in batch.notes[1]


def test_excel_cp1252_semicolons_crlf_without_a_time_column():
    batch = read("excel_semicolon_cp1252.csv")
    assert (
        batch.notes[0] == "read as Windows-1252 (not UTF-8: as Excel saves it), semicolon-separated"
    )
    protein, kidneys, knees = batch.questions
    assert protein.listener.name == kidneys.listener.name == "Jörg Müller"  # both questions in
    assert protein.import_key != kidneys.import_key
    assert kidneys.body == 'Ist Kreatin für die Nieren gefährlich? Mein Arzt sagt "vielleicht".'
    assert "80 €" in knees.body and knees.listener.credit == "anonymous"  # "Nein"
    assert protein.listener.credit == "first"  # "Ja"
    assert (
        "row 5 repeats row 2 (the same words from the same listener): imported once" in batch.notes
    )
    assert batch.rejected == []


def test_excel_unicode_text_is_utf16_tab_separated_in_a_txt():
    batch = read("excel_unicode_text.txt")
    assert batch.notes[0] == "read as UTF-16 LE with BOM, tab-separated"
    helene, marc = batch.questions
    assert (helene.listener.name, helene.received_at) == ("Hélène Dupré", "2026-11-26T18:01:00Z")
    assert helene.listener.credit == "first"  # "Oui"
    assert marc.body == "Combien de séries par semaine pour les fessiers ?\nJe fais 3 séances."
    assert marc.listener.credit == "anonymous"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "tally.csv",
            [
                ("João Simões", "joao@example.pt", "first"),
                ("João Simões", "joao@example.pt", "anonymous"),
            ],
        ),
        ("jotform.csv", [("José Ramírez", "jose@example.mx", "first")]),
        ("msforms.csv", [("", "", "anonymous"), ("Sam Lee", "sam.lee@example.com", "first")]),
        ("surveymonkey.csv", [("Kwame Mensah", "kwame@example.gh", "full")]),
        (
            "typeform.csv",
            [
                ("Sofia Lindqvist", "sofia.l@example.se", "first"),
                ("Kenji", "kenji@example.jp", "first"),
            ],
        ),
    ],
)
def test_form_services_columns_in_their_languages(fixture, expected):
    batch = read(fixture)
    assert people(batch) == expected
    assert batch.rejected == []
    assert all(q.received_at.startswith("2026-11-") for q in batch.questions)


def test_surveymonkey_second_header_row_is_skipped_and_said():
    batch = read("surveymonkey.csv")
    assert "row 2: a second header row (SurveyMonkey's), skipped" in batch.notes
    assert batch.questions[0].received_at == "2026-11-26T18:01:12Z"  # End Date, 6:01:12 PM


@pytest.mark.parametrize(
    "fixture", ["mailchimp_survey_responses.csv", "surveymonkey_multichoice.csv"]
)
def test_a_multi_choice_question_in_one_column_per_option_gives_all_its_tags(fixture):
    # Mailchimp: "Which topics interest you? (Sleep)", "… (Nutrition)"; SurveyMonkey: the
    # question over its first option's column, the options in its second header row
    batch = read(fixture)
    assert [q.tags for q in batch.questions] == [["sleep", "training"], ["nutrition"]]
    assert batch.rejected == []


def test_an_option_ticked_with_a_mark_is_named_by_its_header():
    text = (
        "Email,Question,Topics [Sleep],Topics [Nutrition],Topics [Training]\r\n"
        "a@example.com,Sauna?,1,,X\r\n"
    )
    [question] = parse_form(text, name="f.csv", received_at="x").questions
    assert question.tags == ["sleep", "training"]


def test_helipad_boosts_keep_sender_message_time_and_sats():
    batch = read("helipad_boosts.csv")
    first, second = batch.questions
    assert (first.listener.name, first.listener.credit, first.boost_sats) == (
        "Sir Libre",
        "full",
        2100,
    )
    assert first.received_at == "2026-11-26T17:01:00Z"
    assert first.source.kind == "boost" and first.source.ref == "5121"
    assert second.body == 'Row row row your boat... what about rowing "machines" for cardio?'
    assert second.boost_sats == 33333
    assert "left out 1 row without a message (streamed sats, boosts without words)" in batch.notes
    assert batch.rejected == []


def test_helipad_2021_export_with_epoch_time_and_spaced_cells():
    [dave] = read("helipad_boosts_2021.csv").questions
    assert (dave.listener.name, dave.received_at, dave.boost_sats) == (
        "Dave",
        "2021-11-26T17:01:00Z",
        1000,
    )
    assert dave.body == "Can you talk about grip strength and longevity?"


def test_unterminated_quote_rejects_its_row_and_keeps_the_next():
    batch = read("unterminated_quote.csv")
    path = FIXTURES / "unterminated_quote.csv"
    assert batch.rejected == [
        f"{path}: row 2 (lines 2–3): a quote opened in it is never closed (line 4 starts a row "
        "of its own and was read as one)",
        f"{path}: row 4 (line 5): 5 cells but the header has 4 columns",
    ]
    mercy, dana = batch.questions
    assert (mercy.listener.contact, mercy.body) == (
        "m.oduya@example.net",
        "Is beetroot juice worth it for a 10k?",
    )
    assert dana.body == "How do I program for two sessions a week,\n40 minutes each?"


def test_a_quote_open_to_the_end_of_the_file_is_rejected():
    text = 'Question,Name\nFine?,Ann\n"Never closed,Bob\nmore words\n'
    batch = parse_form(text, name="f.csv", received_at="2026-01-01T00:00:00Z")
    assert [q.body for q in batch.questions] == ["Fine?"]
    assert batch.rejected == [
        "f.csv: row 3 (lines 3–4): a quote opened in it is never closed "
        "(it runs to the end of the file)"
    ]


@pytest.mark.parametrize(
    "fixture",
    [
        "google_forms_gmt.csv",
        "excel_semicolon_cp1252.csv",
        "excel_unicode_text.txt",
        "helipad_boosts.csv",
        "fountain_creator_activity.csv",
        "unterminated_quote.csv",
    ],
)
def test_streaming_reads_what_the_whole_read_reads(fixture):
    whole = read(fixture)
    batches = list(stream_file(FIXTURES / fixture, size=1, stream_from=0, mtime=lambda _: MTIME))
    assert [q.to_dict() for b in batches for q in b.questions] == [
        q.to_dict() for q in whole.questions
    ]
    assert [r for b in batches for r in b.rejected] == whole.rejected
    assert [n for b in batches for n in b.notes] == whole.notes


# -- keys without a time or an id ----------------------------------------------------------------


def test_content_keys_keep_questions_apart_and_reimport_adds_nothing(queue):
    first = queue.import_questions(read("excel_semicolon_cp1252.csv").questions)
    assert len(first.added) == 3
    again = queue.import_questions(read("excel_semicolon_cp1252.csv").questions)
    assert again.added == [] and sorted(again.skipped) == sorted(first.added)


def test_same_time_and_address_but_other_words_is_a_second_question():
    text = (
        "Timestamp,Email,Question\n2026-11-03 14:22:05,a@example.com,One?\n"
        "2026-11-03 14:22:05,a@example.com,Two?\n"
    )
    batch = parse_form(text, name="f.csv", received_at="x")
    assert [q.body for q in batch.questions] == ["One?", "Two?"]
    assert len({q.import_key for q in batch.questions}) == 2
    assert (
        batch.questions[0].import_key
        == parse_form(text, name="f.csv", received_at="x").questions[0].import_key
    )


# -- --map -------------------------------------------------------------------------------------


def test_map_names_credit_by_part_of_its_header_or_by_number():
    text = "When,Who,Text,Okay to say who you are\n2026-11-03 14:22:05,Lee Park,Why?,nope\n"
    mapping = {"name": "Who", "credit": "okay to say", "received_at": "1", "body": "Text"}
    [question] = parse_form(text, name="f.csv", received_at="x", mapping=mapping).questions
    assert (question.listener.name, question.listener.credit) == ("Lee Park", "anonymous")
    with pytest.raises(BadInput, match="cannot map 'colour'"):
        parse_form(text, name="f.csv", received_at="x", mapping={"colour": "Who"})
    with pytest.raises(BadInput, match="'w' is in several columns"):
        parse_form(text, name="f.csv", received_at="x", mapping={"body": "w"})


def test_map_can_take_a_column_the_importer_gave_another_role():
    text = "Name,Question,Anonymous?\nAnn,Why?,yes\n"
    [question] = parse_form(
        text, name="f.csv", received_at="x", mapping={"title": "Name"}
    ).questions
    assert question.title == "Ann" and question.listener.name == ""
    assert question.listener.credit == "anonymous"  # "Anonymous? yes"


@pytest.mark.parametrize(
    ("answer", "anonymous_question", "credit"),
    [
        ("Yes, my full name is fine", False, "full"),
        ("First name only", False, "first"),
        ("Nein", False, "anonymous"),
        ("Non", False, "anonymous"),
        ("Não", False, "anonymous"),
        ("Sí, solo el nombre", False, "first"),
        ("Oui, mon nom complet", False, "full"),
        ("Yes", True, "anonymous"),
        ("No", True, "first"),
        ("Please keep me anonymous", False, "anonymous"),
    ],
)
def test_credit_answers_in_five_languages(answer, anonymous_question, credit):
    assert credit_from(answer, anonymous_question) == credit


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Your name (or leave blank to stay anonymous)", "name"),
        ("Marca temporal", "received_at"),
        ("Zeitstempel", "received_at"),
        ("Horodateur", "received_at"),
        ("Carimbo de data/hora", "received_at"),
        ("Dirección de correo electrónico", "email"),
        ("E-Mail-Adresse", "email"),
        ("Was möchtest du uns fragen?", "body"),
        ("¿Cuál es tu pregunta?", "body"),
        ("Quelle est votre question ?", "body"),
        ("Betreff", "title"),
        ("Assunto da pergunta", "title"),
        ("Can we say your name on the show?", "credit"),
        ("Möchten Sie anonym bleiben?", "credit"),
        ("Can we mention you on air?", "credit"),
        ("OK to shout you out on the show?", "credit"),
        ("Dürfen wir dich in der Folge erwähnen?", "credit"),
        ("¿Podemos mencionarte en el programa?", "credit"),
        ("Pouvons-nous vous citer dans l'épisode ?", "credit"),
        ("Podemos te mencionar no episódio?", "credit"),
    ],
)
def test_headers_in_long_phrasings_and_five_languages(header, role):
    columns = recognise(["Question" if role != "body" else "Other", header])
    assert columns.single.get(role) == 1 or (role == "body" and columns.body == [1])


# -- the parsers, fuzzed -----------------------------------------------------------------------

CELL = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30)


def _also_utf8(data: bytes) -> bool:
    """Whether the bytes read as UTF-8, at least up to where they break after a character
    that only UTF-8 writes so ("Â\xa0\xa0" in Windows-1252: UTF-8's "\xa0", then a byte
    UTF-8 cannot have, as in a damaged UTF-8 file, which is what it is taken for)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return re.search(rb"[\xc2-\xf4][\x80-\xbf]+", data[: error.start]) is not None
    return True


@FUZZ
@given(
    st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_any_table_round_trips_whatever_its_delimiter_and_encoding(rows, delimiter, encoding, end):
    rows = [(f"Question {n}: {body}", f"L{n} {name}") for n, (body, name) in enumerate(rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=end, quoting=csv.QUOTE_ALL)
    writer.writerow(["Timestamp", "Your question", "Your name"])
    for n, (body, name) in enumerate(rows):
        writer.writerow([f"2026-11-{1 + n:02d} 10:00:00", body, name])
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return  # cp1252 cannot hold every character: Excel would not have written it
    if encoding == "cp1252" and not data.isascii() and _also_utf8(data):
        return  # "Â\xa0" in cp1252 is the bytes of UTF-8's "\xa0": no reader can tell them apart
    batch = read_form(data, name="t.csv", received_at="x")
    assert batch.rejected == []
    assert f"{DELIMITERS[delimiter]}-separated" in batch.notes[0]
    if encoding == "cp1252" and "Mac Roman" in batch.notes[0]:
        # a few bytes that read as words both ways ("Ð" is Mac Roman's "–"): either reading
        # may win, and the report says which (the Mac Roman tests check each on its own)
        return
    expected = [
        # an address or phone number in the name cell is a contact, never the name
        (" ".join(body.replace("\r\n", "\n").strip().split()), name_without_contacts(name))
        for body, name in rows
    ]
    got = [(" ".join(q.body.split()), q.listener.name) for q in batch.questions]
    assert got == expected


@FUZZ
@given(
    st.lists(
        st.text(st.characters(whitelist_categories=["L", "N", "Zs"]), min_size=1, max_size=40),
        min_size=2,
        max_size=8,
    ),
    st.data(),
    st.sampled_from([",", ";"]),
)
def test_an_unterminated_quote_never_merges_rows(bodies, data, delimiter):
    """Any row may lose its closing quote (and have line breaks in it): the rows after it
    come in on their own, each with its own address, and the broken one is rejected."""
    broken = data.draw(st.integers(0, len(bodies) - 1))
    lines = [delimiter.join(["Timestamp", "Email", "Question"])]
    for n, body in enumerate(bodies):
        text = f"Q{n} " + body.replace('"', "")
        cell = f'"{text}\nmore of it' if n == broken else f'"{text}"'
        lines.append(f"2026-11-{1 + n:02d} 10:00:00{delimiter}l{n}@example.com{delimiter}{cell}")
    batch = parse_form("\n".join(lines) + "\n", name="f.csv", received_at="x")
    contacts = [q.listener.contact for q in batch.questions]
    assert contacts == [f"l{n}@example.com" for n in range(len(bodies)) if n != broken]
    for question in batch.questions:
        assert "@" not in question.body and "2026-11" not in question.body
    assert len(batch.rejected) == 1 and "never closed" in batch.rejected[0]
    assert re.search(rf"row {broken + 2} \(lines? {broken + 2}", batch.rejected[0])


@FUZZ
@given(st.binary(max_size=300))
def test_csv_bytes_only_ever_raise_bad_input(data):
    for candidate in (data, b"Question,Timestamp,Name\n" + data):
        try:
            read_form(candidate, name="f.csv", received_at="x")
        except BadInput as error:
            assert "\n" not in str(error)


@FUZZ
@given(
    st.lists(
        st.lists(st.text("abc ,;|\t", max_size=5), min_size=3, max_size=3), min_size=2, max_size=6
    ),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_the_sniffer_finds_the_delimiter_of_a_consistent_table(rows, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL).writerows(
        [["a b", "c d", "e f"], *rows]
    )
    assert sniff_dialect(buffer.getvalue()).delimiter == delimiter


# -- the report ---------------------------------------------------------------------------------


@pytest.fixture
def db(private_home, tmp_path) -> str:
    return str(tmp_path / "q.json")


def test_cli_report_says_what_was_guessed_and_where_rows_were_rejected(capsys, db):
    path = FIXTURES / "unterminated_quote.csv"
    code, out, err = run_cli(capsys, "--db", db, "import", str(path))
    assert code == 0
    assert f"{path}: read as UTF-8, comma-separated" in out
    assert f"{path}: columns: 'Timestamp' = received at" in out
    assert "added 2" in out and "rejected 2" in out
    assert (
        f"qa-queue: rejected: {path}: row 2 (lines 2–3): a quote opened in it is never closed"
        in err
    )


def test_cli_show_has_the_boost(capsys, db):
    assert run_cli(capsys, "--db", db, "import", str(FIXTURES / "helipad_boosts.csv"))[0] == 0
    code, out, _ = run_cli(capsys, "--db", db, "show", "1")
    assert code == 0 and "boost     2,100 sats" in out


def test_cli_map_for_credit_and_a_bad_map_is_exit_2(capsys, db, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Your question,Okay to name you\nWhy?,no\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "--db", db, "import", str(path), "--map", "credit=Okay to name")
    assert code == 0 and "'Okay to name you' = credit" in out
    code, _, err = run_cli(capsys, "--db", db, "import", str(path), "--map", "credit=Nope")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "no column 'Nope'" in err


def test_mixed_utf8_and_other_bytes_is_refused_with_its_line(capsys, db, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("Question,Name\nWhy?,Zoë\nHow?,Renée\n".encode() + b"Caf\xe9?,Cy\n")
    code, _, err = run_cli(capsys, "--db", db, "import", str(path))
    assert code == 2 and f"{path}: line 4: not UTF-8 text" in err


@pytest.mark.parametrize(
    "line",
    ["3, because, I said so", "and,then,what", "so, I think, maybe 2026", "ok,me@home,fine"],
)
def test_a_line_of_a_quoted_question_that_has_commas_is_not_taken_for_a_row(line):
    text = f'Timestamp,Email,Question\n2026-11-03 10:00:00,a@example.com,"First line\n{line}"\n'
    batch = parse_form(text, name="f.csv", received_at="x")
    assert batch.rejected == []
    assert [q.body for q in batch.questions] == [f"First line\n{line}"]


# -- which way round a file writes its dates ------------------------------------------------


def test_slashed_dates_follow_the_order_the_file_shows_and_the_report_says_it():
    head = "Timestamp,Name,Your question\r\n"
    uk = head + "26/11/2026 18:01:00,Uk1,Porridge?\r\n03/12/2026 09:00:00,Uk2,Beans?\r\n"
    batch = parse_form(uk, name="uk.csv", received_at="x")
    assert [q.received_at for q in batch.questions] == [
        "2026-11-26T18:01:00Z",
        "2026-12-03T09:00:00Z",
    ]
    assert "dates read day first (26/11/2026 is day/month/year)" in batch.notes
    us = head + "12/03/2026 09:00:00,A,Beans?\r\n11/26/2026 18:01:00,B,Oats?\r\n"
    batch = parse_form(us, name="us.csv", received_at="x")
    assert batch.questions[0].received_at == "2026-12-03T09:00:00Z"
    assert "dates read month first (11/26/2026 is month/day/year)" in batch.notes
    unsure = "Timestamp,Name,Your question\r\n03/12/2026 09:00:00,A,Beans?\r\n"
    batch = parse_form(unsure, name="x.csv", received_at="x")
    assert batch.questions[0].received_at == "2026-03-12T09:00:00Z"
    assert any("no date says which" in note for note in batch.notes)
    iso = "Timestamp,Name,Your question\r\n2026-12-03 09:00:00,A,Beans?\r\n"
    assert not any(
        "dates read" in note for note in parse_form(iso, name="i.csv", received_at="x").notes
    )


def test_a_streamed_export_reads_its_dates_the_way_the_file_shows(tmp_path):
    rows = "".join(f"{day:02d}/11/2026 10:00:00,L{day},Question {day}?\r\n" for day in range(1, 29))
    path = tmp_path / "uk.csv"
    path.write_text("Timestamp,Name,Your question\r\n" + rows, encoding="utf-8")
    batches = list(stream_file(path, stream_from=0, size=10))
    received = [q.received_at for batch in batches for q in batch.questions]
    assert received[2] == "2026-11-03T10:00:00Z"
    assert "dates read day first (13/11/2026 is day/month/year)" in batches[0].notes


def test_an_address_in_the_name_cell_is_the_contact_and_a_comma_is_no_part_of_a_first_name():
    text = (
        "Timestamp,Name,Email,Your question\r\n"
        "2026-11-26 17:01:00,zed@example.com,,Is the name cell an address here?\r\n"
        '2026-11-26 17:02:00,"Ravi, Leeds",ravi@example.com,Shoes for flat feet?\r\n'
    )
    zed, ravi = parse_form(text, name="f.csv", received_at="x").questions
    assert (zed.listener.name, zed.listener.contact) == ("", "zed@example.com")
    assert zed.listener.public_name() == ""
    assert ravi.listener.public_name() == "Ravi"


def test_our_own_csv_export_is_refused_with_what_to_import_instead(tmp_path, capsys):
    from qa_queue.exporters.csv import COLUMNS
    from qa_queue.importers.form import OUR_EXPORT

    assert tuple(COLUMNS[: len(OUR_EXPORT)]) == OUR_EXPORT
    path = tmp_path / "notes.csv"
    path.write_bytes(
        b"\xef\xbb\xbfid,episode,timestamp,title,listener,status,host,tags,answer\r\n"
        b"1,212,00:41:05,LDN for fibro?,Amara,answered,austin,pain,Maybe.\r\n"
    )
    code, out, err = run_cli(capsys, "--db", str(tmp_path / "q.json"), "import", str(path))
    assert code == 2 and "added" not in out
    assert "qa-queue's CSV export of show notes" in err and "--format json" in err


def test_a_boost_sent_from_a_lightning_address_is_credited_by_its_handle():
    batch = read_file(FIXTURES / "helipad_lightning_address.csv")
    first, second = (q.listener for q in batch.questions)
    assert (first.name, first.contact, first.public_name()) == (
        "sirlibre",
        "sirlibre@fountain.fm",
        "sirlibre",
    )
    assert second.public_name() == "@chadf"


def test_a_fountain_export_is_read_as_boosts_whatever_app_wrote_it():
    # Fountain's creator activity: a Stream without words is left out and counted, as
    # Helipad's are; a Lightning address is credited by its handle; a 0-sat comment has no boost
    batch = read("fountain_creator_activity.csv")
    assert batch.rejected == []
    assert "left out 1 row without a message (streamed sats, boosts without words)" in batch.notes
    joe, mira = batch.questions
    assert (joe.listener.contact, joe.listener.credited_as(), joe.boost_sats) == (
        "runnerjoe@fountain.fm",
        "runnerjoe",
        2100,
    )
    assert joe.source.kind == "boost" and joe.received_at == "2026-11-27T18:04:51Z"
    assert (mira.listener.credited_as(), mira.boost_sats) == ("Mira K", None)


def test_cli_show_has_no_boost_of_zero_sats(capsys, db):
    path = str(FIXTURES / "fountain_creator_activity.csv")
    code, out, err = run_cli(capsys, "--db", db, "import", path)
    assert code == 0 and "added 2" in out and "rejected" not in err
    code, out, _ = run_cli(capsys, "--db", db, "show", "2")
    assert code == 0 and "Mira K" in out and "sats" not in out
    assert "added 0" in run_cli(capsys, "--db", db, "import", path)[1]


def test_times_without_a_zone_are_in_the_hosts_zone_and_the_report_says_so(tmp_path):
    from zoneinfo import ZoneInfo

    path = tmp_path / "us.csv"
    path.write_text(
        "Timestamp,Name,Your question\r\n11/26/2026 18:01:00,A,Oats?\r\n", encoding="utf-8"
    )
    batch = read_file(path, zone=ZoneInfo("America/New_York"))
    assert batch.questions[0].received_at == "2026-11-26T23:01:00Z"
    assert "times without a zone read in your time zone (America/New_York)" in batch.notes
    [streamed] = list(stream_file(path, stream_from=0, zone=ZoneInfo("America/New_York")))
    assert streamed.questions[0].received_at == "2026-11-26T23:01:00Z"
    zoned = tmp_path / "gmt.csv"
    zoned.write_text(
        "Timestamp,Name,Your question\r\n2026/11/26 6:01:00 PM GMT+1,A,Oats?\r\n",
        encoding="utf-8",
    )
    batch = read_file(zoned, zone=ZoneInfo("America/New_York"))
    assert batch.questions[0].received_at == "2026-11-26T17:01:00Z"
    assert not any("without a zone" in note for note in batch.notes)


def test_a_time_column_that_says_utc_is_read_as_utc_wherever_the_host_is():
    """Typeform's "Submit Date (UTC)" (its "Start Date (UTC)" is not the time asked)."""
    from zoneinfo import ZoneInfo

    path = FIXTURES / "typeform_submit_date_utc.csv"
    for zone in ("America/Chicago", "Asia/Tokyo"):
        batch = read_file(path, zone=ZoneInfo(zone))
        assert batch.questions[0].received_at == "2026-11-27T00:01:00Z"
        assert (
            "times without a zone read as UTC, as their column says ('Submit Date (UTC)')"
            in batch.notes
        )
    # the repo's own Typeform fixture: 2026-11-03 14:22:05 UTC, not Tokyo's
    typeform = read_file(FIXTURES / "typeform.csv", zone=ZoneInfo("Asia/Tokyo"))
    assert typeform.questions[0].received_at == "2026-11-03T14:22:05Z"


def test_the_cli_reads_zoneless_times_in_this_computers_zone(capsys, tmp_path, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    path = tmp_path / "form.csv"
    path.write_text(
        "Timestamp,Name,Your question\r\n2026-11-26 18:01:00,A,Oats?\r\n", encoding="utf-8"
    )
    db = str(tmp_path / "q.json")
    code, out, _ = run_cli(capsys, "--db", db, "import", str(path))
    assert code == 0 and "read in your time zone (Europe/Berlin)" in out
    code, out, _ = run_cli(capsys, "--db", db, "show", "1")
    assert "2026-11-26T17:01:00Z" in out


@pytest.mark.parametrize(
    ("name", "listener", "received"),
    [
        # field names (Cognito Forms): Name_First, Entry_DateCreated with its offset
        ("cognito_forms.csv", "Ruth Adeyemi", "2026-11-27T00:01:00Z"),
        ("zoho_forms.csv", "Fatima Zahra", "2026-11-26T18:01:00Z"),  # "Added Time"
        ("fillout.csv", "Ines Duarte", "2026-11-26T18:01:30Z"),  # "Last updated"
        ("formstack.csv", "Nina Kowalski", "2026-11-26T18:01:00Z"),  # "Name (First)"
        ("notion_database.csv", "Aisha Khan", "2026-11-26T18:01:00Z"),  # "Asked by"
    ],
)
def test_more_form_builders_columns_are_recognised(name, listener, received):
    batch = read(name)
    question = batch.questions[0]
    assert question.listener.name == listener
    assert question.received_at == received  # not the import's time
    assert "Referrer" not in question.listener.name


def test_wufoo_is_dated_when_created_and_named_by_first_and_last():
    # Wufoo's 'Last Updated' is empty until an entry is edited: 'Date Created' says when
    batch = read("wufoo_entries.csv")
    assert [(q.listener.name, q.received_at) for q in batch.questions] == [
        ("Gareth O'Neill", "2026-11-26T13:04:55Z"),
        ("Ama Owusu", "2026-11-27T22:19:01Z"),
    ]
    assert any("'Date Created' = received at" in note for note in batch.notes)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Name - First", "Name - Last"),  # Wufoo
        ("First Name", "Last Name"),
        ("Name (First)", "Name (Last)"),  # Gravity Forms, Formstack
        ("Your Name (First)", "Your Name (Last)"),
        ("Name: First", "Name: Last"),
        ("Name_First", "Name_Last"),  # Cognito Forms
    ],
)
def test_a_name_split_into_first_and_last_columns_is_one_name(first, last):
    text = (
        f"Name (Prefix),{first},{last},Your question\r\n"
        "Dr.,Gareth,O'Neill,Is beetroot juice worth it?\r\n"
    )
    [question] = parse_form(text, name="f.csv", received_at="x").questions
    assert question.listener.name == "Gareth O'Neill"


def test_an_empty_time_column_gives_way_to_another_and_a_row_with_none_is_reported():
    text = (
        "Date Created,Last Updated,Question\r\n"
        "2026-11-26 13:04:55,,Beetroot juice?\r\n"
        ",2026-11-27 08:00:00,Creatine?\r\n"
        ",,Sauna?\r\n"
    )
    batch = parse_form(text, name="f.csv", received_at="2026-12-01T00:00:00Z")
    assert [q.received_at for q in batch.questions] == [
        "2026-11-26T13:04:55Z",
        "2026-11-27T08:00:00Z",
        "2026-12-01T00:00:00Z",
    ]
    assert (
        "1 row with no time in 'Date Created' or 'Last Updated': dated by the file's time "
        "(2026-12-01T00:00:00Z)" in batch.notes
    )


def test_formstack_names_written_in_parts_in_one_cell_are_one_name():
    batch = read("formstack_submissions.csv")
    assert people(batch) == [
        ("Kenji Watanabe", "kenji@example.jp", "first"),
        ("Zoë van Dijk", "zoe@example.nl", "first"),
    ]


_PART_VALUE = st.text(st.characters(blacklist_characters="\r\n", codec="utf-8"), max_size=12)


@given(st.lists(st.tuples(st.sampled_from(["first", "middle", "last"]), _PART_VALUE), min_size=1))
def test_a_cell_in_parts_joins_their_values(parts):
    from qa_queue.importers.form_cells import parts_joined

    text = "\n".join(f"{key} = {value}" for key, value in parts)
    assert parts_joined(text) == " ".join(v.strip() for _, v in parts if v.strip())


@given(st.text(st.characters(blacklist_characters="=", codec="utf-8"), max_size=40))
def test_a_cell_without_parts_is_left_as_it_is(text):
    from qa_queue.importers.form_cells import parts_joined

    assert parts_joined(text) == text


def test_html_in_a_question_cell_is_read_as_text():
    # a CRM's rich-text field (HubSpot) exports its HTML: tags out, entities read, breaks kept
    dana, eli = read("html_in_question_cell.csv").questions
    assert dana.title == 'What do you think about berberine as "nature\'s Ozempic"?'
    assert dana.body == (
        'Hi both!\n\nWhat do you think about berberine as "nature\'s Ozempic"?\n\n'
        "- dose?\n- side effects?"
    )
    assert eli.body == (
        "Plain question: is it bad to train the same muscle 2 days in a row?\nThanks\nEli"
    )


def test_plain_text_with_angle_brackets_is_left_as_it_is():
    text = "Name,Question\r\nAl,is <5g ok? and is a <b> tag & co fine?\r\n"
    [question] = parse_form(text, name="f.csv", received_at="x").questions
    assert question.body == "is <5g ok? and is a <b> tag & co fine?"


@given(st.text(max_size=60))
def test_a_cell_is_taken_for_html_only_when_it_closes_a_tag(text):
    from qa_queue.importers.form_cells import readable

    made = readable(text)  # never raises
    if ">" not in text:
        assert made == text


def test_mapping_one_half_of_a_name_keeps_the_other(tmp_path):
    path = tmp_path / "halves.csv"
    path.write_text(
        "Time,Your name,Surname given,Email,Your Question\r\n"
        "2026-11-26 18:01:00,Nina,Kowalski,nina@example.com,Beet juice?\r\n",
        encoding="utf-8",
    )
    batch = read_file(path, mapping={"last_name": "Surname given"})
    assert batch.questions[0].listener.name == "Nina Kowalski"


def test_excel_for_macs_csv_macintosh_is_read_as_mac_roman():
    batch = read("excel_mac_macroman_cr.csv")  # Mac Roman, lines ending in a lone CR
    assert [q.listener.name for q in batch.questions] == ["José Müller", "Zoë Ångström"]
    assert "I’m 52 and my coach says “never”" in batch.questions[0].body
    assert any("Mac Roman" in note for note in batch.notes)


@pytest.mark.parametrize(
    "words",
    [
        "José Müller asks: can’t I train – or rest?",
        "Ça va? Forças, açúcar e café; “Ünterschied” für Säure",
        "Does creatine help? I’m 41.",
        "Señora Núñez: ¿qué opinas del ayuno? Ærø, Øresund, Ålborg",
    ],
)
def test_western_text_is_read_in_the_encoding_it_was_saved_in(words):
    from qa_queue.importers.csv_sniff import guess_encoding

    header = "Name,Your question\r\n"
    for codec in ("cp1252", "mac_roman"):
        data = (header + f"A,{words}\r\n").encode(codec)
        encoding = guess_encoding(data, "f.csv")
        assert data.decode(encoding.codec) == (header + f"A,{words}\r\n"), codec


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=400))
def test_any_bytes_get_an_encoding_that_reads_them_or_one_clear_refusal(data):
    from qa_queue.importers.csv_sniff import guess_encoding

    try:
        encoding = guess_encoding(data, "f.csv")
    except BadInput as refusal:  # UTF-8 up to a bad byte: named by its line
        assert "not UTF-8 text" in str(refusal)
        return
    if not encoding.wide and not encoding.codec.startswith("utf"):
        data.decode(encoding.codec)  # a single-byte reading reads every byte


# -- several columns for one person, tools' own time columns, a form's language ---------------


def test_typeform_hidden_fields_do_not_hide_what_the_listener_typed():
    # Typeform's hidden fields "name" and "email" (filled by a link, often empty) sit beside
    # the questions asking the same: what the listener typed wins, the hidden one fills a gap
    batch = read("typeform_hidden_fields.csv")
    assert people(batch) == [
        ("Ruth", "ruth.adler@example.com", "first"),
        ("Ike", "ike@example.com", "first"),
    ]
    assert any("'email' = e-mail where" in note for note in batch.notes)


def test_a_second_name_column_fills_a_row_where_the_first_is_empty():
    text = (
        "Timestamp,Your name,Question,name\r\n"
        "2026-11-26 17:01:00,,Sauna after lifting?,Ana Ruiz\r\n"
        "2026-11-26 17:02:00,Bo,Cold plunge after lifting?,\r\n"
    )
    batch = parse_form(text, name="f.csv", received_at="x")
    assert [q.listener.name for q in batch.questions] == ["Ana Ruiz", "Bo"]
    mapped = parse_form(text, name="f.csv", received_at="x", mapping={"name": "Your name"})
    assert [q.listener.name for q in mapped.questions] == ["", "Bo"]  # the host chose one


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("airtable.csv", "2026-11-26T18:01:00Z"),  # "Created time", 11/26/2026 6:01pm
        ("apple_numbers.csv", "2026-11-24T19:30:00Z"),  # "Received", Nov 24, 2026 at 7:30 PM
    ],
)
def test_the_tools_own_time_columns_are_read(name, first):
    batch = read(name)
    assert batch.questions[0].received_at == first


def test_a_google_form_in_a_day_first_language_reads_undecided_dates_day_first():
    batch = read("google_form_es_ambiguous_dates.csv")
    assert [q.received_at[:10] for q in batch.questions] == ["2026-11-05", "2026-11-10"]
    assert (
        "dates like 05/11/2026 read day first (day/month/year), as a Spanish form writes them "
        "(its 'Marca temporal' column)" in batch.notes
    )


def test_many_repeated_rows_are_named_five_at_most_then_counted():
    rows = "".join("2026-11-26 17:01:00,ana@example.com,Sauna after lifting?\r\n" for _ in range(9))
    batch = parse_form("Timestamp,Email,Question\r\n" + rows, name="f.csv", received_at="x")
    assert len(batch.questions) == 1
    named = [note for note in batch.notes if "repeats row 2" in note]
    assert len(named) == 5
    assert "3 more rows repeat earlier ones word for word: each imported once" in batch.notes


def test_a_name_column_saying_anonymous_gives_way_to_one_that_names_them():
    text = (
        "ID,Start time,Completion time,Email,Name,Question,Your name (optional)\r\n"
        "1,2026-11-24 09:10:00,2026-11-24 09:15:00,anonymous,anonymous,Sauna?,Mona\r\n"
        "2,2026-11-24 09:20:00,2026-11-24 09:25:00,anonymous,anonymous,Cold plunge?,\r\n"
    )
    mona, nobody = parse_form(text, name="f.csv", received_at="x").questions
    assert (mona.listener.name, mona.listener.contact) == ("Mona", "")
    assert (nobody.listener.name, nobody.listener.credit.value) == ("", "anonymous")


@pytest.mark.parametrize("header", ["Listener", "Who is asking?", "Listener name", "Nickname"])
def test_more_ways_to_head_the_name_column(header):
    assert recognise(["Date", header, "Question"]).single.get("name") == 1


def test_a_time_column_beside_a_date_column_gives_the_time_of_day():
    text = "Date,Time,Time zone,Name,Question\r\n2026-11-26,18:01,Europe/Berlin,Zed,Sauna?\r\n"
    batch = parse_form(text, name="f.csv", received_at="x")
    assert batch.questions[0].received_at == "2026-11-26T17:01:00Z"
    assert "'Time' = time of day" in batch.notes[-1] or any(
        "'Time' = time of day" in note for note in batch.notes
    )


@pytest.mark.parametrize(
    ("written", "stored"),
    [("46351.5", "2026-11-25T12:00:00Z"), ("46351", "2026-11-25T00:00:00Z")],
)
def test_a_spreadsheets_day_number_is_a_date(written, stored):
    assert parse_date(written) == stored


def test_the_report_names_ten_look_alikes_then_says_how_many_more(capsys, tmp_path):
    rows = "".join(
        f"2026-11-{day:02d} 10:00:00,Is creatine safe for the kidneys at {day} grams?\r\n"
        for day in range(1, 15)
    )
    path = tmp_path / "form.csv"
    path.write_text("Timestamp,Your question\r\n" + rows)
    code, out, _ = run_cli(
        capsys, "--db", str(tmp_path / "q.json"), "--as", "austin", "import", str(path)
    )
    assert code == 0
    assert sum("looks like" in line for line in out.splitlines()) == 10
    assert "and 3 more new questions look like others (`qa-queue show ID` names them)" in out


def test_a_time_a_clock_change_skips_moves_on_and_a_repeated_one_is_the_first():
    from dateutil import tz

    berlin = tz.gettz("Europe/Berlin")
    assert parse_date("2026-03-29 02:30", zone=berlin) == "2026-03-29T01:30:00Z"  # 03:30 CEST
    assert parse_date("2026-10-25 02:30", zone=berlin) == "2026-10-25T00:30:00Z"  # the first
    assert parse_date("2026-11-26 18:01", zone=berlin) == "2026-11-26T17:01:00Z"


def test_questions_dated_after_now_are_pointed_out(capsys, tmp_path):
    path = tmp_path / "form.csv"
    path.write_text(
        "Timestamp,Your question\r\n"
        "2099-01-01 10:00:00,From a clock set wrong?\r\n"
        "2020-01-01 10:00:00,An old one?\r\n"
    )
    code, out, _ = run_cli(
        capsys, "--db", str(tmp_path / "q.json"), "--as", "austin", "import", str(path)
    )
    assert code == 0
    assert "1 new question dated after now (#1): is the file's clock or time zone off?" in out


@pytest.mark.parametrize(
    ("fixture", "tags"),
    [
        ("wufoo_topic_options.csv", [["sleep", "training"], ["nutrition"]]),  # "Topics - Sleep"
        # a TAGS column of Mailchimp's own beside the options, its tags quoted: both read
        (
            "mailchimp_audience_with_tags.csv",
            [["podcast", "vip", "sleep", "training"], ["training"]],
        ),
        ("formstack_lines_of_options.csv", [["sleep", "training"], ["nutrition"]]),  # a line each
    ],
)
def test_every_ticked_option_is_a_tag_however_the_builder_writes_it(fixture, tags):
    batch = read(fixture)
    assert [q.tags for q in batch.questions][: len(tags)] == tags
