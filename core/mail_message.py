"""What an e-mail to a client says: subject and body in the invoice's language (the client's), the PDF attached.

Composed from the stored invoice each time it is sent, so a retry sends the same text and the same PDF bytes
(the PDF re-renders identically from the stored rows), under the Message-ID fixed when it was queued.
"""
from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from sqlalchemy.orm import Session

from core.accounts import format_date
from core.encryption import Cipher
from core.i18n import _, use_language
from core.invoice_documents import einvoice_of, invoice_document
from core.models import Email, Invoice
from core.money import Money, format_money
from core.payments import outstanding
from core.pdf import render_invoice_pdf


def compose_email(session: Session, email: Email, cipher: Cipher, now: datetime) -> EmailMessage:
    invoice = email.invoice
    document = invoice_document(invoice, cipher)
    pdf = render_invoice_pdf(document, einvoice_of(document))
    seller = document.seller.name
    with use_language(invoice.language, invoice.locale):
        subject, body = _texts(session, email, invoice, seller, document.buyer.name)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = formataddr((seller, email.sender))
    message["To"] = email.recipient
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = email.message_id
    message.set_content(body, cte="quoted-printable")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{invoice.number}.pdf")
    message["Content-Language"] = invoice.language  # after the attachment: making it multipart moves Content-*
    return message


def _texts(session: Session, email: Email, invoice: Invoice, seller: str, client: str) -> tuple[str, str]:
    locale = invoice.locale
    total = format_money(Money.from_minor(invoice.total_minor, invoice.currency), locale)
    fields = {"number": invoice.number, "seller": seller, "client": client, "total": total,
              "date": format_date(invoice.issue_date, locale), "due": format_date(invoice.due_date, locale)}
    if invoice.kind == "credit_note":
        fields["invoice"] = invoice.corrects.number if invoice.corrects is not None else "—"
        return (_("Credit note {number} from {seller}").format(**fields),
                _("Hello {client},\n\nplease find attached credit note {number} of {date} for {total}, which cancels "
                  "invoice {invoice}.\n\nKind regards,\n{seller}").format(**fields))
    if email.kind == "reminder":
        fields["outstanding"] = format_money(outstanding(session, invoice), locale)
        return (_("Payment reminder: invoice {number} from {seller}").format(**fields),
                _("Hello {client},\n\nthis is a friendly reminder that invoice {number} of {date}, due on {due}, is "
                  "not fully paid yet: {outstanding} of {total} is outstanding.\n\nPlease quote {number} as the "
                  "payment reference. The invoice is attached again. If you have paid in the meantime, please "
                  "disregard this message.\n\nKind regards,\n{seller}").format(**fields))
    return (_("Invoice {number} from {seller}").format(**fields),
            _("Hello {client},\n\nplease find attached invoice {number} of {date} for {total}, due on "
              "{due}.\n\nPlease quote {number} as the payment reference.\n\nKind regards,\n{seller}").format(**fields))
