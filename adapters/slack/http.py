"""aiohttp handlers for the project's one HTTP server: POST /slack/events and, with OAuth, the install pages.

The signature is checked on the raw body before anything parses it (Bolt parses while building its request):
a forged, stale or malformed request gets 401 and one short log line at most, never a traceback. A signed request
is stored in the inbox and answered an empty 200 once stored (adapters/slack/intake.py); Bolt dispatches it from
there. The few answered at once are dispatched here. The install page, which anyone may open and which stores an
OAuth state per visit, is rate-limited.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.intake import delivery_of
from adapters.web import RateLimit, RefusalLog, read_body
from core.inbox import Delivery

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

EVENTS_PATH = "/slack/events"
MAX_BODY = 256 * 1024
"""Slack's largest requests (a dialog submission, a slash command with long text) are a few kilobytes."""
INSTALLS_PER_MINUTE = 20

log = logging.getLogger(__name__)


def signed_text(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> str | None:
    """The body as text when it carries Slack's signature, made in the last five minutes; None for anything else,
    malformed headers and bodies that aren't UTF-8 included (slack-sdk's verifier raises on those)."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12) or not signature.isascii():
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if verifier.is_valid(body=text, timestamp=timestamp, signature=signature) else None


def build_routes(app: AsyncApp, signing_secret: str,
                 store: Callable[[Delivery], Awaitable[None]]) -> list[tuple[str, str, Handler]]:
    """``store`` puts a delivery in the inbox (raising 503 when it can't)."""
    verifier = SignatureVerifier(signing_secret)
    refusals = RefusalLog(log, "Slack request")

    async def handle_events(request: web.Request) -> web.StreamResponse:
        body = await read_body(request, MAX_BODY)
        text = signed_text(verifier, body, request.headers)
        if text is None:
            refusals.refused(f"no valid signature (from {request.remote})")
            return web.Response(status=401, text="invalid signature")
        delivery = delivery_of(text, request.headers.get("Content-Type", ""))
        if delivery is not None:
            await store(delivery)
            return web.Response(status=200)
        try:
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string,
                                            headers=request.headers)  # type: ignore[arg-type]
        except Exception:  # signed, so from Slack, yet unreadable: say so once, don't crash the route
            refusals.refused("a signed body that can't be parsed")
            return web.Response(status=400, text="unreadable body")
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    routes: list[tuple[str, str, Handler]] = [("POST", EVENTS_PATH, handle_events)]
    flow = app.oauth_flow
    if flow is not None:
        installs = RateLimit(per_minute=INSTALLS_PER_MINUTE, burst=INSTALLS_PER_MINUTE)

        async def handle_install(request: web.Request) -> web.StreamResponse:
            if not installs.allow():
                refusals.refused("too many install page requests")
                return web.Response(status=429, text="too many requests; try again in a minute",
                                    headers={"Retry-After": str(installs.retry_after())})
            return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

        async def handle_oauth_redirect(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

        routes += [("GET", flow.install_path, handle_install), ("GET", flow.redirect_uri_path, handle_oauth_redirect)]
    return routes
