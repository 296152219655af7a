"""The errors qa-queue reports to people: each carries a one-line message that says what to do."""

from __future__ import annotations

import errno
import stat


class QaQueueError(Exception):
    """A problem a person can act on; the CLI prints it as one line and exits non-zero."""

    exit_code = 1


class NotFound(QaQueueError):
    pass


class RuleViolation(QaQueueError):
    """A workflow rule refused the change."""


class AnswerTaken(RuleViolation):
    """The final answer is a co-host's: replacing it has to be said on purpose."""

    def __init__(self, message: str, host: str) -> None:
        super().__init__(message)
        self.host = host


class StaleRevision(QaQueueError):
    """Someone else changed the question since it was read."""

    exit_code = 3


class BadInput(QaQueueError):
    """A file, date or value that could not be understood."""

    exit_code = 2


class FileProblem(QaQueueError):
    """A file could not be read or written (permission, a full disk…); the message names it."""

    exit_code = 4


class DatabaseError(FileProblem):
    """The database is corrupt, foreign, too new, or cannot be written."""


class WhoAreYou(QaQueueError):
    """The action needs to know which host is at the keyboard."""


class Damaged(DatabaseError):
    """Bytes of a database file are not what qa-queue wrote there; nothing was changed."""

    def __init__(self, path: object, offset: int, why: str):
        self.path, self.offset, self.why = path, offset, why
        super().__init__(
            f"{path} is damaged at byte {offset} ({why}); nothing was changed: "
            "run `qa-queue doctor` to see what it affects"
        )


_HINTS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EFBIG: "the file is larger than this system allows",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ELOOP: "a symbolic link where a file of its own was expected",
    errno.EISDIR: "it is a folder",
    errno.EIO: "the disk reported an input/output error",
}


def why(error: OSError) -> str:
    """An operating system error in a few plain words."""
    return _HINTS.get(error.errno or 0) or error.strerror or str(error)


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"
