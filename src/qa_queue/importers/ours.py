"""Our own JSON and JSONL: questions as Question.to_dict() writes them, the demo data file, and
the shapes people write by hand (README, "JSON and JSONL")."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

import orjson

from ..errors import BadInput
from ..model import workflow
from ..model.dates import to_iso, zone_name
from ..model.question import Question, name_without_contacts
from ..text import printable
from .boosts import read_boosts, records_in
from .chat import read_chat
from .common import ImportBatch, Known, fingerprint, parse_date, place, title_from
from .form_cells import tags_of as split_tags

NoneType = type(None)
DEMO_FORMAT = "qa-queue-demo"
# The type each top-level field must have; nested records are checked by building them.
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "body": (str,),
    "received_at": (str,),
    "id": (int,),
    "source": (dict,),
    "listener": (dict,),
    "status": (str,),
    "host": (str, NoneType),
    "priority": (int,),
    "tags": (list,),
    "drafts": (dict,),
    "answer": (dict, NoneType),
    "references": (list,),
    "replies": (list,),
    "episode": (int, NoneType),
    "timestamp": (str, NoneType),
    "answered_on": (str, NoneType),
    "notes": (str,),
    "decline_reason": (str, NoneType),
    "duplicate_of": (int, NoneType),
    "asked_count": (int,),
    "snoozed_until": (str, NoneType),
    "history": (list,),
    "revision": (int,),
    "import_key": (str, NoneType),
}
RECORD_LISTS = ("references", "replies", "history")


def _check_types(data: dict[str, Any]) -> None:
    for key, types in FIELD_TYPES.items():
        if key not in data:
            continue
        value = data[key]
        # JSON true/false are ints to Python; a priority of true is still a mistake.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            wanted = " or ".join("null" if t is NoneType else t.__name__ for t in types)
            raise ValueError(f"{key} should be {wanted}, not {type(value).__name__}")
    for key in RECORD_LISTS:
        if any(not isinstance(item, dict) for item in data.get(key) or []):
            raise ValueError(f"every entry of {key} should be an object")
    if any(not isinstance(tag, str) for tag in data.get("tags") or []):
        raise ValueError("tags should be strings")
    if any(not isinstance(d, dict) for d in (data.get("drafts") or {}).values()):
        raise ValueError("every draft should be an object")


# What people call the listener's words when they write a file by hand, in order of preference
BODY_KEYS = ("body", "question", "text", "message")
# and the other fields, when they are not ours
_ALIASES = {
    "e-mail": "email",
    "mail": "email",
    "date": "received_at",
    "timestamp": "received_at",
    "time": "received_at",
    "submitted_at": "received_at",
    "created_at": "received_at",
    "received": "received_at",
}
_TIMES = {"received_at", *(alias for alias, key in _ALIASES.items() if key == "received_at")}
_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;]+\.[a-z]{2,}", re.I)


def _hand_written(data: dict[str, Any], now: str) -> dict[str, Any]:
    """A question as people write one by hand, in the shape Question.to_dict() writes it:
    "question"/"text"/"message" for the body, no title (its first sentence), no received_at
    (now), the listener as a string ("Ravi", "ravi@example.com", "Ravi <ravi@example.com>")
    or as "name"/"email" beside it, tags as one comma-separated string."""
    data = dict(data)
    for key in [key for key in data if isinstance(key, str) and key != key.lower()]:
        data.setdefault(key.lower(), data.pop(key))  # "Question", "Name", "Email"
    for written_as, key in _ALIASES.items():
        if written_as in data and key not in data:
            data[key] = data.pop(written_as)
    if "body" not in data:
        alias = next((key for key in BODY_KEYS if isinstance(data.get(key), str)), None)
        if alias is not None:
            data["body"] = data.pop(alias)
    title = data.get("title")
    if "body" not in data and isinstance(title, str) and title.strip():  # asked in its title
        data["body"] = title
    if "title" not in data and isinstance(data.get("body"), str):
        data["title"] = title_from(data["body"])
    if now:
        data.setdefault("received_at", now)
    if isinstance(data.get("listener"), str):
        data["listener"] = _listener(data["listener"])
    elif isinstance(data.get("listener"), dict):
        data["listener"] = _listener_fields(data["listener"])
    for key in _TIMES & data.keys():
        if isinstance(data[key], int | float) and not isinstance(data[key], bool):
            data[key] = str(data[key])  # epoch seconds or milliseconds, as a CSV has them
    if "listener" not in data and {"name", "email"} & data.keys():
        name, email = data.pop("name", ""), data.pop("email", "")
        if isinstance(name, str) and isinstance(email, str):
            data["listener"] = {**_listener(name), **({"contact": email} if email else {})}
    if isinstance(data.get("tags"), str):
        data["tags"] = split_tags(data["tags"])
    return data


def _one_question(data: dict[str, Any]) -> bool:
    """An object that is one question: it has a title or words ("question", "Text"…)."""
    keys = {key.lower() for key in data if isinstance(key, str)}
    return bool(keys & {"title", *BODY_KEYS})


def _listener_fields(data: dict[str, Any]) -> dict[str, Any]:
    """A listener object as people write one: {"Name": …, "email": …} is name and contact."""
    fields = {str(key).lower(): value for key, value in data.items()}
    for written_as in ("email", "e-mail", "mail", "address"):
        if written_as in fields and "contact" not in fields:
            fields["contact"] = fields.pop(written_as)
    return {key: value for key, value in fields.items() if key in ("name", "contact", "credit")}


def _listener(text: str) -> dict[str, str]:
    """ "Ravi" -> name; "ravi@example.com" -> contact; "Ravi <ravi@example.com>" -> both."""
    address = _ADDRESS.search(text)
    contact = address.group().removeprefix("mailto:") if address else ""
    name = name_without_contacts(text)
    if not contact and not name and sum(ch.isdigit() for ch in text) >= 7:
        contact = " ".join(text.split())  # a phone number: how to reach them, not a name
    return {"name": name, "contact": contact}


@dataclass
class _Reading:
    now: str  # UTC ISO: a question without a received_at was received now
    zone: tzinfo = UTC  # a time written without a zone is in this one (the host's)
    naive: str = ""  # the first time read without a zone, for the report


def _received(written: str, reading: _Reading) -> tuple[str, str]:
    """(when it was received, in the host's zone when the file gives none; the same read as
    UTC, for its import key: the same file is the same questions wherever it is imported)."""
    received_at = parse_date(written, zone=reading.zone)
    as_utc = received_at if reading.zone is UTC else parse_date(written, zone=UTC)
    if as_utc != received_at and not reading.naive:
        reading.naive = written
    return received_at, as_utc


def _question(data: Any, reading: _Reading) -> Question:
    """A Question from one of our dicts; ValueError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError(f"a question should be an object, not {type(data).__name__}")
    given = next((data[k] for k in data if isinstance(k, str) and k.lower() in _TIMES), None)
    data = _hand_written(data, reading.now)
    missing = [key for key in ("body", "received_at") if key not in data]
    if missing:
        what = {"body": "no question text (body, question, text or message)"}
        raise ValueError(", ".join(what.get(key, f"no {key}") for key in missing))
    _check_types(data)
    if not data["title"].strip():
        raise ValueError("the title is empty")
    try:
        received_at, keyed_at = _received(data["received_at"], reading)
    except ValueError as error:  # the date reader's words: which zone, what to write instead
        raise ValueError(f"received_at: {error}") from None
    try:
        question = Question.from_dict({**data, "received_at": received_at})
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise ValueError(str(error).splitlines()[0] if str(error) else "malformed") from None
    if not question.import_key:
        # from what the file says, never from `now`: the same file imported again is the same
        key = (question.title, question.body, keyed_at if given is not None else "")
        question.import_key = "json:" + fingerprint(*key)
    return question


