"""Small durable-file primitives: private files, atomic replace, folder fsync."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE = 0o600  # listener names and contacts are personal data


def fsync_dir(folder: Path) -> None:
    """Make a create, rename or unlink in `folder` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old file or the new one.

    The temporary file is written, fsync'd and renamed over the target, then the folder is
    fsync'd; its name starts with the target's so a later open can clean up orphans.
    """
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def create_private(path: Path) -> None:
    """Create an empty file readable only by its owner (fails if it exists)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    os.fsync(fd)
    os.close(fd)
