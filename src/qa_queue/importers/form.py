"""Web-form responses exported as CSV (Google Forms, Typeform, Tally): one question per row."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from functools import partial
from typing import BinaryIO

from ..errors import BadInput
from ..model.question import Credit, Listener, Question, Source
from .common import ImportBatch, fingerprint, not_utf8, parse_date, place, title_from

MAPPING_KEYS = ("title", "body", "name", "email", "received_at", "tags")
# Header texts (lower-cased, end punctuation dropped) that the known form services write.
EXACT = {
    "received_at": {
        "timestamp", "submitted at", "submit date (utc)", "submit date", "submission date",
        "date submitted", "submitted on", "submission time", "completed at", "created at", "date",
    },
    "name": {"name", "your name", "full name", "your full name", "what's your name"},
    "first_name": {"first name", "your first name", "given name"},
    "last_name": {"last name", "your last name", "surname", "family name"},
    "email": {"email", "email address", "your email", "your email address", "e-mail"},
    "title": {"subject", "title", "question title", "question subject", "headline"},
    "body": {
        "question", "your question", "questions", "what would you like to ask",
        "what's your question", "what is your question", "ask us anything", "message",
        "your message",
    },
    "tags": {"topic", "topics", "category", "categories", "tags", "tag"},
    "ref": {"#", "response id", "submission id", "token", "id"},
}  # fmt: skip
# Keyword rules for headers no service wrote exactly like that; first match wins.
KEYWORDS = (
    (
        "credit",
        re.compile(r"credit|anonym|use your name|say your name|name on (?:the )?(?:show|air)"),
    ),
    ("title", re.compile(r"\b(?:subject|title)\b")),
    ("body", re.compile(r"\b(?:question|ask|message|anything else|details|context)\b")),
    ("email", re.compile(r"e-?mail")),
    ("received_at", re.compile(r"\b(?:timestamp|submitted|date)\b")),
    ("name", re.compile(r"\bname\b")),
)
_TAG_SPLIT = re.compile(r"[,;]")
HEADER_SEARCH = 5  # some exports put a title row or two above the header


def _norm(header: str) -> str:
    return " ".join(header.casefold().replace("’", "'").split()).strip(" ?:*.")


def _role(header: str, exact: bool) -> str | None:
    norm = _norm(header)
    if exact:
        return next((role for role, names in EXACT.items() if norm in names), None)
    return next((role for role, pattern in KEYWORDS if pattern.search(norm)), None)


@dataclass
class Columns:
    """Which column holds what; `body` may be several (joined in order)."""

    single: dict[str, int] = field(default_factory=dict)
    body: list[int] = field(default_factory=list)


def _recognise(header: list[str]) -> Columns:
    columns = Columns()
    for exact in (True, False):
        for index, text in enumerate(header):
            taken = index in columns.body or index in columns.single.values()
            role = None if taken else _role(text, exact)
            if role == "body":
                columns.body.append(index)
            elif role and role not in columns.single:
                columns.single[role] = index
    columns.body.sort()
    return columns


def _apply_mapping(columns: Columns, header: list[str], mapping: Mapping[str, str], name: str):
    by_name = {_norm(text): index for index, text in enumerate(header)}
    for key, column in mapping.items():
        if key not in MAPPING_KEYS:
            raise BadInput(f"{name}: cannot map {key!r}; map one of {', '.join(MAPPING_KEYS)}")
        index = by_name.get(_norm(column))
        if index is None:
            shown = ", ".join(repr(text) for text in header)
            raise BadInput(f"{name}: no column {column!r} to map {key} to (columns: {shown})")
        if key == "body":
            columns.body = [index]
        else:
            columns.single[key] = index
        if key == "name":
            columns.single.pop("first_name", None)
            columns.single.pop("last_name", None)


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab that some spreadsheet locales export with."""
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)  # a tie keeps the comma


def _credit(answer: str) -> Credit:
    text = answer.casefold()
    if not text:
        return Credit.FIRST
    if "anon" in text or re.match(r"(?:no|don't|do not|please don't)\b", text):
        return Credit.ANONYMOUS
    return Credit.FULL if "full" in text else Credit.FIRST


@dataclass
class Context:
    name: str
    received_at: str
    width: int
    dayfirst: bool
    zone: tzinfo


def _cell(row: list[str], columns: Columns, role: str) -> str:
    index = columns.single.get(role)
    if index is None or index >= len(row):
        return ""
    return row[index].replace("\r\n", "\n").strip()


def _listener(row: list[str], columns: Columns) -> Listener:
    name = _cell(row, columns, "name")
    if not name:
        first, last = _cell(row, columns, "first_name"), _cell(row, columns, "last_name")
        name = " ".join(part for part in (first, last) if part)
    return Listener(
        name=" ".join(name.split()),
        contact=_cell(row, columns, "email"),
        credit=_credit(_cell(row, columns, "credit")),
    )


def _tags(cell: str) -> list[str]:
    """ "Sleep, Shift work" -> ["sleep", "shift-work"], as the queue writes tags."""
    tags = ("-".join(part.lower().split()) for part in _TAG_SPLIT.split(cell))
    return list(dict.fromkeys(tag for tag in tags if tag))


