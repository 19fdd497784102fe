"""A fake Slack Web API on 127.0.0.1, enough for slack-sdk and slack-bolt to talk to.

It records every call (method, parameters) so tests assert on what the adapter sent, serves the upload URL of
files_upload_v2 and the response_url of slash commands and buttons, and can be told to fail or rate-limit a method.
"""
from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """The Web API at ``base_url`` (``http://127.0.0.1:PORT/api/``), uploads at /upload/ID, response URLs at /respond/ID."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []
        """What was posted to response URLs (slash commands and buttons), with ``_url`` added."""
        self.uploads: dict[str, bytes] = {}
        self.shared_files: dict[str, bytes] = {}
        """File id -> the bytes of a file a user shared, served at /files/ID to the bot token only."""
        self.downloads: list[tuple[str, str]] = []
        """(file id, Authorization header) of each download of a shared file."""
        self.timezones: dict[str, str] = {}
        """User id -> IANA zone that users.info reports (default Europe/Berlin)."""
        self.locales: dict[str, str] = {}
        """User id -> the locale users.info reports (default en-US)."""
        self.unreachable_channels: set[str] = set()
        """Channels where posting a file fails with not_in_channel."""
        self.blocked_users: set[str] = set()
        """Users for whom conversations.open fails (a deactivated account)."""
        self.expired_response_urls = False
        """Response URLs answer 404 expired_url, as Slack does 30 minutes after the request."""
        self.socket_acks: dict[str, dict[str, Any]] = {}
        """Socket Mode: envelope id -> what the app acknowledged it with."""
        self._sockets: list[web.WebSocketResponse] = []
        self._failures: dict[str, list[str]] = {}
        self._rate_limits: dict[str, int] = {}
        self._ids = itertools.count(1)
        self._server: TestServer | None = None
        self.bot_user_id = "UBOT"
        self.team_id = "T1"
        self.installations: dict[str, str] = {}
        """OAuth code -> team id: oauth.v2.access installs the app there, with the bot token ``xoxb-TEAM``."""

    # ---- lifecycle
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{file_id}", self._download)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._server is not None:
            await self._server.close()

    @property
    def root(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/api/"

    def response_url(self, key: str = "") -> str:
        return f"{self.root}/respond/{key or next(self._ids)}"

    # ---- steering
    def fail_next(self, method: str, error: str) -> None:
        """The next call of ``method`` answers ``{"ok": false, "error": error}``."""
        self._failures.setdefault(method, []).append(error)

    def rate_limit_next(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer HTTP 429 with Retry-After: 0."""
        self._rate_limits[method] = self._rate_limits.get(method, 0) + times

    # ---- queries
    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Poll until ``predicate()`` is truthy (the adapter answers after the ack, in the background)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting; calls so far: {[c.method for c in self.calls]}, "
                                     f"responses: {self.responses}")
            await asyncio.sleep(0.01)

    async def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        """Socket Mode: deliver one envelope (``slash_commands``, ``events_api``, ``interactive``) to the app."""
        await self.wait_for(lambda: self._sockets)
        envelope_id = f"env-{next(self._ids)}"
        await self._sockets[-1].send_json({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                           "accepts_response_payload": kind != "events_api"})
        return envelope_id

    # ---- handlers
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        async for message in socket:
            if message.type.name == "TEXT":
                data = json.loads(message.data)
                if "envelope_id" in data:
                    self.socket_acks[data["envelope_id"]] = data.get("payload") or {}
        return socket

    async def _respond(self, request: web.Request) -> web.Response:
        if self.expired_response_urls:
            return web.Response(status=404, text="expired_url")
        body = await request.json()
        body["_url"] = str(request.url)
        self.responses.append(body)
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text=f"OK - {len(self.uploads[request.match_info['file_id']])}")

    def share_file(self, content: bytes, name: str, *, size: int | None = None) -> dict[str, Any]:
        """A file a user shares: the file object a file_share message event carries."""
        file_id = f"F{next(self._ids)}"
        self.shared_files[file_id] = content
        return {"id": file_id, "name": name, "title": name, "mimetype": "application/octet-stream",
                "size": len(content) if size is None else size,
                "url_private_download": f"{self.root}/files/{file_id}"}

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        authorization = request.headers.get("Authorization", "")
        self.downloads.append((file_id, authorization))
        if not authorization.startswith("Bearer xoxb-") or file_id not in self.shared_files:
            return web.Response(status=404)
        return web.Response(body=self.shared_files[file_id], content_type="application/octet-stream")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        self.calls.append(Call(method, params, dict(request.headers)))
        if self._rate_limits.get(method):
            self._rate_limits[method] -= 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"})
        if self._failures.get(method):
            return web.json_response({"ok": False, "error": self._failures[method].pop(0)})
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        if method == "auth.test":
            return web.json_response(answer(params, request.headers.get("Authorization", "")))
        return web.json_response(answer(params))

    def _auth_test(self, params: dict[str, Any], authorization: str) -> dict[str, Any]:
        token = params.get("token") or authorization.removeprefix("Bearer ")
        team = token.removeprefix("xoxb-") if token.removeprefix("xoxb-") in self.installations.values() else None
        return {"ok": True, "url": "https://example.slack.invalid/", "team": "Team", "user": "invoicebot",
                "team_id": team or self.team_id, "user_id": self.bot_user_id, "bot_id": "BBOT"}

    def _oauth_v2_access(self, params: dict[str, Any]) -> dict[str, Any]:
        team = self.installations.get(params.get("code", ""))
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        return {"ok": True, "app_id": "A1", "authed_user": {"id": "UADMIN"}, "scope": "commands,chat:write",
                "token_type": "bot", "access_token": f"xoxb-{team}", "bot_user_id": self.bot_user_id,
                "team": {"id": team, "name": f"Team {team}"}, "enterprise": None, "is_enterprise_install": False}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = params["user"]
        return {"ok": True, "user": {"id": user, "team_id": self.team_id, "name": user.lower(),
                                     "real_name": f"Real {user}", "tz": self.timezones.get(user, "Europe/Berlin"),
                                     "locale": self.locales.get(user, "en-US"), "is_bot": False}}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        user = params["users"]
        if user in self.blocked_users:
            return {"ok": False, "error": "user_disabled"}
        return {"ok": True, "channel": {"id": "D" + user}}

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": params["channel"], "ts": f"{next(self._ids)}.000100"}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": f"{next(self._ids)}.000200"}

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids)}"
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.root}/upload/{file_id}"}

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel_id") in self.unreachable_channels:
            return {"ok": False, "error": "not_in_channel"}
        files = params["files"] if isinstance(params["files"], list) else json.loads(params["files"])
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params["view"] if isinstance(params["view"], dict) else json.loads(params["view"])
        return {"ok": True, "view": {**view, "id": f"V{next(self._ids)}"}}

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"{self.root.replace('http', 'ws')}/socket"}


async def _read_params(request: web.Request) -> dict[str, Any]:
    raw = await request.text()
    if request.content_type == "application/json":
        return json.loads(raw) if raw else {}
    params: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    params.update(request.query)
    return params
