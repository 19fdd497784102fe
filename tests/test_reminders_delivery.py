"""The scheduler's tick with an injected clock: what is sent, when, once; catch-up after downtime; DST nights;
delivery failures with backoff; blocked recipients; and what each kind of reminder says."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.scheduler import tick
from core.models import Identity, Invoice, Reminder
from core.notify import DeliveryError, RecipientBlocked
from core.reminders import claim_due, record_failure, reschedule, watch_overdue
from tests.conftest import Conversation
from tests.reminder_doubles import RecordingNotifier, book_invoice

UTC = UTC


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


@pytest.fixture
def local() -> RecordingNotifier:
    return RecordingNotifier("local")


def run(sessions, notifier: RecordingNotifier, iso: str, **more: RecordingNotifier):  # type: ignore[no-untyped-def]
    return tick(sessions, {notifier.platform: notifier, **{n.platform: n for n in more.values()}}, at(iso))


def reminder(sessions, kind: str = "daily") -> Reminder:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(Reminder).where(Reminder.kind == kind))


def account_id(sessions, user: str = "alice") -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(Identity.account_id).where(Identity.platform_user_id == user))


def test_a_due_nudge_is_sent_once_with_what_was_logged_today(chat, sessions, local) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("2h logo design for ACME")
    chat.text("/remind daily 18:00")
    assert run(sessions, local, "2026-11-24T16:59:59Z").sent == 0
    report = run(sessions, local, "2026-11-24T17:00:00Z")
    assert report.sent == 1
    [(chat_id, reply)] = local.sent
    assert chat_id == "alice"
    assert reply.text.startswith("Logged today (24 Nov 2026): 2h, €160.00\n• 2h ACME — logo design (€160.00)")
    assert run(sessions, local, "2026-11-24T17:00:00Z").sent == 0  # claimed: not again at the same instant
    assert run(sessions, local, "2026-11-24T23:00:00Z").sent == 0
    assert reminder(sessions).next_due_at == at("2026-11-25T17:00Z")
    assert reminder(sessions).last_sent_at == at("2026-11-24T17:00Z")


def test_an_empty_day_gets_a_nudge_whose_button_logs_yesterday_again(chat, sessions, local) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("3h backend for ACME yesterday")
    chat.text("/remind daily 18:00 weekdays")
    run(sessions, local, "2026-11-24T17:00Z")
    [(_, reply)] = local.sent
    assert reply.text.startswith("Nothing logged today (24 Nov 2026). What did you work on?")
    assert "3h ACME — backend (€240.00)" in reply.text
    [button] = reply.actions
    assert (button.label, button.command) == ("Same as yesterday", "/again 2026-11-23 2026-11-24")
    assert "#2 3h ACME — backend" in chat.text(button.command)
    assert "ACME — 6h, €480.00" in chat.text("/tasks")


def test_no_button_when_the_day_before_was_empty_too(chat, sessions, local) -> None:
    chat.text("/remind daily 18:00")
    run(sessions, local, "2026-11-24T17:00Z")
    [(_, reply)] = local.sent
    assert reply.actions == ()


def test_after_downtime_one_catch_up_message_not_one_per_missed_day(chat, sessions, local) -> None:
    chat.text("/remind daily 18:00")
    chat.text("/remind weekly fri 16:00")
    report = run(sessions, local, "2026-12-06T12:00Z")  # twelve days later, a Sunday
    assert report.sent == 2
    daily, weekly = local.texts()
    assert daily.startswith("Nothing logged on 5 Dec 2026.")  # the latest missed evening, named by its date
    assert weekly.startswith("Weekly digest")
    assert run(sessions, local, "2026-12-06T12:30Z").sent == 0
    assert reminder(sessions).next_due_at == at("2026-12-06T17:00Z")
    assert reminder(sessions, "weekly").next_due_at == at("2026-12-11T15:00Z")


def test_a_fall_back_night_sends_a_repeated_local_time_once(chat, sessions, local, clock) -> None:
    clock.set("2026-10-24T12:00:00+00:00")
    chat.text("/remind daily 02:30")
    instant = at("2026-10-24T22:00Z")
    while instant < at("2026-10-25T04:00Z"):
        tick(sessions, {"local": local}, instant)
        instant += timedelta(minutes=15)
    assert len(local.sent) == 1
    assert reminder(sessions).last_sent_at == at("2026-10-25T00:30Z")  # the first 02:30 (CEST)


def test_a_spring_forward_night_sends_a_skipped_local_time_when_the_clocks_jump(chat, sessions, local,
                                                                                clock) -> None:
    clock.set("2026-03-28T12:00:00+00:00")
    chat.text("/remind daily 02:30")
    instant = at("2026-03-28T22:00Z")
    while instant < at("2026-03-29T04:00Z"):
        tick(sessions, {"local": local}, instant)
        instant += timedelta(minutes=15)
    assert len(local.sent) == 1
    assert reminder(sessions).last_sent_at == at("2026-03-29T01:00Z")  # 03:00 CEST, the first valid instant
    assert reminder(sessions).next_due_at == at("2026-03-30T00:30Z")


def test_east_and_west_of_utc_each_user_gets_their_own_evening(core, sessions, local, clock) -> None:
    clock.set("2026-11-23T12:00:00+00:00")
    tokyo, la = Conversation(core, user="kenji"), Conversation(core, user="lena")
    tokyo.text("/tz Asia/Tokyo")
    tokyo.text("/remind daily 18:00")
    la.text("/tz America/Los_Angeles")
    la.text("/remind daily 18:00")
    sent_at: dict[str, datetime] = {}
    instant = at("2026-11-24T00:00Z")
    while instant < at("2026-11-25T12:00Z"):
        before = len(local.sent)
        tick(sessions, {"local": local}, instant)
        for chat_id, _ in local.sent[before:]:
            sent_at.setdefault(chat_id, instant)
        instant += timedelta(minutes=30)
    assert sent_at == {"lena": at("2026-11-24T02:00Z"), "kenji": at("2026-11-24T09:00Z")}  # 18:00 each


def test_delivery_failures_back_off_and_the_regular_time_is_kept(chat, sessions, local) -> None:
    chat.text("/remind daily 18:00")
    local.fail_with = [DeliveryError("timeout"), DeliveryError("502"), DeliveryError("reset")]
    assert run(sessions, local, "2026-11-24T17:00Z").failed == 1
    assert reminder(sessions).next_due_at == at("2026-11-24T17:01Z")
    assert run(sessions, local, "2026-11-24T17:00:30Z").sent == 0  # not before its retry time
    assert run(sessions, local, "2026-11-24T17:01Z").failed == 1
    assert reminder(sessions).next_due_at == at("2026-11-24T17:06Z")
    assert run(sessions, local, "2026-11-24T17:06Z").failed == 1
    assert reminder(sessions).next_due_at == at("2026-11-24T17:36Z")
    assert reminder(sessions).failures == 3
    assert run(sessions, local, "2026-11-24T17:36Z").sent == 1
    assert local.texts()[0].startswith("Nothing logged today (24 Nov 2026)")
    assert (reminder(sessions).next_due_at, reminder(sessions).failures) == (at("2026-11-25T17:00Z"), 0)


def test_a_retry_never_pushes_past_the_next_regular_time(chat, sessions, local) -> None:
    chat.text("/remind daily 18:00")
    with sessions.begin() as session:  # a retry left over from a long streak of failures
        session.execute(update(Reminder).values(next_due_at=at("2026-11-25T16:45Z"), failures=7))
    local.fail_with = [DeliveryError("still down")]
    run(sessions, local, "2026-11-25T16:45Z")
    assert reminder(sessions).next_due_at == at("2026-11-25T17:00Z")  # not 17:45 (the hour's backoff)


def test_an_unexpected_notifier_error_is_retried_like_a_delivery_error(chat, sessions, local) -> None:
    chat.text("/remind daily 18:00")
    local.fail_with = [RuntimeError("adapter bug")]
    assert run(sessions, local, "2026-11-24T17:00Z").failed == 1
    assert reminder(sessions).next_due_at == at("2026-11-24T17:01Z")


def test_a_blocked_user_has_their_reminders_paused_until_they_resume(chat, sessions, local) -> None:
    chat.text("/remind daily 18:00")
    chat.text("/remind weekly tue 18:00")
    local.fail_with = [RecipientBlocked("Forbidden: bot was blocked by the user")]
    report = run(sessions, local, "2026-11-24T17:00Z")
    assert (report.paused, report.sent) == (2, 0)  # the weekly one, due too, was not sent into the block
    for kind in ("daily", "weekly"):
        paused = reminder(sessions, kind)
        assert paused.paused and paused.pause_reason.startswith("blocked: Forbidden")
    assert "paused: I couldn't reach you" in chat.text("/reminders")
    assert run(sessions, local, "2026-12-01T17:00Z").sent == 0  # not retried, however long
    chat.text("/remind on")
    assert run(sessions, local, "2026-12-01T17:00Z").sent == 2


def test_reminders_wait_for_a_worker_that_can_reach_their_platform(core, sessions, local) -> None:
    Conversation(core, user="42", platform="telegram").text("/remind daily 18:00")
    telegram = RecordingNotifier("telegram")
    assert run(sessions, local, "2026-11-24T17:00Z").sent == 0
    assert reminder(sessions).next_due_at == at("2026-11-24T17:00Z")  # untouched, not lost
    assert run(sessions, local, "2026-11-24T17:05Z", telegram=telegram).sent == 1
    assert telegram.sent[0][0] == "42" and local.sent == []


def test_a_change_made_while_a_message_is_in_flight_is_not_overwritten(chat, sessions) -> None:
    chat.text("/remind daily 18:00")
    with sessions.begin() as session:
        [claim] = claim_due(session, at("2026-11-24T17:00Z"), {"local"}, owner="w")
    chat.text("/remind daily 20:00")  # the user changes it before the delivery fails
    with sessions.begin() as session:
        record_failure(session, claim, at("2026-11-24T17:00Z"))
    assert reminder(sessions).next_due_at == at("2026-11-24T19:00Z")
    assert reminder(sessions).failures == 0


def test_the_weekly_digest_lists_unbilled_work_per_client_with_the_invoice_to_send(chat, sessions, local,
                                                                                    clock) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("/client add Globex")
    clock.set("2026-11-16T10:00:00+00:00")
    chat.text("2h design for ACME")
    clock.set("2026-11-18T10:00:00+00:00")
    chat.text("1h support for Globex")
    chat.text("€300 hosting for Globex")
    clock.set("2026-11-24T10:00:00+00:00")
    chat.text("1.5h review for ACME")
    chat.text("/remind weekly fri 16:00")
    run(sessions, local, "2026-11-27T15:00Z")
    [(_, reply)] = local.sent
    assert reply.text.splitlines() == [
        "Weekly digest — unbilled work:",
        "• ACME: 3h 30m, €280.00, since 16 Nov 2026 → /invoice ACME",
        "• Globex: 1h, €300.00, 1 without a rate, since 18 Nov 2026 → /invoice Globex",
        "Total: €580.00",
    ]
    assert [(a.label, a.command) for a in reply.actions] == [("Invoice ACME", "/invoice ACME"),
                                                            ("Invoice Globex", "/invoice Globex")]


def test_overdue_notice_when_the_due_date_passes_then_weekly_until_paid(chat, sessions, local, clock) -> None:
    chat.text("/client add ACME rate 80")
    owner = account_id(sessions)
    with sessions.begin() as session:
        from core.models import Account

        watch_overdue(session, session.get(Account, owner), "local", "alice", clock())
    first = book_invoice(sessions, owner, "ACME", "INV-2026-0001", 120000, date(2026, 11, 24), clock())
    days: dict[str, str] = {}
    for day in range(24, 24 + 17):  # every morning at 09:00 Berlin, 24 Nov – 10 Dec
        morning = datetime(2026, 11, 1, 8, 0, tzinfo=UTC) + timedelta(days=day - 1)
        if morning.date() == date(2026, 12, 3):
            book_invoice(sessions, owner, "ACME", "INV-2026-0002", 5000, date(2026, 12, 3), morning)
        if morning.date() == date(2026, 12, 8):
            with sessions.begin() as session:
                session.execute(update(Invoice).values(status="paid"))
        before = len(local.sent)
        tick(sessions, {"local": local}, morning)
        if len(local.sent) > before:
            days[morning.date().isoformat()] = local.sent[-1][1].text
    assert list(days) == ["2026-11-25", "2026-12-02", "2026-12-04"]
    assert days["2026-11-25"].splitlines()[:2] == [
        "Overdue invoice:", "• INV-2026-0001 to ACME — €1,200.00, due 24 Nov 2026 (1 day ago)"]
    assert "(8 days ago)" in days["2026-12-02"]
    assert "Overdue invoices:" in days["2026-12-04"] and "INV-2026-0002" in days["2026-12-04"]
    assert first and local.sent[0][1].actions[0].command == "/paid INV-2026-0001"


def test_watching_overdue_invoices_keeps_a_check_the_user_turned_off(chat, sessions, clock) -> None:
    chat.text("/remind overdue")
    chat.text("/remind off overdue")
    with sessions.begin() as session:
        from core.models import Account

        watch_overdue(session, session.get(Account, account_id(sessions)), "local", "alice", clock())
    assert reminder(sessions, "overdue").paused


def test_a_timezone_change_moves_the_next_instants_to_the_new_local_time(chat, sessions, clock) -> None:
    chat.text("/remind daily 18:00")
    chat.text("/tz Asia/Tokyo")
    with sessions.begin() as session:
        from core.models import Account

        reschedule(session, session.get(Account, account_id(sessions)), clock())
    assert reminder(sessions).next_due_at == at("2026-11-25T09:00Z")  # 18:00 in Tokyo, after 09:00 UTC today
