"""Chat commands for reminders (/remind, /reminders) and the nudge's "same as yesterday" button (/again)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core import reminders as service
from core.accounts import format_date
from core.context import Context
from core.digests import describe
from core.errors import UserError
from core.i18n import N_, _, ngettext, pgettext
from core.limits import record_number
from core.messages import Action, Reply
from core.models import Identity, Reminder
from core.repeats import repeat_day, undo_repeat
from core.schedule import ALL_DAYS, describe_days, parse_time, parse_weekday, parse_weekdays

USAGE = N_("Use /remind daily 18:00 [weekdays], /remind weekly fri 16:00, /remind overdue [09:00], "
           "/remind off [daily|weekly|overdue] or /remind on.")
HERE = {"local": N_("here in the terminal"), "telegram": N_("here in Telegram"), "slack": N_("here in Slack")}
THERE = {"local": N_("in the terminal"), "telegram": N_("in Telegram"), "slack": N_("in Slack")}


def _name(kind: str) -> str:
    """A reminder as a list starts its line: "Daily nudge to log your work"."""
    return {"daily": _("Daily nudge to log your work"), "weekly": _("Weekly digest of unbilled work"),
            "overdue": _("Overdue-invoice check")}[kind]


def _name_in_sentence(kind: str) -> str:
    """A reminder named inside a sentence: "Stopped: daily nudge to log your work"."""
    return {"daily": pgettext("reminder named in a sentence", "daily nudge to log your work"),
            "weekly": pgettext("reminder named in a sentence", "weekly digest of unbilled work"),
            "overdue": pgettext("reminder named in a sentence", "overdue-invoice check")}[kind]


def _platform_name(platform: str) -> str:
    return {"telegram": "Telegram", "slack": "Slack", "local": _("the terminal")}.get(platform, platform)


def _here(platform: str) -> str:
    return _(HERE[platform]) if platform in HERE else platform


def _there(platform: str) -> str:
    return _(THERE[platform]) if platform in THERE else platform


PLATFORM_WORDS = {"telegram": "telegram", "slack": "slack", "terminal": "local", "local": "local"}
"""``/remind … on telegram``: the platform a reminder is pinned to, by the name the user types."""


def _take_platform(words: list[str]) -> tuple[list[str], str | None]:
    """``daily 18:00 on telegram`` → ``[daily, 18:00]`` and ``telegram``; None where no platform is named."""
    for at in range(1, len(words) - 1):
        if words[at].lower() == "on" and words[at + 1].lower() in PLATFORM_WORDS:
            return words[:at] + words[at + 2:], PLATFORM_WORDS[words[at + 1].lower()]
    return words, None


def _is_time(word: str) -> bool:
    try:
        parse_time(word)
    except UserError:
        return False
    return True


def remind(ctx: Context, args: str) -> Reply:
    words, platform = _take_platform(args.split())
    if not words:
        raise UserError(_(USAGE))
    if platform is not None and words[0].lower() not in ("daily", "weekly", "overdue"):
        raise UserError(_("Name the platform after the reminder: /remind daily 18:00 on telegram."))
    head, rest = words[0].lower(), [word for word in words[1:] if word.lower() not in ("at", "on")]
    if head in service.KINDS and [w.lower() for w in rest] in (["off"], ["stop"]):
        return _off(ctx, [head])  # "/remind daily off" reads as naturally as "/remind off daily"
    if head == "daily":
        if not rest:
            raise UserError(_("Give the time: /remind daily 18:00, or /remind daily 18:00 weekdays."))
        return _set(ctx, "daily", rest[0], parse_weekdays(" ".join(rest[1:])), platform)
    if head == "weekly":
        days = [(word, parse_weekday(word)) for word in rest]
        named = [(word, day) for word, day in days if day is not None]
        times = [word for word, day in days if day is None]
        unknown = [word for word in times if not _is_time(word)]
        if unknown and (len(times) > 1 or not named):  # the word meant as the day, not a mistyped time
            raise UserError(_("“{word}” is not a day I know. Give one day and a time: /remind weekly fri 16:00.")
                            .format(word=unknown[0]))
        if len(named) != 1 or len(times) != 1:
            raise UserError(_("Give one day and a time: /remind weekly fri 16:00."))
        return _set(ctx, "weekly", times[0], str(named[0][1]), platform)
    if head == "overdue":
        if len(rest) > 1:
            raise UserError(_("Use /remind overdue, or /remind overdue 09:00 to choose when I check."))
        return _set(ctx, "overdue", rest[0] if rest else "09:00", ALL_DAYS, platform)
    if head in ("off", "stop"):
        return _off(ctx, rest)
    if head in ("on", "resume"):
        return _on(ctx)
    raise UserError(_("I can't set a “{kind}” reminder.").format(kind=head) + " " + _(USAGE))


def _set(ctx: Context, kind: str, time_text: str, weekdays: str, platform: str | None = None) -> Reply:
    at = parse_time(time_text)
    platform_name, address = ctx.incoming.platform, ctx.private_address
    if platform is not None and platform != ctx.incoming.platform:
        identity = ctx.session.scalar(select(Identity).where(Identity.account_id == ctx.account.id,
                                                             Identity.platform == platform).order_by(Identity.id))
        if identity is None:
            raise UserError(_("These books aren't linked to {platform} yet: send /link here and type the code "
                              "there, then set the reminder again.").format(platform=_platform_name(platform)))
        platform_name, address = platform, identity.platform_user_id
    reminder = service.set_reminder(ctx.session, ctx.account, kind, at, weekdays, platform_name, address, ctx.now,
                                    pinned=platform is not None)
    sentence = {
        "daily": _("I'll remind you to log your work at {time}, {days} ({zone}), {where}. Next: {next}."),
        "weekly": _("I'll send you a digest of unbilled work at {time}, {days} ({zone}), {where}. Next: {next}."),
        "overdue": _("I'll check your open invoices and tell you when one is overdue at {time}, {days} ({zone}), "
                     "{where}. Next: {next}."),
    }[kind]
    text = sentence.format(time=reminder.local_time, days=_days(reminder), zone=ctx.account.timezone,
                           where=_here(reminder.platform) if reminder.platform == ctx.incoming.platform else
                           _there(reminder.platform), next=_next(ctx, reminder))
    text += "\n" + _("/reminders lists them; /remind off stops them.")
    if reminder.platform == "local":  # a terminal has no one listening between chats
        text += "\n" + _("In the terminal, reminders are printed by `invoicebot reminders run-once`: run it every "
                         "minute from cron (or a systemd timer).")
    return Reply(text)


def _off(ctx: Context, rest: list[str]) -> Reply:
    kind = rest[0].lower() if rest else None
    if kind is not None and (kind not in service.KINDS or len(rest) > 1):
        raise UserError(_("Use /remind off to stop every reminder, or /remind off daily (or weekly, overdue)."))
    stopped = service.turn_off(ctx.session, ctx.account, kind)
    if not stopped:
        if kind is None:
            return Reply(_("There was nothing to stop: no reminders are on."))
        return Reply(_("There was nothing to stop: your {reminder} isn't on.").format(reminder=_name_in_sentence(kind)))
    names = ", ".join(_name_in_sentence(r.kind) for r in stopped)
    return Reply(ngettext("Stopped: {names}. /remind on brings it back.", "Stopped: {names}. /remind on brings them back.",
                          len(stopped)).format(names=names))


def _on(ctx: Context) -> Reply:
    resumed = service.turn_on(ctx.session, ctx.account, ctx.now)
    if not resumed:
        raise UserError(_("No reminder is paused. Set one with /remind daily 18:00 or /remind weekly fri 16:00."))
    lines = [_("Resumed:")]
    lines += ["• " + _("{reminder}: {time}, {days} — next {next}").format(
        reminder=_name(r.kind), time=r.local_time, days=_days(r), next=_next(ctx, r)) for r in resumed]
    return Reply("\n".join(lines))


def list_reminders(ctx: Context, args: str) -> Reply:
    found = service.list_reminders(ctx.session, ctx.account)
    if not found:
        return Reply(_("You have no reminders. Set one: /remind daily 18:00 weekdays, /remind weekly fri 16:00, "
                       "or /remind overdue for a note when an invoice is overdue."))
    lines = [_("Your reminders (times in {zone}):").format(zone=ctx.account.timezone)]
    for reminder in found:
        if reminder.pause_reason == service.TURNED_OFF:
            line = _("{reminder}: {time}, {days} — off (/remind on)")
        elif reminder.paused:
            line = _("{reminder}: {time}, {days} — paused: I couldn't reach you {where} (blocked?); /remind on "
                     "resumes it")
        else:
            line = _("{reminder}: {time}, {days} — next {next}, {where}")
        lines.append("• " + line.format(reminder=_name(reminder.kind), time=reminder.local_time, days=_days(reminder),
                                        where=_there(reminder.platform), next=_next(ctx, reminder)))
    return Reply("\n".join(lines))


def again(ctx: Context, args: str) -> Reply:
    """``/again`` logs yesterday's work again today; the nudge's button names both days; ``/again undo A-B``."""
    words = args.split()
    if words and words[0].lower() == "undo":
        first_text, _dash, last_text = (words[1] if len(words) == 2 else "").partition("-")
        first, last = record_number(first_text), record_number(last_text)
        if first is None or last is None:
            raise UserError(_("Use the Undo button under the repeated entries (or /undo for the last one)."))
        removed = undo_repeat(ctx.session, ctx.account, first, last, ctx.now)
        return Reply(ngettext("Removed {n} repeated entry: {tasks}.", "Removed {n} repeated entries: {tasks}.",
                              len(removed)).format(n=len(removed), tasks=", ".join(f"#{t.number}" for t in removed)))
    if not words:
        source, target = ctx.today - timedelta(days=1), ctx.today
    elif len(words) == 2:
        source, target = _date(words[0]), _date(words[1])
    else:
        raise UserError(_("Use /again to log yesterday's work again for today."))
    if target > ctx.today:
        raise UserError(_("{date} is still ahead; I only log work that happened.").format(
            date=format_date(target, ctx.locale)))
    copies = repeat_day(ctx.session, ctx.account, source, target, ctx.now)
    lines = [_("Logged again for {date}:").format(date=format_date(target, ctx.locale))]
    lines += [f"• #{t.number} {describe(t, ctx.locale)}" for t in copies]
    return Reply("\n".join(lines),
                 actions=(Action(_("Undo"), f"/again undo {copies[0].number}-{copies[-1].number}"),))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(_("“{text}” is not a date like 2026-11-23.").format(text=text)) from None


def _days(reminder: Reminder) -> str:
    return describe_days(reminder.weekdays)


def _next(ctx: Context, reminder: Reminder) -> str:
    local = reminder.next_due_at.astimezone(ctx.tz)
    return f"{format_date(local.date(), ctx.locale)} {local:%H:%M}"
