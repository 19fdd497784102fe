"""Socket Mode (SLACK_APP_TOKEN): no HTTP route, the same handling over Slack's WebSocket."""
from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest
from sqlalchemy.exc import OperationalError

from adapters.slack.channel import SlackChannel
from core.inbox import Delivery, Inbox, Stored
from tests.slack.conftest import BOT_TOKEN, ScriptedCore
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import command_payload
from tests.telegram.inbox_db import scratch_inbox


@pytest.fixture
def inbox():  # type: ignore[no-untyped-def]
    with scratch_inbox() as scratch:
        yield scratch


def dm_event(event_id: str, text: str) -> dict:  # type: ignore[type-arg]
    return {"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": event_id,
            "event_time": 1, "event": {"type": "message", "channel_type": "im", "channel": "DU2", "user": "U2",
                                       "text": text, "ts": "1.1"}}


async def test_a_slash_command_over_socket_mode_is_acked_and_answered(fake_slack: FakeSlack, inbox: Inbox) -> None:
    core = ScriptedCore()
    channel = SlackChannel(core, signing_secret=None, bot_token=BOT_TOKEN, app_token="xapp-1-test",
                           api_url=fake_slack.base_url, inbox=inbox)
    assert channel.routes() == []
    await channel.start()
    try:
        [opened] = fake_slack.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-test"
        envelope = await fake_slack.send_envelope("slash_commands",
                                                  command_payload(fake_slack, "/tasks", "ACME", user="U2"))
        await fake_slack.wait_for(lambda: envelope in fake_slack.socket_acks)
        answer = await fake_slack.wait_for(lambda: fake_slack.responses and fake_slack.responses[0])
        assert answer["text"] == "echo: /tasks ACME" and answer["response_type"] == "ephemeral"
        assert core.incomings[0].user_id == "T1:U2"

        acked = await fake_slack.send_envelope("events_api", dm_event("EvSocket", "2h bugfix Globex"))
        [post] = await fake_slack.wait_for(lambda: fake_slack.calls_to("chat.postMessage"))
        assert acked in fake_slack.socket_acks
        assert post.params["channel"] == "DU2"
    finally:
        await channel.stop()


async def test_an_envelope_is_acked_only_once_it_is_stored_and_not_when_it_cannot_be(
        fake_slack: FakeSlack, inbox: Inbox, caplog) -> None:  # type: ignore[no-untyped-def]
    """Socket Mode gives the same guarantee as HTTP: an acknowledged envelope is in the inbox (a kill -9 after the ack
    loses nothing); one the inbox refused is not acked, so Slack sends the event again."""
    core = ScriptedCore()
    store_all = inbox.store_all
    acks_when_stored: list[int] = []
    failures = [OperationalError("INSERT", {}, Exception("database is locked"))]

    def watched(requests: Sequence[Sequence[Delivery]]) -> list[Stored]:
        acks_when_stored.append(len(fake_slack.socket_acks))
        if failures:
            raise failures.pop()
        return store_all(requests)

    inbox.store_all = watched  # type: ignore[method-assign]
    channel = SlackChannel(core, signing_secret=None, bot_token=BOT_TOKEN, app_token="xapp-1-test",
                           api_url=fake_slack.base_url, inbox=inbox)
    await channel.start()
    try:
        with caplog.at_level(logging.ERROR):
            refused = await fake_slack.send_envelope("events_api", dm_event("EvLocked", "2h bugfix Globex"))
            await fake_slack.wait_for(lambda: any("not acknowledged" in r.getMessage() for r in caplog.records))
        assert refused not in fake_slack.socket_acks and core.incomings == []
        again = await fake_slack.send_envelope("events_api", dm_event("EvLocked", "2h bugfix Globex"))  # Slack retries
        await fake_slack.wait_for(lambda: again in fake_slack.socket_acks)
        await fake_slack.wait_for(lambda: fake_slack.calls_to("chat.postMessage"))
    finally:
        await channel.stop()
    assert acks_when_stored == [0, 0]  # each store ran before any ack went out
    assert [i.message_id for i in core.incomings] == ["slack:EvLocked"]
    assert inbox.waiting() == 0
