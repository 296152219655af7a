"""The listener question and the records hanging off it, as plain dataclasses."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from enum import Enum, StrEnum
from typing import Any

import orjson

from .dates import from_iso


class Status(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    DRAFTING = "drafting"
    READY = "ready"
    ANSWERED = "answered"
    DECLINED = "declined"
    DUPLICATE = "duplicate"


class Credit(StrEnum):
    """How the show notes may name a listener."""

    FULL = "full"
    FIRST = "first"
    ANONYMOUS = "anonymous"


SOURCE_KINDS = ("forum", "email", "form", "boost", "voicemail", "manual")


def plain(value: Any) -> Any:
    """A JSON-ready copy: dataclasses to dicts, enums to their values."""
    if is_dataclass(value) and not isinstance(value, type):
        # field by field: asdict() deep-copies first, which doubled the cost of every save
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


# A name field often holds the sender's address ("Amara <amara@example.com>") or a phone
# number from a voicemail: contacts, never to be printed as a name.
_ADDRESS = re.compile(r"(?:mailto:)?[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;]+", re.I)
_PHONE = re.compile(r"(?:\+|\b)\d(?:[\s()./-]*\d){6,}")  # 7 digits or more
_EMPTY_BRACKETS = re.compile(r"<\s*>|\(\s*\)|\[\s*\]")
_NOT_NAME = "\"'<>()[],;:/ \t"  # left at a name's ends once a contact is out
# Words written before a name that are no part of it: "Dr. Helen Vasquez" is Helen by first name
TITLES = frozenset(
    {
        "dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "rev", "revd",
        "fr", "sir", "dame", "coach", "capt", "sgt", "herr", "frau", "sr",
        "sra", "srta", "dra", "mme", "mlle",
    }
)  # fmt: skip


def name_without_contacts(name: str) -> str:
    """The name with any e-mail address or phone number in it taken out; may be empty."""
    without = _PHONE.sub(" ", _ADDRESS.sub(" ", name))
    if without == name:
        return " ".join(name.split())
    return " ".join(_EMPTY_BRACKETS.sub(" ", without).split()).strip(_NOT_NAME)


def first_name(name: str) -> str:
    """The first word of a name that is no title: "Dr. Helen Vasquez" is Helen; a title
    alone ("Dr.") stays, it is all the name there is."""
    words = [word.rstrip(",;:") for word in name.split(" ")]
    while len(words) > 1 and words[0].rstrip(".").casefold() in TITLES:
        words = words[1:]
    return words[0] or name


@dataclass
class Listener:
    name: str = ""
    contact: str = ""  # private: never exported unless asked for
    credit: Credit = Credit.FIRST

    @classmethod
    def typed(cls, name: str, contact: str = "", credit: Credit | str = Credit.FIRST) -> Listener:
        """A listener as a host types them in: an address or number typed as the name is
        their contact (when none is given) and never their name, as importers read it."""
        name, contact = " ".join(name.split()), contact.strip()
        without = name_without_contacts(name)
        if without != name and not contact:
            found = _ADDRESS.search(name) or _PHONE.search(name)
            contact = found.group(0).removeprefix("mailto:") if found else ""
        return cls(name=without, contact=contact, credit=Credit(credit))

    def public_name(self) -> str:
        """The name the show notes may print for this listener; empty when there is none
        (anonymous, or nothing but an address or a number)."""
        name = name_without_contacts(self.name)
        if Credit(self.credit) is Credit.ANONYMOUS or not name:
            return ""
        if Credit(self.credit) is Credit.FIRST:  # "Ravi, Leeds" is credited as Ravi
            return first_name(name)
        return name

    def credited_as(self) -> str:
        """The name the show notes print for this listener: "a listener" if none may be."""
        return self.public_name() or "a listener"


@dataclass
class Source:
    kind: str = "manual"
    ref: str | None = None  # forum URL, e-mail Message-ID, form row…


@dataclass
class Draft:
    host: str
    text: str
    updated_at: str


@dataclass
class Reference:
    title: str
    url: str = ""  # URL, DOI or PMID


@dataclass
class Answer:
    text: str
    host: str
    answered_at: str


@dataclass
class Reply:
    """A post that followed the question in its thread (forum replies, e-mail follow-ups)."""

    text: str
    author: str = ""
    is_host: bool = False
    # an e-mail follow-up's: when it was sent, and the key of the message (as a question's
    # import_key), so importing the same mail again does not add it twice
    received_at: str | None = None
    import_key: str | None = None


@dataclass
class HistoryEntry:
    at: str
    host: str
    action: str
    # field -> [before, after]; enough to undo the change
    changes: dict[str, list[Any]] = field(default_factory=dict)
    note: str = ""
    # a later undo reverted this change (worked out from that undo's `undoes` when read)
    undone: bool = False
    seq: int = 0  # its place in the question's history, from 1; 0 until it is stored
    undoes: int = 0  # for an undo: the seq of the entry it reverted


@dataclass
class Question:
    title: str
    body: str
    received_at: str
    id: int = 0
    source: Source = field(default_factory=Source)
    listener: Listener = field(default_factory=Listener)
    status: Status = Status.NEW
    host: str | None = None
    priority: int = 0
    tags: list[str] = field(default_factory=list)
    drafts: dict[str, Draft] = field(default_factory=dict)
    answer: Answer | None = None
    references: list[Reference] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    episode: int | None = None
    timestamp: str | None = None
    answered_on: str | None = None  # "air" or "forum"
    notes: str = ""
    decline_reason: str | None = None
    duplicate_of: int | None = None
    # near-duplicates found on import, for a host to confirm: [{"id": 48, "score": 87}]
    similar_to: list[dict[str, int]] = field(default_factory=list)
    asked_count: int = 1
    snoozed_until: str | None = None
    history: list[HistoryEntry] = field(default_factory=list)
    revision: int = 0
    # A stable fingerprint of where the question came from, so imports are idempotent.
    import_key: str | None = None
    # what a boostagram (Podcasting 2.0: Helipad's export) carried with it, in sats
    boost_sats: int | None = None

    def to_dict(self) -> dict[str, Any]:
        # orjson serialises dataclasses and enums natively: ~10x faster than walking them
        data: dict[str, Any] = orjson.loads(orjson.dumps(self))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        known = cls.__dataclass_fields__
        return cls(**{k: field_value(k, v) for k, v in data.items() if k in known})


def _listener(value: dict[str, Any] | None) -> Listener:
    listener = dict(value or {})
    if not all(isinstance(listener.get(k, ""), str) for k in ("name", "contact")):
        raise TypeError("a listener's name and contact are text")
    listener["credit"] = Credit(listener.get("credit") or Credit.FIRST)
    return Listener(**listener)


_REPLY = frozenset(Reply.__dataclass_fields__)
# How a field's plain (JSON) value becomes the model's; fields not named here are as they are.
_FIELDS: dict[str, Any] = {
    "source": lambda v: Source(**(v or {})),
    "listener": _listener,
    "status": lambda v: Status(v or Status.NEW),
    "drafts": lambda v: {h: Draft(**{"host": h, **d}) for h, d in (v or {}).items()},
    "answer": lambda v: Answer(**v) if v else None,
    "references": lambda v: [Reference(**r) for r in v or []],
    "replies": lambda v: [Reply(**{k: x for k, x in r.items() if k in _REPLY}) for r in v or []],
    "history": lambda v: _history(v or []),
    "tags": lambda v: list(v or []),
}


def field_value(name: str, value: Any) -> Any:
    """A question field's model value from its plain (JSON) one."""
    convert = _FIELDS.get(name)
    return value if convert is None else convert(value)


