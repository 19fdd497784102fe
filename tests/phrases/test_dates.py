"""Dates relative to today in the user's timezone (a Tuesday, 24 November 2026), preferring the past."""
from __future__ import annotations

from datetime import date

import pytest

from core.phrases import AmbiguousPhrase, PhraseError
from tests.phrases.phrasebook import TODAY, read

D = date
DATES = {
    "": TODAY, "today": TODAY, "Today": TODAY, "this morning": TODAY, "earlier today": TODAY, "tonight": TODAY,
    "yesterday": D(2026, 11, 23), "Yesterday": D(2026, 11, 23), "yday": D(2026, 11, 23),
    "yesterday afternoon": D(2026, 11, 23), "last night": D(2026, 11, 23),
    "the day before yesterday": D(2026, 11, 22), "day before yesterday": D(2026, 11, 22),
    # weekday names: the most recent one, today's own name being today
    "on monday": D(2026, 11, 23), "monday": D(2026, 11, 23), "Mon": D(2026, 11, 23), "MONDAY": D(2026, 11, 23),
    "on tuesday": TODAY, "tuesday": TODAY, "on wednesday": D(2026, 11, 18), "wed": D(2026, 11, 18),
    "thursday": D(2026, 11, 19), "thu": D(2026, 11, 19), "friday": D(2026, 11, 20), "on fri": D(2026, 11, 20),
    "on saturday": D(2026, 11, 21), "on sunday": D(2026, 11, 22), "on sat": D(2026, 11, 21),
    "on sun": D(2026, 11, 22), "this monday": D(2026, 11, 23),
    # "last X": the most recent X before today
    "last friday": D(2026, 11, 20), "last tuesday": D(2026, 11, 17), "last monday": D(2026, 11, 23),
    "this past friday": D(2026, 11, 20), "Last Sunday": D(2026, 11, 22),
    "2 days ago": D(2026, 11, 22), "two days ago": D(2026, 11, 22), "a day ago": D(2026, 11, 23),
    "1 day ago": D(2026, 11, 23), "10 days ago": D(2026, 11, 14), "a week ago": D(2026, 11, 17),
    "1 week ago": D(2026, 11, 17), "2 weeks ago": D(2026, 11, 10), "three weeks ago": D(2026, 11, 3),
    # day and month: the most recent past occurrence
    "3 March": D(2026, 3, 3), "3rd March": D(2026, 3, 3), "3rd of March": D(2026, 3, 3), "March 3": D(2026, 3, 3),
    "March 3rd": D(2026, 3, 3), "Mar 3": D(2026, 3, 3), "mar. 3": D(2026, 3, 3), "on 19 November": D(2026, 11, 19),
    "19 Nov": D(2026, 11, 19), "Nov 19": D(2026, 11, 19), "november 19th": D(2026, 11, 19),
    "Nov 18": D(2026, 11, 18), "sept 3": D(2026, 9, 3), "3-Mar": D(2026, 3, 3), "18Nov": D(2026, 11, 18),
    "24 Nov": TODAY,
    "29 February": D(2024, 2, 29), "Nov 18, 2025": D(2025, 11, 18), "18 November 2025": D(2025, 11, 18),
    "on Tue 17 Nov": D(2026, 11, 17), "Tuesday, 17 November": D(2026, 11, 17), "on the 3rd": D(2026, 11, 3),
    "the 30th": D(2026, 10, 30), "on the 24th": TODAY, "Tuesday the 17th": D(2026, 11, 17),
    # numeric dates
    "2026-11-02": D(2026, 11, 2), "2026/11/02": D(2026, 11, 2), "2025-12-31": D(2025, 12, 31),
    "21.11.2026": D(2026, 11, 21), "21.11.26": D(2026, 11, 21), "21.11.": D(2026, 11, 21),
    "on 21.11": D(2026, 11, 21), "21.11": D(2026, 11, 21), "21/11": D(2026, 11, 21),
    "21/11/2026": D(2026, 11, 21), "3/4": D(2026, 4, 3), "13/4": D(2026, 4, 13), "4/13": D(2026, 4, 13),
    "21-11-2026": D(2026, 11, 21), "on 1.11.": D(2026, 11, 1),
    "wednesday last week": D(2026, 11, 18), "monday of last week": D(2026, 11, 16),
    "last week's friday": D(2026, 11, 20), "Friday 20th": D(2026, 11, 20),
    "on the 20th of November": D(2026, 11, 20), "mon 23/11": D(2026, 11, 23), "Nov. 20th": D(2026, 11, 20),
    # rarer forms through dateparser
    "1 month ago": D(2026, 10, 24), "a fortnight ago": D(2026, 11, 10),
}
TEMPLATES = ("2h logo design for ACME {d}", "{d}: Contoso 45m logo design", "logo design {d} 2h @tailspin")


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("written, day", DATES.items(), ids=list(DATES))
def test_date_in_a_phrase(written, day, template):
    work = read(template.format(d=written))
    assert work.work_date == day
    assert work.description == "logo design"


