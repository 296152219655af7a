"""Times of day and the host's zone in natural dates: "monday at 9", "next tuesday 3pm".

`now` is Tuesday 2026-11-24 12:00 UTC (13:00 in Berlin, 07:00 in New York). The phrases, the
one meaning of "next <weekday>" and the snooze rule (a weekday or a time alone that has passed
means its next one) are in parse_when's docstring and the README.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.model.dates import WEEKDAYS, describe, parse_when, to_iso, zone_name

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = tz.gettz("America/New_York")
# zones with DST at 02:00, at midnight (Santiago), by 30 minutes (Lord Howe), south and north
NAMED = ["Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe"]
ZONES = st.sampled_from(NAMED).map(ZoneInfo) | st.sampled_from(NAMED).map(tz.gettz)


def local(*args, zone=BERLIN) -> datetime:
    return datetime(*args, tzinfo=zone)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("monday at 9", (2026, 11, 30, 9)),
        ("Monday at 9", (2026, 11, 30, 9)),
        ("next tuesday 3pm", (2026, 12, 1, 15)),
        ("next wednesday 3pm", (2026, 11, 25, 15)),  # the first wednesday after today
        ("friday 10:30", (2026, 11, 27, 10, 30)),
        ("fri 10:30am", (2026, 11, 27, 10, 30)),
        ("friday 9", (2026, 11, 27, 9)),
        ("tomorrow noon", (2026, 11, 25, 12)),
        ("tomorrow at noon", (2026, 11, 25, 12)),
        ("tomorrow morning", (2026, 11, 25, 9)),
        ("tomorrow in the afternoon", (2026, 11, 25, 15)),
        ("tonight", (2026, 11, 24, 20)),
        ("tonight at 10", (2026, 11, 24, 22)),
        ("tonight at 9:30", (2026, 11, 24, 21, 30)),
        ("9am", (2026, 11, 24, 9)),
        ("9 pm", (2026, 11, 24, 21)),
        ("9 p.m.", (2026, 11, 24, 21)),
        ("at 17", (2026, 11, 24, 17)),
        ("12am", (2026, 11, 24, 0)),
        ("12pm", (2026, 11, 24, 12)),
        ("monday 9:30pm", (2026, 11, 30, 21, 30)),
        ("9am tomorrow", (2026, 11, 25, 9)),
        ("3pm on friday", (2026, 11, 27, 15)),
        ("next week", (2026, 11, 30)),
        ("next week 9am", (2026, 11, 30, 9)),
        ("end of month", (2026, 11, 30)),
        ("end of the month 17:00", (2026, 11, 30, 17)),
        ("friday midnight", (2026, 11, 28)),  # the 00:00 that ends friday
        ("midnight", (2026, 11, 25)),
        ("last friday", (2026, 11, 20)),
        ("last tuesday", (2026, 11, 17)),
        ("in 3 days at 9", (2026, 11, 27, 9)),
        ("dec 1 at 9", (2026, 12, 1, 9)),
        ("2026-12-01 9am", (2026, 12, 1, 9)),
        ("2026-12-01 at 21:15", (2026, 12, 1, 21, 15)),
    ],
)
def test_days_with_times_of_day_in_the_hosts_zone(text, expected):
    assert parse_when(text, NOW, BERLIN) == local(*expected)


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        # 13:00 on a tuesday in Berlin: what has passed today is the next one for a snooze
        ("9am", False, (2026, 11, 24, 9)),
        ("9am", True, (2026, 11, 25, 9)),
        ("3pm", True, (2026, 11, 24, 15)),
        ("tuesday", False, (2026, 11, 24)),
        ("tuesday", True, (2026, 12, 1)),
        ("tuesday 9am", True, (2026, 12, 1, 9)),
        ("tuesday 3pm", True, (2026, 11, 24, 15)),
        ("next tuesday 3pm", True, (2026, 12, 1, 15)),
        ("monday at 9", True, (2026, 11, 30, 9)),
    ],
)
def test_a_snooze_means_the_next_weekday_or_time_not_one_gone_by(text, future, expected):
    assert parse_when(text, NOW, BERLIN, future=future) == local(*expected)


@pytest.mark.parametrize(
    "text", ["at 25", "13pm", "0am", "friday 9:75", "in 2 hours at 3", "tonight at 24"]
)
def test_impossible_times_are_bad_input_in_one_line(text):
    with pytest.raises(BadInput) as refused:
        parse_when(text, NOW, BERLIN)
    assert repr(text) in str(refused.value) and "\n" not in str(refused.value)


def test_a_time_a_dst_change_skips_moves_on_and_a_repeated_one_is_the_first():
    sunday = datetime(2026, 3, 28, 12, tzinfo=UTC)  # Berlin springs forward 02:00 -> 03:00
    assert parse_when("tomorrow 2:30", sunday, BERLIN) == local(2026, 3, 29, 3, 30)
    assert to_iso(parse_when("tomorrow 2:30", sunday, BERLIN)) == "2026-03-29T01:30:00Z"
    autumn = datetime(2026, 10, 24, 12, tzinfo=UTC)  # 03:00 -> 02:00: 02:30 happens twice
    assert to_iso(parse_when("tomorrow 2:30", autumn, BERLIN)) == "2026-10-25T00:30:00Z"
    # Santiago springs forward at midnight: the day starts at 01:00
    santiago = ZoneInfo("America/Santiago")
    before = datetime(2026, 9, 5, 12, tzinfo=UTC)
    assert parse_when("tomorrow", before, santiago).hour == 1


def test_describe_names_the_day_time_and_zone():
    moment = parse_when("monday at 9", NOW, BERLIN)
    assert describe(moment, BERLIN, NOW) == "Mon 30 Nov 09:00 (Europe/Berlin)"
    assert describe(moment, NEW_YORK, NOW) == "Mon 30 Nov 03:00 (America/New_York)"
    assert describe(moment, UTC, NOW) == "Mon 30 Nov 08:00 (UTC)"
    later = parse_when("2027-01-04 9am", NOW, BERLIN)
    assert describe(later, BERLIN, NOW) == "Mon 04 Jan 2027 09:00 (Europe/Berlin)"
    assert zone_name(moment.astimezone(tz.tzoffset(None, 3600))) == "+0100"


WEEKDAY_NAMES = st.sampled_from(sorted(WEEKDAYS))
TIMES = st.one_of(
    st.builds(lambda h, m: ((h, m), f"{h}:{m:02d}"), st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda h: ((h, 0), f"at {h}"), st.integers(0, 23)),
    st.builds(
        lambda h, pm: ((h % 12 + 12 * pm, 0), f"{h}{'pm' if pm else 'am'}"),
        st.integers(1, 12),
        st.booleans(),
    ),
    st.sampled_from([((12, 0), "noon"), ((9, 0), "morning"), ((19, 0), "evening")]),
)
NOWS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
)


@settings(max_examples=400, deadline=None)
@given(
    now=NOWS,
    zone=ZONES,
    prefix=st.sampled_from(["", "this ", "on ", "next "]),
    day=WEEKDAY_NAMES,
    clock=TIMES,
    time_first=st.booleans(),
)
def test_any_weekday_and_time_snoozes_to_a_future_moment_on_that_day(
    now, zone, prefix, day, clock, time_first
):
    (hour, minute), said = clock
    text = f"{said} {prefix}{day}" if time_first else f"{prefix}{day} {said}"
    moment = parse_when(text, now, zone, future=True)
    assert moment > now
    held = moment.astimezone(zone)
    assert held.weekday() == WEEKDAYS[day]
    today = now.astimezone(zone).date()
    assert 0 <= (held.date() - today).days <= 7  # this week's, or a week on once it passed
    if prefix == "next ":
        assert held.date() > today
    # the time typed, unless a DST change skipped it (then later by the gap, same day)
    typed = datetime.combine(held.date(), datetime.min.time()).replace(hour=hour, minute=minute)
    assert held.replace(tzinfo=None) >= typed
    assert held.replace(tzinfo=None) - typed <= timedelta(hours=1)  # these zones' gaps: 1 h


@settings(max_examples=300, deadline=None)
@given(
    now=NOWS, zone=ZONES, prefix=st.sampled_from(["", "this ", "on ", "next "]), day=WEEKDAY_NAMES
)
def test_next_weekday_has_one_meaning_the_first_after_today(now, zone, prefix, day):
    today = now.astimezone(zone).date()
    held = parse_when(f"{prefix}{day}", now, zone).astimezone(zone).date()
    ahead = (held - today).days
    assert held.weekday() == WEEKDAYS[day]
    assert (1 <= ahead <= 7) if prefix == "next " else (0 <= ahead <= 6)


@settings(max_examples=300, deadline=None)
@given(now=NOWS, zone=ZONES, days=st.integers(-400, 400), hour=st.integers(0, 23))
def test_a_local_date_and_time_written_out_round_trips(now, zone, days, hour):
    wanted = now.astimezone(zone).date() + timedelta(days=days)
    text = f"{wanted.isoformat()} {hour:02d}:30"
    moment = parse_when(text, now, zone)
    again = parse_when(moment.astimezone(zone).strftime("%Y-%m-%d %H:%M"), now, zone)
    assert to_iso(again) == to_iso(moment)
    assert moment.astimezone(zone).date() == wanted


@settings(max_examples=200, deadline=None)
@given(now=NOWS, zone=ZONES, text=st.sampled_from(["monday at 9", "tomorrow noon", "9am"]))
def test_what_describe_shows_is_what_is_stored(now, zone, text):
    moment = parse_when(text, now, zone, future=True)
    shown = describe(moment, zone, now)
    local_moment = moment.astimezone(zone)
    assert shown.startswith(local_moment.strftime("%a %d %b"))
    assert local_moment.strftime("%H:%M") in shown


def test_dst_days_in_named_zones_resolve_to_real_moments():
    # every day of 2026 at 02:30 in each zone: a moment that exists, on that day or by the gap
    for name in NAMED:
        zone = ZoneInfo(name)
        for offset in range(365):
            day = date(2026, 1, 1) + timedelta(days=offset)
            moment = parse_when(f"{day.isoformat()} 2:30", NOW, zone)
            assert moment == moment.astimezone(UTC).astimezone(zone)  # it exists
            assert moment.astimezone(zone).date() == day


def test_the_queue_snoozes_in_its_hosts_zone_and_refuses_the_past(store, clock):
    from qa_queue.model.question import Question
    from qa_queue.queue import QuestionQueue

    queue = QuestionQueue(store, me="austin", clock=clock, zone=BERLIN)
    queue.add_host("austin", "Austin")
    qid = queue.add(Question("Q", "body", "2026-11-20T00:00:00Z")).id
    assert queue.snooze(qid, "monday at 9").snoozed_until == "2026-11-30T08:00:00Z"
    assert queue.snooze(qid, "next tuesday 3pm").snoozed_until == "2026-12-01T14:00:00Z"
    assert queue.snooze(qid, "tuesday 9am").snoozed_until == "2026-12-01T08:00:00Z"
    assert queue.snooze(qid, "in 2 hours").snoozed_until == "2026-11-24T14:00:00Z"
    with pytest.raises(BadInput, match=r"'today' is Tue 24 Nov 00:00 \(Europe/Berlin\), in the"):
        queue.snooze(qid, "today")
    shown = describe(queue.snooze_until("monday at 9"), queue.zone, queue.now())
    assert shown == "Mon 30 Nov 09:00 (Europe/Berlin)"
