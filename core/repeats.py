"""Logging a day's work again on another day: the daily nudge's one-tap "same as yesterday"."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from core.accounts import format_date
from core.errors import UserError
from core.i18n import _
from core.journal import change_group
from core.models import Account, Task
from core.money import Money
from core.tasks import Work, log_task
from core.undo import undo_task


def _signature(task: Task) -> tuple[object, ...]:
    return (task.client_id, task.minutes, task.fixed_amount_minor, task.fixed_currency, task.rate, task.description)


def tasks_on(session: Session, account: Account, day: date) -> list[Task]:
    """The account's logged (not deleted) tasks with this local work date, billed or not, in logging order."""
    return list(session.scalars(
        select(Task).options(joinedload(Task.client))
        .where(Task.account_id == account.id, Task.work_date == day, Task.deleted_at.is_(None))
        .order_by(Task.id)
    ))


def repeat_day(session: Session, account: Account, source: date, target: date, now: datetime) -> list[Task]:
    """Copy ``source``'s tasks to ``target`` as new unbilled work; a task already there once is not copied again,
    so a second tap on the same button logs nothing twice. The copies are one change: /undo takes them all back."""
    originals = tasks_on(session, account, source)
    if not originals:
        raise UserError(_("Nothing was logged on {date}, so there is nothing to repeat. Tell me what you worked on "
                          "instead, e.g. “2h logo design for ACME”.").format(date=format_date(source)))
    present = [_signature(t) for t in tasks_on(session, account, target)]
    copies = []
    with change_group():
        for task in originals:
            signature = _signature(task)
            if signature in present:
                present.remove(signature)
                continue
            fixed = (Money.from_minor(task.fixed_amount_minor, task.fixed_currency or task.client.currency)
                     if task.fixed_amount_minor is not None else None)
            work = Work(client=task.client, work_date=target, minutes=task.minutes, fixed_amount=fixed,
                        rate=task.rate, description=task.description)
            copies.append(log_task(session, account, work, now))
    if not copies:
        raise UserError(_("{day} already has the same entries as {source}; nothing was logged twice.").format(
            day=format_date(target), source=format_date(source)))
    return copies


def undo_repeat(session: Session, account: Account, first: int, last: int, now: datetime) -> list[Task]:
    """Take back the copies one repeat made: the account's tasks in that number range logged in the same instant."""
    tasks = list(session.scalars(
        select(Task).where(Task.account_id == account.id, Task.number.between(first, last),
                           Task.deleted_at.is_(None))
        .order_by(Task.number)
    ))
    made_together = [t for t in tasks if tasks and t.created_at == tasks[0].created_at]
    if not made_together:
        raise UserError(_("Those entries are already gone; /tasks shows what is logged."))
    for task in made_together:
        undo_task(session, account, now, task.number)
    return made_together
