"""Webhook mode: updates arrive through the project's aiohttp server, guarded by the secret token."""
from __future__ import annotations

import pytest
from aiohttp import ClientSession

from adapters.telegram.channel import TelegramChannel
from adapters.telegram.webhook import derive_secret, webhook_path
from tests.telegram.scripted_core import ScriptedCore
from tests.telegram.webhook_server import served


async def test_webhook_registers_with_a_secret_and_accepts_only_that_secret(fake_api, inbox):
    core = ScriptedCore()

    def make(url):
        return TelegramChannel(core, token=fake_api.token, inbox=inbox, base_url=fake_api.base_url,
                               webhook_url=url, webhook_secret="s3cret-Token_1")

    async with served(make) as (channel, port):
        [registration] = fake_api.calls("setWebhook")
        assert registration.params["url"] == f"http://127.0.0.1:{port}/hooks/telegram"
        assert registration.params["secret_token"] == "s3cret-Token_1"
        assert set(registration.params["allowed_updates"]) == {"message", "callback_query"}

        assert await fake_api.deliver_to_webhook(fake_api.message_update(801, "/start")) == 200
        assert await fake_api.deliver_to_webhook(fake_api.message_update(802, "/start"), secret="wrong") == 403
        assert await fake_api.deliver_to_webhook(fake_api.message_update(803, "/start"), secret=None) == 403
        await fake_api.wait_for("sendMessage", 1)

        async with ClientSession() as session:
            url = f"http://127.0.0.1:{port}/hooks/telegram"
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
            for body in (b"not json", b"[]", b'{"update_id": "x"}', b'{"update_id": 5, "message": "zz"}'):
                async with session.post(url, data=body, headers=headers) as response:
                    assert response.status == 400, body
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200

    assert [i.chat_id for i in core.received] == ["801"]
    assert fake_api.sent_texts(801) and not fake_api.sent_texts(802) and not fake_api.sent_texts(803)
    assert not fake_api.calls("getUpdates"), "webhook mode must not poll"


async def test_webhook_retry_of_the_same_update_is_handled_once(fake_api, inbox):
    core = ScriptedCore(dedup=False)

    def make(url):
        return TelegramChannel(core, token=fake_api.token, inbox=inbox, base_url=fake_api.base_url, webhook_url=url)

    async with served(make):
        update = fake_api.message_update(804, "2h review for ACME")
        assert await fake_api.deliver_to_webhook(update) == 200
        assert await fake_api.deliver_to_webhook(update) == 200
        await fake_api.wait_for("sendMessage", 1)
    # a 200 means the update is stored; leaving served() stops the channel after it is handled
    assert len(core.received) == 1 and len(fake_api.sent_texts(804)) == 1


def test_a_secret_telegram_would_refuse_is_refused_at_once(inbox):
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramChannel(ScriptedCore(), token="1:a", inbox=inbox, webhook_url="https://x.example/hook", webhook_secret="has spaces!")


def test_secret_and_path_defaults():
    secret = derive_secret("123:abc")
    assert secret == derive_secret("123:abc") != derive_secret("123:abd")
    assert set(secret) <= set("0123456789abcdef") and 1 <= len(secret) <= 256
    assert webhook_path("https://bot.example.com/tg/hook/") == "/tg/hook"
    assert webhook_path("https://bot.example.com") == "/telegram/webhook"
