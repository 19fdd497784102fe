"""Reminders follow the rest of the product: issuing an invoice watches it, /tz moves them, groups stay private."""
from datetime import UTC, datetime

from sqlalchemy import select

from core.models import Reminder


def reminders_of(sessions) -> dict[str, Reminder]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return {r.kind: r for r in session.scalars(select(Reminder))}


def test_issuing_an_invoice_starts_the_overdue_watch(chat, sessions) -> None:
    chat.say("/profile set name Jane Doe Design")
    chat.say("/client add ACME rate 80")
    chat.say("2h logo design for ACME")
    assert "overdue" not in reminders_of(sessions)
    assert chat.invoice("/invoice ACME").text.startswith("Invoice INV-")
    watch = reminders_of(sessions)["overdue"]
    assert (watch.platform, watch.chat_id, watch.paused) == ("local", "alice", False)


def test_changing_the_timezone_moves_the_next_reminder(chat, sessions, clock) -> None:
    clock.set("2026-11-24T09:00:00+00:00")
    chat.say("/remind daily 18:00")
    assert reminders_of(sessions)["daily"].next_due_at == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    chat.say("/tz America/New_York")
    assert reminders_of(sessions)["daily"].next_due_at == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)


def test_a_reminder_set_in_a_group_goes_to_the_users_private_chat(core, sessions) -> None:
    from core.messages import Incoming

    reply = core.handle(Incoming(platform="telegram", user_id="4242", chat_id="-100777", text="/remind daily 18:00",
                                 is_private=False))
    assert reply is not None
    daily = reminders_of(sessions)["daily"]
    assert (daily.platform, daily.chat_id) == ("telegram", "4242")
