"""Reading one e-mail message safely: its headers, addresses, date and text, whatever the
charset, the encoding, or the raw bytes a sender put where RFC 5322 wants ASCII.

The email package keeps a header's raw 8-bit bytes (`From: "Priya Ramé"` straight from an
mbox) as lone surrogates, which nothing downstream can store or print; every text read here
goes through `repair`, which reads those bytes as UTF-8 (else Windows-1252), so no header or
body can carry a surrogate further.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from datetime import UTC, tzinfo
from email.header import decode_header, make_header
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from functools import cached_property

from ..model.dates import to_iso
from ..model.question import name_without_contacts
from .common import surname_last
from .htmltext import html_to_text

_SURROGATES = re.compile("[\ud800-\udfff]")
_C1 = re.compile(rb"[\x80-\x9f]")
_LATIN1 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819"}
_ADDRESS = re.compile(r"[^\s<>@\"',;:()]+@[^\s<>@\"',;:()]+")


class NotAQuestion(ValueError):
    """A message that was read but asks nothing we can import."""


def parse(data: bytes) -> EmailMessage:
    # The default policy builds EmailMessage objects (get_body, parsed address headers).
    return BytesParser(policy=email.policy.default).parsebytes(data)


def decode_bytes(raw: bytes, charset: str | None = None) -> str:
    """Bytes as text: in their declared charset when it reads them, else UTF-8, else
    Windows-1252 (what "iso-8859-1" and unlabelled 8-bit mail usually is)."""
    label = (charset or "").strip().lower()
    if label and label not in _LATIN1:
        try:
            return raw.decode(label)
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown or lying charset: the words are still worth reading
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if label in _LATIN1 and not _C1.search(raw):
        return raw.decode("latin-1")
    return raw.decode("cp1252", "replace")


def repair(text: str) -> str:
    """The text with raw bytes the email package kept as surrogates read as characters."""
    if not _SURROGATES.search(text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that were never bytes: nothing to recover
        return _SURROGATES.sub("\ufffd", text)
    return decode_bytes(raw)


def header(message: EmailMessage, name: str) -> str:
    """A header's decoded value on one line ("" when absent or unreadable)."""
    try:
        value = message.get(name)
        text = "" if value is None else str(value)
    except Exception:  # a malformed header the policy cannot parse: its raw text instead
        text = "\ufffd"
    if "\ufffd" in text:  # raw 8-bit bytes (a Latin-1 Subject) the policy could not read
        raw = [value for key, value in message.raw_items() if key.lower() == name.lower()]
        text = str(raw[0]) if raw else ""
    return " ".join(repair(text).split())


def address(message: EmailMessage, name: str) -> tuple[str, str]:
    """(display name, address) of the first address in a From/Reply-To header. A display name
    that is an address, or holds one, gives no name: an address is never a name."""
    try:
        value = message.get(name)
        addresses = getattr(value, "addresses", ()) if value is not None else ()
        if addresses:
            display, spec = addresses[0].display_name, addresses[0].addr_spec
        else:
            display, spec = email.utils.parseaddr(str(value or ""))
    except Exception:  # an address header the policy chokes on: read it plainly
        display, spec = email.utils.parseaddr(header(message, name))
    if not display:
        display = _comment_name(message, name)
    display, spec = repair(display), repair(spec).strip()
    if "@" not in spec:
        found = _ADDRESS.search(f"{display} {spec}")
        spec = found.group(0) if found else ""
    return surname_last(name_without_contacts(display).strip("\"' ")), spec


# Google Groups' and Mailman's rewrite of a sender whose domain forbids relaying their mail
# as theirs: "'Ana Ruiz' via Ask The Show" <askshow@googlegroups.com>
_VIA = re.compile(r"^'?(?P<name>[^']+?)'?\s+via\s+\S.*$", re.I)
_LIST_HEADERS = ("list-id", "mailing-list", "x-original-from")
_LIST_TAG = re.compile(r"^((?:\s*(?:re|aw|sv|fwd?)\s*:)*)\s*\[[^\]\n]{1,40}\]\s*", re.I)


def _on_a_list(message: EmailMessage) -> bool:
    return any(header(message, each) for each in _LIST_HEADERS)


