"""Ack latency of the Slack channel: 200 signed slash commands from 20 concurrent senders, /invoice mixed in.

Slack gives an app 3 s to acknowledge; the goal is p99 < 300 ms while the core works in the background.
Baseline, measured in the same run on the same server: a route that answers 200 at once (no Bolt, no signature
check), so the ratio shows what Bolt's dispatch plus our listeners add under the same load.

    python bench/bench_slack.py [--commands 200] [--senders 20] [--rounds 3]

Bolt's floor: its listener runner checks for the ack every 10 ms, so one lone command acks in about 11 ms.
Everything runs on 127.0.0.1: a fake Slack Web API, the real core on a temporary SQLite database.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.slack.channel import SlackChannel  # noqa: E402
from bot.wiring import build_core  # noqa: E402
from core.app import Core  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.inbox import Inbox  # noqa: E402
from core.messages import Document, Incoming, Reply  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory  # noqa: E402
from tests.slack.fake_slack import FakeSlack  # noqa: E402
from tests.slack.signing import SlackSender  # noqa: E402

SECRET = "bench-signing-secret"
KEY = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="


class InvoiceStandIn:
    """Until the core has /invoice: the same kind of work in its place (an fpdf2 PDF of 60 lines, uploaded with
    files_upload_v2), so the bench measures acks while PDFs are rendered and uploaded alongside."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.commands = core.commands

    def handle(self, incoming: Incoming, *, keep_reply: bool = False) -> Reply | None:
        if not incoming.text.startswith("/invoice"):
            return self.core.handle(incoming, keep_reply=keep_reply)
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=10)
        for line in range(60):
            pdf.cell(0, 6, f"2026-11-{line % 28 + 1:02} logo design for ACME  2.00 h  80.00  160.00",
                     new_x="LMARGIN", new_y="NEXT")
        return Reply("Invoice INV-BENCH for ACME.", document=Document("INV-BENCH.pdf", bytes(pdf.output())))


def workload(n: int) -> list[tuple[str, str]]:
    """Mostly logging, some lists and reports, every tenth an /invoice (the slow one: PDF + upload)."""
    mix = [("/log", "2h logo design for ACME yesterday"), ("/log", "45 minutes email triage ACME"),
           ("/tasks", ""), ("/log", "1h30 call with ACME on monday"), ("/report", "week"),
           ("/log", "€500 website for ACME"), ("/clients", ""), ("/log", "9:00-11:30 workshop ACME"),
           ("/help", ""), ("/invoice", "ACME")]
    return [mix[i % len(mix)] for i in range(n)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def run_round(sender: SlackSender, baseline_url: str, commands: list[tuple[str, str]], senders: int,
                    fake: FakeSlack) -> tuple[list[float], list[float], list[float], float]:
    users = [f"U{i:03}" for i in range(senders)]

    async def send_all(target: str | None) -> list[float]:
        latencies: list[float] = []

        async def one_sender(index: int) -> None:
            for j in range(index, len(commands), senders):
                command, text = commands[j]
                body = sender.command_body(command, text, user=users[index], channel="C1")
                started = time.perf_counter()
                if target is None:
                    response = await sender.post(body, "application/x-www-form-urlencoded")
                else:
                    async with sender.session.post(target, data=body.encode(), headers={
                            "Content-Type": "application/x-www-form-urlencoded"}) as response:
                        await response.read()
                latencies.append(time.perf_counter() - started)
                assert response.status == 200, response.status

        await asyncio.gather(*(one_sender(i) for i in range(senders)))
        return latencies

    baseline = await send_all(baseline_url)
    answered_before = len(fake.responses)
    started = time.perf_counter()
    acks = await send_all(None)
    await fake.wait_for(lambda: len(fake.responses) >= answered_before + len(commands), timeout=300)
    all_answered = time.perf_counter() - started
    return baseline, acks, [], all_answered


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4, help="threads running the core")
    args = parser.parse_args(argv)

    fake = FakeSlack()
    await fake.start()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{folder}/bench.db")
        migrate(engine)
        core = build_core(session_factory(engine), Cipher([KEY]), lambda: datetime.now(UTC),
                          default_tz="Europe/Berlin")
        has_invoice = any(c.name == "invoice" for c in core.commands)
        channel = SlackChannel(core if has_invoice else InvoiceStandIn(core), signing_secret=SECRET, bot_token="xoxb-bench", api_url=fake.base_url,
                               workers=args.workers, inbox=Inbox(core.sessions, core.clock, core.cipher))
        await channel.start()
        app = web.Application()
        for method, path, handler in channel.routes():
            app.router.add_route(method, path, handler)

        async def baseline(request: web.Request) -> web.Response:
            await request.read()
            return web.Response(status=200)

        app.router.add_post("/baseline", baseline)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        connector = aiohttp.TCPConnector(limit=args.senders)
        async with aiohttp.ClientSession(connector=connector) as session:
            root = f"http://127.0.0.1:{server.port}"
            sender = SlackSender(session, f"{root}/slack/events", SECRET, fake)
            for i in range(args.senders):  # every user has the client; users.info is read once, as in real life
                await sender.command("/client", "add ACME rate 80 currency EUR", user=f"U{i:03}")
            await fake.wait_for(lambda: len(fake.responses) >= args.senders, timeout=60)

            baseline_all: list[float] = []
            acks_all: list[float] = []
            answered: list[float] = []
            commands = workload(args.commands)
            for _ in range(args.rounds):
                base, acks, _unused, done = await run_round(sender, f"{root}/baseline", commands, args.senders, fake)
                baseline_all += base
                acks_all += acks
                answered.append(done)
        await channel.stop()
        await server.close()
        engine.dispose()
    await fake.close()

    ms = 1000
    b50, b99 = statistics.median(baseline_all) * ms, percentile(baseline_all, 99) * ms
    a50, a99 = statistics.median(acks_all) * ms, percentile(acks_all, 99) * ms
    invoices = sum(1 for c, _ in commands if c == "/invoice") * args.rounds
    print(f"{args.rounds} rounds x {args.commands} slash commands from {args.senders} concurrent senders "
          f"({invoices} /invoice{'' if has_invoice else ': the core has none yet, a stand-in renders and uploads a PDF'})")
    print(f"ack latency     p50 {a50:7.2f} ms   p99 {a99:7.2f} ms   max {max(acks_all) * ms:7.2f} ms")
    print(f"baseline (200)  p50 {b50:7.2f} ms   p99 {b99:7.2f} ms   max {max(baseline_all) * ms:7.2f} ms")
    print(f"ratio ack/base  p50 {a50 / b50:7.2f}x     p99 {a99 / b99:7.2f}x")
    print(f"all {args.commands} answered (response_url) within: median {statistics.median(answered):.2f} s per round")
    print(f"goal p99 < 300 ms: {'met' if a99 < 300 else 'MISSED'}")


if __name__ == "__main__":
    asyncio.run(main())
