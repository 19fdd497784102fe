"""Reports: hours and amounts per client over a period of the user's calendar, billed and unbilled."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.errors import UserError
from core.i18n import N_, _
from core.models import Account, Client, Invoice, InvoiceLine, Task
from core.money import Money
from core.tasks import group_totals

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


def build_report(session: Session, account: Account, period: str, today: date) -> Report:
    """Per client: billed work at what its invoice lines say (a later rate change doesn't alter what was billed),
    unbilled work at today's rates. Sums in SQL over the period's tasks (``ix_tasks_account_date``): a handful of
    rows per client, however many tasks the period or the account's history holds."""
    title, start, end = period_bounds(period, today)
    in_period = [Task.account_id == account.id, Task.deleted_at.is_(None), Task.work_date.between(start, end)]
    by_client: dict[int, ClientLine] = {}
    for group in group_totals(session, account, [*in_period, Task.invoice_id.is_(None)]):
        line = by_client[group.client.id] = ClientLine(group.client.name)
        line.unbilled_minutes = group.totals.minutes
        line.unbilled = {amount.currency: amount for amount in group.totals.amounts}
        line.unpriced = group.totals.unpriced
    billed = session.execute(
        select(Task.client_id, Client.name, Invoice.currency, func.count(Task.id).label("tasks"),
               func.count(InvoiceLine.id).label("lines"), func.sum(case((Task.fixed_amount_minor.is_(None), Task.minutes), else_=0)).label("minutes"),
               func.sum(InvoiceLine.amount_minor).label("amount_minor"), func.min(Task.work_date).label("first"))
        .join(Client, Client.id == Task.client_id)
        .outerjoin(InvoiceLine, (InvoiceLine.invoice_id == Task.invoice_id) & (InvoiceLine.task_id == Task.id))
        .outerjoin(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(*in_period, Task.invoice_id.is_not(None))
        .group_by(Task.client_id, Client.name, Invoice.currency)
    ).all()
    for row in sorted(billed, key=lambda r: r.first):
        line = by_client.setdefault(row.client_id, ClientLine(row.name))
        line.billed_minutes += row.minutes or 0
        line.unpriced += row.tasks - row.lines  # billed without a line for it: nothing known to show
        if row.currency is not None:
            amount = Money.from_minor(int(row.amount_minor), row.currency)
            line.billed[row.currency] = line.billed.get(row.currency, Money.zero(row.currency)) + amount
    lines = sorted(by_client.values(), key=lambda line: line.client.casefold())
    return Report(title, start, end, lines)
