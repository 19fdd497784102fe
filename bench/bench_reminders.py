"""One scheduler tick on PostgreSQL: select and claim the reminders due now among 100,000 users spread over the day.

Each user has a daily nudge at a random minute of their local day, in one of a dozen timezones east and west of
UTC; half also have a weekly digest, half an overdue check; 2 % are paused (blocked). Ticks run every 30 seconds
of simulated time from 17:00 UTC, so each claims the reminders that fell due in the last half minute (about 70),
in one transaction, exactly as the scheduler does.

Measured in the same run, on the same rows:
  claim         the tick's claim (SELECT … FOR UPDATE SKIP LOCKED + UPDATE + COMMIT), with ix_reminders_due
  no-index      the same ticks with ix_reminders_due dropped (what the index buys)
  round-trip    an empty transaction (BEGIN; SELECT 1; COMMIT): the floor of any tick
  catch-up      after an hour's downtime, claiming everything due, in the scheduler's batches of 500
It prints the plan of the claim query (EXPLAIN ANALYZE) at the end.

    INVOICEBOT_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/test python bench/bench_reminders.py [--users 100000]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from core.reminders import claim_due, due_query  # noqa: E402
from core.schedule import ALL_DAYS, Rule, next_due  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory, transaction  # noqa: E402

ZONES = ["Pacific/Honolulu", "America/Los_Angeles", "America/New_York", "America/Sao_Paulo", "UTC",
         "Europe/London", "Europe/Berlin", "Africa/Nairobi", "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo",
         "Australia/Sydney"]
PLATFORMS = {"local", "telegram", "slack"}
START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FIRST_TICK = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
TICK = timedelta(seconds=30)


def database_url() -> str:
    url = os.environ.get("INVOICEBOT_BENCH_DATABASE_URL") or os.environ.get("INVOICEBOT_TEST_DATABASE_URL")
    if not url:
        raise SystemExit("Set INVOICEBOT_TEST_DATABASE_URL (or INVOICEBOT_BENCH_DATABASE_URL) to a PostgreSQL "
                         "server, e.g. postgresql://postgres@127.0.0.1/test; a scratch database is made there.")
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def load(engine, users: int, seed: int) -> int:  # type: ignore[no-untyped-def]
    """Accounts and reminders by COPY (set-up, not measured); returns the number of reminders."""
    rng = random.Random(seed)
    zones: dict[int, str] = {}
    rows = []
    for account in range(1, users + 1):
        tz = ZoneInfo(rng.choice(ZONES))
        zones[account] = tz.key
        kinds = [("daily", wall_time(rng.randrange(24), rng.randrange(60)), ALL_DAYS)]
        if rng.random() < 0.5:
            kinds.append(("weekly", wall_time(rng.randrange(8, 19), rng.choice((0, 30))), str(rng.randrange(7))))
        if rng.random() < 0.5:
            kinds.append(("overdue", wall_time(9, 0), ALL_DAYS))
        paused = rng.random() < 0.02
        for kind, at, days in kinds:
            due = next_due(Rule(at, days, tz), START)
            rows.append((account, kind, rng.choice(sorted(PLATFORMS)), f"chat-{account}", at.strftime("%H:%M"),
                         days, due, paused, 0, START))
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        with cursor.copy("COPY accounts (id, timezone, created_at) FROM STDIN") as copy:
            for account, zone in zones.items():
                copy.write_row((account, zone, START))
        with cursor.copy("COPY reminders (account_id, kind, platform, chat_id, local_time, weekdays, next_due_at, "
                         "paused, failures, created_at) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("SELECT setval('accounts_id_seq', %s)", (users,))
        raw.driver_connection.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE accounts"))
        connection.execute(text("VACUUM ANALYZE reminders"))
    return len(rows)


def measure_ticks(sessions, first: datetime, ticks: int) -> tuple[list[float], list[int]]:  # type: ignore[no-untyped-def]
    times, counts = [], []
    for n in range(ticks):
        now = first + n * TICK
        started = time.perf_counter()
        with transaction(sessions) as session:
            claims = claim_due(session, now, PLATFORMS, owner="bench")
        times.append((time.perf_counter() - started) * 1000)
        counts.append(len(claims))
    return times, counts


def drain(sessions, now: datetime) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Claim everything due at ``now`` in the scheduler's batches; (reminders, batches)."""
    total = batches = 0
    while True:
        with transaction(sessions) as session:
            taken = len(claim_due(session, now, PLATFORMS, owner="bench"))
        total, batches = total + taken, batches + 1
        if taken < 500:
            return total, batches


def measure_round_trips(engine, count: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(count):
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(text("SELECT 1"))
        times.append((time.perf_counter() - started) * 1000)
    return times


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def line(label: str, values: list[float], baseline: float | None = None) -> str:
    median = statistics.median(values)
    ratio = f"  = claim × {median / baseline:.2f}" if baseline else ""
    return f"{label:<11} median {median:7.2f} ms   p99 {p99(values):7.2f} ms   ({len(values)} runs){ratio}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--ticks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    base = database_url()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"invoicebot_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_db_engine(make_url(base).set(database=name).render_as_string(hide_password=False))
    try:
        migrate(engine)
        started = time.perf_counter()
        total = load(engine, args.users, args.seed)
        print(f"{args.users:,} users, {total:,} reminders loaded in {time.perf_counter() - started:.1f} s "
              f"(PostgreSQL {engine.dialect.server_version_info})")
        sessions = session_factory(engine)
        drain(sessions, FIRST_TICK - TICK)  # what fell due 12:00–17:00, so each measured tick sees 30 s' worth
        round_trip = measure_round_trips(engine, args.ticks)
        claim, counts = measure_ticks(sessions, FIRST_TICK, args.ticks)
        end = FIRST_TICK + args.ticks * TICK
        with engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_reminders_due"))
        try:
            no_index, _ = measure_ticks(sessions, end, args.ticks)
        finally:
            with engine.begin() as connection:
                connection.execute(text("CREATE INDEX ix_reminders_due ON reminders (next_due_at) "
                                        "WHERE paused = false"))
                connection.execute(text("ANALYZE reminders"))
        resume = end + args.ticks * TICK + timedelta(hours=1)
        started = time.perf_counter()
        caught_up, batches = drain(sessions, resume)
        catch_up_ms = (time.perf_counter() - started) * 1000

        base_median = statistics.median(claim)
        print(f"due per tick: median {statistics.median(counts):.0f}, max {max(counts)}")
        print(line("claim", claim))
        print(line("no-index", no_index, base_median))
        print(line("round-trip", round_trip, base_median))
        print(f"catch-up    {caught_up:,} reminders due after 1 h down, claimed in {batches} batches: "
              f"{catch_up_ms:.0f} ms ({catch_up_ms / max(caught_up, 1) * 1000:.0f} µs each)")
        print(f"goal < 50 ms: {'met' if base_median < 50 and p99(claim) < 50 else 'NOT met'} "
              f"(median {base_median:.2f} ms, p99 {p99(claim):.2f} ms)")
        explain(engine, resume + timedelta(minutes=1))
    finally:
        engine.dispose()
        if not args.keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


def explain(engine, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """The plan of the claim's SELECT, compiled from the very statement claim_due runs."""
    compiled = due_query(now, PLATFORMS, 500).compile(engine, compile_kwargs={"render_postcompile": True})
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {compiled}",
                                          compiled.params).scalars().all()
        connection.rollback()
    print("\nPlan of the claim query:\n" + "\n".join("  " + row for row in plan))


if __name__ == "__main__":
    raise SystemExit(main())
