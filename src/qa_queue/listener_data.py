"""What the database holds about a listener (a data-access request): `qa-queue listener
show`. It finds them as `forget` does (erasure.who and erasure.find), so what it shows is
what a forget would take out, and what it lists as naming them is what a forget reports."""

from __future__ import annotations

from typing import Any

from .erasure import Redaction, Who, find, other_places
from .store import Store

# a question's fields that are about or by its listener, or the hosts' words on it
FIELDS = (
    "id", "title", "body", "listener", "source", "received_at", "status", "tags", "notes",
    "drafts", "answer", "replies", "episode", "history",
)  # fmt: skip


def held(store: Store, target: Who) -> dict[str, Any]:
    """Their questions (whole, with history), their replies in other questions, and the
    questions (by number), saved replies and episodes whose words name them."""
    found = find(store, target)
    redaction = Redaction(found.who, found.texts(), False, "", "")
    theirs = [n for n, *_ in found.theirs]
    questions = []
    for number in theirs:
        doc = store.get(number)
        questions.append({name: doc[name] for name in FIELDS if name in doc})
    replies = []
    for number in found.replies_in:
        doc = store.get(number, history=False)
        mine = [r for r in doc.get("replies") or [] if found.who.wrote(r)]
        replies.append({"question": number, "title": doc.get("title"), "replies": mine})
    named = []
    for summary in store.summaries():
        number = summary["id"]
        if number in theirs or number in found.replies_in:
            continue
        doc = store.get(number)
        if redaction.names_them(doc):
            named.append(number)
    return {
        "asked": found.who.said,
        "questions": questions,
        "replies": replies,
        "named_in": {"questions": named, "other": other_places(store, redaction)},
    }
