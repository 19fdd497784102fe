"""/recurring: retainers — a fixed-price invoice issued on a schedule (core/recurring.py)."""
from __future__ import annotations

from core import clients as clients_service
from core import recurring as service
from core.accounts import format_date
from core.context import Context
from core.errors import UserError
from core.i18n import N_, _
from core.limits import record_number
from core.mail import no_sender, not_configured
from core.messages import Reply
from core.models import RecurringInvoice
from core.money import Money, format_money, parse_money
from core.schedule import EVERY_WEEKDAY, parse_weekday

USAGE = N_("Use /recurring CLIENT monthly DAY AMOUNT WHAT (or weekly WEEKDAY AMOUNT WHAT), e.g. /recurring ACME "
           "monthly 1 500 website care; /recurring lists them, /recurring off ID stops one.")
SEND_WORD = "send"


def recurring(ctx: Context, args: str) -> Reply:
    words = args.split()
    if not words:
        return _list(ctx)
    if words[0].lower() == "off":
        return _off(ctx, words[1:])
    return _add(ctx, words)


def _add(ctx: Context, words: list[str]) -> Reply:
    lowered = [word.lower() for word in words]
    at = next((i for i, word in enumerate(lowered) if i > 0 and word in service.PERIODS), None)
    if at is None:
        raise UserError(_(USAGE))
    period = lowered[at]
    client = clients_service.find_client(ctx.session, ctx.account, " ".join(words[:at]),
                                         retry=lambda n: f"/recurring {n} {' '.join(words[at:])}")
    rest = words[at + 1:]
    send = bool(rest) and rest[-1].lower() == SEND_WORD
    if send:
        rest = rest[:-1]
    if not rest:
        raise UserError(_("Which day? E.g. /recurring {client} monthly 1 500 website care, or weekly fri.").format(
            client=client.name))
    day = _day(period, rest[0])
    amount, what = _amount_and_what(client.name, client.currency, rest[1:])
    if send:  # checked now, so each period's invoice can go out by itself
        if ctx.mail is None:
            raise not_configured()
        if not client.email:
            raise UserError(_("{client} has no e-mail address, so its retainer invoices can't be e-mailed: set it "
                              "with /client set {client} email billing@example.com and add the retainer again.").format(
                client=client.name))
        if not (ctx.mail.mail_from or ctx.profile.email):
            raise no_sender()
    row = service.add_recurring(ctx.session, ctx.account, client, period, day, amount, what, send,
                                ctx.incoming.platform, ctx.private_address, ctx.now)
    text = _("Retainer #{id}: {schedule}.").format(id=row.number, schedule=describe_schedule(row, ctx.locale))
    text += "\n" + _("First invoice on {date}, at {time} your time ({zone}); I'll send it to you in our private "
                     "chat. /recurring off {id} stops it.").format(
        date=format_date(row.next_on, ctx.locale), time=service.ISSUE_TIME.strftime("%H:%M"),
        zone=ctx.account.timezone, id=row.number)
    if send:
        text += "\n" + _("Each invoice is e-mailed to {email} too.").format(email=client.email)
    if period == "monthly" and day > 28:
        text += "\n" + _("In a month without day {day}, it is issued on the month's last day.").format(day=day)
    return Reply(text)


def _day(period: str, text: str) -> int:
    if period == "weekly":
        weekday = parse_weekday(text)
        if weekday is None:
            raise UserError(_("“{text}” is not a weekday. Say e.g. weekly fri or weekly monday.").format(text=text))
        return weekday
    cleaned = text.lower().removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
    day = record_number(cleaned)
    if day is None or not 1 <= day <= 31:
        raise UserError(_("“{text}” is not a day of the month. Give 1 to 31 (31: the last day of every "
                          "month).").format(text=text))
    return day


def _amount_and_what(client: str, currency: str, words: list[str]) -> tuple[Money, str]:
    """The amount (one word, or two: ``500 EUR``, ``1.200,50 €``) and the description after it."""
    for size in (2, 1):
        if len(words) >= size:
            amount = parse_money(" ".join(words[:size]), currency)
            if amount is not None:
                if amount.amount <= 0:
                    raise UserError(_("A retainer's amount must be more than zero."))
                what = " ".join(words[size:]).strip()
                if not what:
                    raise UserError(_("What is it for? It is the line on the invoice: /recurring {client} monthly 1 "
                                      "500 website care.").format(client=client))
                if len(what) > 200:
                    raise UserError(_("Keep what it is for under 200 characters; it is the line on the invoice."))
                return amount, what
    raise UserError(_("Give the amount in {currency} after the day, e.g. /recurring {client} monthly 1 500 website "
                      "care.").format(currency=currency, client=client))


def describe_schedule(row: RecurringInvoice, locale: str) -> str:
    """``ACME, €500.00 every month on day 1 for “website care”``."""
    amount = format_money(service.amount_of(row), locale)
    if row.period == "weekly":
        return _("{client}, {amount} every week on {weekdays} for “{what}”").format(
            client=row.client.name, amount=amount, weekdays=_(EVERY_WEEKDAY[row.day]), what=row.description)
    return _("{client}, {amount} every month on day {day} for “{what}”").format(
        client=row.client.name, amount=amount, day=row.day, what=row.description)


def _list(ctx: Context) -> Reply:
    rows = service.list_recurring(ctx.session, ctx.account)
    if not rows:
        return Reply(_("No retainers yet. /recurring ACME monthly 1 500 website care bills ACME €500 on the 1st of "
                       "every month."))
    lines = [_("Your retainers:")]
    for row in rows:
        lines.append(_("#{id} {schedule}; next {date}").format(
            id=row.number, schedule=describe_schedule(row, ctx.locale), date=format_date(row.next_on, ctx.locale)))
    lines.append(_("/recurring off ID stops one."))
    return Reply("\n".join(lines))


def _off(ctx: Context, words: list[str]) -> Reply:
    number = record_number(words[0].lstrip("#")) if len(words) == 1 else None
    if number is None:
        raise UserError(_("Use /recurring off ID, e.g. /recurring off 1; /recurring lists them with their IDs."))
    row = service.find_recurring(ctx.session, ctx.account, number)
    service.turn_off(ctx.session, ctx.account, row, ctx.now)
    return Reply(_("Stopped retainer #{id} ({client}); invoices already issued stay as they are.").format(
        id=row.number, client=row.client.name))
