"""The filter language: ``status:new tag:pain host:me priority:>=2 since:2026-11-01 naltrexone``.

Fields AND together; commas OR values within a field (``status:new,triaged``); a leading ``-``
negates (``-tag:diet``); bare words and "double-quoted phrases" search the question's text
(title, listener's words, answer, drafts, notes, tags) case-insensitively; an apostrophe is part
of a word (``crohn's``). ``is:waiting``: new or triaged, with no host (the Inbox). Snoozed
questions are hidden unless the query says ``is:snoozed`` (only
them) or ``snoozed:any``; ``-is:snoozed`` is the default, hiding them.
"""

from __future__ import annotations

import operator
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Literal

from .errors import BadInput
from .model.dates import parse_when, to_iso
from .model.question import Status
from .store.schema import Summary as Summary

Check = Callable[[Summary], bool]

FIELDS = (
    "status",
    "tag",
    "host",
    "priority",
    "since",
    "before",
    "episode",
    "source",
    "listener",
    "is",
    "snoozed",
    "id",
)
_COMPARE = re.compile(r"^(>=|<=|>|<|=)?(\d+)$")
_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}

# The saved views of the queue screen, in the order they are shown.
VIEWS: dict[str, str] = {
    # new or triaged, and nobody has taken them yet
    "Inbox": "is:waiting",
    "Mine": "host:me status:new,triaged,drafting,ready",
    "Drafting": "status:drafting",
    "Ready": "status:ready",
    "Answered": "status:answered",
    "All": "snoozed:any",
    "Snoozed": "is:snoozed",
    "Declined": "status:declined,duplicate",
}


@dataclass
class Filter:
    text: str = ""
    checks: list[Check] = field(default_factory=list)
    # (field, values) the store's indexes can answer before any check runs: a query at 50k
    # questions then looks only at the few thousand that can match
    narrow: list[tuple[str, set[str | None]]] = field(default_factory=list)
    words: list[bytes] = field(default_factory=list)
    snoozed: str = "hide"  # hide | only | any

    def matches(self, summary: Summary, now_iso: str) -> bool:
        until = summary["snoozed_until"]
        snoozed = until is not None and until > now_iso
        if self.snoozed == "hide" and snoozed:
            return False
        if self.snoozed == "only" and not snoozed:
            return False
        for check in self.checks:  # noqa: SIM110 - all() over a generator costs more at 50k
            if not check(summary):
                return False
        return True


INDEXED = ("status", "tag", "host")
_EXAMPLES = {
    "status": "status:new",
    "tag": "tag:pain",
    "host": "host:me",
    "priority": "priority:>=2",
    "since": "since:2026-11-01",
    "before": 'before:"next friday"',
    "episode": "episode:212",
    "source": "source:email",
    "listener": "listener:priya",
    "is": "is:snoozed",
    "snoozed": "snoozed:any",
    "id": "id:12",
}


def _indexed_values(name: str, raw: str, me: str | None) -> set[str | None]:
    values: set[str | None] = set(_values(name, raw))
    if name == "host":
        values = {me if v == "me" else None if v in ("none", "nobody") else v for v in values}
    return values


def _values(name: str, raw: str) -> list[str]:
    values = [value.strip().lower() for value in raw.split(",") if value.strip()]
    if not values:
        raise BadInput(f"'{name}:' needs a value after the colon, e.g. {_EXAMPLES[name]}")
    return values


