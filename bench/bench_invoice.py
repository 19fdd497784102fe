"""What /invoice costs (database + PDF) beside bare fpdf2 drawing the same lines, measured in the same run.

    python bench/bench_invoice.py [--lines 20 500] [--rounds 25] [--database-url URL] [--fresh-rounds 9]

For each size it reports median and p99 in milliseconds of:
  floor       bare fpdf2: one add_font of DejaVu Sans as published, a cell per column per line, output() — the
              plain way to draw them (the goal: render and /invoice ≤ 1.5× this, CPU)
  floor LGC   the same with the cut face the invoice ships (core.pdf.font_subsets), for comparison
  table()     the same lines through fpdf2's table(), for the record (why the renderer draws cells)
  render      render_invoice_pdf on the invoice's document (layout, locale formatting, PDF/A, cached font)
  no hook     the same, with the check for characters DejaVu lacks switched off (the renderer before the
              fallback font): what that check costs an invoice in Latin script
  render CJK  the same invoice with a Japanese client name and descriptions: fallback font added, subset, embedded
  plain       the invoice without its e-invoice and without the payment QR (the renderer before them)
  e-invoice   the invoice as issued: Factur-X XML made and XSD-checked, embedded, EPC QR drawn; the line
              "e-invoice − plain" is what those three add (the budget: 15 ms for a warm 20-line invoice)
  /invoice    Core.handle("/invoice ACME") end to end: lock, price, snapshot, bill, commit, XML, render
and the ratios to the floor, in wall-clock time and in this process's CPU time (steadier on a shared machine).
Then the e-invoice budget on its own, in paired rounds (plain and e-invoice back to back, in alternating order, so
both meet the same machine load): the medians of each, the median of the per-round differences, and the parts of
that difference measured alone (XML made and XSD-checked; EPC QR matrix), against the 15 ms goal.
The one-off parse of the fallback font (the first invoice that needs it in a process) is printed first.
Last, fresh processes (``--fresh-rounds``, interleaved, each child's CPU time): ``invoicebot chat`` started on a
copy of a prepared SQLite database answering one ``/invoice ACME`` of 20 lines (PDF written to the outbox), beside
a bare ``python`` that imports fpdf2 and draws the same 20 lines in DejaVu Sans into a PDF (goal ≤ 2×); and the
same start answering ``/help``, so that what the start costs and what the invoice adds to it are told apart.
Beside them, the imports alone: ``python`` importing nothing, fpdf2, fpdf2 + factur-x, fpdf2 + requests + pypdf
(which factur-x imports at load although making the XML uses neither), and fpdf2 + factur-x as the bot imports it
(``core.factur_x``: requests deferred to its first use): "/help + import fpdf2 − python" is what any fresh invoice
pays before its own work, the floor of this design. ``--fresh-only`` runs only these processes.
Between rounds the invoice is voided (untimed), which reopens the same tasks for the next round. The database
is a fresh SQLite file unless --database-url is given. Variants are interleaved round by round, so changes in machine load hit all of them alike; after warm-up the
setup's objects are frozen out of the garbage collector (gc.freeze), whose full collections otherwise land at
random in whichever variant allocates most (parsing a TTF allocates a lot).
"""
from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fpdf import FPDF  # noqa: E402

from bot.wiring import build_core as wire_core  # noqa: E402
from core.app import Core  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.invoice_documents import document_pdf, einvoice_of  # noqa: E402
from core.messages import Incoming  # noqa: E402
from core.pdf import (  # noqa: E402
    DocumentLine,
    InvoiceDocument,
    Party,
    render_invoice_pdf,
    typefaces,  # noqa: E402
)
from core.pdf.payment_qr import epc_matrix  # noqa: E402
from core.pdf.render import InvoicePage  # noqa: E402
from core.pdf.typefaces import FAMILY, font_path  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DESCRIPTIONS = ("logo design, second round of revisions", "bugfix: login redirect loop on Safari",
                "workshop with the marketing team", "call about the Q1 roadmap", "code review")


def time_of(line: DocumentLine) -> str:
    return "–" if line.minutes is None else f"{line.minutes // 60}:{line.minutes % 60:02d}"


