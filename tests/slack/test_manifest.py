"""slack-manifest.yml creates the app with exactly the core's commands, and the scopes and events the code uses."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from adapters.slack.manifest import BOT_EVENTS, BOT_SCOPES, render_manifest

MANIFEST = Path(__file__).resolve().parents[2] / "slack-manifest.yml"


def test_the_manifest_is_rendered_from_the_core_command_table(core: Any) -> None:
    expected = render_manifest(core.commands)
    assert MANIFEST.read_text() == expected, (
        "slack-manifest.yml is out of step with the command table: regenerate it with "
        "`python -m adapters.slack > slack-manifest.yml`")


def test_the_manifest_lists_exactly_the_core_commands(core: Any) -> None:
    text = MANIFEST.read_text()
    listed = re.findall(r"^\s+- command: /(\S+)$", text, flags=re.M)
    assert listed == [command.name for command in core.commands]
    # every command, the events and interactivity go to the one endpoint
    assert set(re.findall(r"(?:url|request_url): (\S+)", text)) == {"https://invoicebot.example.com/slack/events"}
    assert "https://invoicebot.example.com/slack/oauth_redirect" in text


def test_the_manifest_asks_for_the_scopes_and_events_the_channel_relies_on() -> None:
    text = MANIFEST.read_text()
    scopes = re.search(r"^    bot:\n((?:      - .+\n)+)", text, flags=re.M)
    events = re.search(r"^    bot_events:\n((?:      - .+\n)+)", text, flags=re.M)
    assert scopes and events
    assert re.findall(r"- (\S+)", scopes.group(1)) == list(BOT_SCOPES)
    assert re.findall(r"- (\S+)", events.group(1)) == list(BOT_EVENTS)
    # what the code calls needs these: users.info, files_upload_v2, conversations.open, DMs, slash commands
    assert {"users:read", "files:write", "im:write", "im:history", "commands", "chat:write",
            "app_mentions:read"} <= set(BOT_SCOPES)
    assert "is_enabled: true" in text  # interactivity, for the Undo button and the profile form
