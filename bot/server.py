"""The project's one HTTP server on PORT: /healthz plus the routes channels ask for (Telegram's webhook,
Slack's /slack/events)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web

Route = tuple[str, str, Callable[[web.Request], Awaitable[web.StreamResponse]]]


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


class HttpServer:
    def __init__(self, host: str = "0.0.0.0", port: int = 8080) -> None:
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=2 * 1024 * 1024)
        self.app.router.add_get("/healthz", healthz)
        self._runner: web.AppRunner | None = None

    def add_routes(self, routes: Iterable[Route]) -> None:
        for method, path, handler in routes:
            self.app.router.add_route(method, path, handler)

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()

    @property
    def bound_port(self) -> int:
        """The port actually listened on (useful with port 0 in tests)."""
        assert self._runner is not None
        server = self._runner.addresses[0]
        return int(server[1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
