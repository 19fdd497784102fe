"""Numbers and dates as the client's locale writes them, prepared once per document.

Babel's format functions re-parse the locale's pattern on every call; an invoice formats three numbers a line,
so the patterns are built once here and applied directly.
"""
from __future__ import annotations

import copy
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.core import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import NumberPattern, format_currency, format_percent, get_currency_precision

from core.money import babel_locale


class LocaleFormat:
    """Formats for one document: amounts with the currency's minor digits, time as h:mm, dates medium."""

    def __init__(self, locale: str, currency: str) -> None:
        self.locale: Locale = babel_locale(locale)
        self.currency = currency
        self.minor_digits = get_currency_precision(currency)
        self._amount_pattern = _fixed_pattern(self.locale, self.minor_digits)
        self._dates: dict[tuple[date, str], str] = {}
        self._amounts: dict[Decimal, str] = {}

    def amount(self, value: Decimal) -> str:
        """1,234.50 / 1.234,50: no symbol, for the line table whose header names the currency.

        Remembered per value: a long invoice repeats its rate on every line and its amounts on many."""
        text = self._amounts.get(value)
        if text is None:
            text = self._amounts[value] = self._amount_pattern.apply(_half_up(value, self.minor_digits), self.locale)
        return text

    @staticmethod
    def duration(minutes: int) -> str:
        """80 minutes → ``1:20``: exact, where 1.33 h × 80 would not multiply out to the amount printed beside it.

        The same in every locale, as the column header says (h:mm); the line amount is rate × minutes / 60.
        """
        hours, rest = divmod(minutes, 60)
        return f"{hours}:{rest:02d}"

    def money(self, value: Decimal) -> str:
        """€1,234.50 / 1.234,50 €: with the symbol, for the totals."""
        return format_currency(value, self.currency, locale=self.locale)

    def percent(self, value: Decimal) -> str:
        """``value`` in percent (19 → 19 %, 7.5 → 7,5 %)."""
        return format_percent(value / 100, locale=self.locale, decimal_quantization=False)

    def date(self, value: date, style: str = "medium") -> str:
        """``medium`` (Nov 24, 2026 / 24.11.2026) or ``numeric`` (11/24/2026), for a narrow column."""
        key = (value, style)
        text = self._dates.get(key)
        if text is None:
            if style == "numeric":
                text = format_skeleton("yMd", value, locale=self.locale)
            else:
                text = format_date(value, format=style, locale=self.locale)
            self._dates[key] = text
        return text


def _fixed_pattern(locale: Locale, digits: int) -> NumberPattern:
    """The locale's decimal pattern (grouping included, e.g. en_IN's 12,34,567) with exactly ``digits`` decimals."""
    pattern = copy.copy(locale.decimal_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


def _half_up(value: Decimal, digits: int) -> Decimal:
    """Round as the money rules do (Babel would round half-even): amounts arrive rounded, a typed rate may not."""
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def one_line(text: str) -> str:
    """Line breaks and control characters become spaces: one printed line, wrapped only by the layout."""
    return " ".join("".join(ch if ch >= " " else " " for ch in text).split())