@pytest.mark.parametrize("text, day", [
    ("2h review 3/4 contoso", D(2026, 3, 4)),          # month-first locale
    ("2h review 11/21/2026 contoso", D(2026, 11, 21)),
    ("2h review 21/11 contoso", D(2026, 11, 21)),      # a day above 12 decides itself
    ("2h review 3.4. contoso", D(2026, 4, 3)),         # dotted dates stay day-first
    ("2h review 11/2 contoso", D(2026, 11, 2)),
])
def test_month_first_locale(text, day):
    assert read(text, locale="en_US").work_date == day
    assert read(text, locale="en_US.UTF-8").work_date == day


@pytest.mark.parametrize("locale", ["en_GB", "de_DE", "fr_FR", "xx_unknown", "en-GB"])
def test_day_first_locales(locale):
    assert read("2h review 3/4 contoso", locale=locale).work_date == D(2026, 4, 3)


@pytest.mark.parametrize("locale", ["sv_SE", "ja_JP", "en_CA"])
def test_where_the_locale_does_not_decide_a_numeric_date_is_a_question(locale):
    with pytest.raises(AmbiguousPhrase) as asked:
        read("2h review 3/4 contoso", locale=locale)
    assert [c.label for c in asked.value.choices] == ["3 April", "4 March"]
    assert [c.reading.work_date for c in asked.value.choices] == [D(2026, 4, 3), D(2026, 3, 4)]
    assert "Which day" in asked.value.message


@pytest.mark.parametrize("text, day", [("2h review 13/4 contoso", D(2026, 4, 13)),
                                       ("2h review 4/4 contoso", D(2026, 4, 4))])
def test_year_first_locale_still_reads_what_only_reads_one_way(text, day):
    assert read(text, locale="sv_SE").work_date == day


@pytest.mark.parametrize("text, fragment", [
    ("3h layout Vandelay on 30 February", "30 February isn't a date"),
    ("2h review on 31 April contoso", "31 April isn't a date"),
    ("2h contoso 45 Nov", "45 November isn't a date"),
    ("2h contoso 2026-02-30", "30 February 2026 isn't a date"),
    ("2h contoso 29.02.2026", "isn't a date"),
    ("2h contoso 32/1", "isn't a date"), ("2h contoso 13/13", "isn't a date"), ("2h contoso 0/5", "isn't a date"),
    ("2h contoso the 32nd", "isn't a day of the month"),
])
def test_impossible_dates_are_refused_not_guessed(text, fragment):
    with pytest.raises(PhraseError, match=fragment):
        read(text)


@pytest.mark.parametrize("text", ["2h catch-up tomorrow contoso", "2h next monday contoso", "2h tmrw contoso",
                                  "2h next week contoso"])
def test_implicit_future_is_refused(text):
    with pytest.raises(PhraseError, match="I only log work that is done"):
        read(text)


