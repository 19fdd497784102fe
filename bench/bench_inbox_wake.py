"""An idle inbox consumer on PostgreSQL, woken by LISTEN/NOTIFY against polling alone (the consumer before it).

    python bench/bench_inbox_wake.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test [--rows 40]
        [--rounds 5] [--idle 10]

One consumer (core/inbox.py, adapters/inbox.py) waits idle; "another worker" (its own engine) stores one row at a
time, at a random moment, and the bench times each row from its store's commit to its handling. In rounds
interleaved between the two modes:
  poll     the consumer as it was: no LISTEN, a claim every IDLE_POLL_S (0.5 s)
  notify   the consumer now: LISTEN on the inbox's channel, the store's NOTIFY wakes it, a claim every
           NOTIFIED_POLL_S (5 s) as the fallback
and, apart, the same consumer idle for ``--idle`` seconds: the CPU time of this process and the claims it made
(each a query the database serves, times the number of workers). It prints medians and the ratio notify/poll
measured in the same run. The database named by --database-url is only used to make a scratch one beside it,
dropped at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import adapters.inbox  # noqa: E402
from adapters.inbox import Consumer  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.inbox import Claimed, Delivery, Inbox  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory  # noqa: E402

MODES = ("poll", "notify")


class PollingConsumer(Consumer):
    """The consumer before notifications: it never listens, so it only polls."""

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"{self.platform}-inbox")


def consumer_for(mode: str, inbox: Inbox, handle) -> Consumer:  # type: ignore[no-untyped-def]
    return (PollingConsumer if mode == "poll" else Consumer)(inbox, "telegram", handle)


def clock() -> datetime:
    return datetime.now(UTC)


async def latencies(mode: str, url: str, cipher: Cipher, rows: int) -> list[float]:
    """Seconds from each row's commit (by another engine) to its handler."""
    engine, elsewhere = create_db_engine(url), create_db_engine(url)
    handled: asyncio.Queue[float] = asyncio.Queue()

    async def handle(item: Claimed) -> None:
        await handled.put(time.perf_counter())

    consumer = consumer_for(mode, Inbox(session_factory(engine), clock, cipher), handle)
    other = Inbox(session_factory(elsewhere), clock, cipher)
    consumer.start()
    await asyncio.sleep(0.5)  # idle, and listening in notify mode
    taken: list[float] = []
    try:
        for _ in range(rows):
            await asyncio.sleep(random.uniform(0.05, 0.6))  # any moment of the poll's cycle
            key = uuid.uuid4().hex
            await asyncio.to_thread(other.store, [Delivery("telegram", f"bench:{key}", key, b"{}")])
            stored = time.perf_counter()
            taken.append(await asyncio.wait_for(handled.get(), 30) - stored)
    finally:
        await consumer.stop()
        engine.dispose()
        elsewhere.dispose()
    return taken


async def idle_cost(mode: str, url: str, cipher: Cipher, seconds: float) -> tuple[float, int]:
    """This process's CPU seconds and the claims made while the consumer waits ``seconds`` with nothing to do."""
    engine = create_db_engine(url)
    inbox = Inbox(session_factory(engine), clock, cipher)
    claims = 0
    claim = inbox.claim

    def counted(platform: str, most: int) -> list[Claimed]:
        nonlocal claims
        claims += 1
        return claim(platform, most)

    inbox.claim = counted  # type: ignore[method-assign]
    consumer = consumer_for(mode, inbox, lambda item: asyncio.sleep(0))
    consumer.start()
    await asyncio.sleep(1.0)  # past the start: the first claim, the LISTEN
    claims, cpu = 0, time.process_time()
    await asyncio.sleep(seconds)
    cpu, made = time.process_time() - cpu, claims
    await consumer.stop()
    engine.dispose()
    return cpu, made


def scratch_database(base: str) -> tuple[str, str]:
    name = f"invoicebot_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    migrate(engine)
    engine.dispose()
    return url, name


def drop_database(base: str, name: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server (SQLite has no notifications)")
    parser.add_argument("--rows", type=int, default=40, help="rows stored per mode and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds idle per mode and round")
    args = parser.parse_args()
    url, name = scratch_database(args.database_url)
    cipher = Cipher([Cipher.new_key()])
    taken: dict[str, list[float]] = {mode: [] for mode in MODES}
    cpu: dict[str, list[float]] = {mode: [] for mode in MODES}
    claims: dict[str, list[int]] = {mode: [] for mode in MODES}
    print(f"idle poll {adapters.inbox.IDLE_POLL_S} s, notified poll {adapters.inbox.NOTIFIED_POLL_S} s; "
          f"{args.rounds} rounds of {args.rows} rows and {args.idle:.0f} s idle per mode", flush=True)
    try:
        for _ in range(args.rounds):
            for mode in MODES:
                taken[mode] += await latencies(mode, url, cipher, args.rows)
                spent, made = await idle_cost(mode, url, cipher, args.idle)
                cpu[mode].append(spent)
                claims[mode].append(made)
    finally:
        drop_database(args.database_url, name)
    for mode in MODES:
        ordered = sorted(taken[mode])
        print(f"{mode:7} store→handled median {statistics.median(ordered) * 1000:7.1f} ms, "
              f"p90 {ordered[int(len(ordered) * 0.9)] * 1000:7.1f} ms, max {ordered[-1] * 1000:7.1f} ms "
              f"({len(ordered)} rows); idle: {statistics.median(cpu[mode]) / args.idle * 60 * 1000:6.1f} ms CPU "
              f"and {statistics.median(claims[mode]) / args.idle * 60:5.1f} claims a minute (medians)")
    ratio = statistics.median(taken["notify"]) / statistics.median(taken["poll"])
    idle_ratio = statistics.median(cpu["notify"]) / statistics.median(cpu["poll"])
    print(f"notify/poll: store→handled median {ratio:.3f}×, idle CPU {idle_ratio:.2f}×")


if __name__ == "__main__":
    asyncio.run(main())
