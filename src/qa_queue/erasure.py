"""Forgetting a listener (a GDPR-style erasure request): `qa-queue forget`.

The listener is found by contact (case-insensitive), by name (case- and whitespace-
insensitive; both NFKC-normalised, so a composed "ë" finds a decomposed one) or by one
of their questions (``#12``: that question's contact and name).
What goes, in every version of every question concerned (the current one and every history
entry, whose `changes` hold whole fields before and after):

- in their questions: their name and contact (the listener record; the credit level stays),
  where the question came from (`source.ref`: a Message-ID, a forum URL with their
  user name) and the import key (derived from the address or the Message-ID); with
  `questions`, also the title and their words, which become REMOVED;
- in any question: the replies they wrote lose their author (and, with `questions`, their
  text); their name and contact written anywhere in a question's texts (hosts' notes,
  drafts, answers, other replies, history notes) become MASK. The hosts' drafts and answers
  are otherwise kept: they are the hosts' words (an answer that quotes the question in
  other words is the hosts' to edit).

Each question changed gets a history entry ("forget", by the host) that names no one. The
rewrite itself, and the removal of the old files' bytes, is the store's (store/erase.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import orjson

from .errors import BadInput
from .model.history import FORGET
from .model.question import HistoryEntry, plain
from .store import Store
from .store.erase import erase, mentions
from .store.generation import QuestionCopy

REMOVED = "removed at the listener's request"
MASK = "[removed]"
NOTE = "the listener's name and contact removed at their request"
NOTE_WORDS = "the listener's name, contact and words removed at their request"
NOTE_REPLIES = "a listener's name removed from the replies at their request"
NOTE_HISTORY = "a listener's name removed from this question's history at their request"


def _name(text: str) -> str:
    # NFKC: "Zoë" typed composed is the "Zoe\u0308" an import stored decomposed
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _contact(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def written(texts: Iterable[str]) -> set[str]:
    """Every way `texts` may be written in a file or a field: as given, composed and
    decomposed (what is masked and searched for)."""
    forms: tuple[Literal["NFC", "NFD", "NFKC", "NFKD"], ...] = ("NFC", "NFD", "NFKC", "NFKD")
    return {unicodedata.normalize(f, t) for t in texts if t.strip() for f in forms} | {
        t for t in texts if t.strip()
    }


@dataclass(frozen=True)
class Who:
    """A listener as the host named them: the names and contacts that are theirs."""

    said: str
    names: frozenset[str]  # normalised (_name)
    contacts: frozenset[str]  # normalised (_contact)
    # the names and contacts on their questions too: whose replies are theirs (find)
    authors: frozenset[str] = frozenset()
    # questions whose listener an earlier forget took out, named by #ID: what is left of them
    # (their words) can only be found by number
    ids: frozenset[int] = frozenset()

    def owns(self, doc: dict[str, Any]) -> bool:
        """Whether a question is theirs (by number, contact or name)."""
        return doc.get("id") in self.ids or self.is_them(doc.get("listener"))

    def is_them(self, listener: Any) -> bool:
        """Whether a question's listener record is theirs (by contact or by name)."""
        if not isinstance(listener, dict):
            return False
        return _among(listener.get("contact"), _contact, self.contacts) or _among(
            listener.get("name"), _name, self.names
        )

    def wrote(self, reply: Any) -> bool:
        """Whether a reply is theirs (its author is their name or contact; a host's is not)."""
        if not isinstance(reply, dict) or reply.get("is_host"):
            return False
        author = reply.get("author")
        return (
            _among(author, _name, self.names)
            or _among(author, _contact, self.contacts)
            or _among(author, _name, self.authors)
        )


def _among(text: Any, normalise: Any, known: frozenset[str]) -> bool:
    return isinstance(text, str) and bool(text.strip()) and normalise(text) in known


def who(store: Store, *said: str) -> Who:
    """The listener `said` names: contacts or names, or ``#12`` for question 12's listener,
    or question 12 itself when an earlier forget took its listener out (BadInput if that
    question names no one and was never forgotten; NotFound if there is no such question)."""
    texts = [text.strip() for text in said]
    if not texts or not all(texts):
        raise BadInput("name the listener to forget: their contact, their name, or #ID")
    names, contacts, ids = set(), set(), set()
    for text in texts:
        number = re.fullmatch(r"#\s*(\d+)", text)
        if number is None:
            names.add(_name(text))
            contacts.add(_contact(text))
            continue
        doc = store.get(int(number.group(1)))
        listener = doc.get("listener") or {}
        name, contact = str(listener.get("name") or ""), str(listener.get("contact") or "")
        if name.strip() or contact.strip():
            names.add(_name(name))
            contacts.add(_contact(contact))
        elif forgotten(doc):
            ids.add(doc["id"])
        else:
            raise BadInput(
                f"question {text} names no listener (no name or contact): nothing to forget"
            )
    return Who(
        " ".join(texts), frozenset(names - {""}), frozenset(contacts - {""}), ids=frozenset(ids)
    )


