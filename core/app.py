"""The dispatcher: one incoming message → one transaction → one reply.

Adapters call :meth:`Core.handle`; it routes ``/command args`` through the ordered command table and any other
text to the plain-text handler (the work logger), both handed in by the wiring. A :class:`UserError` rolls the
transaction back and its sentence is the reply; anything else is logged with a short reference and answered with a
generic sentence carrying it.
"""
from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import ReturningInsert

from core import accounts, head_start, languages, metrics, reminders
from core.clients import ClientCache
from core.context import Clock, Command, Context, Handler
from core.encryption import Cipher
from core.errors import UserError
from core.i18n import _, current_language, current_locale, use_language
from core.limits import check_message, strip_invisible
from core.mail import queued_in
from core.messages import Incoming, Reply
from core.models import ProcessedMessage, table
from core.prepared import Prepared
from core.retention import DELIVERY_IDS_KEPT
from core.storage import transaction

if TYPE_CHECKING:  # the SMTP and e-mail machinery loads only where SMTP_URL is set (bot/wiring.py)
    from core.mailer import Mailer

log = logging.getLogger(__name__)

handling: ContextVar[tuple[str, str] | None] = ContextVar("handling", default=None)
"""(platform, command) of the message being handled in this thread, for log lines (bot/logs.py); the command is
a name from the command table, ``log`` for a phrase, ``unknown`` for anything else."""


def split_command(text: str) -> tuple[str, str] | None:
    """``/Invoice@MyBot ACME`` → ``("invoice", "ACME")``; None for text that is not a command."""
    if not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = (more + " " + rest).strip()
    return head.split("@", 1)[0].lower(), rest.strip()


def _invisible_note(removed: list[str]) -> str:
    return _("I removed invisible characters from your message ({characters}): they can make text read differently "
             "from what you typed.").format(characters=", ".join(removed))


def _record_delivery(dialect: str) -> ReturningInsert[tuple[str]]:
    """The delivery-dedup statement for a dialect, with bound parameters: every message runs it."""
    insert, rows = pg_insert if dialect == "postgresql" else sqlite_insert, table(ProcessedMessage)
    return (insert(rows)  # the table, not the class: no ORM bookkeeping around a plain insert
            .values(platform=bindparam("platform"), message_id=bindparam("message_id"), received_at=bindparam("now"))
            .on_conflict_do_update(index_elements=["platform", "message_id"], set_={"received_at": bindparam("now")},
                                   where=rows.c.received_at < bindparam("expired"))
            .returning(rows.c.message_id))


_RECORD_DELIVERY = Prepared(_record_delivery)
"""Compiled once per dialect: building the statement, or SQLAlchemy's work around executing it, costs more than the
database's part."""


_deliveries = table(ProcessedMessage).c
_KEEP_REPLY = (update(table(ProcessedMessage))
               .where(_deliveries.platform == bindparam("delivery_platform"),
                      _deliveries.message_id == bindparam("delivery_id"))
               .values(reply_enc=bindparam("kept")))
"""Built once on the table, as the dedup record is: every message from the inbox runs it."""


