"""The /report command: hours and amounts per client over a week or a month, billed and unbilled."""
from __future__ import annotations

from core.accounts import format_date
from core.app import Context
from core.messages import Reply
from core.money import Money, format_money
from core.reports import build_report
from core.tasks import format_minutes


def report(ctx: Context, args: str) -> Reply:
    result = build_report(ctx.session, ctx.account, args, ctx.today)
    period = f"{result.title} ({format_date(result.start, ctx.locale)} – {format_date(result.end, ctx.locale)})"
    if not result.lines:
        return Reply(f"{period}: no work logged.")
    rows = []
    for line in result.lines:
        billed = _money(line.billed, ctx.locale)
        unbilled = _money(line.unbilled, ctx.locale)
        row = (f"{line.client}: billed {format_minutes(line.billed_minutes)} {billed} · "
               f"unbilled {format_minutes(line.unbilled_minutes)} {unbilled}")
        if line.unpriced:
            row += f" · {line.unpriced} task(s) without a rate"
        rows.append(row)
    return Reply(f"{period}\n" + "\n".join(rows))


def _money(per_currency: dict[str, Money], locale: str) -> str:
    if not per_currency:
        return "(—)"
    return "(" + " + ".join(format_money(m, locale) for m in per_currency.values()) + ")"
