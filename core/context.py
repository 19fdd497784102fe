"""What every command handler is given and what the command table is made of.

Kept apart from the dispatcher (``core.app``) so the command modules and the dispatcher depend on this module and
not on each other: the wiring builds the table from ``core.commands`` and hands it to :class:`core.app.Core`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from core.encryption import Cipher
from core.i18n import current_language, current_locale
from core.messages import Incoming, Reply
from core.models import Account, Client, Profile

if TYPE_CHECKING:
    from core.clients import ClientCache
    from core.mail import MailSetup  # core.mail loads the invoice services: a start that answers /help needs none

Clock = Callable[[], datetime]
"""Returns the current instant, timezone-aware. The core never reads the system clock itself."""


@dataclass
class Context:
    """What a command handler gets: the open transaction, the caller's account, the instant, the message."""

    session: Session
    account: Account
    incoming: Incoming
    now: datetime
    cipher: Cipher
    commands: Sequence[Command]
    mail: MailSetup | None = None
    """How e-mail is set up in this process; None without ``SMTP_URL`` (nothing can be e-mailed)."""
    client_cache: ClientCache | None = None
    """This worker's client lists (None: read from the database each time)."""

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.account.timezone)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    @property
    def private_address(self) -> str:
        """Where to reach this user privately later (reminders): this chat if private, else their own DM —
        a Telegram user's id is their private chat's id; Slack and local user ids are DM addresses already."""
        return self.incoming.chat_id if self.incoming.is_private else self.incoming.user_id

    def active_clients(self) -> list[Client]:
        """The account's active clients by name as this message began (call it before changing any): from the
        worker's cache while the database says it is current."""
        if self.client_cache is not None:
            return self.client_cache.active(self.session, self.account)
        from core.clients import active_clients

        return active_clients(self.session, self.account)

    @property
    def profile(self) -> Profile:
        return self.account.profile

    @property
    def language(self) -> str:
        """The language this reply is written in (``en``, ``de``, ``fr``, ``es``): /language, else the chat app's."""
        return current_language()

    @property
    def locale(self) -> str:
        """The locale dates and money in this reply are written in: the user's own when it is of the reply's
        language, else that language's usual one. Reading a typed date goes by :attr:`chosen_locale` instead."""
        return current_locale()

    @property
    def chosen_locale(self) -> str | None:
        """The locale the user chose with /profile set locale, else None: only a chosen one orders numeric dates
        in a phrase and picks its language (SPEC §5); the timezone's country orders them otherwise."""
        profile = self.account.profile
        return profile.locale if profile.locale_chosen else None


Handler = Callable[[Context, str], Reply]


@dataclass(frozen=True)
class Command:
    """One entry of the command table: ``/help``, Telegram's menu and the Slack manifest read it."""

    name: str
    handler: Handler
    usage: str
    summary: str
    examples: tuple[str, ...] = ()
    private: bool = False
    """Shows private data (payment details, tax id): answered only in a private chat."""
    file_limit: int | None = None
    """Takes a file sent with it (a Telegram caption, a Slack file share's message): the most bytes an adapter
    fetches of it; the command checks the file itself."""
    head_start: Callable[[Context, str], object] | None = None
    """Slow work done ahead, before the message's transaction (:mod:`core.head_start`), in a read-only one: the
    handler finds its result with :func:`core.head_start.taken` and uses it only once it has checked it inside."""


def file_limits(commands: Sequence[Command]) -> dict[str, int]:
    """The commands of the table that keep a file sent with them, by name, and the most bytes an adapter fetches."""
    return {command.name: command.file_limit for command in commands if command.file_limit}
