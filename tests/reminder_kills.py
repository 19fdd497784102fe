"""Reminder workers killed with SIGKILL in the middle of a batch, for the test and for bench/probe_reminder_kills.py.

A worker is a real process running the scheduler's tick against the database; its notifier appends each chat id
to a file with one write() (what the kernel has, a kill can't take back), then waits a little, so a kill lands
between two messages. Each next worker runs a lease later, as the next cron tick would, and takes over what the
killed one left.

    python -m tests.reminder_kills worker DATABASE_URL NOW OUT_FILE DELAY_SECONDS
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DUE = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


@dataclass
class KillReport:
    reminders: int
    kills: int
    delivered: int
    repeated: int
    """Chats that got the message more than once."""
    lost: int
    marked_unsent: int
    """Reminders marked sent (moved on) without a delivery: the messages in flight when a worker died."""


def seed(sessions, count: int) -> None:  # type: ignore[no-untyped-def]
    from core.models import Account, Profile, Reminder
    from core.schedule import ALL_DAYS

    with sessions.begin() as session:
        accounts = [Account(timezone="Europe/Berlin", created_at=DUE, profile=Profile(locale="en_GB"))
                    for _ in range(count)]
        session.add_all(accounts)
        session.flush()
        session.add_all(Reminder(account_id=a.id, kind="daily", platform="local", chat_id=f"chat-{a.id}",
                                 local_time="18:00", weekdays=ALL_DAYS, next_due_at=DUE, created_at=DUE)
                        for a in accounts)


def start_worker(url: str, now: datetime, out: Path, delay: float) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.reminder_kills", "worker", url, now.isoformat(), str(out),
                             str(delay)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def lines(out: Path) -> list[str]:
    return out.read_text().split() if out.exists() else []


def kill_workers(url: str, sessions, out: Path, *, reminders: int, kills: int, sends_before_kill: int = 3,  # type: ignore[no-untyped-def]
                 timeout: float = 60) -> KillReport:
    """Seed ``reminders`` due reminders, kill ``kills`` workers each after it sent ``sends_before_kill`` more,
    then let one more worker finish; count what reached the chats."""
    from sqlalchemy import func, select

    from core.models import Reminder
    from core.reminders import LEASE

    seed(sessions, reminders)
    step = LEASE + timedelta(seconds=1)
    for n in range(kills):
        before = len(lines(out))
        worker = start_worker(url, DUE + n * step, out, delay=0.02)
        deadline = time.monotonic() + timeout
        while len(lines(out)) < before + sends_before_kill:  # the file is the worker's signal that it sent
            if worker.poll() is not None:  # it found nothing left to send
                assert worker.returncode == 0, worker.stderr.read().decode()[-2000:]
                break
            if time.monotonic() > deadline:
                worker.kill()
                raise AssertionError("worker sent nothing in time")
            time.sleep(0.005)
        worker.kill()  # SIGKILL: no handler, no cleanup
        worker.wait()
    last = start_worker(url, DUE + kills * step, out, delay=0)
    _, errors = last.communicate(timeout=timeout)
    assert last.returncode == 0, errors.decode()[-2000:]
    per_chat = Counter(lines(out))
    with sessions() as session:
        marked_unsent = session.scalar(select(func.count()).select_from(Reminder).where(
            Reminder.next_due_at > DUE, Reminder.chat_id.not_in(list(per_chat) or [""])))
    return KillReport(reminders=reminders, kills=kills, delivered=len(per_chat),
                      repeated=sum(1 for n in per_chat.values() if n > 1), lost=reminders - len(per_chat),
                      marked_unsent=marked_unsent or 0)


def _worker(url: str, now_text: str, out_path: str, delay: float) -> int:
    from bot.scheduler import tick
    from core.messages import Reply
    from core.storage import create_db_engine, session_factory

    fd = os.open(out_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    class FileNotifier:
        platform = "local"

        def send(self, chat_id: str, reply: Reply) -> None:
            os.write(fd, f"{chat_id}\n".encode())
            time.sleep(delay)

    engine = create_db_engine(url)
    tick(session_factory(engine), {"local": FileNotifier()}, datetime.fromisoformat(now_text))
    engine.dispose()
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "worker":
        raise SystemExit(_worker(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])))
    raise SystemExit(__doc__)
