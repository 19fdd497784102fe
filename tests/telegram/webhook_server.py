"""The project's one HTTP server, as bot/server.py builds it, for webhook tests: /healthz plus a channel's routes."""
from __future__ import annotations

import contextlib
import socket

from aiohttp import web


@contextlib.asynccontextmanager
async def served(channel_factory):
    """Like the lead's bot/server.py: one aiohttp app with /healthz and the channel's routes."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    channel = channel_factory(f"http://127.0.0.1:{port}/hooks/telegram")
    app = web.Application()
    app.router.add_get("/healthz", lambda request: web.Response(text="ok"))
    for method, path, handler in channel.routes():
        app.router.add_route(method, path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    await channel.start()
    try:
        yield channel, port
    finally:
        await channel.stop()
        await runner.cleanup()
