"""What every export starts from: the show notes input, public fields, clean text and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from ..errors import BadInput
from ..model.dates import parse_timestamp
from ..model.question import Episode, Question, Reference, name_without_contacts
from ..text import CONTROLS, without_controls

# Never in an export unless include_private: the listener's contact is handled separately.
PRIVATE_FIELDS = (
    "notes",
    "history",
    "drafts",
    "decline_reason",
    "import_key",
    "snoozed_until",
    "revision",
)
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
_PMID = re.compile(r"^(?:pmid\s*:?\s*)?(\d{1,9})$", re.I)
_WEB = re.compile(r"^https?://[^\s/?#.][^\s]*$", re.I)


@dataclass
class ShowNotes:
    """One export's input: an episode (or None for a selection) and its questions, of which
    the export keeps the answered ones (selection.py)."""

    podcast: str
    questions: list[Question]
    episode: Episode | None = None
    hosts: dict[str, str] = field(default_factory=dict)  # host id -> display name
    include_private: bool = False  # the listener's contact and the hosts' internal notes
    full_answers: bool = False  # show notes print the answer's first paragraph unless asked
    include_ready: bool = False  # a preview: ready questions too, marked not yet answered

    def host_name(self, host_id: str | None) -> str:
        return self.hosts.get(host_id or "", host_id or "")


def without_controls_anywhere(notes: ShowNotes) -> ShowNotes:
    """The notes with control characters (escape sequences, bidi overrides) taken out of
    every text in them: titles, bodies, names, replies, answers, references, tags, notes."""
    questions = [_question_without_controls(q) for q in notes.questions]
    episode = notes.episode and Episode.from_dict(_without_controls(notes.episode.to_dict()))
    return replace(
        notes,
        podcast=without_controls(notes.podcast),
        questions=questions,
        episode=episode,
        hosts=_without_controls(notes.hosts),
    )


# A control character orjson escapes (all C0 but newline and tab). A backslash before r, b, f
# or u00 in the text matches too, which only costs a clean copy.
_ESCAPED_CONTROL = re.compile(r"\\(?:[rbf]|u00[01])")


def _has_controls(dumped: str) -> bool:
    """Whether a question as orjson writes it holds a control character (the quick checks
    first: searching 10k questions' texts for them took over half a second)."""
    if "\\" in dumped and _ESCAPED_CONTROL.search(dumped):
        return True
    if dumped.isascii():
        return "\x7f" in dumped
    return CONTROLS.search(dumped) is not None


def _question_without_controls(question: Question) -> Question:
    dumped = orjson.dumps(question).decode()
    if not _has_controls(dumped):
        return question  # most are clean: copying 10k questions took seconds
    return Question.from_dict(_without_controls(orjson.loads(dumped)))


def _without_controls(value: Any) -> Any:
    if isinstance(value, str):
        return without_controls(value)
    if isinstance(value, list):
        return [_without_controls(item) for item in value]
    if isinstance(value, dict):
        return {_without_controls(k): _without_controls(v) for k, v in value.items()}
    return value


def seconds_or_none(question: Question) -> float | None:
    """Where the question starts in its episode, in seconds; BadInput naming a bad timestamp."""
    if not question.timestamp:
        return None
    try:
        return parse_timestamp(question.timestamp)
    except BadInput as error:
        raise BadInput(f"question #{question.id}: {error}") from None


def reference_url(value: str) -> str | None:
    """A link for a reference: a web URL as is, a DOI at doi.org, a PMID at PubMed."""
    text = value.strip()
    match = _DOI.match(text)
    if match:
        return f"https://doi.org/{match[1]}"
    match = _PMID.match(text)
    if match:
        return f"https://pubmed.ncbi.nlm.nih.gov/{match[1]}/"
    return text if _WEB.match(text) else None


def first_url(references: list[Reference]) -> str | None:
    return next((url for ref in references if (url := reference_url(ref.url))), None)


def credited_name(question: Question) -> str:
    """The listener's name as they agreed to be credited; empty when anonymous or when the
    name held nothing but an address or a number."""
    return question.listener.public_name()


# A phone number a listener wrote into their words: digits in groups, 9 or more of them
# ("+44 7700 900456", "+33 6 12 34 56 78", "(555) 123-4567", "+14155552671", "tel:+1…");
# not a date, a time, a dose, a DOI, an IP address, a ZIP+4 or an order number
_PHONE_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_.:/-])(?:tel:)?(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,14}"
    r"(?:[ .-]\d{1,8}){0,5}(?![A-Za-z0-9_:/]|[.-]\d)",
    re.I,
)
_NOT_A_PHONE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|\d{5}-\d{4}|\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)+")
_NUMBERED = re.compile(r"(?:\bno\.?|#|\border|\binvoice|\bref\.?|\bisbn|\bpmid)\s*:?\s*$", re.I)
_CHAT_LINK = re.compile(r"https?://(?:wa\.me|t\.me|signal\.me)/\S+|\bwa\.me/\+?\d+", re.I)
_EMAIL_IN_TEXT = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[\w.+-]+\s*[\[(]\s*at\s*[\])]\s*[\w-]+(?:\s*[\[(]\s*dot\s*[\])]\s*[\w-]+)+",
    re.I,
)


def _phone(match: re.Match[str]) -> str:
    found = match.group(0)
    digits = sum(character.isdigit() for character in found)
    before = match.string[max(0, match.start() - 12) : match.start()]
    if digits < 9 or _NOT_A_PHONE.fullmatch(found) or _NUMBERED.search(before):
        return found
    # written as phone numbers are: "+44 …", "tel:…", "(555) …", "07700 …", "555-123-4567"
    dialled = found[0] in "+(0t" or re.search(r"\d[ .-]\d", found) is not None
    spaced_years = re.fullmatch(r"(?:(?:19|20)\d\d[ ,]*)+", found) is not None
    return "[phone number]" if dialled and not spaced_years else found


def without_contacts_in(text: str) -> str:
    """A listener's words with the e-mail addresses and phone numbers in them masked: a
    public export names no way to reach anyone, whatever they wrote ("call me on …")."""
    text = _CHAT_LINK.sub("[phone number]", _EMAIL_IN_TEXT.sub("[e-mail address]", text))
    return _PHONE_IN_TEXT.sub(_phone, text)


def public_dict(question: Question) -> dict[str, Any]:
    """The question without its private parts: contact, notes, history, drafts and the rest.

    The listener appears only as credited, including as the author of their own replies, an
    e-mail's Message-ID is dropped because it often carries the sender's address, and the
    addresses and phone numbers people wrote into their words are masked.
    """
    data = question.to_dict()
    for key in PRIVATE_FIELDS:
        data.pop(key, None)
    name = credited_name(question)
    data["listener"] = {"name": name, "credit": str(question.listener.credit)}
    full_name = question.listener.name.strip()
    data["title"] = without_contacts_in(data["title"])
    data["body"] = without_contacts_in(data["body"])
    for reply in data["replies"]:
        reply["text"] = without_contacts_in(reply["text"])
        reply.pop("import_key", None)  # an e-mail's Message-ID, as below
        if full_name and reply["author"].strip() == full_name:
            reply["author"] = name
        elif not reply["is_host"] and reply["author"].strip():
            # another listener: never their address or number either
            reply["author"] = name_without_contacts(reply["author"]) or "a listener"
    if data["source"]["kind"] == "email":
        data["source"]["ref"] = None
    return data
