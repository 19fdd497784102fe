"""The Slack channel: a Bolt AsyncApp over the core, in HTTP mode (the project's one server) or Socket Mode.

Either way a request is stored in the inbox before Slack hears it was received (an HTTP 200, or the envelope's ack
over the socket), then dispatched through Bolt from there."""
from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app, send_async_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from adapters.inbox import Consumer
from adapters.slack import buttons, events, profile_form, slash_commands
from adapters.slack.bridge import CoreBridge, CoreLike
from adapters.slack.http import Handler, build_routes
from adapters.slack.intake import PLATFORM, envelope_delivery_of, request_of
from adapters.slack.manifest import BOT_SCOPES
from adapters.slack.notifier import SlackNotifier
from adapters.slack.web_client import build_async_client, error_code
from core.encryption import Cipher
from core.inbox import Claimed, Delivery, Inbox

log = logging.getLogger(__name__)

STORE_WAIT_S = 2.0
"""A request arriving at a full inbox waits this long for room, then gets 503: Slack wants its 200 within 3 s."""


class SlackChannel:
    """Slash commands, DMs, mentions and buttons in; ephemeral answers and PDFs out.

    Single workspace: ``bot_token``. Several workspaces: ``client_id`` + ``client_secret`` + ``engine`` (the
    project's SQLAlchemy engine, whose database holds slack-sdk's installation tables) + ``cipher`` (the
    project's keys, for the tokens; defaults to the core's). Socket Mode:
    ``app_token``; otherwise mount :meth:`routes` on the HTTP server.
    """

    name = "slack"

    def __init__(
        self,
        core: CoreLike,
        *,
        signing_secret: str | None,
        bot_token: str | None = None,
        app_token: str | None = None,
        api_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        engine: Any = None,
        cipher: Cipher | None = None,
        redirect_uri: str | None = None,
        workers: int = 4,
        inbox: Inbox,
    ) -> None:
        if not bot_token and not (client_id and client_secret):
            raise ValueError("Slack needs a bot token (SLACK_BOT_TOKEN), or SLACK_CLIENT_ID and "
                             "SLACK_CLIENT_SECRET for installing into several workspaces.")
        if not app_token and not signing_secret:
            raise ValueError("Slack over HTTP needs SLACK_SIGNING_SECRET to check that requests come from Slack.")
        self._app_token = app_token
        self._signing_secret = signing_secret
        self._bot_token = bot_token
        self._bridge = CoreBridge(core, workers=workers)
        self.consumer = Consumer(inbox, PLATFORM, self._handle_stored)
        # A request is dispatched from the inbox once its listener is done (the 200 or the ack went out when it was
        # stored), and an HTTP request's signature was checked by the route before it was stored: Bolt's own check
        # would refuse a body stored longer than five minutes ago.
        options: dict[str, Any] = {"process_before_response": True, "request_verification_enabled": False}
        installation_store = None
        if client_id and client_secret:
            cipher = cipher or getattr(core, "cipher", None)
            if engine is None or cipher is None:
                raise ValueError("Installing into several workspaces needs the database engine and the encryption "
                                 "keys: the workspaces' tokens are kept encrypted in the database.")
            from adapters.slack.installations import oauth_stores  # slack-sdk's SQLAlchemy stores need greenlet

            installation_store, state_store = oauth_stores(engine, client_id, cipher)
            self.app = AsyncApp(
                signing_secret=signing_secret or "", **options,
                client=build_async_client(None, api_url),
                oauth_settings=AsyncOAuthSettings(
                    client_id=client_id, client_secret=client_secret, scopes=BOT_SCOPES, redirect_uri=redirect_uri,
                    installation_store=installation_store.asynchronous(), state_store=state_store,
                ),
            )
        else:
            self.app = AsyncApp(signing_secret=signing_secret or "", client=build_async_client(bot_token, api_url),
                                **options)
        for module in (slash_commands, events, buttons, profile_form):
            module.register(self.app, self._bridge)
        self.notifier = SlackNotifier(token=bot_token, api_url=api_url, installation_store=installation_store)
        self._socket: AsyncSocketModeHandler | None = None

    def routes(self) -> list[tuple[str, str, Handler]]:
        """POST /slack/events (and the OAuth install pages); none in Socket Mode."""
        if self._app_token:
            return []
        return build_routes(self.app, self._signing_secret or "", self._store)

    async def _store(self, delivery: Delivery) -> None:
        """Stored even while stopping: Slack never sends a slash command again (a 503 would only show the user an
        error), so it waits in the inbox for the next start or another worker."""
        await self.consumer.accept([delivery], wait=STORE_WAIT_S, when_stopping=True)

    async def _on_envelope(self, client: AsyncBaseSocketModeClient, request: SocketModeRequest) -> None:
        """Socket Mode: store the envelope, then ack it; one that can't be stored is not acked (Slack sends an event
        again, and shows the user an error for a command). The few answered at once go through Bolt at once."""
        delivery = envelope_delivery_of(request.type, request.payload)
        if delivery is None:
            await send_async_response(client, request, await run_async_bolt_app(self.app, request), time.time())
            return
        try:
            await self._store(delivery)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("Slack: could not store envelope %s (ref %s); not acknowledged", delivery.key, ref,
                          extra={"ref": ref})
            return
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))

    async def _handle_stored(self, item: Claimed) -> None:
        """A stored request through Bolt, as if it had just arrived; returns once its listener is done."""
        response = await self.app.async_dispatch(request_of(item.payload))
        if response.status != 200:
            log.info("Slack: a stored request was answered %s by Bolt: %s", response.status, response.body[:200])

    async def start(self) -> None:
        if self._bot_token:
            await self._check_token()
        self.consumer.start()
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.app, app_token=self._app_token)
            self._socket.client.socket_mode_request_listeners[:] = [self._on_envelope]  # store, then ack
            await self._socket.connect_async()
            log.info("Slack: connected in Socket Mode")
        else:
            log.info("Slack: receiving over HTTP at /slack/events")

    async def _check_token(self) -> None:
        """A revoked or mistyped token should stop `invoicebot run` at once, not fail every message later."""
        try:
            identity = await self.app.client.auth_test()
        except SlackApiError as exc:
            if error_code(exc) in ("invalid_auth", "not_authed", "account_inactive", "token_revoked"):
                raise ValueError(f"Slack refused SLACK_BOT_TOKEN ({error_code(exc)}): copy the Bot User OAuth "
                                 "Token again from the app's OAuth & Permissions page.") from exc
            log.warning("Slack: could not check the bot token (%s); going on", error_code(exc))
        except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
            log.warning("Slack: could not reach Slack to check the bot token (%s); going on", exc)
        else:
            log.info("Slack: bot %s in workspace %s", identity.get("user"), identity.get("team"))

    async def stop(self) -> None:
        """Stop handling new messages (over HTTP they are still stored, for the next start), then let the answers
        in flight (a PDF being uploaded) finish."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self.consumer.stop()
        await self._bridge.drain()
