"""Our own JSON and JSONL: questions as Question.to_dict() writes them, and the demo data file."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson

from ..errors import BadInput
from ..model import workflow
from ..model.dates import from_iso, to_iso
from ..model.question import Question
from .common import ImportBatch, fingerprint, place

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


def _question(data: Any) -> Question:
    """A Question from one of our dicts; ValueError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError(f"a question should be an object, not {type(data).__name__}")
    missing = [key for key in ("title", "body", "received_at") if key not in data]
    if missing:
        raise ValueError(f"no {', '.join(missing)}")
    _check_types(data)
    if not data["title"].strip():
        raise ValueError("the title is empty")
    try:
        received_at = to_iso(from_iso(data["received_at"]))
    except (ValueError, OverflowError):
        raise ValueError(f"received_at {data['received_at']!r} is not an ISO date") from None
    try:
        question = Question.from_dict({**data, "received_at": received_at})
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise ValueError(str(error).splitlines()[0] if str(error) else "malformed") from None
    if not question.import_key:
        question.import_key = "json:" + fingerprint(question.title, question.body, received_at)
    return question


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


def _collect(items: list[Any], places: list[str], name: str, demo: bool) -> ImportBatch:
    batch = ImportBatch()
    for item, where in zip(items, places, strict=True):
        try:
            if demo and isinstance(item, dict):
                item = _demo_links(item, batch)
            question = _question(item)
            linked = question.import_key in batch.duplicates  # its original is linked later
            rules = workflow.broken(replace(question, duplicate_of=0) if linked else question)
            if rules:
                raise ValueError(f"cannot be {question.status}: {'; '.join(rules)}")
            batch.questions.append(question)
        except ValueError as error:
            batch.rejected.append(place(name, where, str(error)))
    return batch


def _loads(text: str, name: str, line_offset: int = 0) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        line = error.lineno + line_offset
        raise BadInput(place(name, f"line {line}", f"not valid JSON ({error.msg})")) from None


def _looks_like_jsonl(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return isinstance(orjson.loads(first), dict)
    except orjson.JSONDecodeError:
        return False


def parse_json(text: str, *, name: str) -> ImportBatch:
    """Questions from a JSON list, our export ({"questions": […]}) or the demo data file."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        # One question per line in a file named .json: read it as the JSONL it is.
        if error.lineno > 1 and _looks_like_jsonl(text):
            return parse_jsonl(text, name=name)
        data = _loads(text, name)
    meta: dict[str, Any] = {}
    if isinstance(data, dict) and isinstance(data.get("questions"), list):
        meta = {key: value for key, value in data.items() if key != "questions"}
        items = data["questions"]
    elif isinstance(data, dict) and "title" in data:
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise BadInput(
            f"{name}: line 1: expected a list of questions or an object with a questions list"
        )
    places = [f"question {number}" for number in range(1, len(items) + 1)]
    batch = _collect(items, places, name, demo=meta.get("format") == DEMO_FORMAT)
    batch.meta = meta
    return batch


def parse_jsonl(text: str, *, name: str) -> ImportBatch:
    """Questions from JSON Lines: one question object per line, blank lines skipped."""
    items, places = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            items.append(_loads(line, name, line_offset=number - 1))
            places.append(f"line {number}")
    if not items:
        raise BadInput(f"{name}: the file is empty")
    return _collect(items, places, name, demo=False)
