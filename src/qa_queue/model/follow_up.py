"""How an imported e-mail answers an earlier one, for the queue to join it to its question."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MailThread:
    """What an importer read about a reply; the queue finds the question it answers (by these
    Message-IDs, else by subject and sender) and adds it there as a follow-up."""

    # the Message-IDs it answers, nearest first: In-Reply-To, then References from the end
    refs: list[str] = field(default_factory=list)
    subject: str = ""  # without "Re:", "AW:", "Fwd:"…: the title the question was given
    from_show: bool = False  # sent from the address the listeners write to
    host: str = ""  # the show's host the sender's name is, if it is one
    where: str = ""  # "message 5 (<id@example.com>)": where it is in its file, for reports
