"""Billing increments (/profile set rounding, /client set NAME rounding): each time entry bills rounded up to a
multiple of N minutes, the logged minutes are kept and shown beside the billed ones, the client's setting wins."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from core.models import Client, InvoiceLine, Task
from core.pricing import price_tasks
from core.rounding import parse_rounding, round_up
from core.tax import VatTreatment
from tests.conftest import Conversation


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def ada(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="ada")
    for line in ("/profile set name Ada Design", "/client add ACME rate 80", "/client add Globex rate 60"):
        chat.text(line)
    return chat


def test_tasks_show_the_logged_time_and_what_it_bills(ada: Conversation) -> None:
    assert "15m" in ada.text("/profile set rounding 15")
    logged = ada.text("7m review for ACME")
    assert "7m (bills 15m)" in logged and "€20.00" in logged
    listing = ada.text("/tasks")
    assert "ACME — 7m (bills 15m), €20.00" in listing
    assert "#1 24 Nov 2026 · 7m (bills 15m) · review · €20.00 at €80.00/h" in listing


def test_the_clients_setting_wins_and_none_follows_the_profile_again(ada: Conversation) -> None:
    ada.text("/profile set rounding 15")
    ada.text("7m review for ACME")
    ada.text("7m review for Globex")
    ada.text("/client set ACME rounding 6")
    listing = ada.text("/tasks")
    assert "7m (bills 12m) · review · €16.00" in listing          # ACME: its own 6 minutes
    assert "7m (bills 15m) · review · €15.00" in listing          # Globex: the profile's 15
    assert "exactly as logged" in ada.text("/client set ACME rounding off")
    assert "#1 24 Nov 2026 · 7m · review · €9.33 at €80.00/h" in ada.text("/tasks ACME")
    assert "follows your profile's rounding again: 15m" in ada.text("/client set ACME rounding none")
    assert "7m (bills 15m)" in ada.text("/tasks ACME")
    ada.text("/profile set rounding off")
    assert "(bills" not in ada.text("/tasks")


@pytest.mark.parametrize("value", ["15.5", "-5", "241", "quarter", "15h"])
def test_a_rounding_that_is_not_whole_minutes_is_refused_and_changes_nothing(ada: Conversation, value: str) -> None:
    ada.text("/profile set rounding 10")
    assert "whole minutes from 1 to 240" in ada.text(f"/profile set rounding {value}")
    assert "whole minutes from 1 to 240" in ada.text(f"/client set ACME rounding {value}")
    assert "Rounding: 10m" in ada.text("/profile")


def test_the_invoice_bills_the_rounded_time_and_keeps_the_logged_minutes(ada: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    ada.text("/profile set rounding 15")
    ada.text("7m review for ACME")
    ada.text("1h01m workshop for ACME")
    reply = ada.invoice("/invoice ACME")
    assert reply.document is not None
    text = pdf_text(reply.document.content)
    assert "review 0:15 80.00 20.00" in text
    assert "workshop 1:15 80.00 100.00" in text
    with sessions() as session:
        assert sorted(session.scalars(select(Task.minutes))) == [7, 61]             # logged, kept
        assert sorted(session.scalars(select(InvoiceLine.minutes))) == [15, 75]     # billed, on the invoice
    ada.text("/profile set rounding 30")  # an issued invoice keeps what it billed
    again = ada.say("/invoice show INV-2026-0001")
    assert again is not None and again.document is not None
    assert again.document.content == reply.document.content


@given(logged=st.integers(1, 24 * 60), step=st.integers(0, 240),
       rate=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2))
def test_billed_time_is_at_least_the_logged_time_a_multiple_of_the_step_and_less_than_a_step_more(
        logged: int, step: int, rate: Decimal) -> None:
    billed = round_up(logged, step)
    assert billed >= logged
    if step > 1:
        assert billed % step == 0 and billed - logged < step
    else:
        assert billed == logged
    client = Client(id=1, name="ACME", rate=rate, currency="EUR", rounding=step)
    task = Task(id=1, number=1, client=client, client_id=1, work_date=date(2026, 11, 2), minutes=logged)
    [line] = price_tasks([task], VatTreatment("S", Decimal(19))).lines
    assert line.minutes == billed and task.minutes == logged
    assert line.amount.amount == (rate * billed / 60).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@pytest.mark.parametrize(("text", "expected"), [("15", 15), ("15m", 15), ("15 min", 15), ("6 minutes", 6),
                                                ("off", 0), ("0", 0), ("OFF", 0)])
def test_parse_rounding(text: str, expected: int) -> None:
    assert parse_rounding(text) == expected
