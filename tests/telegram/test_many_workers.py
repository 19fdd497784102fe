"""Three `invoicebot run` webhook workers on one database (SPEC §11): the test is the load balancer. Updates sent to
all of them at once, each also re-delivered to another worker, are handled once; one account's concurrent
phrases are numbered one after the other; /invoice racing on two workers makes one invoice; /readyz and /metrics
answer on each. Every delivery is known to be processed when the inbox holds nothing undone."""
from __future__ import annotations

import asyncio
import re
import time

from aiohttp import ClientSession
from sqlalchemy import create_engine, func, select

from core.models import Invoice, Task
from tests.conftest import SELLER_PROFILE
from tests.telegram.inbox_db import until, waiting_rows
from tests.telegram.test_invoicebot_run import free_port, ready, start_bot, stop_bot

SECRET = "many-workers-secret"
USER = 7001
PHRASES = 18
SETTLED_LINE = re.compile(
    r'^invoicebot_messages_total\{outcome="(?:answered|refused|error|duplicate)",platform="telegram"\} (\S+)$',
    re.MULTILINE)


async def test_three_workers_handle_each_update_once_and_serialise_an_account(fake_api, tmp_path,
                                                                             database_url) -> None:
    ports = [free_port() for _ in range(3)]
    workers = [await start_bot(fake_api, tmp_path, PORT=str(port), DATABASE_URL=database_url,
                               TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
                               TELEGRAM_WEBHOOK_SECRET=SECRET) for port in ports]
    delivered = 0
    try:
        async with ClientSession() as http:
            for port in ports:
                await ready(port)

            async def post(port: int, update: dict) -> None:  # type: ignore[type-arg]
                nonlocal delivered
                async with http.post(f"http://127.0.0.1:{port}/tg/hook", json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                    assert response.status == 200
                delivered += 1

            async def all_settled() -> None:
                await until(lambda: waiting_rows(database_url) == 0, "the inbox never drained", timeout=60)

            for text in (*SELLER_PROFILE, "/client add ACME rate 80", "/client set ACME country DE"):
                await post(ports[0], fake_api.message_update(USER, text))
                await all_settled()

            # One account's phrases at once on all three workers, each update also re-delivered elsewhere.
            updates = [fake_api.message_update(USER, f"1h task {n} for ACME") for n in range(PHRASES)]
            await asyncio.gather(*(post(ports[(n + shift) % 3], update) for n, update in enumerate(updates)
                                   for shift in (0, 1)))
            await all_settled()

            # /invoice racing on two workers.
            await asyncio.gather(post(ports[1], fake_api.message_update(USER, "/invoice ACME")),
                                 post(ports[2], fake_api.message_update(USER, "/invoice ACME")))
            await all_settled()
            handled = 0
            for port in ports:
                async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                    handled += sum(int(float(n)) for n in SETTLED_LINE.findall(await response.text()))
    finally:
        results = [await stop_bot(worker) for worker in workers]
    assert [code for code, _log in results] == [0, 0, 0], results[0][1][-3000:]
    logs = "\n".join(log for _code, log in results)
    assert "Traceback" not in logs and "something went wrong" not in logs, logs[-3000:]
    # every re-delivery recognised by the inbox, wherever it landed: the core saw each update once
    assert handled == delivered - PHRASES, logs[-6000:]

    engine = create_engine(database_url)
    with engine.connect() as connection:
        numbers = sorted(connection.scalars(select(Task.number)))
        invoices = connection.scalar(select(func.count()).select_from(Invoice))
    engine.dispose()
    assert numbers == list(range(1, PHRASES + 1))  # one task per phrase, numbered without gap or twin
    assert invoices == 1
    texts = fake_api.sent_texts(USER)
    logged = [t for t in texts if t.startswith("Logged #")]
    assert len(logged) == PHRASES  # answered once each
    assert len(fake_api.calls("sendDocument")) == 1
    assert any("nothing" in t.lower() and "acme" in t.lower() for t in texts[-3:]), texts[-3:]


async def start_workers(fake_api, tmp_path, *args: str, **extra: str) -> asyncio.subprocess.Process:  # type: ignore[no-untyped-def]
    import os
    import sys

    from tests.telegram.test_invoicebot_run import KEY, ROOT

    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "SLACK_"))}
    env.update({"PYTHONPATH": str(ROOT), "INVOICEBOT_DATA_DIR": str(tmp_path / "data"), "INVOICEBOT_SECRET_KEYS": KEY,
                "TELEGRAM_BOT_TOKEN": fake_api.token, "TELEGRAM_API_BASE_URL": fake_api.base_url, **extra})
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", *args, cwd=tmp_path, env=env,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def test_run_with_two_workers_shares_the_port_and_sums_the_metrics(fake_api, tmp_path) -> None:
    port = free_port()
    child = await start_workers(fake_api, tmp_path, "--workers", "2", PORT=str(port),
                                TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook", TELEGRAM_WEBHOOK_SECRET=SECRET)
    try:
        await fake_api.wait_for("setWebhook", count=2, timeout=60)  # each worker registers (the same URL)
        await ready(port)
        for n in range(12):  # new connections: the kernel spreads them over both workers
            async with ClientSession() as one, one.post(
                    f"http://127.0.0.1:{port}/tg/hook", json=fake_api.message_update(7100 + n, "/start"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                assert response.status == 200
        await fake_api.wait_for("sendMessage", count=12, timeout=60)
        deadline = time.monotonic() + 30
        while True:  # any worker's /metrics counts every worker's messages
            async with ClientSession() as one, one.get(f"http://127.0.0.1:{port}/metrics") as response:
                body = await response.text()
            if 'invoicebot_messages_total{outcome="answered",platform="telegram"} 12.0' in body:
                break
            assert time.monotonic() < deadline, body[-2000:]
            await asyncio.sleep(0.1)
    finally:
        code, log = await stop_bot(child)
    assert code == 0, log[-3000:]
    assert "started 2 workers" in log and "all workers stopped" in log
    assert len({call.params["chat_id"] for call in fake_api.calls("sendMessage")}) == 12


async def test_several_workers_need_the_webhook(fake_api, tmp_path) -> None:
    child = await start_workers(fake_api, tmp_path, "--workers", "3", PORT=str(free_port()))
    code = await asyncio.wait_for(child.wait(), 60)
    stderr = (await child.stderr.read()).decode()
    assert code == 2 and "--workers needs TELEGRAM_WEBHOOK_URL" in stderr
