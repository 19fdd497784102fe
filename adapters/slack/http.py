"""aiohttp handlers for the project's one HTTP server: POST /slack/events and, with OAuth, the install pages.

Bolt checks each request's signature (forged, or older than five minutes: 401) and answers as soon as the
listener acks; the work itself continues in the background.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

EVENTS_PATH = "/slack/events"


def build_routes(app: AsyncApp) -> list[tuple[str, str, Handler]]:
    async def handle_events(request: web.Request) -> web.StreamResponse:
        bolt_response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    routes: list[tuple[str, str, Handler]] = [("POST", EVENTS_PATH, handle_events)]
    flow = app.oauth_flow
    if flow is not None:
        async def handle_install(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

        async def handle_oauth_redirect(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

        routes += [("GET", flow.install_path, handle_install), ("GET", flow.redirect_uri_path, handle_oauth_redirect)]
    return routes
