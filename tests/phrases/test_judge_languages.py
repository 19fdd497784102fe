"""Which language a phrase is read in (SPEC §5): the user's first, the others when that reading fails or leaves
another language's words behind; a phrase that reads differently in two languages asks.
"""
from __future__ import annotations

import pytest

from core.phrases import AmbiguousPhrase, parse_phrase
from tests.phrases.judging import BERLIN, NOW, T, Y, ask, check, judge, ok

CLIENTS = ("ACME", "Contoso", "Café Müller")

# (phrase, chosen locale, expected)
TABLE = [
    (*ok("1h30 réunion chez ACME hier", 90, "ACME", Y, "réunion").values, None),
    (*ok("2 Std. Logo für ACME gestern", 120, "ACME", Y, "logo").values, None),
    (*ok("hora y media revisión para ACME ayer", 90, "ACME", Y, "revisión").values, None),
    (*ok("3h Beratung für Café Müller gestern", 180, "Café Müller", Y, "beratung").values, None),
    (*ok("une demi-heure appel ACME", 30, "ACME", T, "appel").values, "en_US"),
    (*ok("2h design for ACME yesterday", 120, "ACME", Y, "design").values, "de_DE"),
    (*ok("2 Std. Logo für ACME gestern", 120, "ACME", Y, "logo").values, "fr_FR"),
    (*ok("media hora llamada ACME", 30, "ACME", T, "llamada").values, "en_GB"),
    (*ok("2h Meeting hier ACME", 120, "ACME", T, "meeting hier").values, "de_DE"),  # "hier" is German too
    (*ok("2h réunion ACME hier", 120, "ACME", Y, "réunion").values, "fr_FR"),
    (*ok("2h design ACME yesterday", 120, "ACME", Y, "design").values, "es_ES"),
    (*ok("2h Besprechung hier für ACME", 120, "ACME", T, "besprechung hier").values, None),  # all German
    (*ask("2h taller hier para ACME").values, None),  # French "hier" and Spanish "para": read both ways
]


@pytest.mark.parametrize("text, expected, locale", TABLE, ids=[f"{row[0]} [{row[2]}]" for row in TABLE])
def test_the_language_a_phrase_is_read_in(text, expected, locale):
    check(judge(text, CLIENTS, locale=locale), expected)


def test_without_a_chosen_locale_the_language_spoken_to_the_bot_is_read_first():
    work = parse_phrase("2h Meeting hier ACME", now=NOW, tz=BERLIN, clients=CLIENTS, language="de")
    assert (work.work_date.isoformat(), work.description) == (T, "Meeting hier")
    work = parse_phrase("2h Meeting hier ACME", now=NOW, tz=BERLIN, clients=CLIENTS, language="fr")
    assert (work.work_date.isoformat(), work.description) == (Y, "Meeting")


def test_the_question_between_two_languages_names_them_and_carries_both_readings():
    with pytest.raises(AmbiguousPhrase) as asked:
        parse_phrase("2h taller hier para ACME", now=NOW, tz=BERLIN, clients=CLIENTS)
    assert "Français" in asked.value.message and "Español" in asked.value.message
    assert {choice.reading.work_date.isoformat() for choice in asked.value.choices} == {T, Y}
