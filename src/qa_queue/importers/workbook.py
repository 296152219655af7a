"""Spreadsheets as Excel, LibreOffice, Numbers and Google Sheets save them (.xlsx, .xlsm, .xlsb,
.xls, .ods): Microsoft Forms' "Open in Excel", Typeform's and Jotform's Excel downloads, a
Google Form's sheet downloaded as a workbook, a host's own list.

Read with python-calamine (Rust's calamine: one reader for every one of these formats, no Excel
needed), in a process of its own (sheet_cells.py: a damaged file can make calamine panic, and
its backtrace must not reach the host; ~40 ms a workbook). Each cell becomes the text a CSV
export would hold (a date cell its ISO date and time), and the rows go through the same header
search and column guessing as a CSV (form.py), so `--map`, the report and the import keys work
the same. The first sheet that has a
question column is read; the report names it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any

from ..errors import BadInput
from .common import ImportBatch
from .csv_rows import Record, RowStart
from .csv_sniff import Dialect
from .form import parse_rows
from .sheet_cells import MAX_CELLS, PASSWORD, TOO_BIG, TOO_MANY, cell_text
from .timestamps import slashed_order

__all__ = ["cell_text", "is_workbook", "read_workbook"]

# What a spreadsheet file starts with: a zip (.xlsx, .xlsm, .xlsb, .ods) or an OLE compound
# file (.xls, and any workbook saved with a password).
_ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office's password protection: an OLE file holding the encrypted workbook under this name
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SAMPLE_ROWS = 200  # rows whose written dates decide day or month first
READER = Path(__file__).with_name("sheet_cells.py")
READ_FOR = 300  # seconds a workbook may take to read (a 1 GB one takes about a minute)


def is_workbook(data: bytes) -> bool:
    """A spreadsheet in a binary format, not text (some web apps save CSV or HTML as .xls)."""
    return data.startswith((_ZIP, OLE))


class SheetRows:
    """A sheet's rows as records (form.py's Rows): row numbers are the spreadsheet's own."""

    def __init__(self, rows: list[list[str]]) -> None:
        self.rows = rows
        self.dialect = Dialect(",")  # not used: cells never run into each other
        self.row_start: RowStart | None = None

    def __iter__(self) -> Iterator[Record]:
        for number, cells in enumerate(self.rows, 1):
            yield Record(number, number, number, cells)


def _read_apart(data: bytes, name: str, kind: str) -> dict[str, Any]:
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(READER)],
            input=data,
            capture_output=True,  # a Rust panic's backtrace goes nowhere
            timeout=READ_FOR,
            check=False,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
    except subprocess.TimeoutExpired:
        raise BadInput(
            f"{name}: reading the {kind} took over {READ_FOR} s; is it damaged?"
        ) from None
    except OSError as error:
        return {"problem": "", "why": str(error)}
    if done.returncode < 0:  # ended by a signal: Rust aborts when an allocation fails
        return {"problem": "", "why": TOO_BIG}
    try:
        read: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        return {"problem": "", "why": ""}
    return read if done.returncode == 0 else {"problem": "", "why": ""}


def _sheets(data: bytes, name: str) -> tuple[list[tuple[str, list[list[str]]]], list[str]]:
    """The visible sheets' names and rows as text, and the hidden sheets' names, read by
    sheet_cells.py in its own process."""
    old_excel = data.startswith(OLE) and name.lower().endswith(".xls")
    kind = "Excel 97-2003 workbook" if old_excel else "workbook"
    if data.startswith(OLE) and _ENCRYPTED in data:
        read: dict[str, Any] = {"problem": PASSWORD}
    else:
        read = _read_apart(data, name, kind)
    if "sheets" in read:
        sheets = [(str(sheet[0]), sheet[1]) for sheet in read["sheets"]]
        return sheets, [str(sheet) for sheet in read.get("hidden", ())]
    if read["problem"] == TOO_MANY:
        raise BadInput(
            f"{name}: its sheet {read['why']} hold more than the {MAX_CELLS:,} cells qa-queue "
            "reads from a workbook; save the sheet as CSV, which is read as it goes"
        )
    if read["problem"] == PASSWORD:
        raise BadInput(
            f"{name}: the workbook is locked with a password; open it, and save a copy without "
            "one (or as CSV) to import"
        )
    why = " ".join(str(read.get("why") or "").split())[:120]
    raise BadInput(f"{name}: cannot read the {kind}{f' ({why})' if why else ''}; is it damaged?")


def read_workbook(
    data: bytes,
    *,
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None = None,
    zone: tzinfo = UTC,
) -> ImportBatch:
    """The questions in a workbook's first sheet that asks any (a question column holding words,
    not only a summary's numbers); the report names the sheets passed over and why. BadInput
    when no sheet has a question column."""
    sheets, hidden = _sheets(data, name)
    passed: list[str] = [f"{sheet!r} (hidden)" for sheet in hidden]
    chosen: ImportBatch | None = None
    first_problem: BadInput | None = None
    for sheet_name, rows in sheets:
        if chosen is not None:  # one sheet is read: a workbook's responses are in one
            passed.append(f"{sheet_name!r} (after the one read)")
            continue
        if not any(any(cell.strip() for cell in row) for row in rows):
            passed.append(f"{sheet_name!r} (empty)")
            continue
        try:
            batch = _read_sheet(sheet_name, rows, name, received_at, mapping, zone)
        except BadInput as problem:
            first_problem = first_problem or problem
            passed.append(f"{sheet_name!r} (no question column)")
            continue
        if not any(_ASKS.search(question.body) for question in batch.questions):
            passed.append(f"{sheet_name!r} (no question in words: a summary?)")
            first_problem = first_problem or BadInput(
                f"{name}: no sheet holds questions in words (its sheet {sheet_name!r} has "
                "a question column of numbers only)"
            )
            continue
        chosen = batch
    if chosen is not None:
        if passed:
            chosen.notes.insert(1, f"sheets not read: {', '.join(passed)}")
        return chosen
    if first_problem is not None:
        raise first_problem
    raise BadInput(f"{name}: the workbook is empty (no sheet has anything in it)")


_ASKS = re.compile(r"[^\W\d_]")  # a letter: a question, not a count


def _read_sheet(
    sheet_name: str,
    rows: list[list[str]],
    name: str,
    received_at: str,
    mapping: Mapping[str, str] | None,
    zone: tzinfo,
) -> ImportBatch:
    notes = [f"read as a spreadsheet, its sheet {sheet_name!r}"]
    sample = "\n".join(" ".join(row) for row in rows[:SAMPLE_ROWS])
    order = slashed_order(sample)
    if order is not None:
        notes.append(order[1])
    return parse_rows(
        SheetRows(rows),
        notes,
        name=f"{name} ({sheet_name})",
        received_at=received_at,
        mapping=mapping,
        dayfirst=bool(order and order[0]),
        zone=zone,
    )
