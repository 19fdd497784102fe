"""`invoicebot reminders run-once` end to end through the real channel notifiers: a subprocess with
TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL pointing at the fake Bot API on 127.0.0.1 (the fake receives the
sendMessage), and with SLACK_BOT_TOKEN and SLACK_API_URL at the fake Slack Web API (a DM)."""
import asyncio
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from core.models import Reminder
from tests.conftest import TEST_KEY, Conversation
from tests.telegram.fake_bot_api import FakeBotApi
from tests.test_cli import ROOT, invoicebot


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    fake = FakeBotApi().start_in_thread()
    yield fake
    fake.stop_in_thread()


def run_once(api: FakeBotApi, tmp: Path, database_url: str, now: str):  # type: ignore[no-untyped-def]
    env = {"DATABASE_URL": database_url, "INVOICEBOT_SECRET_KEYS": TEST_KEY, "TELEGRAM_BOT_TOKEN": api.token,
           "TELEGRAM_API_BASE_URL": api.base_url}
    result = invoicebot("reminders", "run-once", "--now", now, "--force", tmp=tmp, env=env)
    assert result.returncode == 0, result.stderr
    return result


def test_run_once_sends_the_nudge_with_its_button_through_telegram(api, core, clock, sessions, tmp_path,
                                                                   database_url) -> None:
    telegram = Conversation(core, user="901", platform="telegram")
    telegram.text("/client add ACME rate 80")
    telegram.text("2h logo design for ACME yesterday")
    telegram.text("/remind daily 18:00")

    first = run_once(api, tmp_path, database_url, "2026-11-24T18:00:00+01:00")
    assert "1 sent" in first.stderr
    [text] = api.sent_texts(901)
    assert text.startswith("Nothing logged today (24 Nov 2026).")
    [call] = api.calls("sendMessage")
    [[button]] = call.params["reply_markup"]["inline_keyboard"]
    assert (button["text"], button["callback_data"]) == ("Same as yesterday", "/again 2026-11-23 2026-11-24")

    run_once(api, tmp_path, database_url, "2026-11-24T18:00:00+01:00")  # a second cron run at the same minute
    assert len(api.sent_texts(901)) == 1


def test_a_telegram_403_pauses_the_users_reminders(api, core, sessions, tmp_path, database_url) -> None:
    Conversation(core, user="902", platform="telegram").text("/remind daily 18:00")
    api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    result = run_once(api, tmp_path, database_url, "2026-11-24T18:00:00+01:00")
    assert "1 paused" in result.stderr
    with sessions() as session:
        reminder = session.scalar(select(Reminder))
    assert reminder.paused and "blocked by the user" in reminder.pause_reason
    run_once(api, tmp_path, database_url, "2026-11-25T18:00:00+01:00")
    assert len(api.calls("sendMessage")) == 1  # the refused attempt only: no retry into the block


async def test_run_once_sends_a_slack_reminder_as_a_dm(core, tmp_path, database_url) -> None:
    """The same command with SLACK_BOT_TOKEN and SLACK_API_URL at the fake Slack Web API: a DM to the user."""
    from tests.slack.fake_slack import FakeSlack

    slack = FakeSlack()
    await slack.start()
    try:
        Conversation(core, user="T1:U3", platform="slack").text("/remind weekly tue 18:00")
        env = {"DATABASE_URL": database_url, "INVOICEBOT_SECRET_KEYS": TEST_KEY, "SLACK_BOT_TOKEN": "xoxb-test",
               "SLACK_API_URL": slack.base_url}
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL"))}
        environment.update({"INVOICEBOT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), **env})
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "reminders", "run-once", "--now", "2026-11-24T18:00:00+01:00", "--force",
            env=environment, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, stderr = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0, stderr.decode()
        [posted] = slack.calls_to("chat.postMessage")
        assert posted.params["channel"] == "DU3"
        assert posted.params["text"].startswith("Weekly digest: nothing unbilled")
    finally:
        await slack.close()
