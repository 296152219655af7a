"""E-mailed questions: an mbox mailbox or a single .eml, one question per message.

A message that answers an earlier one (In-Reply-To, References, or "Re:" with the same
sender) is read as a question too, with a MailThread beside it in the batch: the queue joins
it to the question it answers as a follow-up (follow_ups.py), or keeps it as a question when
there is none. A contact form's notification is read as the listener in its fields.
mail_message.py reads a message, mail_quotes.py keeps the listener's own words (with
mail_markers.py, the lines clients write around a quote), mail_threads.py says what a message
answers, contact_forms.py reads form notifications.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import BinaryIO

from ..errors import BadInput
from ..model.follow_up import MailThread
from ..model.question import Listener, Question, Source
from .common import ImportBatch, fingerprint, place, title_from
from .contact_forms import submission
from .mail_automatic import LeftOut, automatic, left_out_alone, left_out_notes
from .mail_forwards import Forwarded, attached, forwarded
from .mail_message import (
    Body,
    NotAQuestion,
    address,
    arrival,
    attachments_only,
    date,
    digest_messages,
    header,
    parse,
    sender,
    subject_of,
    zone,
)
from .mail_quotes import question_text, without_context
from .mail_threads import (
    ShowAddresses,
    host_named,
    normal_subject,
    telling_subject,
    thread_of,
)

__all__ = ["NotAQuestion", "parse_eml", "parse_mbox", "question_text", "stream_mbox"]

# before each message's "From " line, which stays with it: the parser keeps it (unixfrom)
# and its time dates a message without a Date header
_FROM_LINE = re.compile(rb"^(?=From )", re.MULTILINE)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)  # mboxrd quoting of "From " lines
_IDENTIFYING = ("from", "subject", "date", "message-id")
_PRINTABLE_ID = re.compile(r"[^\x21-\x7e]")


@dataclass
class _Reading:
    """What reading one file's messages keeps from one to the next."""

    name: str
    received_at: str
    hosts: Collection[str] = ()
    show: ShowAddresses = field(default_factory=ShowAddresses)
    left_out: Counter[str] = field(default_factory=Counter)  # automatic mail, by kind

    def notes(self) -> list[str]:
        """What was left out, once the file is read."""
        return left_out_notes(self.left_out)


@dataclass
class _Read:
    question: Question
    thread: MailThread | None = None
    form: str = ""  # the form service, for a contact form's notification


def _split_mbox(data: bytes, name: str) -> list[bytes]:
    """The messages of an mbox, split at its "From " lines as the mailbox module does."""
    data = data.replace(b"\r\n", b"\n")
    if not data.lstrip(b"\n").startswith(b"From "):
        raise BadInput(f"{name}: line 1: not an mbox file (it should start with a 'From ' line)")
    chunks = _FROM_LINE.split(data.lstrip(b"\n"))[1:]
    return [_ESCAPED_FROM.sub(rb"\1", chunk) for chunk in chunks]


def _message_id(message: EmailMessage) -> str:
    return _PRINTABLE_ID.sub("", header(message, "message-id"))[:500]


def _where(number: int | None, message_id: str) -> str:
    what = "message" if number is None else f"message {number}"
    return f"{what} ({message_id[:120]})" if message_id else what


def _form_question(
    message: EmailMessage, words: Body, reading: _Reading
) -> tuple[Question, str] | None:
    """The question a contact form's notification carries, and the form's service."""
    sender = address(message, "from")[1]
    found = submission(
        sender=sender,
        reply_to=address(message, "reply-to"),
        subject=header(message, "subject"),
        plain=words.plain,
        html=lambda: words.html,
    )
    if found is None:
        return None
    if not found.message.strip():
        raise NotAQuestion(f"a contact form's notification ({found.service}) with no message")
    question = _question(
        message,
        reading,
        title=telling_subject(found.subject) or title_from(found.message),
        body=found.message,
        dated=date(message),
        listener=Listener(name=found.name, contact=found.contact),
        kind="form",
    )
    return question, found.service


def _question(
    message: EmailMessage,
    reading: _Reading,
    *,
    title: str,
    body: str,
    dated: str | None,
    listener: Listener,
    kind: str = "email",
    notes: str = "",
) -> Question:
    """A question a message asks, known by its Message-ID (without one, by its sender, date
    and words: never by the file's time, so the same file imports the same questions)."""
    message_id = _message_id(message)
    key = message_id or fingerprint(listener.contact, dated or "", title, body)
    return Question(
        title=title,
        body=body,
        received_at=dated or arrival(message) or reading.received_at,
        source=Source(kind=kind, ref=message_id or None),
        listener=listener,
        notes=notes,
        import_key=f"email:{key}",
    )


