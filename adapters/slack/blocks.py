"""Reply -> Slack message: escaped fallback text plus Block Kit (plain-text sections, buttons for actions)."""
from __future__ import annotations

import re
from typing import Any

from core.i18n import _, use_language
from core.messages import Action, Reply

ACTION_ID = re.compile(r"^invoicebot_action_\d+$")
"""Buttons that hand their value back to the core as a command (``/undo 42``)."""
PROFILE_FORM_ACTION_ID = "invoicebot_profile_form"
PROFILE_FORM_CALLBACK_ID = "invoicebot_profile"

_SECTION_LIMIT = 3000  # Block Kit's limit for a section's text
_FALLBACK_LIMIT = 3000  # the notification text; Slack truncates long ones anyway
_BUTTON_LABEL_LIMIT = 75
_BUTTONS_PER_BLOCK = 25
_SECTIONS_LIMIT = 40  # of Slack's 50 blocks per message, leaving room for button rows


def escape_text(text: str) -> str:
    """Slack reads &, < and > in message text as markup (links, mentions); the core's text is plain."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message_payload(reply: Reply, extra_buttons: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    """``text`` (shown in notifications) and ``blocks`` (shown in the conversation) for ``reply``."""
    chunks = _chunks(reply.text or " ")
    if len(chunks) > _SECTIONS_LIMIT:  # Slack takes at most 50 blocks; a list that long is cut, not lost silently
        with use_language(reply.language):
            chunks = chunks[:_SECTIONS_LIMIT] + [_("… (cut here: the list is longer than Slack shows in one message)")]
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "plain_text", "text": chunk, "emoji": True}} for chunk in chunks
    ]
    buttons = [action_button(i, action) for i, action in enumerate(reply.actions)] + list(extra_buttons)
    for start in range(0, len(buttons), _BUTTONS_PER_BLOCK):
        blocks.append({"type": "actions", "elements": buttons[start:start + _BUTTONS_PER_BLOCK]})
    return {"text": escape_text(reply.text[:_FALLBACK_LIMIT]), "blocks": blocks}


def action_button(index: int, action: Action) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": f"invoicebot_action_{index}",
        "text": {"type": "plain_text", "text": action.label[:_BUTTON_LABEL_LIMIT], "emoji": True},
        "value": action.command,
    }


def profile_form_button() -> dict[str, Any]:
    """The button under /profile that opens the profile form, labelled in the current language."""
    return {"type": "button", "action_id": PROFILE_FORM_ACTION_ID,
            "text": {"type": "plain_text", "text": _("Edit in a form")}}


def _chunks(text: str) -> list[str]:
    """Split at line ends so that no section passes Slack's limit."""
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > _SECTION_LIMIT:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:_SECTION_LIMIT])
            line = line[_SECTION_LIMIT:]
        if len(current) + len(line) > _SECTION_LIMIT:
            chunks.append(current)
            current = ""
        current += line
    if current.strip() or not chunks:
        chunks.append(current if current.strip() else " ")
    return chunks


_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def plain_text_of(markup: str) -> str:
    """What the user typed: Slack escapes &, < and >, and sends links and mentions as ``<target|label>``."""

    def _readable(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("#"):
            return "#" + label if label else ""
        if target.startswith(("@", "!")):
            return ""  # a mention (of the bot, a person, @here) is no part of a phrase of work
        if label:
            return label
        return target.removeprefix("mailto:")

    text = _MARKUP.sub(_readable, markup)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]{2,}", " ", text).strip()
