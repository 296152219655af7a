"""Dates as hosts type them and as the database stores them, resolved against a fixed `now`.

`now` is Tuesday 2026-11-24 12:00 UTC (07:00 in New York). A day without a time means the start
of that day in the host's zone; anything that is not a date is a BadInput with a one-line hint.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dateutil import tz
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.model.dates import (
    age,
    format_timestamp,
    from_iso,
    parse_timestamp,
    parse_when,
    to_iso,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday
NEW_YORK = tz.gettz("America/New_York")
ZONES = pytest.mark.parametrize("zone", [UTC, NEW_YORK], ids=["utc", "new_york"])


def at(zone, *args) -> datetime:
    return datetime(*args, tzinfo=zone)


def test_now_is_a_tuesday():
    assert NOW.strftime("%A") == "Tuesday"


@ZONES
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "next friday" is the first friday after today (on a Tuesday, this week's)
        ("next friday", (2026, 11, 27)),
        ("Next  Friday", (2026, 11, 27)),
        ("friday", (2026, 11, 27)),
        ("this friday", (2026, 11, 27)),
        ("fri", (2026, 11, 27)),
        ("tomorrow", (2026, 11, 25)),
        ("today", (2026, 11, 24)),
        ("tonight", (2026, 11, 24, 20)),
        ("in 2 weeks", (2026, 12, 8)),
        ("in 3 days", (2026, 11, 27)),
        ("in 1 day", (2026, 11, 25)),
        ("in a month", (2026, 12, 24)),
        ("next week", (2026, 11, 30)),  # the Monday that starts it
        ("next month", (2026, 12, 1)),
        ("2026-12-01", (2026, 12, 1)),
        ("2026-12-01 9am", (2026, 12, 1, 9)),
        ("Dec 1", (2026, 12, 1)),
        ("December 1 2026 14:30", (2026, 12, 1, 14, 30)),
    ],
)
def test_parse_when_days_and_dates_in_the_hosts_zone(zone, text, expected):
    result = parse_when(text, NOW, zone)
    assert result == at(zone, *expected)
    assert result.utcoffset() == at(zone, *expected).utcoffset()


@ZONES
def test_today_is_the_weekday_itself_but_next_weekday_is_a_week_on(zone):
    assert parse_when("tuesday", NOW, zone) == at(zone, 2026, 11, 24)
    assert parse_when("next tuesday", NOW, zone) == at(zone, 2026, 12, 1)


@ZONES
@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("in an hour", timedelta(hours=1)),
        ("in a minute", timedelta(minutes=1)),
        ("in 30 minutes", timedelta(minutes=30)),
        ("in 2 mins", timedelta(minutes=2)),
        ("in 4 hours", timedelta(hours=4)),
    ],
)
def test_in_minutes_and_hours_counts_from_now(zone, text, delta):
    assert parse_when(text, NOW, zone) == NOW + delta


def test_in_an_hour_is_an_hour_of_real_time_across_a_dst_change():
    # 2026-11-01 05:30 UTC is 01:30 EDT; at 02:00 EDT clocks go back to 01:00 EST, so an hour
    # later it is 01:30 again (EST). Compared in UTC: an ambiguous local time never compares
    # equal across zones (PEP 495).
    fall_back = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    result = parse_when("in an hour", fall_back, NEW_YORK)
    assert result.astimezone(UTC) == fall_back + timedelta(hours=1)
    assert (result.hour, result.minute, result.tzname()) == (1, 30, "EST")
    # 2026-03-08 06:30 UTC is 01:30 EST; clocks jump from 02:00 EST to 03:00 EDT
    spring_forward = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
    result = parse_when("in an hour", spring_forward, NEW_YORK)
    assert result.astimezone(UTC) == spring_forward + timedelta(hours=1)
    assert (result.hour, result.minute, result.tzname()) == (3, 30, "EDT")


def test_the_day_is_the_hosts_day_not_utcs():
    # 03:00 UTC on the 25th is still the evening of the 24th in New York
    late = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert parse_when("tomorrow", late, UTC) == at(UTC, 2026, 11, 26)
    assert parse_when("tomorrow", late, NEW_YORK) == at(NEW_YORK, 2026, 11, 25)
    assert to_iso(parse_when("today", late, NEW_YORK)) == "2026-11-24T05:00:00Z"


def test_a_time_of_day_is_in_the_hosts_zone():
    assert to_iso(parse_when("2026-12-01 9am", NOW, NEW_YORK)) == "2026-12-01T14:00:00Z"
    assert to_iso(parse_when("2026-12-01 9am", NOW, UTC)) == "2026-12-01T09:00:00Z"


def test_a_date_with_an_explicit_offset_keeps_it():
    assert to_iso(parse_when("2026-12-01T09:00:00+01:00", NOW, NEW_YORK)) == "2026-12-01T08:00:00Z"


@ZONES
@pytest.mark.parametrize(
    "text",
    [
        "blah",
        "next blursday",
        "soonish",
        "in 2 fortnights",
        "in two",
        "next",
        "2026-13-45",
        "",
        "   ",
        "in 9999 years",
        "in 99999999999999999999 days",
        "in 100000000 hours",
        "in 999999 weeks",
        "\x00\n\x1b[31m",
    ],
)
def test_nonsense_is_bad_input_with_a_one_line_hint(zone, text):
    with pytest.raises(BadInput) as refused:
        parse_when(text, NOW, zone)
    message = str(refused.value)
    assert "\n" not in message
    assert message
    if text.strip():
        assert repr(text) in message


def test_a_date_that_cannot_be_stored_in_utc_is_bad_input():
    assert to_iso(parse_when("9999-12-31 23:00", NOW, UTC)) == "9999-12-31T23:00:00Z"
    with pytest.raises(BadInput, match="out of range"):
        parse_when("9999-12-31 23:00", NOW, NEW_YORK)  # past the year 9999 once in UTC


def test_nonsense_suggests_what_works():
    with pytest.raises(BadInput, match=r"try 'next friday', 'monday at 9', 'in 2 weeks'"):
        parse_when("whenever", NOW, UTC)
    with pytest.raises(BadInput, match="unknown unit 'fortnight'"):
        parse_when("in 2 fortnights", NOW, UTC)
    with pytest.raises(BadInput, match="no date given"):
        parse_when("  ", NOW, UTC)


UNITS = st.sampled_from(["minute", "minutes", "hour", "hours", "day", "days", "weeks", "years"])


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=40),
        st.builds(lambda n, unit: f"in {n} {unit}", st.integers(0, 10**25), UNITS),
        st.from_regex(r"\A(next |this |on )?[a-z]{0,9}( \d{1,5})?\Z"),
        st.from_regex(r"\A\d{1,5}-\d{1,2}-\d{1,2}( \d{1,2}(am|pm|:\d\d))?\Z"),
    ),
    zone=st.sampled_from([UTC, NEW_YORK, tz.gettz("Asia/Tokyo")]),
)
def test_parse_when_raises_nothing_but_bad_input(text, zone):
    try:
        result = parse_when(text, NOW, zone)
    except BadInput as error:
        assert "\n" not in str(error)
    else:
        assert result.tzinfo is not None
        to_iso(result)  # whatever it accepts can be stored


def test_to_iso_is_utc_with_a_z_to_the_second():
    moment = datetime(2026, 11, 24, 7, 0, 5, 999_999, tzinfo=NEW_YORK)
    assert to_iso(moment) == "2026-11-24T12:00:05Z"
    assert to_iso(NOW) == "2026-11-24T12:00:00Z"


def test_to_iso_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="naive"):
        to_iso(datetime(2026, 11, 24, 12, 0))


def test_from_iso_reads_z_offsets_and_naive_text_as_utc():
    assert from_iso("2026-11-24T12:00:00Z") == NOW
    assert from_iso("2026-11-24T07:00:00-05:00") == NOW
    naive = from_iso("2026-11-24T12:00:00")
    assert naive == NOW and naive.tzinfo is not None


@given(st.datetimes(timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0)))
def test_to_iso_and_from_iso_round_trip(moment):
    assert from_iso(to_iso(moment)) == moment


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("00:41:05", 2465.0),
        ("41:05", 2465.0),
        ("1:02:03", 3723.0),
        ("0:00", 0.0),
        ("75:00", 4500.0),  # minutes alone may run past an hour
        ("1:02:03.5", 3723.5),
        ("  00:41:05 ", 2465.0),
        ("12:00:00", 43200.0),
        # as editors and podcast apps write a time
        ("41m05s", 2465.0),
        ("1h02m03s", 3723.0),
        ("41m", 2460.0),
        ("1h", 3600.0),
        ("41 min 5 s", 2465.0),
        ("90s", 90.0),
    ],
)
def test_parse_timestamp(text, seconds):
    assert parse_timestamp(text) == seconds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "41",
        "41:5",
        "1:2:3",
        "00:60:00",
        "00:00:60",
        "1:60",
        "ab:cd",
        "-1:00",
        "1:00:00:00",
        "41mm",
        "1h61m",
        "41m60s",
        "h",
    ],
)
def test_parse_timestamp_refuses_what_is_not_a_time_in_an_episode(text):
    with pytest.raises(BadInput) as refused:
        parse_timestamp(text)
    message = str(refused.value)
    assert repr(text) in message and "\n" not in message
    assert "HH:MM:SS" in message or "stop at 59" in message


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00:00"), (2465, "00:41:05"), (3723.9, "01:02:03"), (36000, "10:00:00")],
)
def test_format_timestamp(seconds, text):
    assert format_timestamp(seconds) == text


@given(st.integers(0, 99 * 3600))
def test_format_and_parse_timestamp_round_trip(seconds):
    assert parse_timestamp(format_timestamp(seconds)) == seconds


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-11-24T12:00:00Z", "now"),
        ("2026-11-24T11:59:30Z", "now"),
        ("2026-11-24T11:55:00Z", "5m"),
        ("2026-11-24T09:00:00Z", "3h"),
        ("2026-11-22T11:00:00Z", "2d"),
        ("2026-11-10T12:00:00Z", "2w"),
        ("2025-11-01T12:00:00Z", "1y"),
        ("2026-11-25T12:00:00Z", "now"),  # from the future (a skewed clock): not negative
        ("2026-11-24T07:00:00-05:00", "now"),
    ],
)
def test_age(received, expected):
    assert age(received, NOW) == expected
