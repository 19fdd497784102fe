"""The /report chart: per currency, a bar per client stacking what was paid, what is outstanding and what is still
unbilled in the period, drawn as a PNG with matplotlib's Agg backend.

matplotlib is an optional extra (``pip install 'invoicebot[charts]'``) and heavy to import, so it is imported here,
inside :func:`report_chart`, only when a chart is drawn: never at start-up nor for any other command. The figure
is drawn without pyplot (no global state shared between threads), small (100 dpi), with the PNG's metadata fixed,
so the same report gives the same bytes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency

from core.i18n import _, ngettext
from core.money import Money, babel_locale, format_money
from core.reports import Figures, Report

PAID = "#2e7d32"
OUTSTANDING = "#ef8f00"
UNBILLED = "#90a4ae"
"""The series' colours (green, amber, blue-grey): tests find the bars by them."""
MAX_BARS = 12
"""Clients per panel; the rest share one bar, so a long client list stays a readable picture."""
DPI = 100
WIDTH = 8.0
"""Inches: 800 pixels wide, a size chat apps show without scaling much."""
NAME_LENGTH = 28


class ChartsUnavailable(Exception):
    """matplotlib is not installed: the report goes out as text only."""


@dataclass(frozen=True)
class Bar:
    label: str
    paid: Decimal
    outstanding: Decimal
    unbilled: Decimal

    @property
    def total(self) -> Decimal:
        return self.paid + self.outstanding + self.unbilled


def report_chart(report: Report, heading: str, locale: str) -> bytes | None:
    """The chart of ``report`` as PNG bytes, titled ``heading``, amounts written in ``locale``; None when the
    period holds no amount to draw (only work without a rate, say). Raises :class:`ChartsUnavailable` without
    matplotlib."""
    panels = [(totals.currency, bars) for totals in report.totals
              if (bars := _bars([row for row in report.rows if row.currency == totals.currency]))]
    if not panels:
        return None
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, MaxNLocator
    except ImportError as exc:
        raise ChartsUnavailable from exc
    heights = [len(bars) + 1.5 for _currency, bars in panels]
    figure = Figure(figsize=(WIDTH, 1.1 + 0.34 * sum(heights)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(panels), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    for ax, (currency, bars) in zip(axes, panels, strict=True):
        positions = list(range(len(bars)))[::-1]  # the first client at the top, as the text lists them
        paid = [float(bar.paid) for bar in bars]
        owed = [float(bar.outstanding) for bar in bars]
        unbilled = [float(bar.unbilled) for bar in bars]
        ax.barh(positions, paid, height=0.6, color=PAID, label=_("Paid"))
        ax.barh(positions, owed, height=0.6, left=paid, color=OUTSTANDING, label=_("Outstanding"))
        ax.barh(positions, unbilled, height=0.6, left=[p + o for p, o in zip(paid, owed, strict=True)],
                color=UNBILLED, label=_("Unbilled"))
        for position, bar in zip(positions, bars, strict=True):
            ax.text(float(bar.total), position, " " + format_money(Money(bar.total, currency), locale),
                    va="center", fontsize=8)
        ax.set_yticks(positions, [bar.label for bar in bars], fontsize=9)
        ax.set_xlim(0, max(float(bar.total) for bar in bars) * 1.25)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _position, c=currency: _axis(value, c, locale)))
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_title(currency, loc="left", fontsize=10, fontweight="bold")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside upper right", ncols=3, fontsize=9, frameon=False)
    figure.suptitle(heading, x=0.01, ha="left", fontsize=11)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _bars(rows: list[Figures]) -> list[Bar]:
    """One bar per client with an amount to draw; past :data:`MAX_BARS`, the smallest share one bar."""
    bars = [Bar(_short(str(row.client)), row.paid.amount, row.outstanding.amount, row.unbilled.amount)
            for row in rows]
    bars = [bar for bar in bars if bar.total > 0]
    if len(bars) <= MAX_BARS:
        return bars
    largest = sorted(bars, key=lambda bar: bar.total, reverse=True)
    kept, rest = largest[:MAX_BARS - 1], largest[MAX_BARS - 1:]
    others = Bar(ngettext("{n} other client", "{n} other clients", len(rest)).format(n=len(rest)),
                 sum((bar.paid for bar in rest), Decimal(0)), sum((bar.outstanding for bar in rest), Decimal(0)),
                 sum((bar.unbilled for bar in rest), Decimal(0)))
    kept_ids = {id(bar) for bar in kept}
    return [bar for bar in bars if id(bar) in kept_ids] + [others]


def _short(name: str) -> str:
    return name if len(name) <= NAME_LENGTH else name[:NAME_LENGTH - 1] + "…"


def _axis(value: float, currency: str, locale: str) -> str:
    """An axis tick as whole money in the user's locale (``€1,500``, ``1.500 €``): the pattern of the locale
    without its decimals."""
    where = babel_locale(locale)
    pattern = where.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return format_currency(Decimal(round(value)), currency, format=pattern, locale=where, currency_digits=False)