def forgotten(doc: dict[str, Any]) -> bool:
    """Whether an earlier forget took the question's listener out (its history says so)."""
    notes = (NOTE, NOTE_WORDS)
    return any(e.get("action") == FORGET and e.get("note") in notes for e in doc["history"])


@dataclass
class Found:
    """What forgetting a listener would change, as the database is now."""

    who: Who
    # (id, name, contact, title) of each of their questions
    theirs: list[tuple[int, str, str, str]] = field(default_factory=list)
    replies_in: list[int] = field(default_factory=list)  # other questions with their replies
    # questions an earlier forget took a listener out of, their words kept: theirs, maybe
    earlier: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.theirs and not self.replies_in

    def texts(self) -> set[str]:
        """Their names and contacts as written (what is masked, and searched for after)."""
        found = {t for _id, name, contact, _title in self.theirs for t in (name, contact)}
        return written(found | set(self.who.names) | set(self.who.contacts))


def _words_kept(doc: dict[str, Any]) -> bool:
    """A question that names no listener and still has its title: one a forget without
    --questions left, maybe (its history says)."""
    listener = doc.get("listener") or {}
    return not (listener.get("name") or listener.get("contact")) and doc.get("title") != REMOVED


def find(store: Store, target: Who) -> Found:
    """Their questions, and other questions holding replies they wrote under any name or
    contact their questions carry (one read of each question: the contact is not in the
    index)."""
    found, docs = Found(target), []
    for summary in list(store.summaries()):
        doc = store.get(summary["id"], history=False)
        listener = doc.get("listener") or {}
        if target.owns(doc):
            name, contact = str(listener.get("name") or ""), str(listener.get("contact") or "")
            found.theirs.append((doc["id"], name, contact, str(doc.get("title") or "")))
        elif _words_kept(doc) and forgotten(store.get(doc["id"])):  # a history costs a walk
            found.earlier.append(doc["id"])
        if doc.get("replies") and not target.owns(doc):
            docs.append(doc)
    authors = {_name(t) for _id, name, contact, _title in found.theirs for t in (name, contact)}
    found.who = replace(target, authors=frozenset(authors - {""}))
    found.replies_in = [
        doc["id"] for doc in docs if any(found.who.wrote(reply) for reply in doc["replies"])
    ]
    return found


@dataclass
class Forgotten:
    theirs: list[int] = field(default_factory=list)
    replies_in: list[int] = field(default_factory=list)
    mentioned: list[int] = field(default_factory=list)  # others whose words still name them
    history: list[int] = field(default_factory=list)  # others whose old values named them
    kept_words: list[int] = field(default_factory=list)  # theirs, whose words stay (no --questions)
    places: list[str] = field(default_factory=list)  # outside the questions (other_places)
    files: list[Path] = field(default_factory=list)  # files that still hold their name/contact
    done: list[str] = field(default_factory=list)


