"""What every export starts from: the show notes input, air order, public fields and links."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadInput
from ..model.dates import parse_timestamp
from ..model.question import Credit, Episode, Listener, Question, Reference

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
    """One export's input: an episode (or None for a selection) and its questions."""

    podcast: str
    questions: list[Question]
    episode: Episode | None = None
    hosts: dict[str, str] = field(default_factory=dict)  # host id -> display name
    include_private: bool = False  # the listener's contact and the hosts' internal notes
    full_answers: bool = False  # show notes print the answer's first paragraph unless asked

    def host_name(self, host_id: str | None) -> str:
        return self.hosts.get(host_id or "", host_id or "")

    def in_air_order(self) -> list[Question]:
        """An episode's questions by their time in it; a selection keeps the caller's order."""
        if self.episode is None:
            return list(self.questions)
        position = {qid: index for index, qid in enumerate(self.episode.question_ids)}

        def air_key(question: Question) -> tuple[float, int]:
            start = seconds_or_none(question)
            return (math.inf if start is None else start, position.get(question.id, len(position)))

        return sorted(self.questions, key=air_key)


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
    """The listener's name as they agreed to be credited; empty when anonymous."""
    # Credit(...) again because a hand-built Listener may hold the plain string "anonymous".
    listener = Listener(name=question.listener.name, credit=Credit(question.listener.credit))
    if listener.credit is Credit.ANONYMOUS or not listener.name.strip():
        return ""
    return listener.credited_as()


def public_dict(question: Question) -> dict[str, Any]:
    """The question without its private parts: contact, notes, history, drafts and the rest.

    The listener appears only as credited, including as the author of their own replies, and
    an e-mail's Message-ID is dropped because it often carries the sender's address.
    """
    data = question.to_dict()
    for key in PRIVATE_FIELDS:
        data.pop(key, None)
    name = credited_name(question)
    data["listener"] = {"name": name, "credit": str(question.listener.credit)}
    full_name = question.listener.name.strip()
    for reply in data["replies"]:
        if full_name and reply["author"].strip() == full_name:
            reply["author"] = name
    if data["source"]["kind"] == "email":
        data["source"]["ref"] = None
    return data
