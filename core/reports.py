"""Reports: per client and currency, what a period of the user's calendar holds — work unbilled, invoices billed,
payments received and what is still owed — with totals per currency.

"In the period" means, for each figure, what /tasks, /invoices and /paid date it by:

- **unbilled**: work dated in the period and not billed yet, priced as /tasks prices it (today's rates, before tax);
- **billed**: invoices issued in the period, less the credit notes issued in it (totals with tax, as /invoices);
- **paid**: payments received in the period (their ``paid_on``), whichever period their invoice was issued in;
- **outstanding**: what is still owed today on the invoices issued in the period (void ones owe nothing).

Hours are the hours billed by the hour: the unbilled work's billed minutes (rounded up to its increment, as its
invoice line will be) and the billed invoices' line minutes, credit notes counted off.

Every figure is summed in SQL, one grouped query per measure (the unbilled work per (client, rate, minutes) on
``ix_tasks_account_date``; the period's invoices; the period's payments): a handful of rows per client, however many
tasks the account holds.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from core.accounts import format_date
from core.errors import UserError
from core.i18n import N_, _
from core.models import Account, Client, Invoice, InvoiceLine, Payment, Task
from core.money import Money
from core.tasks import group_totals


@dataclass
class Figures:
    """One client's figures in one currency over the period; with ``client`` None, the currency's total."""

    currency: str
    client: str | None = None
    unbilled_minutes: int = 0
    unbilled_minor: int = 0
    unpriced: int = 0
    """Unbilled tasks without a rate, so without an amount yet."""
    billed_minutes: int = 0
    billed_minor: int = 0
    paid_minor: int = 0
    outstanding_minor: int = 0

    def money(self, minor: int) -> Money:
        return Money.from_minor(minor, self.currency)

    @property
    def unbilled(self) -> Money:
        return self.money(self.unbilled_minor)

    @property
    def billed(self) -> Money:
        return self.money(self.billed_minor)

    @property
    def paid(self) -> Money:
        return self.money(self.paid_minor)

    @property
    def outstanding(self) -> Money:
        return self.money(self.outstanding_minor)

    def add(self, other: Figures) -> None:
        """Count ``other`` (same currency) into these figures."""
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))


_SUMMED = tuple(item.name for item in fields(Figures) if item.name not in ("currency", "client"))
RowOf = Callable[[int, str, str], Figures]
"""The figures of (client id, client name, currency), made on first use."""


@dataclass
class Report:
    title: str | None
    """The period's name, marked for translation (``This month``); None for a range of days typed out."""
    start: date
    end: date
    rows: list[Figures]
    """Per client and currency, by client name."""
    totals: list[Figures]
    """Per currency, by currency code."""


