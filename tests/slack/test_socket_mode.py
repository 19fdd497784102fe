"""Socket Mode (SLACK_APP_TOKEN): no HTTP route, the same handling over Slack's WebSocket."""
from __future__ import annotations

from adapters.slack.channel import SlackChannel
from tests.slack.conftest import BOT_TOKEN, ScriptedCore
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import command_payload


async def test_a_slash_command_over_socket_mode_is_acked_and_answered(fake_slack: FakeSlack) -> None:
    core = ScriptedCore()
    channel = SlackChannel(core, signing_secret=None, bot_token=BOT_TOKEN, app_token="xapp-1-test",
                           api_url=fake_slack.base_url)
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

        event = {"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                 "event_id": "EvSocket", "event_time": 1,
                 "event": {"type": "message", "channel_type": "im", "channel": "DU2", "user": "U2",
                           "text": "2h bugfix Globex", "ts": "1.1"}}
        acked = await fake_slack.send_envelope("events_api", event)
        [post] = await fake_slack.wait_for(lambda: fake_slack.calls_to("chat.postMessage"))
        assert acked in fake_slack.socket_acks
        assert post.params["channel"] == "DU2"
    finally:
        await channel.stop()
