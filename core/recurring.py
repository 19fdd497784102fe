"""Retainers (/recurring): a fixed-price invoice to one client, issued by the scheduler on a schedule in the user's
timezone — every month on a day (past a month's end: its last day) or every week on a weekday.

Each period is billed once. The scheduler takes one due retainer at a time with a row lock (PostgreSQL: ``FOR
UPDATE SKIP LOCKED``, so racing workers take different rows; SQLite: ``BEGIN IMMEDIATE`` queues them) and, in that
same transaction, issues its invoice and moves it on to the next period: a second worker either skips the locked
row or finds it no longer due. After downtime every missed period is billed, one invoice each, oldest first.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.encryption import Cipher
from core.errors import UserError
from core.i18n import _
from core.invoices import issue_invoice
from core.journal import record_change
from core.mail import queue_invoice_mail
from core.models import Account, Client, Invoice, RecurringInvoice, Task
from core.money import Money
from core.schedule import ALL_DAYS, Rule, occurrence_on
from core.tasks import next_task_number

PERIODS = ("monthly", "weekly")
ISSUE_TIME = time(9, 0)
"""When, on its day, a retainer's invoice is issued (the user's local time)."""
RETRY = (timedelta(hours=1), timedelta(hours=6), timedelta(days=1))
"""Waits after the 1st, 2nd, 3rd and every later attempt in a row that could not issue."""
MAX_ACTIVE = 100
"""Retainers one account may have running at once."""


# The schedule.


def day_in_month(day: int, year: int, month: int) -> date:
    """Day ``day`` of that month; a day past the month's end is its last day (31 → 30 Nov, 28 or 29 Feb)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def first_on(period: str, day: int, today: date) -> date:
    """The first billing date on or after ``today``."""
    if period == "weekly":
        return today + timedelta(days=(day - today.weekday()) % 7)
    candidate = day_in_month(day, today.year, today.month)
    return candidate if candidate >= today else _next_month(day, today)


def following(period: str, day: int, on: date) -> date:
    """The billing date after ``on``."""
    if period == "weekly":
        return on + timedelta(days=7)
    return _next_month(day, on)


def _next_month(day: int, on: date) -> date:
    year, month = (on.year + 1, 1) if on.month == 12 else (on.year, on.month + 1)
    return day_in_month(day, year, month)


def due_instant(on: date, tz: ZoneInfo) -> datetime:
    """The UTC instant a retainer billed on local date ``on`` is issued (a time skipped by a clock change: the
    moment the clocks jump)."""
    return occurrence_on(Rule(ISSUE_TIME, ALL_DAYS, tz), on)


# The user's side.


def add_recurring(session: Session, account: Account, client: Client, period: str, day: int, amount: Money,
                  description: str, send: bool, platform: str, chat_id: str, now: datetime) -> RecurringInvoice:
    running = session.scalar(select(func.count()).select_from(RecurringInvoice)
                             .where(RecurringInvoice.account_id == account.id, RecurringInvoice.active.is_(True)))
    if running and running >= MAX_ACTIVE:
        raise UserError(_("You have {limit} retainers running, the most I keep. Stop one with /recurring off ID "
                          "first.").format(limit=MAX_ACTIVE))
    tz = ZoneInfo(account.timezone)
    on = first_on(period, day, now.astimezone(tz).date())  # today, when it is the day: issued by the next tick
    last = session.scalar(select(func.max(RecurringInvoice.number)).where(RecurringInvoice.account_id == account.id))
    row = RecurringInvoice(account_id=account.id, number=(last or 0) + 1, client_id=client.id, period=period,
                           day=day, amount_minor=amount.to_minor(), currency=amount.currency,
                           description=description, send=send, platform=platform, chat_id=chat_id, next_on=on,
                           next_due_at=due_instant(on, tz), active=True, failures=0, created_at=now)
    row.client = client
    session.add(row)
    session.flush()
    record_change(session, account, "recurring.add", now, row.id)
    return row


def list_recurring(session: Session, account: Account) -> list[RecurringInvoice]:
    return list(session.scalars(select(RecurringInvoice).where(RecurringInvoice.account_id == account.id,
                                                               RecurringInvoice.active.is_(True))
                                .order_by(RecurringInvoice.number)))


def find_recurring(session: Session, account: Account, number: int) -> RecurringInvoice:
    row = session.scalar(select(RecurringInvoice).where(RecurringInvoice.account_id == account.id,
                                                        RecurringInvoice.number == number))
    if row is None or not row.active:
        raise UserError(_("There is no running retainer #{id}. /recurring lists yours with their IDs.").format(
            id=number))
    return row


