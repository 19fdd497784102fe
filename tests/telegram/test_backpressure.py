"""A full inbox slows intake instead of growing: the webhook answers 503 with Retry-After (Telegram delivers again
later), polling fetches only what fits and confirms nothing it has not stored. The core is held shut by a gate, so
the inbox fills; the bound is asserted, not a timing."""
from __future__ import annotations

import threading

from aiohttp import ClientSession

import adapters.inbox
from adapters.telegram.channel import TelegramChannel
from core.messages import Incoming, Reply
from tests.telegram.inbox_db import scratch_inbox, until
from tests.telegram.scripted_core import ScriptedCore
from tests.telegram.webhook_server import served

LIMIT = 4


class GatedCore(ScriptedCore):
    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def handle(self, incoming: Incoming, *, keep_reply: bool = False) -> Reply | None:
        assert self.gate.wait(30), "the test never opened the gate"
        return super().handle(incoming, keep_reply=keep_reply)


async def test_a_full_inbox_answers_the_webhook_503_and_takes_it_once_there_is_room(fake_api, monkeypatch) -> None:
    monkeypatch.setattr(adapters.inbox, "FULL_WAIT_S", 0.3)
    core = GatedCore()
    with scratch_inbox(limit=LIMIT) as inbox:
        def make(url: str) -> TelegramChannel:
            return TelegramChannel(core, token=fake_api.token, inbox=inbox, base_url=fake_api.base_url,
                                   webhook_url=url, webhook_secret="bp-secret")

        async with served(make) as (_channel, port), ClientSession() as http:
            async def post(update: dict) -> tuple[int, str | None]:  # type: ignore[type-arg]
                async with http.post(f"http://127.0.0.1:{port}/hooks/telegram", json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "bp-secret"}) as response:
                    return response.status, response.headers.get("Retry-After")

            first = [fake_api.message_update(900 + n, "/start") for n in range(LIMIT)]
            assert [await post(u) for u in first] == [(200, None)] * LIMIT
            late = fake_api.message_update(950, "/start")
            assert await post(late) == (503, str(adapters.inbox.RETRY_AFTER_S))
            assert await post(first[0]) == (200, None)  # a re-delivery of a stored one is still just "received"
            assert inbox.waiting() == LIMIT
            core.gate.set()
            await fake_api.wait_for("sendMessage", LIMIT)
            await until(lambda: inbox.waiting() == 0, "the inbox never drained")
            assert await post(late) == (200, None)  # Telegram's retry
            await fake_api.wait_for("sendMessage", 1, chat_id=950)
    assert sorted(int(i.chat_id) for i in core.received) == [*range(900, 900 + LIMIT), 950]


async def test_polling_fetches_only_what_the_inbox_has_room_for_and_confirms_only_what_it_stored(fake_api) -> None:
    core = GatedCore()
    ids = [fake_api.send_text(960 + n % 3, "/start") for n in range(3 * LIMIT)]
    with scratch_inbox(limit=LIMIT) as inbox:
        channel = TelegramChannel(core, token=fake_api.token, inbox=inbox, base_url=fake_api.base_url,
                                  poll_timeout=1)
        await channel.start()
        try:
            await until(lambda: inbox.waiting() == LIMIT, "the inbox never filled", timeout=30)
            polls = fake_api.calls("getUpdates")
            assert all(int(c.params.get("limit", 100)) <= LIMIT for c in polls)
            confirmed = max((int(c.params.get("offset") or 0) for c in polls), default=0)
            assert confirmed <= ids[LIMIT - 1] + 1  # nothing past what is stored was confirmed to Telegram
            core.gate.set()
            await fake_api.wait_for("sendMessage", 3 * LIMIT, timeout=30)
        finally:
            await channel.stop()
    assert [i.message_id for i in core.received if i.chat_id == "960"] == [f"tg:{u}" for u in ids[::3]]
    assert all(int(c.params.get("limit", 100)) <= LIMIT for c in fake_api.calls("getUpdates"))
