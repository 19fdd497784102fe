"""Schedule maths: a local wall-clock time on some weekdays → UTC instants, east and west of UTC, across DST."""
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.errors import UserError
from core.schedule import (
    ALL_DAYS,
    Rule,
    describe_days,
    next_due,
    occurrence_on,
    parse_time,
    parse_weekday,
    parse_weekdays,
    previous_due,
)


def rule(local: str, tz: str, days: str = ALL_DAYS) -> Rule:
    return Rule(time.fromisoformat(local), days, ZoneInfo(tz))


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


@pytest.mark.parametrize(("local", "tz", "day", "expected"), [
    # ordinary days, east and west of UTC, and across the date line
    ("18:00", "Europe/Berlin", date(2026, 11, 24), "2026-11-24T17:00Z"),
    ("18:00", "Europe/Berlin", date(2026, 7, 1), "2026-07-01T16:00Z"),
    ("09:00", "Asia/Tokyo", date(2026, 11, 24), "2026-11-24T00:00Z"),
    ("08:00", "Asia/Tokyo", date(2026, 11, 24), "2026-11-23T23:00Z"),
    ("09:30", "Asia/Kolkata", date(2026, 11, 24), "2026-11-24T04:00Z"),
    ("07:00", "Pacific/Kiritimati", date(2026, 11, 24), "2026-11-23T17:00Z"),
    ("18:00", "America/Los_Angeles", date(2026, 11, 24), "2026-11-25T02:00Z"),
    ("20:00", "Pacific/Pago_Pago", date(2026, 11, 24), "2026-11-25T07:00Z"),
    # spring forward: the skipped time fires when the clocks jump (the first valid instant after it)
    ("02:30", "Europe/Berlin", date(2026, 3, 29), "2026-03-29T01:00Z"),
    ("02:30", "America/New_York", date(2026, 3, 8), "2026-03-08T07:00Z"),
    ("02:30", "Australia/Sydney", date(2026, 10, 4), "2026-10-03T16:00Z"),
    ("02:15", "Australia/Lord_Howe", date(2026, 10, 4), "2026-10-03T15:30Z"),  # a half-hour jump
    ("00:30", "America/Havana", date(2026, 3, 8), "2026-03-08T05:00Z"),  # midnight jumps to 01:00
    # fall back: the repeated time fires at its first occurrence
    ("02:30", "Europe/Berlin", date(2026, 10, 25), "2026-10-25T00:30Z"),
    ("01:30", "America/New_York", date(2026, 11, 1), "2026-11-01T05:30Z"),
    ("02:30", "Australia/Sydney", date(2026, 4, 5), "2026-04-04T15:30Z"),
    # the days around a change keep their wall-clock time
    ("18:00", "Europe/Berlin", date(2026, 10, 24), "2026-10-24T16:00Z"),
    ("18:00", "Europe/Berlin", date(2026, 10, 25), "2026-10-25T17:00Z"),
    ("18:00", "America/New_York", date(2026, 3, 7), "2026-03-07T23:00Z"),
    ("18:00", "America/New_York", date(2026, 3, 8), "2026-03-08T22:00Z"),
])
def test_occurrence_on_a_local_date(local, tz, day, expected) -> None:
    assert occurrence_on(rule(local, tz), day) == at(expected)


def test_a_repeated_time_fires_once_on_a_fall_back_day() -> None:
    berlin = rule("02:30", "Europe/Berlin")
    first = next_due(berlin, at("2026-10-24T23:00Z"))
    assert first == at("2026-10-25T00:30Z")
    # the second 02:30 (01:30 UTC) is not another occurrence: next is the following night
    assert next_due(berlin, first) == at("2026-10-26T01:30Z")


def test_a_skipped_time_fires_once_on_a_spring_forward_day() -> None:
    berlin = rule("02:30", "Europe/Berlin")
    first = next_due(berlin, at("2026-03-28T23:00Z"))
    assert first == at("2026-03-29T01:00Z")
    assert next_due(berlin, first) == at("2026-03-30T00:30Z")


