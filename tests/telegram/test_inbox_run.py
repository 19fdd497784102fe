"""Nothing received is lost (SPEC §11), with real `invoicebot run` processes on SQLite and PostgreSQL: kill -9
during a webhook burst or a polled backlog, then a restart, answers every acknowledged update; SIGTERM under a
backlog exits within Docker's 10 s and leaves the rest in the inbox for the next start.

Each update adds a client with its own name, so each answer ("Added client K03x07 …") names its update."""
from __future__ import annotations

import asyncio
import re
import signal
from collections import Counter

import pytest
from aiohttp import ClientError, ClientSession

from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.inbox_db import until, waiting_rows
from tests.telegram.test_invoicebot_run import free_port, ready, start_bot, stop_bot
from tests.telegram.test_many_workers import start_workers

SECRET = "inbox-secret"
SENDERS = 10
EACH = 20
ANSWER = re.compile(r"^Added client (K\d\dx\d\d)\b")
LEASE = {"INVOICEBOT_INBOX_LEASE": "2"}  # a killed worker's rows are taken over 2 s later


def name(sender: int, n: int) -> str:
    return f"K{sender:02d}x{n:02d}"


def update_for(api: FakeBotApi, sender: int, n: int) -> dict:  # type: ignore[type-arg]
    return api.message_update(8000 + sender, f"/client add {name(sender, n)} rate 80")


def answered(api: FakeBotApi, calls: int | None = None) -> Counter[str]:
    """How often each update was answered, over the first ``calls`` sendMessage calls (all by default)."""
    texts = [str(c.params.get("text", "")) for c in api.calls("sendMessage")[:calls]]
    return Counter(m.group(1) for m in map(ANSWER.match, texts) if m)


async def burst(port: int, api: FakeBotApi, acknowledged: list[str], stop_after: int | None = None) -> None:
    """SENDERS senders at once, each posting its EACH updates one after another; ``acknowledged`` collects what
    got a 200. With ``stop_after``, senders stop once that many are acknowledged (the worker is about to die)."""
    url = f"http://127.0.0.1:{port}/tg/hook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def sender(number: int, http: ClientSession) -> None:
        for n in range(EACH):
            if stop_after is not None and len(acknowledged) >= stop_after:
                return
            try:
                async with http.post(url, json=update_for(api, number, n), headers=headers) as response:
                    if response.status == 200:
                        acknowledged.append(name(number, n))
            except ClientError:
                return  # the worker is gone: this sender's later messages were never sent

    async with ClientSession() as http:
        await asyncio.gather(*(sender(number, http) for number in range(SENDERS)))


def webhook_env(port: int, database_url: str) -> dict[str, str]:
    return {"PORT": str(port), "DATABASE_URL": database_url, "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/tg/hook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, **LEASE}


async def test_kill_9_during_a_webhook_burst_then_restart_answers_every_acknowledged_update(
        fake_api, tmp_path, database_url) -> None:
    port = free_port()
    child = await start_bot(fake_api, tmp_path, **webhook_env(port, database_url))
    acknowledged: list[str] = []
    try:
        await ready(port)
        await burst(port, fake_api, acknowledged, stop_after=SENDERS * EACH // 2)
        child.send_signal(signal.SIGKILL)
        await child.wait()
        sent_before_kill = len(fake_api.calls("sendMessage"))
        assert waiting_rows(database_url) > 0, "the kill came after the backlog was handled: nothing was tested"
        child = await start_bot(fake_api, tmp_path, **webhook_env(port, database_url))
        await until(lambda: waiting_rows(database_url) == 0, "the inbox never drained")
        counts = answered(fake_api)
    finally:
        code, log = await stop_bot(child)
    assert code == 0, log[-3000:]
    assert acknowledged and all(counts[n] >= 1 for n in acknowledged), (
        f"lost: {[n for n in acknowledged if not counts[n]]}")
    # The one window for a second answer: sent just before the kill, not yet marked done.
    before = answered(fake_api, sent_before_kill)
    assert all(count == 1 or before[n] == 1 for n, count in counts.items() if count > 1), counts
    assert all(count <= 2 for count in counts.values()), counts


async def test_kill_9_with_a_polled_backlog_then_restart_answers_every_update(fake_api, tmp_path,
                                                                                database_url) -> None:
    """Polling confirms an update (the next getUpdates' offset) only once it is stored."""
    names = [name(sender, n) for n in range(EACH) for sender in range(6)]
    for n in range(EACH):
        for sender in range(6):
            fake_api.enqueue(update_for(fake_api, sender, n))
    env = {"PORT": str(free_port()), "DATABASE_URL": database_url, **LEASE}
    child = await start_bot(fake_api, tmp_path, **env)
    try:
        await until(lambda: sum(answered(fake_api).values()) >= 20, "nothing answered", timeout=60)
        child.send_signal(signal.SIGKILL)
        await child.wait()
        assert sum(answered(fake_api).values()) < len(names), "the kill came too late: nothing was tested"
        child = await start_bot(fake_api, tmp_path, **env)
        await until(lambda: set(answered(fake_api)) == set(names), "not every update was answered")
        await until(lambda: waiting_rows(database_url) == 0, "the inbox never drained")
    finally:
        code, log = await stop_bot(child)
    assert code == 0, log[-3000:]
    assert all(count <= 2 for count in answered(fake_api).values())


@pytest.mark.parametrize("workers", [1, 2])
async def test_sigterm_under_backlog_exits_within_10_s_and_the_next_start_answers_the_rest(
        fake_api, tmp_path, database_url, workers) -> None:
    port = free_port()
    env = webhook_env(port, database_url)
    child = (await start_bot(fake_api, tmp_path, **env) if workers == 1
             else await start_workers(fake_api, tmp_path, "--workers", str(workers), **env))
    acknowledged: list[str] = []
    try:
        await ready(port)
        await burst(port, fake_api, acknowledged)
        child.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(child.wait(), 10)  # Docker's grace period: the contract, not a benchmark
        left = waiting_rows(database_url)
        assert code == 0
        assert left > 0, "the backlog was handled before SIGTERM: nothing was tested"
        assert sum(answered(fake_api).values()) + left == len(acknowledged)  # the rest waits in the inbox
        child = await start_bot(fake_api, tmp_path, **env)
        await until(lambda: waiting_rows(database_url) == 0, "the inbox never drained")
    finally:
        code, log = await stop_bot(child)
    assert code == 0, log[-3000:]
    counts = answered(fake_api)
    assert sorted(counts) == sorted(acknowledged) and set(counts.values()) == {1}
