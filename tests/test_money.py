from decimal import Decimal

import pytest

from core.errors import UserError
from core.money import CurrencyMismatch, Money, format_money, line_amount, parse_currency, totals_by_currency


@pytest.mark.parametrize(
    ("rate", "minutes", "currency", "expected"),
    [
        ("80", 120, "EUR", "160.00"),
        ("80", 45, "EUR", "60.00"),
        ("95", 20, "EUR", "31.67"),     # 31.666… rounds half-up to the cent
        ("0.03", 50, "USD", "0.03"),    # 0.025 → 0.03, half-up, not banker's
        ("1000", 7, "JPY", "117"),      # no minor unit
        ("12.345", 60, "KWD", "12.345"),  # three decimals
    ],
)
def test_line_amount_is_rate_times_hours_rounded_half_up_once(rate, minutes, currency, expected) -> None:
    assert line_amount(Decimal(rate), minutes, currency) == Money(Decimal(expected), currency)


def test_money_refuses_to_mix_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        Money(Decimal(1), "EUR") * 1.5  # type: ignore[operator]


def test_minor_units_round_trip() -> None:
    assert Money.from_minor(12345, "EUR").to_minor() == 12345
    assert Money.from_minor(500, "JPY") == Money(Decimal(500), "JPY")


def test_totals_keep_currencies_apart() -> None:
    totals = totals_by_currency([Money(Decimal(1), "EUR"), Money(Decimal(2), "USD"), Money(Decimal(3), "EUR")])
    assert totals == [Money(Decimal(4), "EUR"), Money(Decimal(2), "USD")]


def test_format_follows_the_locale() -> None:
    assert format_money(Money(Decimal("1234.5"), "EUR"), "en_GB") == "€1,234.50"
    assert format_money(Money(Decimal("1234.5"), "EUR"), "de_DE") == "1.234,50\xa0€"


def test_unknown_currency_is_a_clear_error() -> None:
    assert parse_currency("usd") == "USD"
    with pytest.raises(UserError, match="not a currency code"):
        parse_currency("EURO")