def bare_fpdf2(doc: InvoiceDocument, font: str = "DejaVuSans.ttf") -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(FAMILY, "", font_path(font))
    pdf.set_font(FAMILY, "", 9)
    pdf.add_page()
    for line in doc.lines:
        pdf.cell(25, 6.8, line.work_date.isoformat())
        pdf.cell(75, 6.8, line.description)
        pdf.cell(18, 6.8, time_of(line), align="R")
        pdf.cell(26, 6.8, str(line.rate), align="R")
        pdf.cell(30, 6.8, str(line.amount), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def fpdf2_table(doc: InvoiceDocument) -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(FAMILY, "", font_path("DejaVuSans.ttf"))
    pdf.set_font(FAMILY, "", 9)
    pdf.add_page()
    with pdf.table(col_widths=(25, 75, 18, 26, 30), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   first_row_as_headings=False) as table:
        for line in doc.lines:
            table.row((line.work_date.isoformat(), line.description, time_of(line), str(line.rate),
                       str(line.amount)))
    return bytes(pdf.output())


class PageWithoutQr(InvoicePage):
    """The renderer without the EPC payment QR code."""

    def _payment_qr(self):  # type: ignore[no-untyped-def]
        return None


def render_plain(doc: InvoiceDocument) -> bytes:
    """No e-invoice embedded, no QR drawn: the same page as before either existed."""
    pdf = PageWithoutQr(doc)
    pdf.draw()
    return bytes(pdf.output())


class PageWithoutFallback(InvoicePage):
    """The renderer as it was before the fallback font: no check of each text against DejaVu's characters."""

    normalize_text = FPDF.normalize_text


def render_without_fallback(doc: InvoiceDocument) -> bytes:
    pdf = PageWithoutFallback(doc)
    pdf.draw()
    return bytes(pdf.output())


def in_japanese(doc: InvoiceDocument) -> InvoiceDocument:
    lines = tuple(replace(line, description=f"ロゴデザイン {line.description}") for line in doc.lines)
    return replace(doc, buyer=Party("ACME 株式会社", "東京都千代田区丸の内1-1\n100-0005 Tokyo"), lines=lines)


def fallback_parse_ms() -> float:
    start = time.perf_counter()
    typefaces._parse_face(typefaces.FALLBACK_FAMILY, "", typefaces._FALLBACK_FILE)
    return (time.perf_counter() - start) * 1000


def timed(action: Callable[[], object], rounds: int, between: Callable[[], object] | None = None,
          cpu: list[float] | None = None) -> list[float]:
    """Wall-clock milliseconds per call; with ``cpu``, this process's CPU milliseconds are appended there too."""
    samples = []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        samples.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
        if between is not None:
            between()
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def build_core(url: str) -> Core:
    engine = create_db_engine(url)
    migrate(engine)
    return wire_core(session_factory(engine), Cipher([Cipher.new_key()]), lambda: NOW, default_tz="Europe/Berlin")


def say(core: Core, text: str, user: str):  # type: ignore[no-untyped-def]
    reply = core.handle(Incoming(platform="local", user_id=user, chat_id=user, text=text))
    assert reply is not None
    return reply


def bench_size(core: Core, n_lines: int, rounds: int) -> dict[str, list[float]]:
    user = f"bench{n_lines}"
    for line in ("/profile set name Jane Doe Design", "/profile set address Hauptstr. 1 | 10115 Berlin",
                 "/profile set payment IBAN DE89 3704 0044 0532 0130 00", "/profile set tax_rate 19",
                 "/profile set country DE", "/profile set vat_id DE123456788", "/client add ACME rate 80",
                 "/client set ACME country DE"):
        say(core, line, user)
    from core import clients, tasks
    from core.accounts import resolve_account

    with core.sessions.begin() as session:
        account = resolve_account(session, Incoming("local", user, user, ""), NOW, "UTC")
        client = clients.find_client(session, account, "ACME")
        for i in range(n_lines):
            work = tasks.Work(client, date(2026, 11, 1) + timedelta(days=i % 29), 15 * (1 + i % 16), None,
                              None, DESCRIPTIONS[i % len(DESCRIPTIONS)])
            tasks.log_task(session, account, work, NOW)

    numbers: list[str] = []

    def issue() -> None:
        reply = say(core, "/invoice ACME", user)
        assert reply.document is not None, reply.text
        numbers.append(reply.text.split()[1])

    def void() -> None:
        say(core, f"/void {numbers[-1]}", user)

    issue()  # warm up: font cache, Babel data, SQL compilation
    void()
    shown = say(core, "/invoice show " + numbers[0], user)
    assert shown.document is not None
    from core import invoices

    with core.sessions.begin() as session:
        account = resolve_account(session, Incoming("local", user, user, ""), NOW, "UTC")
        _, document = invoices.show_invoice(session, account, numbers[0], core.cipher)
    assert len(document.lines) == n_lines
    # That invoice was voided by the warm-up: drawn as issued, as /invoice sends it (payment QR included).
    document = replace(document, status="issued", cancelled_by=None)
    japanese = in_japanese(document)
    assert einvoice_of(document) is not None, "the bench invoice must carry an e-invoice"
    bare_fpdf2(document), fpdf2_table(document), render_invoice_pdf(document), render_invoice_pdf(japanese)
    render_plain(document), document_pdf(document)
    assert render_without_fallback(document) == render_invoice_pdf(document)  # the same invoice, only the check
    gc.collect()
    gc.freeze()  # long-lived setup objects out of the collector's way: fewer random full-collection pauses

    variants: dict[str, Callable[[], object]] = {
        "floor": lambda: bare_fpdf2(document), "floor LGC": lambda: bare_fpdf2(document, "DejaVuSans-LGC.ttf"),
        "table()": lambda: fpdf2_table(document),
        "render": lambda: render_invoice_pdf(document), "no hook": lambda: render_without_fallback(document),
        "render CJK": lambda: render_invoice_pdf(japanese), "plain": lambda: render_plain(document),
        "e-invoice": lambda: document_pdf(document), "/invoice": issue,
    }
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):  # interleaved, so drift in machine load hits every variant alike
        for name, action in variants.items():
            if name == "table()" and n_lines > 100 and len(wall[name]) >= 5:
                continue  # about 1.3 ms a row: five samples make the point
            wall[name] += timed(action, 1, between=void if name == "/invoice" else None, cpu=cpu[name])
    return wall, cpu, paired(document, rounds * 2)


