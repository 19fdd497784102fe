"""/remind, /reminders and /again through the whole core, as a user types them (account timezone Europe/Berlin;
the clock stands at Tuesday 2026-11-24 09:00 UTC)."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.models import Reminder, Task


def reminders(sessions) -> list[Reminder]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return list(session.scalars(select(Reminder).order_by(Reminder.kind)))


def test_none_by_default(chat) -> None:
    assert "You have no reminders" in chat.text("/reminders")


def test_remind_daily_on_weekdays_is_stored_with_its_next_instant_in_utc(chat, sessions) -> None:
    text = chat.text("/remind daily 18:00 weekdays")
    assert "at 18:00, Monday to Friday (Europe/Berlin)" in text
    assert "Next: 24 Nov 2026 18:00" in text
    [reminder] = reminders(sessions)
    assert (reminder.kind, reminder.local_time, reminder.weekdays) == ("daily", "18:00", "01234")
    assert (reminder.platform, reminder.chat_id) == ("local", "alice")
    assert reminder.next_due_at == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def test_remind_weekly_takes_the_day_and_time_in_either_order(chat, sessions) -> None:
    assert "Fridays" in chat.text("/remind weekly fri 16:00")
    assert reminders(sessions)[0].next_due_at == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    chat.text("/remind weekly 9am monday")
    [weekly] = reminders(sessions)  # replaced, not added
    assert (weekly.weekdays, weekly.local_time) == ("0", "09:00")
    assert weekly.next_due_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_list_off_and_on(chat, sessions, clock) -> None:
    chat.text("/remind daily 18:00")
    chat.text("/remind weekly fri 16:00")
    chat.text("/remind overdue")
    listing = chat.text("/reminders")
    assert "Daily nudge to log your work: 18:00, every day — next 24 Nov 2026 18:00" in listing
    assert "Weekly digest of unbilled work: 16:00, Fridays — next 27 Nov 2026 16:00" in listing
    assert "Overdue-invoice check: 09:00, every day — next 25 Nov 2026 09:00" in listing

    assert "Stopped: weekly digest" in chat.text("/remind off weekly")
    assert "Weekly digest of unbilled work: 16:00, Fridays — off" in chat.text("/reminders")
    assert "Stopped: daily nudge to log your work, overdue-invoice check" in chat.text("/remind off")
    assert all(r.paused for r in reminders(sessions))
    assert "nothing to stop" in chat.text("/remind off")

    clock.set("2026-11-28T12:00:00+00:00")
    resumed = chat.text("/remind on")
    assert "Weekly digest of unbilled work: 16:00, Fridays — next 4 Dec 2026 16:00" in resumed
    assert not any(r.paused for r in reminders(sessions))


def test_natural_variants(chat, sessions) -> None:
    chat.text("/remind daily at 7pm on weekdays")
    chat.text("/remind weekly on friday at 4pm")
    daily, weekly = reminders(sessions)
    assert (daily.local_time, daily.weekdays, weekly.local_time, weekly.weekdays) == ("19:00", "01234", "16:00", "4")
    assert "Stopped: weekly digest" in chat.text("/remind weekly off")
    assert [r.paused for r in reminders(sessions)] == [False, True]


@pytest.mark.parametrize(("text", "expected"), [
    ("/remind", "Use /remind daily 18:00"),
    ("/remind daily", "Give the time"),
    ("/remind daily 25:00", "“25:00” is not a time of day"),
    ("/remind daily 18:00 someday", "“someday” is not a day I know"),
    ("/remind weekly 16:00", "Give one day and a time"),
    ("/remind weekly fri", "Give one day and a time"),
    ("/remind hourly 10:00", "I can't set a “hourly” reminder"),
    ("/remind off monthly", "Use /remind off"),
    ("/remind on", "No reminder is paused"),
])
def test_bad_input_is_explained_and_changes_nothing(chat, sessions, text, expected) -> None:
    assert expected in chat.text(text)
    assert reminders(sessions) == []


def test_again_logs_yesterday_today_once_and_undo_takes_it_back(chat, sessions, clock) -> None:
    chat.text("/client add ACME rate 80")
    clock.set("2026-11-22T09:00:00+00:00")
    chat.text("1h call for ACME")
    clock.set("2026-11-24T09:00:00+00:00")
    chat.text("2h logo design for ACME yesterday")
    chat.text("€500 website for ACME yesterday")
    reply = chat.say("/again")
    assert reply.text.startswith("Logged again for 24 Nov 2026:")
    assert "2h ACME — logo design (€160.00)" in reply.text and "fixed price ACME — website (€500.00)" in reply.text
    assert "call" not in reply.text
    [undo] = reply.actions
    assert undo.label == "Undo" and undo.command.startswith("/again undo ")

    assert "already has the same entries" in chat.text("/again")  # a second tap logs nothing twice
    with sessions() as session:
        today = list(session.scalars(select(Task).where(Task.work_date == datetime(2026, 11, 24).date(),
                                                        Task.deleted_at.is_(None))))
    assert sorted((t.minutes or 0, t.fixed_amount_minor or 0) for t in today) == [(0, 50000), (120, 0)]

    assert chat.text(undo.command).startswith("Removed 2 repeated entries")
    assert "ACME — 3h, €740.00" in chat.text("/tasks")  # as before the repeat
    with sessions() as session:
        live = session.scalar(select(func.count()).select_from(Task).where(Task.deleted_at.is_(None)))
    assert live == 3


def test_again_with_nothing_to_repeat_or_a_future_day(chat) -> None:
    assert "Nothing was logged on 23 Nov 2026" in chat.text("/again")
    assert "still ahead" in chat.text("/again 2026-11-23 2026-11-30")
    assert "not a date" in chat.text("/again yesterday today")


def test_again_copies_only_the_callers_own_work(core, chat) -> None:
    from tests.conftest import Conversation

    bob = Conversation(core, user="bob")
    bob.text("/client add Globex rate 50")
    bob.text("3h audit for Globex yesterday")
    assert "Nothing was logged on 23 Nov 2026" in chat.text("/again")
