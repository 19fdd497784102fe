"""What one logged phrase costs beside an empty write transaction on the same SQLite database, in one run.

    python bench/bench_phrase.py [--rounds 400] [--clients 30] [--database-url URL]

Interleaved, round by round:
  empty       BEGIN IMMEDIATE; COMMIT through the bot's session factory — the floor of any message that writes
  phrase      Core.handle("2h logo design for ACME") with a new delivery id: dedup record, account, parse,
              task and its change record, commit — what every logged line of work costs
and, to say where a phrase's time goes, its two big parts alone:
  database    the phrase's database work through the same functions, in one transaction: the dedup record, the
              account (locked, with its profile), its reminders followed, the task and its journal entry
  parse       reading the phrase against the account's clients (no database)
It prints medians and p90 in milliseconds (wall clock and this process's CPU time), each median's ratio to the
empty transaction, and phrase ÷ empty beside the goal (≤ 6×). The account has ``--clients`` clients, as a working
freelancer would.
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
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.wiring import build_core  # noqa: E402
from core import accounts, reminders  # noqa: E402
from core.clients import active_clients  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.messages import Incoming  # noqa: E402
from core.phrases import parse_message  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory, transaction  # noqa: E402
from core.tasks import Work, log_task  # noqa: E402

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

        def incoming(text: str) -> Incoming:
            return Incoming(platform="bench", user_id=user, chat_id=user, text=text, is_private=True,
                            message_id=f"{user}-{next(counter)}")

        def say(text: str) -> None:
            reply = core.handle(incoming(text))
            assert reply is not None and "Sorry" not in reply.text, reply

        say("/client add ACME rate 80")
        for n in range(args.clients - 1):
            say(f"/client add Client {n:02d} rate {50 + n}")

        def empty() -> None:
            with transaction(sessions) as session:
                session.connection()

        with transaction(sessions) as session:
            message = incoming(PHRASE)
            account = accounts.resolve_account(session, message, NOW, "UTC")
            names = [client.name for client in active_clients(session, account)]
            reading = parse_message(PHRASE, now=NOW, tz=ZoneInfo(account.timezone), clients=names)[0]

        def database() -> None:
            with transaction(sessions) as session:
                message = incoming(PHRASE)
                assert core._first_delivery(session, message, NOW)  # the dispatcher's own step
                account = accounts.resolve_account(session, message, NOW, "UTC")
                reminders.follow_user(session, account, message.platform, message.chat_id)
                client = core.client_cache.active(session, account)[0]
                log_task(session, account, Work(session.merge(client, load=False), reading.work_date,
                                                reading.minutes, None, None, reading.description), NOW)

        def parse() -> None:
            parse_message(PHRASE, now=NOW, tz=ZoneInfo("UTC"), clients=names)

        subjects = {"empty": empty, "phrase": lambda: say(PHRASE), "database": database, "parse": parse}
        for _ in range(30):  # warm-up: parser tables, statement caches
            for run in subjects.values():
                run()
        gc.collect()
        gc.freeze()
        wall: dict[str, list[float]] = {name: [] for name in subjects}
        cpu: dict[str, list[float]] = {name: [] for name in subjects}
        for _ in range(args.rounds):
            for name, run in subjects.items():
                started, started_cpu = time.perf_counter(), time.process_time()
                run()
                wall[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.process_time() - started_cpu) * 1000)
        engine.dispose()

    def p90(values: list[float]) -> float:
        return statistics.quantiles(values, n=10)[-1]

    print(f"{engine.dialect.name}, {args.rounds} rounds, {args.clients} clients; ms (× the empty transaction's "
          f"median)")
    floor = {kind: statistics.median(times["empty"]) for kind, times in (("wall", wall), ("cpu", cpu))}
    for name in wall:
        median_wall, median_cpu = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"  {name:<9} wall median {median_wall:6.2f} ({median_wall / floor['wall']:4.1f}×)  p90 "
              f"{p90(wall[name]):6.2f}   cpu median {median_cpu:6.2f} ({median_cpu / max(floor['cpu'], 1e-6):4.1f}×)")
    ratio = statistics.median(wall["phrase"]) / floor["wall"]
    ratio_cpu = statistics.median(cpu["phrase"]) / max(floor["cpu"], 1e-6)
    print(f"  phrase ÷ empty: {ratio:.1f}× wall, {ratio_cpu:.1f}× cpu   (goal ≤ {GOAL}×)")


if __name__ == "__main__":
    main()
