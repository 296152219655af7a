"""Web-form responses exported as CSV (Google Forms, Typeform, Tally, Jotform, Microsoft
Forms, SurveyMonkey, Excel) and Helipad's boostagram export: one question per row.

What the file is made of is guessed in csv_sniff.py (encoding, delimiter), which column holds
what in columns.py, records and their lines in csv_rows.py; the import report says each guess.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from typing import BinaryIO

from ..errors import BadInput
from ..model.question import Question, Source
from .columns import (
    MAPPING_KEYS,
    SUBHEADERS,
    Columns,
    apply_mapping,
    normalise,
    recognise,
)
from .common import ImportBatch, fingerprint, place, title_from, zoneless
from .csv_rows import Record, Records, Rows, row_start_check
from .csv_sniff import SAMPLE, Dialect, Encoding, decode_all, guess_encoding, sniff_dialect
from .csv_sniff import text_lines as decoded_lines
from .form_cells import EMAIL, cell, listener_of, readable, sats_of, tags_in
from .timestamps import parse_date, slashed_order

# MAPPING_KEYS is here too: the app's dialog lists them
__all__ = ["MAPPING_KEYS", "parse_form", "parse_rows", "read_form", "stream_form"]

HEADER_SEARCH = 5  # some exports put a title row or two above the header
SHOWN_REPEATS = 5  # repeated rows named one by one in the report; the rest are counted


_SAYS_UTC = re.compile(r"\b(?:UTC|GMT|Zulu)\b(?!\s*[+-]\s*\d)", re.IGNORECASE)


class LeftOut(Exception):
    """A row that is no question and no mistake either (a boost without words)."""


# why a boost is left out, Helipad's row or a boostagram record alike
WITHOUT_WORDS = "without a message (streamed sats, boosts without words)"


@dataclass
class Context:
    name: str
    received_at: str
    columns: Columns
    dayfirst: bool = False
    zone: tzinfo = UTC
    # import key -> (row, hash of its words): the same question twice in one file
    seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    left_out: Counter[str] = field(default_factory=Counter)
    kind_column: int | None = None  # a boost export's "type": boost, stream, comment or sent
    first_time: str = ""  # the first row's time as written, to tell the host how it was read
    zone_header: str = ""  # the time column's header, when it names the zone (UTC)
    accounts: bool = False  # names are Microsoft accounts' (Microsoft Forms), not typed
    repeats: int = 0  # rows repeating an earlier one word for word
    undated: int = 0  # rows with every time column empty, dated by the file's time


def _question(row: list[str], context: Context) -> Question:
    """The question in one response row; ValueError saying why the row cannot be one."""
    columns = context.columns
    width = len(columns.header)
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        raise ValueError(f"{len(row)} cells but the header has {width} columns")
    if len(row) < width:
        raise ValueError(
            f"{len(row)} cells but the header has {width} columns (a delimiter or quote missing?)"
        )
    if context.kind_column is not None and row[context.kind_column].strip().casefold() == "sent":
        raise LeftOut("boosts you sent")
    parts = [readable(row[i].replace("\r\n", "\n")).strip() for i in columns.body if i < len(row)]
    body = "\n\n".join(part for part in parts if part)
    if not body:
        if columns.boosts:
            raise LeftOut(WITHOUT_WORDS)
        raise ValueError("no question text")
    stamp = cell(row, columns, "received_at")
    if stamp and (clock := cell(row, columns, "clock")):
        stamp = f"{stamp} {clock}"  # a Date column and a Time column beside it
    zone = cell(row, columns, "zone")
    written = f"{stamp} {zone}" if zone else stamp
    if stamp and not context.first_time:
        context.first_time = written
    if stamp:
        received_at = parse_date(written, dayfirst=context.dayfirst, zone=context.zone)
    else:
        received_at = context.received_at
        context.undated += "received_at" in columns.single
    listener = listener_of(row, columns, context.accounts)
    ref = cell(row, columns, "ref")
    # a row with no id, and no time with an address, is known by its words
    content = "" if (ref or (stamp and listener.contact)) else listener.name + "\n" + body
    return Question(
        title=" ".join(cell(row, columns, "title").split()) or title_from(body),
        body=body,
        received_at=received_at,
        source=Source(kind="boost" if columns.boosts else "form", ref=ref or None),
        listener=listener,
        tags=tags_in(row, columns),
        import_key="form:" + fingerprint(ref, stamp, listener.contact.lower(), content),
        boost_sats=sats_of(cell(row, columns, "sats"), columns.millisats),
    )


def _no_question_column(record: Record, name: str) -> BadInput:
    shown = ", ".join(repr(text) for text in record.cells[:12]) or "none"
    return BadInput(
        f"{name}: {record.where()}: no question column found (columns: {shown}); "
        "map the one that holds the question as body"
    )


# the first columns of our own CSV export (exporters/csv.py): show notes, never a form
OUR_EXPORT = ("id", "episode", "timestamp", "title", "listener", "status")


def _find_header(
    records: Iterator[Record], name: str, mapping: Mapping[str, str] | None
) -> tuple[Record, Columns]:
    """The header record (among the first filled ones; the first, with a mapping) and which
    column holds what."""
    first: Record | None = None
    filled = 0
    for record in records:
        if record.problem or not any(cell.strip() for cell in record.cells):
            continue
        first, filled = first or record, filled + 1
        if tuple(normalise(cell) for cell in record.cells[: len(OUR_EXPORT)]) == OUR_EXPORT:
            raise BadInput(
                f"{name}: this is qa-queue's CSV export of show notes, not questions to import; "
                "to bring questions back, import the JSON export "
                "(qa-queue export --format json --include-private)"
            )
        columns = recognise(record.cells)
        if mapping:
            apply_mapping(columns, mapping, name)
        if columns.body:
            return record, columns
        if mapping or filled >= HEADER_SEARCH:
            break
    if first is None:
        raise BadInput(f"{name}: the file is empty")
    raise _no_question_column(first, name)


def _signals(columns: Columns, context: Context) -> dict[int, Callable[[str], object]]:
    """The cells that tell a row's first line from a line of someone's question."""
    signals: dict[int, Callable[[str], object]] = {}
    if "email" in columns.single:
        signals[columns.single["email"]] = EMAIL.fullmatch
    if "received_at" in columns.single:
        signals[columns.single["received_at"]] = _is_date
    if "ref" in columns.single:
        signals[columns.single["ref"]] = _is_id
    return signals


def _is_date(cell: str) -> bool:
    """A time as exports write one (at least six digits: a date, an epoch), not a "3"."""
    try:
        return sum(ch.isdigit() for ch in cell) >= 6 and bool(parse_date(cell))
    except ValueError:
        return False


def _is_id(cell: str) -> bool:
    """An id as exports write one: letters and digits, at least one digit ("k3v9q2m8x1")."""
    return cell.isalnum() and any(ch.isdigit() for ch in cell)


def _batches(
    records: Rows,
    notes: list[str],
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None,
    size: int,
    dayfirst: bool = False,
    zone: tzinfo = UTC,
) -> Iterator[ImportBatch]:
    """Questions from the rows after the header, `size` at a time; a bad row is rejected with
    its row and line and the others still read; the first batch carries the guesses."""
    rows = iter(records)
    header, columns = _find_header(rows, name, mapping)
    context = Context(name, received_at, columns, dayfirst=dayfirst, zone=zone)
    time_column = columns.single.get("received_at")
    if time_column is not None and _SAYS_UTC.search(columns.header[time_column]):
        # Typeform's "Submit Date (UTC)": the header says the zone the file does not write
        context.zone, context.zone_header = UTC, columns.header[time_column]
    norms = [normalise(text) for text in columns.header]
    # Microsoft Forms' own columns: its Name is the signed-in account's
    context.accounts = {"start time", "completion time"} <= set(norms)
    if columns.boosts and "type" in norms:
        context.kind_column = norms.index("type")
    width = len(columns.header)
    records.row_start = row_start_check(records.dialect, width, _signals(columns, context))
    if header.row > 1:
        notes.append(f"header on {header.where()}; the rows above it are not questions")
    if columns.boosts:
        notes.append("a boost export: sender, message, time and sats")
    notes.append(columns.describe())
    batch = ImportBatch(notes=notes)
    after_header = True
    said_zone = False
    for record in rows:
        if record.problem:
            batch.rejected.append(place(name, record.where(), record.problem))
            continue
        if not any(cell.strip() for cell in record.cells):
            continue
        if after_header and _second_header(record.cells, columns):
            batch.notes.append(f"{record.where()}: a second header row (SurveyMonkey's), skipped")
            continue
        after_header = False
        try:
            question = _question(record.cells, context)
        except LeftOut as why:
            context.left_out[str(why)] += 1
            continue
        except ValueError as error:
            batch.rejected.append(place(name, record.where(), str(error)))
            continue
        if _kept(question, record, context, batch):
            batch.questions.append(question)
        if context.first_time and not said_zone:
            said_zone = True
            batch.notes += _zoneless(context.first_time, context)
        if len(batch.questions) >= size:
            yield batch
            batch = ImportBatch()
    if context.repeats > SHOWN_REPEATS:
        more = context.repeats - SHOWN_REPEATS
        batch.notes.append(
            f"{more} more row{'s' * (more != 1)} repeat earlier ones word for word: each "
            "imported once"
        )
    if context.undated:
        batch.notes.append(_undated(context))
    for reason, count in context.left_out.items():
        batch.notes.append(f"left out {count} row{'s' * (count != 1)} {reason}")
    yield batch


def _undated(context: Context) -> str:
    """The report's line for rows whose time columns are all empty: never dated silently."""
    columns = context.columns
    times = [columns.single["received_at"], *columns.fallbacks.get("received_at", ())]
    named = " or ".join(repr(columns.header[index]) for index in times)
    rows = f"{context.undated} row{'s' * (context.undated != 1)}"
    return f"{rows} with no time in {named}: dated by the file's time ({context.received_at})"


