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
from functools import lru_cache
from io import BytesIO
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "invoicebot"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "de", "fr", "es")
"""The languages the bot answers in and writes invoices in; English is the source language of the code."""

_language: ContextVar[str] = ContextVar("invoicebot_language", default=DEFAULT_LANGUAGE)


def language_of(code: str | None) -> str | None:
    """The supported language a locale or language code names (``de_DE``, ``de-AT``, ``DE`` → ``de``), else None."""
    if not code:
        return None
    language = code.strip().replace("-", "_").split("_", 1)[0].lower()
    return language if language in LANGUAGES else None


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of one language; English (the code's own text) and a language without a catalog translate to
    themselves. A compiled ``.mo`` is used when the build made one; a source checkout compiles the ``.po`` in
    memory once per process."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    compiled = folder / f"{DOMAIN}.mo"
    if compiled.exists():
        with compiled.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    source = folder / f"{DOMAIN}.po"
    if source.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with source.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    log.warning("no message catalog for language %s; answering in English", language)
    return gettext.NullTranslations()


def current_language() -> str:
    return _language.get()


@contextmanager
def use_language(code: str | None) -> Iterator[str]:
    """Translate into ``code``'s language (English when it names none we have) until the block ends."""
    language = language_of(code) or DEFAULT_LANGUAGE
    token = _language.set(language)
    try:
        yield language
    finally:
        _language.reset(token)


def _(message: str) -> str:
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(_language.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (it is translated where it is shown)."""
    return message
