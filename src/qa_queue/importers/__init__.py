"""Reading listener questions from files: pick the importer by extension or content."""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import BinaryIO, NamedTuple

from ..errors import BadInput, FileProblem, kind_of, why
from ..gc_pause import gc_paused
from ..model.dates import to_iso
from .archive import read_archive
from .columns import recognise
from .common import ImportBatch, Known, decode
from .form import read_form, stream_form
from .ours import parse_json, parse_jsonl
from .raw_mail import raw_mail_start
from .thread import parse_thread
from .workbook import OLE, is_workbook, read_workbook
from .wrapped import GZIP, emlx_message, gunzipped, is_emlx

__all__ = [
    "EXTENSIONS",
    "MAX_IMPORT_BYTES",
    "ImportBatch",
    "Known",
    "check_importable",
    "file_mtime",
    "open_import",
    "read_file",
    "stream_file",
]

# The largest file an import reads (README); a bigger one is refused before it is read.
MAX_IMPORT_BYTES = 1024 * 1024 * 1024
# Files at least this big are read as they go (CSV form exports and mboxes: the formats that
# grow large), in batches, instead of whole.
STREAM_FROM = 8 * 1024 * 1024

# extension -> reader; the CLI lists these in its help
EXTENSIONS = {
    ".txt": "thread",
    ".md": "thread",
    ".markdown": "thread",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "form",
    ".tsv": "form",
    ".tab": "form",
    ".mbox": "mbox",
    ".mbx": "mbox",
    ".eml": "eml",
    ".emlx": "emlx",  # Apple Mail's own message files (Library/Mail/…/Messages)
    # spreadsheets: Excel (also Microsoft Forms' and Typeform's downloads), LibreOffice, Numbers
    ".xlsx": "workbook",
    ".xlsm": "workbook",
    ".xlsb": "workbook",
    ".xls": "workbook",
    ".ods": "workbook",
    # Google Forms' responses download, Gmail's Takeout: the files inside are imported
    ".zip": "archive",
    ".gz": "gzip",  # a file gzipped to be sent on (.csv.gz, .mbox.gz): read as the one inside
}
TABLES = ("form", "workbook")  # the readers whose columns --map names
_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]", re.MULTILINE)
_MAIL_HEADERS = re.compile(rb"^(?:message-id|from|subject|date|received|return-path):", re.I | re.M)


class Extra(NamedTuple):
    """What only some formats use: JSON's `now` and `known` (read_file says what they are)."""

    now: datetime | None
    known: Known | None
    zone: tzinfo = UTC  # a CSV's times written without a zone are in it


def file_mtime(path: Path) -> datetime:
    """When the file was last changed: the date of a question whose file gives none."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def open_import(path: Path) -> BinaryIO:
    """The file to import, opened for reading; BadInput (exit 2, one line) at once for what
    cannot be imported: a FIFO, device, socket or folder (never waited on or read without
    end), or a file over MAX_IMPORT_BYTES; FileProblem (exit 4) when it cannot be read.
    Apple Mail's exported mailbox, a folder "Questions.mbox" holding a file "mbox", opens
    that file."""
    if os.path.isdir(path) and os.path.isfile(os.path.join(path, "mbox")):
        path = Path(path, "mbox")
    try:
        _refuse(path, os.stat(path))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if str(path) == "-":  # as other tools take it; a file named "-" is still read
            raise BadInput(
                "-: reading from standard input is not supported; save it to a file and give "
                "that file"
            ) from None
        raise BadInput(f"{path}: cannot read the file (there is no such file)") from None
    except OSError as error:
        if error.errno == errno.ELOOP:  # a mistake in the links given, no fault of the disk
            raise BadInput(
                f"{path}: the symbolic link loops (it leads back to itself); give the file "
                "it was meant to point to"
            ) from None
        raise FileProblem(f"{path}: cannot read the file ({why(error)})") from None
    try:
        _refuse(path, os.fstat(fd))  # again on what was opened: the path may have been swapped
    except BadInput:
        os.close(fd)
        raise
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _refuse(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(
            f"{path}: it is {kind_of(info.st_mode)}; qa-queue imports regular files only"
        )
    if info.st_size > MAX_IMPORT_BYTES:
        raise BadInput(
            f"{path}: it is {info.st_size / 2**20:,.0f} MB; qa-queue imports files of up to "
            f"{MAX_IMPORT_BYTES // 2**20:,} MB (split it into smaller ones)"
        )


MAP_IS_FOR_TABLES = "--map names a CSV or TSV file's columns: not used for this file"


def _read_whole(handle: BinaryIO, path: Path) -> bytes:
    try:
        data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise FileProblem(f"{path}: cannot read the file ({why(error)})") from None
    if len(data) > MAX_IMPORT_BYTES:  # it grew while being read
        raise BadInput(f"{path}: it is larger than {MAX_IMPORT_BYTES // 2**20:,} MB")
    return data


def _sniff(data: bytes) -> str | None:
    """The reader for a file whose extension says nothing, judged by how it starts."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"From "):
        return "mbox"
    if head.lstrip()[:1] in (b"{", b"["):
        return "json"
    if _HEADER.match(head) and len(_MAIL_HEADERS.findall(head)) >= 2:
        return "eml"
    if is_emlx(head):
        return "emlx"
    return None


