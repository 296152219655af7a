"""CSV records with the lines they came from, and a quote left open kept to its own row.

Python's csv module reads a quote that is never closed as one field running on to the next
quote character or the end of the file: the rows after it, e-mail addresses and all, become
part of the first one's question. Here every record knows its first and last physical line,
and a record spanning lines is checked line by line: a line inside it that reads as a row of
its own (the header's number of cells, with a date, an e-mail address or an id where the
header has one) means the quote before it was never closed. That record is rejected with its
line, and reading starts again at the line that looked like a row. A quote still open at the
end of the file rejects its record (and the lines it swallowed, named) too.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from .csv_sniff import Dialect


@dataclass
class Record:
    row: int  # the record's number in the file, from 1 (the spreadsheet's row)
    line: int  # its first physical line
    last: int  # its last physical line
    cells: list[str]
    problem: str = ""  # why it cannot be read as a row (it is rejected)

    def where(self) -> str:
        """'row 4', or 'row 4 (line 6)', 'row 2 (lines 2–4)' where lines and rows part ways."""
        if self.last > self.line:
            return f"row {self.row} (lines {self.line}–{self.last})"
        return f"row {self.row}" if self.row == self.line else f"row {self.row} (line {self.line})"


class _Lines:
    """Physical lines handed to csv.reader one at a time, numbered, some given back."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.source = iter(lines)
        self.back: deque[str] = deque()
        self.number = 0  # the last line handed out
        self.taken: list[str] = []  # the lines of the record being read
        self.ended = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.back:
            line = self.back.popleft()
        else:
            try:
                line = next(self.source)
            except StopIteration:
                self.ended = True
                raise
        self.number += 1
        self.taken.append(line)
        return line

    def give_back(self, lines: list[str]) -> None:
        self.back.extendleft(reversed(lines))
        self.number -= len(lines)


RowStart = Callable[[str], bool]


class Rows(Protocol):
    """Records of a table, numbered: a CSV's (Records), or a spreadsheet's rows (workbook.py),
    which have no lines to run together and ignore `row_start`."""

    dialect: Dialect
    row_start: RowStart | None

    def __iter__(self) -> Iterator[Record]: ...


class Records:
    """The records of CSV text given as physical lines; `row_start` (set once the header is
    known) says whether a line looks like the start of a row of its own."""

    def __init__(self, lines: Iterable[str], dialect: Dialect) -> None:
        self.lines = _Lines(lines)
        self.dialect = dialect
        self.row_start: RowStart | None = None
        self.reader = csv.reader(
            self.lines,
            delimiter=dialect.delimiter,
            skipinitialspace=dialect.skip_initial_space,
            strict=False,
        )
        self.row = 0

    def __iter__(self) -> Iterator[Record]:
        lines = self.lines
        if self.dialect.sep_line:
            next(lines, None)
        while True:
            lines.taken = []
            first = lines.number + 1
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.row += 1
                yield Record(self.row, first, lines.number, [], f"not valid CSV ({error})")
                continue
            self.row += 1
            yield self._checked(Record(self.row, first, lines.number, cells))

    def _checked(self, record: Record) -> Record:
        taken = self.lines.taken
        if len(taken) < 2:
            return record
        row_start = self.row_start
        for offset in range(1, len(taken)) if row_start else ():
            if row_start(taken[offset]):  # type: ignore[misc]
                self.lines.give_back(taken[offset:])
                self.lines.ended = False
                record.last = record.line + offset - 1
                record.problem = (
                    f"a quote opened in it is never closed (line {record.last + 1} starts a "
                    "row of its own and was read as one)"
                )
                return record
        if self.lines.ended and sum(line.count('"') for line in taken) % 2:
            record.problem = "a quote opened in it is never closed (it runs to the end of the file)"
        return record


def row_start_check(
    dialect: Dialect, width: int, signals: dict[int, Callable[[str], object]]
) -> RowStart | None:
    """A test for a line inside a quoted field: does it read as a row of its own? It must
    split into the header's width (or fewer, ending in a quote that carries on to the next
    line) with one of `signals` (column -> test of its cell: a date, an e-mail) true."""
    if not signals or width < 2:
        return None
    delimiter = dialect.delimiter
    first_signal = min(signals)

    def looks_like_a_row(line: str) -> bool:
        open_quote = line.count('"') % 2 == 1
        if line.count(delimiter) < (first_signal + 1 if open_quote else width - 1):
            return False
        reader = csv.reader(
            [line], delimiter=delimiter, skipinitialspace=dialect.skip_initial_space
        )
        try:
            cells = next(reader)
        except (csv.Error, StopIteration):
            return False
        complete = len(cells) - 1 if open_quote else len(cells)
        if open_quote and len(cells) > width:
            return False
        if not open_quote and (len(cells) < width or any(c.strip() for c in cells[width:])):
            return False
        return any(test(cells[i].strip()) for i, test in signals.items() if i < complete)

    return looks_like_a_row
