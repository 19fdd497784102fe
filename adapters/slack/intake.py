"""Which signed Slack requests go through the inbox (core/inbox.py), under which key, and how they come back out.

Slack wants its 200 within 3 s; a request that is stored gets an empty 200 (for a slash command: nothing shown,
the answer follows through its response_url once handled, as it always did), and Bolt dispatches the stored body
later, from the inbox. The key is the core's message id for it (``slack:<event_id>``, ``slack:command:<trigger>``,
``slack:action:<trigger>``), so a retried event (X-Slack-Retry-Num, same event_id) is stored once.

Answered at once instead, as before: Slack's URL check and ssl_check, and the button that opens the profile form
(``views.open`` needs its trigger within 3 s; it only opens a form, so nothing is lost if that fails).

Socket Mode envelopes go the same way (:func:`envelope_delivery_of`): stored, then acknowledged over the socket,
under the same keys; the stored payload is dispatched as a Socket Mode request.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import parse_qs

from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.blocks import PROFILE_FORM_ACTION_ID
from core.inbox import Delivery

PLATFORM = "slack"


def delivery_of(text: str, content_type: str) -> Delivery | None:
    """The inbox row for a signed request's body; None for one to dispatch at once (see the module)."""
    stored = {"content_type": content_type, "body": text}
    try:
        if content_type.startswith("application/json"):
            return _event(json.loads(text), stored)
        form = {name: values[0] for name, values in parse_qs(text).items()}
        if "payload" in form:
            return _interaction(json.loads(form["payload"]), text, stored)
        if "command" in form and not form.get("ssl_check"):
            return _command(form, text, stored)
    except (ValueError, TypeError, AttributeError):
        return None  # Bolt gets it at once and answers what it answers to such a body
    return None


def envelope_delivery_of(kind: str, payload: dict[str, Any]) -> Delivery | None:
    """The inbox row for a Socket Mode envelope's payload; None for one to dispatch at once (see the module)."""
    stored = {"mode": "socket_mode", "body": payload}
    try:
        if kind == "events_api":
            return _event(payload, stored)
        text = json.dumps(payload, sort_keys=True)  # digested for a key where the payload has no trigger_id
        if kind == "interactive":
            return _interaction(payload, text, stored)
        if kind == "slash_commands":
            return _command(payload, text, stored)
    except (TypeError, AttributeError):
        return None
    return None


def request_of(payload: bytes) -> AsyncBoltRequest:
    """A stored request, for ``app.async_dispatch``."""
    stored = json.loads(payload)
    if stored.get("mode") == "socket_mode":
        return AsyncBoltRequest(mode="socket_mode", body=stored["body"])
    return AsyncBoltRequest(body=stored["body"], headers={"content-type": stored["content_type"]})


def _command(form: dict[str, Any], text: str, stored: dict[str, Any]) -> Delivery:
    return _row(f"command:{form.get('trigger_id') or _digest(text)}", f"{form.get('team_id')}:{form.get('user_id')}",
                stored)


def _event(body: dict[str, Any], stored: dict[str, Any]) -> Delivery | None:
    if body.get("type") != "event_callback" or not body.get("event_id"):
        return None  # url_verification and the like: answered at once
    event = body.get("event") or {}
    return _row(str(body["event_id"]), f"{body.get('team_id')}:{event.get('user')}", stored)


def _interaction(payload: dict[str, Any], text: str, stored: dict[str, Any]) -> Delivery | None:
    if any(action.get("action_id") == PROFILE_FORM_ACTION_ID for action in payload.get("actions") or []):
        return None
    kind = "view" if payload.get("type") == "view_submission" else "action"
    user = payload.get("user") or {}
    team = user.get("team_id") or (payload.get("team") or {}).get("id")
    return _row(f"{kind}:{payload.get('trigger_id') or _digest(text)}", f"{team}:{user.get('id')}", stored)


def _row(key: str, chat: str, stored: dict[str, Any]) -> Delivery:
    """``stored``: what :func:`request_of` rebuilds the request from."""
    return Delivery(PLATFORM, f"slack:{key}"[:128], chat[:64], json.dumps(stored).encode())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]
