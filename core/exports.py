"""CSV exports of an account's tasks and invoices (``/export``, ``GET /api/v1/tasks.csv``, ``/invoices.csv``).

One function per table, shared by the chat command and the REST API: UTF-8 without a byte-order mark, one header
row, ISO dates, amounts with a dot and the currency in its own column. Amounts come from the same services the bot
bills and reports with (:mod:`core.tasks`, :mod:`core.invoices`, :mod:`core.payments`); no second pricing.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core import invoices as invoices_service
from core import payments
from core.errors import UserError
from core.i18n import _
from core.models import Account, Invoice, Task
from core.money import Money
from core.reports import period_bounds
from core.tasks import billed_minutes, task_amount, task_currency, task_rate

TASK_COLUMNS = ("number", "date", "client", "description", "minutes", "billed_minutes", "rate", "amount", "currency",
                "invoice", "expense")
INVOICE_COLUMNS = ("number", "kind", "client", "issue_date", "due_date", "subtotal", "tax", "total", "currency",
                   "status", "outstanding")
FORMULA_STARTS = ("=", "+", "-", "@")


def export_period(period: str, today: date) -> tuple[str, date | None, date | None]:
    """(file-name tag, first day, last day) of a /report-like period; ``year`` is this calendar year; no period at
    all is everything (``all``, no bounds)."""
    key = " ".join(period.lower().split())
    if key in ("", "all", "everything"):
        return "all", None, None
    if key in ("year", "this year"):
        return str(today.year), today.replace(month=1, day=1), today
    try:
        _title, start, end = period_bounds(key, today)
    except UserError:
        raise UserError(_("I can export a week, a month, last month or a year — not “{period}”. Try /export tasks "
                          "month.").format(period=period)) from None
    tag = f"{start:%Y-%m}" if key in ("month", "this month", "last month", "previous month") else start.isoformat()
    return tag, start, end


def safe_cell(value: object) -> str:
    """A cell as text; one a spreadsheet would run as a formula (starting with = + - @) gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def tasks_csv(session: Session, account: Account, start: date | None = None, end: date | None = None) -> bytes:
    """Every logged task (billed or not, expenses too) of the period, oldest first."""
    query = (select(Task).where(Task.account_id == account.id, Task.deleted_at.is_(None))
             .options(selectinload(Task.client)).order_by(Task.work_date, Task.number))
    if start is not None and end is not None:
        query = query.where(Task.work_date.between(start, end))
    tasks = list(session.scalars(query))
    invoice_ids = {task.invoice_id for task in tasks if task.invoice_id is not None}
    numbers: dict[int, str] = {}
    if invoice_ids:
        numbers = {row.id: row.number
                   for row in session.execute(select(Invoice.id, Invoice.number).where(Invoice.id.in_(invoice_ids)))}

    def row(task: Task) -> list[object]:
        amount = task_amount(task)
        return [task.number, task.work_date.isoformat(), task.client.name, task.description or "", task.minutes,
                billed_minutes(task), None if task.fixed_amount_minor is not None else task_rate(task),
                amount.amount if amount else None, task_currency(task),
                numbers.get(task.invoice_id) if task.invoice_id else None,
                "yes" if task.kind == "expense" else "no"]

    return _csv(TASK_COLUMNS, (row(task) for task in tasks))


def invoices_csv(session: Session, account: Account, today: date, start: date | None = None,
                 end: date | None = None) -> bytes:
    """Every invoice and credit note issued in the period, oldest first, with what is still owed on it."""
    query = (select(Invoice).where(Invoice.account_id == account.id)
             .options(selectinload(Invoice.client)).order_by(Invoice.issue_date, Invoice.id))
    if start is not None and end is not None:
        query = query.where(Invoice.issue_date.between(start, end))
    found = list(session.scalars(query))
    paid = payments.paid_by_invoice(session, (item.id for item in found if item.kind == "invoice"))

    def row(item: Invoice) -> list[object]:
        total = invoices_service.invoice_total(item)
        owed = Money.zero(item.currency)  # as payments.outstanding: nothing on a credit note or a void invoice
        if item.kind == "invoice" and item.status != "void":
            owed = total - Money.from_minor(paid.get(item.id, payments.PaidSoFar()).minor, item.currency)
        return [item.number, item.kind, item.client.name, item.issue_date.isoformat(), item.due_date.isoformat(),
                Money.from_minor(item.subtotal_minor, item.currency).amount,
                Money.from_minor(item.tax_minor, item.currency).amount, total.amount, item.currency,
                invoices_service.invoice_status(item, today), owed.amount]

    return _csv(INVOICE_COLUMNS, (row(item) for item in found))
