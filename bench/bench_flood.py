"""Throughput under a flood, this checkout against an older one (the commit before the inbox), in one run.

A real `invoicebot run` (Telegram webhook) behind the fake Bot API on 127.0.0.1; ``--senders`` senders post
``/client add`` updates to the webhook as fast as it acknowledges them for ``--seconds``. Per round it prints the
intake (acknowledged/s), the answers sent during the flood (answered/s), and the worker's CPU per answer (process
CPU from /proc, which a loaded machine does not stretch the way it stretches wall time). Rounds alternate subject and
baseline (the order swapped every round) so both see the same load; medians and subject/baseline ratios at the end,
beside the issue's figure from before the inbox (50 senders, 60 s: 21,508 acknowledged, ~43 answers/s).

The baseline is another checkout of this repository (``git worktree add DIR e00ad69``); it runs with this
interpreter and ``PYTHONPATH`` at that checkout, so only what the flood needs must match: the webhook path and
secret header, and the ``/client add`` answer. With ``--postgres``, every round gets a fresh database on that server
(``invoicebot migrate`` of that round's checkout first), dropped afterwards.

    python bench/bench_flood.py --baseline DIR [--senders 50] [--seconds 10] [--rounds 3]
                                [--postgres postgresql+psycopg://user@host:5432] [--only sqlite|postgresql]
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiohttp import ClientError, ClientSession  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.telegram.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram.test_invoicebot_run import free_port, ready  # noqa: E402

SECRET = "bench-flood"
KEY = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="
ANSWER = re.compile(r"^Added client (B\d+)\b")
TICKS = os.sysconf("SC_CLK_TCK")
ISSUE = "before the inbox, the issue: 50 senders, 60 s → 358 acknowledged/s, ~43 answered/s"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@dataclass(frozen=True)
class Round:
    acknowledged: float
    """Per second of flood."""
    answered: float
    """Answers sent during the flood, per second."""
    cpu_ms_per_answer: float
    """Worker CPU during the flood over the answers sent during it (intake included: it is what the flood costs)."""


def worker_env(root: Path, api: FakeBotApi, folder: Path, port: int, secret: str, **extra: str) -> dict[str, str]:
    """A webhook worker's environment: this shell's without its bot tokens and database, so the bench's own win."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_", "DATABASE_"))}
    env.update({"PYTHONPATH": str(root), "INVOICEBOT_DATA_DIR": str(folder / "data"),
                "INVOICEBOT_SECRET_KEYS": KEY, "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_BASE_URL": api.base_url, "PORT": str(port),
                "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/tg/hook",
                "TELEGRAM_WEBHOOK_SECRET": secret, "INVOICEBOT_LOG_LEVEL": "WARNING", **extra})
    return env


class Worker:
    def __init__(self, root: Path, api: FakeBotApi, folder: Path, database_url: str | None) -> None:
        self.root, self.api, self.folder, self.port = root, api, folder, free_port()
        self.env = worker_env(root, api, folder, self.port, SECRET)
        if database_url:
            self.env["DATABASE_URL"] = database_url
            subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=folder, env=self.env, check=True,
                           stdout=subprocess.DEVNULL)
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> int:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=self.folder, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await ready(self.port)
        return self.process.pid

    async def kill(self) -> None:
        """The round is over: its backlog is not this bench's subject (bench_intake.py drains and counts it)."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()


async def flood(api: FakeBotApi, port: int, senders: int, seconds: float) -> int:
    """Senders post one update after another until ``seconds`` pass; how many got a 200."""
    acknowledged = 0
    numbers = iter(range(10_000_000))
    end = time.monotonic() + seconds
    url = f"http://127.0.0.1:{port}/tg/hook"

    async def sender(chat: int, http: ClientSession) -> None:
        nonlocal acknowledged
        while time.monotonic() < end:
            update = api.message_update(chat, f"/client add B{next(numbers)} rate 80")
            try:
                async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
                    acknowledged += r.status == 200
            except ClientError:
                return

    async with ClientSession() as http:
        await asyncio.gather(*(sender(9000 + n, http) for n in range(senders)))
    return acknowledged


async def one_round(root: Path, senders: int, seconds: float, database_url: str | None) -> Round:
    api = FakeBotApi()
    await api.start()
    with tempfile.TemporaryDirectory(prefix="bench-flood-") as folder:
        worker = Worker(root, api, Path(folder), database_url)
        try:
            pid = await worker.start()
            cpu, started = cpu_seconds(pid), time.monotonic()
            acknowledged = await flood(api, worker.port, senders, seconds)
            ended = time.monotonic()
            cpu = cpu_seconds(pid) - cpu
            answered = sum(1 for call in api.calls("sendMessage") if started <= call.at <= ended
                           and ANSWER.match(str(call.params.get("text", ""))))
        finally:
            await worker.kill()
            await api.stop()
    elapsed = ended - started
    return Round(acknowledged / elapsed, answered / elapsed, 1000 * cpu / max(answered, 1))


class Databases:
    """A fresh PostgreSQL database per round (or None: the worker's embedded SQLite)."""

    def __init__(self, server: str | None) -> None:
        self.server = server

    def make(self) -> str | None:
        if self.server is None:
            return None
        name = f"bench_flood_{uuid.uuid4().hex[:8]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return f"{self.server.rstrip('/')}/{name}"

    def drop(self, url: str | None) -> None:
        if url is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        assert self.server is not None
        engine = create_engine(f"{self.server.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()


async def compare(kind: str, databases: Databases, baseline: Path, args: argparse.Namespace) -> None:
    results: dict[str, list[Round]] = {"subject": [], "baseline": []}
    roots = {"subject": ROOT, "baseline": baseline}
    for number in range(args.rounds):
        for side in (("subject", "baseline") if number % 2 == 0 else ("baseline", "subject")):
            url = databases.make()
            try:
                result = await one_round(roots[side], args.senders, args.seconds, url)
            finally:
                databases.drop(url)
            results[side].append(result)
            print(f"  {kind:<10} round {number + 1} {side:<8}  {result.acknowledged:7.1f} acknowledged/s  "
                  f"{result.answered:6.1f} answered/s  {result.cpu_ms_per_answer:6.1f} ms CPU/answer", flush=True)

    def median(side: str, field: str) -> float:
        return statistics.median(getattr(r, field) for r in results[side])

    print(f"{kind}: medians of {args.rounds} rounds ({ISSUE})")
    for field, label in (("acknowledged", "acknowledged/s"), ("answered", "answered/s"),
                         ("cpu_ms_per_answer", "ms CPU/answer")):
        subject, base = median("subject", field), median("baseline", field)
        print(f"  {label:<15} this checkout {subject:7.1f}   baseline {base:7.1f}   "
              f"ratio {subject / base if base else float('nan'):5.2f}")


def commit(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True,
                          text=True).stdout.strip()[:72]


async def main(args: argparse.Namespace) -> None:
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # a killed worker's calls end mid-request
    print(f"this checkout: {commit(ROOT)}\nbaseline:      {commit(Path(args.baseline))}")
    print(f"{args.senders} senders, {args.seconds:g} s floods, {args.rounds} rounds a side; "
          f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    kinds = [("sqlite", Databases(None))]
    if args.postgres:
        kinds.append(("postgresql", Databases(args.postgres)))
    for kind, databases in kinds:
        if args.only in (None, kind):
            await compare(kind, databases, Path(args.baseline).resolve(), args)
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, help="a checkout of the commit to compare with")
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL (no database): one per round")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    asyncio.run(main(parser.parse_args()))
