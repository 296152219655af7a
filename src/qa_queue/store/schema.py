"""What a stored question looks like on disk: schema version, migrations, index summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NotRequired, TypedDict

FORMAT = "qa-queue"
# The TinyDB tables: question summaries, episodes by number, and one settings document.
QUESTIONS, EPISODES, SETTINGS = "questions", "episodes", "settings"
SETTINGS_ID = 1
# 1: one JSON line per question version, each carrying its whole history (store/legacy.py)
# 2: framed records; history entries are records of their own (store/records.py)
SCHEMA = 2

# MIGRATIONS[n] turns a schema-n question document (without its history) into schema n+1.
# Opening an older database runs them over every question once, into a new generation; a
# newer database is refused. Schema 1 documents have the same shape as schema 2 ones: what
# changed is how they are stored, which store/legacy.py reads.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def migrate(doc: dict[str, Any], from_schema: int) -> dict[str, Any]:
    for version in range(max(from_schema, 2), SCHEMA):
        doc = MIGRATIONS[version](doc)
    return doc


class Summary(TypedDict):
    """A question's summary: what lives in memory for listing, filtering and sorting. The
    store adds where the question's record is and its history (`_loc`, `_h`)."""

    id: int
    title: str
    status: str
    host: str | None
    priority: int
    tags: list[str]
    listener: str
    received_at: str
    updated_at: str
    episode: int | None
    timestamp: str | None
    duplicate_of: int | None
    asked_count: int
    snoozed_until: str | None
    revision: int
    source: str
    import_key: str | None
    drafts: list[str]
    answered_by: str | None
    _loc: NotRequired[list[int]]  # [offset, length] of the question's record
    _h: NotRequired[list[int]]  # [head offset, head length, entries, bytes] of its history


def summary(doc: dict[str, Any], updated_at: str | None = None) -> Summary:
    """The small part of a question that lives in memory for listing, filtering and sorting."""
    listener = doc.get("listener") or {}
    source = doc.get("source") or {}
    return {
        "id": doc["id"],
        "title": doc.get("title", ""),
        "status": doc.get("status", "new"),
        "host": doc.get("host"),
        "priority": doc.get("priority", 0),
        "tags": doc.get("tags") or [],
        "listener": listener.get("name", ""),
        "received_at": doc.get("received_at", ""),
        "updated_at": updated_at or doc.get("received_at", ""),
        "episode": doc.get("episode"),
        "timestamp": doc.get("timestamp"),
        "duplicate_of": doc.get("duplicate_of"),
        "asked_count": doc.get("asked_count", 1),
        "snoozed_until": doc.get("snoozed_until"),
        "revision": doc.get("revision", 0),
        "source": source.get("kind", "manual"),
        "import_key": doc.get("import_key"),
        "drafts": sorted((doc.get("drafts") or {}).keys()),
        "answered_by": (doc.get("answer") or {}).get("host"),
    }
