"""/import: what a Toggl Track or Clockify export would add to the books, and adding it — once.

The file is read by :mod:`core.timesheets`. :func:`plan_import` sorts its entries against the account: for a known
client (by name, as /client matches names), already imported (its key is in :class:`ImportedEntry`), or for a
client the books don't have (left out, and named). :func:`run_import` adds the planned entries as tasks at each
client's own rate, in one transaction and one journal group, so one /undo takes the whole import back.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core import clients as clients_service
from core.errors import UserError
from core.expenses import EXPENSE
from core.i18n import _
from core.journal import change_group, record_change
from core.models import Account, Change, Client, ImportedEntry, Task
from core.money import Money, line_amount
from core.rounding import round_up, rounding_for
from core.tasks import Work, log_tasks
from core.timesheets import Entry, Timesheet

IMPORT_KIND = "import.add"


@dataclass
class ClientShare:
    """What the import adds for one client: entries (rows of the file), the tasks they become, minutes."""

    name: str
    entries: int = 0
    tasks: int = 0
    minutes: int = 0


@dataclass
class ImportPlan:
    sheet: Timesheet
    planned: list[tuple[Client, Entry]] = field(default_factory=list)
    known: dict[str, ClientShare] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    """Client name as the file writes it → its entries, left out."""
    archived: dict[str, int] = field(default_factory=dict)
    """An archived client's name, as the books write it → the file's entries for it, left out."""
    already: int = 0
    split: int = 0
    """Entries running past midnight (each becomes one task per day)."""
    by_project: int = 0
    in_books: int = 0
    """Rows of our own tasks file that are tasks these books hold (the file was exported from them)."""
    own_rate: int = 0
    """Rows of our own tasks file whose rate differs from the client's here: they keep it as their own."""
    repriced: list[int] = field(default_factory=list)
    """Lines of our own tasks file that bill another amount here (this client rounds time differently)."""


def plan_import(session: Session, account: Account, sheet: Timesheet) -> ImportPlan:
    clients = {client.name_key: client for client in clients_service.active_clients(session, account)}
    done = _imported_keys(session, account, [entry.key for entry in sheet.entries])
    held = _held_tasks(session, account, sheet)
    plan = ImportPlan(sheet)
    for entry in sheet.entries:
        if entry.key in done:
            plan.already += 1
            continue
        client = clients.get(clients_service.name_key(entry.client))
        if client is None:
            plan.unknown[entry.client] = plan.unknown.get(entry.client, 0) + 1
            continue
        if entry.own is not None and _check_own(plan, client, entry, held):
            continue
        share = plan.known.setdefault(client.name, ClientShare(client.name))
        share.entries += 1
        share.tasks += len(entry.days)
        share.minutes += sum(minutes for _day, minutes in entry.days)
        plan.split += len(entry.days) > 1
        plan.by_project += entry.by_project
        plan.planned.append((client, entry))
    _set_archived_apart(session, account, plan)
    return plan


def _imported_keys(session: Session, account: Account, keys: list[str]) -> set[str]:
    """Those of ``keys`` the account has imported already."""
    done: set[str] = set()
    for start in range(0, len(keys), 500):  # a bound list per query, whatever the database's parameter limit
        done.update(session.scalars(select(ImportedEntry.key).where(
            ImportedEntry.account_id == account.id, ImportedEntry.key.in_(keys[start:start + 500]))))
    return done


def _set_archived_apart(session: Session, account: Account, plan: ImportPlan) -> None:
    """Names the file gives that are archived clients: ``/client add`` would refuse them, so the preview names the
    way back instead."""
    if not plan.unknown:
        return
    archived = {key: name for key, name in session.execute(select(Client.name_key, Client.name).where(
        Client.account_id == account.id, Client.archived.is_(True)))}
    for written in list(plan.unknown):
        name = archived.get(clients_service.name_key(written))
        if name is not None:
            plan.archived[name] = plan.archived.get(name, 0) + plan.unknown.pop(written)


_HeldTask = tuple[int, date, int, int | None, str]
"""(number, day, client id, minutes, description) of a task: how a row of our own file is found in the books."""


def _held_tasks(session: Session, account: Account, sheet: Timesheet) -> set[_HeldTask]:
    """The account's tasks numbered as rows of our own file."""
    numbers = sorted({entry.own.number for entry in sheet.entries if entry.own is not None})
    held: set[_HeldTask] = set()
    for start in range(0, len(numbers), 500):
        held.update((row.number, row.work_date, row.client_id, row.minutes, row.description or "")
                    for row in session.execute(select(Task.number, Task.work_date, Task.client_id, Task.minutes,
                                                      Task.description).where(
                        Task.account_id == account.id, Task.deleted_at.is_(None),
                        Task.number.in_(numbers[start:start + 500]))))
    return held