def _field_check(
    name: str, raw: str, *, me: str | None, now: datetime, zone: tzinfo | None
) -> Check | str:
    """A check for one ``field:value``; a str result sets the snooze mode instead."""
    values = _values(name, raw)
    if name == "status":
        known = [s.value for s in Status]
        unknown = [v for v in values if v not in known]
        if unknown:
            raise BadInput(f"unknown status {unknown[0]!r}; statuses are: {', '.join(known)}")
        wanted = set(values)
        return lambda s: s["status"] in wanted
    if name == "tag":
        wanted = set(values)
        return lambda s: not wanted.isdisjoint(s["tags"])
    if name == "host":
        hosts = set()
        for value in values:
            if value == "me":
                if not me:
                    raise BadInput("'host:me' needs to know who you are (--as HOST)")
                value = me
            hosts.add(None if value in ("none", "nobody") else value)
        return lambda s: s["host"] in hosts
    if name in ("priority", "episode", "id"):
        key: Literal["priority", "episode", "id"] = (
            "priority" if name == "priority" else "episode" if name == "episode" else "id"
        )
        tests = []
        for value in values:
            match = _COMPARE.match(value)
            if not match:
                raise BadInput(f"{name}: wants a number like 2 or >=2, not {value!r}")
            tests.append((_OPS[match.group(1) or "="], int(match.group(2))))

        def compares(summary: Summary) -> bool:
            number = summary[key]
            return number is not None and any(test(number, n) for test, n in tests)

        return compares
    if name in ("since", "before"):
        # stored times are canonical UTC ISO strings, so they compare as text (fast at 50k)
        moment = to_iso(parse_when(raw, now, zone))
        if name == "since":
            return lambda s: s["received_at"] >= moment
        return lambda s: s["received_at"] < moment
    if name == "source":
        wanted = set(values)
        return lambda s: s["source"] in wanted
    if name == "listener":
        return lambda s: any(v in s["listener"].lower() for v in values)
    if name == "is":
        if values == ["snoozed"]:
            return "only"
        if values == ["mine"]:
            return _field_check("host", "me", me=me, now=now, zone=zone)
        if values == ["unassigned"]:
            return lambda s: s["host"] is None
        if values == ["waiting"]:
            return lambda s: s["status"] in ("new", "triaged") and not s["host"]
        raise BadInput(f"is: knows snoozed, mine, unassigned and waiting, not {raw!r}")
    if name == "snoozed":
        if values in (["any"], ["yes"], ["no"]):
            return {"any": "any", "yes": "only", "no": "hide"}[values[0]]
        raise BadInput("snoozed: wants any, yes or no")
    raise AssertionError(name)


def _negated(check: Check) -> Check:
    return lambda summary: not check(summary)


def parse(text: str, *, me: str | None = None, now: datetime, zone: tzinfo | None = None) -> Filter:
    """Turn a query into a Filter; raises BadInput with what was wrong and what is allowed."""
    # Only double quotes group a phrase: an apostrophe is part of a word (crohn's, don't).
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split, lexer.commenters, lexer.quotes = True, "", '"'
    try:
        tokens = list(lexer)
    except ValueError as error:
        # the text may hold the view's own fields: say what is wrong, not what it all was
        if "quotation" in str(error):
            raise BadInput('a " opens a phrase that is never closed') from error
        raise BadInput(f"cannot read the filter: {error}") from error
    result = Filter(text=text)
    for token in tokens:
        negate = token.startswith("-") and len(token) > 1
        body = token[1:] if negate else token
        name, colon, value = body.partition(":")
        if colon and name.lower() in FIELDS:
            check = _field_check(name.lower(), value, me=me, now=now, zone=zone)
            if isinstance(check, str):
                if negate:  # -is:snoozed hides them, -snoozed:no shows only them
                    if check == "any":
                        raise BadInput(f"{token!r} cannot be negated; use is:snoozed or snoozed:no")
                    check = "hide" if check == "only" else "only"
                result.snoozed = check
                continue
            if negate:
                result.checks.append(_negated(check))
            else:
                result.checks.append(check)
                if name.lower() in INDEXED:
                    result.narrow.append((name.lower(), _indexed_values(name.lower(), value, me)))
                elif name.lower() == "is" and value.strip().lower() == "waiting":
                    result.narrow.append(("status", {"new", "triaged"}))  # the index answers
        elif colon and name and " " not in token and name.isalpha():
            raise BadInput(f"unknown filter field {name!r}; fields are: {', '.join(FIELDS)}")
        else:
            word = " ".join(token.lower().split()).encode()
            if word:
                result.words.append(word)
    return result


def run(
    summaries: Iterable[Summary],
    query: Filter,
    now: datetime,
    containing: Callable[[list[Summary], bytes], list[Summary]],
) -> list[Summary]:
    """The summaries that pass; field checks run first, then `containing` keeps those whose
    text holds each word (the store scans the texts in one loop of its own)."""
    now_iso = to_iso(now)
    matches = query.matches
    hits = [s for s in summaries if matches(s, now_iso)]
    for word in query.words:
        hits = containing(hits, word)
    return hits


SORTS: dict[str, Callable[[Summary], Any]] = {
    "age": lambda s: s["received_at"],
    "priority": lambda s: (-s["priority"], s["received_at"]),
    "asked": lambda s: (-s["asked_count"], s["received_at"]),
    "id": lambda s: s["id"],
}
