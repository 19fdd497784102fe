from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.slack.channel import SlackChannel
from core.messages import Incoming, Reply
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SlackSender
from tests.telegram.inbox_db import inbox_of, scratch_inbox

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"


class ScriptedCore:
    """A stand-in for the core, for the adapter's mechanics: answers by a script, refuses repeated message ids
    as the real core does, and records what it was handed."""

    commands: tuple[Any, ...] = ()

    def __init__(self) -> None:
        self.incomings: list[Incoming] = []
        self.script: Callable[[Incoming], Reply | None] = lambda incoming: Reply(f"echo: {incoming.text}")
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def handle(self, incoming: Incoming, *, keep_reply: bool = False) -> Reply | None:
        with self._lock:
            if incoming.message_id is not None:
                if incoming.message_id in self._seen:
                    return None
                self._seen.add(incoming.message_id)
            self.incomings.append(incoming)
        return self.script(incoming)


@dataclass
class SlackHarness:
    fake: FakeSlack
    channel: SlackChannel
    slack: SlackSender
    core: Any

    async def settle(self, user: str = "U1", team: str = "T1") -> None:
        """The explicit signal that what was sent before has been dealt with: one more DM from ``user``, answered.

        Events are handled in the order they arrive and one user's turns one after another, and an event that
        is dropped (a retry, another bot, channel chatter) is dropped before its handler first waits: so when this
        DM's answer is posted, every earlier event is handled or dropped. The answer is one more chat.postMessage
        to ``D{user}``, which the caller counts."""
        posts = len(self.posts_to("D" + user))
        await self.slack.dm("/help", user=user, team=team)
        await self.fake.wait_for(lambda: len(self.posts_to("D" + user)) > posts)

    def posts_to(self, channel: str) -> list[Any]:
        return [c for c in self.fake.calls_to("chat.postMessage") if c.params.get("channel") == channel]


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
def scripted_core() -> ScriptedCore:
    return ScriptedCore()


async def serve_channel(channel: SlackChannel) -> TestServer:
    """Mount the channel's routes the way the project's one HTTP server does."""
    app = web.Application()
    for method, path, handler in channel.routes():
        app.router.add_route(method, path, handler)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


@pytest.fixture
async def harness_for(fake_slack: FakeSlack) -> AsyncIterator[Callable[[Any], Any]]:
    """``await harness_for(core)``: a SlackChannel over ``core`` talking to the fake, served over HTTP."""
    opened: list[tuple[SlackChannel, TestServer, aiohttp.ClientSession]] = []
    inboxes = contextlib.ExitStack()

    async def build(core: Any) -> SlackHarness:
        inbox = inbox_of(core) if hasattr(core, "sessions") else inboxes.enter_context(scratch_inbox())
        channel = SlackChannel(core, signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN, api_url=fake_slack.base_url,
                               inbox=inbox)
        await channel.start()
        server = await serve_channel(channel)
        session = aiohttp.ClientSession()
        opened.append((channel, server, session))
        url = f"http://127.0.0.1:{server.port}/slack/events"
        return SlackHarness(fake_slack, channel, SlackSender(session, url, SIGNING_SECRET, fake_slack), core)

    yield build
    for channel, server, session in opened:
        await channel.stop()
        await session.close()
        await server.close()
    inboxes.close()


@pytest.fixture
async def harness(harness_for: Callable[[Any], Any], scripted_core: ScriptedCore) -> SlackHarness:
    return await harness_for(scripted_core)