def _check_own(plan: ImportPlan, client: Client, entry: Entry, held: set[_HeldTask]) -> bool:
    """True when the books already hold this row of our own file; a row in another currency than its client's is
    refused; a rate that differs from the client's is counted (kept), an amount that would differ here is noted."""
    own = entry.own
    assert own is not None
    if own.currency != client.currency:
        raise UserError(_("Line {line}: the task is in {currency}, but {client} is billed in {client_currency}. "
                          "Correct the line or the client's currency and send the file again. Nothing was "
                          "imported.").format(line=entry.line, currency=own.currency or "—", client=client.name,
                                              client_currency=client.currency))
    day = entry.days[0][0]
    if (own.number, day, client.id, own.minutes, entry.description) in held:
        plan.in_books += 1
        return True
    if own.fixed or own.rate is None or own.minutes is None:
        return False
    plan.own_rate += own.rate != client.rate
    if own.amount is not None and line_amount(own.rate, round_up(own.minutes, rounding_for(client)),
                                              client.currency).amount != own.amount:
        plan.repriced.append(entry.line)
    return False


def planned_json(plan: ImportPlan) -> list[dict[str, object]]:
    """The planned entries as the confirmation button's pending choice keeps them (nothing is stored before)."""
    return [{"key": entry.key, "client": client.id, "description": entry.description,
             "days": [[day.isoformat(), minutes] for day, minutes in entry.days], **_pricing(client, entry)}
            for client, entry in plan.planned]


def _pricing(client: Client, entry: Entry) -> dict[str, object]:
    """How a row of our own file bills: its fixed amount (an expense's too), else its rate when not the client's."""
    own = entry.own
    if own is None:
        return {}
    if own.fixed:
        return {"minutes": own.minutes, "fixed": str(own.amount), "expense": own.expense}
    return {"minutes": own.minutes, "rate": str(own.rate) if own.rate is not None and own.rate != client.rate else None}


def _work(client: Client, item: dict) -> list[Work]:
    """The tasks one planned entry becomes (one per day; a row of our own file is one, priced as it was)."""
    description = item["description"] or None
    if "minutes" not in item:
        return [Work(client, date.fromisoformat(day), int(minutes), None, None, description)
                for day, minutes in item["days"]]
    fixed = Money(Decimal(item["fixed"]), client.currency).rounded() if item.get("fixed") else None
    rate = Decimal(item["rate"]) if item.get("rate") else None
    return [Work(client, date.fromisoformat(item["days"][0][0]), item["minutes"], fixed, rate, description)]


@dataclass(frozen=True)
class ImportResult:
    entries: int
    task_numbers: tuple[int, ...]
    skipped: int
    """Entries imported meanwhile (the same file confirmed twice, in two chats) or whose client was deleted since
    the preview: left out now."""


def run_import(session: Session, account: Account, planned: Sequence[dict], now: datetime) -> ImportResult:
    """Add the planned entries as tasks, skipping any whose key arrived since the preview or whose client is gone.

    The journal's ``import.add`` change comes first: its number takes the account's row lock, so a second
    confirmation of the same file waits here until this one commits and then finds every key taken."""
    with change_group():
        change_id = record_change(session, account, IMPORT_KIND, now)
        taken = _imported_keys(session, account, [str(item["key"]) for item in planned])
        clients = {client.id: client for client in clients_service.active_clients(session, account)}
        works: list[Work] = []
        expenses: list[bool] = []
        remembered: list[ImportedEntry] = []
        for item in planned:
            client = clients.get(int(item["client"]))
            if item["key"] in taken or client is None:
                continue
            taken.add(str(item["key"]))
            added = _work(client, item)
            works.extend(added)
            expenses.extend([bool(item.get("expense"))] * len(added))
            remembered.append(ImportedEntry(account_id=account.id, key=item["key"], change_id=change_id,
                                            created_at=now))
        tasks = log_tasks(session, account, works, now)
        for task, expense in zip(tasks, expenses, strict=True):
            if expense:
                task.kind = EXPENSE
        numbers = tuple(task.number for task in tasks)
        session.add_all(remembered)
        session.execute(update(Change).where(Change.id == change_id)
                        .values(before=json.dumps({"entries": len(remembered), "tasks": len(numbers)})))
        session.flush()
    return ImportResult(len(remembered), numbers, len(planned) - len(remembered))


def forget_import(session: Session, change: Change) -> int:
    """/undo of an import: its keys go (its tasks are taken back by their own journal entries in the same group),
    so the same file can be imported again. Returns how many tasks the import had added."""
    session.execute(delete(ImportedEntry).where(ImportedEntry.account_id == change.account_id,
                                                ImportedEntry.change_id == change.id))
    return int(json.loads(change.before or "{}").get("tasks", 0))
