"""Sending the outbox (core/mail.py): right after the command that queued an e-mail commits, and again later for
what failed (``invoicebot run`` every tick, ``invoicebot reminders run-once``).

Each e-mail is claimed (leased) in one transaction, composed, handed to the SMTP server outside any transaction,
and its outcome recorded in another — only while the lease is still this sender's. Blocking: call it from a worker
thread (the chat adapters run the dispatcher in one; the scheduler ticks in one).
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from core import mail
from core.accounts import format_date
from core.context import Clock
from core.encryption import Cipher
from core.i18n import _
from core.mail_message import compose_email
from core.models import Email
from core.smtp import MailError
from core.storage import transaction

log = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, message: EmailMessage, sender: str, recipient: str) -> str: ...


@dataclass(frozen=True)
class Outcome:
    email_id: int
    number: str
    recipient: str
    kind: str
    """``invoice`` or ``reminder`` (core/mail.py)."""
    status: str
    """``sent``, ``retrying`` (a failed attempt; tried again at ``retry_at``), ``failed`` (given up) or ``busy``
    (another sender holds it right now)."""
    error_kind: str | None = None
    detail: str = ""
    retry_at: datetime | None = None


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} failed"


class Mailer:
    def __init__(self, sessions: sessionmaker[Session], cipher: Cipher, clock: Clock, transport: Transport, *,
                 setup: mail.MailSetup) -> None:
        self.sessions = sessions
        self.cipher = cipher
        self.clock = clock
        self.transport = transport
        self.setup = setup

    def deliver(self, ids: Iterable[int]) -> list[Outcome]:
        """Send these e-mails now (just queued); one another sender holds is reported ``busy``."""
        wanted = list(dict.fromkeys(ids))
        owner = worker_name()
        with transaction(self.sessions) as session:
            claims = {c.email_id: c for c in mail.claim(session, self.clock(), owner, ids=wanted, limit=len(wanted))}
            busy = [self._busy(session, email_id) for email_id in wanted if email_id not in claims]
        return [self._send(claims[email_id]) for email_id in wanted if email_id in claims] + busy

    def deliver_due(self, *, should_stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
        """Send every e-mail whose (next) attempt is due now, batch by batch, until none is left or told to stop."""
        report = DeliveryReport()
        owner = worker_name()
        while True:
            with transaction(self.sessions) as session:
                claims = mail.claim(session, self.clock(), owner)
            for number, claimed in enumerate(claims):
                if should_stop() and number:
                    with transaction(self.sessions) as session:
                        mail.release(session, claims[number:])
                    return report
                try:
                    outcome = self._send(claimed)
                except Exception:  # its lease runs out and a later tick tries again
                    log.exception("e-mail %s could not be sent", claimed.email_id)
                    report.failed += 1
                    continue
                if outcome.status == "sent":
                    report.sent += 1
                else:
                    report.failed += 1
            if len(claims) < mail.CLAIM_BATCH or should_stop():
                return report

    def _busy(self, session: Session, email_id: int) -> Outcome:
        email = session.get(Email, email_id)
        assert email is not None
        return Outcome(email_id, email.invoice.number, email.recipient, email.kind,
                       "busy" if email.status == "queued" else email.status)

    def _send(self, claimed: mail.Claim) -> Outcome:
        with transaction(self.sessions) as session:
            email = session.get(Email, claimed.email_id)
            assert email is not None
            number, recipient, sender, kind = email.invoice.number, email.recipient, email.sender, email.kind
            message = compose_email(session, email, self.cipher, self.clock())
        try:
            answer = self.transport.send(message, sender, recipient)
        except MailError as exc:
            with transaction(self.sessions) as session:
                retry_at = mail.record_failure(session, claimed, self.clock(), exc.kind, exc.detail,
                                               permanent=exc.permanent)
            log.warning("e-mail %s (%s) to the client not sent: %s; %s", claimed.email_id, number, exc,
                        f"retrying at {retry_at.isoformat()}" if retry_at else "given up")
            return Outcome(claimed.email_id, number, recipient, kind, "retrying" if retry_at else "failed", exc.kind,
                           exc.detail, retry_at)
        with transaction(self.sessions) as session:
            mail.record_sent(session, claimed, self.clock(), answer)
        log.info("e-mail %s (%s) sent; the server answered %s", claimed.email_id, number, answer)
        return Outcome(claimed.email_id, number, recipient, kind, "sent", detail=answer)


def worker_name() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def describe_outcome(outcome: Outcome, server: str) -> str:
    """One or two sentences for the chat, in the reply's language."""
    fields = {"number": outcome.number, "to": outcome.recipient, "server": server, "detail": outcome.detail}
    if outcome.status == "sent" and outcome.kind == "reminder":
        return _("E-mailed a payment reminder for {number} to {to}, with the invoice attached.").format(**fields)
    if outcome.status == "sent":
        return _("E-mailed {number} to {to}.").format(**fields)
    if outcome.status == "busy":
        return _("{number} is being e-mailed to {to} right now; /invoices shows when it has gone.").format(**fields)
    reasons = {
        "unreachable": _("I couldn't e-mail {number} to {to}: the mail server {server} can't be reached "
                         "({detail})."),
        "timeout": _("I couldn't e-mail {number} to {to}: the mail server {server} didn't answer in time."),
        "tls": _("I couldn't e-mail {number} to {to}: the secure connection to the mail server {server} failed "
                 "({detail})."),
        "login": _("I couldn't e-mail {number} to {to}: the mail server {server} refused the login of SMTP_URL "
                   "({detail})."),
        "recipient": _("I couldn't e-mail {number}: the mail server refused the address {to} ({detail})."),
        "refused": _("I couldn't e-mail {number} to {to}: the mail server refused the message ({detail})."),
    }
    text = reasons.get(outcome.error_kind or "", reasons["refused"]).format(**fields)
    return text + " " + _("{number} stays issued; /send {number} tries again.").format(**fields)


def describe_email(email: Email, tz: str, locale: str, *, with_answer: bool = False) -> str:
    """What became of an invoice's latest e-mail, for /invoices (and, with the server's answer, /invoice show)."""
    fields = {"to": email.recipient, "number": email.invoice.number, "answer": email.server_reply or ""}
    if email.status == "sent" and email.sent_at is not None:
        fields["date"] = format_date(email.sent_at.astimezone(ZoneInfo(tz)).date(), locale)
        if with_answer:
            return _("E-mailed to {to} on {date}; the mail server answered “{answer}”.").format(**fields)
        return _("e-mailed to {to} on {date}").format(**fields)
    if email.status == "failed":
        return _("e-mail to {to} failed ({answer}); /send {number} tries again").format(**fields)
    if email.attempts:
        return _("e-mail to {to} not sent yet ({answer}); tried again soon").format(**fields)
    return _("e-mail to {to} queued").format(**fields)

