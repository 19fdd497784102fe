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

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core import clients as clients_service
from core.journal import change_group, record_change
from core.models import Account, Change, Client, ImportedEntry
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
    already: int = 0
    split: int = 0
    """Entries running past midnight (each becomes one task per day)."""
    by_project: int = 0


def plan_import(session: Session, account: Account, sheet: Timesheet) -> ImportPlan:
    clients = {client.name_key: client for client in clients_service.active_clients(session, account)}
    keys = [entry.key for entry in sheet.entries]
    done: set[str] = set()
    for start in range(0, len(keys), 500):  # a bound list per query, whatever the database's parameter limit
        done.update(session.scalars(select(ImportedEntry.key).where(
            ImportedEntry.account_id == account.id, ImportedEntry.key.in_(keys[start:start + 500]))))
    plan = ImportPlan(sheet)
    for entry in sheet.entries:
        if entry.key in done:
            plan.already += 1
            continue
        client = clients.get(clients_service.name_key(entry.client))
        if client is None:
            plan.unknown[entry.client] = plan.unknown.get(entry.client, 0) + 1
            continue
        share = plan.known.setdefault(client.name, ClientShare(client.name))
        share.entries += 1
        share.tasks += len(entry.days)
        share.minutes += sum(minutes for _day, minutes in entry.days)
        plan.split += len(entry.days) > 1
        plan.by_project += entry.by_project
        plan.planned.append((client, entry))
    return plan


def planned_json(plan: ImportPlan) -> list[dict[str, object]]:
    """The planned entries as the confirmation button's pending choice keeps them (nothing is stored before)."""
    return [{"key": entry.key, "client": client.id, "description": entry.description,
             "days": [[day.isoformat(), minutes] for day, minutes in entry.days]} for client, entry in plan.planned]


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
        keys = [str(item["key"]) for item in planned]
        taken: set[str] = set()
        for start in range(0, len(keys), 500):
            taken.update(session.scalars(select(ImportedEntry.key).where(
                ImportedEntry.account_id == account.id, ImportedEntry.key.in_(keys[start:start + 500]))))
        clients = {client.id: client for client in clients_service.active_clients(session, account)}
        works: list[Work] = []
        remembered: list[ImportedEntry] = []
        for item in planned:
            client = clients.get(int(item["client"]))
            if item["key"] in taken or client is None:
                continue
            taken.add(str(item["key"]))
            works.extend(Work(client, date.fromisoformat(day), int(minutes), None, None, item["description"] or None)
                         for day, minutes in item["days"])
            remembered.append(ImportedEntry(account_id=account.id, key=item["key"], change_id=change_id,
                                            created_at=now))
        numbers = tuple(task.number for task in log_tasks(session, account, works, now))
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
