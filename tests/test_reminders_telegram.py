"""`invoicebot reminders run-once` end to end over Telegram: a subprocess with TELEGRAM_BOT_TOKEN and
TELEGRAM_API_BASE_URL pointing at the fake Bot API on 127.0.0.1; the fake receives the sendMessage."""
from pathlib import Path

import pytest
from sqlalchemy import select

from core.models import Reminder
from tests.conftest import TEST_KEY, Conversation
from tests.test_cli import invoicebot

# Until the Telegram branch (the adapter and its fake Bot API) is merged, this file is skipped, loudly.
FakeBotApi = pytest.importorskip("tests.telegram.fake_bot_api", reason="the Telegram double is not merged yet").FakeBotApi


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    fake = FakeBotApi().start_in_thread()
    yield fake
    fake.stop_in_thread()


def run_once(api, tmp: Path, database_url: str, now: str):  # type: ignore[no-untyped-def]
    env = {"DATABASE_URL": database_url, "INVOICEBOT_SECRET_KEYS": TEST_KEY, "TELEGRAM_BOT_TOKEN": api.token,
           "TELEGRAM_API_BASE_URL": api.base_url}
    result = invoicebot("reminders", "run-once", "--now", now, tmp=tmp, env=env)
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