GOAL_MS = 15.0


def paired(document: InvoiceDocument, rounds: int) -> dict[str, list[float]]:
    """CPU milliseconds of the plain render and the issued one, back to back in alternating order, and of the
    e-invoice's parts alone: the XML (made, XSD-checked) and the QR code's matrix."""
    qr = InvoicePage(document)._payment_qr()
    assert qr is not None, "the bench invoice must print a payment QR"
    samples: dict[str, list[float]] = {"plain": [], "e-invoice": [], "added": [], "XML + XSD": [], "QR matrix": []}

    def cpu_ms(action: Callable[[], object]) -> float:
        start = time.process_time()
        action()
        return (time.process_time() - start) * 1000

    for n in range(rounds):
        if n % 2:
            with_it, without = cpu_ms(lambda: document_pdf(document)), cpu_ms(lambda: render_plain(document))
        else:
            without, with_it = cpu_ms(lambda: render_plain(document)), cpu_ms(lambda: document_pdf(document))
        samples["plain"].append(without)
        samples["e-invoice"].append(with_it)
        samples["added"].append(with_it - without)
        samples["XML + XSD"].append(cpu_ms(lambda: einvoice_of(document)))
        samples["QR matrix"].append(cpu_ms(lambda: epc_matrix(qr)))
    return samples


FRESH_GOAL = 2.0
FRESH_LINES = 20
FRESH_WORK = ("45m code review", "2h workshop with the marketing team", "1h30m logo design, second round",
              "3h bugfix in the checkout flow", "15m call about the roadmap")
BARE_PROCESS = """
import sys
from fpdf import FPDF
pdf = FPDF(unit="mm", format="A4")
pdf.add_font("DejaVuSans", "", sys.argv[1])
pdf.set_font("DejaVuSans", "", 9)
pdf.add_page()
for i in range(int(sys.argv[2])):
    pdf.cell(25, 6.8, "3 Dec 2026")
    pdf.cell(75, 6.8, sys.argv[3 + i % (len(sys.argv) - 3)])
    pdf.cell(18, 6.8, "1:30", align="R")
    pdf.cell(26, 6.8, "80.00", align="R")
    pdf.cell(30, 6.8, "120.00", align="R", new_x="LMARGIN", new_y="NEXT")
sys.stdout.buffer.write(bytes(pdf.output())[:8])
"""

