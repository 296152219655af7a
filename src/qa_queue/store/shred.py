"""Removing a file's bytes, not only its name: what an erasure does to the files it replaces.

Best effort: the file's bytes are overwritten with zeros in place and synced before it is
unlinked. A file system that writes elsewhere (copy-on-write: btrfs, ZFS, APFS), an SSD that
remaps blocks, snapshots and backups may still keep the old bytes (docs/STORAGE.md).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from .files import fsync_dir

_CHUNK = 1 << 20


def zero_fd(fd: int) -> bool:
    """Overwrite the whole file open at `fd` with zeros and sync it; False if it has other
    names (a hard link someone made: their copy is not ours to destroy) or cannot be written."""
    try:
        info = os.fstat(fd)
        if info.st_nlink > 1 or not stat.S_ISREG(info.st_mode):
            return False
        size, zeros, at = info.st_size, bytes(_CHUNK), 0
        while at < size:
            at += os.pwrite(fd, zeros[: min(_CHUNK, size - at)], at)
        os.fdatasync(fd)
    except OSError:
        return False
    return True


def open_for_zeroing(path: Path) -> int | None:
    """A descriptor of the file now at `path` (never through a link), to zero it after it was
    replaced (an atomic rename keeps the old bytes in a file with no name); None if none."""
    try:
        return os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None


def zero_and_close(fd: int | None) -> None:
    if fd is None:
        return
    try:
        zero_fd(fd)
    finally:
        os.close(fd)


def shred(path: Path) -> None:
    """Zero the file at `path` (best effort), then unlink it and sync its folder. Call it only
    for a file proved to be the store's own and superseded."""
    fd = open_for_zeroing(path)
    zero_and_close(fd)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)
