"""The Slack side of reminders: a direct message to the user, from any thread, with or without the channel running.

chat_id is ``TEAM:USER`` (see identity.py). A synchronous WebClient keeps this independent of Bolt's event loop.
"""
from __future__ import annotations

import logging
import threading
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth.installation_store import InstallationStore

from adapters.slack.blocks import message_payload
from adapters.slack.web_client import build_sync_client, error_code
from core.messages import Reply
from core.notify import DeliveryError, RecipientBlocked

log = logging.getLogger(__name__)

GONE = frozenset({
    "user_disabled", "user_not_found", "cannot_dm_bot", "user_is_bot", "is_archived",
    "channel_not_found", "not_in_channel", "token_revoked", "account_inactive", "team_access_not_granted",
})
"""Errors that will not pass by retrying: the reminder is paused for this user instead."""


class SlackNotifier:
    platform = "slack"

    def __init__(self, *, token: str | None, api_url: str | None = None,
                 installation_store: InstallationStore | None = None) -> None:
        if not token and installation_store is None:
            raise ValueError("The Slack notifier needs a bot token or the installations of the workspaces.")
        self._token = token
        self._api_url = api_url
        self._installations = installation_store
        self._client: WebClient | None = None
        self._lock = threading.Lock()

    def send(self, chat_id: str, reply: Reply) -> None:
        team_id, _, user_id = chat_id.partition(":")
        if not user_id:
            raise RecipientBlocked(f"{chat_id!r} is not a Slack TEAM:USER id")
        try:
            client = self._client_for(team_id)
            channel = client.conversations_open(users=user_id)["channel"]["id"]
            client.chat_postMessage(channel=channel, **message_payload(reply))
            if reply.document is not None:
                document = reply.document
                client.files_upload_v2(channel=channel, file=document.content, filename=document.filename,
                                       title=document.filename, initial_comment=document.caption or None)
        except SlackApiError as exc:
            error = error_code(exc)
            if error in GONE:
                raise RecipientBlocked(f"Slack user {chat_id} can't be reached: {error}") from exc
            raise DeliveryError(f"Slack refused the message to {chat_id}: {error}") from exc
        except SlackClientError as exc:
            raise DeliveryError(f"Slack could not be reached for {chat_id}: {exc}") from exc
        except OSError as exc:
            raise DeliveryError(f"Slack could not be reached for {chat_id}: {exc}") from exc

    def _client_for(self, team_id: str) -> WebClient:
        if self._installations is not None:  # looked up each time: a reinstall brings a new token
            return build_sync_client(self._token_for(team_id), self._api_url)
        with self._lock:
            if self._client is None:
                self._client = build_sync_client(self._token, self._api_url)
            return self._client

    def _token_for(self, team_id: str) -> str:
        assert self._installations is not None
        bot = self._installations.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise RecipientBlocked(f"invoicebot is not installed in Slack workspace {team_id}")
        return bot.bot_token


def build_notifier(*, token: str | None, api_url: str | None = None, client_id: str | None = None,
                   engine: Any = None, cipher: Any = None) -> SlackNotifier:
    """For ``invoicebot reminders run-once``: no channel running, the same delivery. With ``client_id``, the
    database ``engine`` and the ``cipher`` (several workspaces), each workspace's bot token is read from its
    installation."""
    installations = None
    if client_id and engine is not None and cipher is not None:
        from adapters.slack.installations import DatabaseInstallations

        installations = DatabaseInstallations(client_id=client_id, engine=engine, cipher=cipher)
    return SlackNotifier(token=token, api_url=api_url, installation_store=installations)
