"""Reports: hours and amounts per client over a period of the user's calendar, billed and unbilled."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from core.errors import UserError
from core.models import Account, Task
from core.money import Money
from core.tasks import task_amount, task_currency

PERIODS = ("week", "month", "last month")


@dataclass
class ClientLine:
    client: str
    billed_minutes: int = 0
    unbilled_minutes: int = 0
    billed: dict[str, Money] = field(default_factory=dict)
    unbilled: dict[str, Money] = field(default_factory=dict)
    unpriced: int = 0
    """Tasks without a rate, so without an amount yet."""


@dataclass
class Report:
    title: str
    start: date
    end: date
    lines: list[ClientLine]


def period_bounds(period: str, today: date) -> tuple[str, date, date]:
    """(title, first day, last day) of ``week`` (Monday to today), ``month`` or ``last month``."""
    key = " ".join(period.lower().split()) or "week"
    if key in ("week", "this week"):
        start = today - timedelta(days=today.weekday())
        return "This week", start, today
    if key in ("month", "this month"):
        return "This month", today.replace(day=1), today
    if key in ("last month", "previous month"):
        end = today.replace(day=1) - timedelta(days=1)
        return "Last month", end.replace(day=1), end
    if key in ("last week", "previous week"):
        start = today - timedelta(days=today.weekday() + 7)
        return "Last week", start, start + timedelta(days=6)
    raise UserError(f"I can report on a week, a month or last month — not “{period}”. Try /report month.")


def build_report(session: Session, account: Account, period: str, today: date) -> Report:
    title, start, end = period_bounds(period, today)
    tasks = session.scalars(
        select(Task).options(joinedload(Task.client))
        .where(Task.account_id == account.id, Task.deleted_at.is_(None), Task.work_date.between(start, end))
        .order_by(Task.work_date)
    )
    by_client: dict[int, ClientLine] = {}
    for task in tasks:
        line = by_client.setdefault(task.client_id, ClientLine(task.client.name))
        billed = task.invoice_id is not None
        if task.minutes:
            if billed:
                line.billed_minutes += task.minutes
            else:
                line.unbilled_minutes += task.minutes
        amount = task_amount(task)
        if amount is None:
            line.unpriced += 1
            continue
        totals = line.billed if billed else line.unbilled
        currency = task_currency(task)
        totals[currency] = totals.get(currency, Money.zero(currency)) + amount
    lines = sorted(by_client.values(), key=lambda l: l.client.casefold())
    return Report(title, start, end, lines)