def sender(message: EmailMessage) -> tuple[str, str]:
    """(name, address) of who wrote a message: its From, or, when a mailing list rewrote that
    to its own ("'Ana Ruiz' via Ask The Show"), the writer's X-Original-From or Reply-To."""
    name, contact = address(message, "from")
    via = _VIA.match(name)
    if via is None or not _on_a_list(message):
        return name, contact
    for each in ("x-original-from", "reply-to"):
        original = address(message, each)
        if original[1] and original[1].lower() != contact.lower():
            return original[0] or via.group("name").strip(), original[1]
    return via.group("name").strip(), ""


def subject_of(message: EmailMessage) -> str:
    """The Subject, without the "[askshow] " a mailing list puts in front of it."""
    subject = header(message, "subject")
    return _LIST_TAG.sub(r"\1 ", subject).strip() if _on_a_list(message) else subject


def _comment_name(message: EmailMessage, name: str) -> str:
    """The name in an old-style "old.timer@aol.com (Walter Hughes)" header, whose comment
    the policy's parsed address leaves out ("" when there is none)."""
    try:
        raw = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
        display = email.utils.parseaddr(raw)[0]
        if "=?" in display:  # an RFC 2047 encoded name in the comment
            display = str(make_header(decode_header(display)))
    except Exception:  # a comment the parser cannot read: no name rather than a crash
        return ""
    return display


def addresses(message: EmailMessage, *names: str) -> list[str]:
    """Every address in the headers named, lower-cased."""
    found = []
    for name in names:
        for _display, spec in email.utils.getaddresses([header(message, name)]):
            if "@" in spec:
                found.append(spec.strip().lower())
    return found


def _moment(text: str) -> str | None:
    text = " ".join(text.split())
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
        # RFC 5322's "-0000" means UTC with the zone unknown: the parser returns it naive,
        # as it does an mbox "From " line's time, which is UTC.
        return to_iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None  # unreadable or out of range: dated like a file without dates


def date(message: EmailMessage) -> str | None:
    """The time its Date header says it was sent (None without a readable one)."""
    return _moment(header(message, "date"))


def arrival(message: EmailMessage) -> str | None:
    """When the message arrived, for one without a Date header: the newest (topmost) readable
    Received header's time (after its last ";"), else its mbox "From " line's."""
    try:
        received = [repair(str(value)) for value in message.get_all("received") or ()]
        envelope = repair(message.get_unixfrom() or "")
    except Exception:  # a header the policy chokes on: no time from it
        return None
    for value in received:
        moment = _moment(value.rpartition(";")[2])
        if moment:
            return moment
    parts = envelope.split(None, 2)  # "From", the sender, the time
    return _moment(parts[2]) if len(parts) == 3 else None


def zone(message: EmailMessage) -> tzinfo | None:
    """The zone of a message's Date header (its sender's), or None."""
    try:
        return email.utils.parsedate_to_datetime(header(message, "date")).tzinfo
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def message_ids(text: str) -> list[str]:
    """The Message-IDs in a References / In-Reply-To header, in order."""
    return re.findall(r"<[^<>\s]{1,500}>", text)


def part_text(part: MIMEPart) -> str:
    """A text part's content, decoded from its transfer encoding and its charset."""
    try:
        raw = part.get_payload(decode=True)
    except Exception:
        raw = None
    if not isinstance(raw, bytes):
        payload = part.get_payload()
        text = repair(payload) if isinstance(payload, str) else ""
    else:
        text = decode_bytes(raw, part.get_content_charset())
    if part.get_content_type() == "text/plain" and _param(part, "format") == "flowed":
        return unflowed(text, delsp=_param(part, "delsp") == "yes")
    return text


def _param(part: MIMEPart, name: str) -> str:
    value = part.get_param(name, "")
    return value.lower() if isinstance(value, str) else ""


_QUOTES = re.compile(r"^>+")


def unflowed(text: str, *, delsp: bool = False) -> str:
    """format=flowed text (RFC 3676, Thunderbird's and Apple Mail's plain text) as written:
    a line ending in a space goes on in the next line of the same quote depth; a signature's
    "-- " line stays a line; a leading space that stuffed the line is dropped."""
    lines: list[str] = []
    open_depth: int | None = None  # the depth of the line being continued, if any
    for raw in text.replace("\r\n", "\n").split("\n"):
        depth_mark = _QUOTES.match(raw)
        depth = len(depth_mark.group()) if depth_mark else 0
        line = raw[depth:]
        if line.startswith(" "):
            line = line[1:]  # space-stuffed
        flowed = line.endswith(" ") and line != "-- "
        if flowed and delsp:
            line = line[:-1]
        if open_depth == depth and lines:
            lines[-1] += line
        else:
            lines.append((">" * depth + " " if depth else "") + line)
        open_depth = depth if flowed else None
    return "\n".join(lines)