class Redaction:
    """Takes a listener out of a question's current version and every history entry."""

    def __init__(self, target: Who, texts: Iterable[str], words: bool, by: str, at: str):
        self.target, self.words, self.by, self.at = target, words, by, at
        patterns = []
        for text in sorted({t for t in texts if t.strip()}, key=len, reverse=True):
            patterns.append(r"\s+".join(re.escape(word) for word in text.split()))
        self._mask = (
            re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.IGNORECASE)
            if patterns
            else None
        )

    def mask(self, text: Any) -> Any:
        if not isinstance(text, str) or self._mask is None:
            return text
        return self._mask.sub(MASK, text)

    def names_them(self, data: Any) -> bool:
        return self._mask is not None and bool(self._mask.search(orjson.dumps(data).decode()))

    def value(self, name: str, value: Any, theirs: bool) -> Any:
        """A question field's value (current, or before/after in a history entry) without
        the listener."""
        if name == "listener" and theirs and isinstance(value, dict):
            return {**value, "name": "", "contact": ""}
        if name == "source" and theirs and isinstance(value, dict):
            return {**value, "ref": None}
        if name == "import_key" and theirs:
            return None
        if name in ("title", "body") and theirs and self.words:
            return REMOVED if value else value
        if name in ("title", "body", "notes", "decline_reason"):
            return self.mask(value)
        if name == "replies" and isinstance(value, list):
            return [self._reply(reply, theirs) for reply in value]
        if name == "answer" and isinstance(value, dict):
            return {**value, "text": self.mask(value.get("text"))}
        if name == "drafts" and isinstance(value, dict):
            return {
                host: {**d, "text": self.mask(d.get("text"))} if isinstance(d, dict) else d
                for host, d in value.items()
            }
        if name == "references" and isinstance(value, list):
            return [
                {**r, "title": self.mask(r.get("title")), "url": self.mask(r.get("url"))}
                if isinstance(r, dict)
                else r
                for r in value
            ]
        return value

    def _reply(self, reply: Any, theirs: bool) -> Any:
        if not isinstance(reply, dict):
            return reply
        if reply.get("import_key") and (theirs or self.target.wrote(reply)):
            # an e-mailed follow-up's key holds its Message-ID, which may hold their address
            reply = {**reply, "import_key": None}
        if self.target.wrote(reply):
            text = REMOVED if self.words and reply.get("text") else self.mask(reply.get("text"))
            return {**reply, "author": "", "text": text}
        author, text = self.mask(reply.get("author")), self.mask(reply.get("text"))
        return {**reply, "author": author, "text": text}

    def copy(self, question: QuestionCopy) -> tuple[QuestionCopy | None, str]:
        """The question without the listener, with a "forget" entry, or None if it holds
        nothing of theirs; and why ("theirs", "replies", "history", "" or "mentioned":
        "history" and "mentioned" together are "history mentioned")."""
        doc = question.doc
        theirs = self.target.owns(doc)
        replies = any(self.target.wrote(r) for r in doc.get("replies") or [])
        if theirs or replies:
            new = {name: self.value(name, value, theirs) for name, value in doc.items()}
            history = [self._entry(entry, theirs) for entry in question.history]
            why = "theirs" if theirs else "replies"
            note = (NOTE_WORDS if self.words else NOTE) if theirs else NOTE_REPLIES
        else:
            # another question: its current words are the hosts' to edit (listed), but old
            # values the hosts replaced, still in its history, go like theirs
            new = dict(doc)
            history = [self._entry(entry, False, current=doc) for entry in question.history]
            why = "history" if history != question.history else ""
            note = NOTE_HISTORY
            if self.names_them(doc) or self.names_them(history):
                why = f"{why} mentioned".strip()
        if new == doc and history == question.history:
            # nothing of theirs left in it (forgotten already): no forget entry
            return None, "mentioned" if "mentioned" in why else ""
        new["revision"] = int(doc.get("revision") or 0) + 1
        seq = max([int(e.get("seq") or 0) for e in history] + [len(history)]) + 1
        entry = HistoryEntry(at=self.at, host=self.by, action=FORGET, note=note, seq=seq)
        history.append(plain(entry))
        return QuestionCopy(question.question_id, new, history, self.at), why

    def _entry(
        self, entry: dict[str, Any], theirs: bool, current: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A history entry without the listener; a value still `current` (the question's
        field as it is now) is kept as it is, so the history still leads to it."""
        changes = entry.get("changes")
        if isinstance(changes, dict):
            changes = {
                name: [
                    side
                    if current is not None and side == current.get(name)
                    else self.value(name, side, theirs)
                    for side in sides
                ]
                if isinstance(sides, list)
                else sides
                for name, sides in changes.items()
            }
        return {**entry, "changes": changes, "note": self.mask(entry.get("note"))}


def forget(store: Store, found: Found, *, words: bool, by: str, at: str) -> Forgotten:
    """Take the listener `found` names out of every file of the database (see the module's
    docstring); the questions are decided again under the lock, as they are by then."""
    texts = found.texts()
    redaction = Redaction(found.who, texts, words, by, at)
    result = Forgotten()

    def change(question: QuestionCopy) -> QuestionCopy | None:
        changed, why = redaction.copy(question)
        number = question.question_id
        lists = {
            "theirs": result.theirs,
            "replies": result.replies_in,
            "history": result.history,
            "mentioned": result.mentioned,
        }
        for word in why.split():
            lists[word].append(number)
        if why == "theirs" and not words and question.doc.get("title") != REMOVED:
            result.kept_words.append(number)
        return changed

    result.done = erase(store, change).done
    result.files = mentions(store.path, texts)
    result.places = other_places(store, redaction)
    return result


def other_places(store: Store, redaction: Redaction) -> list[str]:
    """What outside the questions names them: the hosts' saved replies and episodes (the
    hosts' words, theirs to edit or remove), as "saved reply 'thanks'", "episode 212"."""
    found = [
        f"saved reply {reply.get('name')!r}"
        for reply in store.settings().get("saved_replies", [])
        if redaction.names_them(reply)
    ]
    found += [f"episode {e.get('number')}" for e in store.episodes() if redaction.names_them(e)]
    return found


def left_behind(store: Store, texts: Iterable[str]) -> list[Path]:
    """The database's files that still hold any of `texts` (see store.erase.mentions)."""
    return mentions(store.path, written(texts))
