"""The Telegram channel: python-telegram-bot's Application around the synchronous core.

Every update is stored in the inbox (core/inbox.py) before Telegram hears it was received: a webhook call is
answered 200, a polled update confirmed by the next getUpdates' offset, only once its row is committed. The inbox
consumer (adapters/inbox.py) then hands each row back here: it becomes one Incoming for ``core.handle``, called in
a worker thread (it does database work and renders PDFs), and its Reply goes back as HTML messages, inline buttons
and documents. Long polling by default; with a webhook URL, updates arrive through the project's own aiohttp
server instead (see ``routes``).
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any, Protocol

from aiohttp import web
from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeDefault, Chat, Message, PhotoSize, Update
from telegram import Document as TgDocument
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import AIORateLimiter, Application, BaseRateLimiter, ContextTypes, TypeHandler

from adapters.inbox import Consumer
from adapters.telegram.delivery import deliver_reply
from adapters.telegram.notifier import TelegramNotifier, file_url_for
from adapters.telegram.render import PRIVATE_ONLY, render_reply
from adapters.telegram.updates import (
    PLATFORM,
    addressed_text,
    delivery_key,
    incoming_from_callback,
    incoming_from_message,
)
from adapters.telegram.webhook import check_secret, derive_secret, make_webhook_handler, webhook_path
from core.context import file_limits
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, use_language
from core.inbox import Claimed, Delivery, Inbox
from core.messages import Attachment, Incoming, Reply

log = logging.getLogger(__name__)
SENT_PRIVATELY = N_("That answer holds private details, so I sent it to you in our private chat.")

ALLOWED_UPDATES = ["message", "callback_query"]
POLL_BATCH = 100
"""getUpdates' own maximum; fewer when the inbox has less room."""
POLL_RETRY_S = 3.0
_COMMAND_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


class CoreLike(Protocol):
    """What the channel needs of core.app.Core."""

    commands: Any

    def handle(self, incoming: Incoming, *, keep_reply: bool = False) -> Reply | None: ...


