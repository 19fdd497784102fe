"""Interactivity: a button hands its command (``/undo 42``) back to the core as a new message from the presser."""
from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.blocks import ACTION_ID
from adapters.slack.bridge import CoreBridge
from adapters.slack.delivery import Conversation


def register(app: AsyncApp, bridge: CoreBridge) -> None:
    @app.action(ACTION_ID)
    async def on_button(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any) -> None:
        await ack()
        container = body.get("container") or {}
        channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
        is_direct = bool(channel_id and channel_id.startswith("D"))
        private = bool(container.get("is_ephemeral")) or is_direct
        conversation = Conversation(client=client, team_id=_team_of(body), user_id=body["user"]["id"],
                                    channel_id=channel_id, respond=respond, is_direct=is_direct,
                                    replace_original=private)
        await bridge.converse(conversation, action.get("value") or "",
                              message_id=f"slack:action:{body['trigger_id']}", is_private=private)


def _team_of(body: dict[str, Any]) -> str:
    return body["user"].get("team_id") or body["team"]["id"]