def test_daily_instants_follow_the_wall_clock_through_a_week_with_a_dst_change() -> None:
    evening = rule("18:00", "America/New_York", "01234")  # weekdays
    instant, seen = at("2026-03-05T12:00Z"), []
    for _ in range(5):
        instant = next_due(evening, instant)
        seen.append(instant.astimezone(ZoneInfo("America/New_York")).strftime("%a %H:%M %z"))
    assert seen == ["Thu 18:00 -0500", "Fri 18:00 -0500", "Mon 18:00 -0400", "Tue 18:00 -0400", "Wed 18:00 -0400"]


@pytest.mark.parametrize(("after", "expected"), [
    ("2026-11-27T14:59Z", "2026-11-27T15:00Z"),  # Friday, before 16:00 Berlin
    ("2026-11-27T15:00Z", "2026-12-04T15:00Z"),  # exactly at it: strictly after means next week
    ("2026-11-28T09:00Z", "2026-12-04T15:00Z"),
])
def test_weekly_next_due_is_strictly_after(after, expected) -> None:
    assert next_due(rule("16:00", "Europe/Berlin", "4"), at(after)) == at(expected)


def test_west_of_utc_the_local_date_decides_the_weekday() -> None:
    # Friday 20:00 in Los Angeles is Saturday 04:00 UTC
    friday_evening = rule("20:00", "America/Los_Angeles", "4")
    assert next_due(friday_evening, at("2026-11-27T12:00Z")) == at("2026-11-28T04:00Z")
    # Monday 08:00 in Tokyo is Sunday 23:00 UTC
    monday_morning = rule("08:00", "Asia/Tokyo", "0")
    assert next_due(monday_morning, at("2026-11-27T12:00Z")) == at("2026-11-29T23:00Z")


def test_previous_due_is_the_latest_occurrence_not_after() -> None:
    daily = rule("18:00", "Europe/Berlin")
    assert previous_due(daily, at("2026-11-24T17:00Z")) == at("2026-11-24T17:00Z")
    assert previous_due(daily, at("2026-11-24T16:59Z")) == at("2026-11-23T17:00Z")
    assert previous_due(rule("16:00", "Europe/Berlin", "4"), at("2026-11-30T09:00Z")) == at("2026-11-27T15:00Z")


@pytest.mark.parametrize(("text", "expected"), [
    ("18:00", time(18)), ("9:30", time(9, 30)), ("09.05", time(9, 5)), ("7pm", time(19)), ("7:15 am", time(7, 15)),
    ("12am", time(0)), ("12pm", time(12)), ("18h", time(18)), ("0:00", time(0)),
])
def test_parse_time(text, expected) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "18:60", "13pm", "noonish", "", "1800000"])
def test_parse_time_refuses_what_is_not_a_time(text) -> None:
    with pytest.raises(UserError, match="HH:MM"):
        parse_time(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("", "0123456"), ("every day", "0123456"), ("weekdays", "01234"), ("mon-fri", "01234"),
    ("mon,wed,fri", "024"), ("Tue Thu", "13"), ("fri-mon", "0456"), ("weekends", "56"), ("Saturdays", "5"),
])
def test_parse_weekdays(text, expected) -> None:
    assert parse_weekdays(text) == expected


def test_parse_weekdays_names_the_word_it_does_not_know() -> None:
    with pytest.raises(UserError, match="“funday”"):
        parse_weekdays("mon funday")


def test_day_names_and_descriptions() -> None:
    assert [parse_weekday(w) for w in ("mon", "Tuesday", "thurs", "SUN", "mo", "x")] == [0, 1, 3, 6, None, None]
    assert describe_days("0123456") == "every day"
    assert describe_days("01234") == "Monday to Friday"
    assert describe_days("4") == "Fridays"
    assert describe_days("024") == "Mon, Wed, Fri"
