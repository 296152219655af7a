"""Dates as people type them ("next friday", "in 2 weeks", "2026-12-01 9am") and as stored."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil import parser as date_parser
from dateutil import tz as date_tz
from dateutil.relativedelta import relativedelta

from ..errors import BadInput

Clock = Callable[[], datetime]

WEEKDAYS = {
    name: day
    for names, day in (
        (("monday", "mon"), 0),
        (("tuesday", "tue", "tues"), 1),
        (("wednesday", "wed"), 2),
        (("thursday", "thu", "thur", "thurs"), 3),
        (("friday", "fri"), 4),
        (("saturday", "sat"), 5),
        (("sunday", "sun"), 6),
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
_WEEKDAY = re.compile(r"^(next|this|on|last)?\s*([a-z]+)$")
_TRY = "try 'next friday', 'monday at 9', 'in 2 weeks' or '2026-12-01'"
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


def parse_when(
    text: str, now: datetime, zone: tzinfo | None = None, *, future: bool = False
) -> datetime:
    """Resolve a person's date relative to `now`, in their time zone; returns an aware datetime.

    The phrases (README, "Dates"): a day — today, tonight, tomorrow, yesterday, a weekday
    ("friday", "this friday", "on friday": the coming one, today if it is friday; "next friday":
    the first friday after today, so on a thursday it is tomorrow and on a friday a week on;
    "last friday": the latest one before today), next week (its monday), next month (its 1st),
    end of month (its last day), "in 3 days", "2 weeks ago", or a calendar date
    ("2026-12-01", "Dec 1") — optionally with a time of day, before or after it ("monday at 9",
    "next tuesday 3pm", "friday 10:30", "9am tomorrow", "tomorrow noon", "tonight at 10");
    or a time alone ("9am": today), or "in 2 hours" (elapsed time, from now).

    A day without a time means the start of that day; a bare hour is on the 24-hour clock
    ("at 9" is 09:00, "at 21" 21:00) except after "tonight". Morning is 09:00, noon 12:00,
    afternoon 15:00, evening 19:00, tonight 20:00, midnight the 00:00 that ends the day.
    A time that a DST change skips is moved on by the gap (02:30 on a spring-forward night is
    03:30); one that happens twice is the first.

    With `future` (a snooze), a weekday or a time alone that has already passed means its next
    one: "9am" at 10:00 is tomorrow, "tuesday 9am" on a tuesday afternoon a week on.

    Raises BadInput when it is not a date, or when it is one that cannot be stored (before year
    1 or after 9999 in UTC).
    """
    zone = zone or date_tz.tzlocal()
    try:
        moment = _resolve(text, now, zone, future)
        moment.astimezone(UTC)  # every caller stores it in UTC: it must fit there too
    except (ValueError, OverflowError) as error:
        raise BadInput(f"the date {text!r} is out of range ({_TRY})") from error
    return moment


def _resolve(text: str, now: datetime, zone: tzinfo, future: bool) -> datetime:
    local_now = now.astimezone(zone)
    phrase = " ".join(text.lower().split())
    if not phrase:
        raise BadInput("no date given")
    if phrase == "now":
        return local_now
    elapsed = _elapsed(phrase, text, now, zone)
    if elapsed is not None:
        return elapsed
    day_text, clock = _split_time(phrase)
    found = _day(day_text, local_now.date(), text)
    if found is None:
        if clock is None:
            return _calendar(text, local_now, zone)  # keeps an offset or a time written in it
        found = Day(_calendar(day_text, local_now, zone).date())
    if clock is None:
        clock = found.clock
    elif found.evening and clock.hour < 12 and not clock.said_meridiem:
        clock = replace(clock, hour=clock.hour + 12)  # "tonight at 10" is 22:00
    moment = _at(found.date, clock, zone)
    if future and found.every_days:
        while moment <= now:  # a weekday or a time alone that has passed: its next one
            found = replace(found, date=found.date + timedelta(days=found.every_days))
            moment = _at(found.date, clock, zone)
    return moment


@dataclass(frozen=True)
class TimeOfDay:
    """A time of day as typed: hour, minute, and whether am/pm was said."""

    hour: int = 0
    minute: int = 0
    said_meridiem: bool = False
    next_day: bool = False  # midnight: the 00:00 that ends the day


@dataclass(frozen=True)
class Day:
    date: date
    clock: TimeOfDay = TimeOfDay()  # the time when none is typed (tonight: 20:00)
    every_days: int = 0  # a weekday (7) or a time alone (1): how far its next one is
    evening: bool = False  # tonight: "at 10" is 22:00


_WORD_TIMES = {
    "noon": TimeOfDay(12),
    "midday": TimeOfDay(12),
    "midnight": TimeOfDay(0, next_day=True),
    "morning": TimeOfDay(9),
    "afternoon": TimeOfDay(15),
    "evening": TimeOfDay(19),
    "night": TimeOfDay(20),
}
_CLOCK = (
    r"(?P<word>noon|midday|midnight|morning|afternoon|evening|night)"
    r"|(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?"
)
_TIME_LAST = re.compile(rf"^(?P<day>.*?)(?:^|\s)(?P<at>at\s+|in\s+the\s+)?(?:{_CLOCK})$")
_TIME_FIRST = re.compile(rf"^(?P<at>at\s+)?(?:{_CLOCK})\s+(?:on\s+)?(?P<day>[a-z].*)$")
# Days named by a word: only after one of these may an hour stand alone ("friday 9")
_DAY_WORDS = re.compile(r"^(?:today|tonight|tomorrow|(?:this |on |next |last )?[a-z]+day|)$")


def _split_time(phrase: str) -> tuple[str, TimeOfDay | None]:
    """The day part of a phrase and the time of day typed with it (None when there is none)."""
    for pattern in (_TIME_LAST, _TIME_FIRST):
        match = pattern.match(phrase)
        if match is None:
            continue
        day = match.group("day").strip()
        if match.group("word"):
            return day, _WORD_TIMES[match.group("word")]
        bare = not (match.group("minute") or match.group("half") or match.group("at"))
        if bare and (not day or not _DAY_WORDS.match(day)):
            continue  # "dec 1", "in 3": a number, not a time
        return day, _clock(match, phrase)
    return phrase, None


def _clock(match: re.Match[str], phrase: str) -> TimeOfDay:
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    half = (match.group("half") or "")[:1]
    if minute > 59 or hour > (12 if half else 23) or (half and hour == 0):
        raise BadInput(f"cannot understand the time in {phrase!r} ({_TRY})")
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    return TimeOfDay(hour, minute, said_meridiem=bool(half))


def _day(phrase: str, today: date, text: str) -> Day | None:
    """The day a phrase names, or None when it is a calendar date for dateutil to read."""
    if phrase == "":
        return Day(today, every_days=1)  # a time alone: today's, or tomorrow's once it passed
    if phrase in _SIMPLE_DAYS:
        offset, clock, evening = _SIMPLE_DAYS[phrase]
        return Day(today + timedelta(days=offset), clock, evening=evening)
    if phrase in ("next week", "last week"):
        monday = today - timedelta(days=today.weekday())
        return Day(monday + timedelta(days=7 if phrase == "next week" else -7))
    if phrase in ("next month", "last month"):
        return Day(today.replace(day=1) + relativedelta(months=1 if phrase[0] == "n" else -1))
    if phrase in ("end of month", "end of the month", "the end of the month"):
        return Day(today + relativedelta(day=31))
    match = _IN.match(phrase) or _AGO.match(phrase)
    if match:
        count, unit = _amount(match, text)
        if unit in ("minutes", "hours"):
            raise BadInput(f"cannot understand the date {text!r}: a time goes with a day")
        return Day(today + _DELTAS[unit](count))
    match = _WEEKDAY.match(phrase)
    if match and match.group(2) in WEEKDAYS:
        weekday = WEEKDAYS[match.group(2)]
        ahead = (weekday - today.weekday()) % 7
        if match.group(1) == "next":
            ahead = ahead or 7  # the first one after today
        elif match.group(1) == "last":
            return Day(today - timedelta(days=(today.weekday() - weekday) % 7 or 7))
        return Day(today + timedelta(days=ahead), every_days=7)
    return None


# phrase -> (days from today, time when none is typed, evening)
_SIMPLE_DAYS = {
    "today": (0, TimeOfDay(), False),
    "tonight": (0, TimeOfDay(20), True),
    "tomorrow": (1, TimeOfDay(), False),
    "yesterday": (-1, TimeOfDay(), False),
}


def _amount(match: re.Match[str], text: str) -> tuple[int, str]:
    count = _NUMBERS.get(match.group(1)) or int(match.group(1))
    if match.re is _AGO:
        count = -count  # "3 days ago", for filters such as since:"2 weeks ago"
    unit = UNITS.get(match.group(2))
    if unit is None:
        raise BadInput(f"cannot understand the date {text!r}: unknown unit {match.group(2)!r}")
    return count, unit


def _elapsed(phrase: str, text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """ "in 2 hours", "30 minutes ago": real time, not wall-clock time (an hour across DST too)."""
    match = _IN.match(phrase) or _AGO.match(phrase)
    if match is None:
        return None
    count, unit = _amount(match, text)
    if unit not in ("minutes", "hours"):
        return None
    return (now.astimezone(UTC) + _DELTAS[unit](count)).astimezone(zone)


def _at(day: date, clock: TimeOfDay, zone: tzinfo) -> datetime:
    """The day at the time, in the zone; a time a DST change skips moves on by the gap."""
    if clock.next_day:
        day += timedelta(days=1)
    moment = datetime.combine(day, time(clock.hour, clock.minute), tzinfo=zone)
    return date_tz.resolve_imaginary(moment)


def _calendar(text: str, local_now: datetime, zone: tzinfo) -> datetime:
    """A calendar date dateutil reads ("2026-12-01", "Dec 1 2026 14:30"), in the host's zone."""
    try:
        default = local_now.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        moment = date_parser.parse(text, default=default, dayfirst=False)
    except (ValueError, OverflowError) as error:
        raise BadInput(f"cannot understand the date {text!r} ({_TRY})") from error
    if moment.tzinfo is None:
        moment = date_tz.resolve_imaginary(moment.replace(tzinfo=zone))
    return moment