@pytest.mark.parametrize("text", [
    "2h planning contoso 2026-12-01", "2h planning contoso 1 December 2026", "2h planning contoso 01.12.2026",
    "2h planning contoso 1 December", "2h planning contoso Dec 25", "2h planning contoso 25 December",
    "2h planning contoso 25 Nov", "2h planning contoso 31/12",
])
def test_a_day_ahead_is_a_question_with_this_year_and_last(text):
    """SPEC §5: a day given in full that lies ahead, or a day and month that lie ahead, is asked, never logged."""
    with pytest.raises(AmbiguousPhrase) as asked:
        read(text)
    readings = [choice.reading.work_date for choice in asked.value.choices]
    assert len(readings) == 2 and readings[0] > TODAY and readings[1] == readings[0].replace(year=readings[0].year - 1)
    assert "is ahead — log it for" in asked.value.message and asked.value.message.endswith("or did you mean last year?")


def test_a_future_date_more_than_a_year_ahead_is_refused_as_a_typo():
    with pytest.raises(PhraseError, match="more than a year ahead"):
        read("2h planning contoso 2028-12-01")


@pytest.mark.parametrize("text", ["2h catch-up last week contoso", "2h catch-up this month contoso",
                                  "2h review march 2026 contoso"])
def test_a_span_is_not_one_day(text):
    with pytest.raises(PhraseError, match="isn't one day"):
        read(text)


@pytest.mark.parametrize("text", ["2h march planning contoso", "2h may review contoso", "2h sat with the team contoso",
                                  "2h release 2.1 contoso"])
def test_words_that_only_look_like_dates_stay_in_the_description(text):
    assert read(text).work_date == TODAY


@pytest.mark.parametrize("text, description", [
    ("2h prep for tomorrow's demo contoso", "prep for tomorrow's demo"),
    ("2h prep for tomorrow contoso", "prep for tomorrow"),
    ("2h review of last week's numbers contoso", "review of last week's numbers"),
    ("2h prep for next monday's demo contoso", "prep for next monday's demo"),
    ("next week's launch prep 2h contoso", "next week's launch prep"),
])
def test_a_day_the_work_was_about_is_not_the_day_it_was_done(text, description):
    work = read(text)
    assert (work.work_date, work.description) == (TODAY, description)


def test_a_possessive_date():
    work = read("yesterday's standup 1h contoso")
    assert (work.work_date, work.description) == (D(2026, 11, 23), "standup")


def test_two_different_dates_are_a_question():
    with pytest.raises(AmbiguousPhrase) as asked:
        read("2h review yesterday contoso 19 Nov")
    assert {c.reading.work_date for c in asked.value.choices} == {D(2026, 11, 23), D(2026, 11, 19)}


def test_a_weekday_that_disagrees_with_the_date_is_a_question():
    question = pytest.raises(AmbiguousPhrase, read, "2h review contoso Monday 17 Nov").value
    assert [c.label for c in question.choices] == ["23 November", "17 November"]


def test_a_weekday_next_to_its_own_date_is_no_second_date():
    assert read("2h review contoso tuesday 17 Nov").work_date == D(2026, 11, 17)
    assert read("2h review contoso monday, 2026-11-23").work_date == D(2026, 11, 23)


@pytest.mark.parametrize("text, day, description", [
    ("2h audit contoso Sat 21 Nov", 21, "audit"), ("2h audit contoso sun, 22.11.2026", 22, "audit"),
    ("2h audit contoso on sat", 21, "audit"),
    ("2h sat with the designer contoso", 24, "sat with the designer"),  # bare "sat" is a verb
    ("2h photos in the sun contoso", 24, "photos in the sun"),
])
def test_sat_and_sun_are_weekdays_only_where_nothing_else_fits(text, day, description):
    work = read(text)
    assert (work.work_date.day, work.description) == (day, description)


@pytest.mark.parametrize("text, day, description", [
    ("2h review of the 3rd chapter contoso", 24, "review of the 3rd chapter"),
    ("2h the 5th draft contoso", 24, "5th draft"),
    ("2h audit the 18th Contoso", 18, "audit"), ("2h audit the 18th for contoso", 18, "audit"),
    ("2h audit on the 18th contoso", 18, "audit"),
])
def test_a_bare_the_3rd_before_a_word_counts_things(text, day, description):
    work = read(text)
    assert (work.work_date.day, work.description) == (day, description)