class TelegramChannel:
    name = "telegram"

    def __init__(self, core: CoreLike, *, token: str, inbox: Inbox, base_url: str | None = None,
                 base_file_url: str | None = None, webhook_url: str | None = None,
                 webhook_secret: str | None = None, poll_timeout: float = 30.0,
                 max_concurrent_updates: int = 16, core_workers: int = 4, connection_pool_size: int = 8,
                 rate_limiter: BaseRateLimiter | None = None) -> None:
        """Updates go through ``inbox`` (stored, then claimed and handled). Tuning, measured with
        bench/bench_telegram.py:

        - ``max_concurrent_updates`` chats are served at once (the inbox hands out one chat's rows in order) by
          ``core_workers`` threads calling the core; more buys nothing on SQLite's single writer and only makes
          each answer wait longer in a burst.
        - ``connection_pool_size`` connections to the Bot API (PTB's default is 256): at Telegram's 30 messages a
          second, 8 leave room for slow uploads and cost httpcore less bookkeeping per request. A request waits
          up to 30 s for a free connection (PTB's default: 1 s), so a burst queues rather than fails.
        - ``rate_limiter`` defaults to PTB's AIORateLimiter with Telegram's published limits (30 messages a
          second overall, 20 a minute per group), which also waits out a 429's retry_after, up to 3 times.
        """
        self._core = core
        self._file_limits = {f"/{name}": limit for name, limit in file_limits(core.commands).items()}
        """The commands that keep a file sent with them (as its caption), and the most each fetches: the core's
        table says."""
        self._webhook_url = webhook_url
        self._webhook_secret = check_secret(webhook_secret) if webhook_secret else derive_secret(token)
        self._poll_timeout = poll_timeout
        self._core_workers = core_workers
        self._executor: ThreadPoolExecutor | None = None
        self._polling: asyncio.Task[None] | None = None
        builder = (Application.builder().token(token).updater(None)  # the inbox takes updates, not PTB's queue
                   .rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
                   .connection_pool_size(connection_pool_size).pool_timeout(30.0))
        if base_url:
            builder = builder.base_url(base_url).base_file_url(base_file_url or file_url_for(base_url))
        self.application = builder.build()
        self.consumer = Consumer(inbox, PLATFORM, self._handle_stored, concurrency=max_concurrent_updates)
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self.notifier = TelegramNotifier(self.application.bot)

    # ------------------------------------------------------------------ lifecycle
    def routes(self) -> list[tuple[str, str, Any]]:
        """The webhook endpoint for the project's HTTP server; nothing when polling."""
        if not self._webhook_url:
            return []
        handler = make_webhook_handler(self.application.bot, self._webhook_secret, self._accept_webhook_update)
        return [("POST", webhook_path(self._webhook_url), handler)]

    async def start(self) -> None:
        self._executor = ThreadPoolExecutor(self._core_workers, thread_name_prefix="telegram-core")
        app = self.application
        await app.initialize()  # getMe: fails fast on a wrong token
        await self._publish_commands()
        self.consumer.start()  # rows left by an earlier run are answered first
        if self._webhook_url:
            await app.bot.set_webhook(self._webhook_url, secret_token=self._webhook_secret,
                                      allowed_updates=ALLOWED_UPDATES)
            log.info("Telegram: @%s receives updates by webhook", app.bot.username)
        else:
            await app.bot.delete_webhook()  # getUpdates is refused while a webhook is set
            self._polling = asyncio.create_task(self._poll(), name="telegram-polling")
            log.info("Telegram: @%s receives updates by long polling", app.bot.username)
        self.notifier.attach(asyncio.get_running_loop())

    async def stop(self) -> None:
        """Stop taking updates (a webhook call is answered 503, polling stops), let the rows in flight finish
        (their replies are sent), then close; the rest waits in the inbox for the next start."""
        app = self.application
        if self._polling is not None:
            self._polling.cancel()  # a getUpdates cut short confirms nothing: its updates come again
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        await self.consumer.stop()
        self.notifier.attach(None)
        await app.shutdown()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    async def _publish_commands(self) -> None:
        """The command menu from the core's table, once per language (Telegram shows a user the one of their app's
        language, English otherwise); groups don't list private commands (/profile)."""
        bot = self.application.bot
        try:
            for language in LANGUAGES:
                code = None if language == DEFAULT_LANGUAGE else language
                with use_language(language):
                    everywhere = [_bot_command(c) for c in self._core.commands]
                    in_groups = [_bot_command(c) for c in self._core.commands if not getattr(c, "private", False)]
                await bot.set_my_commands([c for c in everywhere if c], scope=BotCommandScopeDefault(),
                                          language_code=code)
                await bot.set_my_commands([c for c in in_groups if c], scope=BotCommandScopeAllGroupChats(),
                                          language_code=code)
        except TelegramError as exc:  # the menu is a convenience: don't refuse to start over it
            log.warning("Telegram: could not set the command menu: %s", exc)

    async def _accept_webhook_update(self, update: Update, body: bytes) -> None:
        """Stored before the 200; a 503 (stopping, or the inbox full) makes Telegram deliver it again later."""
        await self.consumer.accept([_delivery(update, body)])

    async def _poll(self) -> None:
        """Long polling that reads ahead only what the inbox has room for: each batch is stored, and only then
        confirmed to Telegram, by the next getUpdates' offset. A full inbox pauses polling (Telegram keeps the
        updates meanwhile)."""
        offset: int | None = None
        while True:
            try:
                offset = await self._poll_once(offset)
            except TelegramError as error:
                self._on_polling_error(error)
                await asyncio.sleep(POLL_RETRY_S)
            except web.HTTPServiceUnavailable:
                await self.consumer.wait_for_room(1.0)  # full a moment ago: nothing confirmed, ask again
            except Exception:  # the database (a restart, SQLite busy): polling must outlive it, confirming nothing
                ref = uuid.uuid4().hex[:8]
                log.exception("Telegram: polling failed (ref %s); trying again in %.0f s", ref, POLL_RETRY_S,
                              extra={"ref": ref})
                await asyncio.sleep(POLL_RETRY_S)

    async def _poll_once(self, offset: int | None) -> int | None:
        """One getUpdates for what the inbox has room for, stored; the offset that confirms it."""
        room = self.consumer.inbox.limit - await asyncio.to_thread(self.consumer.inbox.waiting)
        if room <= 0:
            await self.consumer.wait_for_room(1.0)
            return offset
        updates = await self.application.bot.get_updates(
            offset=offset, limit=min(POLL_BATCH, room), timeout=int(self._poll_timeout),
            allowed_updates=ALLOWED_UPDATES)
        if updates:
            await self.consumer.accept([_delivery(u, u.to_json().encode()) for u in updates])
            offset = updates[-1].update_id + 1
        return offset

    # ------------------------------------------------------------------ updates
    async def _handle_stored(self, item: Claimed) -> None:
        """A row from the inbox, through the same handlers as ever (errors go to ``_on_error``)."""
        update = Update.de_json(json.loads(item.payload), self.application.bot)
        await self.application.process_update(update)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await self._on_button(update)
        elif update.message is not None:
            await self._on_message(update)

    async def _on_message(self, update: Update) -> None:
        message = update.message
        assert message is not None
        bot = self.application.bot
        text = addressed_text(message, bot.username, bot.id)
        if text is None or update.effective_user is None:
            return
        incoming = incoming_from_message(update, text)
        limit = self._file_limits.get(text.split(maxsplit=1)[0].split("@", 1)[0].lower()) if text.strip() else None
        if (message.photo or message.document) and limit is not None:
            incoming = replace(incoming, attachment=await self._fetch_file(message, limit))
        reply = await self._ask_core(incoming)
        if reply is None:
            return
        private = message.chat.type == Chat.PRIVATE
        await self._send(message.chat.id, reply, private=private, reply_to=None if private else message.message_id,
                         user_id=update.effective_user.id)

    async def _fetch_file(self, message: Message, limit: int) -> Attachment:
        """The photo (its largest size) or file sent with /expense or /import, through getFile; one over the core's
        ``limit`` is not downloaded, and one that can't be fetched comes without content: the core says so either
        way."""
        item: PhotoSize | TgDocument
        if message.photo:
            item, name = message.photo[-1], f"photo-{message.message_id}.jpg"
        else:
            assert message.document is not None
            item, name = message.document, message.document.file_name or f"file-{message.message_id}"
        if item.file_size is not None and item.file_size > limit:
            return Attachment(name, None, item.file_size)
        try:
            file = await self.application.bot.get_file(item.file_id)
            content = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("Telegram: could not fetch the file %s: %s", name, exc)
            return Attachment(name, None, item.file_size)
        return Attachment(name, content, item.file_size)

    async def _on_button(self, update: Update) -> None:
        query = update.callback_query
        assert query is not None
        try:
            await query.answer()  # stop the button's spinner at once, whatever the core says
        except TelegramError as exc:
            log.info("Telegram: could not answer callback query: %s", exc)
        if not query.data:
            return
        incoming = incoming_from_callback(update, query)
        reply = await self._ask_core(incoming)
        if reply is None:
            return
        message = query.message
        chat_id = int(incoming.chat_id)
        if reply.sensitive and not incoming.is_private:
            # A button in a group that issues an invoice with payment details: the PDF goes to the presser's
            # private chat, and the group (in place of the button's message, or below it) hears where it went.
            reply = await self._send_privately(query.from_user.id, reply)
        if _answers(message, query.from_user.id) and await self._edit(message, reply, incoming.is_private):
            return
        reply_to = None if incoming.is_private or message is None else message.message_id
        await self._send(chat_id, reply, private=incoming.is_private, reply_to=reply_to, user_id=query.from_user.id)

    async def _edit(self, message: Any, reply: Reply, private: bool) -> bool:
        """Show a button's outcome in place of the message that carried it, when it is one plain text
        message (an Undo replaces "Logged …" with "Removed …"); True when that worked."""
        pieces = render_reply(reply, private=private)
        if len(pieces) != 1 or pieces[0].document is not None or message.document is not None:
            return False
        try:
            await self.application.bot.edit_message_text(pieces[0].html, chat_id=message.chat.id,
                                                         message_id=message.message_id, parse_mode=ParseMode.HTML,
                                                         reply_markup=pieces[0].keyboard)
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True
            log.info("Telegram: could not edit message %s: %s", message.message_id, exc)
            return False
        except Forbidden:
            return True  # blocked: nothing else would reach them either
        except TelegramError as exc:
            log.info("Telegram: could not edit message %s: %s", message.message_id, exc)
            return False
        return True

    async def _ask_core(self, incoming: Incoming) -> Reply | None:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(self._core.handle, incoming, keep_reply=True))

    async def _send(self, chat_id: int, reply: Reply, *, private: bool, reply_to: int | None = None,
                    user_id: int | None = None) -> None:
        if reply.sensitive and not private and user_id is not None:
            # Private details (an invoice with payment instructions, the profile) go to the user's own chat
            # with the bot; the group only hears where it went.
            reply = await self._send_privately(user_id, reply)
        try:
            await deliver_reply(self.application.bot, chat_id, reply, private=private, reply_to=reply_to)
        except Forbidden as exc:
            log.info("Telegram: chat %s can't be written to (%s)", chat_id, exc.message)
        except TelegramError as exc:
            log.warning("Telegram: reply to chat %s not delivered: %s", chat_id, exc)

    async def _send_privately(self, user_id: int, reply: Reply) -> Reply:
        """Deliver ``reply`` in the user's private chat; returns the note for the group."""
        try:
            await deliver_reply(self.application.bot, user_id, reply, private=True)
        except TelegramError as exc:
            log.info("Telegram: private chat with %s not reachable (%s)", user_id, exc)
            with use_language(reply.language):
                return Reply(_(PRIVATE_ONLY) + " " + _("Open a private chat with me, press Start, and ask there."),
                             language=reply.language)
        with use_language(reply.language):
            return Reply(_(SENT_PRIVATELY), language=reply.language)

    # ------------------------------------------------------------------ errors
    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log what a handler raised with a short reference; the bot keeps running."""
        reference = uuid.uuid4().hex[:8]
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Telegram: error handling update %s (ref %s)", update_id, reference, exc_info=context.error)

    def _on_polling_error(self, error: TelegramError) -> None:
        """Network trouble while polling: PTB retries with backoff; say so once per failure."""
        log.warning("Telegram: polling failed, retrying: %s", error)


def _answers(message: Any, presser_id: int) -> bool:
    """Whether the message holding a pressed button is the presser's own conversation, so its text may be
    replaced by the outcome. In a group the bot's answer replies to its author's message; someone else pressing
    the button acts on their own account and gets their own answer, leaving the author's confirmation alone."""
    if message is None or not message.is_accessible:
        return False
    if message.chat.type == Chat.PRIVATE:
        return True
    author = message.reply_to_message.from_user if message.reply_to_message is not None else None
    return author is not None and author.id == presser_id


def _bot_command(command: Any) -> BotCommand | None:
    """A BotCommand for one entry of the core's table, or None when Telegram would refuse its name."""
    name = command.name.lower()
    if not (1 <= len(name) <= 32) or not set(name) <= _COMMAND_NAME_CHARS:
        return None
    summary = _(command.summary or command.usage or name)[:256]
    return BotCommand(name, summary)


def _delivery(update: Update, body: bytes) -> Delivery:
    chat = update.effective_chat.id if update.effective_chat is not None else (
        update.effective_user.id if update.effective_user is not None else 0)
    return Delivery(PLATFORM, delivery_key(update.update_id), str(chat), body)
