"""Timestamps as exports write them, their time zone honoured exactly.

dateutil reads "GMT+1" the POSIX way (as UTC-1: two hours off for a listener in Berlin), so a
zone written after the time is taken off here and applied as people mean it: GMT+1, UTC-5,
GMT+5:30 are east/west of Greenwich as written; an IANA name (Europe/Berlin) is looked up
with its daylight saving time; an abbreviation is used only where it names one offset (CST,
IST, BST... name several and are refused rather than guessed). Epoch seconds and milliseconds
are read as such. Everything else is dateutil's, with the zone it was given (UTC).
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as date_parser
from dateutil import tz as date_tz

from ..model.dates import to_iso
from ..text import excerpt as one_line

# Unambiguous abbreviations and their offsets in hours; the ambiguous ones are refused.
ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2,
    "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3, "SAST": 2, "EST": -5, "EDT": -4,
    "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8,
    "HST": -10, "BRT": -3, "ART": -3, "JST": 9, "KST": 9, "AWST": 8, "ACST": 9.5,
    "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}  # fmt: skip
AMBIGUOUS = {"CST", "IST", "BST", "AST", "GST", "SST", "ECT", "PT", "ET", "CT", "MT"}

_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?")
# Google Forms' newer exports: 2026/11/26 6:01:00 PM (its zone is taken off before)
_YEAR_FIRST = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(?: ([AaPp][Mm]))?")
# 26.11.2026 18:01(:05): day first wherever dots are used
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?")
_EPOCH = re.compile(r"\d{9,14}(?:\.\d+)?")
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")  # JavaScript's "... GMT+0100 (Central European...)"
_OFFSET_NAME = re.compile(r"(?<![A-Za-z])(?:GMT|UTC|UT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.I)
_IANA = re.compile(r"(?<![A-Za-z/])([A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+)$")
_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]{1,5})$")
_NAMED_SIGN = re.compile(r"(?<![A-Za-z])(?:GMT|UTC|UT)\s*[+-]\d", re.I)


def _fixed(hours: float, name: str) -> tzinfo:
    return UTC if hours == 0 else timezone(timedelta(hours=hours), name)


def split_zone(text: str) -> tuple[str, tzinfo | None]:
    """The text without the zone written at its end, and that zone (None if there is none);
    ValueError for a zone that names no place or more than one offset."""
    text = _TRAILING_NOTE.sub("", text.strip())
    match = _OFFSET_NAME.search(text)
    if match:
        sign, hours, minutes = match.groups()
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if offset > timedelta(hours=14):
            raise ValueError(f"the time zone in {one_line(text)} is not one on Earth")
        zone = timezone(-offset if sign == "-" else offset) if offset else UTC
        return text[: match.start()].rstrip(), zone
    match = _IANA.search(text)
    if match:
        try:
            return text[: match.start()].rstrip(), ZoneInfo(match.group(1))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone in the date {one_line(text)}") from None
    match = _WORD.search(text)
    if match:
        word = match.group(1).upper()
        if word in AMBIGUOUS:
            raise ValueError(
                f"the time zone {word} in {one_line(text)} names several (write the offset, "
                "e.g. GMT-6, or a place, e.g. America/Chicago)"
            )
        if word in ABBREVIATIONS:
            return text[: match.start()].rstrip(), _fixed(ABBREVIATIONS[word], word)
    return text, None


# 26/11/2026 or 11/26/26, not part of a longer run of digits and slashes
_DAY_OR_MONTH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?![\d/])")


# Google Forms' "Timestamp" column in languages whose countries write the day first: a form
# in one of them writes 05/11/2026 for 5 November
_DAY_FIRST_HEADERS = {
    "marca temporal": "Spanish",
    "horodateur": "French",
    "zeitstempel": "German",
    "carimbo de data/hora": "Portuguese",
    "informazioni cronologiche": "Italian",
    "tijdstempel": "Dutch",
    "sygnatura czasowa": "Polish",
    "tidstämpel": "Swedish",
    "tidsstempel": "Danish",
}


def _day_first_form(sample: str) -> str:
    """'a Spanish Google Form's (its 'Marca temporal')' when the sample's header says so."""
    header = next((line for line in sample.splitlines() if line.strip()), "").casefold()
    for name, language in _DAY_FIRST_HEADERS.items():
        if name in header:
            return f"as a {language} form writes them (its {name.capitalize()!r} column)"
    return ""


def slashed_order(sample: str) -> tuple[bool, str] | None:
    """Whether a file's slashed dates are day first, judged by the dates in a sample of it (a
    26/11 says day first, an 11/26 month first), and what to tell the host; None when it
    has none. When no date says which, month first (Google Forms in the US, Excel there),
    unless the header is a Google Form's in a language written day first."""
    day_first = month_first = False
    example = telling = ""
    for match in _DAY_OR_MONTH.finditer(sample):
        first, second = int(match.group(1)), int(match.group(2))
        example = example or match.group(0)
        if first > 12 >= second and not day_first:
            day_first, example = True, match.group(0)
        elif second > 12 >= first and not month_first:
            month_first, telling = True, match.group(0)
    if not example:
        return None
    if day_first and not month_first:
        return True, f"dates read day first ({example} is day/month/year)"
    if month_first and not day_first:
        return False, f"dates read month first ({telling} is month/day/year)"
    form = _day_first_form(sample)
    if form:
        return True, f"dates like {example} read day first (day/month/year), {form}"
    return False, f"dates like {example} read month first (month/day/year): no date says which"


