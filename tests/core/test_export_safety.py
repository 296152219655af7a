"""Exports are safe to open and to print: no control character from listener text in any
format, never an address or phone number as a name, private exports readable only by you."""

from __future__ import annotations

import json
import os
import re
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.exporters import FORMATS, ShowNotes, export
from qa_queue.exporters.writing import write_export
from qa_queue.importers.ours import parse_json
from qa_queue.model.question import (
    Credit,
    Episode,
    Listener,
    Reference,
    Reply,
    name_without_contacts,
)
from tests.helpers import answered

HOSTILE = [
    "\x1b]0;pwned\x07",  # sets the terminal's title
    "\x1b]52;c;ZXZpbA==\x07",  # writes the clipboard
    "\x9b31m",  # an 8-bit CSI
    "\x1b[2J",  # clears the screen
    "safe\rEVIL",  # a carriage return that hides what came before it
    "\u202eevil\u202c",  # right-to-left override
    "\u2066iso\u2069",
    "\x00nul\x7fdel\x85nel\x08bs",
]
PAYLOAD = "".join(HOSTILE)
# C0 but newline and tab, DEL, C1, and the bidi embeddings, overrides and isolates
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_notes(include_private: bool = False) -> ShowNotes:
    """Every text that comes from outside carries the payload."""
    question = answered(
        1,
        f"Title {PAYLOAD}",
        "00:01:00",
        body=f"Body {PAYLOAD}",
        listener=Listener(f"Eve {PAYLOAD}", f"eve{PAYLOAD}@example.org", Credit.FULL),
        tags=[f"tag{PAYLOAD}"],
        references=[Reference(f"Ref {PAYLOAD}", f"https://example.org/{PAYLOAD}")],
        replies=[Reply(f"Reply {PAYLOAD}", f"Mallory {PAYLOAD}")],
        notes=f"Notes {PAYLOAD}",
    )
    question.answer.text = f"Answer {PAYLOAD}\n\nMore {PAYLOAD}"
    question.answer.host = "austin"
    episode = Episode(1, f"Episode {PAYLOAD}", "2026-11-24", [1])
    return ShowNotes(
        f"Podcast {PAYLOAD}",
        [question],
        episode,
        hosts={"austin": f"Austin {PAYLOAD}"},
        include_private=include_private,
        full_answers=True,
    )


def assert_terminal_safe(text: str, fmt: str) -> None:
    body = text.replace("\r\n", "\n") if fmt == "csv" else text  # CSV's own row ends
    found = FORBIDDEN.findall(body)
    assert found == [], (fmt, found)
    data = body.encode("utf-8")
    assert all(byte >= 0x20 or byte in b"\n\t" for byte in data), fmt
    assert b"\xc2\x80" not in data and not re.search(rb"\xc2[\x80-\x9f]", data), fmt


@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_control_character_reaches_any_format(fmt, private):
    text = export(fmt, hostile_notes(private))
    assert_terminal_safe(text, fmt)
    assert "pwned" in text  # what is left is plain, visible text


@pytest.mark.parametrize("fmt", ["markdown", "html", "csv", "chapters"])
def test_control_characters_are_taken_out_of_the_files_for_people(fmt):
    text = export(fmt, hostile_notes())
    assert "]0;pwned" in text and "31m" in text and "evil" in text
    assert "safe\nEVIL" in text or "safe EVIL" in text  # the \r is a line break, shown


def test_json_escapes_them_and_reads_back_exactly():
    notes = hostile_notes(include_private=True)
    notes.questions[0].import_key = "form:1"  # else the import makes one up
    text = export("json", notes)
    assert "\\u001b]52;c;ZXZpbA==\\u0007" in text
    assert "\\u009b31m" in text and "\\u202eevil\\u202c" in text and "\\u0085nel" in text
    assert json.loads(text)["questions"][0]["title"] == f"Title {PAYLOAD}"
    assert parse_json(text, name="x.json").questions == notes.questions


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30), st.sampled_from(FORMATS))
def test_any_text_anywhere_comes_out_terminal_safe(text, fmt):
    question = answered(
        1,
        text or "x",
        "00:00:05",
        body=text,
        listener=Listener(text, text, Credit.FULL),
        tags=[text],
        references=[Reference(text, text)],
        replies=[Reply(text, text)],
    )
    question.answer.text = text
    notes = ShowNotes(text, [question], Episode(1, text, None, [1]), hosts={"austin": text})
    assert_terminal_safe(export(fmt, notes), fmt)