def host_zone(zone: tzinfo | None) -> tzinfo:
    """The zone a host's times are in: the show's when set, else this computer's."""
    return zone or date_tz.tzlocal()


def describe(moment: datetime, zone: tzinfo | None, now: datetime | None = None) -> str:
    """A resolved moment as a host reads it: "Mon 30 Nov 09:00 (Europe/Berlin)"; the year is
    said when it is not this one."""
    local = moment.astimezone(zone) if zone else moment.astimezone()
    year = "" if now is not None and now.astimezone(local.tzinfo).year == local.year else " %Y"
    return f"{local.strftime(f'%a %d %b{year} %H:%M')} ({zone_name(local)})"


def zone_name(local: datetime) -> str:
    """The zone's name ("Europe/Berlin") where it is known, else its abbreviation ("CET")."""
    zone = local.tzinfo
    key = getattr(zone, "key", None) or getattr(zone, "_filename", None)
    if key is None and isinstance(zone, date_tz.tzlocal):
        key = os.environ.get("TZ") or os.path.realpath("/etc/localtime")
    if isinstance(key, str) and "zoneinfo/" in key:
        key = key.rsplit("zoneinfo/", 1)[1]
    if isinstance(key, str) and "/" in key.strip("/") and not key.startswith("/"):
        return "UTC" if key in ("Etc/UTC", "Etc/UCT", "Etc/Universal") else key
    return local.tzname() or local.strftime("%z")


# as editors and podcast apps also write a time: "1h02m03s", "41m05s", "41 min", "1h"
_UNITS = re.compile(
    r"^(?:(?P<h>\d+)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*m(?:in(?:utes?|s)?)?)?\s*"
    r"(?:(?P<s>\d+)\s*s(?:ec(?:onds?|s)?)?)?$",
    re.I,
)


def parse_timestamp(text: str) -> float:
    """Seconds into an episode from "00:41:05", "41:05", "1:02:03.5", "1h02m03s" or "41m"."""
    units = _UNITS.match(text.strip())
    if units and any(units.groupdict().values()):
        h, m, s = (int(units[unit] or 0) for unit in "hms")
        if (h and m >= 60) or ((h or m) and s >= 60):
            raise BadInput(
                f"cannot understand the timestamp {text!r}: minutes and seconds stop at 59"
            )
        return float(h * 3600 + m * 60 + s)
    match = _TIMESTAMP.match(text.strip())
    if not match:
        raise BadInput(
            f"cannot understand the timestamp {text!r} (use HH:MM:SS, e.g. 00:41:05, or 41m05s)"
        )
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