def period_bounds(period: str, today: date) -> tuple[str, date, date]:
    """(title, first day, last day) of a named period of the user's calendar: ``week`` (Monday to today),
    ``month``, ``quarter`` and ``year`` (so far), or the ``last`` one of each (whole); the title is marked for
    translation, and translated where it is shown."""
    key = " ".join(period.lower().split()) or "week"
    key = key.removeprefix("this ").replace("previous ", "last ")
    if key == "week":
        return N_("This week"), today - timedelta(days=today.weekday()), today
    if key == "last week":
        start = today - timedelta(days=today.weekday() + 7)
        return N_("Last week"), start, start + timedelta(days=6)
    if key == "month":
        return N_("This month"), today.replace(day=1), today
    if key == "last month":
        end = today.replace(day=1) - timedelta(days=1)
        return N_("Last month"), end.replace(day=1), end
    first_month = (today.month - 1) // 3 * 3 + 1
    if key == "quarter":
        return N_("This quarter"), today.replace(month=first_month, day=1), today
    if key == "last quarter":
        end = today.replace(month=first_month, day=1) - timedelta(days=1)
        return N_("Last quarter"), end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end
    if key == "year":
        return N_("This year"), today.replace(month=1, day=1), today
    if key == "last year":
        return N_("Last year"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    raise UserError(_("I can report on a week, a month, a quarter, a year (this one or the last one) or the days "
                      "from one date to another — not “{period}”. Try /report month, /report last quarter or /report "
                      "2026-11-01..2026-11-15.").format(period=period))


def check_range(start: date, end: date, today: date) -> None:
    """A range of days typed out (``DATE..DATE``, both days included) must run forwards and have begun."""
    if end < start:
        raise UserError(_("The range ends on {end}, before it starts on {start}: write the earlier day first, e.g. "
                          "/report {example}.").format(start=format_date(start), end=format_date(end),
                                                       example=f"{end.isoformat()}..{start.isoformat()}"))
    if start > today:
        raise UserError(_("The range starts on {start}, which is still ahead: a report covers days that have "
                          "begun.").format(start=format_date(start)))


def build_report(session: Session, account: Account, title: str | None, start: date, end: date) -> Report:
    """The period's figures per client and currency, and their totals per currency."""
    rows: dict[tuple[int, str], Figures] = {}

    def row(client_id: int, name: str, currency: str) -> Figures:
        return rows.setdefault((client_id, currency), Figures(currency, name))

    _unbilled_work(session, account, start, end, row)
    _invoices_issued(session, account, start, end, row)
    _payments_received(session, account, start, end, row)
    ordered = sorted(rows.values(), key=lambda figures: (str(figures.client).casefold(), figures.currency))
    totals: dict[str, Figures] = {}
    for figures in ordered:
        totals.setdefault(figures.currency, Figures(figures.currency)).add(figures)
    return Report(title, start, end, ordered, [totals[currency] for currency in sorted(totals)])


def _unbilled_work(session: Session, account: Account, start: date, end: date, row: RowOf) -> None:
    """Work dated in the period and not billed, priced as /tasks prices it: the hours in the client's currency,
    a fixed price in its own."""
    in_period = [Task.account_id == account.id, Task.work_date.between(start, end), Task.invoice_id.is_(None),
                 Task.deleted_at.is_(None)]
    for group in group_totals(session, account, in_period):
        client = group.client
        own = row(client.id, client.name, client.currency)
        own.unbilled_minutes += group.totals.billed_minutes
        own.unpriced += group.totals.unpriced
        for amount in group.totals.amounts:
            row(client.id, client.name, amount.currency).unbilled_minor += amount.to_minor()


def _invoices_issued(session: Session, account: Account, start: date, end: date, row: RowOf) -> None:
    """Invoices and credit notes issued in the period (a withdrawn credit note cancels nothing): what they bill,
    their lines' minutes, and what is still owed on the invoices among them — one grouped query."""
    paid = (select(func.coalesce(func.sum(Payment.amount_minor), 0))
            .where(Payment.invoice_id == Invoice.id, Payment.removed_at.is_(None)).scalar_subquery())
    minutes = (select(func.coalesce(func.sum(InvoiceLine.minutes), 0))
               .where(InvoiceLine.invoice_id == Invoice.id).scalar_subquery())
    credit = Invoice.kind == "credit_note"
    sign = case((credit, -1), else_=1)
    owing: ColumnElement[int] = case(((Invoice.kind == "invoice") & (Invoice.status != "void"),
                                      Invoice.total_minor - paid), else_=0)
    issued = (select(Invoice.client_id, Invoice.currency, (sign * Invoice.total_minor).label("billed"),
                     (sign * minutes).label("minutes"), owing.label("owed"))
              .where(Invoice.account_id == account.id, Invoice.issue_date.between(start, end),
                     Invoice.withdrawn_at.is_(None))
              .subquery())
    found = session.execute(
        select(issued.c.client_id, Client.name, issued.c.currency, func.sum(issued.c.billed).label("billed"),
               func.sum(issued.c.minutes).label("minutes"), func.sum(issued.c.owed).label("owed"))
        .join(Client, Client.id == issued.c.client_id)
        .group_by(issued.c.client_id, Client.name, issued.c.currency))
    for client_id, name, currency, billed, billed_minutes, owed in found:
        figures = row(client_id, name, currency)
        figures.billed_minor += int(billed or 0)
        figures.billed_minutes += int(billed_minutes or 0)
        figures.outstanding_minor += int(owed or 0)


def _payments_received(session: Session, account: Account, start: date, end: date, row: RowOf) -> None:
    """Payments received in the period (not taken back), on whichever invoice — one grouped query."""
    found = session.execute(
        select(Invoice.client_id, Client.name, Invoice.currency, func.sum(Payment.amount_minor))
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .join(Client, Client.id == Invoice.client_id)
        .where(Payment.account_id == account.id, Payment.paid_on.between(start, end), Payment.removed_at.is_(None))
        .group_by(Invoice.client_id, Client.name, Invoice.currency))
    for client_id, name, currency, received in found:
        row(client_id, name, currency).paid_minor += int(received or 0)