def turn_off(session: Session, account: Account, row: RecurringInvoice, now: datetime) -> None:
    record_change(session, account, "recurring.off", now, row.id)
    row.active = False
    row.cancelled_at = now


def turn_on_again(session: Session, account: Account, row: RecurringInvoice) -> None:
    """/undo of /recurring off: it runs again from the period it had reached (a missed one is billed at once)."""
    row.active = True
    row.cancelled_at = None


def amount_of(row: RecurringInvoice) -> Money:
    return Money.from_minor(row.amount_minor, row.currency)


# The scheduler's side.


@dataclass(frozen=True)
class Issued:
    """One retainer invoice issued: where to announce it, and the invoice."""

    recurring_id: int
    number: int
    account_id: int
    platform: str
    chat_id: str
    invoice_id: int
    period_on: date
    emailed_to: str | None = None
    """The client's address its e-mail was queued to (a retainer added with ``send``)."""


class NotIssued(Exception):
    """A due retainer could not be issued (the reason is the UserError it raised, or an unexpected error)."""

    def __init__(self, recurring_id: int, due_at: datetime, reason: Exception) -> None:
        super().__init__(str(reason))
        self.recurring_id = recurring_id
        self.due_at = due_at
        self.reason = reason


def issue_next_due(session: Session, cipher: Cipher, now: datetime, platforms: frozenset[str],
                   skip: frozenset[int] = frozenset(), mail_from: str | None = None) -> Issued | None:
    """Issue the invoice of the retainer due longest ago (one period), locked for this transaction, and move it on
    to its next period; None when nothing is due. A refusal raises :class:`NotIssued` (the caller rolls back and
    records it with :func:`record_not_issued`). A retainer added with ``send`` queues the invoice's e-mail in the
    same transaction (From ``mail_from``, else the profile's address); the mailer sends it after the commit."""
    query = (select(RecurringInvoice)
             .where(RecurringInvoice.active == True, RecurringInvoice.next_due_at <= now,  # noqa: E712
                    RecurringInvoice.platform.in_(sorted(platforms)))
             .order_by(RecurringInvoice.next_due_at, RecurringInvoice.id).limit(1)
             .with_for_update(skip_locked=True).execution_options(populate_existing=True))
    if skip:
        query = query.where(RecurringInvoice.id.not_in(sorted(skip)))
    row = session.scalar(query)
    if row is None:
        return None
    due_at = row.next_due_at
    try:
        invoice = _issue(session, row, cipher, now, mail_from)
    except Exception as exc:
        raise NotIssued(row.id, due_at, exc) from exc
    return Issued(row.id, row.number, row.account_id, row.platform, row.chat_id, invoice.id,
                  invoice.lines[0].work_date if invoice.lines else row.next_on,
                  invoice.client.email if row.send else None)


def _issue(session: Session, row: RecurringInvoice, cipher: Cipher, now: datetime,
           mail_from: str | None = None) -> Invoice:
    account = session.get(Account, row.account_id)
    assert account is not None
    tz = ZoneInfo(account.timezone)
    period_on = row.next_on
    task = Task(account_id=account.id, number=next_task_number(session, account), client_id=row.client_id,
                work_date=period_on, minutes=None, fixed_amount_minor=row.amount_minor, fixed_currency=row.currency,
                rate=None, description=row.description, created_at=now)
    session.add(task)
    session.flush()
    invoice = issue_invoice(session, account, row.client, cipher, now, now.astimezone(tz).date(), only=[task.id],
                            journal=False, reach=(row.platform, row.chat_id))
    if row.send:  # a client without an address by now: refused like any other gap, retried, the user told once
        queue_invoice_mail(session, account, invoice, now, mail_from=mail_from)
    row.last_invoice_id = invoice.id
    row.next_on = following(row.period, row.day, period_on)
    row.next_due_at = due_instant(row.next_on, tz)
    row.failures = 0
    session.flush()
    session.refresh(invoice)
    return invoice


def record_not_issued(session: Session, recurring_id: int, due_at: datetime, now: datetime) -> int | None:
    """Retry a retainer that could not issue after a growing wait; returns how many attempts in a row failed
    before this one (0: the first, when the user is told), or None when it changed meanwhile."""
    row = session.get(RecurringInvoice, recurring_id, with_for_update=True)
    if row is None or not row.active or row.next_due_at != due_at:
        return None
    failures = row.failures
    row.next_due_at = now + RETRY[min(failures, len(RETRY) - 1)]
    row.failures = failures + 1
    return failures