class Core:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: Cipher,
        clock: Clock,
        *,
        commands: Sequence[Command],
        plain_text: Handler,
        default_tz: str = "UTC",
        mailer: Mailer | None = None,
    ) -> None:
        """``commands`` answers ``/name args``; ``plain_text`` answers any other message (the work logger)."""
        self.sessions = sessions
        self.cipher = cipher
        self.clock = clock
        self.commands: tuple[Command, ...] = tuple(commands)
        self.plain_text = plain_text
        self.default_tz = default_tz
        self.mailer = mailer
        """Sends what a command queued for e-mail, right after its transaction commits; None without SMTP_URL."""
        self._by_name = {command.name: command for command in self.commands}
        self.client_cache = ClientCache()
        """Each account's client list, kept between its messages while its database version says it is current."""

    def handle(self, incoming: Incoming, *, keep_reply: bool = False) -> Reply | None:
        """Answer one message, in the user's language. None means this delivery was handled before (send nothing).

        ``keep_reply`` (a delivery from the inbox, core/inbox.py): the answer is kept with the delivery id, in the
        same transaction, until the inbox row is done; handled again before that (the worker died after the
        commit), the delivery gets that answer again rather than nothing."""
        started = time.perf_counter()
        command = self.command_label(incoming.text)
        token = handling.set((incoming.platform, command))
        outcome = ["answered"]
        try:
            with use_language(incoming.locale):  # until the account is known: the chat app's language
                reply = self._handle(incoming, outcome, keep_reply)
        finally:
            handling.reset(token)
        if reply is None:
            outcome[0] = "duplicate"
        metrics.message_handled(incoming.platform, outcome[0], command, time.perf_counter() - started)
        return reply

    def command(self, name: str) -> Command | None:
        """The command called ``name`` (None: there is none)."""
        return self._by_name.get(name)

    def command_label(self, text: str) -> str:
        """The command a message asks for, as a bounded label: a command's name, ``log`` or ``unknown``."""
        parts = split_command(text.strip())
        if parts is None:
            return metrics.PLAIN_TEXT_COMMAND
        return parts[0] if parts[0] in self._by_name else "unknown"

    def _handle(self, incoming: Incoming, outcome: list[str], keep_reply: bool) -> Reply | None:
        text, invisible = strip_invisible(incoming.text)  # bidi and zero-width characters: never stored
        text = text.strip()
        if not text:
            outcome[0] = "refused"
            return Reply(_("Tell me what you worked on, e.g. “2h logo design for ACME”, or send /help."),
                         language=current_language())
        try:
            check_message(text)  # its length, and characters no database stores (NUL, undecodable bytes)
        except UserError as exc:
            outcome[0] = "refused"
            return Reply(exc.message, language=current_language())
        head_start.run(self, incoming, split_command(text))  # before the write lock: see core/head_start.py
        speaking = [current_language(), current_locale()]  # the account's language once it is resolved
        try:
            with transaction(self.sessions) as session:
                now = self.clock()
                if incoming.message_id and not self._first_delivery(session, incoming, now):
                    return self._kept_reply(session, incoming) if keep_reply else None
                account = accounts.resolve_account(session, incoming, now, self.default_tz)
                if account.reminders_elsewhere:
                    reminders.follow_user(session, account, incoming.platform,
                                          incoming.chat_id if incoming.is_private else incoming.user_id)
                languages.note_platform_locale(account, incoming.locale)
                speaking[:] = languages.reply_language(account), languages.reply_locale(account)
                ctx = Context(session, account, incoming, now, self.cipher, self.commands,
                              self.mailer.setup if self.mailer else None, self.client_cache)
                with use_language(*speaking):
                    reply = self._dispatch(ctx, text)
                    if invisible:
                        reply = replace(reply, text=reply.text + "\n" + _invisible_note(invisible))
                speaking[0] = languages.reply_language(account)  # /language may have just changed it
                reply = replace(reply, language=speaking[0])
                if keep_reply and incoming.message_id:
                    self._keep_reply(session, incoming, reply)
                queued = queued_in(session)
        except UserError as exc:  # its sentence was written in the user's language when it was raised
            outcome[0] = "refused"
            refusal = Reply(exc.message, actions=exc.actions, language=speaking[0])
            if incoming.message_id and not self._remember_refusal(incoming, refusal if keep_reply else None):
                return None
            return refusal
        except Exception as exc:
            ref = uuid.uuid4().hex[:8]
            outcome[0] = "error"
            metrics.error(exc, "message")
            log.exception("unexpected error handling a %s message (ref %s)", incoming.platform, ref,
                          extra={"ref": ref})
            with use_language(*speaking):
                return Reply(_("Sorry, something went wrong (ref {ref}). Nothing was saved; please try "
                               "again.").format(ref=ref), language=speaking[0])
        finally:
            head_start.clear()
        if reply.finish is not None:
            with use_language(*speaking):  # committed: the slow part (an invoice's PDF) holds no lock
                reply = replace(reply.finish(), language=speaking[0])
        if queued and self.mailer is not None:
            with use_language(*speaking):
                reply = self._send_mail(reply, queued)
        return reply

    def _send_mail(self, reply: Reply, queued: list[int]) -> Reply:
        """Send what the command queued, now that it is committed, and say how it went. Whatever fails here, the
        command's effect stands and the e-mail stays queued: ``run`` / ``run-once`` try it again."""
        from core.mailer import describe_outcome  # a mailer exists, so its module is loaded already

        assert self.mailer is not None
        try:
            outcomes = self.mailer.deliver(queued)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("sending e-mail(s) %s after commit failed (ref %s)", queued, ref)
            note = _("I couldn't send the e-mail just now (ref {ref}); it is kept and tried again "
                     "shortly.").format(ref=ref)
            return replace(reply, text=reply.text + "\n" + note)
        notes = [describe_outcome(outcome, self.mailer.setup.server) for outcome in outcomes]
        return replace(reply, text="\n".join(part for part in [reply.text, *notes] if part))

    def _first_delivery(self, session: Session, incoming: Incoming, now: datetime) -> bool:
        """Record this delivery's id in the same transaction as its effect; False when already recorded.

        One ``INSERT … ON CONFLICT``: a re-delivery racing the first one waits on the key until the first
        commits, then changes nothing. An id last seen longer ago than a re-delivery can come is a new delivery
        (Telegram reuses ``update_id`` after a week without updates): its row is renewed instead."""
        assert incoming.message_id is not None
        if _RECORD_DELIVERY.rows(session, {"platform": incoming.platform, "message_id": incoming.message_id,
                                           "now": now, "expired": now - DELIVERY_IDS_KEPT}):
            return True
        log.info("duplicate delivery %s:%s ignored", incoming.platform, incoming.message_id)
        return False

    def _keep_reply(self, session: Session, incoming: Incoming, reply: Reply) -> None:
        session.execute(_KEEP_REPLY, {"delivery_platform": incoming.platform, "delivery_id": incoming.message_id,
                                      "kept": self.cipher.encrypt(reply.to_json())})

    def _kept_reply(self, session: Session, incoming: Incoming) -> Reply | None:
        """The answer kept for a delivery handled again before its inbox row was done; None when there is none
        (the row is done: this is a genuine re-delivery)."""
        kept = session.scalar(select(ProcessedMessage.reply_enc).where(
            ProcessedMessage.platform == incoming.platform, ProcessedMessage.message_id == incoming.message_id))
        if kept is None:
            return None
        log.info("delivery %s:%s handled again before it was done: its answer is sent again", incoming.platform,
                 incoming.message_id)
        return Reply.from_json(self.cipher.decrypt(kept) or "")

    def _remember_refusal(self, incoming: Incoming, keep: Reply | None) -> bool:
        """A refused message changed nothing, but its id is still recorded so a redelivery isn't answered twice
        (and, with ``keep``, its answer kept as for any delivery from the inbox)."""
        try:
            with transaction(self.sessions) as session:
                first = self._first_delivery(session, incoming, self.clock())
                if first and keep is not None:
                    self._keep_reply(session, incoming, keep)
                return first
        except Exception:
            log.exception("could not record refused delivery %s:%s", incoming.platform, incoming.message_id)
            return True

    def _dispatch(self, ctx: Context, text: str) -> Reply:
        parts = split_command(text)
        if parts is None:
            return self.plain_text(ctx, text)
        name, args = parts
        command = self._by_name.get(name)
        if command is None:
            raise UserError(_("I don't know the command /{name}. Send /help to see what I can do.").format(name=name))
        if command.private and not ctx.incoming.is_private:
            raise UserError(
                _("/{name} is about your own books, so I only answer it in a private chat: message me directly.")
                .format(name=name)
            )
        return command.handler(ctx, args)
