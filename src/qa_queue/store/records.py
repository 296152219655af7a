"""The journal's record framing: how a complete record, a torn tail and damage are told apart.

Every record is a 16-byte header and a payload::

    0  2  magic  b"QQ"
    2  1  kind   J (the file's own header), Q (a question version), H (a history entry),
                 E (an episode), S (the settings)
    3  1  flags  bit 0: COMMIT, the last record of a transaction
    4  4  length of the payload (big-endian)
    8  4  CRC-32 of the payload
    12 4  CRC-32 of bytes 0-11 (so a length is trusted only when its header is intact)

A transaction is the records up to and including one with COMMIT; it is written with one
write and one fdatasync, and acknowledged only after that returns. So after a crash the bytes
past the last commit are a prefix of what was being written: records with valid checksums and
no commit, then possibly a record cut short (its header valid and its payload running past
the end of the file, or fewer than 16 bytes that start like a header). That, and only that,
is a *torn tail*: provably ours and never acknowledged. Anything else — a header or payload
whose checksum does not match, bytes that are not a record — is *damage*, reported and left
as it is (see docs/STORAGE.md).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

MAGIC = b"QQ"
HEADER = 16
KINDS = frozenset(b"JQHES")
COMMIT = 0x01
_FLAGS = COMMIT  # every flag bit this version knows
_LAYOUT = struct.Struct(">2sBBII")  # magic, kind, flags, length, payload crc
MAX_PAYLOAD = 1 << 31


@dataclass(frozen=True)
class Record:
    kind: str
    commit: bool
    offset: int  # where its header starts in the file
    length: int  # header and payload
    payload: bytes
    header_crc: int

    @property
    def end(self) -> int:
        return self.offset + self.length


@dataclass(frozen=True)
class Damage:
    """Bytes at `offset` that are not a valid record of ours; `why` in a few words."""

    offset: int
    why: str


@dataclass
class Scan:
    """What a stretch of the journal holds, read from `start`.

    `transactions`: the committed ones, in order. `end`: just past the last of them.
    `torn`: bytes follow `end` that are a torn (or still being written) transaction.
    `damage`: where the bytes stop being records of ours, if they do (scanning stops there).
    """

    transactions: list[list[Record]]
    end: int
    torn: bool = False
    damage: Damage | None = None


def encode(kind: str, payload: bytes, commit: bool = False) -> bytes:
    if len(payload) >= MAX_PAYLOAD:
        raise ValueError(f"a record of {len(payload):,} bytes is too large")
    head = _LAYOUT.pack(
        MAGIC, ord(kind), COMMIT if commit else 0, len(payload), zlib.crc32(payload)
    )
    return b"%s%s%s" % (head, struct.pack(">I", zlib.crc32(head)), payload)


def set_commit(record: bytes) -> bytes:
    """The same encoded record with its COMMIT flag set (the last of a transaction)."""
    head = bytearray(record[:12])
    head[3] |= COMMIT
    return b"%s%s%s" % (head, struct.pack(">I", zlib.crc32(head)), record[HEADER:])


def header_crc(record: bytes) -> int:
    return int.from_bytes(record[12:HEADER], "big")


@dataclass(frozen=True)
class Header:
    kind: str
    commit: bool
    length: int  # payload
    payload_crc: int
    crc: int


def parse_header(head: bytes) -> Header | str:
    """The header in the first 16 bytes, or why they are not one."""
    if len(head) < HEADER:
        return "cut short"
    magic, kind, flags, length, payload_crc = _LAYOUT.unpack(head[:12])
    crc = int.from_bytes(head[12:HEADER], "big")
    if magic != MAGIC:
        return "not a record"
    if zlib.crc32(head[:12]) != crc:
        return "a record header whose checksum does not match"
    if kind not in KINDS or flags & ~_FLAGS:
        return "a record of a kind this qa-queue does not know (written by a newer one?)"
    return Header(chr(kind), bool(flags & COMMIT), length, payload_crc, crc)


def _starts_like_a_header(tail: bytes) -> bool:
    """Fewer than 16 bytes at the end of the file: the start of a header being written?"""
    if tail[: len(MAGIC)] != MAGIC[: len(tail)]:
        return False
    return len(tail) <= 2 or tail[2] in KINDS


def read_one(data: bytes, position: int, base: int) -> Record | Damage | None:
    """The record at `position` of `data` (`base`: the file offset of data[0]).

    None when the data ends inside it (torn, or still being written); Damage when the bytes
    there are not a valid record."""
    rest = len(data) - position
    if rest < HEADER:
        return (
            None
            if _starts_like_a_header(data[position:])
            else Damage(base + position, "not a record")
        )
    header = parse_header(data[position : position + HEADER])
    if isinstance(header, str):
        return Damage(base + position, header)
    end = position + HEADER + header.length
    if end > len(data):
        return None
    payload = data[position + HEADER : end]
    if zlib.crc32(payload) != header.payload_crc:
        return Damage(base + position, "a record whose checksum does not match")
    return Record(
        header.kind, header.commit, base + position, HEADER + header.length, payload, header.crc
    )


def scan(data: bytes, base: int = 0) -> Scan:
    """Committed transactions in `data` (read from file offset `base`), up to damage if any."""
    result = Scan([], base)
    pending: list[Record] = []
    position = 0
    while position < len(data):
        found = read_one(data, position, base)
        if found is None:
            result.torn = True
            return result
        if isinstance(found, Damage):
            result.damage = found
            return result
        pending.append(found)
        position += found.length
        if found.commit:
            result.transactions.append(pending)
            result.end = base + position
            pending = []
    result.torn = bool(pending)
    return result


def records_from(data: bytes, base: int = 0) -> Iterator[Record | Damage]:
    """Every record in `data`, stepping over damage to the next intact header (for doctor).

    Yields a Damage for each stretch that is not records (its offset is where it starts);
    a torn end is a Damage too, with why "cut short".
    """
    position = 0
    while position < len(data):
        found = read_one(data, position, base)
        if isinstance(found, Record):
            yield found
            position += found.length
            continue
        if found is None:
            yield Damage(base + position, "cut short")
            return
        yield found
        position = resync(data, position + 1)


def salvage(data: bytes, position: int, end: int | None = None) -> Record | None:
    """A record whose header is damaged while its kind still reads and its payload agrees
    with the payload checksum in the header: its contents are intact (for doctor). The
    length is taken from the header, or else from `end` (where the next intact record
    starts): so a flipped bit in the magic, the header checksum or the length loses nothing."""
    if len(data) - position < HEADER:
        return None
    _magic, kind, flags, length, payload_crc = _LAYOUT.unpack_from(data, position)
    if kind not in KINDS or flags & ~_FLAGS:
        return None
    crc = int.from_bytes(data[position + 12 : position + HEADER], "big")
    for size in (length, None if end is None else end - position - HEADER):
        if size is None or size < 0 or position + HEADER + size > len(data):
            continue
        payload = data[position + HEADER : position + HEADER + size]
        if zlib.crc32(payload) == payload_crc:
            return Record(chr(kind), bool(flags & COMMIT), position, HEADER + size, payload, crc)
    return None


def resync(data: bytes, position: int) -> int:
    """The next position at or after `position` where an intact record starts (or the end)."""
    while True:
        position = data.find(MAGIC, position)
        if position < 0:
            return len(data)
        found = read_one(data, position, 0)
        if isinstance(found, Record):
            return position
        position += 1
