"""Spreadsheets as Excel, LibreOffice and the form tools' Excel downloads save them: each reads
like the same table saved as CSV, the sheet with the questions is found, and what is not a
readable spreadsheet is refused in one line with nothing written."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from qa_queue.errors import BadInput
from qa_queue.importers import read_file
from qa_queue.importers.form import read_form
from qa_queue.importers.workbook import cell_text, read_workbook
from tests.helpers import FIXTURES, run_cli

MTIME = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
BOOKS = FIXTURES / "workbooks"


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


def read(name: str, **options):
    return read_file(BOOKS / name, mtime=lambda _: MTIME, **options)


def listed(batch):
    return [
        (q.listener.name, q.listener.contact, q.listener.credit.value, q.title, q.received_at)
        for q in batch.questions
    ]


def test_microsoft_forms_excel_download():
    batch = read("microsoft_forms.xlsx")
    assert listed(batch) == [
        (
            "Amara Mensah",
            "amara.mensah@contoso.com",
            "first",
            "Does low-dose naltrexone help with fibromyalgia fatigue, or only the pain?",
            "2026-11-26T18:01:40Z",  # its completion time, not its start
        ),
        ("", "", "anonymous", "I train fasted at 6am.", "2026-11-27T08:02:55Z"),
        # an account's "Surname, Given" is said Given Surname, credited by the first name
        (
            "Jide Okafor",
            "j.okafor@contoso.com",
            "first",
            "Is zone 2 cardio worth it for powerlifters over 40?",
            "2026-11-28T21:20:31Z",
        ),
    ]
    asked = "I train fasted at 6am.\nShould I take creatine before or after? 💪"
    assert batch.questions[1].body == asked
    assert batch.notes[0] == "read as a spreadsheet, its sheet 'Sheet1'"
    assert any("'Completion time' = received at" in note for note in batch.notes)
    assert any("times without a zone read in your time zone" in note for note in batch.notes)
    assert [q.source.ref for q in batch.questions] == ["1", "2", "3"]  # Excel's 1.0 is 1


def test_the_sheet_with_the_questions_is_read_and_the_others_named():
    batch = read("google_form_responses.xlsx")
    assert [q.title for q in batch.questions] == [
        "How long after a cortisone shot can I deadlift again?",
        "Does magnesium glycinate actually help sleep?",
    ]
    assert batch.notes[:2] == [
        "read as a spreadsheet, its sheet 'Form Responses 1'",
        "sheets not read: 'Summary' (no question column)",
    ]
    assert batch.questions[0].received_at == "2026-11-26T18:01:00Z"
    assert batch.questions[1].listener.credit.value == "anonymous"


def test_a_libreoffice_sheet_with_dates_typed_day_first_and_date_cells():
    batch = read("host_list.ods")
    assert listed(batch) == [
        (
            "Priya Raman",
            "priya@example.in",
            "first",
            "Is it safe to sauna after a hard leg day?",
            "2026-11-26T18:01:00Z",
        ),
        (
            "Tom",
            "tom@example.co.uk",
            "first",
            "What's the best way to taper before a marathon?",
            "2026-11-23T08:15:00Z",
        ),
    ]
    assert "dates read day first (26/11/2026 is day/month/year)" in batch.notes


def test_an_excel_97_workbook():
    batch = read("jotform_old_excel.xls")
    assert listed(batch)[0] == (
        "José Müller",
        "jose@example.es",
        "first",
        "¿La cafeína antes de entrenar afecta al sueño?",
        "2026-11-30T14:05:09Z",
    )
    assert len(batch.questions) == 2


def test_times_without_a_zone_are_in_the_hosts_zone():
    from dateutil import tz

    batch = read("jotform_old_excel.xls", zone=tz.gettz("Europe/Berlin"))
    assert batch.questions[0].received_at == "2026-11-30T13:05:09Z"


@pytest.mark.parametrize(
    "name",
    [
        "microsoft_forms.xlsx",
        "google_form_responses.xlsx",
        "host_list.ods",
        "jotform_old_excel.xls",
    ],
)
def test_importing_a_workbook_again_adds_nothing(capsys, tmp_path, name):
    db = str(tmp_path / "q.json")
    code, out, _ = run_cli(capsys, "--db", db, "--as", "austin", "import", str(BOOKS / name))
    assert code == 0 and "skipped 0" in out
    code, out, _ = run_cli(capsys, "--db", db, "--as", "austin", "import", str(BOOKS / name))
    assert code == 0 and "added 0," in out


def _book(rows: list[list[object]], title: str = "Sheet1") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_map_names_a_sheets_columns():
    data = _book([["When", "Who", "Words"], [datetime(2026, 11, 2, 10), "Ana", "Sauna or cold?"]])
    with pytest.raises(BadInput, match="no question column found"):
        read_workbook(data, name="x.xlsx", received_at="2026-11-20T09:30:00Z")
    batch = read_workbook(
        data,
        name="x.xlsx",
        received_at="2026-11-20T09:30:00Z",
        mapping={"body": "Words", "name": "Who", "received_at": "When"},
    )
    assert listed(batch) == [("Ana", "", "first", "Sauna or cold?", "2026-11-02T10:00:00Z")]


def test_a_bad_row_is_rejected_with_its_spreadsheet_row():
    data = _book([["Timestamp", "Question"], ["not a time at all 123456", "Hi?"], ["", "Ok?"]])
    batch = read_workbook(data, name="x.xlsx", received_at="2026-11-20T09:30:00Z")
    assert [q.title for q in batch.questions] == ["Ok?"]
    assert len(batch.rejected) == 1 and batch.rejected[0].startswith("x.xlsx (Sheet1): row 2:")


def test_hidden_sheets_are_not_read():
    book = Workbook()
    hidden = book.active
    hidden.title = "Old"
    hidden.append(["Question"])
    hidden.append(["an old one, hidden"])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("Now")
    shown.append(["Question"])
    shown.append(["Is this the one?"])
    out = io.BytesIO()
    book.save(out)
    batch = read_workbook(out.getvalue(), name="x.xlsx", received_at="2026-11-20T09:30:00Z")
    assert [q.title for q in batch.questions] == ["Is this the one?"]


# -- what is not a readable spreadsheet ---------------------------------------------------------


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _import_refused(capsys, tmp_path, name: str, data: bytes) -> str:
    (tmp_path / "db").mkdir()
    db = tmp_path / "db" / "q.json"
    first = str(BOOKS / "host_list.ods")
    code, _, _ = run_cli(capsys, "--db", str(db), "--as", "austin", "import", first)
    assert code == 0
    before = _digest(db), sorted(p.name for p in db.parent.iterdir())
    path = tmp_path / name
    path.write_bytes(data)
    given = _digest(path)
    code, out, err = run_cli(capsys, "--db", str(db), "--as", "austin", "import", str(path))
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert (_digest(db), sorted(p.name for p in db.parent.iterdir())) == before
    assert _digest(path) == given  # the file itself is not touched
    return err


def test_a_damaged_workbook_is_refused_in_one_line(capsys, tmp_path):
    whole = (BOOKS / "microsoft_forms.xlsx").read_bytes()
    err = _import_refused(capsys, tmp_path, "cut.xlsx", whole[: len(whole) // 2])
    assert "cannot read the workbook" in err and "damaged" in err


def test_a_zip_that_is_no_workbook_is_refused(capsys, tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    err = _import_refused(capsys, tmp_path, "notes.xlsx", out.getvalue())
    assert "cannot read the workbook" in err


def test_a_web_page_saved_as_xls_is_refused_with_what_to_do(capsys, tmp_path):
    page = b"<html><body><table><tr><td>Name</td><td>Question</td></tr></table></body></html>"
    err = _import_refused(capsys, tmp_path, "export.xls", page)
    assert "a web page saved as .xls" in err and "save it as .xlsx or CSV" in err


def test_a_password_locked_workbook_says_so(capsys, tmp_path):
    err = _import_refused(capsys, tmp_path, "locked.xlsx", (BOOKS / "locked.xlsx").read_bytes())
    assert "locked with a password; open it, and save a copy without one" in err


def test_a_workbook_that_makes_the_reader_panic_is_refused_in_one_line(capsys, tmp_path):
    # a cut .xls made calamine (Rust) panic, its backtrace on stderr: now one line
    whole = (BOOKS / "jotform_old_excel.xls").read_bytes()
    damaged = whole[:1500] + bytes([0xFF] * 64) + whole[1564:3000]
    err = _import_refused(capsys, tmp_path, "cut.xls", damaged)
    assert "cannot read the Excel 97-2003 workbook" in err and "panicked" not in err


def test_an_xls_that_is_tab_separated_text_is_read_as_the_table_it_is(tmp_path):
    # older web apps' "Excel" download: UTF-16 tab-separated text named .xls
    path = tmp_path / "export.xls"
    text = "Date\tName\tQuestion\r\n2026-11-02 10:00\tAna\tSauna or cold plunge first?\r\n"
    path.write_bytes(text.encode("utf-16"))
    batch = read_file(path, mtime=lambda _: MTIME)
    assert listed(batch) == [
        ("Ana", "", "first", "Sauna or cold plunge first?", "2026-11-02T10:00:00Z")
    ]


# -- a sheet reads as the same table saved as CSV ------------------------------------------------

# openpyxl writes a cell starting with "=" as a formula (with no value until Excel works it out)
_TEXT = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=40)
    .map(str.strip)
    .filter(lambda text: not text.startswith("="))
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)).map(
                lambda moment: moment.replace(microsecond=0)
            ),
            _TEXT,
            st.emails().filter(lambda address: not address.startswith("=")),
            # a question has words: a sheet of numbers only is a summary, passed over
            _TEXT.filter(lambda text: any(ch.isalpha() for ch in text)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_a_sheet_reads_as_the_same_table_saved_as_csv(rows):
    header = ["Timestamp", "Name", "Email", "Question"]
    data = _book([header, *[list(row) for row in rows]])
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows([[cell_text(cell) for cell in row] for row in rows])
    options = {"received_at": "2026-11-20T09:30:00Z"}
    from_sheet = read_workbook(data, name="f", **options)
    from_csv = read_form(text.getvalue().encode(), name="f", **options)
    # a key is made of the time as written: a midnight cell reads as a date alone
    for question in from_sheet.questions + from_csv.questions:
        question.import_key = None
    assert from_sheet.questions == from_csv.questions
    assert from_sheet.rejected == from_csv.rejected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.0, "3"),
        (2.5, "2.5"),
        (True, "Yes"),
        (False, "No"),
        (None, ""),
        (datetime(2026, 11, 26, 18, 1, 40), "2026-11-26 18:01:40"),
        ("  keep  ", "  keep  "),
    ],
)
def test_a_cell_is_written_as_a_csv_would_write_it(value, text):
    assert cell_text(value) == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(
        [
            "microsoft_forms.xlsx",
            "host_list.ods",
            "jotform_old_excel.xls",
            "google_form_responses.xlsx",
        ]
    ),
    cut=st.integers(min_value=0, max_value=6000),
    flips=st.lists(st.tuples(st.integers(0, 6000), st.integers(0, 255)), max_size=8),
)
def test_a_damaged_workbook_reads_or_is_refused_never_crashes(name, cut, flips):
    data = bytearray((BOOKS / name).read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    data = data[: max(8, len(data) - cut)]
    try:
        batch = read_workbook(bytes(data), name=name, received_at="2026-11-20T09:30:00Z")
    except BadInput as refused:
        assert str(refused).startswith(name) and "\n" not in str(refused)
    else:
        assert all(question.body for question in batch.questions)


def _bomb(rows: int) -> bytes:
    """A 2 MB .xlsx whose sheet unpacks to ~600 MB of XML: 20 cells in each of `rows` rows."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
        'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
        'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
        'workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        cell = '<c t="inlineStr"><is><t>Question text that repeats</t></is></c>'
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>Question'
                b"</t></is></c></row>"
            )
            chunk = (("<row>" + cell * 20 + "</row>") * 1000).encode()
            for _ in range(rows // 1000):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_workbook_that_unpacks_to_too_much_stops_its_reader_only():
    # a small file that unpacks to gigabytes ("zip bomb"): its reading process runs out of the
    # memory it may take (here 300 MB, 2 GB in use) and ends; the import says so in one line
    import subprocess
    import sys

    bomb = _bomb(400_000)
    assert len(bomb) < 3 * 2**20
    done = subprocess.run(
        [sys.executable, "-c", "from qa_queue.importers.sheet_cells import main; main(300 << 20)"],
        input=bomb,
        capture_output=True,
        check=False,
    )
    assert (
        done.returncode != 0 or b"more than the memory" in done.stdout or b"too many" in done.stdout
    )


def test_a_reader_ended_by_a_signal_is_one_line(monkeypatch, tmp_path):
    from qa_queue.importers import workbook

    dies = tmp_path / "dies.py"
    dies.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGABRT)\n")
    monkeypatch.setattr(workbook, "READER", dies)
    data = (BOOKS / "microsoft_forms.xlsx").read_bytes()
    with pytest.raises(BadInput, match="unpacks to more than the memory it may take"):
        read_workbook(data, name="bomb.xlsx", received_at="2026-11-20T09:30:00Z")


