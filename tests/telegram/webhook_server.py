"""The project's one HTTP server (bot/server.py) serving a Telegram channel's webhook, for webhook tests."""
from __future__ import annotations

import contextlib
import socket

from bot.server import HttpServer


@contextlib.asynccontextmanager
async def served(channel_factory):
    """``channel_factory(webhook_url)`` → a started channel behind the real HTTP server on a free loopback port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    channel = channel_factory(f"http://127.0.0.1:{port}/hooks/telegram")
    server = HttpServer(sock=sock)
    server.add_routes(channel.routes())
    await server.start()
    await channel.start()
    try:
        yield channel, port
    finally:
        await channel.stop()
        await server.stop()
