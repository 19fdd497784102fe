"""Requests signed the way Slack signs them (v0 HMAC-SHA256 of ``v0:timestamp:body``), posted to the app."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

_ids = itertools.count(1)


def sign(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send with ``body``; ``timestamp`` defaults to now."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def command_payload(fake: Any, command: str, text: str = "", *, user: str = "U1", team: str = "T1",
                    channel: str = "C1", response_key: str | None = None) -> dict[str, str]:
    """The fields of a slash command as Slack sends them (form-encoded over HTTP, JSON in Socket Mode)."""
    n = next(_ids)
    return {
        "token": "legacy", "team_id": team, "team_domain": "team", "channel_id": channel,
        "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": command,
        "text": text, "api_app_id": "A1", "is_enterprise_install": "false",
        "response_url": fake.response_url(response_key or f"cmd{n}"), "trigger_id": f"trigger.{n}",
    }


class SlackSender:
    """Plays Slack's side of the HTTP mode: slash commands, events and button presses to /slack/events."""

    def __init__(self, session: aiohttp.ClientSession, url: str, secret: str, fake: Any) -> None:
        self.session = session
        self.url = url
        self.secret = secret
        self.fake = fake

    async def post(self, body: str, content_type: str, *, headers: dict[str, str] | None = None,
                   timestamp: int | None = None, secret: str | None = None) -> aiohttp.ClientResponse:
        all_headers = {"Content-Type": content_type, **sign(body, secret or self.secret, timestamp)}
        all_headers.update(headers or {})
        async with self.session.post(self.url, data=body.encode(), headers=all_headers) as response:
            await response.read()
            return response

    def command_body(self, command: str, text: str = "", **kwargs: Any) -> str:
        return urlencode(command_payload(self.fake, command, text, **kwargs))

    async def command(self, command: str, text: str = "", **kwargs: Any) -> aiohttp.ClientResponse:
        timestamp = kwargs.pop("timestamp", None)
        secret = kwargs.pop("secret", None)
        return await self.post(self.command_body(command, text, **kwargs), "application/x-www-form-urlencoded",
                               timestamp=timestamp, secret=secret)

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, team: str = "T1",
                    retry_num: int | None = None) -> aiohttp.ClientResponse:
        body = json.dumps({
            "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids)}", "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": team, "user_id": self.fake.bot_user_id, "is_bot": True}],
        })
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(body, "application/json", headers=headers)

    async def dm(self, text: str, *, user: str = "U1", team: str = "T1", **kwargs: Any) -> aiohttp.ClientResponse:
        event = {"type": "message", "channel_type": "im", "channel": "D" + user, "user": user, "text": text,
                 "ts": f"{next(_ids)}.0001", "team": team}
        return await self.event(event, team=team, **kwargs)

    async def dm_file(self, text: str, file: dict[str, Any], *, user: str = "U1", team: str = "T1",
                      **kwargs: Any) -> aiohttp.ClientResponse:
        """A file shared in the bot's DM with ``text`` as its message (a ``file_share`` message event)."""
        event = {"type": "message", "subtype": "file_share", "channel_type": "im", "channel": "D" + user,
                 "user": user, "text": text, "files": [file], "ts": f"{next(_ids)}.0001", "team": team}
        return await self.event(event, team=team, **kwargs)

    async def mention(self, text: str, *, user: str = "U1", channel: str = "C1") -> aiohttp.ClientResponse:
        event = {"type": "app_mention", "channel": channel, "user": user,
                 "text": f"<@{self.fake.bot_user_id}> {text}", "ts": f"{next(_ids)}.0001"}
        return await self.event(event)

    async def interaction(self, payload: dict[str, Any]) -> aiohttp.ClientResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def press(self, action: dict[str, Any], *, user: str = "U1", team: str = "T1", channel: str = "C1",
                    ephemeral: bool = True) -> aiohttp.ClientResponse:
        """Press a button the adapter sent (``action`` is the element from its blocks)."""
        n = next(_ids)
        return await self.interaction({
            "type": "block_actions", "team": {"id": team, "domain": "team"},
            "user": {"id": user, "username": user.lower(), "team_id": team}, "api_app_id": "A1",
            "token": "legacy", "trigger_id": f"trigger.{n}", "response_url": self.fake.response_url(f"act{n}"),
            "container": {"type": "message", "message_ts": "1.1", "channel_id": channel, "is_ephemeral": ephemeral},
            "channel": {"id": channel, "name": "general"},
            "actions": [{"type": "button", "action_id": action["action_id"], "block_id": "b",
                         "value": action.get("value", ""), "text": action["text"], "action_ts": "1.2"}],
        })
