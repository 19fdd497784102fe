"""Money: a Decimal amount with its ISO 4217 currency, immutable, refusing mixed currencies."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, list_currencies

from core.errors import UserError
from core.i18n import _, current_locale, ngettext, pgettext
from core.phrases.numbers import parse_money_number

_KNOWN_CURRENCIES = frozenset(list_currencies())


def parse_currency(code: str) -> str:
    """An ISO 4217 code, upper-cased, or a UserError naming the problem."""
    upper = code.strip().upper()
    if upper not in _KNOWN_CURRENCIES:
        raise UserError(_("“{code}” is not a currency code I know; use an ISO code such as EUR, USD or GBP.").format(
            code=code))
    return upper


def minor_digits(currency: str) -> int:
    return get_currency_precision(currency)


def parse_decimal(text: str, what: str | None = None) -> Decimal:
    """A non-negative decimal from user text; a comma works as the decimal point. ``what`` names the number in the
    refusals (translated, ``pgettext("a number the user gives", "rate")``); by default "amount"."""
    cleaned = text.strip().replace(",", ".")
    what = what or pgettext("a number the user gives", "amount")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise UserError(_("“{text}” is not a number; give the {what} like 80 or 80.50.").format(text=text, what=what)) \
            from None
    if not value.is_finite() or value < 0:
        raise UserError(_("The {what} must be 0 or more, not “{text}”.").format(what=what, text=text))
    if value > Decimal("1000000000"):
        raise UserError(_("The {what} {text} is larger than I can handle.").format(what=what, text=text))
    return value


class CurrencyMismatch(UserError):
    pass


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-minor_digits(currency)), currency)

    def to_minor(self) -> int:
        """The amount in the currency's minor unit; the amount must already be rounded to it."""
        scaled = self.rounded().amount.scaleb(minor_digits(self.currency))
        return int(scaled)

    def rounded(self) -> Money:
        """Rounded half-up to the currency's minor unit (cents, or whole yen)."""
        exponent = Decimal(1).scaleb(-minor_digits(self.currency))
        return Money(self.amount.quantize(exponent, rounding=ROUND_HALF_UP), self.currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"can't combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(_("These amounts are in different currencies ({first} and {second}); I can't add "
                                     "them up.").format(first=self.currency, second=other.currency))

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError("Money is never multiplied by a float")
        return Money(self.amount * factor, self.currency)

    def format(self, locale: str = "en") -> str:
        return format_money(self, locale)

    def __str__(self) -> str:
        return f"{self.rounded().amount} {self.currency}"


def line_amount(rate: Decimal, minutes: int, currency: str) -> Money:
    """rate × hours, rounded half-up once, to the currency's minor unit: the amount printed on a line."""
    return Money(rate * Decimal(minutes) / Decimal(60), currency).rounded()


@lru_cache(maxsize=64)
def babel_locale(code: str | None) -> Locale:
    """Parsed once per code: Babel builds a new Locale on every parse."""
    try:
        return Locale.parse((code or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def format_money(money: Money, locale: str | None = None) -> str:
    """e.g. €1,234.50 (en) or 1.234,50 € (de); by default in the locale of the reply being written."""
    return _format_amount(str(money.rounded().amount), money.currency, locale or current_locale())


@lru_cache(maxsize=4096)
def _format_amount(amount: str, currency: str, locale: str) -> str:
    """Babel takes about 0.1 ms to write an amount, and replies write the same rates and amounts over and over:
    the last few thousand are kept (keyed by the amount's text, so -0.00 and 0.00 stay apart)."""
    return format_currency(Decimal(amount), currency, locale=babel_locale(locale))


def totals_by_currency(amounts: Iterable[Money]) -> list[Money]:
    """One total per currency, in order of first appearance: amounts in different currencies never mix."""
    totals: dict[str, Money] = {}
    for amount in amounts:
        totals[amount.currency] = totals.get(amount.currency, Money.zero(amount.currency)) + amount
    return list(totals.values())


def format_amounts(amounts: Iterable[Money], locale: str | None = None) -> str:
    """Totals in several currencies, e.g. "€160.00 + US$50.00"."""
    return " + ".join(format_money(m, locale) for m in amounts)


_AMOUNT = re.compile(
    r"(?:(?P<pre>[€$£¥₹]|[A-Za-z]{3})\s*)?"
    r"(?P<num>\d{1,3}(?:[,.'’]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,4})?)"
    r"\s*(?P<post>[€$£¥₹]|[A-Za-z]{3})?"
)
_SYMBOLS = {"€": ("EUR",), "£": ("GBP",), "¥": ("JPY", "CNY"), "₹": ("INR",)}


def parse_money(text: str, currency: str) -> Money | None:
    """An amount typed in a command (``500``, ``€500``, ``1.200,50 €``, ``EUR 500``, ``USD 99.90``) in ``currency``;
    None when ``text`` is not written like an amount at all. An amount in another currency, or finer than the
    currency's minor unit, is a UserError: nothing typed is silently converted or rounded."""
    match = _AMOUNT.fullmatch(text.strip())
    if match is None or (match["pre"] and match["post"]):
        return None
    mark = match["pre"] or match["post"]
    if mark:
        if mark == "$":
            named: tuple[str, ...] = (currency,) if currency.endswith("D") else ("USD",)
        else:
            named = _SYMBOLS.get(mark) or (mark.upper(),)
        if mark.upper() not in _KNOWN_CURRENCIES and mark not in _SYMBOLS and mark != "$":
            return None
        if currency not in named:
            raise UserError(_("That amount is in {given}, but this is billed in {currency}: give the amount in "
                              "{currency}.").format(given=named[0], currency=currency))
    value = parse_money_number(match["num"])
    if value is None:
        return None
    money = Money(value, currency)
    if money.rounded().amount != value:
        digits = minor_digits(currency)
        raise UserError(ngettext("An amount in {currency} has at most {digits} decimal place, not “{text}”.",
                                 "An amount in {currency} has at most {digits} decimal places, not “{text}”.",
                                 digits).format(currency=currency, digits=digits, text=text.strip()))
    return money
