"""Which language a user is answered in, and which language a client's invoices are written in.

A reply is in the language the user chose (/language), else the one their chat app reports (Telegram's
``language_code``, Slack's user locale, the terminal's ``LANG``), else English. Dates and money follow that
language: in the user's chosen locale when it is one of that language, else in the language's usual one
(:func:`core.i18n.locale_for`). An invoice is in its client's language, else in the user's.
"""
from __future__ import annotations

import re
from functools import lru_cache

from babel.core import Locale
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.errors import UserError
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, current_language, language_of, locale_for
from core.models import Account, Client, Identity

FOLLOW_PLATFORM = ("auto", "default", "platform")
"""Words that give the choice back to the chat app (``/language auto``, ``/client set ACME language default``)."""


def reply_language(account: Account) -> str:
    """The language replies to this account are written in."""
    return language_of(account.language) or language_of(account.platform_locale) or DEFAULT_LANGUAGE


def chosen_language(sessions: sessionmaker[Session], platform: str, user_id: str) -> str | None:
    """The language a platform user chose with /language, for what a channel says before any reply (the terminal's
    greeting); None for a new user or one who follows the chat app. Creates nothing."""
    with sessions() as session:
        return language_of(session.scalar(
            select(Account.language).join(Identity, Identity.account_id == Account.id)
            .where(Identity.platform == platform, Identity.platform_user_id == user_id)))


def reply_locale(account: Account, language: str | None = None) -> str:
    """The locale dates and money are written in, for ``language`` (default: the reply language): after the
    user's chosen locale (/profile set locale), else the one their chat app reports."""
    profile = account.profile
    return locale_for(language or reply_language(account),
                      profile.locale if profile.locale_chosen else account.platform_locale)


def invoice_language(account: Account, client: Client) -> str:
    """The language of an invoice to ``client``: the client's own, else the user's."""
    return language_of(client.language) or reply_language(account)


def note_platform_locale(account: Account, code: str | None) -> None:
    """Remember the locale the chat app reported with this message (``de``, ``pt-BR``, ``en_US``), so that
    messages the user didn't just ask for (reminders) are in the same language. Written only when it changed."""
    if not code:
        return
    cleaned = code.strip().replace("-", "_")[:16]
    if cleaned and cleaned != account.platform_locale:
        account.platform_locale = cleaned


def parse_language(text: str) -> str | None:
    """A supported language from what the user typed: a code (``de``, ``de_AT``, ``DE``), or its name in English
    or in itself (``German``, ``Deutsch``, ``français``); None for one of :data:`FOLLOW_PLATFORM`."""
    word = text.strip().casefold()
    if word in FOLLOW_PLATFORM:
        return None
    found = _language_names().get(word) or (language_of(word) if re.fullmatch(r"[a-z]{2}([_-][a-z]{2})?", word)
                                            else None)
    if found is None:
        raise UserError(_("I speak English, German, French and Spanish: give one of en, de, fr or es — "
                          "not “{text}”.").format(text=text.strip()))
    return found


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Every supported language's name in each supported language (German, Deutsch, allemand, alemán …)."""
    names = {}
    for language in LANGUAGES:
        locale = Locale.parse(language)
        for other in LANGUAGES:
            names[(locale.get_language_name(other) or other).casefold()] = language
    return names


def language_name(language: str) -> str:
    """``de`` as the current reply language names it: German, Deutsch, allemand, alemán."""
    return Locale.parse(language).get_language_name(current_language()) or language