def _unknown_hosts(question: Question, known: Known) -> str | None:
    """Why the question names a host the show does not have, or None."""
    named = [question.host, question.answer.host if question.answer else None]
    unknown = [h for h in dict.fromkeys([*named, *question.drafts]) if h and h not in known.hosts]
    if not unknown:
        return None
    hosts = ", ".join(sorted(known.hosts)) or "none yet: add them with `qa-queue hosts add`"
    return f"host {unknown[0]!r} is not one of the show's hosts ({hosts})"


def _demo_links(data: dict[str, Any], batch: ImportBatch) -> dict[str, Any]:
    """Demo questions carry a "key" and link duplicates by key: turn both into import keys."""
    data = dict(data)
    key = data.pop("key", None)
    if isinstance(key, str) and key:
        data.setdefault("import_key", f"demo:{key}")
        original = data.get("duplicate_of")
        if isinstance(original, str):
            batch.duplicates[data["import_key"]] = f"demo:{original}"
            data["duplicate_of"] = None
    return data


def _collect(
    items: list[Any],
    places: list[str],
    name: str,
    demo: bool,
    reading: _Reading,
    known: Known | None,
) -> ImportBatch:
    """The questions of a file, each checked on its own and against the others: the workflow's
    rules, its hosts and the question it duplicates (in the file, by its "id", or in the
    database); `known` None skips what needs the database (the demo file)."""
    batch = ImportBatch()
    read: list[tuple[Question, str]] = []
    keys: dict[int, str] = {}  # a file's own "id" -> the import key of that question
    first_at: dict[str, str] = {}  # import key -> where the file first has that question
    for item, where in zip(items, places, strict=True):
        try:
            if demo and isinstance(item, dict):
                item = _demo_links(item, batch)
            question = _question(item, reading)
            if question.id and question.id in keys:
                raise ValueError(f"id {question.id} is used by another question in the file")
            if question.id:
                keys[question.id] = question.import_key or ""
            earlier = first_at.setdefault(question.import_key or where, where)
            if earlier != where:  # not "already there" on a first import: said as CSV says it
                batch.notes.append(f"{where} repeats {earlier} (the same words): imported once")
                continue
            read.append((question, where))
        except ValueError as error:
            batch.rejected.append(place(name, where, str(error)))
    accepted: list[tuple[Question, str]] = []
    for question, where in read:
        try:
            _link(question, keys, batch, known)
            linked = question.import_key in batch.duplicates  # its original is linked later
            rules = workflow.broken(replace(question, duplicate_of=0) if linked else question)
            if rules:
                raise ValueError(f"cannot be {question.status}: {'; '.join(rules)}")
            if known is not None and (unknown := _unknown_hosts(question, known)):
                raise ValueError(unknown)
            accepted.append((question, where))
        except ValueError as error:
            batch.duplicates.pop(question.import_key or "", None)
            batch.rejected.append(place(name, where, str(error)))
    # a duplicate whose original in the file was rejected would be stored linked to nothing
    kept = {question.import_key for question, _ in accepted}
    left_out = {question.import_key for question, _ in read} - kept
    for question, where in accepted:
        if batch.duplicates.get(question.import_key or "") in left_out:
            del batch.duplicates[question.import_key or ""]
            batch.rejected.append(place(name, where, "the question it duplicates was rejected"))
        else:
            batch.questions.append(question)
    return batch


