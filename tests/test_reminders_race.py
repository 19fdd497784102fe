"""Several workers racing for the same due reminders: each is claimed, and sent, by exactly one of them.

Each worker is a thread with its own connections from the pool, so the database sees concurrent transactions
(PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE queues them)."""
import threading
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.scheduler import tick
from core.models import Account, Profile, Reminder
from core.reminders import claim_due, mark_sending
from core.schedule import ALL_DAYS
from tests.reminder_doubles import RecordingNotifier

DUE = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
WORKERS = 6


def seed(sessions, count: int) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        accounts = [Account(timezone="Europe/Berlin", created_at=DUE, profile=Profile(locale="en_GB"))
                    for _ in range(count)]
        session.add_all(accounts)
        session.flush()
        session.add_all(Reminder(account_id=a.id, kind="daily", platform="local", chat_id=f"chat-{a.id}",
                                 local_time="18:00", weekdays=ALL_DAYS, next_due_at=DUE, created_at=DUE)
                        for a in accounts)


def race(work) -> list:  # type: ignore[no-untyped-def,type-arg]
    start = threading.Barrier(WORKERS)
    results: list = [None] * WORKERS  # type: ignore[type-arg]
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            start.wait()
            results[n] = work()
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def test_racing_claims_take_each_due_reminder_exactly_once(sessions, db_kind) -> None:
    seed(sessions, 240)

    def claim_until_none() -> list[int]:
        taken: list[int] = []
        while True:
            with sessions.begin() as session:
                claims = claim_due(session, DUE, {"local"}, limit=5, owner="w")
                for claim in claims:
                    assert mark_sending(session, claim)
            if not claims:
                return taken
            taken += [c.reminder_id for c in claims]

    per_worker = race(claim_until_none)
    taken = [rid for ids in per_worker for rid in ids]
    assert len(taken) == 240 and len(set(taken)) == 240
    if db_kind == "postgresql":
        assert sum(1 for ids in per_worker if ids) >= 2  # they really ran side by side
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Reminder).where(Reminder.next_due_at <= DUE)) == 0


def test_racing_ticks_send_every_message_once(sessions) -> None:
    seed(sessions, 120)
    notifier = RecordingNotifier("local")
    reports = race(lambda: tick(sessions, {"local": notifier}, DUE, batch=4))
    per_chat = Counter(chat_id for chat_id, _ in notifier.sent)
    assert len(per_chat) == 120 and set(per_chat.values()) == {1}
    assert sum(r.sent for r in reports) == 120
    with sessions() as session:
        sent = session.scalar(select(func.count()).select_from(Reminder).where(Reminder.last_sent_at == DUE))
    assert sent == 120
