"""slack-manifest.yml from the core's command table, so the app Slack creates has exactly the core's commands.

tests/slack/test_manifest.py fails when the committed file and :func:`render_manifest` disagree; regenerate it
with ``python -m adapters.slack > slack-manifest.yml``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Protocol

PLACEHOLDER_URL = "https://invoicebot.example.com"

BOT_SCOPES = (
    "app_mentions:read",  # @invoicebot in a channel
    "chat:write",  # answers, ephemeral answers, DMs
    "commands",  # slash commands
    "files:read",  # receipts shared with /expense in the bot's DM
    "files:write",  # invoice PDFs (files_upload_v2)
    "im:history",  # direct messages to the bot (free-text logging)
    "im:write",  # open a DM for reminders and for PDFs that can't go into a channel
    "users:read",  # the user's timezone (users.info)
)
BOT_EVENTS = ("app_mention", "message.im")
_DESCRIPTION_LIMIT = 100


class CommandLike(Protocol):
    name: str
    usage: str
    summary: str


def render_manifest(commands: Iterable[CommandLike], base_url: str = PLACEHOLDER_URL) -> str:
    events_url = f"{base_url}/slack/events"
    lines = [
        "# Create the Slack app from this file: api.slack.com/apps > Create New App > From an app manifest.",
        f"# Replace {PLACEHOLDER_URL} with the public address of `invoicebot run` (PORT).",
        "# For Socket Mode set socket_mode_enabled: true (the URLs are then unused) and make an app-level token",
        "# with connections:write (SLACK_APP_TOKEN).",
        "# Generated from the core's command table: python -m adapters.slack > slack-manifest.yml (a test checks it).",
        "_metadata:",
        "  major_version: 1",
        "  minor_version: 1",
        "display_information:",
        "  name: invoicebot",
        "  description: Log billable work in plain words and bill a client with one command.",
        '  background_color: "#1d3557"',
        "features:",
        "  app_home:",
        "    home_tab_enabled: false",
        "    messages_tab_enabled: true",
        "    messages_tab_read_only_enabled: false",
        "  bot_user:",
        "    display_name: invoicebot",
        "    always_online: true",
        "  slash_commands:",
    ]
    for command in commands:
        hint = command.usage.removeprefix(f"/{command.name}").strip()
        lines += [
            f"    - command: /{command.name}",
            f"      url: {events_url}",
            f"      description: {_quoted(command.summary[:_DESCRIPTION_LIMIT])}",
        ]
        if hint:
            lines.append(f"      usage_hint: {_quoted(hint)}")
        lines.append("      should_escape: false")
    lines += [
        "oauth_config:",
        "  redirect_urls:",
        f"    - {base_url}/slack/oauth_redirect",
        "  scopes:",
        "    bot:",
        *[f"      - {scope}" for scope in BOT_SCOPES],
        "settings:",
        "  event_subscriptions:",
        f"    request_url: {events_url}",
        "    bot_events:",
        *[f"      - {event}" for event in BOT_EVENTS],
        "  interactivity:",
        "    is_enabled: true",
        f"    request_url: {events_url}",
        "  org_deploy_enabled: false",
        "  socket_mode_enabled: false",
        "  token_rotation_enabled: false",
    ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is one)."""
    return json.dumps(text, ensure_ascii=False)