def plain_text(message: EmailMessage) -> str:
    """The message's text/plain part ("" when it has none)."""
    part = message.get_body(preferencelist=("plain",))
    if part is None and not message.is_multipart() and not message.get("content-type"):
        part = message  # no Content-Type: plain text, as RFC 2045 says
    return part_text(part) if part is not None else ""


def html_text(message: EmailMessage) -> str:
    """The message's text/html part made readable ("" when it has none)."""
    part = message.get_body(preferencelist=("html",))
    return html_to_text(part_text(part)) if part is not None else ""


def texts(message: EmailMessage) -> tuple[str, str]:
    """(plain text, HTML made readable) of the message's body; either may be empty."""
    return plain_text(message), html_text(message)


def digest_messages(message: EmailMessage) -> list[EmailMessage]:
    """The messages a MIME digest holds (Mailman's and other lists' "Digest, Vol 12, Issue
    3": a multipart/digest part of message/rfc822 parts), or [] for any other message."""
    for part in message.walk():
        if part.get_content_type() != "multipart/digest":
            continue
        found = []
        for inner in part.iter_parts():
            payload = inner.get_payload()
            if inner.get_content_type() == "message/rfc822" and isinstance(payload, list):
                found += [each for each in payload[:1] if isinstance(each, EmailMessage)]
        return found
    return []


_AUDIO = re.compile(r"\.(?:m4a|mp3|wav|aac|ogg|opus|amr|caf|3gp|webm)$", re.I)


def attachments_only(message: EmailMessage) -> str:
    """Why a message with no words of its own is none (its attachments say what it holds),
    or "" when it has no attachments either."""
    names = [
        repair(str(part.get_filename() or part.get_content_type()))
        for part in message.walk()
        if part.is_attachment() or part.get_content_type() == "application/ms-tnef"
    ]
    if not names:
        return ""
    if any(name.lower() == "winmail.dat" or "ms-tnef" in name for name in names):
        return (
            "its text is in Outlook's winmail.dat (TNEF), which qa-queue cannot read: ask for "
            "it as plain text or HTML, or add the question with `qa-queue add`"
        )
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    if any(_AUDIO.search(name) for name in names):
        return f"no text, only a recording ({shown}): listen to it and add it with `qa-queue add`"
    return f"no text, only attachments ({shown})"


# what mailers write in the text/plain part when all is in the HTML one
_PLACEHOLDER = re.compile(
    r"^\s*(?:this (?:is an? )?(?:e-?mail|message) (?:is )?in html format|this is an html"
    r" (?:e-?mail|message)|(?:to view|view) this (?:e-?mail|message) (?:in|with) (?:your|a)"
    r" (?:web )?browser|your (?:e-?mail|mail) (?:client|program|reader) does not support"
    r" html|please (?:use|view (?:it|this)(?: message)? in) an html[- ]capable"
    r"|to view (?:this|the) (?:e-?mail|message),? please use an html"
    r"|please enable html|(?:to view this (?:e-?mail )?message, )?(?:open|view) it in a"
    r" program that understands html"
    r"|this (?:e-?mail|message) (?:requires|contains) html"
    r"|this message requires? an html|diese nachricht ist im html-format"
    r"|ce message est au format html)",
    re.I,
)


class Body:
    """A message's words, each part read once, when first asked for."""

    def __init__(self, message: EmailMessage) -> None:
        self.message = message

    @cached_property
    def plain(self) -> str:
        return plain_text(self.message)

    @cached_property
    def html(self) -> str:
        return html_text(self.message)

    def text(self) -> str:
        """Its text/plain part, else its HTML part made readable; NotAQuestion if neither.
        A plain part that only asks to see the HTML one gives way to it."""
        if self.plain.strip() and not (_PLACEHOLDER.search(self.plain[:400]) and self.html.strip()):
            return self.plain
        if not self.html.strip():
            message = self.message
            has_text = message.get_body(preferencelist=("plain", "html")) is not None or (
                not message.is_multipart() and not message.get("content-type")
            )
            raise NotAQuestion(
                attachments_only(message) or ("an empty message" if has_text else "no text part")
            )
        return self.html