def test_a_sheet_of_more_cells_than_a_workbook_is_read_with_says_to_save_it_as_csv(monkeypatch):
    from qa_queue.importers import sheet_cells, workbook

    monkeypatch.setattr(sheet_cells, "MAX_CELLS", 20)
    data = (BOOKS / "microsoft_forms.xlsx").read_bytes()
    read = sheet_cells.read_sheets(data)  # 4 rows of 8 columns: 32 cells
    assert read == {"problem": sheet_cells.TOO_MANY, "why": "'Sheet1': 4 rows"}

    def apart(*_args):
        return read

    monkeypatch.setattr(workbook, "_read_apart", apart)
    with pytest.raises(BadInput, match="save the sheet as CSV, which is read as it goes"):
        read_workbook(data, name="big.xlsx", received_at="2026-11-20T09:30:00Z")


def test_the_same_responses_saved_another_way_are_already_there(capsys, tmp_path):
    # Google Forms' CSV (zone written), its sheet's CSV (no zone) and the sheet as .xlsx: the
    # same rows with other import keys; only the first import adds them
    header = "Timestamp,Email Address,Your name,Your question\r\n"
    forms = tmp_path / "forms.csv"
    forms.write_text(
        header + '2026/11/26 6:01:22 PM GMT+1,ana@example.com,Ana,"Sauna after lifting?"\r\n'
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(header + '2026-11-26 17:01:22,ana@example.com,Ana,"Sauna after lifting?"\r\n')
    book = tmp_path / "sheet.xlsx"
    book.write_bytes(
        _book(
            [
                ["Timestamp", "Email Address", "Your name", "Your question"],
                [
                    datetime(2026, 11, 26, 17, 1, 22),
                    "ana@example.com",
                    "Ana",
                    "Sauna after lifting?",
                ],
            ]
        )
    )
    db = str(tmp_path / "q.json")
    outs = [
        run_cli(capsys, "--db", db, "--as", "austin", "import", str(path))[1]
        for path in (forms, sheet, book)
    ]
    assert "added 1 (#1)" in outs[0]
    assert all("added 0, skipped 1 already there" in out for out in outs[1:])
    other = tmp_path / "other.csv"  # another listener at the same time is a question
    other.write_text(header + '2026-11-26 17:01:22,bo@example.com,Bo,"Sauna after lifting?"\r\n')
    assert "added 1 (#2)" in run_cli(capsys, "--db", db, "--as", "austin", "import", str(other))[1]


def test_a_summary_sheet_of_numbers_is_passed_over_and_every_other_sheet_named():
    book = Workbook()
    dashboard = book.active
    dashboard.title = "Dashboard"
    dashboard.append(["Topic", "Questions", "Answered"])
    dashboard.append(["sleep", 12, 5])
    responses = book.create_sheet("Form Responses 1")
    responses.append(["Timestamp", "Your question"])
    responses.append([datetime(2026, 11, 26, 18, 1), "Does magnesium help sleep?"])
    answered = book.create_sheet("Answered")
    answered.append(["Question"])
    answered.append(["An old one"])
    old = book.create_sheet("Old")
    old.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    batch = read_workbook(out.getvalue(), name="x.xlsx", received_at="2026-11-20T09:30:00Z")
    assert [q.title for q in batch.questions] == ["Does magnesium help sleep?"]
    assert batch.notes[1] == (
        "sheets not read: 'Old' (hidden), 'Dashboard' (no question in words: a summary?), "
        "'Answered' (after the one read)"
    )
