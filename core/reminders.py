"""Reminders: what each user asked to be reminded of, and the scheduler's side of it — claiming what is due.

A worker claims due reminders with a lease: it writes its name and an expiry on them in the transaction that
selected them (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so concurrent workers take disjoint rows; SQLite: every
transaction starts with ``BEGIN IMMEDIATE``, so claims queue on the write lock). Each message is then marked sent
on its own, just before it goes out, by moving ``next_due_at`` to the next occurrence — only if the lease is still
the worker's. A worker that dies leaves the rest of its batch leased but due: once the lease expires another worker
takes them over. A crash costs at most the one message marked but not yet handed over, and never sends one twice:
"never twice" wins over "at least once" for that single message.
After downtime a reminder is due once, and its next occurrence is computed from *now*: one catch-up, not a burst.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CursorResult,
    Exists,
    Select,
    bindparam,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from core.models import Account, Identity, Reminder, table
from core.schedule import ALL_DAYS, Rule, next_due, previous_due

KINDS = ("daily", "weekly", "overdue")
OVERDUE_CHECK_TIME = time(9, 0)
"""When, in the user's morning, open invoices are checked for having passed their due date."""
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=1))
"""Waits after the 1st, 2nd, 3rd and every later failed delivery in a row."""
TURNED_OFF = "off"
BLOCKED = "blocked"
CLAIM_BATCH = 500
LEASE = timedelta(minutes=5)
"""How long a claimed batch stays with its worker; past it, another worker takes over what is left unsent."""


def rule_of(reminder: Reminder, tz: str | ZoneInfo) -> Rule:
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return Rule(time.fromisoformat(reminder.local_time), reminder.weekdays, zone)


def set_reminder(session: Session, account: Account, kind: str, local_time: time, weekdays: str,
                 platform: str, chat_id: str, now: datetime, *, pinned: bool = False) -> Reminder:
    """Create or replace the account's reminder of this kind; it is delivered to the chat it was set from (or, with
    ``pinned``, to the platform the user named, whichever they write from later)."""
    assert kind in KINDS
    reminder = _find(session, account, kind)
    if reminder is None:
        reminder = Reminder(account_id=account.id, kind=kind, created_at=now)
        session.add(reminder)
    reminder.platform, reminder.chat_id, reminder.pinned = platform, chat_id, pinned
    reminder.local_time, reminder.weekdays = local_time.strftime("%H:%M"), weekdays
    _resume(reminder, account, now)
    session.flush()
    return reminder


_reminders = table(Reminder).c


