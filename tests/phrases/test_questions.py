"""Never a silent guess: where two readings are plausible the parser asks, and each answer is a full reading."""
from __future__ import annotations

from datetime import date

import pytest

from core.errors import UserError
from core.phrases import AmbiguousPhrase, Choice, ParsedWork
from tests.phrases.phrasebook import read, result


def ask(text: str, **kwargs) -> AmbiguousPhrase:
    with pytest.raises(AmbiguousPhrase) as asked:
        read(text, **kwargs)
    return asked.value


def test_a_question_is_a_user_error_with_two_or_more_full_readings():
    question = ask("2h 5h review contoso yesterday")
    assert isinstance(question, UserError)
    assert len(question.choices) >= 2
    for choice in question.choices:
        assert isinstance(choice, Choice) and isinstance(choice.reading, ParsedWork)
        assert (choice.reading.client, choice.reading.work_date, choice.reading.description) == (
            "Contoso", date(2026, 11, 23), "review")


def test_choices_come_in_the_order_they_were_typed():
    assert [c.label for c in ask("15m email Contoso and 1h call Contoso").choices] == ["15m of work", "1h of work"]
    assert [c.label for c in ask("2h review 19 Nov contoso yesterday").choices] == ["19 November", "23 November"]


def test_several_ambiguities_combine_into_one_question():
    question = ask("2h 3h review northwind", clients=("Northwind Traders", "Northwind Labs"))
    assert [c.label for c in question.choices] == [
        "2h of work · Northwind Traders", "2h of work · Northwind Labs",
        "3h of work · Northwind Traders", "3h of work · Northwind Labs"]
    assert "How long did you work" in question.message and "Which client" in question.message
    assert {(c.reading.minutes, c.reading.client) for c in question.choices} == {
        (120, "Northwind Traders"), (120, "Northwind Labs"), (180, "Northwind Traders"), (180, "Northwind Labs")}


def test_too_many_readings_is_refused_rather_than_a_wall_of_buttons():
    from core.phrases import PhraseError

    with pytest.raises(PhraseError, match="too many ways"):
        read("1h 2h 3h review yesterday 3 March 19 Nov contoso fabrikam")


def test_json_of_a_question_lists_the_choices():
    answer = result("2h review 3/4 contoso", locale="sv_SE")
    assert answer == {"ok": False, "error": answer["error"], "choices": ["3 April", "4 March"]}
    assert answer["error"].endswith("?")


def test_the_json_object_of_a_reading_has_exactly_the_spec_keys():
    answer = result("2h rush job for ACME @ 120/h yesterday")
    assert answer == {"ok": True, "client": "ACME", "minutes": 120, "amount": None, "currency": None,
                      "rate": "120", "date": "2026-11-23", "description": "rush job"}


def test_the_json_object_of_a_refusal():
    assert result("good morning") == {
        "ok": False, "error": "I couldn't find how long you worked — add a duration like 2h or 45m."}


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u200b"])
def test_empty_text_is_refused(text):
    answer = result(text)
    assert not answer["ok"] and "what you worked on" in answer["error"]