def _second_header(cells: list[str], columns: Columns) -> bool:
    """SurveyMonkey's row under the header: "Response", "Open-Ended Response" (under the
    question), and a multi-choice question's options over their columns."""
    if {normalise(cell) for cell in cells if cell.strip()} <= SUBHEADERS:
        return True
    asked = {normalise(cells[i]) for i in columns.body if i < len(cells) and cells[i].strip()}
    return bool(asked) and asked <= SUBHEADERS


def _zoneless(written: str, context: Context) -> list[str]:
    """What to tell the host when a file's times carry no zone: which zone they were read in
    (the host's, or UTC where the time column's header says so)."""
    said = zoneless(written, context.zone, dayfirst=context.dayfirst)
    if said and context.zone_header:
        return [f"times without a zone read as UTC, as their column says ({context.zone_header!r})"]
    return said


def _kept(question: Question, record: Record, context: Context, batch: ImportBatch) -> bool:
    """False for a row that repeats an earlier one of the file word for word (said in the
    report); a row sharing only the earlier one's time and address gets a key of its own."""
    key, words = question.import_key or "", hash(question.body)
    earlier = context.seen.get(key)
    if earlier is not None:
        if earlier[1] == words:
            context.repeats += 1
            if context.repeats <= SHOWN_REPEATS:
                batch.notes.append(
                    f"{record.where()} repeats row {earlier[0]} (the same words from the same "
                    "listener): imported once"
                )
            return False
        key = question.import_key = "form:" + fingerprint(key, question.body)
    context.seen[key] = (record.row, words)
    return True


