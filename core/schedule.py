"""When a reminder fires: a local wall-clock time on some weekdays, in the user's timezone, as UTC instants.

Local time is what the user means ("18:00 every weekday"), so each occurrence is worked out from the local date,
not by adding 24 hours to the last one: that is what keeps the time right across daylight-saving changes.
Two wall-clock times need a rule: one skipped by a spring-forward change fires at the first valid instant after
it (the moment the clocks jump), and one repeated by a fall-back change fires once, at its first occurrence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.errors import UserError
from core.i18n import N_, _, current_locale

ALL_DAYS = "0123456"
WORKDAYS = "01234"
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ABBREVIATIONS = {"tues": 1, "thur": 3, "thurs": 3}
_TIME = re.compile(r"(\d{1,2})(?:[:.h](\d{2})|h)?\s*(am|pm)?", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """``HH:MM`` on the ISO weekdays in ``weekdays`` (Monday = 0), in ``tz``."""

    local_time: time
    weekdays: str
    tz: ZoneInfo


def next_due(rule: Rule, after: datetime) -> datetime:
    """The first occurrence strictly after ``after`` (UTC)."""
    start = after.astimezone(rule.tz).date() - timedelta(days=1)
    for offset in range(9):
        day = start + timedelta(days=offset)
        if str(day.weekday()) in rule.weekdays:
            instant = occurrence_on(rule, day)
            if instant > after:
                return instant
    raise ValueError(f"no occurrence in a week for weekdays {rule.weekdays!r}")


def previous_due(rule: Rule, at_or_before: datetime) -> datetime:
    """The latest occurrence at or before ``at_or_before``: the one a late (catch-up) message stands for."""
    start = at_or_before.astimezone(rule.tz).date() + timedelta(days=1)
    for offset in range(9):
        day = start - timedelta(days=offset)
        if str(day.weekday()) in rule.weekdays:
            instant = occurrence_on(rule, day)
            if instant <= at_or_before:
                return instant
    raise ValueError(f"no occurrence in a week for weekdays {rule.weekdays!r}")


def occurrence_on(rule: Rule, day: date) -> datetime:
    """The UTC instant of ``rule.local_time`` on the local date ``day``."""
    wall = datetime.combine(day, rule.local_time, tzinfo=rule.tz)  # fold=0: the first of a repeated time
    instant = wall.astimezone(UTC)
    if instant.astimezone(rule.tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    return _end_of_gap(wall)


def _end_of_gap(wall: datetime) -> datetime:
    """The instant the clocks jumped over ``wall`` (a local time that doesn't exist that day).

    With fold=0 the time reads with the offset before the jump, with fold=1 the offset after; the jump lies
    between the two readings, found by bisection to the second.
    """
    low = wall.replace(fold=1).astimezone(UTC)
    high = wall.replace(fold=0).astimezone(UTC)
    if low > high:
        low, high = high, low
    after = high.astimezone(wall.tzinfo).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(wall.tzinfo).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def parse_time(text: str) -> time:
    """``18:00``, ``9:30``, ``7pm``, ``7:15 am``, ``18h`` → a wall-clock time; a clear error otherwise."""
    match = _TIME.fullmatch(text.strip())
    hour = minute = -1
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        meridiem = (match.group(3) or "").lower()
        if meridiem:
            hour = -1 if not 1 <= hour <= 12 else hour % 12 + (12 if meridiem == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise UserError(_("“{text}” is not a time of day; give it as HH:MM, e.g. 18:00 or 9:30.").format(
            text=text.strip()))
    return time(hour, minute)


def parse_weekday(text: str) -> int | None:
    """``mon``, ``Tuesday``, ``thurs`` → its ISO weekday (Monday = 0); None when it isn't a day name."""
    word = text.strip().lower().rstrip(",.")
    if word in _ABBREVIATIONS:
        return _ABBREVIATIONS[word]
    if len(word) >= 3:
        for number, name in enumerate(DAY_NAMES):
            if name.startswith(word) or word == name + "s":
                return number
    return None


def parse_weekdays(text: str) -> str:
    """``weekdays``, ``mon-fri``, ``mon,wed,fri``, ``every day`` (or nothing) → the weekdays string."""
    words = text.strip().lower().replace(",", " ").replace("–", "-").split()
    if not words or " ".join(words) in ("every day", "everyday", "daily", "all", "all days"):
        return ALL_DAYS
    if words in (["weekdays"], ["workdays"], ["working", "days"]):
        return WORKDAYS
    if words == ["weekends"] or words == ["weekend"]:
        return "56"
    days: set[int] = set()
    for word in words:
        first, dash, last = word.partition("-")
        start, end = parse_weekday(first), parse_weekday(last) if dash else None
        if start is None or (dash and end is None):
            raise UserError(_("“{word}” is not a day I know. Say e.g. weekdays, mon-fri or mon,wed,fri.").format(
                word=word))
        if end is None:
            days.add(start)
        else:
            span = (end - start) % 7
            days.update((start + step) % 7 for step in range(span + 1))
    return "".join(str(day) for day in sorted(days))


EVERY_WEEKDAY = (N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"), N_("Fridays"), N_("Saturdays"),
                 N_("Sundays"))


def describe_days(weekdays: str) -> str:
    """``0123456`` → "every day", ``01234`` → "Monday to Friday", ``024`` → "Mon, Wed, Fri" (German "Mo., Mi., Fr.")."""
    from babel.dates import get_day_names

    if weekdays == ALL_DAYS:
        return _("every day")
    if weekdays == WORKDAYS:
        return _("Monday to Friday")
    if len(weekdays) == 1:
        return _(EVERY_WEEKDAY[int(weekdays)])
    names = get_day_names("abbreviated", locale=current_locale())  # Monday is 0, as here
    return ", ".join(names[int(day)] for day in weekdays)


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)
