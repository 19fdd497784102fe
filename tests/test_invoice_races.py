"""Billing under concurrency and failure: two /invoice at once make one invoice (SQLite from several processes,
every configured database from several threads), a repeated delivery bills once, and a failure between billing
and the PDF loses nothing."""
from __future__ import annotations

import multiprocessing
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.models import Invoice, InvoiceCounter, Task
from tests.conftest import SELLER_PROFILE, TEST_KEY, Conversation, FixedClock

WORKERS = 4


def _prepare(core, counter_exists: bool = False) -> Conversation:  # type: ignore[no-untyped-def]
    """Jane with two unbilled ACME tasks; with ``counter_exists``, an earlier Globex invoice has created the
    counter row, so the race is decided by the row lock alone (creating the row serializes by itself)."""
    chat = Conversation(core, user="jane")
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client set ACME country DE",
                 "2h logo design for ACME", "45m email triage for ACME"):
        chat.text(line)
    if counter_exists:
        chat.text("/client add Globex rate 50")
        chat.text("/client set Globex country DE")
        chat.text("1h call for Globex")
        assert chat.text("/invoice Globex").startswith("Invoice INV-2026-0001 for Globex")
    return chat


def _counts(sessions) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(invoices, billed tasks, the counter's next sequence or 0)."""
    with sessions.begin() as session:
        invoices = session.scalar(select(func.count()).select_from(Invoice))
        billed = session.scalar(select(func.count()).select_from(Task).where(Task.invoice_id.isnot(None)))
        next_seq = session.scalar(select(InvoiceCounter.next_seq)) or 0
    return invoices, billed, next_seq


def _invoice_in_child(url: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """One process: its own engine and Core, started together with the others."""
    from bot.wiring import build_core
    from core.encryption import Cipher
    from core.messages import Incoming
    from core.storage import create_db_engine, session_factory

    engine = create_db_engine(url)
    core = build_core(session_factory(engine), Cipher([TEST_KEY]), FixedClock(), default_tz="Europe/Berlin")
    barrier.wait(timeout=30)
    reply = core.handle(Incoming(platform="local", user_id="jane", chat_id="jane", text="/invoice ACME"))
    results.put("" if reply is None else reply.text)
    engine.dispose()


def test_sqlite_several_processes_invoicing_at_once_make_exactly_one_invoice(
        sqlite_template: Path, tmp_path: Path, cipher, clock) -> None:  # type: ignore[no-untyped-def]
    from bot.wiring import build_core
    from core.storage import create_db_engine, session_factory

    path = tmp_path / "race.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    _prepare(build_core(sessions, cipher, clock, default_tz="Europe/Berlin"), counter_exists=True)
    engine.dispose()

    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    workers = [context.Process(target=_invoice_in_child, args=(url, barrier, results)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    replies = sorted(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    issued = [r for r in replies if r.startswith("Invoice INV-2026-0002 for ACME")]
    refused = [r for r in replies if r.startswith("Nothing to bill for ACME")]
    assert len(issued) == 1 and len(refused) == WORKERS - 1, replies
    assert _counts(session_factory(create_db_engine(url))) == (2, 3, 3)


def test_threads_invoicing_at_once_make_exactly_one_invoice(core, sessions) -> None:  # type: ignore[no-untyped-def]
    """Runs on every configured database: on PostgreSQL this is the row-lock race."""
    _prepare(core, counter_exists=True)
    barrier = threading.Barrier(WORKERS)
    replies: list[str] = []

    def invoice() -> None:
        chat = Conversation(core, user="jane")
        barrier.wait(timeout=30)
        replies.append(chat.text("/invoice ACME"))

    threads = [threading.Thread(target=invoice) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r.startswith("Invoice INV-2026-0002 for ACME") for r in replies) == 1, replies
    assert sum(r.startswith("Nothing to bill for ACME") for r in replies) == WORKERS - 1, replies
    assert _counts(sessions) == (2, 3, 3)


def test_the_same_delivery_twice_bills_once_even_at_the_same_moment(core, sessions) -> None:  # type: ignore[no-untyped-def]
    _prepare(core)
    barrier = threading.Barrier(2)
    replies: list[object] = []

    def deliver() -> None:
        barrier.wait(timeout=30)
        replies.append(Conversation(core, user="jane").say("/invoice ACME", message_id="update-77"))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r is None for r in replies) == [False, True]
    assert Conversation(core, user="jane").say("/invoice ACME", message_id="update-77") is None
    assert _counts(sessions) == (1, 2, 2)


def test_a_pdf_failure_after_billing_loses_nothing_and_show_renders_it(core, sessions, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from core.commands import invoices as commands

    chat = _prepare(core)
    real_render = commands.render_invoice_pdf

    def broken(document, einvoice=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(commands, "render_invoice_pdf", broken)
    reply = chat.say("/invoice ACME")
    assert reply.document is None
    assert "INV-2026-0001" in reply.text and "saved" in reply.text and "/invoice show INV-2026-0001" in reply.text
    assert "disk full" not in reply.text and "disk full" in caplog.text
    assert _counts(sessions) == (1, 2, 2)

    monkeypatch.setattr(commands, "render_invoice_pdf", real_render)
    shown = chat.say("/invoice show INV-2026-0001")
    assert shown.document is not None and shown.document.content.startswith(b"%PDF")
    assert shown.document.content == chat.say("/invoice show INV-2026-0001").document.content


def test_a_crash_while_billing_rolls_everything_back(core, sessions, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A process dying inside the transaction (here: SystemExit while making the e-invoice XML, the last step
    before the commit; the PDF is drawn after it) commits nothing: no invoice, no number used, the work still
    unbilled, and the next /invoice gets the first number."""
    from core.commands import invoices as commands

    chat = _prepare(core)
    real_einvoice = commands.einvoice_for

    def dying(document, ahead):  # type: ignore[no-untyped-def]
        raise SystemExit(1)

    monkeypatch.setattr(commands, "einvoice_for", dying)
    with pytest.raises(SystemExit):
        chat.say("/invoice ACME")
    assert _counts(sessions) == (0, 0, 0)
    monkeypatch.setattr(commands, "einvoice_for", real_einvoice)
    assert chat.text("/invoice ACME").startswith("Invoice INV-2026-0001 for ACME")


def test_paid_and_void_of_one_invoice_at_the_same_moment_are_decided_one_after_the_other(core, sessions) -> None:  # type: ignore[no-untyped-def]
    """Without the row lock, PostgreSQL could record a voided invoice (its work unbilled again) as paid."""
    chat = _prepare(core)
    for _ in range(5):
        chat.text("1h follow-up for ACME")
        number = chat.text("/invoice ACME").split()[1]
        barrier = threading.Barrier(2)
        replies: dict[str, str] = {}

        def run(command: str, barrier: threading.Barrier = barrier, replies: dict[str, str] = replies,
                number: str = number) -> None:
            barrier.wait(timeout=30)
            replies[command] = Conversation(core, user="jane").text(f"{command} {number}")

        threads = [threading.Thread(target=run, args=(command,)) for command in ("/paid", "/void")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        with sessions.begin() as session:
            invoice = session.scalar(select(Invoice).where(Invoice.number == number))
            still_billed = session.scalar(select(func.count()).select_from(Task).where(Task.invoice_id == invoice.id))
        if invoice.status == "paid":
            assert still_billed > 0 and replies["/void"].endswith("a paid invoice can't be voided."), replies
        else:
            assert invoice.status == "void" and still_billed == 0, (invoice.status, still_billed)
            assert replies["/paid"].endswith("is void, so it can't be paid. /invoices shows the open ones."), replies


def test_two_clients_invoiced_at_the_same_instant_get_two_numbers(core, sessions) -> None:  # type: ignore[no-untyped-def]
    """/invoice ACME and /invoice Globex for one account at once: different tasks, so only the counter row's lock
    keeps them from both taking the same number (on PostgreSQL; SQLite serializes every writer anyway)."""
    chat = Conversation(core, user="jane")
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client add Globex rate 50", "/client add Initech rate 60",
                 "/client set ACME country DE", "/client set Globex country DE", "/client set Initech country DE",
                 "1h kick-off for Initech", "/invoice Initech"):
        chat.text(line)  # the counter row exists: the race is the row lock's alone
    issued: list[str] = []
    for _round in range(6):
        chat.text("1h logo for ACME")
        chat.text("1h call for Globex")
        barrier = threading.Barrier(2)
        replies: list[str] = []

        def invoice(client: str, barrier: threading.Barrier = barrier, replies: list[str] = replies) -> None:
            barrier.wait(timeout=30)
            replies.append(Conversation(core, user="jane").text(f"/invoice {client}"))

        threads = [threading.Thread(target=invoice, args=(client,)) for client in ("ACME", "Globex")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(replies) == 2 and all(r.startswith("Invoice INV-2026-") for r in replies), replies
        issued += [r.split()[1] for r in replies]
    assert sorted(issued) == [f"INV-2026-{n:04d}" for n in range(2, 14)]
