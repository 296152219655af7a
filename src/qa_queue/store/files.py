"""Small durable-file primitives: private files, atomic replace, folder fsync, the writers' lock."""

from __future__ import annotations

import fcntl
import os
import threading
import time
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


class WriterLock:
    """The writers' lock: an exclusive ``flock`` on a separate file, reentrant, with a timeout.

    The descriptor stays open for the store's life, so taking the lock is one system call
    (filelock's FileLock opens, stats and closes the file every time: about 140 µs, a seventh
    of a whole durable change). flock does not keep apart threads that share a descriptor,
    so a thread lock does; a forked child opens its own descriptor, since one inherited from
    the parent would share the parent's lock instead of competing for it.
    """

    def __init__(self, path: Path, timeout: float):
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._pid = os.getpid()
        self._threads = threading.RLock()
        self._depth = 0

    def acquire(self, timeout: float | None = None) -> bool:
        """Take the lock, waiting up to `timeout` seconds (the default one if None); False if
        someone else still holds it by then. OSError if the lock file cannot be opened."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        self._after_fork()
        if not self._threads.acquire(timeout=max(timeout, 0)):
            return False
        try:
            locked = self._depth > 0 or self._flock(deadline)
        except BaseException:  # e.g. no permission to create the lock file
            self._threads.release()
            raise
        if not locked:
            self._threads.release()
            return False
        self._depth += 1
        return True

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            assert self._fd is not None
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def close(self) -> None:
        if self._fd is not None and self._depth == 0:
            os.close(self._fd)
            self._fd = None

    def _flock(self, deadline: float) -> bool:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE)
        # flock has no timeout of its own: poll, quickly at first since writers hold the
        # lock for about a millisecond, then backing off to 10 ms
        delay = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                time.sleep(min(delay, remaining))
                delay = min(delay * 2, 0.01)

    def _after_fork(self) -> None:
        if self._pid == os.getpid():
            return
        if self._fd is not None:
            os.close(self._fd)  # the parent's lock lives on through its own descriptor
        self._fd = None
        self._pid = os.getpid()
        self._threads = threading.RLock()
        self._depth = 0
