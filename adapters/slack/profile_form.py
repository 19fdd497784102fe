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
from core.i18n import N_, _, language_of, use_language
from core.messages import Reply

log = logging.getLogger(__name__)

FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("name", N_("Business name"), False),
    ("address", N_("Address"), True),
    ("country", N_("Country (ISO code, e.g. DE)"), False),
    ("email", N_("Email"), False),
    ("vat_id", N_("VAT id (e.g. DE123456788)"), False),
    ("tax_number", N_("Tax number (if you have no VAT id)"), False),
    ("payment", N_("Payment instructions (IBAN, BIC, ...)"), True),
    ("currency", N_("Currency (ISO code, e.g. EUR)"), False),
    ("tax_rate", N_("Tax rate (percent)"), False),
    ("vat_exempt", N_("VAT exemption sentence (small business)"), True),
    ("terms", N_("Payment terms (days until due)"), False),
    ("number_format", N_("Invoice number format"), False),
    ("locale", N_("Locale (e.g. de_DE)"), False),
)


def profile_view(private_metadata: str) -> dict[str, Any]:
    """Empty fields are left as they are, so the form never has to show stored payment details. Labelled in the
    current language."""
    blocks = [
        {"type": "input", "block_id": field, "optional": True,
         "label": {"type": "plain_text", "text": _(label)},
         "element": {"type": "plain_text_input", "action_id": "value", "multiline": multiline}}
        for field, label, multiline in FIELDS
    ]
    return {
        "type": "modal", "callback_id": PROFILE_FORM_CALLBACK_ID, "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": _("Your business profile")[:24]},  # Slack's limit for a title
        "submit": {"type": "plain_text", "text": _("Save")}, "close": {"type": "plain_text", "text": _("Cancel")},
        "blocks": [{"type": "context", "elements": [
            {"type": "plain_text", "text": _("Fill in what should change; empty fields stay as they are.")}]},
            *blocks],
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
        user = body["user"]
        slack_user = await bridge.directory.look_up(client, user.get("team_id") or body["team"]["id"], user["id"])
        with use_language(slack_user.locale):
            view = profile_view(metadata)
        await client.views_open(trigger_id=body["trigger_id"], view=view)

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
                    language = language_of(slack_user.locale)
                    for field, value in submitted_fields(view):
                        reply = await bridge.ask(slack_user.incoming(f"/profile set {field} {value}",
                                                                     message_id=None, is_private=True))
                        if reply is not None:
                            answers.append(reply.text)
                            language = reply.language
                    if not answers:
                        with use_language(language):
                            answers.append(_("Nothing changed: every field was empty."))
                    await deliver(conversation, Reply("\n".join(answers), sensitive=True, language=language))
                except Exception:
                    await bridge.apologise(conversation)
