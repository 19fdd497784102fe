"""The dispatcher: one incoming message → one transaction → one reply.

Adapters call :meth:`Core.handle`; it routes ``/command args`` through the ordered command table and any other
text to the work logger. A :class:`UserError` rolls the transaction back and its sentence is the reply; anything
else is logged with a short reference and answered with a generic sentence carrying it.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core import accounts
from core.encryption import Cipher
from core.errors import UserError
from core.i18n import _, format_number
from core.messages import Incoming, Reply
from core.models import Account, ProcessedMessage, Profile
from core.storage import transaction

log = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 4000
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

    @property
    def profile(self) -> Profile:
        return self.account.profile

    @property
    def locale(self) -> str:
        return self.account.profile.locale


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


def split_command(text: str) -> tuple[str, str] | None:
    """``/Invoice@MyBot ACME`` → ``("invoice", "ACME")``; None for text that is not a command."""
    if not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = (more + " " + rest).strip()
    return head.split("@", 1)[0].lower(), rest.strip()


class Core:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: Cipher,
        clock: Clock,
        *,
        commands: Sequence[Command] | None = None,
        default_tz: str = "UTC",
    ) -> None:
        if commands is None:
            from core.commands import COMMANDS

            commands = COMMANDS
        self.sessions = sessions
        self.cipher = cipher
        self.clock = clock
        self.commands: tuple[Command, ...] = tuple(commands)
        self.default_tz = default_tz
        self._by_name = {command.name: command for command in self.commands}

    def handle(self, incoming: Incoming) -> Reply | None:
        """Answer one message. None means this delivery was handled before (send nothing)."""
        text = incoming.text.strip()
        if not text:
            return Reply(_("Tell me what you worked on, e.g. “2h logo design for ACME”, or send /help."))
        if len(text) > MAX_MESSAGE_LENGTH:
            return Reply(
                _("That message is {length} characters long; I take at most {limit}. Nothing was saved — send it "
                  "in shorter pieces.").format(length=format_number(len(text)), limit=format_number(MAX_MESSAGE_LENGTH))
            )
        try:
            with transaction(self.sessions) as session:
                now = self.clock()
                if incoming.message_id and not self._first_delivery(session, incoming, now):
                    return None
                account = accounts.resolve_account(session, incoming, now, self.default_tz)
                ctx = Context(session, account, incoming, now, self.cipher, self.commands)
                return self._dispatch(ctx, text)
        except UserError as exc:
            if incoming.message_id and not self._remember_refusal(incoming):
                return None
            return Reply(exc.message, actions=exc.actions)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("unexpected error handling a %s message (ref %s)", incoming.platform, ref)
            return Reply(_("Sorry, something went wrong (ref {ref}). Nothing was saved; please try again.").format(ref=ref))

    def _first_delivery(self, session: Session, incoming: Incoming, now: datetime) -> bool:
        """Record this delivery's id in the same transaction as its effect; False when already recorded."""
        assert incoming.message_id is not None
        try:
            with session.begin_nested():
                session.add(ProcessedMessage(platform=incoming.platform, message_id=incoming.message_id,
                                             received_at=now))
                session.flush()
        except IntegrityError:
            log.info("duplicate delivery %s:%s ignored", incoming.platform, incoming.message_id)
            return False
        return True

    def _remember_refusal(self, incoming: Incoming) -> bool:
        """A refused message changed nothing, but its id is still recorded so a redelivery isn't answered twice."""
        try:
            with transaction(self.sessions) as session:
                return self._first_delivery(session, incoming, self.clock())
        except Exception:
            log.exception("could not record refused delivery %s:%s", incoming.platform, incoming.message_id)
            return True

    def _dispatch(self, ctx: Context, text: str) -> Reply:
        parts = split_command(text)
        if parts is None:
            return self._by_name["log"].handler(ctx, text)
        name, args = parts
        command = self._by_name.get(name)
        if command is None:
            raise UserError(_("I don't know the command /{name}. Send /help to see what I can do.").format(name=name))
        if command.private and not ctx.incoming.is_private:
            raise UserError(
                _("/{name} shows your private details (payment instructions, tax id), so I only answer it in a "
                  "private chat: message me directly.").format(name=name)
            )
        return command.handler(ctx, args)
