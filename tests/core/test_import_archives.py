"""A .zip of files to import, as Google Forms' "Download responses" and Gmail's Takeout make
them: each file inside reads as if it stood alone, the rest is named, and a damaged, locked or
oversized archive is refused in one line with nothing written."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime

import pytest

from qa_queue.errors import BadInput
from qa_queue.importers import read_file
from qa_queue.importers.archive import read_archive
from tests.helpers import FIXTURES, run_cli

MTIME = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


def _zip(path, files: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_google_forms_download_reads_as_the_csv_inside(tmp_path):
    csv = (FIXTURES / "google_form.csv").read_bytes()
    alone = read_file(FIXTURES / "google_form.csv", mtime=lambda _: MTIME)
    zipped = _zip(tmp_path / "Ask the hosts.csv.zip", {"Ask the hosts.csv": csv})
    batch = read_file(zipped, mtime=lambda _: MTIME)
    assert batch.questions == alone.questions  # the same keys: either imports once
    assert batch.notes == [f"Ask the hosts.csv: {note}" for note in alone.notes]


def test_a_gmail_takeout_reads_its_mbox_and_names_what_it_passed_over(tmp_path):
    mbox = (FIXTURES / "mail" / "thread.mbox").read_bytes()
    zipped = _zip(
        tmp_path / "takeout-20261130.zip",
        {
            "Takeout/archive_browser.html": b"<html>index</html>",
            "Takeout/Mail/All mail Including Spam and Trash.mbox": mbox,
            "__MACOSX/Takeout/._archive_browser.html": b"\x00\x05\x16\x07",
            "Takeout/old.zip": b"PK\x05\x06" + bytes(18),
        },
    )
    alone = read_file(FIXTURES / "mail" / "thread.mbox", mtime=lambda _: MTIME)
    batch = read_file(zipped, mtime=lambda _: MTIME)
    assert [q.title for q in batch.questions] == [q.title for q in alone.questions]
    assert batch.follow_ups.keys() == alone.follow_ups.keys()  # replies still join
    assert batch.notes[0] == "files in the zip not read: Takeout/archive_browser.html"
    assert batch.rejected == [  # the empty zip in it was opened
        f"{zipped}:Takeout/old.zip: the zip holds no file qa-queue reads (nothing)"
    ]


def test_one_unreadable_file_in_the_zip_does_not_stop_the_others(tmp_path):
    csv = (FIXTURES / "google_form.csv").read_bytes()
    zipped = _zip(tmp_path / "both.zip", {"empty.csv": b"", "form.csv": csv})
    batch = read_file(zipped, mtime=lambda _: MTIME)
    assert batch.questions
    assert batch.rejected[0] == f"{zipped}:empty.csv: the file is empty"


def test_importing_the_zip_again_adds_nothing(capsys, tmp_path):
    zipped = _zip(tmp_path / "r.zip", {"r.csv": (FIXTURES / "google_form.csv").read_bytes()})
    db = str(tmp_path / "q.json")
    code, out, _ = run_cli(capsys, "--db", db, "--as", "austin", "import", str(zipped))
    assert code == 0 and "skipped 0" in out
    # and the CSV itself, unzipped, is the same questions
    code, out, _ = run_cli(
        capsys, "--db", db, "--as", "austin", "import", str(FIXTURES / "google_form.csv")
    )
    assert code == 0 and "added 0," in out


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(capsys, tmp_path, data: bytes, lines: int = 1) -> str:
    (tmp_path / "db").mkdir()
    db = tmp_path / "db" / "q.json"
    code, _, _ = run_cli(
        capsys, "--db", str(db), "--as", "austin", "import", str(FIXTURES / "google_form.csv")
    )
    assert code == 0
    before = _digest(db), sorted(p.name for p in db.parent.iterdir())
    path = tmp_path / "responses.zip"
    path.write_bytes(data)
    code, out, err = run_cli(capsys, "--db", str(db), "--as", "austin", "import", str(path))
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == lines and "Traceback" not in err
    assert (_digest(db), sorted(p.name for p in db.parent.iterdir())) == before
    return err


def test_a_damaged_zip_is_refused_in_one_line(capsys, tmp_path):
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("r.csv", (FIXTURES / "google_form.csv").read_bytes())
    err = _refused(capsys, tmp_path, whole.getvalue()[:-30])
    assert "cannot read the zip archive" in err


def test_a_zip_of_nothing_readable_says_what_it_holds(capsys, tmp_path):
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
        archive.writestr("notes.pdf", b"%PDF")
    err = _refused(capsys, tmp_path, whole.getvalue())
    assert "the zip holds no file qa-queue reads (photo.jpg, notes.pdf)" in err


def test_a_member_locked_with_a_password_is_refused(capsys, tmp_path):
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("r.csv", (FIXTURES / "google_form.csv").read_bytes())
    data = bytearray(whole.getvalue())
    # set the "encrypted" flag in the local and the central header, as a zip tool locking it
    data[6] |= 1
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 1
    # its one file rejected, saying why, and then that nothing was imported
    err = _refused(capsys, tmp_path, bytes(data), lines=2)
    assert "r.csv: locked with a password; unpack the zip to import it" in err


def test_a_zip_that_unpacks_to_too_much_is_refused_before_it_is_unpacked():
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.csv", b"Question\n" + b"a" * 100_000)
    read = []
    with pytest.raises(BadInput, match="unpack to over"):
        read_archive(
            whole.getvalue(),
            name="z.zip",
            readable=lambda _name, _head: True,
            read=lambda inner, blob: read.append(inner),  # type: ignore[func-returns-value]
            limit=50_000,
        )
    assert read == []


def test_a_zip_in_the_zip_is_read_and_a_damaged_file_in_it_rejected_alone(tmp_path):
    csv = (FIXTURES / "google_form.csv").read_bytes()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("Ask the hosts.csv", csv)
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:  # stored, so one byte changed is a bad CRC
        archive.writestr("a.csv", "Question\nIs this one lost?\n")
    data = bytearray(damaged.getvalue())
    data[data.find(b"Is this")] ^= 0x20
    zipped = _zip(
        tmp_path / "both.zip",
        {"Ask the hosts.csv.zip": inner.getvalue(), "old.zip": bytes(data)},
    )
    alone = read_file(FIXTURES / "google_form.csv", mtime=lambda _: MTIME)
    batch = read_file(zipped, mtime=lambda _: MTIME)
    assert [q.title for q in batch.questions] == [q.title for q in alone.questions]
    assert any("old.zip:a.csv: cannot unpack it (Bad CRC-32" in line for line in batch.rejected)


APPLE_MAILBOX = FIXTURES / "mail" / "Questions.mbox"  # Apple Mail's "Export Mailbox…"


def test_a_file_without_an_extension_in_the_zip_is_known_by_its_first_bytes(tmp_path):
    zipped = _zip(
        tmp_path / "apple_mail_export.zip",
        {
            "Questions.mbox/Info.plist": (APPLE_MAILBOX / "Info.plist").read_bytes(),
            "Questions.mbox/mbox": (APPLE_MAILBOX / "mbox").read_bytes(),
        },
    )
    batch = read_file(zipped, mtime=lambda _: MTIME)
    assert [q.title for q in batch.questions] == ["Best time to weigh myself?"]
    assert batch.notes[0] == "files in the zip not read: Questions.mbox/Info.plist"


def test_apple_mails_exported_mailbox_folder_reads_its_mbox(capsys, tmp_path):
    db = str(tmp_path / "q.json")
    code, out, err = run_cli(capsys, "--db", db, "import", str(APPLE_MAILBOX))
    assert (code, err) == (0, "")
    assert out == f"{APPLE_MAILBOX}: added 1 (#1), skipped 0 already there, rejected 0\n"