# -- never an address or a number as a name ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "credit", "shown"),
    [
        ("amara@example.com", Credit.FULL, ""),
        ("Amara <amara@example.com>", Credit.FULL, "Amara"),
        ('"Amara Okafor" <amara@example.com>', Credit.FULL, "Amara Okafor"),
        ("Amara Okafor (amara@example.com)", Credit.FULL, "Amara Okafor"),
        ("amara@example.com Amara Okafor", Credit.FIRST, "Amara"),
        ("mailto:amara@example.com", Credit.FIRST, ""),
        ("Amara +44 7700 900123", Credit.FULL, "Amara"),
        ("(555) 123-4567", Credit.FULL, ""),
        ("Amara 1987", Credit.FULL, "Amara 1987"),  # a short number is no phone number
        ("@amara_pod", Credit.FULL, "@amara_pod"),  # a handle is a name they chose
        ("Amara Okafor", Credit.ANONYMOUS, ""),
    ],
)
def test_a_listener_is_credited_without_their_address_or_number(name, credit, shown):
    listener = Listener(name, credit=credit)
    assert listener.public_name() == shown
    assert listener.credited_as() == (shown or "a listener")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Dr. Helen Vasquez", "Helen"),
        ("Dr Helen Vasquez", "Helen"),
        ("Prof. Amara Okafor", "Amara"),
        ("Mrs Jane Doe", "Jane"),
        ("Mx. Sam Lee", "Sam"),
        ("Rev. Dr. Ian Paisley", "Ian"),
        ("Dr.", "Dr."),  # a title alone is all the name there is
        ("Drew Barry", "Drew"),  # a name that starts like a title
        ("Ravi, Leeds", "Ravi"),
    ],
)
def test_a_first_name_credit_skips_a_title(name, shown):
    assert Listener(name, credit=Credit.FIRST).public_name() == shown
    assert Listener(name, credit=Credit.FULL).public_name() == name


def test_a_name_without_contacts_leaves_other_names_as_they_are():
    assert name_without_contacts("  Ana  María <b>Pérez</b> ") == "Ana María <b>Pérez</b>"
    assert name_without_contacts("Dr. Amara O. Okafor-Smith") == "Dr. Amara O. Okafor-Smith"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "name", ["amara@example.com", "Amara <amara@example.com>", "Amara 07700 900123"]
)
def test_no_format_prints_an_address_or_number_as_a_name(fmt, name):
    question = answered(
        1,
        "Breathing",
        "00:01:00",
        listener=Listener(name, credit=Credit.FULL),
        replies=[Reply("me too", "Kofi <kofi@example.net>"), Reply("thanks", name)],
    )
    text = export(fmt, ShowNotes("P", [question], Episode(1, question_ids=[1])))
    for secret in ("@example", "07700", "900123"):
        assert secret not in text, (fmt, secret)
    if fmt == "markdown":
        assert ("Asked by Amara\n" if "Amara" in name else "Asked by a listener\n") in text
    if fmt == "json":
        authors = [r["author"] for r in json.loads(text)["questions"][0]["replies"]]
        assert authors == ["Kofi", "Amara" if "Amara" in name else ""]


# -- writing the file -------------------------------------------------------------------------


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_private_export_is_0600_also_over_a_file_others_could_read(tmp_path, usual_umask):
    path = tmp_path / "all.json"
    path.write_text("old")
    os.chmod(path, 0o644)
    assert write_export(path, "private ✓", private=True) == len("private ✓".encode())
    assert mode(path) == 0o600 and path.read_text() == "private ✓"
    fresh = tmp_path / "new.csv"
    write_export(fresh, "a,b\r\n", private=True)
    assert mode(fresh) == 0o600 and fresh.read_bytes() == b"a,b\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.json", "new.csv"]  # no temp


def test_a_public_export_gets_the_usual_mode(tmp_path, usual_umask):
    path = tmp_path / "ep.md"
    write_export(path, "notes", private=False)
    assert mode(path) == 0o644
    os.chmod(path, 0o600)
    write_export(path, "notes again", private=False)
    assert mode(path) == 0o644 and path.read_text() == "notes again"


def test_writing_keeps_a_link_and_refuses_what_is_not_a_file(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_export(link, "new", private=True)
    assert link.is_symlink() and real.read_text() == "new" and mode(real) == 0o600
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(BadInput, match="pipe is a FIFO"):
        write_export(fifo, "x", private=False)
    with pytest.raises(FileExistsError):
        write_export(real, "x", private=False, overwrite=False)
    assert real.read_text() == "new"


def test_a_public_export_masks_the_numbers_and_addresses_people_wrote():
    from qa_queue.model.question import Reply

    question = answered(1, "Creatine?", "00:10:00")
    question.body = (
        "Call me on +44 7700 900456 or write to jo.x+pod@gmail.com. I took 5 g since 2026-11-01."
    )
    question.replies = [Reply(author="Marcus", text="Same here, my number is (555) 123-4567")]
    notes = ShowNotes("P", [question], hosts={})
    public = json.loads(export("json", notes))["questions"][0]
    assert public["body"] == (
        "Call me on [phone number] or write to [e-mail address]. I took 5 g since 2026-11-01."
    )
    assert public["replies"][0]["text"] == "Same here, my number is [phone number]"
    private = json.loads(export("json", ShowNotes("P", [question], include_private=True)))
    assert "+44 7700 900456" in private["questions"][0]["body"]  # asked for: as it is


@settings(max_examples=200, deadline=None)
@given(
    st.dates().map(str),
    st.times().map(lambda t: t.strftime("%H:%M:%S")),
    st.integers(0, 99_999),
    st.from_regex(r"10\.\d{4,6}/[a-z]{2,5}\.\d{3,8}", fullmatch=True),
)
def test_dates_times_doses_and_dois_are_never_masked(day, clock, dose, doi):
    from qa_queue.exporters.common import without_contacts_in

    text = f"since {day} at {clock}, {dose} mg daily, see {doi}"
    assert without_contacts_in(text) == text
