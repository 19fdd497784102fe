"""Reports: hours and amounts per client over a period of the user's calendar, billed and unbilled."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from core.errors import UserError
from core.i18n import N_, _
from core.models import Account, Invoice, InvoiceLine, Task
from core.money import Money
from core.tasks import is_fixed_price, task_amount

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
    """(title, first day, last day) of ``week`` (Monday to today), ``month`` or ``last month``; the title is
    marked for translation, and translated where it is shown."""
    key = " ".join(period.lower().split()) or "week"
    if key in ("week", "this week"):
        start = today - timedelta(days=today.weekday())
        return N_("This week"), start, today
    if key in ("month", "this month"):
        return N_("This month"), today.replace(day=1), today
    if key in ("last month", "previous month"):
        end = today.replace(day=1) - timedelta(days=1)
        return N_("Last month"), end.replace(day=1), end
    if key in ("last week", "previous week"):
        start = today - timedelta(days=today.weekday() + 7)
        return N_("Last week"), start, start + timedelta(days=6)
    raise UserError(_("I can report on a week, a month or last month — not “{period}”. Try /report month.").format(
        period=period))


def _invoiced_amounts(session: Session, invoice_ids: set[int]) -> dict[tuple[int, int], Money]:
    """What billed tasks were invoiced at, from the invoices' line snapshots (a later rate change doesn't alter
    what was billed), keyed by (invoice, task)."""
    if not invoice_ids:
        return {}
    rows = session.execute(
        select(InvoiceLine.invoice_id, InvoiceLine.task_id, InvoiceLine.amount_minor, Invoice.currency)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(InvoiceLine.invoice_id.in_(sorted(invoice_ids)), InvoiceLine.task_id.is_not(None))
    )
    return {(r.invoice_id, r.task_id): Money.from_minor(r.amount_minor, r.currency) for r in rows}


def build_report(session: Session, account: Account, period: str, today: date) -> Report:
    title, start, end = period_bounds(period, today)
    tasks = list(session.scalars(
        select(Task).options(joinedload(Task.client))
        .where(Task.account_id == account.id, Task.deleted_at.is_(None), Task.work_date.between(start, end))
        .order_by(Task.work_date)
    ))
    invoiced = _invoiced_amounts(session, {t.invoice_id for t in tasks if t.invoice_id is not None})
    by_client: dict[int, ClientLine] = {}
    for task in tasks:
        line = by_client.setdefault(task.client_id, ClientLine(task.client.name))
        billed = task.invoice_id is not None
        if task.minutes and not is_fixed_price(task):  # time spent on a fixed price is not hours billed
            if billed:
                line.billed_minutes += task.minutes
            else:
                line.unbilled_minutes += task.minutes
        amount = invoiced.get((task.invoice_id, task.id)) if task.invoice_id is not None else task_amount(task)
        if amount is None:
            line.unpriced += 1
            continue
        totals = line.billed if billed else line.unbilled
        totals[amount.currency] = totals.get(amount.currency, Money.zero(amount.currency)) + amount
    lines = sorted(by_client.values(), key=lambda line: line.client.casefold())
    return Report(title, start, end, lines)

