"""Chat commands for reminders (/remind, /reminders) and the nudge's "same as yesterday" button (/again)."""
from __future__ import annotations

from datetime import date, timedelta

from core import reminders as service
from core.accounts import format_date
from core.context import Context
from core.digests import describe
from core.errors import UserError
from core.limits import record_number
from core.messages import Action, Reply
from core.models import Reminder
from core.repeats import repeat_day, undo_repeat
from core.schedule import ALL_DAYS, describe_days, parse_day, parse_time, parse_weekdays

USAGE = ("Use /remind daily 18:00 [weekdays], /remind weekly fri 16:00, /remind overdue [09:00], "
         "/remind off [daily|weekly|overdue] or /remind on.")
WHAT = {"daily": "Daily nudge to log your work", "weekly": "Weekly digest of unbilled work",
        "overdue": "Overdue-invoice check"}
WHERE = {"local": "the terminal", "telegram": "Telegram", "slack": "Slack"}


def remind(ctx: Context, args: str) -> Reply:
    words = args.split()
    if not words:
        raise UserError(USAGE)
    head, rest = words[0].lower(), [word for word in words[1:] if word.lower() not in ("at", "on")]
    if head in service.KINDS and [w.lower() for w in rest] in (["off"], ["stop"]):
        return _off(ctx, [head])  # "/remind daily off" reads as naturally as "/remind off daily"
    if head == "daily":
        if not rest:
            raise UserError("Give the time: /remind daily 18:00, or /remind daily 18:00 weekdays.")
        return _set(ctx, "daily", rest[0], parse_weekdays(" ".join(rest[1:])))
    if head == "weekly":
        days = [(word, parse_day(word)) for word in rest]
        named = [(word, day) for word, day in days if day is not None]
        times = [word for word, day in days if day is None]
        if len(named) != 1 or len(times) != 1:
            raise UserError("Give one day and a time: /remind weekly fri 16:00.")
        return _set(ctx, "weekly", times[0], str(named[0][1]))
    if head == "overdue":
        if len(rest) > 1:
            raise UserError("Use /remind overdue, or /remind overdue 09:00 to choose when I check.")
        return _set(ctx, "overdue", rest[0] if rest else "09:00", ALL_DAYS)
    if head in ("off", "stop"):
        return _off(ctx, rest)
    if head in ("on", "resume"):
        return _on(ctx)
    raise UserError(f"I can't set a “{head}” reminder. {USAGE}")


def _set(ctx: Context, kind: str, time_text: str, weekdays: str) -> Reply:
    at = parse_time(time_text)
    incoming = ctx.incoming
    reminder = service.set_reminder(ctx.session, ctx.account, kind, at, weekdays, incoming.platform,
                                    ctx.private_address, ctx.now)
    what = {"daily": "I'll remind you to log your work", "weekly": "I'll send you a digest of unbilled work",
            "overdue": "I'll check your open invoices and tell you when one is overdue"}[kind]
    return Reply(f"{what} at {reminder.local_time}, {_days(reminder)} ({ctx.account.timezone}), "
                 f"here in {WHERE.get(reminder.platform, reminder.platform)}. Next: {_next(ctx, reminder)}.\n"
                 "/reminders lists them; /remind off stops them." + _delivery_note(reminder.platform))


def _delivery_note(platform: str) -> str:
    """A terminal has no one listening between chats: its reminders are printed by a scheduled run-once."""
    if platform != "local":
        return ""
    return ("\nIn the terminal, reminders are printed by `invoicebot reminders run-once`: "
            "run it every minute from cron (or a systemd timer).")


def _off(ctx: Context, rest: list[str]) -> Reply:
    kind = rest[0].lower() if rest else None
    if kind is not None and (kind not in service.KINDS or len(rest) > 1):
        raise UserError("Use /remind off to stop every reminder, or /remind off daily (or weekly, overdue).")
    stopped = service.turn_off(ctx.session, ctx.account, kind)
    if not stopped:
        return Reply("There was nothing to stop: " + ("no reminders are on." if kind is None
                                                      else f"your {kind} reminder isn't on."))
    names = ", ".join(WHAT[r.kind].lower() for r in stopped)
    return Reply(f"Stopped: {names}. /remind on brings {'it' if len(stopped) == 1 else 'them'} back.")


def _on(ctx: Context) -> Reply:
    resumed = service.turn_on(ctx.session, ctx.account, ctx.now)
    if not resumed:
        raise UserError("No reminder is paused. Set one with /remind daily 18:00 or /remind weekly fri 16:00.")
    return Reply("Resumed:\n" + "\n".join(f"• {WHAT[r.kind]}: {r.local_time}, {_days(r)} — next {_next(ctx, r)}"
                                          for r in resumed))


def list_reminders(ctx: Context, args: str) -> Reply:
    found = service.list_reminders(ctx.session, ctx.account)
    if not found:
        return Reply("You have no reminders. Set one: /remind daily 18:00 weekdays, /remind weekly fri 16:00, "
                     "or /remind overdue for a note when an invoice is overdue.")
    lines = [f"Your reminders (times in {ctx.account.timezone}):"]
    for reminder in found:
        line = f"• {WHAT[reminder.kind]}: {reminder.local_time}, {_days(reminder)}"
        if reminder.pause_reason == service.TURNED_OFF:
            line += " — off (/remind on)"
        elif reminder.paused:
            line += (f" — paused: I couldn't reach you in {WHERE.get(reminder.platform, reminder.platform)} "
                     "(blocked?); /remind on resumes it")
        else:
            line += f" — next {_next(ctx, reminder)}, in {WHERE.get(reminder.platform, reminder.platform)}"
        lines.append(line)
    return Reply("\n".join(lines))


def again(ctx: Context, args: str) -> Reply:
    """``/again`` logs yesterday's work again today; the nudge's button names both days; ``/again undo A-B``."""
    words = args.split()
    if words and words[0].lower() == "undo":
        first_text, _, last_text = (words[1] if len(words) == 2 else "").partition("-")
        first, last = record_number(first_text), record_number(last_text)
        if first is None or last is None:
            raise UserError("Use the Undo button under the repeated entries (or /undo for the last one).")
        removed = undo_repeat(ctx.session, ctx.account, first, last, ctx.now)
        return Reply(f"Removed {len(removed)} repeated entr{'y' if len(removed) == 1 else 'ies'}: "
                     + ", ".join(f"#{t.number}" for t in removed) + ".")
    if not words:
        source, target = ctx.today - timedelta(days=1), ctx.today
    elif len(words) == 2:
        source, target = _date(words[0]), _date(words[1])
    else:
        raise UserError("Use /again to log yesterday's work again for today.")
    if target > ctx.today:
        raise UserError(f"{format_date(target, ctx.locale)} is still ahead; I only log work that happened.")
    copies = repeat_day(ctx.session, ctx.account, source, target, ctx.now)
    lines = [f"Logged again for {format_date(target, ctx.locale)}:"]
    lines += [f"• #{t.number} {describe(t, ctx.locale)}" for t in copies]
    return Reply("\n".join(lines), actions=(Action("Undo", f"/again undo {copies[0].number}-{copies[-1].number}"),))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"“{text}” is not a date like 2026-11-23.") from None


def _days(reminder: Reminder) -> str:
    return describe_days(reminder.weekdays)


def _next(ctx: Context, reminder: Reminder) -> str:
    local = reminder.next_due_at.astimezone(ctx.tz)
    return f"{format_date(local.date(), ctx.locale)} {local:%H:%M}"
