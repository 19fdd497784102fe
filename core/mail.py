"""E-mail to clients: the outbox (SPEC §7 "E-mail").

An e-mail is queued as a row of ``emails`` in the transaction of the command that asks for it (:func:`queue_invoice_mail`),
so it exists exactly when the invoice does; the process that handled the command sends it right after the commit
(:class:`core.mailer.Mailer`), and ``invoicebot run`` / ``reminders run-once`` try again later what failed.

A sender claims a row with a lease (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: transactions queue on the write
lock) before it talks to the server, so two workers never send the same row; a redelivered chat message is refused
by the dispatcher before it could queue a second one. The row keeps one Message-ID for every attempt: if a worker
dies after the server took the message but before it recorded so, the copy the next attempt delivers carries the
same Message-ID and is recognisable as the same e-mail.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from core.accounts import check_email
from core.errors import UserError
from core.i18n import _
from core.models import Account, Email, Invoice

KINDS = ("invoice", "reminder")
QUEUED_KEY = "invoicebot.queued_mail"
"""``session.info`` key: the ids of e-mails queued in this transaction, for the dispatcher to send after commit."""
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
"""Waits after the 1st, 2nd, … failed attempt in a row; after the last one the e-mail is given up (``failed``)."""
LEASE = timedelta(minutes=5)
"""How long a claimed e-mail stays with its sender (far longer than an SMTP conversation's timeouts)."""
CLAIM_BATCH = 20


@dataclass(frozen=True)
class MailSetup:
    """What a command needs to know about e-mail in this process (None when ``SMTP_URL`` isn't set)."""

    server: str
    """``host:port`` of the SMTP server, for sentences about it."""
    mail_from: str | None = None
    """``INVOICEBOT_MAIL_FROM``; without it the profile's e-mail is the From address."""


def not_configured() -> UserError:
    return UserError(_("E-mail isn't set up on this bot, so nothing was sent. Whoever runs it sets SMTP_URL (e.g. "
                       "smtp://user:password@mail.example.com:587) and restarts it; until then, send the PDF "
                       "yourself."))


def no_sender() -> UserError:
    """Refusal when no From address is known: neither ``INVOICEBOT_MAIL_FROM`` nor the profile's e-mail."""
    return UserError(_("E-mail needs your own address to send from and for replies: /profile set email "
                       "you@example.com."))


def queue_invoice_mail(session: Session, account: Account, invoice: Invoice, now: datetime, *,
                       mail_from: str | None, to: str | None = None, kind: str = "invoice") -> Email:
    """Queue the e-mail of ``invoice`` (an invoice or credit note, ``kind="invoice"``, or a payment reminder for
    it, ``kind="reminder"``) to ``to`` or else the client's address; it is sent once the caller's transaction
    commits. Refused with a :class:`UserError` when there is nobody to send it to or no From address.

    The same e-mail still waiting to be sent (after a failed attempt) is sent now instead of a second one.
    """
    assert kind in KINDS
    if invoice.account_id != account.id:
        raise ValueError("invoice of another account")
    _check_sendable(session, invoice, kind)
    recipient = check_email(to.strip()) if to else invoice.client.email
    if not recipient:
        raise UserError(_("{client} has no e-mail address: set it with /client set {client} email "
                          "billing@example.com, or send to an address with /send {number} to EMAIL.").format(
            client=invoice.client.name, number=invoice.number))
    sender = mail_from or account.profile.email
    if not sender:
        raise no_sender()
    waiting = session.scalar(select(Email).where(Email.invoice_id == invoice.id, Email.kind == kind,
                                                 Email.recipient == recipient, Email.status == "queued")
                             .order_by(Email.id.desc()).limit(1))
    if waiting is not None:
        waiting.next_attempt_at = now
        email = waiting
    else:
        email = Email(account_id=account.id, invoice_id=invoice.id, kind=kind, recipient=recipient, sender=sender,
                      reply_to=account.profile.email, message_id=make_msgid("invoicebot", sender.rpartition("@")[2]),
                      status="queued", attempts=0, next_attempt_at=now, created_at=now)
        session.add(email)
    session.flush()
    queued = session.info.setdefault(QUEUED_KEY, [])
    if email.id not in queued:
        queued.append(email.id)
    return email


def _check_sendable(session: Session, invoice: Invoice, kind: str) -> None:
    if invoice.kind == "credit_note":
        if kind == "reminder":
            raise UserError(_("{number} is a credit note: there is nothing to remind anyone to pay.").format(
                number=invoice.number))
        return
    if invoice.status == "void":
        credit = invoice.corrected_by
        if credit is not None:
            raise UserError(_("{number} is cancelled by credit note {credit}: /send {credit} e-mails the credit "
                              "note.").format(number=invoice.number, credit=credit.number))
        raise UserError(_("{number} is cancelled, so I won't e-mail it.").format(number=invoice.number))
    # imported here: core.payments loads the invoice services, and the dispatcher reads this module's queue at
    # every message (a start that answers /help needs none of them)
    from core.payments import outstanding

    if kind == "reminder" and outstanding(session, invoice).amount <= 0:
        raise UserError(_("{number} is paid in full: there is nothing to remind {client} of.").format(
            number=invoice.number, client=invoice.client.name))


def queued_in(session: Session) -> list[int]:
    """The e-mails queued in this session's transaction (to send once it has committed)."""
    return list(session.info.get(QUEUED_KEY, ()))


def was_sent(session: Session, invoice: Invoice) -> bool:
    """Whether any e-mail of this invoice went out (or may have: one being sent right now counts)."""
    return session.scalar(select(Email.id).where(
        Email.invoice_id == invoice.id,
        or_(Email.status == "sent", Email.lease_owner.is_not(None), Email.attempts > 0)).limit(1)) is not None


def latest_emails(session: Session, invoice_ids: Iterable[int]) -> dict[int, Email]:
    """The latest e-mail of each of these invoices (for /invoices)."""
    ids = sorted(set(invoice_ids))
    if not ids:
        return {}
    latest: dict[int, Email] = {}
    for email in session.scalars(select(Email).where(Email.invoice_id.in_(ids)).order_by(Email.id)):
        latest[email.invoice_id] = email
    return latest


# The sender's side: claims, outcomes.


@dataclass(frozen=True)
class Claim:
    email_id: int
    attempts: int
    owner: str


def claim(session: Session, now: datetime, owner: str, *, ids: Iterable[int] | None = None,
          limit: int = CLAIM_BATCH, lease: timedelta = LEASE) -> list[Claim]:
    """Lease queued e-mails to ``owner``: the given ones (just queued: send them now), or else those due at ``now``.
    A row another sender holds — in its transaction or by a lease not yet expired — is skipped."""
    query = select(Email.id, Email.attempts).where(
        Email.status == "queued", or_(Email.lease_expires_at.is_(None), Email.lease_expires_at <= now))
    if ids is not None:
        query = query.where(Email.id.in_(sorted(set(ids))))
    else:
        query = query.where(Email.next_attempt_at <= now)
    rows = session.execute(query.order_by(Email.next_attempt_at, Email.id).limit(limit)
                           .with_for_update(skip_locked=True)).all()
    claims = [Claim(row.id, row.attempts, owner) for row in rows]
    if claims:
        session.execute(update(Email).where(Email.id.in_([c.email_id for c in claims]))
                        .values(lease_owner=owner, lease_expires_at=now + lease)
                        .execution_options(synchronize_session=False))
    return claims


def _held(claim: Claim) -> Any:
    return (Email.id == claim.email_id) & (Email.lease_owner == claim.owner) & (Email.status == "queued")


def record_sent(session: Session, claim: Claim, now: datetime, server_reply: str) -> bool:
    result = session.execute(update(Email).where(_held(claim)).values(
        status="sent", sent_at=now, server_reply=server_reply[:500], error_kind=None, attempts=claim.attempts + 1,
        lease_owner=None, lease_expires_at=None).execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount == 1


def record_failure(session: Session, claim: Claim, now: datetime, kind: str, server_reply: str, *,
                   permanent: bool) -> datetime | None:
    """Try again after a growing wait; give up at once on a permanent refusal or after the last wait. Returns when
    it is tried again, None when it was given up."""
    attempts = claim.attempts + 1
    retry_at = None if permanent or attempts > len(BACKOFF) else now + BACKOFF[attempts - 1]
    session.execute(update(Email).where(_held(claim)).values(
        status="queued" if retry_at else "failed", attempts=attempts, next_attempt_at=retry_at or now,
        error_kind=kind, server_reply=server_reply[:500], lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False))
    return retry_at


def release(session: Session, claims: Iterable[Claim]) -> None:
    """Give back leases not used (a shutdown in the middle of a batch)."""
    for each in claims:
        session.execute(update(Email).where(_held(each)).values(lease_owner=None, lease_expires_at=None)
                        .execution_options(synchronize_session=False))
