"""`invoicebot run`'s side: the environment's SLACK_* variables make a working channel on the one HTTP server."""
from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.run import build_channels
from bot.server import HttpServer
from bot.settings import Settings
from bot.wiring import build_runtime
from tests.conftest import TEST_KEY
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SlackSender


def settings_for(tmp_path: Path, fake: FakeSlack, **extra: str) -> Settings:
    env = {"INVOICEBOT_DATA_DIR": str(tmp_path), "INVOICEBOT_SECRET_KEYS": TEST_KEY,
           "SLACK_BOT_TOKEN": "xoxb-from-env", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": fake.base_url, **extra}
    return Settings.from_env(env, read_dotenv=False)


async def test_the_environment_gives_an_http_slack_channel_on_the_shared_server(
        tmp_path: Path, fake_slack: FakeSlack) -> None:
    runtime = build_runtime(settings_for(tmp_path, fake_slack))
    [channel] = build_channels(runtime)
    server = HttpServer(host="127.0.0.1", port=0)
    server.add_routes(channel.routes())
    await server.start()
    await channel.start()
    try:
        async with aiohttp.ClientSession() as session:
            root = f"http://127.0.0.1:{server.bound_port}"
            slack = SlackSender(session, f"{root}/slack/events", SIGNING_SECRET, fake_slack)
            assert (await slack.command("/client", "add ACME rate 80 currency EUR")).status == 200
            await fake_slack.wait_for(lambda: fake_slack.responses)
            assert (await slack.command("/log", "2h logo design for ACME yesterday")).status == 200
            logged = await fake_slack.wait_for(lambda: len(fake_slack.responses) == 2 and fake_slack.responses[1])
            assert "logo design" in logged["text"]
            async with session.get(f"{root}/healthz") as health:
                assert health.status == 200
        # SLACK_API_URL and SLACK_BOT_TOKEN reached the Web API client
        assert {c.headers["Authorization"] for c in fake_slack.calls_to("users.info")} == {"Bearer xoxb-from-env"}
    finally:
        await channel.stop()
        await server.stop()
        runtime.close()


async def test_an_app_token_in_the_environment_means_socket_mode(tmp_path: Path, fake_slack: FakeSlack) -> None:
    runtime = build_runtime(settings_for(tmp_path, fake_slack, SLACK_APP_TOKEN="xapp-from-env"))
    [channel] = build_channels(runtime)
    assert channel.routes() == []
    await channel.start()
    try:
        [opened] = fake_slack.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-from-env"
    finally:
        await channel.stop()
        runtime.close()
