"""A listener's mail forwarded to the show: the message inside, not the forwarder's note.

A host forwards a question that reached their own address, a friend forwards their dad's:
the question is the forwarded message, asked by its sender, when they sent it. Mail clients
mark it with a line (Gmail's "---------- Forwarded message ---------", Apple Mail's "Begin
forwarded message:", Thunderbird's "-------- Forwarded Message --------", Outlook's rule and
"From: … Sent: …" block under an "FW:" subject, in the clients' languages) and a header block
(From, Date, Subject, To). What the forwarder wrote above it is kept as the question's
internal note.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from dateutil import parser as date_parser

from ..model.dates import to_iso
from ..model.question import name_without_contacts

_MARKERS = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|original message|weitergeleitete nachricht|"
    r"ursprüngliche nachricht|message transféré|message d'origine|mensaje reenviado|"
    r"mensaje original|mensagem encaminhada|mensagem original|messaggio inoltrato|"
    r"doorgestuurd bericht)\s*-{2,}|"
    r"begin forwarded message\s*:|anfang der weitergeleiteten nachricht\s*:|"
    r"début du message réexpédié\s*:|inicio del mensaje reenviado\s*:|"
    r"início da mensagem reencaminhada\s*:|_{10,})\s*$",
    re.IGNORECASE,
)
# Outlook and Zimbra write these above a reply's quoted original too: a forward only when
# the subject says so
_ALSO_IN_REPLIES = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|"
    r"mensaje original|mensagem original)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_FIELD = re.compile(
    r"^\s*\**(from|von|de|da|van|date|datum|fecha|data|sent|gesendet|envoyé|enviado|inviato|"
    r"verzonden|subject|betreff|objet|asunto|assunto|oggetto|onderwerp|to|an|à|para|a|aan|"
    r"cc|reply-to)\s*:\**\s*(.*)$",
    re.IGNORECASE,
)
_FROM = {"from", "von", "de", "da", "van"}
_DATE = {
    "date", "datum", "fecha", "data", "sent", "gesendet", "envoyé", "enviado", "inviato",
    "verzonden",
}  # fmt: skip
_SUBJECT = {"subject", "betreff", "objet", "asunto", "assunto", "oggetto", "onderwerp"}
# an Outlook forward has only its rule and header block: the subject says it is a forward
FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc|i|doorst)\s*:", re.IGNORECASE)
_MAILTO = re.compile(r"\[mailto:([^\]]+)\]", re.IGNORECASE)
_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))
_DATE_NOISE = re.compile(r"\s+(?:at|um|à|a las|às|alle|om)\s+|[\u202f\u00a0]", re.IGNORECASE)


@dataclass
class Forwarded:
    name: str
    contact: str
    subject: str
    received_at: str | None
    text: str  # the forwarded message's own text, its quotes and signature still in it
    note: str  # what the forwarder wrote above it


def forwarded(text: str, *, subject: str, zone: tzinfo | None) -> Forwarded | None:
    """The message a forward carries, or None when this text forwards none. `zone`: the
    forwarding message's own (a forwarded date is written without one, in the sender's)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue  # quoted: someone else's forward, answered
        marked = _MARKERS.match(line)
        if marked is None and not (FORWARD_SUBJECT.match(subject) and _FIELD.match(line)):
            continue
        replying = marked is not None and _ALSO_IN_REPLIES.match(line)
        if replying and not FORWARD_SUBJECT.match(subject):
            continue  # a reply's quoted original under its rule: not a forward
        start = index + 1 if marked is not None else index
        fields, body_at = _header_block(lines, start)
        if not fields.get("from"):
            continue
        name, contact = _sender(fields["from"])
        note = "\n".join(lines[:index]).strip()
        if (not contact and not name) or "?" in note:
            # a listener who asks above what they forward ("my doctor wrote this: is she
            # right?") is the one asking; the forwarded mail is their context
            return None
        return Forwarded(
            name=name,
            contact=contact,
            subject=fields.get("subject", ""),
            received_at=_when(fields.get("date", ""), zone),
            text="\n".join(lines[body_at:]).strip(),
            note=note,
        )
    return None


def _header_block(lines: list[str], start: int) -> tuple[dict[str, str], int]:
    """The forwarded header fields (from, date, subject) and the line its text starts on."""
    fields: dict[str, str] = {}
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1  # Apple Mail leaves a blank line under its marker
    while index < len(lines):
        found = _FIELD.match(lines[index])
        if found is None:
            break
        key, value = found.group(1).lower(), found.group(2).strip()
        role = "from" if key in _FROM else "date" if key in _DATE else None
        role = "subject" if key in _SUBJECT else role
        if role and role not in fields:
            fields[role] = value
        index += 1
    return fields, index


def _sender(value: str) -> tuple[str, str]:
    value = _MAILTO.sub(r"<\1>", value.replace("*", ""))
    display, spec = email.utils.parseaddr(value)
    if "@" not in spec:
        display, spec = value, ""
    return name_without_contacts(display).strip("\"' "), spec.strip()


def _when(value: str, zone: tzinfo | None) -> str | None:
    """A forwarded date as clients write it ("Thu, Nov 26, 2026 at 6:01 PM", "26 November 2026
    at 18:01:00 GMT", "Donnerstag, 26. November 2026 18:01"), or None when unreadable."""
    cleaned = _DATE_NOISE.sub(" ", value).strip()
    if not cleaned:
        return None
    try:
        # read twice with different defaults: a part the parser did not find (a month in
        # German) would come from the default, so the two differ and the date is not used
        moment: datetime = date_parser.parse(cleaned, fuzzy=True, default=_DEFAULTS[0])
        if date_parser.parse(cleaned, fuzzy=True, default=_DEFAULTS[1]) != moment:
            return None
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is None:
        if zone is None:
            return None
        moment = moment.replace(tzinfo=zone)
    return to_iso(moment)