def _is_table(data: bytes) -> bool:
    """A .txt that is a table: Excel's "Unicode text" (UTF-16, tab-separated) or any tab-
    separated file whose first line names a question column."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    head = data[:4096].split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    return "\t" in head and bool(recognise(head.rstrip("\r").split("\t")).body)


# the names an Outlook message gives its parts, in UTF-16, in its directory of streams
_OUTLOOK_STREAMS = "__substg1.0_".encode("utf-16-le")


def _refuse_office_file(path: Path, data: bytes, reader: str | None) -> None:
    """An Outlook message (.msg, or one renamed) or another Office file that is no spreadsheet:
    binary, never text, so said in a host's words rather than 'not UTF-8 text'."""
    if _OUTLOOK_STREAMS in data or path.suffix.lower() == ".msg":
        raise BadInput(
            f"{path}: an Outlook message (.msg), which qa-queue cannot read; save the message "
            "as .eml and import that (new Outlook and Outlook on the web: Save as or Download "
            "in the message's menu; Outlook for Mac: drag it to the desktop)"
        )
    if reader != "workbook":
        raise BadInput(
            f"{path}: a Microsoft Office file (Word or Excel 97-2003), not one qa-queue reads "
            "as it is named; save it as .xlsx or CSV to import"
        )


def _reader_for(path: Path, data: bytes, suffix: str | None = None) -> str:
    """The reader for the file, by its extension (`suffix`: the one its name has inside a
    gzip) or else its first bytes; BadInput when qa-queue reads no such file."""
    suffix = path.suffix if suffix is None else suffix
    # gzipped whatever its name says (a download served gzipped and saved as .csv)
    reader = "gzip" if data.startswith(GZIP) else EXTENSIONS.get(suffix.lower()) or _sniff(data)
    if data.startswith(OLE):
        _refuse_office_file(path, data, reader)
    if reader == "thread" and _is_table(data):
        return "form"
    if reader == "eml" and is_emlx(data):  # an .emlx renamed .eml
        return "emlx"
    if reader == "workbook" and not is_workbook(data):
        # web apps' "Excel" downloads are often a CSV, a tab-separated text or an HTML table
        if re.search(rb"<(?:html|table|!doctype)\b", data[:2048].lower()):
            raise BadInput(
                f"{path}: a web page saved as {suffix}, not a spreadsheet; open it in "
                "a spreadsheet app and save it as .xlsx or CSV to import"
            )
        return "form"
    if reader is None:
        known = ", ".join(sorted(EXTENSIONS))
        what = f"{suffix!r} files" if suffix else "files without an extension"
        raise BadInput(f"{path}: cannot import {what}; qa-queue reads {known}")
    return reader


def check_importable(path: Path) -> None:
    """BadInput or FileProblem, as an import would raise it, for a file that cannot be opened
    or is of no kind qa-queue reads: checked before a first import makes a database."""
    path = Path(path)
    with open_import(path) as handle:
        head = _first_bytes(handle, path)
    if head.strip():
        _reader_for(path, head)


def _first_bytes(handle: BinaryIO, path: Path) -> bytes:
    """Enough of a file to tell its kind: its first 4 KB, all of an Office file (an Outlook
    message is known by its streams' names, which may stand anywhere in it)."""
    head = handle.read(4096)
    return head + _read_whole(handle, path) if head.startswith(OLE) else head


def read_file(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    hosts: Collection[str] = (),
    mtime: Callable[[Path], datetime] = file_mtime,
    now: datetime | None = None,
    known: Known | None = None,
    zone: tzinfo = UTC,
) -> ImportBatch:
    """The questions in one file; BadInput (one line: file, place, why) when it cannot be read.

    `mapping` names CSV columns (columns.MAPPING_KEYS: title, body, name, email, received_at,
    credit, ...) and is ignored for other files. `hosts` are the hosts' names, so a thread's
    replies from them are recognised as the host's answer (and their messages in a Slack or
    Discord channel are not taken as questions). `mtime` dates questions whose file
    gives no date; in JSON, where each question has its own date, one without is dated `now`
    (the queue's clock; without it, the file's mtime). `known` is what the database holds that
    a JSON question may name (hosts, question ids); without it those are not checked. A CSV
    time written without a zone is in `zone` (the host's, as the app and the CLI pass it).
    """
    path = Path(path)
    with open_import(path) as handle:
        data = _read_whole(handle, path)
        return _parse_whole(path, data, mapping, hosts, mtime, Extra(now, known, zone))


