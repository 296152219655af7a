"""Small durable-file primitives: private files, atomic replace, folder fsync, the writers' lock.

Every file of a database is opened without following a symbolic link and checked to be a
regular file, so a link or a FIFO planted where a database file should be is reported, never
read through, truncated or replaced.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import threading
import time
from pathlib import Path

from ..errors import DatabaseError, kind_of, why

PRIVATE = 0o600  # listener names and contacts are personal data
PRIVATE_FOLDER = 0o700
_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def problem(path: Path | str, error: OSError, doing: str) -> DatabaseError:
    """A DatabaseError (exit 4) naming the file, what was being done and why, in one line."""
    return DatabaseError(f"{path}: cannot {doing} ({why(error)})")


def open_regular(path: Path, flags: int, doing: str, mode: int = PRIVATE) -> int:
    """A descriptor of the regular file at `path`, never through a symbolic link; a FIFO or
    device is not waited on. FileNotFoundError is passed on; other problems are
    DatabaseErrors naming the file."""
    try:
        fd = os.open(path, flags | _NOFOLLOW | os.O_NONBLOCK, mode)
    except FileNotFoundError:
        raise
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR, errno.ENOTDIR):
            try:
                what = kind_of(os.lstat(path).st_mode)
            except OSError:
                what = "not a regular file"
            raise DatabaseError(
                f"{path} is {what}, not a file qa-queue wrote; it was left untouched"
            ) from error
        raise problem(path, error, doing) from error
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise DatabaseError(
            f"{path} is {kind_of(info.st_mode)}, not a file qa-queue wrote; it was left untouched"
        )
    os.set_blocking(fd, True)
    return fd


def read_regular(path: Path, doing: str = "read it") -> bytes:
    fd = open_regular(path, os.O_RDONLY, doing)
    try:
        # one read of the whole size (a 25 MB snapshot read in 1 MB chunks and joined cost
        # twice the time); more only if it grew meanwhile
        chunks = [os.read(fd, os.fstat(fd).st_size + 1)]
        while chunks[-1] and (chunk := os.read(fd, 1 << 20)):
            chunks.append(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as error:
        raise problem(path, error, doing) from error
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def fsync_dir(folder: Path) -> None:
    """Make a create, rename or unlink in `folder` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents readable only by their owner (0700); folders
    that already exist are left as they are."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        try:
            candidate.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made by someone else meanwhile
        os.chmod(candidate, PRIVATE_FOLDER)  # mkdir's mode is narrowed by the umask only


def temp_name(path: Path) -> Path:
    """Where a new version of `path` is written before it replaces it (one per process)."""
    return path.with_name(f"{path.name}.tmp-{os.getpid()}")


def atomic_write(path: Path, data: bytes, mode: int = PRIVATE) -> None:
    """Replace `path` with `data` so that a crash leaves either the old file or the new one.

    The temporary file is written, fsync'd and renamed over the target, then the folder is
    fsync'd; a failure removes it again, so nothing half-written is left behind. The new
    file has `mode` as the umask narrows it (so 0o666 gives the user's usual mode).
    """
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode)
    except FileExistsError:
        os.unlink(tmp)  # our own pid's: a crashed earlier run of a process with this pid
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def create_private(path: Path) -> None:
    """Create an empty file readable only by its owner (fails if it exists)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, PRIVATE)
    os.fsync(fd)
    os.close(fd)


_forked = False  # whether this process is a fork (then each lock checks its pid)


def _note_fork() -> None:
    global _forked
    _forked = True


os.register_at_fork(after_in_child=_note_fork)


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

    @property
    def held(self) -> bool:
        return self._depth > 0 and self._pid == os.getpid()

    def acquire(self, timeout: float | None = None) -> bool:
        """Take the lock, waiting up to `timeout` seconds (the default one if None); False if
        someone else still holds it by then. DatabaseError if the lock file cannot be opened."""
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

    def note(self, data: bytes) -> None:
        """Write `data` at the start of the lock file (while holding the lock): the note of
        the last saved change (saved.py). Not synced; OSError if it cannot be written."""
        assert self.held and self._fd is not None
        os.pwrite(self._fd, data, 0)

    def close(self) -> None:
        if self._fd is not None and self._depth == 0:
            os.close(self._fd)
            self._fd = None

    def _flock(self, deadline: float) -> bool:
        if self._fd is None:
            self._fd = open_regular(self.path, os.O_RDWR | os.O_CREAT, "lock it for writing")
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
        if not _forked or self._pid == os.getpid():
            return
        if self._fd is not None:
            os.close(self._fd)  # the parent's lock lives on through its own descriptor
        self._fd = None
        self._pid = os.getpid()
        self._threads = threading.RLock()
        self._depth = 0