# What each plain field must be for the app to use it (None: may be absent); the rest are
# checked by converting them (_FIELDS).
_TYPES: dict[str, tuple[type | None, ...]] = {
    "title": (str,),
    "body": (str,),
    "received_at": (str,),
    "id": (int,),
    "revision": (int,),
    "priority": (int,),
    "asked_count": (int,),
    "notes": (str,),
    "host": (str, None),
    "episode": (int, None),
    "timestamp": (str, None),
    "snoozed_until": (str, None),
    "duplicate_of": (int, None),
    "import_key": (str, None),
}
_REQUIRED = ("title", "body", "received_at")
_DATES = ("received_at", "snoozed_until")  # compared and parsed as times by every view


def unreadable_fields(data: dict[str, Any]) -> list[str]:
    """The fields of a stored question that qa-queue cannot use as they are (a record that
    was damaged, or written by hand): what `from_dict` would fail on, a required field that
    is missing, a value of the wrong type, a time that does not parse."""
    bad = [name for name in _REQUIRED if name not in data]
    for name, value in data.items():
        try:
            field_value(name, value)
        except (ValueError, TypeError, KeyError, AttributeError):
            bad.append(name)
            continue
        if not _fits(name, value):
            bad.append(name)
    tags = data.get("tags")
    if "tags" not in bad and tags is not None and not all(isinstance(t, str) for t in tags):
        bad.append("tags")
    return bad


def _fits(name: str, value: Any) -> bool:
    kinds = _TYPES.get(name, ())
    if kinds and not any(value is None if k is None else isinstance(value, k) for k in kinds):
        return False
    return name not in _DATES or value is None or _a_time(value)


def _a_time(value: str) -> bool:
    try:
        from_iso(value)
    except (ValueError, OverflowError):
        return False
    return True


_ENTRY_FIELDS = frozenset(HistoryEntry.__dataclass_fields__)


def _history(entries: list[dict[str, Any]]) -> list[HistoryEntry]:
    history = [HistoryEntry(**{k: v for k, v in e.items() if k in _ENTRY_FIELDS}) for e in entries]
    reverted = {entry.undoes for entry in history if entry.undoes}
    for entry in history:
        if entry.seq in reverted:
            entry.undone = True
    return history


@dataclass
class Episode:
    number: int
    title: str = ""
    air_date: str | None = None  # YYYY-MM-DD
    # question ids in air order; each question carries its own timestamp
    question_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Episode:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Host:
    id: str  # short handle: "austin"
    name: str  # display name: "Austin"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
