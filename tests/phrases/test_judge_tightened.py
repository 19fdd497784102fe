"""SPEC §5 tightened, each rule as a table written before the parser followed it: a day ahead asks, a date long ago
is never taken silently, the timezone's country (not a default locale) orders 03/04, a word that begins two
clients' names asks, a reversed range asks, 9-11 is a range, and one message may hold several entries.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.phrases.judging import BERLIN, T, Y, ask, check, entries, entry, judge, no, ok

CLIENTS = ("Contoso", "Fabrikam", "Northwind Traders", "North Star Ltd", "ACME", "ACME Labs", "Tailspin")
FIRST_DEC = datetime.fromisoformat("2026-12-01T10:00:00+01:00")

AHEAD = [  # on Tuesday 1 December 2026
    ask("2h audit Contoso 5 Dec"),
    ask("2h audit Contoso Dec 5"),
    ask("2h audit Contoso on the 5th of December"),
    ask("2h audit Contoso 2026-12-09"),
    ask("2h audit Contoso 09.12.2026"),
    ask("2h audit Contoso 9 December 2026"),
    ask("2h audit Contoso 24 Dec"),
    no("2h audit Contoso 2027-12-09", "not done yet"),
    no("2h audit Contoso tomorrow", "not done yet"),
    ok("2h audit Contoso 1 Dec", 120, "Contoso", "2026-12-01", "audit"),
    ok("2h audit Contoso 30 Nov", 120, "Contoso", "2026-11-30", "audit"),
    ok("2h audit Contoso 2026-11-30", 120, "Contoso", "2026-11-30", "audit"),
    ok("2h audit Contoso 2025-12-09", 120, "Contoso", "2025-12-09", "audit"),
]

LONG_AGO = [  # on Tuesday 24 November 2026
    no("2h audit Contoso 1999-01-01", "long ago"),
    no("2h audit Contoso 01.01.1999", "long ago"),
    no("2h audit Contoso 0001-01-01", "no such date"),
    no("2h audit Contoso 1 January 0001", "no such date"),
    no("2h audit Contoso 1 Jan 1999", "long ago"),
    no("2h audit Contoso 2019-03-01", "long ago"),
    ok("2h audit Contoso 2025-01-10", 120, "Contoso", "2025-01-10", "audit"),
    ok("2h audit Contoso 18 Nov 2025", 120, "Contoso", "2025-11-18", "audit"),
]

NEW_YORK, LONDON, UTC = ZoneInfo("America/New_York"), ZoneInfo("Europe/London"), ZoneInfo("UTC")
TORONTO = ZoneInfo("America/Toronto")
NUMERIC = [  # (phrase, timezone, chosen locale, expected date or None for a question)
    ("2h audit Contoso 03/04", NEW_YORK, None, "2026-03-04"),
    ("2h audit Contoso 04/06", NEW_YORK, None, "2026-04-06"),
    ("2h audit Contoso 03/04", LONDON, None, "2026-04-03"),
    ("2h audit Contoso 03/04", BERLIN, None, "2026-04-03"),
    ("2h audit Contoso 03/04", UTC, None, None),
    ("2h audit Contoso 03/04", TORONTO, None, None),
    ("2h audit Contoso 03/04/2026", UTC, None, None),
    ("2h audit Contoso 03/04", LONDON, "en_US", "2026-03-04"),
    ("2h audit Contoso 03/04", NEW_YORK, "en_GB", "2026-04-03"),
    ("2h audit Contoso 03/04", UTC, "de_DE", "2026-04-03"),
    ("2h audit Contoso 18/11", UTC, None, "2026-11-18"),
    ("2h audit Contoso 11/18", UTC, None, "2026-11-18"),
    ("2h audit Contoso 03.04.", UTC, None, "2026-04-03"),
]

PREFIXES = [
    ask("2h audit north"),
    ask("2h audit for north"),
    ask("2h audit @north"),
    ask("north: 2h audit"),
    ok("2h audit North Star Ltd", 120, "North Star Ltd", T, "audit"),
    ok("2h audit for north star", 120, "North Star Ltd", T, "audit"),
    ok("2h audit northwind", 120, "Northwind Traders", T, "audit"),
    ok("2h audit for ACME", 120, "ACME", T, "audit"),
    ok("2h audit acme labs", 120, "ACME Labs", T, "audit"),
    ask("2h audit for acm"),
]

RANGES = [
    ask("11:30-9:00 workshop Contoso"),
    ask("from 11:30 to 9:00 workshop Contoso"),
    ask("3pm-1pm workshop Contoso"),
    ask("22:00-01:30 deploy Contoso"),
    ok("10pm-2am deploy Contoso", 240, "Contoso", T, "deploy"),
    ok("12:30-1:30 standup Contoso", 60, "Contoso", T, "standup"),
    ok("9-11 workshop Contoso", 120, "Contoso", T, "workshop"),
    ok("workshop Contoso 9-11", 120, "Contoso", T, "workshop"),
    ok("7-9am workshop Contoso", 120, "Contoso", T, "workshop"),
    ok("2-4pm workshop Contoso", 120, "Contoso", T, "workshop"),
    ok("from 9-11 workshop Contoso", 120, "Contoso", T, "workshop"),
    ok("9 - 11 workshop Contoso yesterday", 120, "Contoso", Y, "workshop"),
    ok("1h fixed 2-3 bugs Contoso", 60, "Contoso", T, "fixed 2-3 bugs"),
    ok("2h review chapters 3-4 Contoso", 120, "Contoso", T, "review chapters 3-4"),  # another duration: no range
]

SEVERAL = [
    entries("2h design, 1h call for Contoso",
            entry(120, "Contoso", T, "design"), entry(60, "Contoso", T, "call")),
    entries("2h design Contoso; 1h call Fabrikam",
            entry(120, "Contoso", T, "design"), entry(60, "Fabrikam", T, "call")),
    entries("2h design Contoso\n1h call Fabrikam yesterday",
            entry(120, "Contoso", T, "design"), entry(60, "Fabrikam", Y, "call")),
    entries("yesterday: 2h design, 1h call Contoso",
            entry(120, "Contoso", Y, "design"), entry(60, "Contoso", Y, "call")),
    entries("Contoso\n2h design\n45m call",
            entry(120, "Contoso", T, "design"), entry(45, "Contoso", T, "call")),
    entries("1,5h bugfix, 2h call Contoso",
            entry(90, "Contoso", T, "bugfix"), entry(120, "Contoso", T, "call")),
    entries("€500 website, 2h call for Contoso",
            entry(None, "Contoso", T, "website", "500", "EUR"), entry(120, "Contoso", T, "call")),
    entries("2h design for Contoso, 1h call for Fabrikam, 30m email for Tailspin",
            entry(120, "Contoso", T, "design"), entry(60, "Fabrikam", T, "call"),
            entry(30, "Tailspin", T, "email")),
    entries("2h design for Globex; 1h call Contoso",
            entry(120, None, T, None), entry(60, "Contoso", T, "call")),
    ok("2h logo design, Contoso, yesterday.", 120, "Contoso", Y, "logo design"),
    entries("yesterday: 2h design Contoso, 1h call Fabrikam",
            entry(120, "Contoso", Y, "design"), entry(60, "Fabrikam", Y, "call")),
    entries("9:00-11:00 design Contoso, 1h call Fabrikam",
            entry(120, "Contoso", T, "design"), entry(60, "Fabrikam", T, "call")),
    ok("1 hour, 15 minutes audit Contoso", 75, "Contoso", T, "audit"),
    ask("2h design for Contoso (1h mockups, 1h call)"),  # one entry (a breakdown in brackets), three durations
    entries("2h design, 1h call for Contoso\n30m review Fabrikam yesterday",  # a line shares within itself
            entry(120, "Contoso", T, "design"), entry(60, "Contoso", T, "call"), entry(30, "Fabrikam", Y, "review")),
    entries("2 Std. Logo, 1 Std. Telefonat für Contoso gestern",  # German in an English chat
            entry(120, "Contoso", Y, "logo"), entry(60, "Contoso", Y, "telefonat")),
    ok("2h logo design for Contoso\nyesterday", 120, "Contoso", Y, "logo design"),
    ok("design: 2h, Contoso", 120, "Contoso", T, "design"),
    ask("2h design and 1h call for Contoso"),
    ask("2h design Contoso; 3h 2h call Fabrikam"),
    no("2h design Contoso; 1h call Fabrikam tomorrow", "not done yet"),
]


@pytest.mark.parametrize("text, expected", AHEAD)
def test_a_day_ahead_asks(text, expected):
    answer = judge(text, CLIENTS, now=FIRST_DEC)
    check(answer, expected)


def test_the_question_for_a_day_ahead_offers_this_year_and_last():
    answer = judge("2h audit Contoso 5 Dec", CLIENTS, now=FIRST_DEC)
    assert answer["error"].startswith("5 December is ahead") and answer["error"].endswith("?")
    assert answer["choices"] == ["5 December 2026", "5 December 2025"]


@pytest.mark.parametrize("text, expected", LONG_AGO)
def test_a_date_long_ago_is_never_taken_silently(text, expected):
    check(judge(text, CLIENTS), expected)


@pytest.mark.parametrize("text, tz, locale, day", NUMERIC, ids=[f"{t} {z.key} {loc}" for t, z, loc, _ in NUMERIC])
def test_a_numeric_date_follows_a_chosen_locale_else_the_timezones_country(text, tz, locale, day):
    answer = judge(text, CLIENTS, tz=tz, locale=locale)
    if day is None:
        check(answer, {"ok": False, "choices": True})
    else:
        assert answer.get("date") == day, answer


@pytest.mark.parametrize("text, expected", PREFIXES)
def test_a_word_that_begins_two_names_asks(text, expected):
    check(judge(text, CLIENTS), expected)


@pytest.mark.parametrize("text, expected", RANGES)
def test_ranges(text, expected):
    check(judge(text, CLIENTS), expected)


@pytest.mark.parametrize("text, expected", SEVERAL)
def test_several_entries_in_one_message(text, expected):
    check(judge(text, CLIENTS), expected)


def test_the_tightened_tables_are_large():
    assert len(AHEAD + LONG_AGO + NUMERIC + PREFIXES + RANGES + SEVERAL) >= 70