def _link(
    question: Question, keys: dict[int, str], batch: ImportBatch, known: Known | None
) -> None:
    """duplicate_of names the file's own "id" of another question there, or one in the
    database: the first becomes a link by import key, resolved once both are stored."""
    original = question.duplicate_of
    if original is None or known is None:
        return
    if original == question.id:
        raise ValueError("a question cannot be a duplicate of itself")
    if original in keys:
        batch.duplicates[question.import_key or ""] = keys[original]
        question.duplicate_of = None
    elif not known.has_question(original):
        raise ValueError(
            f"duplicate_of {original}: there is no question {original} in the "
            "file or in the database"
        )


def _json_error(error: orjson.JSONDecodeError) -> str:
    """orjson's reason in a host's words, with what stands where it stopped."""
    reason = error.msg
    if reason.startswith("invalid literal"):  # "invalid literal, expected 'true'" for any word
        reason = "expected a value"
    elif reason.startswith("unexpected end of data"):
        return "not valid JSON: it ends in the middle (cut off?)"
    found = error.doc[error.pos : error.pos + 24].split("\n", 1)[0].strip()
    at = f' at "{printable(found, single_line=True)}"' if found else ""
    return f"not valid JSON{at} ({reason})"


def _loads(text: str, name: str, line_offset: int = 0) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        where = f"line {error.lineno + line_offset}, column {error.colno}"
        raise BadInput(place(name, where, _json_error(error))) from None


