"""Setting the profile through a modal: the "Edit in a form" button under /profile opens it; each filled field
becomes one ``/profile set FIELD VALUE`` for the core, and the answers come back ephemerally where /profile was."""
from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from adapters.slack.blocks import PROFILE_FORM_ACTION_ID, PROFILE_FORM_CALLBACK_ID
from adapters.slack.bridge import CoreBridge
from adapters.slack.delivery import Conversation, deliver
from core.messages import Reply

log = logging.getLogger(__name__)

FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("name", "Business name", False),
    ("address", "Address", True),
    ("country", "Country (ISO code, e.g. DE)", False),
    ("email", "Email", False),
    ("vat_id", "VAT id (e.g. DE123456788)", False),
    ("tax_number", "Tax number (if you have no VAT id)", False),
    ("payment", "Payment instructions (IBAN, BIC, ...)", True),
    ("currency", "Currency (ISO code, e.g. EUR)", False),
    ("tax_rate", "Tax rate (percent)", False),
    ("vat_exempt", "VAT exemption sentence (small business)", True),
    ("terms", "Payment terms (days until due)", False),
    ("number_format", "Invoice number format", False),
    ("locale", "Locale (e.g. de_DE)", False),
)


def profile_view(private_metadata: str) -> dict[str, Any]:
    """Empty fields are left as they are, so the form never has to show stored payment details."""
    blocks = [
        {"type": "input", "block_id": field, "optional": True,
         "label": {"type": "plain_text", "text": label},
         "element": {"type": "plain_text_input", "action_id": "value", "multiline": multiline}}
        for field, label, multiline in FIELDS
    ]
    return {
        "type": "modal", "callback_id": PROFILE_FORM_CALLBACK_ID, "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Your business profile"},
        "submit": {"type": "plain_text", "text": "Save"}, "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [{"type": "context", "elements": [
            {"type": "plain_text", "text": "Fill in what should change; empty fields stay as they are."}]}, *blocks],
    }


def submitted_fields(view: dict[str, Any]) -> list[tuple[str, str]]:
    values = view.get("state", {}).get("values", {})
    changes = []
    for field, _label, _multiline in FIELDS:
        value = (values.get(field, {}).get("value", {}) or {}).get("value")
        if value and value.strip():
            changes.append((field, value.strip()))
    return changes


def register(app: AsyncApp, bridge: CoreBridge) -> None:
    @app.action(PROFILE_FORM_ACTION_ID)
    async def on_open_form(ack: Any, body: dict[str, Any], client: Any) -> None:
        await ack()
        metadata = json.dumps({"response_url": body.get("response_url"),
                               "channel_id": (body.get("channel") or {}).get("id")})
        await client.views_open(trigger_id=body["trigger_id"], view=profile_view(metadata))

    @app.view(PROFILE_FORM_CALLBACK_ID)
    async def on_submit(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        await ack()  # closes the modal; the answers follow where /profile was typed
        metadata = json.loads(view.get("private_metadata") or "{}")
        user = body["user"]
        conversation = Conversation(
            client=client, team_id=user.get("team_id") or body["team"]["id"], user_id=user["id"],
            channel_id=metadata.get("channel_id"),
            respond=AsyncRespond(response_url=metadata["response_url"]) if metadata.get("response_url") else None,
        )
        with bridge.tracked():
            async with bridge.turn_of(conversation):
                try:
                    slack_user = await bridge.user(conversation)
                    answers = []
                    for field, value in submitted_fields(view):
                        reply = await bridge.ask(slack_user.incoming(f"/profile set {field} {value}",
                                                                     message_id=None, is_private=True))
                        if reply is not None:
                            answers.append(reply.text)
                    if not answers:
                        answers.append("Nothing changed: every field was empty.")
                    await deliver(conversation, Reply("\n".join(answers), sensitive=True))
                except Exception:
                    await bridge.apologise(conversation)
