"""Slash commands: ack at once (Slack gives up after 3 s), then let the core work and answer ephemerally."""
from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.blocks import plain_text_of, profile_form_button
from adapters.slack.bridge import CoreBridge
from adapters.slack.delivery import Conversation

ANY_COMMAND = re.compile(r"^/.+")


def register(app: AsyncApp, bridge: CoreBridge) -> None:
    # Every command, not only the ones in the manifest: an old or extra command still gets the core's answer
    # ("unknown command, try /help") instead of Slack's "dispatch_failed".
    @app.command(ANY_COMMAND)
    async def on_command(ack: Any, body: dict[str, Any], client: Any, respond: Any) -> None:
        await ack()
        conversation = Conversation(client=client, team_id=body["team_id"], user_id=body["user_id"],
                                    channel_id=body.get("channel_id"), respond=respond)
        arguments = plain_text_of(body.get("text") or "")
        text = f"{body['command']} {arguments}".strip()
        extra = (profile_form_button,) if body["command"] == "/profile" and not arguments else ()
        await bridge.converse(conversation, text, message_id=f"slack:command:{body['trigger_id']}",
                              is_private=True, extra_buttons=extra)