def _parse_whole(
    path: Path,
    data: bytes,
    mapping: dict[str, str] | None,
    hosts: Collection[str],
    mtime: Callable[[Path], datetime],
    extra: Extra,
    suffix: str | None = None,
) -> ImportBatch:
    """The questions in a file's bytes (`suffix`: its extension inside a gzip)."""
    name = str(path)
    if not data.strip():
        raise BadInput(f"{name}: the file is empty")
    reader = _reader_for(path, data, suffix)
    if reader == "gzip":
        if suffix is not None:
            raise BadInput(f"{name}: a gzip file inside a gzip file; unpack it to import it")
        inner = gunzipped(data, name, MAX_IMPORT_BYTES)
        # responses.csv.gz reads as responses.csv would
        return _parse_whole(path, inner, mapping, hosts, mtime, extra, Path(path.stem).suffix)
    if reader == "thread" and (start := raw_mail_start(data)) is not None:
        reader, data = "eml", data[start:]  # a raw message saved as text (Gmail's original)
    if reader == "archive":
        return _unzipped(path, data, mapping, hosts, mtime, extra)
    received_at = to_iso(mtime(path))
    with gc_paused():
        batch = _read(reader, data, name, received_at, mapping, hosts, extra)
    if mapping and reader not in TABLES:
        batch.notes.insert(0, MAP_IS_FOR_TABLES)
    return batch


def _unzipped(
    path: Path,
    data: bytes,
    mapping: dict[str, str] | None,
    hosts: Collection[str],
    mtime: Callable[[Path], datetime],
    extra: Extra,
) -> ImportBatch:
    """The files in a zip, each read as if it stood alone (dated, where it says nothing, by the
    zip's own time); a zip in the zip too, not one deeper."""

    def readable(member: str, head: Callable[[], bytes]) -> bool:
        # a zip in the zip is opened (a Forms download zipped again); one deeper is not
        reader = EXTENSIONS.get(PurePosixPath(member).suffix.lower()) or _sniff(head())
        if reader is None and head().startswith(OLE):
            return True  # an Outlook message: rejected saying how to save it as .eml
        return reader is not None and (reader != "archive" or ".zip:" not in str(path))

    def read(inner: str, blob: bytes) -> ImportBatch:
        return _parse_whole(Path(inner), blob, mapping, hosts, lambda _: mtime(path), extra)

    return read_archive(data, name=str(path), readable=readable, read=read, limit=MAX_IMPORT_BYTES)


def stream_file(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    hosts: Collection[str] = (),
    mtime: Callable[[Path], datetime] = file_mtime,
    size: int = 1000,
    stream_from: int | None = None,
    now: datetime | None = None,
    known: Known | None = None,
    zone: tzinfo = UTC,
) -> Iterator[ImportBatch]:
    """The questions in one file in batches of at most `size`; a large CSV export or mbox is
    read as it goes, so importing it needs memory for one batch. Smaller files and the other
    formats come as one batch, exactly as read_file reads them (`now`, `known`: as there)."""
    path = Path(path)
    with open_import(path) as handle:
        whole = os.fstat(handle.fileno()).st_size
        head = _first_bytes(handle, path)
        reader = _reader_for(path, head) if head.strip() else None
        if reader not in ("form", "mbox") or whole < (
            STREAM_FROM if stream_from is None else stream_from
        ):
            handle.seek(0)
            data = _read_whole(handle, path)
            yield _parse_whole(path, data, mapping, hosts, mtime, Extra(now, known, zone))
            return
        handle.seek(0)
        received_at = to_iso(mtime(path))
        if reader == "form":
            yield from stream_form(
                handle,
                name=str(path),
                received_at=received_at,
                mapping=mapping,
                size=size,
                zone=zone,
            )
        else:
            from .email import stream_mbox  # here: only mail needs the e-mail package

            if mapping:
                yield ImportBatch(notes=[MAP_IS_FOR_TABLES])
            yield from stream_mbox(
                handle, name=str(path), received_at=received_at, size=size, hosts=hosts
            )


def _read(
    reader: str,
    data: bytes,
    name: str,
    received_at: str,
    mapping: dict[str, str] | None,
    hosts: Collection[str],
    extra: Extra,
) -> ImportBatch:
    if reader == "emlx":
        data, reader = emlx_message(data, name), "eml"
    if reader in ("mbox", "eml"):
        from .email import parse_eml, parse_mbox  # here: only mail needs the e-mail package

        parse = parse_mbox if reader == "mbox" else parse_eml
        return parse(data, name=name, received_at=received_at, hosts=hosts)
    if reader == "form":
        return read_form(data, name=name, received_at=received_at, mapping=mapping, zone=extra.zone)
    if reader == "workbook":
        return read_workbook(
            data, name=name, received_at=received_at, mapping=mapping, zone=extra.zone
        )
    text = decode(data, name)
    if reader in ("json", "jsonl"):
        now = to_iso(extra.now) if extra.now else received_at
        if reader == "jsonl":
            return parse_jsonl(text, name=name, now=now, known=extra.known, zone=extra.zone)
        # hosts: a chat channel's messages by them are not questions
        return parse_json(text, name=name, now=now, known=extra.known, zone=extra.zone, hosts=hosts)
    return parse_thread(text, name=name, received_at=received_at, hosts=hosts, zone=extra.zone)
