"""History as hosts read it: "austin · 2026-11-24 12:00 UTC · status: new -> triaged".

`show` on the command line, the app's detail pane and the notices about a co-host's change all
say a change in these words. Big values (answers, drafts, references, notes) are summarised,
never dumped; a listener's contact is never repeated here, only that it changed. Every piece
of text goes through `one_line`, so nothing a listener typed can reach a terminal as a control.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..text import counted, one_line
from .dates import from_iso
from .history import FORGET
from .question import HistoryEntry

HostName = Callable[[str | None], str]

# The podcast's words for fields whose names are the code's
LABELS = {
    "host": "host",
    "decline_reason": "decline reason",
    "duplicate_of": "duplicate of",
    "asked_count": "asked by",
    "snoozed_until": "snoozed until",
    "answered_on": "answered on",
    "similar_to": "looks like",
    "body": "question text",
    "import_key": "import key",
}
# values that are words of ours, not text someone typed: shown without quotes
UNQUOTED = frozenset({"status", "host", "timestamp", "answered_on", "credit", "episode"})
ACTIONS_WITHOUT_CHANGES = {"received": "received", "asked again": "asked again"}


def when(stamp: str | None) -> str:
    """A stored UTC time as people read it: 2026-11-24 12:00 UTC."""
    if not stamp:
        return ""
    try:
        return from_iso(stamp).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return one_line(stamp)


def _clip(text: str, limit: int = 40) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _words(text: str | None) -> str:
    count = len((text or "").split())
    return counted(count, "word")


def _value(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "none"
    if name == "duplicate_of":
        return f"#{value}"
    if name == "snoozed_until":
        return when(value)
    if name == "asked_count":
        return counted(value, "listener")
    if isinstance(value, str):
        return _clip(value) if name in UNQUOTED else repr(_clip(value))
    return _clip(str(value))


def _tags(before: list[str] | None, after: list[str] | None) -> str:
    old, new = before or [], after or []
    added = [f"+{t}" for t in new if t not in old]
    removed = [f"-{t}" for t in old if t not in new]
    return "tags: " + (" ".join(_clip(t, 30) for t in added + removed) or "reordered")


def _answer(
    before: dict[str, Any] | None, after: dict[str, Any] | None, host_name: HostName
) -> str:
    def whose(answer: dict[str, Any]) -> str:
        return f"{one_line(host_name(answer.get('host')))}'s ({_words(answer.get('text'))})"

    if before is None and after is not None:
        return f"answer: written, {whose(after)}"
    if after is None and before is not None:
        return f"answer: removed (was {whose(before)})"
    if before and after and before.get("host") != after.get("host"):
        return f"answer: {whose(before)} -> {whose(after)}"
    return f"answer: rewritten ({_words((before or {}).get('text'))} -> {whose(after or {})})"


def _drafts(
    before: dict[str, Any] | None, after: dict[str, Any] | None, host_name: HostName
) -> list[str]:
    old, new = before or {}, after or {}
    lines = []
    for host in dict.fromkeys([*old, *new]):
        was, now = old.get(host), new.get(host)
        if was == now:
            continue
        name = one_line(host_name(host))
        if now is None:
            lines.append(f"{name}'s draft: removed")
        elif was is None:
            lines.append(f"{name}'s draft: {_words(now.get('text'))}")
        else:
            lines.append(f"{name}'s draft: {_words(was.get('text'))} -> {_words(now.get('text'))}")
    return lines


def _references(before: list[dict[str, Any]] | None, after: list[dict[str, Any]] | None) -> str:
    old = [(r.get("title", ""), r.get("url", "")) for r in before or []]
    new = [(r.get("title", ""), r.get("url", "")) for r in after or []]
    parts = [f"+{_clip(t, 30)!r}" for t, u in new if (t, u) not in old]
    parts += [f"-{_clip(t, 30)!r}" for t, u in old if (t, u) not in new]
    if not parts:
        parts = ["reordered"]
    return f"references: {' '.join(parts)} ({len(old)} -> {len(new)})"


def _listener(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    old, new = before or {}, after or {}
    lines = []
    for key in ("name", "credit"):
        if old.get(key) != new.get(key):
            lines.append(
                f"listener {key}: {_value(key, old.get(key))} -> {_value(key, new.get(key))}"
            )
    if old.get("contact") != new.get("contact"):
        lines.append("listener contact: changed")  # contacts are never repeated in history
    return lines


def change_lines(entry: HistoryEntry, host_name: HostName = lambda h: h or "") -> list[str]:
    """Each field the entry changed, as "field: old -> new" or a summary of it."""
    lines: list[str] = []
    for name, pair in entry.changes.items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        if name == "tags":
            lines.append(_tags(before, after))
        elif name == "answer":
            lines.append(_answer(before, after, host_name))
        elif name == "drafts":
            lines += _drafts(before, after, host_name)
        elif name == "references":
            lines.append(_references(before, after))
        elif name == "listener":
            lines += _listener(before, after)
        elif name in ("notes", "body"):
            lines.append(f"{LABELS.get(name, name)}: {_words(before)} -> {_words(after)}")
        elif name == "replies":
            lines.append(f"replies: {len(before or [])} -> {len(after or [])}")
        elif name == "similar_to":
            ids = ", ".join(f"#{s.get('id')}" for s in after or [] if isinstance(s, dict))
            lines.append(f"looks like: {ids or 'none'}")
        elif name == "host":
            old = one_line(host_name(before)) if before else "none"
            new = one_line(host_name(after)) if after else "none"
            lines.append(f"host: {old} -> {new}")
        else:
            label = LABELS.get(name, name.replace("_", " "))
            lines.append(f"{label}: {_value(name, before)} -> {_value(name, after)}")
    return lines


def summary(entry: HistoryEntry, host_name: HostName = lambda h: h or "") -> str:
    """What the entry did, without who and when: "status: new -> triaged; tags: +pain"."""
    lines = change_lines(entry, host_name)
    what = "; ".join(lines)
    action = one_line(entry.action)
    if entry.action == "undo":
        what = f"undo: {what}" if what else "undo"
    elif entry.action == "reopen":
        what = f"reopened: {what}"
    elif entry.action == "follow-up":  # an e-mailed reply joined to its question on import
        what = f"{one_line(entry.note) or 'a follow-up'}: {what}"
    elif entry.action == FORGET:
        what = one_line(entry.note) or "listener forgotten"
    elif not lines:
        what = ACTIONS_WITHOUT_CHANGES.get(entry.action, action)
        if entry.note:
            what += f" ({_clip(entry.note, 60)})"
    elif entry.action == "duplicate" or entry.action == "asked again":
        what = f"{what} ({_clip(entry.note, 30)})" if entry.note else what
    return what


def describe(entry: HistoryEntry, host_name: HostName = lambda h: h or "") -> str:
    """The whole line: "Austin · 2026-11-24 12:00 UTC · status: new -> triaged"."""
    who = one_line(host_name(entry.host)) or one_line(entry.host) or "someone"
    line = f"{who} · {when(entry.at)} · {summary(entry, host_name)}"
    return line + (" (undone)" if entry.undone else "")
