"""The project's one HTTP server on PORT: /healthz plus the routes channels ask for (Telegram's webhook,
Slack's /slack/events)."""
from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web

MAX_BODY = 1024 * 1024
"""The most any route reads of a body; each route keeps a smaller limit of its own (adapters/web.py)."""

Route = tuple[str, str, Callable[[web.Request], Awaitable[web.StreamResponse]]]


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


class HttpServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 8080, sock: socket.socket | None = None, *,
                 reuse_port: bool = False) -> None:
        """Listens on host:port, or on an already bound socket (tests bind port 0 first to learn the port);
        ``reuse_port``: several worker processes listen on the same port (`invoicebot run --workers N`)."""
        self.host = host
        self.port = port
        self.reuse_port = reuse_port
        self._sock = sock
        self.app = web.Application(client_max_size=MAX_BODY)
        self.app.router.add_get("/healthz", healthz)
        self._runner: web.AppRunner | None = None

    def add_routes(self, routes: Iterable[Route]) -> None:
        for method, path, handler in routes:
            self.app.router.add_route(method, path, handler)

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site: web.BaseSite = (web.SockSite(self._runner, self._sock) if self._sock is not None
                              else web.TCPSite(self._runner, self.host, self.port, reuse_port=self.reuse_port or None))
        await site.start()

    @property
    def bound_port(self) -> int:
        """The port actually listened on (tests start it on port 0)."""
        assert self._runner is not None
        return int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
