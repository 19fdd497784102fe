"""Slack over HTTP with real `invoicebot run` processes, on SQLite and PostgreSQL: a slash command gets its 200 once
it is stored, so kill -9 during a burst and a restart answer every acknowledged one (through its response_url),
and a retried event (X-Slack-Retry-Num, the same event_id) is stored and answered once."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter

import aiohttp

from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SlackSender
from tests.telegram.inbox_db import until, waiting_rows
from tests.telegram.test_invoicebot_run import KEY, ROOT, free_port, ready, stop_bot

USERS = 5
EACH = 20
ANSWER = re.compile(r"^Added client (S\dx\d\d)\b")


async def start(fake: FakeSlack, tmp_path, port: int, database_url: str) -> asyncio.subprocess.Process:  # type: ignore[no-untyped-def]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "SLACK_"))}
    env.update({"PYTHONPATH": str(ROOT), "INVOICEBOT_DATA_DIR": str(tmp_path / "data"), "INVOICEBOT_SECRET_KEYS": KEY,
                "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.base_url,
                "PORT": str(port), "DATABASE_URL": database_url, "INVOICEBOT_INBOX_LEASE": "2"})
    child = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
                                                 stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    await ready(port)
    return child


def answered(fake: FakeSlack, responses: int | None = None) -> Counter[str]:
    texts = (str(r.get("text", "")) for r in fake.responses[:responses])
    return Counter(m.group(1) for m in map(ANSWER.match, texts) if m)


async def test_kill_9_during_a_burst_of_slash_commands_then_restart_answers_every_acknowledged_one(
        fake_slack: FakeSlack, tmp_path, database_url) -> None:
    port = free_port()
    child = await start(fake_slack, tmp_path, port, database_url)
    acknowledged: list[str] = []
    try:
        async with aiohttp.ClientSession() as http:
            slack = SlackSender(http, f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)

            async def user(number: int) -> None:
                for n in range(EACH):
                    if len(acknowledged) >= USERS * EACH // 2:
                        return
                    name = f"S{number}x{n:02d}"
                    response = await slack.command("/client", f"add {name} rate 80", user=f"U{number}")
                    if response.status == 200:
                        acknowledged.append(name)

            await asyncio.gather(*(user(number) for number in range(USERS)))
            child.send_signal(signal.SIGKILL)
            await child.wait()
            before_kill = len(fake_slack.responses)
            assert waiting_rows(database_url) > 0, "the kill came after the burst was handled: nothing was tested"
            child = await start(fake_slack, tmp_path, port, database_url)
            await until(lambda: waiting_rows(database_url) == 0, "the inbox never drained")

            # Slack retries an event it got no 200 for in time: the same event_id is one row, one answer.
            event_id = "EvRetried1"
            for retry in (None, 1, 2):
                assert (await slack.dm("/client add Retried rate 80", user="U9", event_id=event_id,
                                       retry_num=retry)).status == 200
            await until(lambda: waiting_rows(database_url) == 0, "the inbox never drained")
            await until(lambda: fake_slack.calls_to("chat.postMessage"), "the DM was never answered")
    finally:
        code, log = await stop_bot(child)
    assert code == 0, log[-3000:]
    counts = answered(fake_slack)
    assert acknowledged and all(counts[n] >= 1 for n in acknowledged), [n for n in acknowledged if not counts[n]]
    before = answered(fake_slack, before_kill)  # a second answer only for one sent just before the kill
    assert all(count == 1 or before[n] == 1 for n, count in counts.items() if count > 1), counts
    dms = [c for c in fake_slack.calls_to("chat.postMessage") if "Retried" in str(c.params.get("text", ""))]
    assert len(dms) == 1, dms
