"""Reading listener questions from files: pick the importer by extension or content."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime
from pathlib import Path

from ..errors import BadInput
from ..gc_pause import gc_paused
from ..model.dates import to_iso
from .common import ImportBatch, decode
from .email import parse_eml, parse_mbox, stream_mbox
from .form import parse_form, stream_form
from .ours import parse_json, parse_jsonl
from .thread import parse_thread

__all__ = ["EXTENSIONS", "ImportBatch", "file_mtime", "read_file", "stream_file"]

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
    ".mbox": "mbox",
    ".mbx": "mbox",
    ".eml": "eml",
}
_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]", re.MULTILINE)
_MAIL_HEADERS = re.compile(rb"^(?:message-id|from|subject|date|received|return-path):", re.I | re.M)


def file_mtime(path: Path) -> datetime:
    """When the file was last changed: the date of a question whose file gives none."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _sniff(data: bytes) -> str | None:
    """The reader for a file whose extension says nothing, judged by how it starts."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"From "):
        return "mbox"
    if head.lstrip()[:1] in (b"{", b"["):
        return "json"
    if _HEADER.match(head) and len(_MAIL_HEADERS.findall(head)) >= 2:
        return "eml"
    return None


def _reader_for(path: Path, data: bytes) -> str:
    reader = EXTENSIONS.get(path.suffix.lower()) or _sniff(data)
    if reader is None:
        known = ", ".join(sorted(EXTENSIONS))
        what = f"{path.suffix!r} files" if path.suffix else "files without an extension"
        raise BadInput(f"{path}: cannot import {what}; qa-queue reads {known}")
    return reader


def read_file(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    hosts: Collection[str] = (),
    mtime: Callable[[Path], datetime] = file_mtime,
) -> ImportBatch:
    """The questions in one file; BadInput (one line: file, place, why) when it cannot be read.

    `mapping` names CSV columns ({"title", "body", "name", "email", "received_at", "tags"}) and
    is ignored for other files. `hosts` are the hosts' names, so a thread's replies from them
    are recognised as the host's answer. `mtime` dates questions whose file gives no date.
    """
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInput(f"{name}: cannot read the file ({error.strerror or error})") from None
    if not data.strip():
        raise BadInput(f"{name}: the file is empty")
    reader = _reader_for(path, data)
    received_at = to_iso(mtime(path))
    with gc_paused():
        return _read(reader, data, name, received_at, mapping, hosts)


def stream_file(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    hosts: Collection[str] = (),
    mtime: Callable[[Path], datetime] = file_mtime,
    size: int = 1000,
    stream_from: int | None = None,
) -> Iterator[ImportBatch]:
    """The questions in one file in batches of at most `size`; a large CSV export or mbox is
    read as it goes, so importing it needs memory for one batch. Smaller files and the other
    formats come as one batch, exactly as read_file reads them."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
        whole = path.stat().st_size
    except OSError as error:
        raise BadInput(f"{path}: cannot read the file ({error.strerror or error})") from None
    reader = _reader_for(path, head) if head.strip() else None
    if reader not in ("form", "mbox") or whole < (
        STREAM_FROM if stream_from is None else stream_from
    ):
        yield read_file(path, mapping=mapping, hosts=hosts, mtime=mtime)
        return
    received_at = to_iso(mtime(path))
    if reader == "form":
        yield from stream_form(
            path, name=str(path), received_at=received_at, mapping=mapping, size=size
        )
    else:
        yield from stream_mbox(path, name=str(path), received_at=received_at, size=size)


def _read(
    reader: str,
    data: bytes,
    name: str,
    received_at: str,
    mapping: dict[str, str] | None,
    hosts: Collection[str],
) -> ImportBatch:
    if reader in ("mbox", "eml"):
        parse = parse_mbox if reader == "mbox" else parse_eml
        return parse(data, name=name, received_at=received_at)
    text = decode(data, name)
    if reader == "thread":
        return parse_thread(text, name=name, received_at=received_at, hosts=hosts)
    if reader in ("json", "jsonl"):
        return (parse_json if reader == "json" else parse_jsonl)(text, name=name)
    return parse_form(text, name=name, received_at=received_at, mapping=mapping)