def _question(row: list[str], columns: Columns, context: Context) -> Question:
    """The question in one response row; ValueError saying why the row cannot be one."""
    if len(row) > context.width and any(cell.strip() for cell in row[context.width :]):
        raise ValueError(f"{len(row)} cells but the header has {context.width} columns")
    parts = [row[i].replace("\r\n", "\n").strip() for i in columns.body if i < len(row)]
    body = "\n\n".join(part for part in parts if part)
    if not body:
        raise ValueError("no question text")
    stamp = _cell(row, columns, "received_at")
    received_at = (
        parse_date(stamp, dayfirst=context.dayfirst, zone=context.zone)
        if stamp
        else context.received_at
    )
    listener = _listener(row, columns)
    ref = _cell(row, columns, "ref")
    tags = _tags(_cell(row, columns, "tags"))
    anonymous_row = "" if (listener.contact or ref) else listener.name + "\n" + body
    return Question(
        title=" ".join(_cell(row, columns, "title").split()) or title_from(body),
        body=body,
        received_at=received_at,
        source=Source(kind="form", ref=ref or None),
        listener=listener,
        tags=tags,
        import_key="form:" + fingerprint(ref, stamp, listener.contact.lower(), anonymous_row),
    )


def _no_question_column(header: list[str], number: int, name: str) -> BadInput:
    shown = ", ".join(repr(text) for text in header[:12]) or "none"
    return BadInput(
        f"{name}: row {number}: no question column found (columns: {shown}); "
        "map the one that holds the question as body"
    )


def _layout(
    records: list[tuple[int, list[str]]], name: str, mapping: Mapping[str, str] | None
) -> tuple[int, list[str], Columns]:
    """Where the header row is, what it says, and which column holds what."""
    filled = [i for i, (_, row) in enumerate(records) if any(cell.strip() for cell in row)]
    if not filled:
        raise BadInput(f"{name}: the file is empty")
    candidates = filled[:HEADER_SEARCH] if not mapping else filled[:1]
    for position in candidates:
        header = records[position][1]
        columns = _recognise(header)
        if mapping:
            _apply_mapping(columns, header, mapping, name)
        if columns.body:
            return position, header, columns
    first = records[filled[0]]
    raise _no_question_column(first[1], first[0], name)


def _numbered(rows: Iterable[list[str]], name: str) -> Iterator[tuple[int, list[str]]]:
    """Rows with their numbers; a CSV error or a non-UTF-8 byte names the row it is on."""
    number = 0
    try:
        for number, row in enumerate(rows, 1):
            yield number, row
    except csv.Error as error:
        raise BadInput(place(name, f"row {number + 1}", f"not valid CSV ({error})")) from None
    except UnicodeDecodeError:
        raise BadInput(
            place(name, f"row {number + 1}", "not UTF-8 text (save it as UTF-8 and import again)")
        ) from None


def _text_lines(handle: Iterable[bytes], name: str) -> Iterator[str]:
    """A file's lines decoded one by one, so that a byte that is not UTF-8 names its line (a
    text file decodes blocks of 8 KB, and the row it names could be far before it)."""
    for number, line in enumerate(handle, 1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise not_utf8(name, number) from None


def _records(text: str, name: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    return list(_numbered(reader, name))


def _batches(
    records: Iterable[tuple[int, list[str]]],
    head: list[tuple[int, list[str]]],
    context_for: Callable[[int], Context],
    name: str,
    mapping: Mapping[str, str] | None,
    size: int,
) -> Iterator[ImportBatch]:
    """Questions from the rows after the header (found in `head`, the first rows), `size` at
    a time; a bad row is rejected and the others still read."""
    position, header, columns = _layout(head, name, mapping)
    context = context_for(len(header))
    batch = ImportBatch()
    for number, row in itertools.chain(head[position + 1 :], records):
        if not any(cell.strip() for cell in row):
            continue
        try:
            batch.questions.append(_question(row, columns, context))
        except ValueError as error:
            batch.rejected.append(place(name, f"row {number}", str(error)))
        if len(batch.questions) >= size:
            yield batch
            batch = ImportBatch()
    yield batch


def parse_form(
    text: str,
    *,
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None = None,
    dayfirst: bool = False,
    zone: tzinfo = UTC,
) -> ImportBatch:
    """Questions from a form's CSV export; a bad row is rejected and the others still read.

    Dates without a zone are taken as `zone` (UTC); `dayfirst` reads 03/11/2026 as 3 November.
    `received_at` dates rows that have no date column.
    """
    records = _records(text, name)
    whole = ImportBatch()
    context_for = partial(Context, name, received_at, dayfirst=dayfirst, zone=zone)
    for batch in _batches([], records, context_for, name, mapping, len(records) + 1):
        whole.questions += batch.questions
        whole.rejected += batch.rejected
    return whole


def stream_form(
    handle: BinaryIO,
    *,
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None = None,
    size: int = 1000,
) -> Iterator[ImportBatch]:
    """The same questions as parse_form, read from the open file as it goes, `size` at a time:
    a large export needs memory for one batch, not the whole file."""
    # a sample to guess the delimiter from; a bad byte in it is reported with its line below
    delimiter = _delimiter(handle.read(64 * 1024).decode("utf-8-sig", errors="replace"))
    handle.seek(0)
    records = _numbered(csv.reader(_text_lines(handle, name), delimiter=delimiter), name)
    head = list(itertools.islice(records, HEADER_SEARCH * 4))
    context_for = partial(Context, name, received_at, dayfirst=False, zone=UTC)
    yield from _batches(records, head, context_for, name, mapping, size)
