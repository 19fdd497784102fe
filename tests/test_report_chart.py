"""The /report chart: a PNG whose bars measure what the report says (read back pixel by pixel), the same bytes for
the same report, matplotlib imported only when a chart is drawn, and the text alone without it."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from PIL import Image

from core.charts import DPI, MAX_BARS, OUTSTANDING, PAID, UNBILLED, WIDTH, report_chart
from core.reports import Figures, Report
from tests.conftest import SELLER_PROFILE, Conversation

ROOT = Path(__file__).resolve().parents[1]


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def runs(image: Image.Image, colour: str) -> dict[int, int]:
    """Row → how many pixels of ``colour`` it holds: a bar's length in pixels, for each row crossing it."""
    pixels, (width, height), wanted = image.load(), image.size, rgb(colour)
    assert pixels is not None
    counts = {y: sum(1 for x in range(width) if pixels[x, y][:3] == wanted) for y in range(height)}
    return {y: n for y, n in counts.items() if n}


LEGEND_PATCH = 30
"""Pixels: the legend's coloured patches are about 25 wide; every bar these tests draw is longer."""


def bars(rows_of_colour: dict[int, int]) -> list[int]:
    """The length of each bar of one colour, top to bottom (rows next to each other belong to one bar), leaving out
    the legend's patch."""
    found: list[list[int]] = []
    previous = -2
    for y in sorted(rows_of_colour):
        if y != previous + 1:
            found.append([])
        found[-1].append(rows_of_colour[y])
        previous = y
    return [max(bar) for bar in found if max(bar) > LEGEND_PATCH]


def close(measured: float, expected: float) -> bool:
    """Within the few pixels that anti-aliased edges and the axis line over a bar's start take."""
    return abs(measured - expected) <= 4 + 0.02 * expected


def figures(client: str, paid: int = 0, owed: int = 0, unbilled: int = 0, currency: str = "EUR") -> Figures:
    return Figures(currency, client, paid_minor=paid * 100, outstanding_minor=owed * 100,
                   unbilled_minor=unbilled * 100)


def report_of(*rows: Figures) -> Report:
    totals: dict[str, Figures] = {}
    for row in rows:
        totals.setdefault(row.currency, Figures(row.currency)).add(row)
    return Report("This month", date(2026, 11, 1), date(2026, 11, 24), list(rows),
                  [totals[c] for c in sorted(totals)])


def test_each_series_is_drawn_to_scale() -> None:
    png = report_chart(report_of(figures("ACME", paid=100, owed=100, unbilled=200), figures("Globex", unbilled=400)),
                       "This month", "en_GB")
    assert png is not None and png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size[0] == int(WIDTH * DPI)
    paid, owed, unbilled = bars(runs(image, PAID)), bars(runs(image, OUTSTANDING)), bars(runs(image, UNBILLED))
    assert len(paid) == 1 and len(owed) == 1 and len(unbilled) == 2
    acme_unbilled, globex_unbilled = unbilled
    assert paid[0] > 50  # a real bar, not the legend's patch
    assert close(owed[0], paid[0])
    assert close(acme_unbilled, 2 * paid[0])
    assert close(globex_unbilled, 4 * paid[0])  # one scale for every client of a currency


def test_the_same_report_gives_the_same_png_and_currencies_get_their_own_panel() -> None:
    report = report_of(figures("ACME", paid=100, owed=50), figures("Globex", unbilled=300, currency="USD"))
    first, second = report_chart(report, "This month", "de_DE"), report_chart(report, "This month", "de_DE")
    assert first == second
    assert first is not None
    image = Image.open(io.BytesIO(first)).convert("RGB")
    one_currency = report_chart(report_of(figures("ACME", paid=100, owed=50)), "This month", "de_DE")
    assert one_currency is not None
    assert image.size[1] > Image.open(io.BytesIO(one_currency)).size[1]  # a second panel below the first
    [paid], [owed], [unbilled] = bars(runs(image, PAID)), bars(runs(image, OUTSTANDING)), bars(runs(image, UNBILLED))
    assert close(owed, paid / 2)
    assert close(unbilled, paid + owed)  # each currency on its own scale: US$300 as long as €150, not twice


