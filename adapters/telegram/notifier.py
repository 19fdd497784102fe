"""The Telegram side of reminders: send a Reply to a chat by id, from a synchronous caller.

Two ways to get one: ``TelegramChannel.notifier`` reuses the running channel's bot (same connection pool, same
rate limiter) from the scheduler's thread; ``build_notifier`` makes a standalone one with its own event loop
thread for ``invoicebot reminders run-once``, where no channel runs.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import TimeoutError as FutureTimeout

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, ExtBot

from adapters.telegram.delivery import deliver_reply
from core.messages import Reply
from core.notify import DeliveryError, RecipientBlocked

log = logging.getLogger(__name__)

_GONE = ("chat not found", "user is deactivated", "bot was kicked", "not enough rights to send",
         "group chat was upgraded", "peer_id_invalid")


class TelegramNotifier:
    """A core.notify.Notifier over a Bot that lives on an event loop running in another thread."""

    platform = "telegram"

    def __init__(self, bot: Bot, loop: asyncio.AbstractEventLoop | None = None, *, timeout: float = 60.0) -> None:
        self._bot = bot
        self._loop = loop
        self._timeout = timeout

    def attach(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """Point at the loop the bot runs on (the channel does this on start; None on stop)."""
        self._loop = loop

    def send(self, chat_id: str, reply: Reply) -> None:
        loop = self._loop
        if loop is None or loop.is_closed() or not loop.is_running():
            raise DeliveryError("the Telegram channel is not running")
        if _running_loop() is loop:
            raise RuntimeError("TelegramNotifier.send blocks: call it from another thread, not the bot's loop")
        future = asyncio.run_coroutine_threadsafe(self.send_async(chat_id, reply), loop)
        try:
            future.result(self._timeout)
        except FutureTimeout:
            future.cancel()
            raise DeliveryError(f"sending to Telegram chat {chat_id} timed out") from None

    async def send_async(self, chat_id: str, reply: Reply) -> None:
        """Send on the bot's own loop, turning Telegram's errors into the core's two delivery errors."""
        try:
            target = int(chat_id)
        except ValueError:
            raise RecipientBlocked(f"{chat_id!r} is not a Telegram chat id") from None
        try:
            # Positive ids are users (private chats); groups and channels are negative.
            await deliver_reply(self._bot, target, reply, private=target > 0)
        except Forbidden as exc:
            raise RecipientBlocked(f"Telegram chat {chat_id}: {exc.message}") from exc
        except ChatMigrated as exc:
            raise RecipientBlocked(f"Telegram chat {chat_id} moved to {exc.new_chat_id}") from exc
        except BadRequest as exc:
            if any(reason in exc.message.lower() for reason in _GONE):
                raise RecipientBlocked(f"Telegram chat {chat_id}: {exc.message}") from exc
            raise DeliveryError(f"Telegram refused the message to {chat_id}: {exc.message}") from exc
        except InvalidToken as exc:
            raise DeliveryError(f"Telegram refused the bot token: {exc.message}") from exc
        except TelegramError as exc:  # NetworkError, TimedOut, RetryAfter beyond the limiter's retries
            raise DeliveryError(f"sending to Telegram chat {chat_id} failed: {exc.message}") from exc


class StandaloneTelegramNotifier(TelegramNotifier):
    """A notifier with its own bot and event loop thread; close() it when done (or use ``with``)."""

    def __init__(self, bot: ExtBot, *, timeout: float = 60.0) -> None:
        loop = asyncio.new_event_loop()
        super().__init__(bot, loop, timeout=timeout)
        self._ready = threading.Event()
        self._bot_started = False
        self._thread = threading.Thread(target=self._serve, args=(loop,), name="telegram-notifier", daemon=True)
        self._thread.start()
        self._ready.wait()

    def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(self._ready.set)
        loop.run_forever()

    async def send_async(self, chat_id: str, reply: Reply) -> None:
        if not self._bot_started:  # getMe once, on first use: checks the token
            try:
                await self._bot.initialize()
            except TelegramError as exc:
                raise DeliveryError(f"Telegram is not reachable: {exc.message}") from exc
            self._bot_started = True
        await super().send_async(chat_id, reply)

    def close(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        asyncio.run_coroutine_threadsafe(self._bot.shutdown(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(30)
        loop.close()

    def __enter__(self) -> StandaloneTelegramNotifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_notifier(token: str, *, base_url: str | None = None, base_file_url: str | None = None,
                   max_retries: int = 2) -> StandaloneTelegramNotifier:
    """A notifier for a process without a running channel (``invoicebot reminders run-once``)."""
    options: dict[str, object] = {}
    if base_url:
        options["base_url"] = base_url
        options["base_file_url"] = base_file_url or file_url_for(base_url)
    bot = ExtBot(token, rate_limiter=AIORateLimiter(max_retries=max_retries), **options)  # type: ignore[arg-type]
    return StandaloneTelegramNotifier(bot)


def file_url_for(base_url: str) -> str:
    """PTB's base_file_url next to a base_url: ``…/bot`` → ``…/file/bot`` (Telegram's and the local server's
    layout)."""
    root, _, last = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/{last}" if root else f"{base_url}/file"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
