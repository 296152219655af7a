"""Which e-mails answer earlier ones: their In-Reply-To and References, a "Re:" subject, and
whether the show sent them. The queue (follow_ups.py) joins each to the question it answers.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from email.message import EmailMessage

from ..model.follow_up import MailThread
from .common import may_be_named
from .mail_message import addresses, header, message_ids, subject_of

# Re: (and RE:, AW:, SV:, VS:, Antw:, RES:, R:…) and Fwd: (FW:, WG:, TR:, RV:, ENC:, VB:, VL:,
# PD:, PŘ:, İLT:…), repeated, with a count ("Re[2]:"), as clients in English, German, the
# Nordics, French, Spanish, Portuguese, Italian, Polish, Czech and Turkish write them
REPLY_PREFIX = re.compile(
    r"^(?:\s*(?:re|r|aw|sv|vs|antw|res|odp|ynt|fwd?|wg|tr|rv|enc|doorst|vb|vl|pd|př|[iİ]lt)"
    r"(?:\s*\[\d+\])?\s*:)+\s*",
    re.I,
)


def normal_subject(subject: str) -> tuple[str, bool]:
    """The subject without reply and forward prefixes, and whether it had any."""
    subject = " ".join(subject.split())
    bare = REPLY_PREFIX.sub("", subject).strip()
    return bare, bare != subject


# Subjects that say nothing of what is asked: the first sentence of the words titles it instead
_SAYS_NOTHING = re.compile(
    r"(?:(?:a |my |quick |short |one |small |listener |podcast |show )*(?:question|q|query|"
    r"frage|pregunta|question rapide|pergunta)s?(?: for (?:the )?(?:show|podcast|hosts?|you))?"
    r"|hi|hello|hey|hallo|hola|bonjour|no subject|\(no subject\)|none|untitled|fwd?|re|"
    r"from the website|website (?:form|message)|contact|contact form|message|new message)",
    re.IGNORECASE,
)


def telling_subject(subject: str) -> str:
    """The subject without reply and forward prefixes, or "" when it says nothing of what is
    asked ("question", "Quick question for the show", "hi")."""
    bare = normal_subject(subject)[0]
    return "" if _SAYS_NOTHING.fullmatch(bare.strip(" .!?:-")) else bare


class ShowAddresses:
    """The addresses listeners wrote to, learnt from a file's messages as they are read: a
    message sent from one of them is the show's (a host's reply)."""

    def __init__(self) -> None:
        self.known: set[str] = set()

    def learn(self, recipients: list[str], sender: str) -> None:
        self.known.update(address for address in recipients if address != sender.lower())

    def __contains__(self, address: str) -> bool:
        return address.lower() in self.known


def host_named(name: str, address: str, hosts: Collection[str]) -> str:
    """The host the sender is, by their name or their address's part before the @ ("austin@…",
    "austin.baraki@…"; not "austin.smith@…" when the host is Austin Baraki)."""
    # an address is a handle: all of a host's name or their first name, never more
    # ("jordan.feigenbaum.fan@" is a listener)
    local = address.partition("@")[0].partition("+")[0]
    for host in hosts:
        if may_be_named(name, host) or may_be_named(local, host):
            return host
    return ""


def thread_of(
    message: EmailMessage,
    *,
    sender: tuple[str, str],
    where: str,
    hosts: Collection[str],
    show: ShowAddresses,
) -> MailThread | None:
    """The message's place in a thread when it answers (or forwards) an earlier one; None
    for a message that starts a thread (it then teaches `show` the addresses it went to)."""
    in_reply_to = message_ids(header(message, "in-reply-to"))
    references = message_ids(header(message, "references"))
    subject, prefixed = normal_subject(subject_of(message))
    if not (in_reply_to or references or prefixed):
        show.learn(_recipients(message), sender[1])
        return None
    refs = list(dict.fromkeys([*in_reply_to, *reversed(references)]))
    return MailThread(
        refs=refs,
        subject=subject,
        from_show=bool(sender[1]) and sender[1] in show,
        host=host_named(sender[0], sender[1], hosts),
        where=where,
    )


def _recipients(message: EmailMessage) -> list[str]:
    return addresses(message, "to", "delivered-to", "x-original-to")
