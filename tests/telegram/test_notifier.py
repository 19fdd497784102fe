"""The reminders' outbound side: send a Reply to a chat by id, from a synchronous caller."""
from __future__ import annotations

import asyncio

import pytest

from adapters.telegram.channel import TelegramChannel
from adapters.telegram.notifier import build_notifier, file_url_for
from core.messages import Action, Reply
from core.notify import DeliveryError, RecipientBlocked
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.scripted_core import ScriptedCore


@pytest.fixture
def threaded_api():
    api = FakeBotApi().start_in_thread()
    yield api
    api.stop_in_thread()


def test_standalone_notifier_sends_and_maps_errors(threaded_api):
    api = threaded_api
    with build_notifier(api.token, base_url=api.base_url) as notifier:
        notifier.send("901", Reply("Time to log today's work.", actions=(Action("Log 1h", "/log 1h"),)))
        api.fail_next("sendMessage", 403)
        with pytest.raises(RecipientBlocked):
            notifier.send("902", Reply("hello"))
        api.fail_next("sendMessage", 400, description="Bad Request: chat not found")
        with pytest.raises(RecipientBlocked):
            notifier.send("903", Reply("hello"))
        api.fail_next("sendMessage", 500, description="Internal Server Error")
        with pytest.raises(DeliveryError) as raised:
            notifier.send("904", Reply("hello"))
        assert not isinstance(raised.value, RecipientBlocked)
        api.fail_next("sendMessage", disconnect=True)
        with pytest.raises(DeliveryError):
            notifier.send("905", Reply("hello"))
        api.fail_next("sendMessage", 429, retry_after=1)
        notifier.send("906", Reply("after a 429"))
    assert api.sent_texts(901) == ["Time to log today's work."]
    assert api.calls("sendMessage")[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/log 1h"
    assert api.sent_texts(906) == ["after a 429", "after a 429"]
    assert len(api.calls("getMe")) == 1


def test_sensitive_reminder_is_not_posted_to_a_group(threaded_api):
    with build_notifier(threaded_api.token, base_url=threaded_api.base_url) as notifier:
        notifier.send("-907", Reply("Your IBAN: DE89 3704", sensitive=True))
    [text] = threaded_api.sent_texts(-907)
    assert "DE89" not in text


async def test_running_channel_notifier_works_from_another_thread(fake_api, inbox):
    channel = TelegramChannel(ScriptedCore(), token=fake_api.token, inbox=inbox, base_url=fake_api.base_url, poll_timeout=1)
    with pytest.raises(DeliveryError):
        await asyncio.to_thread(channel.notifier.send, "910", Reply("too early"))
    await channel.start()
    try:
        await asyncio.to_thread(channel.notifier.send, "910", Reply("You logged 3h today."))
        fake_api.fail_next("sendMessage", 403)
        with pytest.raises(RecipientBlocked):
            await asyncio.to_thread(channel.notifier.send, "911", Reply("hello"))
        with pytest.raises(RuntimeError):
            channel.notifier.send("910", Reply("from the loop itself would deadlock"))
    finally:
        await channel.stop()
    assert fake_api.sent_texts(910) == ["You logged 3h today."]


def test_file_url_sits_next_to_the_api_url():
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
