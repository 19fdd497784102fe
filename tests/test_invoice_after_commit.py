"""The invoice PDF is drawn after the transaction commits, from the stored snapshot: while it is drawn, the
invoice is already visible to everyone else and the write lock is free."""
from __future__ import annotations

from sqlalchemy import func, select

from core.models import Invoice
from tests.conftest import SELLER_PROFILE, Conversation


def test_the_pdf_is_drawn_once_the_invoice_is_committed(core, sessions, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from core.commands import invoices as commands

    chat = Conversation(core)
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client set ACME country DE", "2h design for ACME"):
        chat.say(line)
    real_render = commands.render_invoice_pdf
    seen: list[int] = []

    def render_and_look(document, einvoice=None):  # type: ignore[no-untyped-def]
        with sessions.begin() as other:  # another connection: a write transaction it can take at once
            seen.append(other.scalar(select(func.count()).select_from(Invoice)))
        return real_render(document, einvoice)

    monkeypatch.setattr(commands, "render_invoice_pdf", render_and_look)
    reply = chat.say("/invoice ACME")
    assert reply.document is not None and reply.document.content.startswith(b"%PDF")
    assert seen == [1]  # committed before drawing began
    assert [action.command for action in reply.actions] == ["/paid INV-2026-0001", "/void INV-2026-0001"]