def _following_elsewhere(platform: BindParameter[str]) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Reminders not pinned to a platform that go to another than ``platform``: those :func:`follow_user` moves."""
    return _reminders.pinned.is_(False), _reminders.platform != platform


_FOLLOW_USER = (
    update(table(Reminder))
    .where(_reminders.account_id == bindparam("account"), *_following_elsewhere(bindparam("to_platform")))
    .values(platform=bindparam("to_platform"), chat_id=bindparam("to_chat"))
)
"""Built once, on the table (no ORM bookkeeping): a message runs it when :func:`elsewhere_than` found some."""


def elsewhere_than(platform: BindParameter[str]) -> Exists:
    """Whether the account's reminders not pinned to a platform go to another than ``platform``: loaded with the
    account (``Account.reminders_elsewhere``), so :func:`follow_user` runs only when it changes something."""
    return exists().where(_reminders.account_id == Account.id, *_following_elsewhere(platform))


def follow_user(session: Session, account: Account, platform: str, chat_id: str) -> None:
    """Reminders not pinned to a platform go where the user last wrote from: a user who linked Telegram and Slack
    and now works in Slack is nudged in Slack. (One identity, one platform: this never changes anything.)"""
    session.execute(_FOLLOW_USER, {"account": account.id, "to_platform": platform, "to_chat": chat_id})


def usual_address(session: Session, account: Account) -> tuple[str, str] | None:
    """Where to reach the user when no chat asks (an invoice issued through the REST API): where their reminders
    go (unpinned ones follow them to the platform they last wrote from), else their first chat — a user id is the
    address of its private chat on every platform. None for an account no chat reaches."""
    reminder = session.scalars(select(Reminder).where(Reminder.account_id == account.id)
                               .order_by(Reminder.pinned, Reminder.id).limit(1)).first()
    if reminder is not None:
        return reminder.platform, reminder.chat_id
    identity = session.scalars(select(Identity).where(Identity.account_id == account.id)
                               .order_by(Identity.id).limit(1)).first()
    return None if identity is None else (identity.platform, identity.platform_user_id)


def watch_overdue(session: Session, account: Account, platform: str, chat_id: str, now: datetime) -> Reminder:
    """Make sure open invoices are checked for being overdue (called when an invoice is issued).

    One check a day per account, at 09:00 local, rather than a scan of every invoice on every tick: the tick
    stays a range read on ``ix_reminders_due`` however many invoices exist. A check the user turned off stays off.
    """
    reminder = _find(session, account, "overdue")
    if reminder is not None:
        return reminder
    return set_reminder(session, account, "overdue", OVERDUE_CHECK_TIME, ALL_DAYS, platform, chat_id, now)


def list_reminders(session: Session, account: Account) -> list[Reminder]:
    found = session.scalars(select(Reminder).where(Reminder.account_id == account.id))
    return sorted(found, key=lambda r: KINDS.index(r.kind))


def turn_off(session: Session, account: Account, kind: str | None = None) -> list[Reminder]:
    """Stop reminders (all, or one kind); they are kept so ``/remind on`` brings them back as they were."""
    changed = [r for r in list_reminders(session, account) if kind in (None, r.kind) and r.pause_reason != TURNED_OFF]
    for reminder in changed:
        reminder.paused, reminder.pause_reason = True, TURNED_OFF
    session.flush()
    return changed


def turn_on(session: Session, account: Account, now: datetime) -> list[Reminder]:
    """Resume every paused reminder (turned off, or paused because the bot was blocked) from now on."""
    changed = [r for r in list_reminders(session, account) if r.paused]
    for reminder in changed:
        _resume(reminder, account, now)
    session.flush()
    return changed


def reschedule(session: Session, account: Account, now: datetime) -> None:
    """Recompute the next instants after the account's timezone changed (a wall-clock time means local time)."""
    for reminder in list_reminders(session, account):
        reminder.next_due_at = next_due(rule_of(reminder, account.timezone), now)
    session.flush()


def _resume(reminder: Reminder, account: Account, now: datetime) -> None:
    reminder.paused, reminder.pause_reason, reminder.failures = False, None, 0
    reminder.lease_owner = reminder.lease_expires_at = None
    reminder.next_due_at = next_due(rule_of(reminder, account.timezone), now)


def _find(session: Session, account: Account, kind: str) -> Reminder | None:
    return session.scalar(select(Reminder).where(Reminder.account_id == account.id, Reminder.kind == kind))


@dataclass(frozen=True)
class Claim:
    """A reminder leased by one worker for one delivery; the outcome is recorded against ``next_due_at``."""

    reminder_id: int
    account_id: int
    kind: str
    platform: str
    chat_id: str
    occurrence: datetime
    """The regular occurrence this message stands for (the latest one not after the claim)."""
    next_due_at: datetime
    """The next regular occurrence, written when the message is marked sent; a later change by the user makes
    the outcome moot."""
    failures: int
    last_sent_at: datetime | None
    due_at: datetime
    """``next_due_at`` as the claim found it."""
    owner: str
    """The worker holding the lease."""


def claim_due(session: Session, now: datetime, platforms: set[str] | frozenset[str],
              limit: int = CLAIM_BATCH, *, owner: str, lease: timedelta = LEASE) -> list[Claim]:
    """Lease up to ``limit`` reminders due at ``now`` for these platforms to ``owner`` until ``now + lease``.

    Nothing is moved on yet: each message is marked sent by :func:`mark_sending` as it goes out. Reminders of a
    platform this worker can't deliver to are left for one that can.
    """
    rows = session.execute(due_query(now, platforms, limit)).all()
    claims = []
    for row in rows:
        rule = Rule(time.fromisoformat(row.local_time), row.weekdays, ZoneInfo(row.timezone))
        claims.append(Claim(row.id, row.account_id, row.kind, row.platform, row.chat_id,
                            occurrence=previous_due(rule, now), next_due_at=next_due(rule, now),
                            failures=row.failures, last_sent_at=row.last_sent_at, due_at=row.next_due_at,
                            owner=owner))
    if claims:
        session.execute(update(Reminder).where(Reminder.id.in_([c.reminder_id for c in claims]))
                        .values(lease_owner=owner, lease_expires_at=now + lease))
    return claims