IMPORTS = {"python": "pass", "import fpdf": "import fpdf", "import fpdf, facturx": "import fpdf, facturx",
           "import fpdf, requests, pypdf": "import fpdf, requests, pypdf",
           "import fpdf, core.factur_x": "import fpdf, core.factur_x"}


def child_cpu_ms(argv: list[str], env: dict[str, str], stdin: bytes = b"", expect: bytes = b"") -> float:
    """One child process's CPU time (user + system), from the children's usage before and after it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(argv, input=stdin, env=env, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or expect not in result.stdout:
        raise SystemExit(f"{argv} failed: {(result.stdout + result.stderr).decode(errors='replace')[-2000:]}")
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def fresh_processes(folder: Path, rounds: int) -> dict[str, list[float]]:
    """CPU ms of a bare fpdf2 process and of ``invoicebot chat`` answering /help or one /invoice, interleaved.

    The bot's data folder is prepared once (profile, client, 20 tasks; migrated, modules compiled) and copied
    before each round, untimed, so every round issues the same first invoice from the same database."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL", "INVOICEBOT_", "SENTRY_", "SMTP_"))
           and key != "PYTHONDONTWRITEBYTECODE"}  # an installed bot's modules are compiled once, as the libraries
    root = Path(__file__).resolve().parents[1]
    env.update(INVOICEBOT_SECRET_KEYS="q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8=", PYTHONPATH=str(root))
    chat = [sys.executable, "-m", "bot", "chat", "--as", "bench"]
    seed = folder / "seed"
    setup = ["/profile set name Jane Doe Design", "/profile set address Hauptstr. 1 | 10115 Berlin",
             "/profile set payment IBAN DE89 3704 0044 0532 0130 00", "/profile set tax_rate 19",
             "/profile set country DE", "/profile set vat_id DE123456788", "/client add ACME rate 80",
             "/client set ACME country DE",
             *(f"{FRESH_WORK[i % len(FRESH_WORK)]} for ACME yesterday" for i in range(FRESH_LINES))]
    child_cpu_ms(chat, {**env, "INVOICEBOT_DATA_DIR": str(seed)}, "\n".join(setup).encode() + b"\n", b"Logged #20")
    descriptions = [work.split(" ", 1)[1] for work in FRESH_WORK]
    bare = [sys.executable, "-c", BARE_PROCESS, str(font_path("DejaVuSans.ttf")), str(FRESH_LINES), *descriptions]
    imports = {name: [sys.executable, "-c", code] for name, code in IMPORTS.items()}
    samples: dict[str, list[float]] = {"bare": [], "/help": [], "/invoice": [], **{name: [] for name in imports}}
    for n in range(rounds):
        data = folder / f"round{n}"
        shutil.copytree(seed, data)
        samples["bare"].append(child_cpu_ms(bare, env))
        for name, argv in imports.items():
            samples[name].append(child_cpu_ms(argv, env))
        samples["/help"].append(child_cpu_ms(chat, {**env, "INVOICEBOT_DATA_DIR": str(data)}, b"/help\n", b"/invoice"))
        samples["/invoice"].append(child_cpu_ms(chat, {**env, "INVOICEBOT_DATA_DIR": str(data)}, b"/invoice ACME\n",
                                                f"{FRESH_LINES} lines".encode()))
        assert (data / "outbox" / "bench" / "INV-2026-0001.pdf").stat().st_size > 10_000  # each --as user has a folder
        shutil.rmtree(data)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, nargs="+", default=[20, 500])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh-rounds", type=int, default=9, help="rounds of fresh processes (0: none)")
    parser.add_argument("--fresh-only", action="store_true", help="only the fresh processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if not args.fresh_only:
            in_process(args, folder)
        if args.fresh_rounds:
            print_fresh(Path(folder), args.fresh_rounds)


def in_process(args: argparse.Namespace, folder: str) -> None:
    """The warm figures: render and /invoice in this process beside bare fpdf2, and the e-invoice budget."""
    core = build_core(args.database_url or f"sqlite:///{folder}/bench.db")
    print(f"fallback font, first load in a process: {fallback_parse_ms():.0f} ms (once)")
    print(f"{'lines':>5} {'variant':>10} {'median ms':>10} {'p99 ms':>8} {'× floor':>8} "
          f"{'cpu median':>11} {'cpu × floor':>12} {'n':>4}")
    for n_lines in args.lines:
        wall, cpu, budget = bench_size(core, n_lines, args.rounds)
        floor, _ = summary(wall["floor"])
        cpu_floor, _ = summary(cpu["floor"])
        for variant, samples in wall.items():
            median, p99 = summary(samples)
            cpu_median, _ = summary(cpu[variant])
            print(f"{n_lines:>5} {variant:>10} {median:>10.1f} {p99:>8.1f} {median / floor:>8.2f} "
                  f"{cpu_median:>11.1f} {cpu_median / cpu_floor:>12.2f} {len(samples):>4}")
        added = summary(wall["e-invoice"])[0] - summary(wall["plain"])[0]
        added_cpu = summary(cpu["e-invoice"])[0] - summary(cpu["plain"])[0]
        print(f"{n_lines:>5} XML + embedding + QR add {added:.1f} ms (cpu {added_cpu:.1f} ms) to the plain "
              f"render, ratio {summary(wall['e-invoice'])[0] / summary(wall['plain'])[0]:.2f}")
        medians = {name: statistics.median(values) for name, values in budget.items()}
        rest = medians["added"] - medians["XML + XSD"] - medians["QR matrix"]
        verdict = "within" if medians["added"] <= GOAL_MS else "OVER"
        print(f"{n_lines:>5} e-invoice budget, cpu ms, median of {len(budget['added'])} paired rounds: plain "
              f"{medians['plain']:.1f}, with XML + embedding + QR {medians['e-invoice']:.1f}, added "
              f"{medians['added']:.1f} (ratio {medians['e-invoice'] / medians['plain']:.2f}; goal ≤ {GOAL_MS:.0f} ms: "
              f"{verdict}); alone: XML + XSD {medians['XML + XSD']:.1f}, QR matrix {medians['QR matrix']:.1f}, "
              f"embedding and drawing the rest ≈ {rest:.1f}")
        for variant in ("render", "/invoice"):
            ratio = summary(cpu[variant])[0] / cpu_floor
            print(f"{n_lines:>5} {variant} cpu {ratio:.2f}× floor (goal ≤ 1.5×: {'within' if ratio <= 1.5 else 'OVER'}); "
                  f"{summary(cpu[variant])[0] / summary(cpu['floor LGC'])[0]:.2f}× floor LGC")


def print_fresh(folder: Path, rounds: int) -> None:
    """The fresh processes' medians, the ratio to the goal, and the floor this design sets for it."""
    fresh = {name: statistics.median(values) for name, values in fresh_processes(folder, rounds).items()}
    bare, bot, start = fresh["bare"], fresh["/invoice"], fresh["/help"]
    fpdf2 = fresh["import fpdf"] - fresh["python"]
    floor = start + fpdf2
    print(f"fresh processes, {rounds} rounds, median CPU ms; load {os.getloadavg()[0]:.2f}")
    print(f"  bare python + fpdf2, {FRESH_LINES} lines  {bare:8.1f}   (import fpdf2 {fpdf2:.1f} of it, python "
          f"{fresh['python']:.1f})")
    print(f"  invoicebot chat, /help          {start:8.1f}   ratio {start / bare:4.2f}×  (the start alone)")
    print(f"  invoicebot chat, /invoice ACME  {bot:8.1f}   ratio {bot / bare:4.2f}×  "
          f"(goal ≤ {FRESH_GOAL}×: {'within' if bot / bare <= FRESH_GOAL else 'OVER'}); the invoice adds "
          f"{bot - start:.1f} to the start, {(bot - start) / bare:.2f}× the bare process")
    print(f"  /help + import fpdf2            {floor:8.1f}   ratio {floor / bare:4.2f}×  (what any fresh invoice "
          f"pays before its own work)")
    print(f"  import factur-x after fpdf2     {fresh['import fpdf, facturx'] - fresh['import fpdf']:8.1f}   of which "
          f"requests + pypdf {fresh['import fpdf, requests, pypdf'] - fresh['import fpdf']:.1f} (unused by the XML)")
    print(f"  as the bot imports it           {fresh['import fpdf, core.factur_x'] - fresh['import fpdf']:8.1f}   "
          "(core.factur_x: requests deferred to its first use)")


if __name__ == "__main__":
    main()
