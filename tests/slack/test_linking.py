"""Linking between the real channels: the Telegram channel against the fake Bot API, the Slack channel against the
fake Slack, and the terminal channel, all over one core: log on the phone, see it at the desk and in the terminal."""
from __future__ import annotations

import io
import re
from typing import Any

from adapters.telegram.channel import TelegramChannel
from bot.local import LocalChannel
from tests.slack.conftest import SlackHarness
from tests.telegram.conftest import fake_api  # noqa: F401  (the fake Bot API fixture)
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.inbox_db import inbox_of

CODE = re.compile(r"/link ([A-Z0-9]{4}-[A-Z0-9]{6})")


async def telegram_says(api: FakeBotApi, chat_id: int, text: str) -> str:
    before = len(api.sent_texts(chat_id))
    api.send_text(chat_id, text)
    await api.wait_for("sendMessage", before + 1, chat_id=chat_id)
    return api.sent_texts(chat_id)[before]


async def slack_says(slack: SlackHarness, command: str, text: str = "") -> str:
    before = len(slack.fake.responses)
    response = await slack.slack.command(command, text)
    assert response.status == 200
    answer = await slack.fake.wait_for(lambda: len(slack.fake.responses) > before and slack.fake.responses[before])
    return str(answer["text"])


def terminal_says(core: Any, text: str, tmp_path: Any) -> str:
    out = io.StringIO()
    LocalChannel(core, "ada", tmp_path, out=out).send(text)
    return out.getvalue()


async def test_telegram_slack_and_the_terminal_share_one_set_of_books(fake_api: FakeBotApi, harness_for: Any,  # noqa: F811
                                                                     core: Any, tmp_path: Any) -> None:
    slack: SlackHarness = await harness_for(core)
    telegram = TelegramChannel(core, token=fake_api.token, inbox=inbox_of(core), base_url=fake_api.base_url,
                               poll_timeout=1)
    await telegram.start()
    try:
        await telegram_says(fake_api, 4001, "/client add ACME rate 80")
        await telegram_says(fake_api, 4001, "2h logo design for ACME yesterday")
        code = CODE.search(await telegram_says(fake_api, 4001, "/link"))
        assert code is not None
        joined = await slack_says(slack, "/link", code.group(1))
        assert joined.startswith("Linked: this chat now uses the same books")
        assert "logo design" in await slack_says(slack, "/tasks")
        await slack_says(slack, "/log", "1h call for ACME")

        terminal_code = CODE.search(await slack_says(slack, "/link"))
        assert terminal_code is not None
        assert "Linked" in terminal_says(core, f"/link {terminal_code.group(1)}", tmp_path)
        listed = terminal_says(core, "/tasks", tmp_path)
        assert "logo design" in listed and "call" in listed
        terminal_says(core, "30m review for ACME", tmp_path)
        on_phone = await telegram_says(fake_api, 4001, "/tasks")
        assert "review" in on_phone and "call" in on_phone
    finally:
        await telegram.stop()
