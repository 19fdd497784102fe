"""Webhook bodies that broke the parser (a 500 and a traceback each) are 400s; a huge body is refused unread; a
flood of refusals is one log line."""
from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from telegram import Bot

from adapters.telegram.webhook import make_webhook_handler

SECRET = "s3cret"
CHAT = '"chat": {"id": 1, "type": "private"}'
BREAKING = [
    b'{"update_id": 1, "message": {"message_id": 1, "date": 1e300, ' + CHAT.encode() + b"}}",
    b'{"update_id": 1, "message": {"message_id": 1, "date": 99999999999999999, ' + CHAT.encode() + b"}}",
    b'{"update_id": 1, "message": {"message_id": 1, "date": -1e20, ' + CHAT.encode() + b"}}",
    b"[" * 100_000,
    b'{"update_id": true}',
]


async def post_all(bodies: list[bytes], secret: str | None = SECRET) -> list[int]:
    accepted = []

    async def accept(update) -> None:  # type: ignore[no-untyped-def]
        accepted.append(update)

    app = web.Application()
    app.router.add_post("/hook", make_webhook_handler(Bot("123:abc"), SECRET, accept))
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        statuses = []
        for body in bodies:
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            response = await client.post("/hook", data=body, headers=headers)
            statuses.append(response.status)
        assert accepted == []
        return statuses
    finally:
        await client.close()


async def test_bodies_that_broke_the_parser_are_refused_with_400_and_no_traceback(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    assert await post_all(BREAKING) == [400] * len(BREAKING)
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_flood_of_wrong_secrets_is_one_log_line_and_a_large_body_is_not_read(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    assert set(await post_all([b"{}"] * 50, secret="wrong")) == {403}
    assert len([r for r in caplog.records if "refused" in r.getMessage()]) == 1
    assert await post_all([b"x" * (512 * 1024)]) == [413]
