"""Tasks: log work, fix it (edit, delete, undo), list what is unbilled, price it."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.errors import UserError
from core.i18n import _, format_minutes
from core.journal import change_group, next_task_and_change, record_change, record_changes, reserve
from core.limits import MAX_RECORD_NUMBER
from core.models import Account, Client, Invoice, Task, table
from core.money import Money, line_amount, totals_by_currency
from core.prepared import Prepared, loaded
from core.rounding import round_up, rounding_for

_EDITABLE = ("client_id", "work_date", "minutes", "fixed_amount_minor", "fixed_currency", "rate", "description")


@dataclass(frozen=True)
class Work:
    """What a phrase said, with its client resolved: the fields of a task."""

    client: Client
    work_date: date
    minutes: int | None
    fixed_amount: Money | None
    rate: Decimal | None
    description: str | None


def task_currency(task: Task) -> str:
    return task.fixed_currency or task.client.currency


def task_rate(task: Task) -> Decimal | None:
    """The phrase's own rate, else the client's current one (an unbilled task follows a client's rate change)."""
    return task.rate if task.rate is not None else task.client.rate


def is_fixed_price(task: Task) -> bool:
    """A fixed price bills its amount; time logged beside it ("€500 2h website") is recorded as time spent, never
    billed by the hour nor counted in the hours billed."""
    return task.fixed_amount_minor is not None


def billed_minutes(task: Task) -> int | None:
    """The minutes the task bills: its logged minutes rounded up to the client's (else the profile's) billing
    increment; None for a fixed price (with or without time spent beside it)."""
    if task.minutes is None or is_fixed_price(task):
        return None
    return round_up(task.minutes, rounding_for(task.client))


def task_amount(task: Task) -> Money | None:
    """What the task bills, rounded as its invoice line will be; None while no rate is known."""
    if task.fixed_amount_minor is not None:
        return Money.from_minor(task.fixed_amount_minor, task_currency(task))
    rate = task_rate(task)
    minutes = billed_minutes(task)
    if rate is None or minutes is None:
        return None
    return line_amount(rate, minutes, task_currency(task))


@dataclass(frozen=True)
class TaskTotals:
    """What a group of tasks adds up to: the minutes billed by the hour (time spent on fixed prices aside), one
    amount per currency, and how many have no rate yet."""

    minutes: int
    amounts: list[Money]
    unpriced: int
    billed_minutes: int = 0
    """The minutes they bill, each entry rounded up to its billing increment (equal to ``minutes`` without one)."""


def total_tasks(tasks: Iterable[Task]) -> TaskTotals:
    minutes, billed, priced, unpriced = 0, 0, [], 0
    for task in tasks:
        if not is_fixed_price(task):
            minutes += task.minutes or 0
        billed += billed_minutes(task) or 0
        amount = task_amount(task)
        if amount is None:
            unpriced += 1
        else:
            priced.append(amount)
    return TaskTotals(minutes, totals_by_currency(priced), unpriced, billed)


def next_task_number(session: Session, account: Account) -> int:
    """The account's next task number (see :func:`core.journal.reserve`)."""
    return reserve(session, account, Account.last_task_number, 1)


_tasks = table(Task).c
_INSERT_TASK = Prepared(insert(table(Task)).values({column: bindparam(column.key) for column in _tasks
                                                    if column is not _tasks.id}).returning(_tasks.id))
"""Built once on the table: a logged phrase inserts its task with this rather than through the ORM's unit of
work, which costs several times the insert itself."""


def log_task(session: Session, account: Account, work: Work, now: datetime) -> Task:
    """Insert the task and its journal entry (one UPDATE takes both numbers, one INSERT each); the task returned is
    in the session as if loaded from the database."""
    number, seq = next_task_and_change(session, account)
    row = {"account_id": account.id, "number": number, "created_at": now, "invoice_id": None, "deleted_at": None,
           "kind": "work", "tax_rate": None, **_fields(work)}
    (task_id,) = _INSERT_TASK.one(session, row)
    task = loaded(session, Task, {"id": task_id, **row, "client": work.client})  # nothing is left to load
    if work.client.account_id == account.id:  # always: pricing the task reads the profile through its client
        set_committed_value(work.client, "account", account)
    record_change(session, account, "task.log", now, task.id, seq=seq)
    return task


def log_tasks(session: Session, account: Account, works: Sequence[Work], now: datetime) -> list[Task]:
    """Many tasks at once (an import), as :func:`log_task` would log them one by one: numbered in one step,
    inserted in one batch, each journaled as logged."""
    if not works:
        return []
    first = reserve(session, account, Account.last_task_number, len(works))
    tasks = []
    for offset, work in enumerate(works):
        task = Task(account_id=account.id, number=first + offset, created_at=now)
        _apply(task, work)
        tasks.append(task)
    session.add_all(tasks)
    session.flush()
    record_changes(session, account, "task.log", now, [task.id for task in tasks])
    return tasks


def find_task(session: Session, account: Account, number: int) -> Task | None:
    """The account's task with this number (deleted or not)."""
    if not 0 < number <= MAX_RECORD_NUMBER:  # past the column: no such task (and no database error)
        return None
    return session.scalar(select(Task).where(Task.account_id == account.id, Task.number == number))


def get_task(session: Session, account: Account, number: int) -> Task:
    """An unbilled, undeleted task of this account by its number, or a clear error."""
    task = find_task(session, account, number)
    if task is None or task.deleted_at is not None:
        raise UserError(_("There is no task #{number}. /tasks lists your unbilled work with its numbers.").format(
            number=number))
    require_unbilled(session, task)
    return task


def require_unbilled(session: Session, task: Task) -> None:
    if task.invoice_id is not None:
        invoice = session.get(Invoice, task.invoice_id)
        number = invoice.number if invoice else "?"
        raise UserError(_("Task #{task} is billed on {number}; void that invoice first (/void {number}).").format(
            task=task.number, number=number))


def edit_task(session: Session, account: Account, task: Task, work: Work, now: datetime) -> Task:
    before = {field: getattr(task, field) for field in _EDITABLE}
    _apply(task, work)
    record_change(session, account, "task.edit", now, task.id, before)
    session.flush()
    return task


def follows_client_rate(task: Task) -> bool:
    """Whether the task is priced at its client's current rate, so a change of that rate re-prices it."""
    return task.minutes is not None and task.rate is None and not is_fixed_price(task)


def keep_rate(session: Session, account: Account, tasks: Iterable[Task], rate: Decimal, now: datetime) -> list[Task]:
    """Give each task that still follows its client's rate the rate it had (after ``/client set NAME rate``): one
    change, which /undo takes back."""
    kept = []
    with change_group():
        for task in tasks:
            if task.invoice_id is not None or task.deleted_at is not None or not follows_client_rate(task):
                continue  # billed, deleted or given its own price meanwhile
            record_change(session, account, "task.edit", now, task.id, {"rate": task.rate})
            task.rate = rate
            kept.append(task)
    session.flush()
    return kept


def delete_task(session: Session, account: Account, task: Task, now: datetime) -> None:
    task.deleted_at = now
    record_change(session, account, "task.delete", now, task.id)
    session.flush()


def unbilled_tasks(session: Session, account: Account, client: Client | None = None,
                   until: date | None = None) -> list[Task]:
    query = select(Task).where(*_unbilled(account))
    if client is not None:
        query = query.where(Task.client_id == client.id)
    if until is not None:
        query = query.where(Task.work_date <= until)
    return list(session.scalars(query.order_by(Task.work_date, Task.id)))


# Totals in SQL: /tasks and /report at any number of tasks.

PAGE_SIZE = 25
"""Task lines per /tasks message: well inside a chat message's length (Telegram: 4096 characters)."""


@dataclass(frozen=True)
class ClientTotals:
    client: Client
    count: int
    totals: TaskTotals
    oldest: date
    """The earliest date of work among them."""


def _unbilled(account: Account) -> list[ColumnElement[bool]]:
    """Written as the partial index ``ix_tasks_unbilled`` is, so that PostgreSQL and SQLite use it."""
    return [Task.account_id == account.id, Task.invoice_id.is_(None), Task.deleted_at.is_(None)]


def group_totals(session: Session, account: Account, where: Sequence[ColumnElement[bool]]) -> list[ClientTotals]:
    """Minutes, amounts and unpriced counts of the tasks matching ``where``, per client (by name), priced as
    :func:`task_amount` prices each one — from one GROUP BY over (client, rate, minutes, currency) and one query
    for the clients, however many tasks there are. The tasks must all be unbilled (billed ones are priced by their
    invoice lines)."""
    fixed = Task.fixed_amount_minor.is_not(None)
    rows = session.execute(
        select(Task.client_id, Task.rate, Task.minutes, Task.fixed_currency, fixed.label("fixed"),
               func.count().label("n"), func.sum(Task.fixed_amount_minor).label("fixed_minor"),
               func.min(Task.work_date).label("first_date"), func.min(Task.id).label("first_id"))
        .where(*where)
        .group_by(Task.client_id, Task.rate, Task.minutes, Task.fixed_currency, fixed)
    ).all()
    if not rows:
        return []
    clients = {client.id: client for client in session.scalars(
        select(Client).where(Client.account_id == account.id, Client.id.in_({row.client_id for row in rows})))}
    per_client: dict[int, list[Any]] = {}
    for row in sorted(rows, key=lambda r: (r.first_date, r.first_id)):  # currencies in order of first appearance
        per_client.setdefault(row.client_id, []).append(row)
    result = []
    for client_id, group in per_client.items():
        client = clients[client_id]
        step = rounding_for(client)
        count = minutes = billed = unpriced = 0
        priced: list[Money] = []
        for row in group:
            count += row.n
            currency = row.fixed_currency or client.currency
            if row.minutes is not None and not row.fixed:  # time spent on a fixed price is not hours billed
                minutes += row.minutes * row.n
                billed += round_up(row.minutes, step) * row.n
            if row.fixed:
                priced.append(Money.from_minor(int(row.fixed_minor), currency))
                continue
            rate = row.rate if row.rate is not None else client.rate
            if rate is None or row.minutes is None:
                unpriced += row.n
            else:
                priced.append(line_amount(rate, round_up(row.minutes, step), currency) * row.n)
        result.append(ClientTotals(client, count, TaskTotals(minutes, totals_by_currency(priced), unpriced, billed),
                                   oldest=min(row.first_date for row in group)))
    return sorted(result, key=lambda totals: totals.client.name.casefold())


def unbilled_totals(session: Session, account: Account, client: Client | None = None) -> list[ClientTotals]:
    """What each client's unbilled work adds up to (one client's, when given), by client name."""
    where = _unbilled(account) + ([Task.client_id == client.id] if client is not None else [])
    return group_totals(session, account, where)


def unbilled_page(session: Session, account: Account, groups: Sequence[ClientTotals], page: int,
                  size: int = PAGE_SIZE) -> list[Task]:
    """Page ``page`` (from 1) of the unbilled tasks in the order /tasks lists them — by client name, then date:
    a range read per client on ``ix_tasks_unbilled``, skipping whole clients by their counts."""
    skip, tasks = (page - 1) * size, list[Task]()
    for group in groups:
        if skip >= group.count:
            skip -= group.count
            continue
        tasks += session.scalars(
            select(Task).where(*_unbilled(account), Task.client_id == group.client.id)
            .order_by(Task.work_date, Task.id).offset(skip).limit(size - len(tasks))
        )
        skip = 0
        if len(tasks) >= size:
            break
    return tasks


def _apply(task: Task, work: Work) -> None:
    task.client = work.client
    for field, value in _fields(work).items():
        setattr(task, field, value)


def _fields(work: Work) -> dict[str, Any]:
    """The task's columns that say what work it is."""
    return {"client_id": work.client.id, "work_date": work.work_date, "minutes": work.minutes,
            "fixed_amount_minor": work.fixed_amount.to_minor() if work.fixed_amount else None,
            "fixed_currency": work.fixed_amount.currency if work.fixed_amount else None, "rate": work.rate,
            "description": work.description}


def restore_fields(task: Task, before: dict[str, object]) -> None:
    """Put back the fields an edit journaled (as JSON: dates and decimals as text)."""
    for field, value in before.items():
        if field not in _EDITABLE:
            continue
        if value is not None and field == "work_date":
            value = date.fromisoformat(str(value))
        elif value is not None and field == "rate":
            value = Decimal(str(value))
        setattr(task, field, value)


def describe_rounding(step: int | None) -> str:
    """A billing increment as /profile and /client show it: ``15m``, or ``exact minutes``."""
    return format_minutes(step) if step and step > 1 else _("exact minutes")


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))
