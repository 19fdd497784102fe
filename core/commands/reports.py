"""The /report command: hours and amounts per client over a week or a month, billed and unbilled."""
from __future__ import annotations

from core.accounts import format_date
from core.context import Context
from core.i18n import _, format_minutes, ngettext
from core.messages import Reply
from core.money import Money, format_amounts
from core.reports import build_report


def report(ctx: Context, args: str) -> Reply:
    result = build_report(ctx.session, ctx.account, args, ctx.today)
    period = _("{period} ({start} – {end})").format(period=_(result.title), start=format_date(result.start, ctx.locale),
                                                   end=format_date(result.end, ctx.locale))
    if not result.lines:
        return Reply(_("{period}: no work logged.").format(period=period))
    rows = []
    for line in result.lines:
        parts = []
        if line.billed_minutes or line.billed:
            parts.append(_("billed {amount}").format(amount=_amount(line.billed_minutes, line.billed, ctx.locale)))
        if line.unbilled_minutes or line.unbilled:
            parts.append(_("unbilled {amount}").format(amount=_amount(line.unbilled_minutes, line.unbilled,
                                                                      ctx.locale)))
        if line.unpriced:
            parts.append(ngettext("{n} task without a rate", "{n} tasks without a rate", line.unpriced).format(
                n=line.unpriced))
        rows.append(f"{line.client}: " + " · ".join(parts))
    return Reply(period + "\n" + "\n".join(rows))


def _amount(minutes: int, per_currency: dict[str, Money], locale: str) -> str:
    """``2h (€160.00)``; work with fixed prices only has no hours to show, so just ``€500.00``."""
    if minutes:
        return format_minutes(minutes) + _money(per_currency, locale)
    return format_amounts(per_currency.values(), locale)


def _money(per_currency: dict[str, Money], locale: str) -> str:
    if not per_currency:
        return ""
    return f" ({format_amounts(per_currency.values(), locale)})"
