"""The snapshot file (``queue.json``): the index as of a place in the journal, checksummed.

It is JSON: small header fields first, then ``"tables"`` (question summaries, episodes,
settings), so the header can be read without parsing the tables, and the CRC-32 of the
tables' bytes is in the header. It says which database it belongs to (``"database"``, also
in every journal's header), which journal generation it indexes and how far (``"covered"``),
and the checksum of the last record it covers (``"last"``), so a journal restored from
another time, shortened or swapped is noticed instead of read as if it matched.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..errors import Damaged, DatabaseError
from ..gc_pause import gc_paused
from . import schema
from .files import atomic_write, problem, read_regular
from .schema import EPISODES, QUESTIONS, SETTINGS

HEADER_BYTES = 4096
_TABLES = b',"tables":'


class NotOurs(DatabaseError):
    """The file is not a qa-queue database at all (qa-queue leaves it alone)."""


@dataclass
class Snapshot:
    schema: int
    database: str | None  # None: a database of the first format (schema 1), to migrate
    generation: int
    covered: int
    last: list[int] | None  # [offset, header CRC] of the last record covered; None: none yet
    tables: dict[str, dict[str, Any]]

    @property
    def legacy(self) -> bool:
        return self.schema < 2


def empty_tables() -> dict[str, dict[str, Any]]:
    return {QUESTIONS: {}, EPISODES: {}, SETTINGS: {}}


def encode(snapshot: Snapshot) -> bytes:
    tables = orjson.dumps(snapshot.tables)
    head = orjson.dumps(
        {
            "format": schema.FORMAT,
            "schema": snapshot.schema,
            "database": snapshot.database,
            "generation": snapshot.generation,
            "covered": snapshot.covered,
            "last": snapshot.last,
            "tables_crc": zlib.crc32(tables),
        }
    )
    return b"%s%s%s}" % (head[:-1], _TABLES, tables)


def write(path: Path, snapshot: Snapshot) -> None:
    try:
        atomic_write(path, encode(snapshot))
    except OSError as error:
        raise problem(path, error, "write its new index") from error


def header_of(data: bytes) -> dict[str, Any] | None:
    """The small fields before "tables", or None if `data` does not start like a snapshot."""
    head = data[:HEADER_BYTES]
    cut = head.find(_TABLES)
    if cut < 0:
        return None
    try:
        header = orjson.loads(head[:cut] + b"}")
    except orjson.JSONDecodeError:
        return None
    if not isinstance(header, dict) or header.get("format") != schema.FORMAT:
        return None
    return header


def read_header(path: Path) -> dict[str, Any] | None:
    """The snapshot's header fields without reading its tables; None if it is not ours."""
    try:
        with path.open("rb") as file:
            return header_of(file.read(HEADER_BYTES))
    except OSError:
        return None


def read(path: Path) -> Snapshot:
    """The snapshot at `path`, checked; FileNotFoundError if there is none, DatabaseError
    (naming the file, and the offset when it is damaged) if it is not a valid one."""
    data = read_regular(path, "read it")
    what: str | None
    try:
        with gc_paused():
            document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        if header_of(data) is not None:
            raise Damaged(
                path, _where(data, error.pos), "it is cut short or not readable JSON"
            ) from None
        document = None
        what = "it is empty" if not data.strip() else "it is not readable JSON"
    else:
        what = _foreign(document)
    if what:
        raise NotOurs(f"{path} is not a qa-queue database ({what}); it was left untouched")
    assert isinstance(document, dict)
    version = document.get("schema")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DatabaseError(f"{path} has no valid schema version; it was left untouched")
    if version > schema.SCHEMA:
        raise DatabaseError(
            f"{path} was written by a newer qa-queue (schema {version}, this one knows "
            f"{schema.SCHEMA}): upgrade qa-queue to open it"
        )
    if version >= 2:
        cut = data.find(_TABLES)
        if zlib.crc32(memoryview(data)[cut + len(_TABLES) : -1]) != document.get("tables_crc"):
            raise Damaged(path, cut + len(_TABLES), "its index does not match its checksum")
    try:
        return _checked(document)
    except (KeyError, TypeError, ValueError) as error:
        raise DatabaseError(
            f"{path} is not a valid qa-queue database ({error}); it was left untouched"
        ) from None


def _where(data: bytes, pos: int) -> int:
    """Where JSON stops reading: orjson says 0 for a byte that is not UTF-8."""
    if pos:
        return pos
    try:
        data.decode()
    except UnicodeDecodeError as error:
        return error.start
    return pos


def _foreign(document: Any) -> str | None:
    if isinstance(document, dict) and document.get("format") == schema.FORMAT:
        return None
    if isinstance(document, dict) and "_default" in document:
        return "it is a plain TinyDB file"
    return "it is JSON of another kind"


def _int(value: Any, name: str, least: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise ValueError(f"{name} is {value!r}")
    return value


def _check_index(questions: dict[str, Any], legacy: bool) -> None:
    """Every question's index entry has the places the store reads. One pass: each entry
    is touched once (five passes of C maps over 50k entries cost more in cache misses)."""
    try:
        for key, entry in questions.items():
            place = entry["_loc"]
            chain = place if legacy else entry["_h"]
            if not (
                key.isdigit()
                and type(place) is list
                and len(place) == 4
                and type(place[0]) is int
                and type(chain) is list
                and len(chain) == 4
            ):
                raise ValueError(f"the index entry of question {key!r} is not one")
    except (KeyError, TypeError) as error:
        raise ValueError(f"an index entry is not one ({error})") from None


def _checked(document: dict[str, Any]) -> Snapshot:
    """The snapshot, its fields' types checked: a crafted or half-edited file is refused
    here in one line, not by a KeyError deep inside a command."""
    version = document["schema"]
    legacy = version < 2
    database = document.get("database")
    if not legacy and not (isinstance(database, str) and database):
        raise ValueError("it names no database")
    last = document.get("last")
    if last is not None and not (
        isinstance(last, list) and len(last) == 2 and all(isinstance(n, int) for n in last)
    ):
        raise ValueError(f"last is {last!r}")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise ValueError("it has no tables")
    for name in (QUESTIONS, EPISODES, SETTINGS):
        table = tables.setdefault(name, {})
        if not isinstance(table, dict):
            raise ValueError(f"its {name} table is not a table")
        if name != QUESTIONS and any(type(doc) is not dict for doc in table.values()):
            raise ValueError(f"its {name} table is not a table")
    _check_index(tables[QUESTIONS], legacy)
    return Snapshot(
        schema=version,
        database=database if not legacy else None,
        generation=_int(document.get("generation"), "generation", 1),
        covered=_int(document.get("covered"), "covered"),
        last=last,
        tables=tables,
    )
