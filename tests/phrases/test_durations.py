"""Durations in every form SPEC §5 lists, each inside realistic phrases (client first or last, dates, noise)."""
from __future__ import annotations

from datetime import date

import pytest

from core.phrases import AmbiguousPhrase, PhraseError
from tests.phrases.phrasebook import TODAY, read

DURATIONS = {
    "2h": 120, "2 h": 120, "2H": 120, "2hr": 120, "2 hrs": 120, "2hrs.": 120, "2 hours": 120, "2hours": 120,
    "1 hour": 60, "1,5h": 90, "1.5h": 90, "1.5 hours": 90, "2,25 h": 135, ".5h": 30, "0.75h": 45, "1,25 hrs": 75,
    "1h30": 90, "1h 30m": 90, "1h30m": 90, "1 h 30 min": 90, "1 hour 30 minutes": 90, "1 hr 30 mins": 90,
    "1h and 30m": 90, "1 hour and 15 minutes": 75, "1hr15": 75, "2h05": 125, "4h30": 270, "3h15": 195,
    "1:30h": 90, "1:30 hours": 90, "45m": 45, "45 m": 45, "45min": 45, "45 mins": 45, "45 minutes": 45,
    "90 minutes": 90, "5 min": 5, "an hour": 60, "one hour": 60, "two hours": 120, "twelve hours": 720,
    "three hrs": 180, "half an hour": 30, "half hour": 30, "a half hour": 30, "a quarter of an hour": 15,
    "quarter of an hour": 15, "a quarter hour": 15, "three quarters of an hour": 45, "an hour and a half": 90,
    "one and a half hours": 90, "two and a half hours": 150, "1 and a half hours": 90, "2 hours and a half": 150,
    "an hour and a quarter": 75, "fifteen minutes": 15, "twenty minutes": 20, "forty-five minutes": 45,
    "thirty mins": 30, "½h": 30, "1½h": 90, "1 ½ hours": 90, "1/2h": 30, "9:00-11:30": 150, "9:00 - 11:30": 150,
    "9:00–11:30": 150, "10am-12pm": 120, "10 am - 12 pm": 120, "10am to 12pm": 120, "9-11am": 120,
    "11-1pm": 120, "11am-1pm": 120, "from 14:00 to 17:15": 195, "from 9 to 11": 120, "from 2pm to 5pm": 180,
    "between 9 and 11": 120, "14:00-17:15": 195, "10pm-1:30am": 210, "8:30 till 10": 90, "8:30 until 10:15": 105,
    "1:15": 75, "0:45": 45, "2-hour": 120, "90-minute": 90, "24h": 1440, "２h": 120,
    "2 hours 30": 150, "2h 30": 150, "2 hrs 45": 165, "2h30min": 150, "2 1/2 hours": 150, "1 1/2 hrs": 90,
    "two hours and thirty minutes": 150, "1hr": 60, "90min": 90, "1.5hrs": 90, "1h, 30m": 90,
}
TEMPLATES = (
    ("{d} logo design for ACME", "ACME", "logo design", TODAY),
    ("ACME: {d} logo design yesterday", "ACME", "logo design", date(2026, 11, 23)),
    ("Logo design, {d}, #acme", "ACME", "logo design", TODAY),
)


@pytest.mark.parametrize("template, client, description, day", TEMPLATES, ids=[t[0] for t in TEMPLATES])
@pytest.mark.parametrize("written, minutes", DURATIONS.items(), ids=list(DURATIONS))
def test_duration_in_a_phrase(written, minutes, template, client, description, day):
    work = read(template.format(d=written))
    assert (work.minutes, work.client, work.description, work.work_date) == (minutes, client, description, day)
    assert work.amount is None and work.rate is None


@pytest.mark.parametrize("text, minutes, description", [
    ("2h logo design for ACME yesterday", 120, "logo design"),
    ("1,5h bugfix Initech", 90, "bugfix"),
    ("1h30 call with Initech on monday", 90, "call"),
    ("half an hour review @acme", 30, "review"),
    ("9:00-11:30 workshop Initech", 150, "workshop"),
    ("spent 90 minutes on the landing page for Contoso", 90, "landing page"),
    ("worked for 1:30 on the onboarding doc contoso", 90, "onboarding doc"),
    ("Contoso 2h", 120, None),
    ("  2h   design   contoso  ", 120, "design"),
    ("2H BUG TRIAGE CONTOSO", 120, "bug triage"),
    ("🚀 2h launch prep Contoso!", 120, "🚀 launch prep"),
    ("2h design & build for Contoso", 120, "design & build"),
    ("Contoso - 2h - design", 120, "design"),
    ("2h and 2 hours contoso", 120, None),  # the same duration twice is still one reading
    ("9:00-11:30 (2.5h) workshop Contoso", 150, "workshop"),
    ("meeting at 14:00, 1h, contoso", 60, "meeting"),
    ("2h workshop at 9:30 contoso", 120, "workshop"),
    ("call 3pm-4:30pm contoso", 90, "call"),
    ("2 h 15 min design contoso", 135, "design"),
    ("I did 2 hours of testing for Contoso", 120, "testing"),
    ("3 hours and 20 minutes contoso", 200, None),
])
def test_realistic_durations(text, minutes, description):
    work = read(text)
    assert (work.minutes, work.description) == (minutes, description)


