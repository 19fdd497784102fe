"""The webhook endpoint, mounted on the project's one aiohttp server next to /healthz.

Telegram sends the secret given to setWebhook in X-Telegram-Bot-Api-Secret-Token with every update; anything
without it is not Telegram, and gets 403 before its body is even read. A body too large for an update gets 413,
and one that isn't an update (whatever breaks the parser: a date past the year 9999, nesting ten thousand deep)
gets 400 — never a 500 and a traceback; refusals are logged one short line at a time, at most one a minute.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update

from adapters.web import RefusalLog, read_body

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
MAX_BODY = 256 * 1024
"""An update is a few kilobytes: a 4,096-character message with its entities, or a file's metadata."""
_SECRET_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

log = logging.getLogger(__name__)


def derive_secret(token: str) -> str:
    """A webhook secret from the bot token when none is configured: stable across restarts and workers,
    and made only of the characters Telegram allows (A-Z, a-z, 0-9, _ and -)."""
    return hmac.new(token.encode(), b"invoicebot telegram webhook", hashlib.sha256).hexdigest()


def check_secret(secret: str) -> str:
    """Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and -: say so at start, not as a BadRequest later."""
    if not (1 <= len(secret) <= 256) or not set(secret) <= _SECRET_CHARS:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - "
                         "(e.g. the output of `openssl rand -hex 32`).")
    return secret


def webhook_path(url: str) -> str:
    """The path our server listens on: the one in the public webhook URL (a proxy may sit in front)."""
    path = urlsplit(url).path.rstrip("/")
    return path or DEFAULT_PATH


def make_webhook_handler(bot: Bot, secret: str, accept: Callable[[Update, bytes], Awaitable[None]]
                         ) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp handler that checks the secret, parses the update and hands it with its body to ``accept``
    (which stores it, or raises 503): Telegram gets its 200 once the update is stored, and retries otherwise."""
    expected = secret.encode()
    refusals = RefusalLog(log, "Telegram webhook call")

    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not given or not hmac.compare_digest(given, expected):
            refusals.refused(f"missing or wrong secret token (from {request.remote})")
            return web.Response(status=403, text="forbidden")
        body = await read_body(request, MAX_BODY)
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or type(data.get("update_id")) is not int:
                raise ValueError("no update_id")
            update = Update.de_json(data, bot)
        except Exception:  # parsing only: anything it raises means "not an update"
            refusals.refused("a body that is not a Telegram update")
            return web.Response(status=400, text="not a Telegram update")
        await accept(update, body)
        return web.Response(text="ok")

    return handle
