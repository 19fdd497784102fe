"""The /report command: per client and currency, the period's work unbilled, invoices billed, payments received and
what is still outstanding, with totals per currency and a chart of the period."""
from __future__ import annotations

import logging
import uuid

from core.accounts import format_date
from core.charts import ChartsUnavailable, report_chart
from core.commands.invoices import parse_date_argument
from core.context import Context
from core.errors import UserError
from core.i18n import _, format_minutes, ngettext
from core.messages import Document, Reply
from core.money import Money, format_money
from core.reports import Figures, Report, build_report, check_range, period_bounds

log = logging.getLogger(__name__)

RANGE = ".."


def report(ctx: Context, args: str) -> Reply:
    """``/report [week|month|last month|quarter|year|DATE..DATE]``: the text now, the chart drawn after the
    transaction (it needs no database, and matplotlib takes a moment). The report is the user's own business
    across all clients, so it is sensitive: asked in a group or a Slack channel, the text and the chart go to the
    user alone."""
    result = _report_of(ctx, args)
    heading = _heading(result, ctx.locale)
    if not result.rows:
        return Reply(_("{period}: no work logged, no invoices issued and no payments received.").format(
            period=heading))
    lines = [heading]
    lines += [_("{client}: {figures}").format(client=row.client, figures=_figures(row, ctx.locale))
              for row in result.rows]
    lines += [_("Total {currency}: {figures}").format(currency=total.currency,
                                                     figures=_figures(total, ctx.locale)) for total in result.totals]
    if any(total.billed_minor or total.paid_minor or total.outstanding_minor for total in result.totals):
        lines.append(_("Billed: invoices issued in the period less its credit notes, with tax; paid: payments "
                       "received in it; outstanding: still owed on its invoices. Unbilled work is before tax."))
    text = "\n".join(lines)
    locale = ctx.locale

    def with_chart() -> Reply:
        return _with_chart(result, heading, text, locale)

    return Reply(text, finish=with_chart, sensitive=True)


def _report_of(ctx: Context, args: str) -> Report:
    """A named period, or ``DATE..DATE`` (both days included) read as /paid reads a date."""
    if RANGE not in args:
        title, start, end = period_bounds(args, ctx.today)
        return build_report(ctx.session, ctx.account, title, start, end)
    first, last = (side.strip() for side in args.split(RANGE, 1))
    if not first or not last:
        raise UserError(_("Give both days of the range, e.g. /report {start}..{end}.").format(
            start=ctx.today.replace(day=1).isoformat(), end=ctx.today.isoformat()))
    start = parse_date_argument(first, ctx.today, ctx.profile.locale, long_ago=True)
    end = parse_date_argument(last, ctx.today, ctx.profile.locale, long_ago=True)
    check_range(start, end, ctx.today)
    return build_report(ctx.session, ctx.account, None, start, end)


def _heading(result: Report, locale: str) -> str:
    days = _("{start} – {end}").format(start=format_date(result.start, locale), end=format_date(result.end, locale))
    if result.title is None:
        return days
    return _("{period} ({days})").format(period=_(result.title), days=days)


def _figures(row: Figures, locale: str) -> str:
    """``unbilled 2h (€160.00) · billed €500.00 · paid €500.00``: the figures the period holds, in that order."""
    parts = []
    if row.unbilled_minutes or row.unbilled_minor:
        parts.append(_("unbilled {amount}").format(amount=_amount(row.unbilled_minutes, row.unbilled, locale)))
    if row.billed_minutes or row.billed_minor:
        parts.append(_("billed {amount}").format(amount=_amount(row.billed_minutes, row.billed, locale)))
    if row.paid_minor:
        parts.append(_("paid {amount}").format(amount=format_money(row.paid, locale)))
    if row.outstanding_minor:
        parts.append(_("outstanding {amount}").format(amount=format_money(row.outstanding, locale)))
    if row.unpriced:
        parts.append(ngettext("{n} task without a rate", "{n} tasks without a rate", row.unpriced).format(
            n=row.unpriced))
    if not parts:  # an invoice and its credit note in the same period: billed nothing, owed nothing
        parts.append(_("billed {amount}").format(amount=format_money(row.billed, locale)))
    return " · ".join(parts)


def _amount(minutes: int, money: Money, locale: str) -> str:
    """``2h (€160.00)``; work without hours (fixed prices) just ``€500.00``, work without a rate just ``2h``. A
    credit note for an earlier period's invoice makes the period's billing negative: ``-2h (-€160.00)``."""
    hours = ("-" if minutes < 0 else "") + format_minutes(abs(minutes)) if minutes else ""
    if not money.amount:
        return hours
    amount = format_money(money, locale)
    return f"{hours} ({amount})" if hours else amount


def _with_chart(result: Report, heading: str, text: str, locale: str) -> Reply:
    """The report with its chart as a PNG; the text alone (saying why) where no chart can be drawn."""
    try:
        png = report_chart(result, heading, locale)
    except ChartsUnavailable:
        return Reply(text + "\n" + _("(No chart: the bot's operator can add charts with pip install "
                                     "'invoicebot[charts]'.)"), sensitive=True)
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("drawing the report chart failed (ref %s)", ref)
        return Reply(text + "\n" + _("(I couldn't draw the chart this time, ref {ref}.)").format(ref=ref),
                     sensitive=True)
    if png is None:
        return Reply(text, sensitive=True)
    name = f"report-{result.start.isoformat()}-{result.end.isoformat()}.png"
    return Reply(text, document=Document(name, png, "image/png", caption=heading), sensitive=True)
