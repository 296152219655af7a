"""The errors qa-queue reports to people: each carries a one-line message that says what to do."""


class QaQueueError(Exception):
    """A problem a person can act on; the CLI prints it as one line and exits non-zero."""

    exit_code = 1


class NotFound(QaQueueError):
    pass


class RuleViolation(QaQueueError):
    """A workflow rule refused the change."""


class StaleRevision(QaQueueError):
    """Someone else changed the question since it was read."""

    exit_code = 3


class BadInput(QaQueueError):
    """A file, date or value that could not be understood."""

    exit_code = 2


class DatabaseError(QaQueueError):
    """The database is corrupt, foreign, too new, or cannot be written."""

    exit_code = 4


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
