"""The Slack channel: a Bolt AsyncApp over the core, in HTTP mode (the project's one server) or Socket Mode."""
from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError, SlackClientError

from adapters.slack import buttons, events, profile_form, slash_commands
from adapters.slack.bridge import CoreBridge, CoreLike
from adapters.slack.http import Handler, build_routes
from adapters.slack.manifest import BOT_SCOPES
from adapters.slack.notifier import SlackNotifier
from adapters.slack.web_client import build_async_client, error_code
from core.encryption import Cipher

log = logging.getLogger(__name__)


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
        installation_store = None
        if client_id and client_secret:
            cipher = cipher or getattr(core, "cipher", None)
            if engine is None or cipher is None:
                raise ValueError("Installing into several workspaces needs the database engine and the encryption "
                                 "keys: the workspaces' tokens are kept encrypted in the database.")
            from adapters.slack.installations import oauth_stores  # slack-sdk's SQLAlchemy stores need greenlet

            installation_store, state_store = oauth_stores(engine, client_id, cipher)
            self.app = AsyncApp(
                signing_secret=signing_secret or "",
                client=build_async_client(None, api_url),
                oauth_settings=AsyncOAuthSettings(
                    client_id=client_id, client_secret=client_secret, scopes=BOT_SCOPES, redirect_uri=redirect_uri,
                    installation_store=installation_store.asynchronous(), state_store=state_store,
                ),
            )
        else:
            self.app = AsyncApp(signing_secret=signing_secret or "", client=build_async_client(bot_token, api_url))
        for module in (slash_commands, events, buttons, profile_form):
            module.register(self.app, self._bridge)
        self.notifier = SlackNotifier(token=bot_token, api_url=api_url, installation_store=installation_store)
        self._socket: AsyncSocketModeHandler | None = None

    def routes(self) -> list[tuple[str, str, Handler]]:
        """POST /slack/events (and the OAuth install pages); none in Socket Mode."""
        return [] if self._app_token else build_routes(self.app, self._signing_secret or "")

    async def start(self) -> None:
        if self._bot_token:
            await self._check_token()
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.app, app_token=self._app_token)
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
        """Stop taking new messages, then let the answers in flight (a PDF being uploaded) finish."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self._bridge.drain()
