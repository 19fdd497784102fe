"""Expenses: a cost re-charged to a client (a train ticket, a licence bought for them), billed on its invoice in a
section of its own, at its own VAT rate where one is given (``tax 7%``), else at the invoice's.

An expense is a task of kind ``expense`` with a fixed amount, so /tasks lists it, /delete and /undo take it back and
/invoice bills it with the work; its receipt, when one was sent, is a :class:`core.models.Receipt`.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import UserError
from core.i18n import _
from core.journal import record_change
from core.models import Account, Client, Receipt, Task
from core.money import Money, format_money
from core.tasks import next_task_number

EXPENSE = "expense"


def log_expense(session: Session, account: Account, client: Client, amount: Money, description: str, day: date,
                tax_rate: Decimal | None, now: datetime) -> Task:
    """Record the expense as the account's next task; refused in a currency other than the client's (one invoice
    has one currency) and when it is not a positive amount."""
    if amount.currency != client.currency:
        raise UserError(_("{client} is billed in {currency}, so an expense in {other} can't go on its invoices. Give "
                          "the amount in {currency} (converted as your bank did).").format(
            client=client.name, currency=client.currency, other=amount.currency))
    if amount.amount <= 0:
        raise UserError(_("An expense needs an amount above zero, not {amount}.").format(amount=format_money(amount)))
    task = Task(account_id=account.id, number=next_task_number(session, account), created_at=now, kind=EXPENSE,
                client=client, client_id=client.id, work_date=day, minutes=None,
                fixed_amount_minor=amount.to_minor(), fixed_currency=amount.currency, rate=None,
                description=description, tax_rate=tax_rate)
    session.add(task)
    session.flush()
    record_change(session, account, "task.log", now, task.id)
    return task


def is_expense(task: Task) -> bool:
    return task.kind == EXPENSE


def receipt_task_ids(session: Session, task_ids: list[int]) -> set[int]:
    """Which of these tasks have a receipt (without reading the files)."""
    if not task_ids:
        return set()
    return set(session.scalars(select(Receipt.task_id).where(Receipt.task_id.in_(task_ids))))
