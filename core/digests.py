"""What a reminder says: the daily "log your work" nudge, the weekly digest of unbilled work, the overdue notice.

Composed when the reminder is sent, not when it was scheduled, so it reflects the books at that moment; amounts
come from the same task pricing the invoices use. ``None`` means there is nothing worth a message.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from core.accounts import format_date
from core.i18n import _, current_locale, format_minutes, ngettext, use_language
from core.languages import reply_language, reply_locale
from core.messages import Action, Reply
from core.models import Account, Invoice, Task
from core.money import Money, format_amounts, format_money, totals_by_currency
from core.payments import PaidSoFar, paid_by_invoice
from core.reminders import Claim
from core.repeats import tasks_on
from core.tasks import is_fixed_price, task_amount, total_tasks, unbilled_totals
from core.timers import forgotten_timer_note

MAX_ACTIONS = 4
OVERDUE_REPEAT = timedelta(days=7)


def compose(session: Session, claim: Claim, now: datetime) -> Reply | None:
    """The reminder's message, in the language the user's replies are in."""
    account = session.get(Account, claim.account_id)
    if account is None:
        return None
    with use_language(reply_language(account), reply_locale(account)):
        return _compose(session, account, claim, now, current_locale())


def _compose(session: Session, account: Account, claim: Claim, now: datetime, locale: str) -> Reply | None:
    tz = ZoneInfo(account.timezone)
    day = claim.occurrence.astimezone(tz).date()
    if claim.kind == "daily":
        return _with_timer_note(session, account, now,
                                daily_nudge(session, account, day, today=now.astimezone(tz).date(), locale=locale))
    if claim.kind == "weekly":
        return _with_timer_note(session, account, now, weekly_digest(session, account, locale))
    last = claim.last_sent_at.astimezone(tz).date() if claim.last_sent_at else None
    return overdue_notice(session, account, day, last, locale)


def _with_timer_note(session: Session, account: Account, now: datetime, reply: Reply) -> Reply:
    """A timer running for hours is mentioned first, with a Stop button: it was most likely forgotten."""
    note = forgotten_timer_note(session, account, now)
    if note is None:
        return reply
    return replace(reply, text=f"{note}\n\n{reply.text}", actions=(Action(_("Stop now"), "/stop"), *reply.actions))


def daily_nudge(session: Session, account: Account, day: date, *, today: date, locale: str) -> Reply:
    """What was logged on ``day``; when nothing, a nudge with a one-tap "same as the day before"."""
    shown = format_date(day, locale)
    logged = tasks_on(session, account, day)
    if logged:
        totals = total_tasks(logged)
        summary = ", ".join(([format_minutes(totals.minutes)] if totals.minutes else [])
                            + ([format_amounts(totals.amounts, locale)] if totals.amounts else []))
        head = (_("Logged today ({date}): {summary}") if day == today
                else _("Logged on {date}: {summary}")).format(date=shown, summary=summary)
        lines = [head] + [f"• {describe(t, locale)}" for t in logged]
        lines.append(_("Anything missing? Just tell me, e.g. “1h call with ACME”."))
        return Reply("\n".join(lines))
    text = (_("Nothing logged today ({date}). What did you work on? Tell me in plain words, e.g. “2h logo design for "
              "ACME”.") if day == today else
            _("Nothing logged on {date}. What did you work on? Tell me in plain words, e.g. “2h logo design for "
              "ACME”.")).format(date=shown)
    before = day - timedelta(days=1)
    previous = tasks_on(session, account, before)
    if not previous:
        return Reply(text)
    listed = "; ".join(describe(t, locale) for t in previous[:3]) + ("; …" if len(previous) > 3 else "")
    text += "\n" + _("Or log the same as the day before: {tasks}.").format(tasks=listed)
    return Reply(text, actions=(Action(_("Same as yesterday"), f"/again {before.isoformat()} {day.isoformat()}"),))


def weekly_digest(session: Session, account: Account, locale: str) -> Reply:
    """Unbilled hours and amounts per client, the oldest unbilled date, and the /invoice that bills it."""
    groups = unbilled_totals(session, account)  # summed in SQL: a digest costs the same at any number of tasks
    if not groups:
        return Reply(_("Weekly digest: nothing unbilled — everything you logged is invoiced."))
    ordered = sorted(groups, key=lambda g: g.oldest)
    lines = [_("Weekly digest — unbilled work:")]
    everything: list[Money] = []
    for group in ordered:
        client = group.client
        totals = group.totals
        everything += totals.amounts
        parts = [format_minutes(totals.minutes)] if totals.minutes else []
        if totals.amounts:
            parts.append(format_amounts(totals.amounts, locale))
        if totals.unpriced:
            parts.append(ngettext("{n} without a rate", "{n} without a rate", totals.unpriced).format(n=totals.unpriced))
        oldest = format_date(group.oldest, locale)
        lines.append("• " + _("{client}: {summary}, since {date} → /invoice {client}").format(
            client=client.name, summary=", ".join(parts), date=oldest))
    if len(ordered) > 1 and everything:
        lines.append(_("Total: {amounts}").format(amounts=format_amounts(totals_by_currency(everything), locale)))
    actions = tuple(Action(_("Invoice {client}").format(client=g.client.name)[:60], f"/invoice {g.client.name}")
                    for g in ordered[:MAX_ACTIONS])
    return Reply("\n".join(lines), actions=actions)


def overdue_notice(session: Session, account: Account, day: date, last_notice: date | None,
                   locale: str) -> Reply | None:
    """Open invoices past their due date: said when one newly passes it, then at most once a week until paid.

    An invoice is overdue on ``day`` when its due date is before it; it is new if it wasn't overdue yet on the
    day of the last notice. With nothing new and a notice less than a week old, there is nothing to say.
    """
    overdue = list(session.scalars(
        select(Invoice).options(joinedload(Invoice.client))
        .where(Invoice.account_id == account.id, Invoice.status == "open", Invoice.due_date < day)
        .order_by(Invoice.due_date, Invoice.id)
    ))
    if not overdue:
        return None
    new = [i for i in overdue if last_notice is None or i.due_date >= last_notice]
    if not new and last_notice is not None and day - last_notice < OVERDUE_REPEAT:
        return None
    lines = [ngettext("Overdue invoice:", "Overdue invoices:", len(overdue))]
    paid = paid_by_invoice(session, (invoice.id for invoice in overdue))
    for invoice in overdue:
        late = (day - invoice.due_date).days
        # What is still owed: a part already paid is not asked for again.
        owed = invoice.total_minor - paid.get(invoice.id, PaidSoFar()).minor
        total = format_money(Money.from_minor(owed, invoice.currency), locale)
        lines.append("• " + ngettext("{number} to {client} — {total}, due {date} ({n} day ago)",
                                     "{number} to {client} — {total}, due {date} ({n} days ago)", late).format(
            number=invoice.number, client=invoice.client.name, total=total,
            date=format_date(invoice.due_date, locale), n=late))
    lines.append(_("Once paid, tell me with /paid NUMBER; I'll remind you weekly until then."))
    actions = tuple(Action(_("Paid {number}").format(number=i.number)[:60], f"/paid {i.number}")
                    for i in overdue[:MAX_ACTIONS])
    return Reply("\n".join(lines), actions=actions)


def describe(task: Task, locale: str) -> str:
    """``2h ACME — logo design (€160.00)``: short enough for a list in a notification."""
    if task.minutes is None:
        quantity = _("fixed price")
    elif is_fixed_price(task):  # "€500 2h website": the price bills, the time is noted
        quantity = _("fixed price ({duration} of work)").format(duration=format_minutes(task.minutes))
    else:
        quantity = format_minutes(task.minutes)
    text = f"{quantity} {task.client.name}"
    if task.description:
        text += f" — {task.description}"
    amount = task_amount(task)
    return f"{text} ({format_money(amount, locale)})" if amount is not None else text