def mark_sending(session: Session, claim: Claim) -> bool:
    """Move the reminder to its next occurrence just before its message goes out, if the lease is still ours
    and the user didn't change it meanwhile; False means: don't send (another worker took it over, or it changed).

    Committed before the send, so a crash between the two loses this one message rather than repeating it."""
    result = session.execute(
        update(Reminder)
        .where(Reminder.id == claim.reminder_id, Reminder.lease_owner == claim.owner,
               Reminder.next_due_at == claim.due_at)
        .values(next_due_at=claim.next_due_at, lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1  # an UPDATE's result is a cursor's


def release(session: Session, claims: list[Claim]) -> None:
    """Give back leases not used (a shutdown in the middle of a batch): another tick takes them at once."""
    for claim in claims:
        session.execute(update(Reminder)
                        .where(Reminder.id == claim.reminder_id, Reminder.lease_owner == claim.owner)
                        .values(lease_owner=None, lease_expires_at=None)
                        .execution_options(synchronize_session=False))


def due_query(now: datetime, platforms: set[str] | frozenset[str], limit: int) -> Select[*tuple[Any, ...]]:
    """The claim's SELECT: a range read on the partial index ``ix_reminders_due`` (``paused = false`` must be
    written just so for PostgreSQL to use it), locking only reminder rows and skipping those another worker holds
    — in a transaction (SKIP LOCKED) or by a lease that hasn't expired."""
    return (
        select(Reminder.id, Reminder.account_id, Reminder.kind, Reminder.platform, Reminder.chat_id,
               Reminder.local_time, Reminder.weekdays, Reminder.failures, Reminder.last_sent_at,
               Reminder.next_due_at, Account.timezone)
        .join(Account, Account.id == Reminder.account_id)
        .where(Reminder.paused == False, Reminder.next_due_at <= now,  # noqa: E712
               Reminder.platform.in_(sorted(platforms)),
               or_(Reminder.lease_expires_at.is_(None), Reminder.lease_expires_at <= now))
        .order_by(Reminder.next_due_at)
        .limit(limit)
        .with_for_update(of=table(Reminder), skip_locked=True)
    )


def count_due(session: Session, now: datetime) -> int:
    """Reminders due at ``now`` and not yet sent (leased or not): what the scheduler is behind by."""
    return session.scalar(
        select(func.count()).select_from(Reminder)
        .where(Reminder.paused == False, Reminder.next_due_at <= now)  # noqa: E712
    ) or 0


def _unchanged(claim: Claim) -> ColumnElement[bool]:
    """The claimed row as the claim left it — leased to this worker, or marked sent by it (the user may have
    changed or stopped it since, or another worker taken it over)."""
    leased = (Reminder.lease_owner == claim.owner) & (Reminder.next_due_at == claim.due_at)
    marked = Reminder.lease_owner.is_(None) & (Reminder.next_due_at == claim.next_due_at)
    return (Reminder.id == claim.reminder_id) & (leased | marked)


def record_sent(session: Session, claim: Claim, now: datetime, *, delivered: bool = True) -> None:
    """A delivery went through (or there was nothing to say, ``delivered=False``): the failure streak ends."""
    values: dict[str, object] = {"failures": 0}
    if delivered:
        values["last_sent_at"] = now
    session.execute(update(Reminder).where(_unchanged(claim)).values(**values))


def record_failure(session: Session, claim: Claim, now: datetime) -> datetime:
    """Retry after a growing wait — but never later than the next regular occurrence, which stays as it was."""
    wait = BACKOFF[min(claim.failures, len(BACKOFF) - 1)]
    retry_at = min(now + wait, claim.next_due_at)
    session.execute(update(Reminder).where(_unchanged(claim))
                    .values(next_due_at=retry_at, failures=Reminder.failures + 1, lease_owner=None,
                            lease_expires_at=None))
    return retry_at


def record_blocked(session: Session, claim: Claim, reason: str) -> int:
    """The user blocked the bot in that chat: pause every reminder going there rather than retry forever."""
    result = session.execute(
        update(Reminder)
        .where(Reminder.account_id == claim.account_id, Reminder.platform == claim.platform,
               Reminder.chat_id == claim.chat_id, Reminder.paused == False)  # noqa: E712
        .values(paused=True, pause_reason=f"{BLOCKED}: {reason}"[:200], lease_owner=None, lease_expires_at=None)
    )
    return cast(CursorResult[Any], result).rowcount  # an UPDATE's result is a cursor's
