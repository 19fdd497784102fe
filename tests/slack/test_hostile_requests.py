"""Requests that don't come from Slack: refused with 401 before their body is parsed, one short log line at most
for a whole flood; an install page that can't be used to fill the database."""
from __future__ import annotations

import logging
import time

from sqlalchemy import text

from tests.slack.conftest import SlackHarness
from tests.slack.signing import sign
from tests.slack.test_installations import distributed  # noqa: F401  (the fixture)

FORGERIES = [
    ({"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=abc"}, b"command=/tasks"),
    ({"X-Slack-Request-Timestamp": "1" * 400, "X-Slack-Signature": "v0=abc"}, b"command=/tasks"),
    ({}, b'{"type": "event_callback", "event": '),  # malformed JSON, unsigned
    ({"X-Slack-Signature": "v0=\u00e9"}, b"payload=%7B%7D"),
    ({"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"}, b"\xff\xfe\x00garbage"),
]


async def test_unauthenticated_requests_get_401_without_a_traceback_and_one_log_line(
        harness: SlackHarness, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    statuses = []
    for _ in range(20):
        for headers, body in FORGERIES:
            async with harness.slack.session.post(harness.slack.url, data=body, headers={
                    "Content-Type": "application/json", **headers}) as response:
                statuses.append(response.status)
    assert set(statuses) == {401}
    assert not [r for r in caplog.records if r.exc_info], "a refused request logged a traceback"
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1 and len(refusals[0]) < 200
    assert harness.core.incomings == []


async def test_a_signed_body_that_cannot_be_parsed_is_a_400_not_a_500(harness: SlackHarness, caplog) -> None:
    body = b'{"type": "event_callback", "event": '
    headers = {"Content-Type": "application/json", **sign(body.decode(), harness.slack.secret)}
    async with harness.slack.session.post(harness.slack.url, data=body, headers=headers) as response:
        assert response.status == 400
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_large_body_is_refused_before_it_is_read(harness: SlackHarness) -> None:
    async with harness.slack.session.post(harness.slack.url, data=b"x" * (512 * 1024),
                                          headers={"Content-Type": "application/json"}) as response:
        assert response.status == 413


async def test_install_page_visits_are_rate_limited_and_expired_states_pruned(distributed, engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _channel, _core, root, session, _slack = distributed
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO slack_oauth_states (state, expire_at) "
                                "VALUES ('abandoned', '2020-01-01 00:00:00')"))
    statuses = []
    for _ in range(60):
        async with session.get(f"{root}/slack/install") as page:
            statuses.append(page.status)
            if page.status == 429:
                assert int(page.headers["Retry-After"]) >= 1
    assert statuses.count(200) <= 20 and statuses.count(429) >= 40
    with engine.connect() as connection:
        states = [row[0] for row in connection.execute(text("SELECT state FROM slack_oauth_states"))]
    assert "abandoned" not in states and len(states) == statuses.count(200)


async def test_a_body_that_arrives_in_pieces_is_read_whole_and_a_large_one_refused(harness: SlackHarness) -> None:
    import asyncio

    body = harness.slack.command_body("/tasks", "ACME " * 200).encode()
    released = asyncio.Event()

    async def in_two_pieces():  # type: ignore[no-untyped-def]
        yield body[:100]
        await released.wait()  # the server has started reading before the rest is sent
        yield body[100:]

    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body.decode(), harness.slack.secret)}
    asyncio.get_running_loop().call_later(0.05, released.set)
    async with harness.slack.session.post(harness.slack.url, data=in_two_pieces(), headers=headers) as response:
        assert response.status == 200
    await harness.fake.wait_for(lambda: harness.core.incomings)

    async def endless():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"x" * 65536

    async with harness.slack.session.post(harness.slack.url, data=endless(),
                                          headers={"Content-Type": "application/json"}) as response:
        assert response.status == 413
