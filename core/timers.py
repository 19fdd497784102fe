"""Timers: /timer starts one, /stop turns the time since then into a task (SPEC §6).

One timer per account, kept as a row (``timers``, unique per account): it survives restarts, and every process
(and, once identities are linked, every platform) sees and stops the same one. Starting, stopping and cancelling
are journaled, so /undo takes each back: a stopped timer runs again (its task goes), a cancelled one comes back.

Decisions:

- **Elapsed time is measured between two instants** (UTC), never between two wall-clock readings: a timer running
  across a daylight-saving change counts the hours that really passed (01:30 to 03:30 on the night the clocks go
  back is three hours). It is rounded to the nearest minute.
- **Midnight: the task is logged on the day the timer started**, whole, never split per day. A session from 22:00
  to 01:30 is one piece of work: split in two it would show up as two entries, be rounded up twice by a billing
  increment (22:07–00:05 at 15 minutes bills 2h15 split, 2h whole), and need two Undos. Toggl and Clockify keep
  such an entry on its start day too. Reports and invoices therefore date it on the evening it began.
- ``since HH:MM`` and ``at HH:MM`` are local times today: refused when ahead of now, and ``at`` when before the
  start. A wall time that occurs twice today (the hour the clocks go back) is its latest occurrence that fits;
  one that doesn't occur (the hour skipped in spring) is refused.
- A timer longer than one entry may be (24 h, as for a typed phrase) is refused at /stop with the ways out: stop it
  at the time work really ended, or cancel it and log the time by hand.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.accounts import format_date
from core.errors import UserError
from core.i18n import _, current_locale, format_minutes
from core.journal import change_group, record_change
from core.models import Account, Client, Task, Timer
from core.tasks import Work, log_task

LONG_RUNNING = timedelta(hours=10)
"""A timer running longer than this is mentioned in the next reminder: it was probably forgotten."""
MAX_ENTRY_MINUTES = 24 * 60


@dataclass(frozen=True)
class TimerWork:
    """What a timer is for: the client, the description and a rate of the phrase, as the task will get them."""

    client: Client
    description: str | None
    rate: Decimal | None


def running_timer(session: Session, account: Account, *, lock: bool = False) -> Timer | None:
    """The account's running timer; ``lock`` holds it until commit, so two /stop at once log it once."""
    query = select(Timer).where(Timer.account_id == account.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def start_timer(session: Session, account: Account, work: TimerWork, started_at: datetime,
                now: datetime) -> Timer:
    """Start the account's timer at ``started_at``; refused while one runs (the command asks before that)."""
    timer = Timer(account_id=account.id, client_id=work.client.id, client=work.client,
                  description=work.description, rate=work.rate, started_at=started_at, created_at=now)
    try:
        with session.begin_nested():  # another process may have started one a moment ago: the unique index says so
            session.add(timer)
            session.flush()
    except IntegrityError:
        raise UserError(_("A timer is already running; /timer shows it.")) from None
    record_change(session, account, "timer.start", now, timer.id)
    return timer


def stop_timer(session: Session, account: Account, stopped_at: datetime, now: datetime,
               tz: ZoneInfo) -> tuple[Task, int]:
    """Log the running timer's time as a task dated on its start day (the docstring above says why), and end it.

    Returns ``(task, minutes)``. Journaled as one change with the task, so /undo takes back both: the task goes
    and the timer runs again."""
    timer = running_timer(session, account, lock=True)
    if timer is None:
        raise UserError(_("No timer is running. Start one with /timer logo design for ACME."))
    if stopped_at < timer.started_at:
        raise UserError(_("Your timer started at {start}; it can't stop at {time}, before that.").format(
            start=format_instant(timer.started_at, tz, now), time=format_instant(stopped_at, tz, now)))
    minutes = elapsed_minutes(timer.started_at, stopped_at)
    if minutes == 0:
        raise UserError(_("The timer ran less than a minute, so there is nothing to log. /timer cancel drops it."))
    if minutes > MAX_ENTRY_MINUTES:
        raise UserError(_("Your timer has run {duration} since {start}: more than one entry can hold (24h). If you "
                          "stopped working earlier today, use /stop at HH:MM; otherwise /timer cancel and log what "
                          "you did, e.g. “8h logo design for ACME on monday”.").format(
            duration=format_minutes(minutes), start=format_instant(timer.started_at, tz, now)))
    work = Work(client=timer.client, work_date=timer.started_at.astimezone(tz).date(), minutes=minutes,
                fixed_amount=None, rate=timer.rate, description=timer.description)
    with change_group():
        record_change(session, account, "timer.stop", now, timer.id, timer_snapshot(timer))
        session.delete(timer)
        task = log_task(session, account, work, now)
    return task, minutes


def cancel_timer(session: Session, account: Account, now: datetime) -> Timer:
    """End the running timer without logging anything; /undo brings it back."""
    timer = running_timer(session, account, lock=True)
    if timer is None:
        raise UserError(_("No timer is running, so there is nothing to cancel."))
    record_change(session, account, "timer.cancel", now, timer.id, timer_snapshot(timer))
    session.delete(timer)
    session.flush()
    return timer


def timer_snapshot(timer: Timer) -> dict[str, object]:
    """What /undo needs to start a stopped or cancelled timer again, as it was."""
    return {"client_id": timer.client_id, "description": timer.description, "rate": timer.rate,
            "started_at": timer.started_at.astimezone(UTC).isoformat()}


def restore_timer(session: Session, account: Account, snapshot: dict[str, object], now: datetime) -> Timer:
    """Start a timer again from its snapshot (an undone /stop or /timer cancel), with its original start."""
    if running_timer(session, account) is not None:
        raise UserError(_("Another timer is running now, so I can't bring the earlier one back. Nothing was "
                          "changed."))
    client = session.get(Client, snapshot["client_id"])
    assert client is not None and client.account_id == account.id
    rate = snapshot.get("rate")
    timer = Timer(account_id=account.id, client_id=client.id, client=client,
                  description=snapshot.get("description"), rate=Decimal(str(rate)) if rate is not None else None,
                  started_at=datetime.fromisoformat(str(snapshot["started_at"])), created_at=now)
    session.add(timer)
    session.flush()
    return timer


def drop_timer(session: Session, account: Account) -> Timer | None:
    """Take back a start: the running timer goes, nothing is logged (an undone /timer)."""
    timer = running_timer(session, account, lock=True)
    if timer is not None:
        session.delete(timer)
        session.flush()
    return timer


def elapsed_minutes(start: datetime, end: datetime) -> int:
    """Whole minutes between two instants, to the nearest minute (a DST change in between counts as it passed)."""
    seconds = (end - start).total_seconds()
    return int((seconds + 30) // 60)


def parse_clock_time(text: str) -> time:
    """``9:12``, ``09:12``, ``9.12`` → 09:12; anything else is a sentence showing the form."""
    cleaned = text.strip().lower().replace(".", ":").replace("h", ":")
    hours, sep, minutes = cleaned.partition(":")
    if sep and hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit() \
            and len(hours) <= 2 and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60:
        return time(int(hours), int(minutes))
    raise UserError(_("Give the time as HH:MM, e.g. 09:15; “{text}” isn't one.").format(text=text.strip()))


def instant_today(clock: time, now: datetime, tz: ZoneInfo, *, not_before: datetime | None = None) -> datetime:
    """The instant at which the wall clock showed ``clock`` today, in the user's timezone: refused when it is still
    ahead of ``now`` or, with ``not_before``, earlier than that. Of the two instants a repeated hour has, the
    latest that fits."""
    today = now.astimezone(tz).date()
    candidates = []
    for fold in (0, 1):
        local = datetime.combine(today, clock, tzinfo=tz).replace(fold=fold)
        instant = local.astimezone(UTC)
        if instant.astimezone(tz).time() == clock and instant not in candidates:  # a skipped time doesn't return
            candidates.append(instant)
    shown = format_clock(clock)
    if not candidates:
        raise UserError(_("{time} doesn't exist today in {zone}: the clocks skipped it.").format(
            time=shown, zone=tz.key))
    past = [instant for instant in candidates if instant <= now]
    if not past:
        raise UserError(_("{time} is still ahead today (it's {now} now): give a time that has passed.").format(
            time=shown, now=format_instant(now, tz, now)))
    if not_before is not None:
        past = [instant for instant in past if instant >= not_before]
        if not past:
            raise UserError(_("Your timer started at {start}; it can't stop at {time}, before that.").format(
                start=format_instant(not_before, tz, now), time=shown))
    return max(past)


def format_clock(clock: time) -> str:
    from babel.dates import format_time

    return format_time(clock, format="short", locale=current_locale())


def format_instant(instant: datetime, tz: ZoneInfo, now: datetime) -> str:
    """``09:12`` when it is today (in the user's timezone), else ``23 Nov 2026, 22:00``."""
    local = instant.astimezone(tz)
    clock = format_clock(local.time())
    if local.date() == now.astimezone(tz).date():
        return clock
    return _("{date}, {time}").format(date=format_date(local.date()), time=clock)


def forgotten_timer_note(session: Session, account: Account, now: datetime) -> str | None:
    """The sentence a reminder opens with when the account's timer has run past :data:`LONG_RUNNING`: most likely
    it was forgotten, and the time it logs would be wrong."""
    timer = running_timer(session, account)
    if timer is None or now - timer.started_at < LONG_RUNNING:
        return None
    tz = ZoneInfo(account.timezone)
    what = timer.client.name + (f" — {timer.description}" if timer.description else "")
    return _("Your timer for {what} is still running since {start} ({elapsed}). Stop it at the time you stopped "
             "working: /stop at HH:MM — or now: /stop.").format(
        what=what, start=format_instant(timer.started_at, tz, now),
        elapsed=format_minutes(elapsed_minutes(timer.started_at, now)))