@pytest.mark.parametrize("text", [
    "meeting at 1:30 with Contoso", "14:00 meeting contoso", "call at 3pm contoso", "standup @ 9 contoso",
    "Contoso meeting yesterday", "good morning", "review 1.5 contoso", "2 days ago contoso",
    "1h75 review contoso",
])
def test_no_duration_is_refused_with_the_hint(text):
    with pytest.raises(PhraseError, match="couldn't find how long you worked — add a duration like 2h or 45m"):
        read(text)


@pytest.mark.parametrize("text, fragment", [
    ("-1h cleanup Contoso", "negative"), ("Contoso -30m cleanup", "negative"), ("−2h Contoso", "negative"),
    ("0h nothing contoso", "more than zero"), ("0 min contoso", "more than zero"), ("0:00 contoso", "more than zero"),
    ("25h marathon contoso", "more than 24 hours"), ("30 hours contoso", "more than 24 hours"),
    ("1500 minutes contoso", "more than 24 hours"), ("9:00-9:00 contoso", "more than zero"),
])
def test_impossible_durations_are_refused(text, fragment):
    with pytest.raises(PhraseError, match=fragment):
        read(text)


@pytest.mark.parametrize("text, options", [
    ("2h 5h contoso", {120, 300}),
    ("2h review then 45m emails contoso", {120, 45}),
    ("2h call Contoso 1:30", {120, 90}),  # bare 1:30 next to a duration: a start time or a second duration?
    ("9:00-11:30 workshop 3h contoso", {150, 180}),
    ("1h-1h30 review contoso", {60, 90}),          # an estimate span is two durations, never the clock hours
    ("9h-11h review contoso", {540, 660}),
])
def test_two_durations_are_a_question(text, options):
    with pytest.raises(AmbiguousPhrase) as asked:
        read(text)
    assert {choice.reading.minutes for choice in asked.value.choices} == options
    assert "How long did you work" in asked.value.message
    assert all(choice.label.endswith("of work") for choice in asked.value.choices)


def test_a_clock_time_among_durations_says_it_might_be_a_start_time():
    with pytest.raises(AmbiguousPhrase, match="time like 1:30 could also be when you started"):
        read("2h call Contoso 1:30")


@pytest.mark.parametrize("text, choices", [
    ("1.30h review contoso", ["1h 18m of work", "1h 30m of work"]),
    ("0,45h review contoso", ["27m of work", "45m of work"]),
    ("1.15 hours review contoso", ["1h 09m of work", "1h 15m of work"]),
])
def test_two_decimals_that_could_be_minutes_ask(text, choices):
    with pytest.raises(AmbiguousPhrase) as asked:
        read(text)
    assert [choice.label for choice in asked.value.choices] == choices


@pytest.mark.parametrize("text, minutes", [("1.25h review", 75), ("1.50h review", 90), ("0.75h review", 45),
                                           ("1.75h review", 105), ("1.3h review", 78), ("2.60h review", 156)])
def test_quarters_and_one_decimal_are_decimal_hours(text, minutes):
    assert read(text).minutes == minutes


@pytest.mark.parametrize("text, minutes", [("2hours30 review", 150), ("2hrs30 review", 150), ("2 hours 30 review", 150),
                                           ("1hour05 review", 65)])
def test_hours_then_bare_minutes_with_or_without_a_space(text, minutes):
    assert read(text).minutes == minutes


@pytest.mark.parametrize("text, choices, description", [
    ("2h 10 product photos contoso", ["2h 10m of work", "2h of work"], "10 product photos"),
    ("1h 30 emails contoso", ["1h 30m of work", "1h of work"], "30 emails"),
])
def test_hours_then_a_number_of_things_asks(text, choices, description):
    with pytest.raises(AmbiguousPhrase) as asked:
        read(text)
    assert [choice.label for choice in asked.value.choices] == choices
    assert {choice.reading.description for choice in asked.value.choices} == {description}


@pytest.mark.parametrize("text, minutes, description", [
    ("10am to noon workshop contoso", 120, "workshop"), ("from noon to 2pm workshop contoso", 120, "workshop"),
    ("from 9 to noon workshop contoso", 180, "workshop"), ("1h call at noon contoso", 60, "call"),
    ("1h noon standup contoso", 60, "noon standup"),  # a noon standup: no time range, a word of the description
    ("1h call contoso this afternoon", 60, "call"), ("1h call contoso after noon", 60, "call"),
])
def test_noon_is_twelve_pm(text, minutes, description):
    work = read(text)
    assert (work.minutes, work.description) == (minutes, description)
