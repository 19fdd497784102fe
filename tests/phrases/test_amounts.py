"""Fixed prices ("€500 website") and rate overrides ("@ 120/h"): Decimal amounts with their ISO currency."""
from __future__ import annotations

from decimal import Decimal

import pytest

from core.phrases import AmbiguousPhrase, PhraseError
from tests.phrases.phrasebook import read, result

PRICES = {
    "€500": (Decimal("500"), "EUR"), "€ 500": (Decimal("500"), "EUR"), "500€": (Decimal("500"), "EUR"),
    "500 €": (Decimal("500"), "EUR"), "500 EUR": (Decimal("500"), "EUR"), "EUR 500": (Decimal("500"), "EUR"),
    "500 eur": (Decimal("500"), "EUR"), "500 euros": (Decimal("500"), "EUR"), "$1,200": (Decimal("1200"), "USD"),
    "$1,200.50": (Decimal("1200.50"), "USD"), "1.200,50 €": (Decimal("1200.50"), "EUR"),
    "€12,50": (Decimal("12.50"), "EUR"), "£80": (Decimal("80"), "GBP"), "80 GBP": (Decimal("80"), "GBP"),
    "CHF 300": (Decimal("300"), "CHF"), "300 USD": (Decimal("300"), "USD"), "250 dollars": (Decimal("250"), "USD"),
    "€99.99": (Decimal("99.99"), "EUR"), "1'500 CHF": (Decimal("1500"), "CHF"),
}


@pytest.mark.parametrize("template", ["{p} logo licence for Tailspin", "Tailspin: logo licence {p}",
                                      "logo licence @tailspin {p} yesterday"])
@pytest.mark.parametrize("written, price", PRICES.items(), ids=list(PRICES))
def test_fixed_price(written, price, template):
    work = read(template.format(p=written))
    assert (work.amount, work.currency) == price
    assert (work.minutes, work.rate, work.client, work.description) == (None, None, "Tailspin", "logo licence")


def test_lower_case_words_that_spell_a_currency_code_are_no_price():
    work = read("2 cad drawings, 3h, contoso")
    assert (work.amount, work.minutes, work.description) == (None, 180, "2 cad drawings")


def test_price_in_the_json_is_a_string_as_typed():
    assert result("€250 logo licence for Tailspin")["amount"] == "250"
    assert result("€250.00 logo licence for Tailspin")["amount"] == "250.00"


def test_a_price_and_hours_together_keep_both():
    work = read("€300 logo, 2h, for Contoso")
    assert (work.amount, work.currency, work.minutes) == (Decimal("300"), "EUR", 120)


RATES = {
    "@ 120/h": Decimal("120"), "@120/h": Decimal("120"), "@ 120/hr": Decimal("120"), "@ 120 / hour": Decimal("120"),
    "at 95 per hour": Decimal("95"), "at 95/hour": Decimal("95"), "at €95 per hr": Decimal("95"),
    "€120/h": Decimal("120"), "120€/h": Decimal("120"), "120 EUR/h": Decimal("120"), "$150 an hour": Decimal("150"),
    "rate 110": Decimal("110"), "rate: 110": Decimal("110"), "@ 150": Decimal("150"), "@ €90": Decimal("90"),
    "at 87.50/h": Decimal("87.50"), "@ 80,5/h": Decimal("80.5"), "120 per hour": Decimal("120"),
}


@pytest.mark.parametrize("template", ["2h rush job for ACME {r}", "ACME {r} 2h rush job", "{r}: 2h rush job acme"])
@pytest.mark.parametrize("written, rate", RATES.items(), ids=list(RATES))
def test_rate_override(written, rate, template):
    work = read(template.format(r=written))
    assert (work.rate, work.minutes, work.client, work.description) == (rate, 120, "ACME", "rush job")
    assert work.amount is None


def test_rate_in_the_json_is_a_string():
    assert result("3h training Fabrikam @ 110/h")["rate"] == "110"


def test_a_small_number_after_at_is_a_time_not_a_rate():
    work = read("2h standup @ 9 contoso")
    assert work.rate is None and work.description == "standup"


@pytest.mark.parametrize("text, fragment", [
    ("€0 logo contoso", "more than zero"), ("-€50 logo contoso", "can't be negative"),
    ("2h contoso @ 0/h", "more than zero"), ("€99999999 logo contoso", "larger than"),
])
def test_bad_money_is_refused(text, fragment):
    with pytest.raises(PhraseError, match=fragment):
        read(text)


@pytest.mark.parametrize("text, rate, minutes, day", [
    ("Nov 18 an hour logo design for Contoso", None, 60, 18),   # a date's day, then the duration
    ("2h logo design for Contoso @ 18 an hour", Decimal("18"), 120, 24),
    ("2h logo design for Contoso at €18 an hour", Decimal("18"), 120, 24),
    ("2h logo design for Contoso 18 EUR a hour", Decimal("18"), 120, 24),
])
def test_a_bare_number_then_an_hour_is_no_rate(text, rate, minutes, day):
    work = read(text)
    assert (work.rate, work.minutes, work.work_date.day, work.description) == (rate, minutes, day, "logo design")


@pytest.mark.parametrize("written, rate", [("@ 33.3333/h", "33.3333"), ("@ 12.3456 per hour", "12.3456"),
                                           ("@ 0.5/h", "0.5"), ("rate 120.75", "120.75")])
def test_a_rate_finer_than_a_cent_is_read_whole(written, rate):
    work = read(f"2h support for ACME {written}")
    assert (work.rate, work.description) == (Decimal(rate), "support")


@pytest.mark.parametrize("written", ["@ 1.250/h", "@ 1,250/h"])
def test_a_rate_that_reads_either_way_is_a_question(written):
    with pytest.raises(AmbiguousPhrase) as question:
        read(f"2h support for ACME {written}")
    assert sorted(choice.reading.rate for choice in question.value.choices) == [Decimal("1.25"), Decimal("1250")]