def _date_order(sample: str, notes: list[str]) -> bool:
    """Day first or not, as the file's dates say; said in the report when it has any."""
    order = slashed_order(sample)
    if order is None:
        return False
    notes.append(order[1])
    return order[0]


def _opening(encoding: Encoding, dialect: Dialect) -> list[str]:
    return [f"read as {encoding.label}, {dialect.describe()}"]


def parse_form(
    text: str,
    *,
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None = None,
    dayfirst: bool | None = None,
    zone: tzinfo = UTC,
    encoding: Encoding | None = None,
) -> ImportBatch:
    """Questions from a form's CSV export; a bad row is rejected and the others still read.

    Dates without a zone are taken as `zone` (UTC); `dayfirst` reads 03/11/2026 as 3 November
    (None: as the file's own dates say, see slashed_order).
    `received_at` dates rows that have no date column.
    """
    text = text.removeprefix("\ufeff")
    dialect = sniff_dialect(text[:SAMPLE])
    notes = _opening(encoding or Encoding("utf-8", "text"), dialect)
    if dayfirst is None:
        dayfirst = _date_order(text[:SAMPLE], notes)
    lines = io.StringIO(text, newline="")
    return parse_rows(
        Records(lines, dialect),
        notes,
        name=name,
        received_at=received_at,
        mapping=mapping,
        dayfirst=dayfirst,
        zone=zone,
    )


def parse_rows(
    records: Rows,
    notes: list[str],
    *,
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None = None,
    dayfirst: bool = False,
    zone: tzinfo = UTC,
) -> ImportBatch:
    """Questions from a table's records (a CSV's, or a spreadsheet's rows): the header found,
    its columns guessed, a bad row rejected and the others read; `notes` open the report."""
    whole = ImportBatch()
    for batch in _batches(records, notes, name, received_at, mapping, 1 << 62, dayfirst, zone):
        whole.questions += batch.questions
        whole.rejected += batch.rejected
        whole.notes += batch.notes
    return whole


def read_form(
    data: bytes,
    *,
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None = None,
    zone: tzinfo = UTC,
) -> ImportBatch:
    """parse_form on a file's bytes, whatever their encoding (the report says which)."""
    text, encoding = decode_all(data, name)
    return parse_form(
        text, name=name, received_at=received_at, mapping=mapping, zone=zone, encoding=encoding
    )


def stream_form(
    handle: BinaryIO,
    *,
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None = None,
    size: int = 1000,
    zone: tzinfo = UTC,
) -> Iterator[ImportBatch]:
    """The same questions as read_form, read from the open file as it goes, `size` at a time:
    a large export needs memory for one batch, not the whole file."""
    sample = handle.read(SAMPLE)
    encoding = guess_encoding(sample, name, complete=len(sample) < SAMPLE)
    text = sample.decode(encoding.codec, errors="replace").removeprefix("\ufeff")
    dialect = sniff_dialect(text)
    handle.seek(0)
    lines = decoded_lines(handle, name, encoding)
    opening = _opening(encoding, dialect)
    dayfirst = _date_order(text, opening)
    yield from _batches(
        Records(lines, dialect), opening, name, received_at, mapping, size, dayfirst, zone
    )
