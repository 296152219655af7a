"""Dates as people type them ("next friday", "in 2 weeks", "2026-12-01 9am") and as stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, tzinfo

from dateutil import parser as date_parser
from dateutil import tz as date_tz
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from ..errors import BadInput

Clock = Callable[[], datetime]

WEEKDAYS = {
    name: day
    for names, day in (
        (("monday", "mon"), MO),
        (("tuesday", "tue", "tues"), TU),
        (("wednesday", "wed"), WE),
        (("thursday", "thu", "thur", "thurs"), TH),
        (("friday", "fri"), FR),
        (("saturday", "sat"), SA),
        (("sunday", "sun"), SU),
    )
    for name in names
}
UNITS = {
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
}
# relativedelta(<unit>=count) for each unit of UNITS, spelled out so the keyword is checked
_DELTAS: dict[str, Callable[[int], relativedelta]] = {
    "minutes": lambda count: relativedelta(minutes=count),
    "hours": lambda count: relativedelta(hours=count),
    "days": lambda count: relativedelta(days=count),
    "weeks": lambda count: relativedelta(weeks=count),
    "months": lambda count: relativedelta(months=count),
    "years": lambda count: relativedelta(years=count),
}
_IN = re.compile(r"^in\s+(\d+|an?|one|two|three|four)\s+([a-z]+?)s?$")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_AGO = re.compile(r"^(\d+|an?|one|two|three|four)\s+([a-z]+?)s?\s+ago$")
_NEXT = re.compile(r"^(next|this|on)?\s*([a-z]+)$")
_TIMESTAMP = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.(\d+))?$")


def system_clock() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """UTC ISO 8601 with a Z, to the second: how every time is stored."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def from_iso(text: str) -> datetime:
    moment = date_parser.isoparse(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def parse_when(text: str, now: datetime, zone: tzinfo | None = None) -> datetime:
    """Resolve a person's date relative to `now`, in their time zone; returns an aware datetime.

    A day without a time means the start of that day. Raises BadInput when it is not a date,
    or when it is one that cannot be stored (before year 1 or after 9999 in UTC).
    """
    zone = zone or date_tz.tzlocal()
    try:
        moment = _resolve(text, now, zone)
        moment.astimezone(UTC)  # every caller stores it in UTC: it must fit there too
    except (ValueError, OverflowError) as error:
        raise BadInput(
            f"the date {text!r} is out of range (try 'next friday', 'in 2 weeks' or '2026-12-01')"
        ) from error
    return moment


def _resolve(text: str, now: datetime, zone: tzinfo) -> datetime:
    local_now = now.astimezone(zone)
    today = datetime.combine(local_now.date(), time(0), tzinfo=zone)
    phrase = " ".join(text.lower().split())
    if not phrase:
        raise BadInput("no date given")
    if phrase in ("today", "tonight"):
        return today if phrase == "today" else today.replace(hour=20)
    if phrase in ("tomorrow", "yesterday"):
        return today + relativedelta(days=1 if phrase == "tomorrow" else -1)
    if phrase in ("last week", "last month"):
        return today - _DELTAS[phrase.split()[1] + "s"](1)
    if phrase in ("next week", "next month"):
        start = today + _DELTAS[phrase.split()[1] + "s"](1)
        if phrase == "next week":
            return start + relativedelta(weekday=MO(-1))
        return start.replace(day=1)
    match = _IN.match(phrase) or _AGO.match(phrase)
    if match:
        count = _NUMBERS.get(match.group(1)) or int(match.group(1))
        if match.re is _AGO:
            count = -count  # "3 days ago", for filters such as since:"2 weeks ago"
        unit = UNITS.get(match.group(2))
        if unit is None:
            raise BadInput(f"cannot understand the date {text!r}: unknown unit {match.group(2)!r}")
        if unit in ("minutes", "hours"):
            # elapsed time, not wall-clock time: "in an hour" is an hour away across DST too
            return (now.astimezone(UTC) + _DELTAS[unit](count)).astimezone(zone)
        return today + _DELTAS[unit](count)
    match = _NEXT.match(phrase)
    if match and match.group(2) in WEEKDAYS:
        day = WEEKDAYS[match.group(2)]
        # "friday" on a friday means today; "next friday" always means a later day.
        if match.group(1) == "next":
            return today + relativedelta(days=1, weekday=day(+1))
        return today + relativedelta(weekday=day(+1))
    try:
        default = today.replace(tzinfo=None)
        moment = date_parser.parse(text, default=default, dayfirst=False)
    except (ValueError, OverflowError) as error:
        raise BadInput(
            f"cannot understand the date {text!r} (try 'next friday', 'in 2 weeks' or '2026-12-01')"
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def parse_timestamp(text: str) -> float:
    """Seconds into an episode from "00:41:05", "41:05" or "1:02:03.5"."""
    match = _TIMESTAMP.match(text.strip())
    if not match:
        raise BadInput(f"cannot understand the timestamp {text!r} (use HH:MM:SS, e.g. 00:41:05)")
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        raise BadInput(f"cannot understand the timestamp {text!r}: minutes and seconds stop at 59")
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (float(f"0.{fraction}") if fraction else 0.0)


def format_timestamp(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def age(received_at: str, now: datetime) -> str:
    """A short age such as "3d", "5h", "2w" for the queue table."""
    delta = now - from_iso(received_at)
    seconds = max(0, int(delta.total_seconds()))
    for unit, size in (("y", 365 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return "now"
