"""Test doubles for reminders: a notifier that records (or fails on cue), and a quick way to book an invoice."""
from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from core.messages import Reply
from core.models import Client, Invoice


class RecordingNotifier:
    """A Notifier that keeps what it was asked to send; ``fail_with`` queues exceptions for the next sends."""

    def __init__(self, platform: str = "local") -> None:
        self.platform = platform
        self.sent: list[tuple[str, Reply]] = []
        self.fail_with: list[Exception] = []
        self.threads: set[int] = set()
        """The threads sends came from (the scheduler must send off the event loop's thread)."""
        self._lock = threading.Lock()

    def send(self, chat_id: str, reply: Reply) -> None:
        with self._lock:
            self.threads.add(threading.get_ident())
            if self.fail_with:
                raise self.fail_with.pop(0)
            self.sent.append((chat_id, reply))

    def texts(self) -> list[str]:
        return [reply.text for _, reply in self.sent]


def book_invoice(sessions, account_id: int, client_name: str, number: str, total_minor: int, due: date,  # type: ignore[no-untyped-def]
                 now: datetime, status: str = "open") -> int:
    """An issued invoice row, as the invoicing service would leave it (only what reminders read matters)."""
    with sessions.begin() as session:
        client = session.scalar(select(Client).where(Client.account_id == account_id, Client.name == client_name))
        invoice = Invoice(account_id=account_id, client_id=client.id, number=number, status=status, issue_date=due,
                          due_date=due, currency="EUR", locale="en_GB", subtotal_minor=total_minor,
                          tax_rate=Decimal(0), tax_minor=0, total_minor=total_minor, seller_enc="", buyer="{}",
                          created_at=now)
        session.add(invoice)
        session.flush()
        return invoice.id
