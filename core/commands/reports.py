"""The /report command: hours and amounts per client over a week or a month, billed and unbilled."""
from __future__ import annotations

from core.accounts import format_date
from core.context import Context
from core.messages import Reply
from core.money import Money, format_amounts
from core.reports import build_report
from core.tasks import format_minutes


def report(ctx: Context, args: str) -> Reply:
    result = build_report(ctx.session, ctx.account, args, ctx.today)
    period = f"{result.title} ({format_date(result.start, ctx.locale)} – {format_date(result.end, ctx.locale)})"
    if not result.lines:
        return Reply(f"{period}: no work logged.")
    rows = []
    for line in result.lines:
        parts = [f"{label} {_amount(minutes, amounts, ctx.locale)}"
                 for label, minutes, amounts in (("billed", line.billed_minutes, line.billed),
                                                 ("unbilled", line.unbilled_minutes, line.unbilled))
                 if minutes or amounts]
        if line.unpriced:
            parts.append(f"{line.unpriced} task(s) without a rate")
        rows.append(f"{line.client}: " + " · ".join(parts))
    return Reply(f"{period}\n" + "\n".join(rows))


def _amount(minutes: int, per_currency: dict[str, Money], locale: str) -> str:
    """``2h (€160.00)``; work with fixed prices only has no hours to show, so just ``€500.00``."""
    if minutes:
        return format_minutes(minutes) + _money(per_currency, locale)
    return format_amounts(per_currency.values(), locale)


def _money(per_currency: dict[str, Money], locale: str) -> str:
    if not per_currency:
        return ""
    return f" ({format_amounts(per_currency.values(), locale)})"
