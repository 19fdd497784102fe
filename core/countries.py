"""Countries: an ISO 3166 code from what the user typed, the EU member states (for the VAT treatment of an invoice),
and a country's name as a language writes it. Babel carries the names, so no list is kept here but the EU's."""
from __future__ import annotations

from functools import lru_cache

from babel.core import Locale

from core.errors import UserError
from core.i18n import LANGUAGES, _
from core.money import babel_locale

EU_COUNTRIES = frozenset(["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"])
"""The member states, whose businesses trade across borders under the reverse charge."""
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(code for code in Locale.parse("en").territories
                     if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES)


@lru_cache(maxsize=1)
def _names() -> dict[str, frozenset[str]]:
    """Every country name in the languages the bot speaks, case-folded, to the codes it names."""
    names: dict[str, set[str]] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in _codes():
                names.setdefault(name.casefold(), set()).add(code)
    return {name: frozenset(codes) for name, codes in names.items()}


def parse_country(text: str) -> str:
    """``DE``, ``de``, ``Germany`` or ``Deutschland`` → ``DE``; anything else is a sentence saying how to write it."""
    wanted = " ".join(text.split())
    if wanted.upper() in _codes():
        return wanted.upper()
    codes = _names().get(wanted.casefold(), frozenset())
    if len(codes) == 1:
        return next(iter(codes))
    raise UserError(_("“{text}” is not a country I know; give its two-letter ISO code, e.g. DE, FR, ES, GB or US.")
                    .format(text=wanted))


def is_eu(code: str | None) -> bool:
    return code in EU_COUNTRIES


def country_name(code: str, locale: str | None) -> str:
    """The country's name in the document's language (Germany, Deutschland, Allemagne)."""
    return str(babel_locale(locale).territories.get(code, code))
