"""The note of the last saved change, kept in the lock file: a second witness of how long the
journal must be.

The snapshot is written only now and then (checkpoints), so on its own it cannot tell a
journal cut short, or restored from an older copy, from one whose tail a crash tore: both
end before the last committed change. After every change a writer notes in the lock file
(which it holds) where that change ended and the checksum of its last record's header. A
journal shorter than the note, or without that record where the note says, is damaged, and
is reported instead of having its "torn tail" cut.

The note is written after the change is durable and is not synced itself: after a power cut
it may be older than the journal, never newer. A missing, foreign or damaged note is ignored.
"""

from __future__ import annotations

import os
import stat
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"QQS1"
# magic, generation, where the last record starts and where it ends, its header's crc
_LAYOUT = struct.Struct(">4sIQQI")


@dataclass(frozen=True)
class Saved:
    generation: int
    last: int  # where the last record of the last saved change starts in the journal
    end: int  # where it ends
    last_crc: int  # that record's header CRC

    def encode(self) -> bytes:
        body = _LAYOUT.pack(MAGIC, self.generation, self.last, self.end, self.last_crc)
        return body + struct.pack(">I", zlib.crc32(body))


def decode(data: bytes) -> Saved | None:
    size = _LAYOUT.size
    if len(data) < size + 4 or zlib.crc32(data[:size]) != int.from_bytes(
        data[size : size + 4], "big"
    ):
        return None
    magic, generation, last, end, crc = _LAYOUT.unpack(data[:size])
    return Saved(generation, last, end, crc) if magic == MAGIC and last < end else None


def read(lock_path: Path) -> Saved | None:
    """The note in the lock file, if there is a valid one (reading only)."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return decode(os.pread(fd, 64, 0))
    except OSError:
        return None
    finally:
        os.close(fd)
