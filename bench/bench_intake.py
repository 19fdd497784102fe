"""Nothing received is lost, measured: the issue's flood, kill -9 and SIGTERM, in small.

A real `invoicebot run` (Telegram webhook, embedded SQLite, or --database-url) behind the fake Bot API on
127.0.0.1; ``--senders`` senders post updates to the webhook as fast as it acknowledges them for ``--seconds``.

  phase 1  flood, kill -9 the worker, start it again, wait until its inbox is drained (an explicit condition):
           acknowledged vs answered; lost (acknowledged, never answered) must be 0; double answers (only the
           window between "sent" and "done") counted
  phase 2  flood again, SIGTERM: the time to exit (Docker kills after 10 s), the rows left in the inbox, and after
           the next start, lost = 0 again

Each update adds a client with its own name, so each answer names its update. Before the inbox (the issue's
figures, 50 senders for 60 s): 9,534 acknowledged, 4,359 lost to kill -9 (46 %); SIGTERM took 120 s and dropped 768.

    python bench/bench_intake.py [--senders 20] [--seconds 5] [--database-url URL]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiohttp import ClientError, ClientSession  # noqa: E402
from bench_flood import worker_env  # noqa: E402

from tests.telegram.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram.inbox_db import waiting_rows  # noqa: E402
from tests.telegram.test_invoicebot_run import free_port, ready  # noqa: E402

SECRET = "bench-intake"
ANSWER = re.compile(r"^Added client (B\d+)\b")


class Worker:
    def __init__(self, api: FakeBotApi, folder: Path, database_url: str | None) -> None:
        self.api, self.folder, self.port = api, folder, free_port()
        self.database_url = database_url or f"sqlite:///{folder / 'data' / 'invoicebot.db'}"
        self.env = worker_env(ROOT, api, folder, self.port, SECRET, INVOICEBOT_INBOX_LEASE="3")
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=self.folder, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await ready(self.port)

    def waiting(self) -> int:
        return waiting_rows(self.database_url)

    async def drained(self) -> None:
        while self.waiting():
            await asyncio.sleep(0.2)


async def flood(worker: Worker, senders: int, seconds: float, first: int) -> list[str]:
    """Senders post one update after another until ``seconds`` pass or the worker goes; what got a 200."""
    acknowledged: list[str] = []
    numbers = iter(range(first, first + 10_000_000))
    end = time.monotonic() + seconds
    url = f"http://127.0.0.1:{worker.port}/tg/hook"

    async def sender(chat: int, http: ClientSession) -> None:
        while time.monotonic() < end:
            name = f"B{next(numbers)}"
            update = worker.api.message_update(chat, f"/client add {name} rate 80")
            try:
                async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
                    if r.status == 200:
                        acknowledged.append(name)
            except ClientError:
                return

    async with ClientSession() as http:
        await asyncio.gather(*(sender(9000 + n, http) for n in range(senders)))
    return acknowledged


def answers(api: FakeBotApi) -> Counter[str]:
    texts = (str(call.params.get("text", "")) for call in api.calls("sendMessage"))
    return Counter(m.group(1) for m in map(ANSWER.match, texts) if m)


async def main(senders: int, seconds: float, database_url: str | None) -> None:
    api = FakeBotApi()
    await api.start()
    print(f"{senders} senders, {seconds:g} s floods; load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as folder:
        worker = Worker(api, Path(folder), database_url)
        await worker.start()
        acked = await flood(worker, senders, seconds, 0)
        answered_before = sum(answers(api).values())
        assert worker.process is not None
        worker.process.send_signal(signal.SIGKILL)
        await worker.process.wait()
        left = worker.waiting()
        started = time.monotonic()
        await worker.start()
        await worker.drained()
        drain = time.monotonic() - started
        counts = answers(api)
        lost = [n for n in acked if not counts[n]]
        doubled = sum(1 for n in acked if counts[n] > 1)
        print(f"phase 1  acknowledged {len(acked)} in {seconds:g} s, answered {answered_before} before kill -9, "
              f"{left} waiting in the inbox; restart drained it in {drain:.1f} s")
        print(f"         lost {len(lost)} (goal 0), answered twice {doubled}")

        before = answers(api)
        acked2 = await flood(worker, senders, seconds, 1_000_000)
        worker.process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        code = await worker.process.wait()
        exit_s = time.monotonic() - started
        left = worker.waiting()
        await worker.start()
        await worker.drained()
        counts = answers(api) - before
        lost2 = [n for n in acked2 if not counts[n]]
        print(f"phase 2  acknowledged {len(acked2)}; SIGTERM → exit {code} in {exit_s:.2f} s (goal ≤ 10 s), "
              f"{left} left in the inbox")
        print(f"         after the next start: lost {len(lost2)} (goal 0), answered twice "
              f"{sum(1 for n in acked2 if counts[n] > 1)}")
        worker.process.send_signal(signal.SIGTERM)
        await worker.process.wait()
    await api.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--database-url", default=None, help="a migrated database (default: embedded SQLite)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.senders, arguments.seconds, arguments.database_url))