def _forwarded_question(
    message: EmailMessage, forward: Forwarded, subject: str, reading: _Reading
) -> Question:
    """The listener's message a forward carries: theirs the name, the words and the time; the
    forwarder and their note go into the question's internal notes."""
    text = question_text(forward.text, forward.name)
    if not text:
        raise NotAQuestion("a forwarded message with no question text")
    by_name, by_contact = address(message, "from")
    by = f"{by_name} <{by_contact}>" if by_name and by_contact else by_name or by_contact
    note = f"Forwarded by {by or 'someone'}" + (f": {forward.note}" if forward.note else "")
    title = (
        telling_subject(forward.subject)
        or telling_subject(subject)
        or title_from(without_context(text))
    )
    return _question(
        message,
        reading,
        title=title,
        body=text,
        dated=forward.received_at or date(message),
        listener=Listener(name=forward.name, contact=forward.contact),
        notes=note,
    )


def _read(message: EmailMessage, number: int | None, reading: _Reading) -> _Read:
    """The question one message asks, and what it answers; NotAQuestion saying why not."""
    words = Body(message)
    form = _form_question(message, words, reading)
    if form is not None:
        return _Read(form[0], form=form[1])
    kind = automatic(message)
    if kind is not None:
        raise LeftOut(kind)
    subject = subject_of(message)
    try:
        written = words.text()
    except NotAQuestion:
        # a message forwarded as an attachment with no note; an empty message whose
        # subject asks ("Is ashwagandha safe with an SSRI?"): the subject is the question;
        # one that asks nothing is rejected as it was
        if attached(message, "") is not None:
            written = ""
        elif "?" not in normal_subject(subject)[0]:
            raise
        else:
            written = normal_subject(subject)[0]
    name, contact = sender(message)
    by_host = bool(host_named(name, contact, reading.hosts)) or contact in reading.show
    forward = forwarded(written, subject=subject, zone=zone(message), by_host=by_host)
    text = question_text(written, name)
    forward = forward or attached(message, text, by_host=by_host)
    if forward is not None:
        return _Read(_forwarded_question(message, forward, subject, reading))
    if not text:
        raise NotAQuestion(
            attachments_only(message) or "no question text (only quoted text or a signature)"
        )
    message_id = _message_id(message)
    when = date(message)
    thread = thread_of(
        message,
        sender=(name, contact),
        where=_where(number, message_id),
        hosts=reading.hosts,
        show=reading.show,
    )
    question = _question(
        message,
        reading,
        title=telling_subject(subject) or title_from(without_context(text)),
        body=text,
        dated=when,
        listener=Listener(name=name, contact=contact),
        notes=_what_they_forward(message, written, subject),
    )
    return _Read(question, thread)


def _what_they_forward(message: EmailMessage, written: str, subject: str) -> str:
    """The mail a listener forwards under their own question ("my doctor wrote this: is she
    right?"): their context, kept in the internal notes; "" when they forward none."""
    context = forwarded(written, subject=subject, zone=zone(message), by_host=True)
    context = context or attached(message, "", by_host=True)
    if context is None:
        return ""
    words = question_text(context.text, context.name)
    if not words:
        return ""
    who = context.name or context.contact or "someone"
    return f"They forwarded, from {who}:\n{words}"


def _cut_off(data: bytes) -> bool:
    """Whether the message's headers never end: no blank line before its end, as when a
    download stops inside them (its last header would be read half-written)."""
    return not (data.startswith((b"\n", b"\r\n")) or b"\n\n" in data or b"\n\r\n" in data)


def _parsed(data: bytes) -> EmailMessage:
    if _cut_off(data):
        raise NotAQuestion(
            "cut off inside its headers (no blank line ends them: a download cut short?)"
        )
    return parse(data)


def _read_message(data: bytes | EmailMessage, number: int | None, reading: _Reading) -> _Read:
    try:
        return _read(_parsed(data) if isinstance(data, bytes) else data, number, reading)
    except (NotAQuestion, LeftOut):
        raise
    except Exception as error:
        # The email package can raise assorted errors on malformed mail; one broken message
        # must not stop the rest of the mailbox, so it becomes a rejection instead.
        raise NotAQuestion(f"cannot read the message ({type(error).__name__})") from error


