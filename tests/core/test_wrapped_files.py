"""Files that wrap one qa-queue reads: Apple Mail's .emlx (its length, the message, a plist)
and gzipped files (.csv.gz, .mbox.gz), read as the file inside."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_queue import importers
from qa_queue.errors import BadInput
from qa_queue.importers import read_file, stream_file
from qa_queue.importers.wrapped import emlx_message
from tests.helpers import FIXTURES, run_cli

MTIME = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
EMLX = FIXTURES / "mail" / "1842.emlx"  # Apple Mail's Library/Mail/V10/…/Messages/1842.emlx


@pytest.fixture
def cli(tmp_path, capsys, private_home):
    return partial(run_cli, capsys, "--db", str(tmp_path / "q.json"), "--as", "austin")


def test_an_emlx_is_read_as_the_message_it_counts_without_mails_plist():
    [question] = read_file(EMLX, mtime=lambda _: MTIME).questions
    assert question.title == "Creatine timing question"
    assert question.listener.name == "Nadia Kowalski"
    assert question.body.endswith("Nadia") and "plist" not in question.body


def test_a_partial_emlx_whose_count_runs_into_the_plist_stops_before_it():
    [question] = read_file(FIXTURES / "mail" / "1843.partial.emlx").questions
    assert question.title == "Sleep and creatine" and question.body.endswith("Nadia")


def test_an_emlx_renamed_eml_is_the_same_message(cli, tmp_path):
    renamed = tmp_path / "1842.eml"
    renamed.write_bytes(EMLX.read_bytes())
    code, out, err = cli("import", str(EMLX))
    assert (code, err) == (0, "") and "added 1 (#1)" in out
    code, out, err = cli("import", str(renamed))
    assert (code, err) == (0, "") and "added 0, skipped 1 already there" in out


@given(st.binary(max_size=300))
def test_any_bytes_as_an_emlx_are_a_message_or_bad_input(data):
    try:
        message = emlx_message(data, "x.emlx")
    except BadInput:
        return
    assert len(message) < len(data)


@given(st.binary(max_size=200).filter(lambda b: b"\n<?xml" not in b))
def test_an_emlx_holds_exactly_the_bytes_it_counts(message):
    wrapped = b"%d\nFrom: a@example.com\n" % (len(message) + 20) + message + b"<?xml?><plist/>"
    assert emlx_message(wrapped, "x.emlx") == b"From: a@example.com\n" + message


GZIPPED = FIXTURES / "responses.csv.gz"  # a Google Forms CSV, gzip -k'd to be mailed on


def test_a_gzipped_file_reads_as_the_file_inside(tmp_path):
    unpacked = tmp_path / "responses.csv"
    unpacked.write_bytes(gzip.decompress(GZIPPED.read_bytes()))
    alone = read_file(unpacked, mtime=lambda _: MTIME)
    batch = read_file(GZIPPED, mtime=lambda _: MTIME)
    assert [q.body for q in batch.questions] == ["Can children take creatine?"]
    assert batch.questions == alone.questions  # the same keys: either imports once
    assert batch.notes == alone.notes
    [streamed] = stream_file(GZIPPED, mtime=lambda _: MTIME, stream_from=0)
    assert streamed.questions == batch.questions


def test_a_gzipped_mbox_reads_its_messages(tmp_path):
    mbox = FIXTURES / "mail" / "thread.mbox"
    packed = tmp_path / "Questions.mbox.gz"
    packed.write_bytes(gzip.compress(mbox.read_bytes()))
    titles = [q.title for q in read_file(packed, mtime=lambda _: MTIME).questions]
    assert titles == [q.title for q in read_file(mbox, mtime=lambda _: MTIME).questions]


def test_a_gzipped_file_imports_once(cli):
    assert "added 1 (#1)" in cli("import", str(GZIPPED))[1]
    code, out, err = cli("import", str(GZIPPED))
    assert (code, err) == (0, "") and "added 0, skipped 1 already there" in out


@pytest.mark.parametrize(
    ("packed", "why"),
    [
        (gzip.compress(b"Timestamp,Question\n" * 50)[:30], "cannot unpack the gzip file ("),
        (gzip.compress(gzip.compress(b"Question\nWhy?\n")), "a gzip file inside a gzip file"),
        (gzip.compress(b"Question\n" + b"Why?\n" * 400), "it unpacks to over 0 MB"),
    ],
    ids=["cut-off", "gzip-in-gzip", "too-big"],
)
def test_a_gzip_that_cannot_be_read_is_refused_in_one_line(cli, tmp_path, monkeypatch, packed, why):
    monkeypatch.setattr(importers, "MAX_IMPORT_BYTES", 1024)
    path = tmp_path / "responses.csv.gz"
    path.write_bytes(packed)
    code, out, err = cli("import", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"qa-queue: {path}: {why}") and len(err.splitlines()) == 1
