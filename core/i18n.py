"""The translation layer: every sentence a user reads goes through here.

Messages are written in English in the code and marked for extraction:

- ``_("Logged #{number}: {what}").format(number=..., what=...)`` — named placeholders filled *after* translation,
  so a translator can move them (f-strings can't be extracted);
- ``ngettext("{n} task", "{n} tasks", n).format(n=n)`` for counts (each language has its own plural rules);
- ``pgettext("invoice label", "Total")`` where one English word needs two translations;
- ``N_("...")`` for text defined before any language is known (a module constant): it only marks the text, and
  the place that shows it calls ``_(CONSTANT)``.

Babel extracts the marked messages into ``core/locale/invoicebot.pot``; each language's ``.po`` catalog is compiled
to ``.mo`` when the package is built. The language is chosen per message by the dispatcher and per document (a
client's invoice language) by whoever renders it, with :func:`use_language`.
"""
from __future__ import annotations

import gettext
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "invoicebot"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "de", "fr", "es")
"""The languages the bot answers in and writes invoices in; English is the source language of the code."""

DEFAULT_LOCALES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR", "es": "es_ES"}
"""The locale (dates, numbers, money) a language is written in when the user chose no locale of that language."""

_language: ContextVar[str] = ContextVar("invoicebot_language", default=DEFAULT_LANGUAGE)
_locale: ContextVar[str] = ContextVar("invoicebot_locale", default=DEFAULT_LOCALES[DEFAULT_LANGUAGE])


def language_of(code: str | None) -> str | None:
    """The supported language a locale or language code names (``de_DE``, ``de-AT``, ``DE`` → ``de``), else None."""
    if not code:
        return None
    language = code.strip().replace("-", "_").split("_", 1)[0].lower()
    return language if language in LANGUAGES else None


def locale_for(language: str, preferred: str | None = None) -> str:
    """The locale to write dates and money in for ``language``, given the user's ``preferred`` one (chosen, or the
    platform's): ``preferred`` itself when it is of that language (de_AT stays de_AT), else that language as
    written in the preferred one's country when Babel knows it (English in Germany: en_DE, 1.234,50 €), else the
    language's usual locale (de → de_DE)."""
    if preferred:
        code = preferred.replace("-", "_")
        parts = code.split("_")
        if len(parts) >= 2 and parts[0].lower() == language:
            return code
        if len(parts) >= 2 and len(parts[-1]) == 2 and _babel_has(f"{language}_{parts[-1].upper()}"):
            return f"{language}_{parts[-1].upper()}"
    return DEFAULT_LOCALES.get(language, DEFAULT_LOCALES[DEFAULT_LANGUAGE])


@lru_cache(maxsize=256)
def _babel_has(locale: str) -> bool:
    from babel import localedata

    return localedata.exists(locale)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of one language; English (the code's own text) and a language without a catalog translate to
    themselves. An installed package carries compiled ``.mo`` files (setup.py builds them); a source checkout
    compiles the ``.po`` in memory once per process — also when a ``.mo`` lies beside it that is older than the
    ``.po``, so an edited catalog is never shadowed by a stale compiled one."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if compiled.exists() and not (source.exists() and source.stat().st_mtime > compiled.stat().st_mtime):
        with compiled.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if source.exists():
        return gettext.GNUTranslations(BytesIO(compile_catalog(source, language)))
    log.warning("no message catalog for language %s; answering in English", language)
    return gettext.NullTranslations()


def compile_catalog(source: Path, language: str) -> bytes:
    """A ``.po`` file as ``.mo`` bytes; fuzzy entries are left out, as msgfmt does (an unchecked guess is not
    shown to anyone)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def current_language() -> str:
    return _language.get()


def current_locale() -> str:
    """The Babel locale of the current language: what dates, numbers and money are written in."""
    return _locale.get()


@contextmanager
def use_language(code: str | None, locale: str | None = None) -> Iterator[str]:
    """Translate into ``code``'s language (English when it names none we have) until the block ends; dates and
    money follow :func:`locale_for` that language and ``locale`` (or ``code`` itself when it is a locale)."""
    language = language_of(code) or DEFAULT_LANGUAGE
    language_token = _language.set(language)
    locale_token = _locale.set(locale_for(language, locale or code))
    try:
        yield language
    finally:
        _locale.reset(locale_token)
        _language.reset(language_token)


def format_number(number: int | Decimal) -> str:
    """A count as the current locale writes it: 4,000 (en) · 4.000 (de) · 4 000 (fr)."""
    from babel.numbers import format_decimal

    return format_decimal(number, locale=_locale.get())


def format_percent(percent: Decimal) -> str:
    """A rate given in percent as the current locale writes it: 19% (en) · 19 % (de) · 7,5 % (fr)."""
    from babel.numbers import format_percent as babel_format_percent

    return babel_format_percent(percent / 100, locale=_locale.get(), decimal_quantization=False)


def format_minutes(minutes: int) -> str:
    """A duration as the bot writes it, everywhere (replies, questions, refusals): 120 → "2h", 90 → "1h 30m",
    45 → "45m"; German "1 Std. 30 Min.", French "1 h 30"."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("{hours}h {minutes:02d}m").format(hours=hours, minutes=rest)
    return _("{hours}h").format(hours=hours) if hours else _("{minutes}m").format(minutes=rest)


def _(message: str) -> str:
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(_language.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (it is translated where it is shown)."""
    return message
