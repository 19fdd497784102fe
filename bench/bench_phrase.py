"""What one logged phrase costs beside an empty write transaction on the same SQLite database, in one run.

    python bench/bench_phrase.py [--rounds 400] [--clients 30] [--database-url URL]

Interleaved, round by round:
  empty       BEGIN IMMEDIATE; COMMIT through the bot's session factory — the floor of any message that writes
  phrase      Core.handle("2h logo design for ACME") with a new delivery id: dedup record, account, parse,
              task and its change record, commit — what every logged line of work costs
It prints medians and p90 in milliseconds (wall clock and this process's CPU time), the ratio phrase ÷ empty
and the goal beside it (≤ 6×). The account has ``--clients`` clients, as a working freelancer would.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.wiring import build_core  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.messages import Incoming  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory, transaction  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
GOAL = 6.0
PHRASE = "2h logo design for ACME"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(args.database_url or f"sqlite:///{folder}/bench.db")
        migrate(engine)
        sessions = session_factory(engine)
        core = build_core(sessions, Cipher([Cipher.new_key()]), lambda: NOW)
        user = f"phrase-{int(time.time())}"
        counter = iter(range(10**9))

        def say(text: str) -> None:
            reply = core.handle(Incoming(platform="bench", user_id=user, chat_id=user, text=text, is_private=True,
                                         message_id=f"{user}-{next(counter)}"))
            assert reply is not None and "Sorry" not in reply.text, reply

        say("/client add ACME rate 80")
        for n in range(args.clients - 1):
            say(f"/client add Client {n:02d} rate {50 + n}")

        def empty() -> None:
            with transaction(sessions) as session:
                session.connection()

        for _ in range(30):  # warm-up: parser tables, statement caches
            empty()
            say(PHRASE)
        gc.collect()
        gc.freeze()
        wall: dict[str, list[float]] = {"empty": [], "phrase": []}
        cpu: dict[str, list[float]] = {"empty": [], "phrase": []}
        for _ in range(args.rounds):
            for name, run in (("empty", empty), ("phrase", lambda: say(PHRASE))):
                started, started_cpu = time.perf_counter(), time.process_time()
                run()
                wall[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.process_time() - started_cpu) * 1000)
        engine.dispose()

    def p90(values: list[float]) -> float:
        return statistics.quantiles(values, n=10)[-1]

    print(f"{engine.dialect.name}, {args.rounds} rounds, {args.clients} clients; ms")
    for name in ("empty", "phrase"):
        print(f"  {name:<7} wall median {statistics.median(wall[name]):6.2f}  p90 {p90(wall[name]):6.2f}   "
              f"cpu median {statistics.median(cpu[name]):6.2f}")
    ratio = statistics.median(wall["phrase"]) / statistics.median(wall["empty"])
    ratio_cpu = statistics.median(cpu["phrase"]) / max(statistics.median(cpu["empty"]), 1e-6)
    print(f"  phrase ÷ empty: {ratio:.1f}× wall, {ratio_cpu:.1f}× cpu   (goal ≤ {GOAL}×)")


if __name__ == "__main__":
    main()
