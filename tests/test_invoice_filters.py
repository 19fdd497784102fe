"""/invoices open|overdue|paid|void are filters (as /help says), not client names; a client may come before one."""
from __future__ import annotations

from tests.conftest import SELLER_PROFILE


def _two_invoices(chat) -> None:  # type: ignore[no-untyped-def]
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client add Globex rate 100",
                 "/client set ACME country DE", "/client set Globex country DE",
                 "2h logo for ACME", "1h call for Globex", "/invoice ACME", "/invoice Globex",
                 "/paid INV-2026-0001"):
        chat.text(line)


def test_a_status_word_filters_the_list(chat, clock) -> None:
    _two_invoices(chat)
    paid = chat.text("/invoices paid")
    assert "INV-2026-0001" in paid and "INV-2026-0002" not in paid
    open_ = chat.text("/invoices open")
    assert "INV-2026-0002" in open_ and "INV-2026-0001" not in open_
    assert chat.text("/invoices overdue") == "No overdue invoices."
    clock.advance(days=40)
    overdue = chat.text("/invoices Overdue")
    assert "INV-2026-0002" in overdue and "overdue since" in overdue and "INV-2026-0001" not in overdue
    assert chat.text("/invoices void") == "No void invoices."


def test_a_client_and_a_status_together(chat) -> None:
    _two_invoices(chat)
    assert chat.text("/invoices ACME open") == "No open invoices for ACME."
    assert "INV-2026-0002" in chat.text("/invoices Globex open")
    assert "INV-2026-0001" in chat.text("/invoices ACME")
