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
from email.message import EmailMessage

from dateutil import parser as date_parser

from ..model.dates import to_iso
from ..model.question import name_without_contacts
from .mail_markers import FORWARD_RULE, ORIGINAL_RULE, field
from .mail_message import Body, NotAQuestion, address, date, header
from .month_names import in_english

# Apple Mail's and Outlook for Mac's line above the forwarded header block, in their languages
_BEGINS = re.compile(
    r"^\s*(?:begin forwarded message|anfang der weitergeleiteten nachricht"
    r"|début du message réexpédié|inicio del mensaje reenviado"
    r"|início da mensagem reencaminhada)\s*:\s*$",
    re.IGNORECASE,
)
# an Outlook forward has only its rule and header block: the subject says it is a forward
# "Fwd:", German "WG:", French "TR:", Spanish "RV:", Portuguese "Enc:", Italian "I:", Dutch
# "Doorst:", Swedish "VB:", Finnish "VL:", Polish "PD:", Czech "PŘ:", Turkish "İLT:" (not
# Danish and Norwegian "VS:": Finnish Outlook's replies say "VS:")
FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc|i|doorst|vb|vl|pd|př|[iİ]lt)\s*:", re.I)
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


def forwarded(
    text: str, *, subject: str, zone: tzinfo | None, by_host: bool = False
) -> Forwarded | None:
    """The message a forward carries, or None when this text forwards none. `zone`: the
    forwarding message's own (a forwarded date is written without one, in the sender's).
    `by_host`: a host or the show forwards it, so a question above it is theirs to a co-host
    ("Austin - can you take this one?"), not the one asked."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue  # quoted: someone else's forward, answered
        marked = FORWARD_RULE.match(line) or _BEGINS.match(line) or ORIGINAL_RULE.match(line)
        if marked is None and not (FORWARD_SUBJECT.match(subject) and field(line)):
            continue
        # Outlook and Zimbra write the original's rule above a reply's quote too: a forward
        # only when the subject says so
        replying = marked is not None and ORIGINAL_RULE.match(line)
        if replying and not FORWARD_SUBJECT.match(subject):
            continue  # a reply's quoted original under its rule: not a forward
        start = index + 1 if marked is not None else index
        fields, body_at = _header_block(lines, start)
        if not fields.get("from"):
            continue
        name, contact = _sender(fields["from"])
        note = "\n".join(lines[:index]).strip()
        if (not contact and not name) or ("?" in note and not by_host):
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


def attached(message: EmailMessage, note: str, *, by_host: bool = False) -> Forwarded | None:
    """The message forwarded as an attachment (Thunderbird's and Outlook's "Forward as
    Attachment": a message/rfc822 part), `note` being what the forwarder wrote; None when
    there is none, or the sender asks their own question above it (by_host: see forwarded)."""
    if "?" in note and not by_host:
        return None
    for part in message.walk():
        if part.get_content_type() != "message/rfc822":
            continue  # attached or inline (Outlook gives it no Content-Disposition)
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, EmailMessage):
            continue
        try:
            text = Body(inner).text()
        except NotAQuestion:
            continue
        name, contact = address(inner, "from")
        return Forwarded(
            name=name,
            contact=contact,
            subject=header(inner, "subject"),
            received_at=date(inner),
            text=text,
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
        found = field(lines[index])
        if found is None:
            break
        role, value = found
        role = "date" if role == "sent" else role
        if role not in fields:
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
    cleaned = _DATE_NOISE.sub(" ", in_english(value)).strip()
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
