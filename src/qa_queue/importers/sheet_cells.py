"""A workbook's sheets as rows of text, read with python-calamine in a process of its own.

workbook.py runs this file as a script with the workbook's bytes on stdin; it prints the
visible sheets, each cell as the text a CSV export would hold, as JSON. Its own process because
calamine, in Rust, can panic on a damaged file: the panic prints Rust's backtrace on stderr,
which here is captured and dropped, and the import says in one line that the file is damaged.
It imports nothing of qa-queue, so it starts in a few milliseconds.
"""

from __future__ import annotations

import contextlib
import io
import sys
from datetime import date, datetime, time, timedelta

# a workbook's problems, as the importer names them
PASSWORD, DAMAGED = "password", "damaged"
TOO_BIG = "it unpacks to more than the memory it may take"
TOO_MANY = "too many cells"
# A sheet is read whole; past this many cells (250k rows of 20 columns) its CSV, which is read
# as it goes, is the way in
MAX_CELLS = 5_000_000


def cell_text(value: object) -> str:
    """A cell as a CSV export writes it: a date and time in ISO form (no zone: the sheet's
    times are its owner's), a whole number without ".0", yes and no for a tick box."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return "" if value is None else str(value)


def read_sheets(data: bytes) -> dict[str, object]:
    """{"sheets": [[name, rows], ...], "hidden": [names]} for the visible sheets in the
    workbook's order and the names of the hidden ones, or
    {"problem": PASSWORD or DAMAGED, "why": calamine's words}."""
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        hidden = {
            sheet.name
            for sheet in book.sheets_metadata
            if sheet.visible != calamine.SheetVisibleEnum.Visible
        }
        sheets = []
        for name in book.sheet_names:
            if name in hidden:
                continue
            sheet = book.get_sheet_by_name(name)
            if sheet.height * sheet.width > MAX_CELLS:
                return {"problem": TOO_MANY, "why": f"{name!r}: {sheet.height:,} rows"}
            values = sheet.to_python(skip_empty_area=False)
            sheets.append([name, [[cell_text(value) for value in row] for row in values]])
    except calamine.PasswordError as error:
        return {"problem": PASSWORD, "why": str(error)}
    except (Exception, BaseException) as error:  # pyo3's PanicException is a BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        if isinstance(error, MemoryError):
            return {"problem": DAMAGED, "why": TOO_BIG}
        return {"problem": DAMAGED, "why": str(error).splitlines()[0] if str(error) else ""}
    return {"sheets": sheets, "hidden": [name for name in book.sheet_names if name in hidden]}


# The memory a workbook may take to read: a small file can unpack to gigabytes of sheet (a
# "zip bomb"); past this the reading fails, in this process only, and the import says so.
MEMORY_FLOOR, MEMORY_PER_BYTE = 2 * 1024**3, 64


def _limit_memory(size: int, floor: int) -> None:
    try:
        import resource
    except ImportError:  # not on every system: then unlimited, as any import
        return
    limit = max(floor, MEMORY_PER_BYTE * size)
    with contextlib.suppress(ValueError, OSError):  # a lower hard limit already: keep it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(floor: int = MEMORY_FLOOR) -> None:
    """The workbook on stdin, its sheets (or its problem) as JSON on stdout."""
    import json

    data = sys.stdin.buffer.read()
    _limit_memory(len(data), floor)
    try:
        read = read_sheets(data)
    except MemoryError:
        read = {"problem": DAMAGED, "why": TOO_BIG}
    json.dump(read, sys.stdout)


if __name__ == "__main__":
    main()
