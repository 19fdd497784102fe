"""One real `invoicebot run` with every channel at once — the Telegram webhook (against the fake Bot API), Slack over
HTTP (against the fake Slack) and the REST API — and the ways a user talks to it: for the end-to-end test of issue
16's "Done when" and for bench/demo_one_set_of_books.py, which prints the same steps as a transcript.

    async with OneSetOfBooks(tmp_path, database_url) as books:
        await books.telegram("/link")             # the bot's answer in the Telegram private chat
        await books.slack("/link", "ABCD-123456") # the answer posted to the slash command's response_url
        async with books.events(token) as stream: # GET /api/v1/events, open like `curl -N`
            ...
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SlackSender
from tests.telegram.fake_bot_api import ApiCall, FakeBotApi
from tests.telegram.test_invoicebot_run import KEY, ROOT, free_port, stop_bot

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
WEBHOOK_SECRET = "one-set-of-books"
TELEGRAM_USER = 4242
SLACK_USER = "U4242"
LINK_CODE = re.compile(r"/link ([A-Z0-9]{4}-[A-Z0-9]{6})")
TOKEN = re.compile(r"\bib_[A-Za-z0-9_-]{32,}")
ANSWER_TIMEOUT = 30.0
"""How long a chat answer may take on a loaded machine before the harness gives up (not a contract)."""


@dataclass
class Event:
    """One Server-Sent Event as it arrived: ``at`` is time.monotonic() when its blank line was read."""
    id: str
    name: str
    data: dict[str, Any]
    at: float
    raw: str


@dataclass
class Stream:
    """An open ``GET /api/v1/events``: a reader task collects events as they arrive, so an arrival time is the
    moment the bytes came, not the moment a test got round to looking."""
    response: aiohttp.ClientResponse
    events: list[Event] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self) -> None:
        fields: dict[str, str] = {}
        lines: list[str] = []
        while raw := await self.response.content.readline():
            line = raw.decode().rstrip("\n")
            if line:
                lines.append(line)
                name, _, value = line.partition(": ")
                if not line.startswith(":"):
                    fields[name] = fields.get(name, "") + value if name == "data" else value
                continue
            if "event" in fields:
                self.events.append(Event(fields.get("id", ""), fields["event"], json.loads(fields.get("data", "{}")),
                                         time.monotonic(), "\n".join(lines)))
                self.arrived.set()
            fields, lines = {}, []

    async def first(self, name: str, timeout: float) -> Event:
        """The first event called ``name``, waiting at most ``timeout`` seconds for it to arrive."""
        async with asyncio.timeout(timeout):
            while True:
                found = [event for event in self.events if event.name == name]
                if found:
                    return found[0]
                self.arrived.clear()
                await self.arrived.wait()


class OneSetOfBooks:
    """The doubles, the run process and an HTTP session; ``base`` is the server, ``api`` its /api/v1."""

    def __init__(self, folder: Path, database_url: str | None = None, *, migrate: bool = False) -> None:
        """``migrate``: bring ``database_url`` to the newest schema first (the test fixtures hand it migrated)."""
        self.folder = folder
        self.database_url = database_url
        self.migrate = migrate
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.api = self.base + "/api/v1"
        self.telegram_api = FakeBotApi()
        self.fake_slack = FakeSlack()
        self.acknowledged_at = 0.0
        """time.monotonic() when the last Telegram webhook delivery was answered 200."""
        self._child: asyncio.subprocess.Process | None = None
        self._http: aiohttp.ClientSession | None = None
        self._slack: SlackSender | None = None
        self.log = ""
        """The run's stderr, once it has stopped."""
        self.exit_code: int | None = None

    async def __aenter__(self) -> OneSetOfBooks:
        await self.telegram_api.start()
        await self.fake_slack.start()
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        self._slack = SlackSender(self._http, self.base + "/slack/events", SIGNING_SECRET, self.fake_slack)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "SLACK_"))}
        env.update({"PYTHONPATH": str(ROOT), "INVOICEBOT_DATA_DIR": str(self.folder / "data"),
                    "INVOICEBOT_SECRET_KEYS": KEY, "INVOICEBOT_DEFAULT_TZ": "Europe/Berlin", "PORT": str(self.port),
                    "TELEGRAM_BOT_TOKEN": self.telegram_api.token, "TELEGRAM_API_BASE_URL": self.telegram_api.base_url,
                    "TELEGRAM_WEBHOOK_URL": self.base + "/telegram/hook", "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
                    "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": self.fake_slack.base_url, "INVOICEBOT_API": "on"})
        if self.database_url is not None:
            env["DATABASE_URL"] = self.database_url
        if self.migrate:
            migrated = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "migrate", cwd=self.folder,
                                                            env=env, stdout=asyncio.subprocess.DEVNULL)
            assert await migrated.wait() == 0, "invoicebot migrate failed"
        self._child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=self.folder, env=env, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        try:
            await self._ready()
        except BaseException:
            await self.__aexit__()
            raise
        return self

    async def _ready(self) -> None:
        """Serving, with the webhook registered at the fake Bot API (so deliveries have somewhere to go)."""
        assert self._http is not None and self._child is not None
        deadline = time.monotonic() + 60
        while True:
            if self._child.returncode is not None:
                assert self._child.stderr is not None
                log = (await self._child.stderr.read()).decode(errors="replace")
                raise AssertionError(f"invoicebot run exited at start ({self._child.returncode}):\n{log[-3000:]}")
            try:
                async with self._http.get(self.base + "/readyz") as response:
                    if response.status == 200 and self.telegram_api.webhook.get("url"):
                        return
            except aiohttp.ClientError:
                pass
            assert time.monotonic() < deadline, "invoicebot run never became ready"
            await asyncio.sleep(0.1)

    async def __aexit__(self, *exc: object) -> None:
        if self._child is not None and self._child.returncode is None:
            self.exit_code, self.log = await stop_bot(self._child)
            self._child = None
        if self._http is not None:
            await self._http.close()
        await self.fake_slack.close()
        await self.telegram_api.stop()

    @property
    def http(self) -> aiohttp.ClientSession:
        assert self._http is not None
        return self._http

    async def telegram(self, text: str) -> str:
        """The user types ``text`` in the Telegram private chat; the bot's answer (its first message after)."""
        before = len(self.telegram_api.sent_texts(TELEGRAM_USER))
        await self.deliver(text)
        await self.telegram_api.wait_for("sendMessage", before + 1, chat_id=TELEGRAM_USER, timeout=ANSWER_TIMEOUT)
        return self.telegram_api.sent_texts(TELEGRAM_USER)[before]

    async def deliver(self, text: str) -> None:
        """Telegram delivers ``text`` to the webhook; returns once the bot acknowledged it (200)."""
        update = self.telegram_api.message_update(TELEGRAM_USER, text)
        status = await self.telegram_api.deliver_to_webhook(update)
        self.acknowledged_at = time.monotonic()
        assert status == 200, f"the webhook answered {status}"

    async def telegram_photo(self, text: str) -> ApiCall:
        """The user types ``text`` in Telegram; the photo the bot sends back (a report's chart)."""
        before = len(self.telegram_api.calls("sendPhoto"))
        await self.deliver(text)
        photos = await self.telegram_api.wait_for("sendPhoto", before + 1, timeout=ANSWER_TIMEOUT)
        return photos[before]

    async def slack(self, command: str, text: str = "") -> str:
        """A slash command from the Slack user; the answer the bot posts to its response_url."""
        assert self._slack is not None
        before = len(self.fake_slack.responses)
        response = await self._slack.command(command, text, user=SLACK_USER)
        assert response.status == 200, f"Slack's {command} was answered {response.status}"
        answer = await self.fake_slack.wait_for(
            lambda: len(self.fake_slack.responses) > before and self.fake_slack.responses[before], ANSWER_TIMEOUT)
        return str(answer.get("text", ""))

    @asynccontextmanager
    async def events(self, token: str) -> AsyncIterator[Stream]:
        """``GET /api/v1/events`` held open; yields once the server answered 200, so the stream's start is fixed."""
        async with self.http.get(self.api + "/events", headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, f"the event stream answered {response.status}"
            stream = Stream(response)
            reader = asyncio.create_task(stream.read())
            try:
                yield stream
            finally:
                reader.cancel()
                await asyncio.gather(reader, return_exceptions=True)


async def link_and_make_token(books: OneSetOfBooks) -> tuple[list[tuple[str, str]], str]:
    """The user's setting up: a client, the Slack identity linked to the Telegram one, an API token. Returns what was
    said as (who, text) lines and the token."""
    said: list[tuple[str, str]] = []

    async def on_telegram(text: str) -> str:
        answer = await books.telegram(text)
        said.extend([("telegram >", text), ("telegram <", answer)])
        return answer

    async def on_slack(command: str, text: str = "") -> str:
        answer = await books.slack(command, text)
        said.extend([("slack >", f"{command} {text}".strip()), ("slack <", answer)])
        return answer

    await on_telegram("/client add ACME rate 80")
    code = LINK_CODE.search(await on_telegram("/link"))
    assert code is not None, said[-1]
    joined = await on_slack("/link", code.group(1))
    assert joined.startswith("Linked"), joined  # a fresh Slack identity has no books: no move-in question
    tokens = TOKEN.findall(await on_telegram("/token new curl"))
    assert len(tokens) == 1, said[-1]
    return said, tokens[0]
