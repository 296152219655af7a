"""A .zip of files to import: Google Forms' "Download responses (.csv)" (a zip holding the
CSV), Gmail's Takeout (a zip holding an mbox), a folder of .eml files zipped to be sent on.

Each file inside that qa-queue reads is imported as if it stood alone, named "archive.zip:
inner/name.csv" in the report, a zip in it too (a Forms download zipped again), one without a
known extension when its first bytes say what it is, as for a file given alone (Apple Mail's
"Questions.mbox/mbox"); the others (a Takeout's HTML index, macOS's __MACOSX copies, a zip
deeper down) are named and passed over.
One that cannot be unpacked (a bad CRC) is rejected and the others read. What the files unpack
to is limited as a file to import is (a small zip must not unpack into gigabytes), and a damaged
archive is refused in one line.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import PurePosixPath

from ..errors import BadInput
from .common import ImportBatch

# a member's name, its bytes -> what it yields (the importer of its extension)
ReadMember = Callable[[str, bytes], ImportBatch]
# a member's name, how to read its first bytes -> whether qa-queue reads it
Readable = Callable[[str, Callable[[], bytes]], bool]
HEAD = 4096  # what is read of a file to tell its kind by its first bytes


def _skipped(info: zipfile.ZipInfo) -> bool:
    """macOS's resource copies and hidden files: never a listener's file."""
    parts = PurePosixPath(info.filename).parts
    return info.is_dir() or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    """How to read a member's first bytes; nothing when it cannot be unpacked (a locked or
    damaged file with an extension qa-queue reads is still tried, and its error reported)."""

    def first_bytes() -> bytes:
        try:
            with archive.open(info) as member:
                return member.read(HEAD)
        except (RuntimeError, zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
            return b""

    return first_bytes


def read_archive(
    data: bytes, *, name: str, readable: Readable, read: ReadMember, limit: int
) -> ImportBatch:
    """The questions of every readable file in the zip, as one batch; `limit` bounds the bytes
    its files unpack to. `readable` is asked about each file by its name, and may read its
    first bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not _skipped(info)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise BadInput(f"{name}: cannot read the zip archive ({error}); is it damaged?") from None
    kept = {info.filename: readable(info.filename, _head(archive, info)) for info in members}
    wanted = [info for info in members if kept[info.filename]]
    passed = [info.filename for info in members if not kept[info.filename]]
    if not wanted:
        held = ", ".join(passed[:5]) + (", …" if len(passed) > 5 else "")
        raise BadInput(f"{name}: the zip holds no file qa-queue reads ({held or 'nothing'})")
    if sum(info.file_size for info in wanted) > limit:
        raise BadInput(
            f"{name}: its files unpack to over {limit // 2**20:,} MB; unpack it and import "
            "them one at a time"
        )
    whole = ImportBatch()
    if passed:
        whole.notes.append(f"files in the zip not read: {', '.join(passed[:5])}")
    for info in wanted:
        inner = f"{name}:{info.filename}"
        try:  # a file that cannot be unpacked is rejected; the zip's others are still read
            with archive.open(info) as member:
                blob = member.read(limit + 1)
        except RuntimeError:  # zipfile's word for a member locked with a password
            whole.rejected.append(f"{inner}: locked with a password; unpack the zip to import it")
            continue
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:
            whole.rejected.append(f"{inner}: cannot unpack it ({error}); is the zip damaged?")
            continue
        try:
            batch = read(inner, blob[:limit])
        except BadInput as problem:  # the zip's other files are still read
            whole.rejected.append(str(problem))
            continue
        whole.questions += batch.questions
        whole.rejected += batch.rejected
        whole.duplicates.update(batch.duplicates)
        whole.follow_ups.update(batch.follow_ups)
        whole.recognised.update(batch.recognised)
        whole.notes += [f"{info.filename}: {note}" for note in batch.notes]
    return whole
