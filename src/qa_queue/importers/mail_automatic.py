"""Mail no listener wrote: auto-replies, bounces, read receipts, and messages a mail program
keeps in its file after they were deleted. A mailbox exported from the show's inbox is full
of them; each is left out of the queue and counted, never made a question or a follow-up.

Told by what the sending program says of itself first (RFC 3834's Auto-Submitted, the
X-Autoreply family, a delivery or read report's content type), then by the sender
(MAILER-DAEMON, postmaster) and the subject clients give such mail in their languages.
"""

from __future__ import annotations

import re
from collections import Counter
from email.message import EmailMessage

from .mail_message import address, header

AUTO_REPLY = "auto-reply"
BOUNCE = "bounce"
READ_RECEIPT = "read receipt"
DELETED = "deleted in Thunderbird"
NEWSLETTER = "newsletter"

_REPORTS = {
    "message/delivery-status": BOUNCE,
    "message/global-delivery-status": BOUNCE,
    "message/disposition-notification": READ_RECEIPT,
}
_DAEMONS = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
# what Outlook, Gmail, Exchange and Postfix put in front of such mail, in the languages
# listeners write in
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[ -]?(?:reply|response)|out of (?:the )?office"
    r"|abwesenheitsnotiz|automatische antwort|réponse automatique|absence du bureau"
    r"|respuesta automática|fuera de la oficina|resposta automática|ausente do escritório"
    r"|risposta automatica|fuori sede|automatisch antwoord|afwezig"
    r"|automatyczna odpowiedź|autosvar|automaattinen vastaus)\s*:",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliverable|undelivered mail returned to sender|delivery status notification"
    r"|mail delivery failed|delivery failure|returned mail|failure notice"
    r"|unzustellbar|non remis|no se puede entregar|não é possível entregar)\b",
    re.I,
)
# a read receipt sent as plain text ("Return Receipt (displayed)", "Read: …" with no report)
_RECEIPT_SUBJECT = re.compile(
    r"^\s*(?:return receipt|read receipt|read-receipt|lesebestätigung|accusé de lecture"
    r"|confirmación de lectura|conferma di lettura)\b",
    re.I,
)
_THUNDERBIRD_DELETED = 0x0008  # X-Mozilla-Status: MSG_FLAG_EXPUNGED
_PLURAL = {
    AUTO_REPLY: "auto-replies",
    BOUNCE: "bounces",
    READ_RECEIPT: "read receipts",
    NEWSLETTER: "newsletters",
}


class LeftOut(Exception):
    """A message left out of the queue and counted: `kind` says what it is."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def left_out_notes(tally: Counter[str]) -> list[str]:
    """The import report's lines for the messages left out: "left out 3 messages no
    listener wrote (2 auto-replies, 1 bounce)", "left out 2 messages deleted in Thunderbird"."""
    notes = []
    machine = {kind: count for kind, count in tally.most_common() if kind != DELETED}
    if machine:
        total = sum(machine.values())
        kinds = ", ".join(
            f"{count} {kind if count == 1 else _PLURAL[kind]}" for kind, count in machine.items()
        )
        if len(machine) == 1:
            notes.append(f"left out {kinds} (no listener wrote {'it' if total == 1 else 'them'})")
        else:
            notes.append(f"left out {total} messages no listener wrote ({kinds})")
    if tally[DELETED]:
        noun = "message" if tally[DELETED] == 1 else "messages"
        notes.append(f"left out {tally[DELETED]} {noun} {DELETED} (still in its file)")
    return notes


def left_out_alone(kind: str) -> str:
    """Why a single saved message is left out: "left out: an auto-reply (no listener wrote
    it)"."""
    if kind == DELETED:
        return "left out: a message deleted in Thunderbird (still in its file)"
    article = "an" if kind[0] in "aeiou" else "a"
    return f"left out: {article} {kind} (no listener wrote it)"


def _report(message: EmailMessage) -> str | None:
    kind = message.get_content_type()
    if kind == "multipart/report":
        report_type = str(message.get_param("report-type", "") or "").lower()
        return READ_RECEIPT if "disposition" in report_type else BOUNCE
    for part in message.walk():
        found = _REPORTS.get(part.get_content_type())
        if found:
            return found
    return None


def _deleted(message: EmailMessage) -> bool:
    try:
        return bool(int(header(message, "x-mozilla-status") or "0", 16) & _THUNDERBIRD_DELETED)
    except ValueError:
        return False


def automatic(message: EmailMessage) -> str | None:
    """What kind of machine-sent or deleted mail this is (AUTO_REPLY, BOUNCE, READ_RECEIPT,
    DELETED), or None for a message a person wrote and kept."""
    if _deleted(message):
        return DELETED
    report = _report(message)
    if report:
        return report
    submitted = header(message, "auto-submitted").strip().lower()
    if submitted and submitted != "no":
        return AUTO_REPLY
    if header(message, "x-autoreply") or header(message, "x-autorespond"):
        return AUTO_REPLY
    if header(message, "precedence").strip().lower() == "auto_reply":
        return AUTO_REPLY
    subject = header(message, "subject")
    if _DAEMONS.match(address(message, "from")[1]) or _BOUNCE_SUBJECT.match(subject):
        return BOUNCE
    if _AUTO_SUBJECT.match(subject):
        return AUTO_REPLY
    # bulk mail with an unsubscribe link: a newsletter the show's inbox is subscribed to (a
    # listener's post to the show's own list says "Precedence: list")
    if header(message, "precedence").strip().lower() == "bulk" and header(
        message, "list-unsubscribe"
    ):
        return NEWSLETTER
    if _RECEIPT_SUBJECT.match(subject):
        return READ_RECEIPT
    return None
