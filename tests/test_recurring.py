"""Retainers (/recurring): a fixed-price invoice issued on schedule in the user's timezone, once per period — across
month ends, daylight-saving changes and downtime, with racing workers — and announced with its PDF in the user's
private chat (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.retainers import issue_due
from bot.wiring import build_core
from core.mail import MailSetup
from core.mailer import Mailer
from core.models import Email, Invoice, RecurringInvoice
from core.recurring import due_instant, first_on, following
from core.smtp import SmtpTransport, parse_smtp_url
from tests.conftest import SELLER_PROFILE, Conversation
from tests.mail_server import smtp_server
from tests.reminder_doubles import RecordingNotifier

BERLIN = ZoneInfo("Europe/Berlin")


def _books(chat: Conversation) -> None:
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client set ACME country DE"):
        chat.text(line)


def _tick(core, notifier: RecordingNotifier, now: datetime):  # type: ignore[no-untyped-def]
    return issue_due(core.sessions, core.cipher, {"local": notifier}, now)


def _invoices(sessions) -> list[tuple[str, date, int]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [(i.number, i.lines[0].work_date, i.total_minor)
                for i in session.scalars(select(Invoice).where(Invoice.kind == "invoice").order_by(Invoice.id))]


# The schedule.


def test_a_day_past_the_months_end_is_its_last_day() -> None:
    days = [date(2026, 12, 31)]
    for _ in range(5):
        days.append(following("monthly", 31, days[-1]))
    assert days == [date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30),
                    date(2027, 5, 31)]
    assert following("monthly", 30, date(2028, 1, 30)) == date(2028, 2, 29)  # a leap year
    assert following("monthly", 30, date(2028, 2, 29)) == date(2028, 3, 30)  # back to the 30th, not the 29th
    assert first_on("monthly", 31, date(2027, 2, 10)) == date(2027, 2, 28)
    assert first_on("monthly", 5, date(2026, 12, 5)) == date(2026, 12, 5)  # today counts
    assert first_on("monthly", 4, date(2026, 12, 5)) == date(2027, 1, 4)


def test_weekly_dates_and_the_issuing_time_across_daylight_saving_changes() -> None:
    assert first_on("weekly", 4, date(2026, 12, 4)) == date(2026, 12, 4)  # a Friday: today
    assert first_on("weekly", 0, date(2026, 12, 4)) == date(2026, 12, 7)
    assert following("weekly", 6, date(2027, 3, 21)) == date(2027, 3, 28)
    # 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer (clocks go forward on 28 March 2027).
    assert due_instant(date(2027, 3, 21), BERLIN) == datetime(2027, 3, 21, 8, 0, tzinfo=UTC)
    assert due_instant(date(2027, 3, 28), BERLIN) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    assert due_instant(date(2027, 10, 31), BERLIN) == datetime(2027, 10, 31, 8, 0, tzinfo=UTC)


# The commands.


def test_add_list_and_stop_a_retainer(chat, clock) -> None:
    _books(chat)
    clock.set("2026-12-04T10:00:00+00:00")
    added = chat.text("/recurring ACME monthly 31 500 website care")
    assert added.splitlines() == [
        "Retainer #1: ACME, €500.00 every month on day 31 for “website care”.",
        "First invoice on 31 Dec 2026, at 09:00 your time (Europe/Berlin); I'll send it to you in our private chat. "
        "/recurring off 1 stops it.",
        "In a month without day 31, it is issued on the month's last day."]
    assert chat.text("/recurring ACME weekly fri €120 support").startswith(
        "Retainer #2: ACME, €120.00 every week on Fridays for “support”.")
    listed = chat.text("/recurring").splitlines()
    assert listed == ["Your retainers:",
                      "#1 ACME, €500.00 every month on day 31 for “website care”; next 31 Dec 2026",
                      "#2 ACME, €120.00 every week on Fridays for “support”; next 4 Dec 2026",
                      "/recurring off ID stops one."]
    assert chat.text("/recurring off 2") == "Stopped retainer #2 (ACME); invoices already issued stay as they are."
    assert "#2" not in chat.text("/recurring")
    assert chat.text("/recurring off 2") == "There is no running retainer #2. /recurring lists yours with their IDs."
    assert chat.text("/undo").startswith("Took back stopping retainer #2")
    assert "#2 ACME" in chat.text("/recurring")
    assert chat.text("/undo").startswith("Took back adding retainer #2")
    assert "#2" not in chat.text("/recurring")


def test_bad_input_says_how_and_adds_nothing(chat, sessions) -> None:
    _books(chat)
    cases = {
        "/recurring ACME yearly 1 500 x": "Use /recurring CLIENT monthly DAY AMOUNT WHAT",
        "/recurring ACME monthly 32 500 care": "“32” is not a day of the month. Give 1 to 31",
        "/recurring ACME monthly 0 500 care": "“0” is not a day of the month.",
        "/recurring ACME weekly funday 500 care": "“funday” is not a weekday.",
        "/recurring ACME monthly 1 lots care": "Give the amount in EUR after the day",
        "/recurring ACME monthly 1 500": "What is it for? It is the line on the invoice",
        "/recurring ACME monthly 1 0 care": "A retainer's amount must be more than zero.",
        "/recurring ACME monthly 1 $500 care": "",  # another currency than the client's: refused by the money rules
        "/recurring ACME monthly": "Which day?",
        "/recurring Nobody monthly 1 500 care": "I don't know a client called “Nobody”",
        "/recurring off x": "Use /recurring off ID",
        "/recurring ACME monthly 1 500 care send": "E-mail isn't set up on this bot",
    }
    for command, expected in cases.items():
        reply = chat.text(command)
        assert reply.startswith(expected) and not reply.startswith("Retainer #"), (command, reply)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(RecurringInvoice)) == 0


# Issuing.


def test_issued_once_on_its_day_and_announced_with_the_pdf(core, chat, clock) -> None:
    _books(chat)
    clock.set("2026-12-04T10:00:00+00:00")
    chat.text("/recurring ACME monthly 31 500 website care")
    notifier = RecordingNotifier()
    assert _tick(core, notifier, datetime(2026, 12, 31, 7, 59, tzinfo=UTC)).issued == 0  # 08:59 in Berlin
    report = _tick(core, notifier, datetime(2026, 12, 31, 8, 0, tzinfo=UTC))
    assert report.issued == 1
    [(chat_id, reply)] = notifier.sent
    assert chat_id == "alice"
    assert reply.text.startswith("Retainer #1: invoice INV-2026-0001 for ACME (31 Dec 2026), total €500.00, due ")
    assert reply.document is not None and reply.document.filename == "INV-2026-0001.pdf"
    assert reply.document.content.startswith(b"%PDF")
    assert _tick(core, notifier, datetime(2026, 12, 31, 8, 0, tzinfo=UTC)).issued == 0
    assert _tick(core, notifier, datetime(2027, 1, 30, 12, 0, tzinfo=UTC)).issued == 0
    assert _invoices(core.sessions) == [("INV-2026-0001", date(2026, 12, 31), 50000)]
    clock.set("2027-01-02T10:00:00+00:00")
    assert "INV-2026-0001 · ACME" in chat.text("/invoices")
    assert chat.text("/tasks ACME").startswith("No unbilled work for ACME.")  # the retainer bills only itself
    assert "next 31 Jan 2027" in chat.text("/recurring")


def test_after_downtime_each_missed_period_is_billed_once(core, chat, clock) -> None:
    _books(chat)
    clock.set("2026-12-04T10:00:00+00:00")
    chat.text("/recurring ACME monthly 31 500 website care")
    chat.text("2h unrelated work for ACME")
    notifier = RecordingNotifier()
    report = _tick(core, notifier, datetime(2027, 4, 2, 12, 0, tzinfo=UTC))  # down since December
    assert report.issued == 4
    assert [(work_date, total) for _n, work_date, total in _invoices(core.sessions)] == [
        (date(2026, 12, 31), 50000), (date(2027, 1, 31), 50000), (date(2027, 2, 28), 50000),
        (date(2027, 3, 31), 50000)]
    assert len(notifier.sent) == 4
    assert _tick(core, notifier, datetime(2027, 4, 2, 12, 0, tzinfo=UTC)).issued == 0
    clock.set("2027-04-02T12:00:00+00:00")
    assert "unrelated work" in chat.text("/tasks ACME")  # other work stays unbilled
    assert "next 30 Apr 2027" in chat.text("/recurring")


def test_weekly_across_the_spring_clock_change(core, chat, clock) -> None:
    _books(chat)
    clock.set("2027-03-15T10:00:00+00:00")  # a Monday
    chat.text("/recurring ACME weekly sun 100 support")
    notifier = RecordingNotifier()
    assert _tick(core, notifier, datetime(2027, 3, 21, 8, 0, tzinfo=UTC)).issued == 1  # 09:00 CET
    assert _tick(core, notifier, datetime(2027, 3, 28, 6, 59, tzinfo=UTC)).issued == 0  # 08:59 CEST
    assert _tick(core, notifier, datetime(2027, 3, 28, 7, 0, tzinfo=UTC)).issued == 1  # 09:00 CEST
    assert [d for _n, d, _t in _invoices(core.sessions)] == [date(2027, 3, 21), date(2027, 3, 28)]


def test_a_retainer_that_cannot_be_issued_says_why_once_and_retries(core, chat, clock) -> None:
    chat.text("/client add ACME rate 80")
    clock.set("2026-12-04T10:00:00+00:00")
    chat.text("/recurring ACME monthly 5 500 website care")
    notifier = RecordingNotifier()
    due = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    assert _tick(core, notifier, due).refused == 1
    [(_chat, reply)] = notifier.sent
    assert reply.text.startswith("I couldn't issue the invoice of retainer #1 for ACME: An invoice needs your "
                                 "business name first")
    assert _tick(core, notifier, due + timedelta(minutes=30)).refused == 0  # not before the retry
    assert _tick(core, notifier, due + timedelta(hours=1)).refused == 1
    assert len(notifier.sent) == 1  # said once
    for line in SELLER_PROFILE:
        chat.text(line)
    chat.text("/client set ACME country DE")
    assert _tick(core, notifier, due + timedelta(hours=8)).issued == 1
    assert [d for _n, d, _t in _invoices(core.sessions)] == [date(2026, 12, 5)]


def test_racing_workers_issue_each_period_once(core, chat, clock) -> None:
    _books(chat)
    clock.set("2026-11-01T10:00:00+00:00")  # 11:00 in Berlin: 1 Nov is today, and due
    chat.text("/recurring ACME monthly 1 500 website care")
    chat.text("/recurring ACME weekly mon 100 support")
    notifier = RecordingNotifier()
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    workers = 3
    start = threading.Barrier(workers)
    errors: list[BaseException] = []
    issued: list[int] = [0] * workers

    def worker(n: int) -> None:
        try:
            start.wait()
            issued[n] = _tick(core, notifier, now).issued
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    invoices = _invoices(core.sessions)
    monthly = [d for _n, d, total in invoices if total == 50000]
    weekly = [d for _n, d, total in invoices if total == 10000]
    assert monthly == [date(2026, 11, 1), date(2026, 12, 1)]
    assert weekly == [date(2026, 11, 2) + timedelta(weeks=n) for n in range(5)]  # 2 Nov to 30 Nov
    assert sum(issued) == len(invoices) == 7 == len(notifier.sent)
    assert len({number for number, _d, _t in invoices}) == 7


# E-mailed with send, against a real SMTP server on 127.0.0.1.


def test_a_retainer_with_send_emails_each_invoice_once(sessions, cipher, clock) -> None:
    with smtp_server() as server:
        mailer = Mailer(sessions, cipher, clock, SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{server.port}?tls=off")),
                        setup=MailSetup(server=f"127.0.0.1:{server.port}", mail_from=None))
        core = build_core(sessions, cipher, clock, default_tz="Europe/Berlin", mailer=mailer)
        chat = Conversation(core)
        _books(chat)
        clock.set("2026-12-04T10:00:00+00:00")
        assert chat.text("/recurring ACME monthly 31 500 website care send").startswith(
            "ACME has no e-mail address, so its retainer invoices can't be e-mailed")
        chat.text("/client set ACME email billing@acme.example")
        refused = chat.text("/recurring ACME monthly 31 500 website care send")
        assert refused.startswith("E-mail needs your own address to send from")
        chat.text("/profile set email jane@doe.example")
        added = chat.text("/recurring ACME monthly 31 500 website care send")
        assert "Each invoice is e-mailed to billing@acme.example too." in added
        notifier = RecordingNotifier()
        due = datetime(2026, 12, 31, 8, 0, tzinfo=UTC)
        assert issue_due(sessions, cipher, {"local": notifier}, due).issued == 1
        assert issue_due(sessions, cipher, {"local": notifier}, due).issued == 0  # a second worker: nothing more
        [(_chat, announced)] = notifier.sent
        assert "I'm e-mailing it to billing@acme.example too." in announced.text
        clock.set("2026-12-31T08:00:00+00:00")  # run / run-once send what is due after the retainers, each tick
        assert mailer.deliver_due().sent == 1
        assert mailer.deliver_due().sent == 0
        [received] = server.handler.wait_for(1)
        assert received.recipients == ["billing@acme.example"]
        assert received.message["Subject"] == "Invoice INV-2026-0001 from Jane Doe Design"
        [attachment] = list(received.message.iter_attachments())
        assert attachment.get_filename() == "INV-2026-0001.pdf"
        assert attachment.get_content().startswith(b"%PDF")
        with sessions() as session:
            [email] = session.scalars(select(Email)).all()
            assert (email.status, email.recipient) == ("sent", "billing@acme.example")