def _looks_like_jsonl(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return isinstance(orjson.loads(first), dict)
    except orjson.JSONDecodeError:
        return False


def parse_json(
    text: str,
    *,
    name: str,
    now: str = "",
    known: Known | None = None,
    zone: tzinfo = UTC,
    hosts: Collection[str] = (),
) -> ImportBatch:
    """Questions from a JSON list, our export ({"questions": […]}), the demo data file, a
    chat channel's export (Slack, Discord: importers/chat.py) or Podcasting 2.0 boostagrams
    (importers/boosts.py).

    `now` (UTC ISO) dates a question that gives no received_at; `known` is what the database
    holds that the questions may name (hosts, question ids); `hosts` are the hosts' names,
    whose messages in a chat are not questions."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        # One question per line in a file named .json: read it as the JSONL it is.
        if error.lineno > 1 and _looks_like_jsonl(text):
            return parse_jsonl(text, name=name, now=now, known=known, zone=zone)
        data = _loads(text, name)
    chat = read_chat(data, name=name, hosts=hosts)  # known by its shape, not the file's name
    if chat is not None:
        return chat
    boosts = records_in(data)  # Podcasting 2.0 boostagrams, known by their keys too
    if boosts is not None:
        return read_boosts(boosts, name=name, received_at=now or to_iso(datetime.now(UTC)))
    meta: dict[str, Any] = {}
    if isinstance(data, dict) and isinstance(data.get("questions"), list):
        meta = {key: value for key, value in data.items() if key != "questions"}
        items = data["questions"]
    elif isinstance(data, dict) and _one_question(data):
        items = [data]  # one question, written by hand
    elif isinstance(data, list):
        items = data
    else:
        raise BadInput(
            f"{name}: line 1: expected a list of questions or an object with a questions list"
        )
    _refuse_without_text(items, name, "item")
    places = [f"question {number}" for number in range(1, len(items) + 1)]
    demo = meta.get("format") == DEMO_FORMAT
    reading = _Reading(now, zone)
    batch = _collect(items, places, name, demo, reading, known)
    batch.meta = meta
    batch.notes += _zoneless(reading)
    return batch


def parse_jsonl(
    text: str, *, name: str, now: str = "", known: Known | None = None, zone: tzinfo = UTC
) -> ImportBatch:
    """Questions from JSON Lines: one question object per line, blank lines skipped; `now`
    and `known` as for parse_json."""
    items: list[Any] = []
    places: list[str] = []
    broken: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                items.append(_loads(line, name, line_offset=number - 1))
            except BadInput as error:  # one broken line is rejected, the others still read
                if not items and len(broken) >= 2:  # three before any question: no JSON Lines
                    raise BadInput(broken[0]) from None
                broken.append(str(error))
                continue
            places.append(f"line {number}")
    if not items:
        if broken:
            raise BadInput(broken[0])
        raise BadInput(f"{name}: the file is empty")
    _refuse_without_text(items, name, "line")
    reading = _Reading(now, zone)
    batch = _collect(items, places, name, False, reading, known)
    batch.rejected = broken + batch.rejected
    batch.notes += _zoneless(reading)
    return batch


def _has_text(item: Any) -> bool:
    """Whether the item names its words (under any of BODY_KEYS, or as a title alone); ours
    may be empty beside a title, so an empty text still counts."""
    return isinstance(item, dict) and isinstance(_hand_written(item, "").get("body"), str)


def _refuse_without_text(items: list[Any], name: str, unit: str) -> None:
    """Several items and not one with a question text: another app's data, not questions.
    One line says so, where rejecting each item would print a line per item."""
    if len(items) > 1 and not any(_has_text(item) for item in items):
        raise BadInput(
            f"{name}: no {unit} has a question text: expected questions with a body, "
            "question, text or message (README: JSON and JSONL)"
        )


def _zoneless(reading: _Reading) -> list[str]:
    """The report's word on times written without a zone, as for a CSV (form.py)."""
    if not reading.naive:
        return []
    return [
        f"times without a zone read in your time zone ({zone_name(datetime.now(reading.zone))})"
    ]
