"""What SQLite's ``secure_delete`` (on for every connection, core/storage.py) costs, beside the same work with it off.

    python bench/bench_secure_delete.py [--tasks 2000] [--rounds 15]

Two fresh SQLite files, one engine each: ``on`` as the project configures it, ``off`` the same with
``PRAGMA secure_delete=OFF`` run after the project's settings. Each round, in alternating order so both meet the
same machine load, each variant:
  erase     /forget me's work: an account with --tasks tasks (40-character descriptions), 5 clients, its journal,
            erased in one transaction (core/erasure.py), then the write-ahead log checkpointed
  log+undo  one task logged through Core.handle and taken back with /undo (a real delete on the hot path), 20 times
Filling the account is untimed. Reported: medians of this thread's CPU time and of wall-clock time in ms, and the
ratio on/off of each (the goal: erasure within 1.5× and the hot path within 1.1× of off).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, event, insert, select  # noqa: E402

from bot.wiring import build_core  # noqa: E402
from core import erasure  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.messages import Incoming  # noqa: E402
from core.models import Account, Change, Client, Identity, Task  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory, transaction  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
KEY = "x" * 43 + "="


def engine_for(path: Path, secure: bool) -> Engine:
    engine = create_db_engine(f"sqlite:///{path}")
    if not secure:
        @event.listens_for(engine, "connect")
        def _off(dbapi_connection: Any, _record: Any) -> None:  # runs after the project's own settings
            dbapi_connection.execute("PRAGMA secure_delete=OFF")
    migrate(engine)
    return engine


def fill(engine: Engine, user: str, tasks: int) -> None:
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        account = Account(timezone="Europe/Berlin", created_at=NOW, last_task_number=tasks)
        session.add(account)
        session.flush()
        session.add(Identity(platform="local", platform_user_id=user, account_id=account.id, created_at=NOW))
        clients = [Client(account_id=account.id, name=f"Client {n} of {user}", name_key=f"client {n} of {user}",
                          currency="EUR", created_at=NOW) for n in range(5)]
        session.add_all(clients)
        session.flush()
        session.execute(insert(Task), [
            {"account_id": account.id, "number": n, "client_id": clients[n % 5].id, "work_date": date(2026, 11, 2),
             "minutes": 90, "description": f"refurbishing the quokka enclosure, part {n:05d}", "created_at": NOW}
            for n in range(1, tasks + 1)])
        session.execute(insert(Change), [
            {"account_id": account.id, "seq": n, "kind": "task.log", "subject_id": n, "created_at": NOW}
            for n in range(1, tasks + 1)])


def erase(engine: Engine, user: str) -> None:
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        account_id = session.scalar(select(Identity.account_id).where(Identity.platform_user_id == user))
        account = session.get(Account, account_id)
        assert account is not None
        erasure.erase_account(session, account)
    erasure.checkpoint(engine)


def log_and_undo(core: Any, user: str, times: int) -> None:
    for _ in range(times):
        for text in ("2h refurbishing the quokka enclosure for ACME", "/undo"):
            reply = core.handle(Incoming(platform="local", user_id=user, chat_id=user, text=text))
            assert reply is not None


def timed(work: Any, *args: Any) -> tuple[float, float]:
    cpu, wall = time.thread_time(), time.perf_counter()
    work(*args)
    return (time.thread_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    variants = {name: engine_for(folder / f"{name}.db", secure=name == "on") for name in ("on", "off")}
    cores = {name: build_core(session_factory(engine), Cipher([KEY]), lambda: NOW, default_tz="Europe/Berlin")
             for name, engine in variants.items()}
    for core in cores.values():
        core.handle(Incoming(platform="local", user_id="hot", chat_id="hot", text="/client add ACME rate 80"))
        log_and_undo(core, "hot", 3)  # warm-up
    samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for round_ in range(args.rounds):
        order = ("on", "off") if round_ % 2 == 0 else ("off", "on")
        for name in order:
            user = f"user{round_}"
            fill(variants[name], user, args.tasks)
            samples.setdefault(("erase", name), []).append(timed(erase, variants[name], user))
            samples.setdefault(("log+undo", name), []).append(timed(log_and_undo, cores[name], "hot", 20))
    print(f"secure_delete, {args.rounds} rounds, {args.tasks} tasks erased a round; medians in ms")
    print(f"{'work':10} {'on cpu':>9} {'off cpu':>9} {'ratio':>6} {'on wall':>9} {'off wall':>9} {'ratio':>6}  goal")
    for work, goal in (("erase", 1.5), ("log+undo", 1.1)):
        on = [statistics.median(values) for values in zip(*samples[(work, "on")], strict=True)]
        off = [statistics.median(values) for values in zip(*samples[(work, "off")], strict=True)]
        print(f"{work:10} {on[0]:9.1f} {off[0]:9.1f} {on[0] / off[0]:6.2f} {on[1]:9.1f} {off[1]:9.1f} "
              f"{on[1] / off[1]:6.2f}  ≤ {goal}×")
    for engine in variants.values():
        engine.dispose()


if __name__ == "__main__":
    main()