def _twelve_hour(hour: int, half: str | None) -> int:
    if half is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError("hour")
    return hour % 12 + (12 if half.lower() == "pm" else 0)


def common_shape(text: str, dayfirst: bool) -> datetime | None:
    """The shapes forms write, read in microseconds (dateutil takes ~0.2 ms: 2 s a 10k file)."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        if match := _SLASHED.fullmatch(text):  # Google Forms: 11/03/2026 14:22:05
            first, second, year, hour, minute = map(int, match.groups()[:5])
            month, day = (second, first) if dayfirst else (first, second)
            return datetime(year, month, day, hour, minute, int(match.group(6) or 0))
        if match := _YEAR_FIRST.fullmatch(text):
            year, month, day, hour, minute, second = map(int, match.groups()[:6])
            hour = _twelve_hour(hour, match.group(7))
            return datetime(year, month, day, hour, minute, second)
        if match := _DOTTED.fullmatch(text):
            day, month, year, hour, minute = map(int, match.groups()[:5])
            return datetime(year, month, day, hour, minute, int(match.group(6) or 0))
    except ValueError:
        return None
    return None


def _epoch(text: str) -> datetime | None:
    """Seconds (10 digits today) or milliseconds (13) since 1970, as boost apps write them."""
    if not _EPOCH.fullmatch(text):
        return None
    number = float(text)
    whole = len(text.split(".")[0])
    seconds = number / 1000 if whole >= 12 else number
    if not 1e8 <= seconds < 7e9:  # 1973 to 2191: anything else is not a time
        return None
    return datetime.fromtimestamp(seconds, UTC)


_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_DAY_ZERO = datetime(1899, 12, 30)


def _excel_serial(text: str) -> datetime | None:
    """A spreadsheet's date as a number of days (46351.5 is 2026-11-25 12:00), as a sheet's
    time column without a date format holds it: 1954 to 2119, no zone."""
    if not _SERIAL.fullmatch(text) or not 20000 <= (days := float(text)) < 80000:
        return None
    return _EXCEL_DAY_ZERO + timedelta(seconds=round(days * 86400))


_CLOCKS: dict[tuple[int, int], tuple[tzinfo, bool]] = {}  # by id (tzlocal is unhashable)


def _changes_clocks(zone: tzinfo, year: int) -> bool:
    """Whether the zone has summer time that year (its offsets in January and July differ)."""
    known = _CLOCKS.get((id(zone), year))
    if known is None or known[0] is not zone:
        winter, summer = datetime(year, 1, 15, tzinfo=zone), datetime(year, 7, 15, tzinfo=zone)
        known = _CLOCKS[id(zone), year] = (zone, winter.utcoffset() != summer.utcoffset())
    return known[1]


def parse_date(text: str, *, dayfirst: bool = False, zone: tzinfo = UTC) -> str:
    """A date as forms, exports and headers write it, as stored (UTC ISO); ValueError saying
    why when it is not one. A date without a zone is taken to be in `zone`."""
    text = text.strip()
    moment = common_shape(text, dayfirst)
    if moment is None:
        rest, written = split_zone(text)
        if written is not None:
            moment = common_shape(rest, dayfirst) or _general(rest, text, dayfirst)
            if moment.tzinfo is not None:
                raise ValueError(f"two time zones in the date {one_line(text)}")
            moment = moment.replace(tzinfo=written)
    if moment is None:
        moment = _epoch(text) or _excel_serial(text) or _general(text, text, dayfirst)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
        # a time a DST change skips moves on by the gap, as typed ones do; clocks change in
        # the night (00:00-03:59, Greenland's at 22:00) of a zone that has summer time, and
        # the check costs ~30-100 us a row: only those rows pay it
        if (moment.hour < 4 or moment.hour >= 22) and _changes_clocks(zone, moment.year):
            moment = date_tz.resolve_imaginary(moment)
    try:
        return to_iso(moment)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"the date {one_line(text)} is out of range") from error


def _general(text: str, whole: str, dayfirst: bool) -> datetime:
    if _NAMED_SIGN.search(text):  # "GMT+1" left inside: dateutil would turn its sign round
        raise ValueError(f"cannot tell the time zone of the date {one_line(whole)}")
    try:
        with warnings.catch_warnings():
            # "14:22 XYZ": dateutil would drop a zone it does not know and guess wrong.
            warnings.simplefilter("error", date_parser.UnknownTimezoneWarning)
            return date_parser.parse(text, dayfirst=dayfirst)
    except date_parser.UnknownTimezoneWarning:
        raise ValueError(f"unknown time zone in the date {one_line(whole)}") from None
    except (ValueError, OverflowError, TypeError) as error:
        raise ValueError(f"cannot understand the date {one_line(whole)}") from error