def test_a_long_client_list_keeps_the_largest_and_joins_the_rest_into_one_bar() -> None:
    rows = [figures(f"Client {n:02d}", unbilled=100 + n) for n in range(MAX_BARS + 4)]
    png = report_chart(report_of(*rows), "This month", "en_GB")
    assert png is not None
    assert len(bars(runs(Image.open(io.BytesIO(png)).convert("RGB"), UNBILLED))) == MAX_BARS


def test_the_report_comes_with_its_chart_as_a_png(chat: Conversation) -> None:
    for line in (*SELLER_PROFILE, "/client add ACME rate 80"):
        chat.say(line)
    chat.say("2h design for ACME on Monday")
    chat.invoice("/invoice ACME")
    chat.say("/paid INV-2026-0001 60")
    chat.say("1h call for ACME")
    reply = chat.say("/report")
    assert reply.text.startswith("This week (23 Nov 2026 – 24 Nov 2026)\nACME: unbilled 1h (€80.00)")
    document = reply.document
    assert document is not None and document.mime_type == "image/png"
    assert document.filename == "report-2026-11-23-2026-11-24.png"
    assert document.caption == "This week (23 Nov 2026 – 24 Nov 2026)"
    image = Image.open(io.BytesIO(document.content)).convert("RGB")
    paid, owed, unbilled = bars(runs(image, PAID)), bars(runs(image, OUTSTANDING)), bars(runs(image, UNBILLED))
    assert len(paid) == len(owed) == len(unbilled) == 1
    assert close(owed[0], paid[0] * 100 / 60) and close(unbilled[0], paid[0] * 80 / 60)  # €60 · €100 · €80


def test_without_matplotlib_the_report_is_text_saying_how_to_get_the_chart(chat: Conversation, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    chat.say("/client add ACME rate 80")
    chat.say("2h design for ACME")
    for name in [name for name in sys.modules if name == "matplotlib" or name.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed: importing it fails
    reply = chat.say("/report")
    assert reply.document is None
    assert reply.text.startswith("This week (23 Nov 2026 – 24 Nov 2026)\nACME: unbilled 2h (€160.00)")
    assert reply.text.endswith("(No chart: the bot's operator can add charts with pip install "
                               "'invoicebot[charts]'.)")


def test_matplotlib_is_imported_for_a_chart_and_never_before(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from bot.wiring import build_core\n"
        "from core.encryption import Cipher\n"
        "from core.messages import Incoming\n"
        "from core.storage import create_db_engine, migrate, session_factory\n"
        f"engine = create_db_engine('sqlite:///{tmp_path}/bot.db')\n"
        "migrate(engine)\n"
        "core = build_core(session_factory(engine), Cipher([Cipher.new_key()]),"
        " lambda: datetime(2026, 11, 24, 9, tzinfo=UTC))\n"
        "def say(text):\n"
        "    return core.handle(Incoming(platform='local', user_id='u', chat_id='u', text=text, is_private=True))\n"
        "for text in ('/help', '/client add ACME rate 80', '2h design for ACME', '/tasks', '/report last year'):\n"
        "    say(text)\n"
        "print('before', 'matplotlib' in sys.modules)\n"
        "reply = say('/report')\n"
        "print('after', 'matplotlib' in sys.modules, reply.document.mime_type)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["before False", "after True image/png"]


def test_the_terminal_saves_the_chart_in_the_outbox_and_prints_its_path(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.local import LocalChannel

    out = io.StringIO()
    terminal = LocalChannel(core, "jana", tmp_path / "outbox", out=out)
    for line in ("/client add ACME rate 80", "2h design for ACME", "/report month"):
        terminal.send(line)
    printed = out.getvalue().splitlines()
    assert "ACME: unbilled 2h (€160.00)" in printed
    saved = Path(printed[-1].removeprefix("Saved to "))
    assert printed[-1].startswith("Saved to ") and saved.parent == (tmp_path / "outbox").resolve()
    assert saved.name == "report-2026-11-01-2026-11-24.png"
    assert Image.open(saved).format == "PNG"


def test_the_docker_image_installs_the_charts_extra() -> None:
    """The image is the deployment the README documents: without matplotlib in it, every /report there comes without
    its chart (the sentence telling the operator to install it is for other set-ups)."""
    dockerfile = (Path(__file__).parent.parent / "Dockerfile").read_text()
    extras = [set(found.split(",")) for found in re.findall(r"pip install '\.\[([^\]]*)\]'", dockerfile)]
    assert extras and all({"postgres", "charts"} <= found for found in extras), extras
