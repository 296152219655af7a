"""E-mailed questions: an mbox mailbox or a single .eml, one question per message."""

from __future__ import annotations

import email.policy
import email.utils
import re
from collections.abc import Iterator
from datetime import UTC
from email.message import EmailMessage
from email.parser import BytesParser
from typing import BinaryIO, cast

from ..errors import BadInput
from ..model.dates import to_iso
from ..model.question import Listener, Question, Source
from .common import ImportBatch, fingerprint, place, title_from
from .htmltext import html_to_text

_FROM_LINE = re.compile(rb"^From [^\n]*\n", re.MULTILINE)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)  # mboxrd quoting of "From " lines
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|fwd?|aw|wg|sv|vs)(?:\[\d+\])?\s*:)+\s*", re.I)
_WROTE = re.compile(
    r"^\s*(?:on|am|le|el|il|op)\b.*(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:\s*$",
    re.I,
)
_ORIGINAL = re.compile(r"^\s*(?:-{2,}\s*original message\s*-{2,}|_{10,})\s*$", re.I)
_SENT_FROM = re.compile(r"^\s*sent from my [\w ]+$", re.I)
_IDENTIFYING = ("from", "subject", "date", "message-id")


class NotAQuestion(ValueError):
    """A message that was read but asks nothing we can import."""


def _split_mbox(data: bytes, name: str) -> list[bytes]:
    """The messages of an mbox, split at its "From " lines as the mailbox module does."""
    data = data.replace(b"\r\n", b"\n")
    if not data.lstrip(b"\n").startswith(b"From "):
        raise BadInput(f"{name}: line 1: not an mbox file (it should start with a 'From ' line)")
    chunks = _FROM_LINE.split(data.lstrip(b"\n"))[1:]
    return [_ESCAPED_FROM.sub(rb"\1", chunk) for chunk in chunks]


def _sender(message: EmailMessage) -> tuple[str, str]:
    header = message.get("from")
    if header is None:
        return "", ""
    addresses = getattr(header, "addresses", ())
    if addresses:
        return addresses[0].display_name, addresses[0].addr_spec
    return email.utils.parseaddr(str(header))


def _date(message: EmailMessage) -> str | None:
    header = message.get("date")
    if header is None:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(str(header))
        # RFC 5322's "-0000" means UTC with the zone unknown: the parser returns it naive.
        return to_iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None  # unreadable or out of range: dated like a file without dates


def _content(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        # An unknown or lying charset: keep the words we can read.
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    return content if isinstance(content, str) else ""


def _text(message: EmailMessage) -> str:
    """The message's words: its text/plain part, else its HTML part made readable."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise NotAQuestion("no text part (only attachments?)")
    content = _content(part)
    return html_to_text(content) if part.get_content_subtype() == "html" else content


def _is_wrote_line(lines: list[str], index: int) -> bool:
    """ "On Tue, 10 Nov 2026, Austin <a@b> wrote:", which mail clients often wrap in two."""
    line = lines[index]
    if _WROTE.match(line):
        return True
    joined = line + " " + lines[index + 1] if index + 1 < len(lines) else ""
    return bool(line.strip()) and bool(_WROTE.match(joined))


def question_text(text: str) -> str:
    """The listener's own words: quoted replies, "On … wrote:" and the signature left out."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line.rstrip() == "--" or _ORIGINAL.match(line) or _SENT_FROM.match(line):
            break
        if _is_wrote_line(lines, index):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _title(message: EmailMessage, body: str) -> str:
    subject = " ".join(str(message.get("subject") or "").split())
    return _REPLY_PREFIX.sub("", subject).strip() or title_from(body)


def _question(message: EmailMessage, received_at: str) -> Question:
    """The question one message asks; NotAQuestion saying why it is not one."""
    body = question_text(_text(message))
    if not body:
        raise NotAQuestion("no question text (only quoted text or a signature)")
    name, address = _sender(message)
    date = _date(message)
    message_id = " ".join(str(message.get("message-id") or "").split())
    title = _title(message, body)
    key = message_id or fingerprint(address, date or "", title, body)
    return Question(
        title=title,
        body=body,
        received_at=date or received_at,
        source=Source(kind="email", ref=message_id or None),
        listener=Listener(name=" ".join(name.split()), contact=address),
        import_key=f"email:{key}",
    )


def _parse(data: bytes) -> EmailMessage:
    # The default policy builds EmailMessage objects (get_body, parsed address headers).
    return cast(EmailMessage, BytesParser(policy=email.policy.default).parsebytes(data))


def _read_message(data: bytes, received_at: str) -> Question:
    try:
        return _question(_parse(data), received_at)
    except NotAQuestion:
        raise
    except Exception as error:
        # The email package can raise assorted errors on malformed mail; one broken message
        # must not stop the rest of the mailbox, so it becomes a rejection instead.
        raise NotAQuestion(f"cannot read the message ({type(error).__name__})") from error


def _read_into(batch: ImportBatch, chunk: bytes, number: int, name: str, received_at: str) -> None:
    try:
        batch.questions.append(_read_message(chunk, received_at))
    except ValueError as error:
        batch.rejected.append(place(name, f"message {number}", str(error)))


def parse_mbox(data: bytes, *, name: str, received_at: str) -> ImportBatch:
    """One question per message; a message that is not one is rejected with its number."""
    batch = ImportBatch()
    for number, chunk in enumerate(_split_mbox(data, name), 1):
        _read_into(batch, chunk, number, name, received_at)
    return batch


def _messages(handle: BinaryIO, name: str) -> Iterator[bytes]:
    """The messages of an mbox read line by line, split at "From " lines like _split_mbox."""
    lines: list[bytes] = []
    started = False
    for line in handle:
        line = line.replace(b"\r\n", b"\n")
        if not started:
            if not line.strip():
                continue
            if not line.startswith(b"From "):
                raise BadInput(f"{name}: line 1: not an mbox file (it should start with 'From ')")
            started = True
            continue
        if line.startswith(b"From "):
            yield _ESCAPED_FROM.sub(rb"\1", b"".join(lines))
            lines = []
            continue
        lines.append(line)
    if started:
        yield _ESCAPED_FROM.sub(rb"\1", b"".join(lines))


def stream_mbox(
    handle: BinaryIO, *, name: str, received_at: str, size: int = 1000
) -> Iterator[ImportBatch]:
    """The same questions as parse_mbox, read from the open file as it goes, `size` at a
    time."""
    batch = ImportBatch()
    for number, chunk in enumerate(_messages(handle, name), 1):
        _read_into(batch, chunk, number, name, received_at)
        if len(batch.questions) >= size:
            yield batch
            batch = ImportBatch()
    yield batch


def parse_eml(data: bytes, *, name: str, received_at: str) -> ImportBatch:
    """The question in a single saved e-mail (.eml); BadInput when it is not an e-mail."""
    try:
        message = _parse(data)
        headers = {key.lower() for key in message}
    except Exception:  # see _read_message: malformed mail raises assorted errors
        headers = set()
    if not headers.intersection(_IDENTIFYING):
        raise BadInput(f"{name}: line 1: not an e-mail message (no From, Subject or Date header)")
    try:
        return ImportBatch(questions=[_read_message(data, received_at)])
    except ValueError as error:
        raise BadInput(place(name, "message", str(error))) from None
