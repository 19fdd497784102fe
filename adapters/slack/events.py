"""Events: direct messages to the bot (free-text logging) and mentions of it in channels.

Bolt acks events before these run. A retried delivery (X-Slack-Retry-Num) carries the same event_id: it is dropped
here while the first is still in memory, and the core refuses a message_id it has already handled.
"""
from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.blocks import plain_text_of
from adapters.slack.bridge import CoreBridge
from adapters.slack.delivery import Conversation
from adapters.slack.receipts import fetch_file, file_command
from core.context import file_limits


def register(app: AsyncApp, bridge: CoreBridge) -> None:
    limits = file_limits(bridge.core.commands)

    @app.event("message")
    async def on_message(event: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        text = plain_text_of(event.get("text") or "")
        shared = file_command(text, limits) if event.get("subtype") == "file_share" and event.get("files") else None
        if event.get("channel_type") != "im" or (event.get("subtype") and not shared) or event.get("bot_id") \
                or not event.get("user"):
            return  # edits, joins, other bots and channel chatter are not work to log
        if not bridge.events.first_sight(body["event_id"]):
            return
        conversation = Conversation(client=client, team_id=_team_of(body, event), user_id=event["user"],
                                    channel_id=event["channel"], is_direct=True, thread_ts=event.get("thread_ts"))
        attachment = None
        if shared:  # a receipt shared with "/expense …" as its message, an export with "/import"
            text, limit = shared
            attachment = await fetch_file(client, event["files"][0], limit)
        await bridge.converse(conversation, text, message_id=f"slack:{body['event_id']}", is_private=True,
                              attachment=attachment)

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        if not event.get("user") or not bridge.events.first_sight(body["event_id"]):
            return
        conversation = Conversation(client=client, team_id=_team_of(body, event), user_id=event["user"],
                                    channel_id=event["channel"], thread_ts=event.get("thread_ts"))
        await bridge.converse(conversation, plain_text_of(event.get("text") or ""),
                              message_id=f"slack:{body['event_id']}", is_private=False)


def _team_of(body: dict[str, Any], event: dict[str, Any]) -> str:
    """The workspace the account belongs to (in shared channels the user's own team, not the host's)."""
    return event.get("user_team") or event.get("team") or body["team_id"]
