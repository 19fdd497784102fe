"""The retainer scheduler: issue every recurring invoice that is due and announce it, with its PDF, in the user's
private chat (the reminders' delivery path). It runs with the reminders, in ``invoicebot run`` and in
``invoicebot reminders run-once``; any number of workers may run it at once (see core/recurring.py).

An invoice is issued and its retainer moved on in one transaction; the announcement goes out after the commit. A
crash between the two costs the announcement, never a second invoice: the invoice is in /invoices either way.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.accounts import format_date
from core.commands.invoices import invoice_reply
from core.encryption import Cipher
from core.errors import UserError
from core.i18n import _, current_locale, use_language
from core.invoices import invoice_total
from core.languages import reply_language, reply_locale
from core.messages import Reply
from core.models import Account, Invoice, RecurringInvoice
from core.money import format_money
from core.notify import DeliveryError, Notifier
from core.recurring import Issued, NotIssued, issue_next_due, record_not_issued
from core.storage import transaction

log = logging.getLogger(__name__)


@dataclass
class RetainerReport:
    issued: int = 0
    refused: int = 0
    """Due, but could not be issued (retried later)."""
    unannounced: int = 0
    """Issued, but the message to the user did not go through."""

    def __str__(self) -> str:
        return f"{self.issued} issued, {self.refused} could not be issued (retried later), " \
               f"{self.unannounced} not announced"


def issue_due(sessions: sessionmaker[Session], cipher: Cipher, notifiers: Mapping[str, Notifier], now: datetime, *,
              should_stop: Callable[[], bool] = lambda: False, mail_from: str | None = None) -> RetainerReport:
    """Issue every retainer invoice due at ``now`` (one per missed period) for the platforms of ``notifiers``; the
    e-mails of retainers added with ``send`` are queued with their invoice (``mail_from``: INVOICEBOT_MAIL_FROM)."""
    report = RetainerReport()
    platforms = frozenset(notifiers)
    skip: set[int] = set()
    while not should_stop():
        try:
            with transaction(sessions) as session:
                issued = issue_next_due(session, cipher, now, platforms, frozenset(skip), mail_from)
        except NotIssued as refusal:
            skip.add(refusal.recurring_id)
            report.refused += 1
            _not_issued(sessions, notifiers, refusal, now)
            continue
        if issued is None:
            return report
        report.issued += 1
        try:
            with sessions() as session:  # outside the issuing transaction: drawing the PDF holds no lock
                message = _announcement(session, cipher, issued)
            notifiers[issued.platform].send(issued.chat_id, message)
        except DeliveryError as exc:
            report.unannounced += 1
            log.warning("retainer %s: invoice %s issued, but announcing it to %s:%s failed: %s", issued.recurring_id,
                        issued.invoice_id, issued.platform, issued.chat_id, exc)
        except Exception:
            report.unannounced += 1
            log.exception("retainer %s: invoice %s issued, but announcing it failed", issued.recurring_id,
                          issued.invoice_id)
    return report


def _announcement(session: Session, cipher: Cipher, issued: Issued) -> Reply:
    """The message with the invoice's PDF, in the user's language."""
    account = session.get(Account, issued.account_id)
    invoice = session.get(Invoice, issued.invoice_id)
    assert account is not None and invoice is not None
    with use_language(reply_language(account), reply_locale(account)):
        locale = current_locale()
        text = _("Retainer #{id}: invoice {number} for {client} ({date}), total {total}, due {due}.").format(
            id=issued.number, number=invoice.number, client=invoice.client.name,
            date=format_date(issued.period_on, locale), total=format_money(invoice_total(invoice), locale),
            due=format_date(invoice.due_date, locale))
        if issued.emailed_to:
            text += "\n" + _("I'm e-mailing it to {email} too.").format(email=issued.emailed_to)
        reply = invoice_reply(cipher, invoice, text)
        if reply.finish is not None:  # the PDF, drawn from the invoice's frozen document
            reply = reply.finish()
    return reply


def _not_issued(sessions: sessionmaker[Session], notifiers: Mapping[str, Notifier], refusal: NotIssued,
                now: datetime) -> None:
    """Retry later; on the first refusal in a row, tell the user what to fix (an unexpected error: logged with a
    reference, and the user gets that reference)."""
    ref = uuid.uuid4().hex[:8]
    if isinstance(refusal.reason, UserError):
        log.info("retainer %s could not be issued: %s", refusal.recurring_id, refusal.reason.message)
    else:
        log.error("retainer %s could not be issued (ref %s)", refusal.recurring_id, ref, exc_info=refusal.reason)
    try:
        with transaction(sessions) as session:
            before = record_not_issued(session, refusal.recurring_id, refusal.due_at, now)
            row = session.get(RecurringInvoice, refusal.recurring_id)
            if before != 0 or row is None:
                return
            account = session.get(Account, row.account_id)
            assert account is not None
            with use_language(reply_language(account), reply_locale(account)):
                reason = refusal.reason.message if isinstance(refusal.reason, UserError) else \
                    _("Something went wrong (ref {ref}).").format(ref=ref)
                message = Reply(_("I couldn't issue the invoice of retainer #{id} for {client}: {reason}\nI'll try "
                                  "again in an hour, and keep trying.").format(
                    id=row.number, client=row.client.name, reason=reason))
            platform, chat_id = row.platform, row.chat_id
    except Exception:
        log.exception("could not record that retainer %s was not issued", refusal.recurring_id)
        return
    try:
        notifiers[platform].send(chat_id, message)
    except Exception as exc:
        log.warning("retainer %s: telling %s:%s that it could not be issued failed: %s", refusal.recurring_id,
                    platform, chat_id, exc)