def _digest(data: bytes) -> list[EmailMessage]:
    """The messages in a list's digest (each read as if it came alone, as a message of the
    list: its "[list]" subject tag goes), or []."""
    try:
        outer = _parsed(data)
        inner = digest_messages(outer)
        for message in inner:
            if not message.get("list-id"):
                message["List-Id"] = outer.get("list-id") or "a list's digest"
        return inner
    except Exception:  # a message that cannot be parsed is rejected when read
        return []


def _add(batch: ImportBatch, read: _Read) -> None:
    question = read.question
    batch.questions.append(question)
    if read.thread is not None and question.import_key:
        batch.follow_ups[question.import_key] = read.thread
    if read.form:
        batch.recognised[f"contact form ({read.form})"] += 1


def _where_rejected(chunk: bytes, number: int | None) -> str:
    try:
        return _where(number, _message_id(parse(chunk)))
    except Exception:
        return _where(number, "")


def _read_into(batch: ImportBatch, chunk: bytes, number: int | None, reading: _Reading) -> None:
    inner = _digest(chunk)
    for each in inner:
        where = f"{_where(number, _message_id(each))} in the digest"
        _read_one_into(batch, each, number, reading, functools.partial(str, where))
    if not inner:
        _read_one_into(batch, chunk, number, reading, lambda: _where_rejected(chunk, number))


def _read_one_into(
    batch: ImportBatch,
    message: bytes | EmailMessage,
    number: int | None,
    reading: _Reading,
    where: Callable[[], str],
) -> None:
    try:
        _add(batch, _read_message(message, number, reading))
    except LeftOut as left:
        reading.left_out[left.kind] += 1
    except ValueError as error:
        batch.rejected.append(place(reading.name, where(), str(error)))


def parse_mbox(
    data: bytes, *, name: str, received_at: str, hosts: Collection[str] = ()
) -> ImportBatch:
    """One question per message; a message that is not one is rejected with its number."""
    batch = ImportBatch()
    reading = _Reading(name, received_at, hosts)
    for number, chunk in enumerate(_split_mbox(data, name), 1):
        _read_into(batch, chunk, number, reading)
    batch.notes += reading.notes()
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
        if line.startswith(b"From ") and lines:
            yield _ESCAPED_FROM.sub(rb"\1", b"".join(lines))
            lines = []
        lines.append(line)
    if started:
        yield _ESCAPED_FROM.sub(rb"\1", b"".join(lines))


def stream_mbox(
    handle: BinaryIO,
    *,
    name: str,
    received_at: str,
    size: int = 1000,
    hosts: Collection[str] = (),
) -> Iterator[ImportBatch]:
    """The same questions as parse_mbox, read from the open file as it goes, `size` at a
    time."""
    batch = ImportBatch()
    reading = _Reading(name, received_at, hosts)
    for number, chunk in enumerate(_messages(handle, name), 1):
        _read_into(batch, chunk, number, reading)
        if len(batch.questions) >= size:
            yield batch
            batch = ImportBatch()
    batch.notes += reading.notes()
    yield batch


def parse_eml(
    data: bytes, *, name: str, received_at: str, hosts: Collection[str] = ()
) -> ImportBatch:
    """The question in a single saved e-mail (.eml); BadInput when it is not an e-mail."""
    try:
        message = parse(data)
        headers = {key.lower() for key in message}
    except Exception:  # see _read_message: malformed mail raises assorted errors
        headers = set()
    if not headers.intersection(_IDENTIFYING):
        raise BadInput(f"{name}: line 1: not an e-mail message (no From, Subject or Date header)")
    batch = ImportBatch()
    reading = _Reading(name, received_at, hosts)
    if _digest(data):  # a list's digest: many messages, each rejected on its own
        _read_into(batch, data, None, reading)
        batch.notes += reading.notes()
        return batch
    try:
        _add(batch, _read_message(data, None, reading))
    except LeftOut as left:
        # no question, and nothing wrong with the file: left out and said, as in a mailbox
        batch.notes.append(left_out_alone(left.kind))
    except ValueError as error:
        raise BadInput(place(name, _where_rejected(data, None), str(error))) from None
    return batch
