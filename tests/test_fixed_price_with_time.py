"""A fixed price beside a duration (``€500 2h website for ACME``) has one meaning everywhere: the task bills its
price, and the time beside it is recorded as time spent — shown with the task, never billed by the hour nor
counted in the hours billed (chat, /tasks, /client, /report, the invoice and its PDF)."""
from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from core.models import InvoiceLine
from tests.conftest import SELLER_PROFILE, Conversation


def _set_up(chat: Conversation) -> None:
    for line in (*SELLER_PROFILE, "/client add ACME rate 90"):
        chat.say(line)


def test_the_chat_and_tasks_say_fixed_price_with_the_time_spent(chat: Conversation) -> None:
    _set_up(chat)
    logged = chat.text("€500 2h website for ACME")
    assert logged == "Logged #1: fixed price (2h of work) for ACME on 24 Nov 2026 — website — €500.00"
    chat.say("1h review for ACME")
    listing = chat.text("/tasks")
    assert "ACME — 1h, €590.00" in listing  # the hours billed by the hour: the review's only
    assert "#1 24 Nov 2026 · fixed price (2h of work) · website · €500.00" in listing
    assert "/h" not in listing.splitlines()[2]


def test_the_clients_hours_and_the_report_count_only_hourly_work(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("€500 2h website for ACME")
    chat.say("1h review for ACME")
    assert "Unbilled: 2 tasks, 1h, €590.00" in chat.text("/client ACME")
    assert "ACME: unbilled 1h (€590.00)" in chat.text("/report")


def test_the_invoice_bills_the_price_as_one_fixed_line(chat: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    _set_up(chat)
    chat.say("€500 2h website for ACME")
    issued = chat.invoice("/invoice ACME")
    assert "1 line, total €500.00" in issued.text  # the price, not 2h at €90/h
    with sessions() as session:
        line = session.scalars(select(InvoiceLine)).one()
        assert (line.minutes, line.rate, line.amount_minor) == (None, None, 50000)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(issued.document.content)).pages)
    assert "500.00" in text and "90.00" not in text


def test_correcting_the_time_spent_keeps_the_price_and_a_rate_bills_by_the_hour(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("€500 2h website for ACME")
    assert chat.text("/edit 1 3h") == ("Changed #1: fixed price (3h of work) for ACME on 24 Nov 2026 — website — "
                                       "€500.00")
    assert chat.text("/edit 1 yesterday").startswith("Changed #1: fixed price (3h of work) for ACME on 23 Nov 2026")
    assert chat.text("/edit 1 3h @ 100/h").endswith("€300.00 at €100.00/h")
