"""Chat commands for invoices: /invoice (issue, preview, show), /invoices, /paid, /void."""
from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal

from core import clients as clients_service
from core import head_start, payments
from core import invoices as service
from core.accounts import format_date
from core.commands.questions import keep_question
from core.context import Context
from core.credit_notes import credit_invoice
from core.discounts import Discount, parse_discount
from core.einvoice import einvoice_gaps
from core.encryption import Cipher
from core.errors import UserError
from core.i18n import N_, _, current_language, format_percent, ngettext
from core.invoice_documents import (
    EInvoiceAhead,
    document_pdf,
    einvoice_ahead,
    einvoice_for,
    einvoice_of,
    invoice_document,
)
from core.mail import latest_emails, no_sender, not_configured, queue_invoice_mail
from core.messages import Action, Document, Reply, safe_file_name
from core.models import Client, Invoice
from core.money import Money, format_amounts, format_money, parse_money, totals_by_currency
from core.payments import PaidSoFar
from core.pdf import InvoiceDocument, render_invoice_pdf
from core.phrases.dates import NoSuchDate, date_order, take_dates
from core.phrases.languages import language as phrase_language
from core.phrases.scan import GAP, PhraseScan, normalise_text

log = logging.getLogger(__name__)

USAGE = N_("Use /invoice CLIENT to bill a client's unbilled work, /invoice CLIENT until DATE, /invoice CLIENT "
           "preview for a draft, or /invoice show NUMBER to get an invoice again.")
MAX_LISTED = 30


def invoice(ctx: Context, args: str) -> Reply:
    words = args.split()
    if not words:
        raise UserError(_(USAGE))
    if words[0].lower() == "show":
        if len(words) == 3 and words[2].lower() == "xml":
            return _show_xml(ctx, words[1])
        if len(words) != 2:
            raise UserError(_("Use /invoice show NUMBER, e.g. /invoice show INV-2026-0001 (add xml for the "
                              "e-invoice alone); /invoices lists them."))
        return _show(ctx, words[1])
    wanted = _read_request(ctx, words)
    client, until, discount = wanted.client, wanted.until, wanted.discount
    if wanted.preview:
        return _preview(ctx, client, until, discount)
    if wanted.send:
        _require_recipient(ctx, client)
    draft = service.draft_invoice(ctx.session, ctx.account, client, ctx.cipher, ctx.today, until, discount, lock=True)
    gaps = invoice_gaps(draft.document)
    if gaps:  # asked before a number is taken: a gapless series can't take an invoice back
        return _ask_before_issuing(ctx, client, until, gaps, discount, wanted.send)
    return _issue(ctx, client, until, discount, wanted.send, draft)


def invoice_head_start(ctx: Context, args: str) -> EInvoiceAhead | None:
    """/invoice's e-invoice made before its transaction (:mod:`core.head_start`), for the draft with the number
    the invoice would take now; None where /invoice would not issue at once (show, preview, a question)."""
    words = args.split()
    if not words or words[0].lower() == "show":
        return None
    wanted = _read_request(ctx, words)
    if wanted.preview:
        return None
    draft = service.preview_invoice(ctx.session, ctx.account, wanted.client, ctx.cipher, ctx.today, wanted.until,
                                    wanted.discount)
    if invoice_gaps(draft):
        return None
    return einvoice_ahead(replace(draft, number=service.next_number(ctx.session, ctx.account, ctx.today),
                                  status="issued"))


@dataclass(frozen=True)
class _Request:
    """What /invoice CLIENT … asks for."""

    client: Client
    until: date | None
    discount: Discount | None
    preview: bool
    send: bool


def _read_request(ctx: Context, words: list[str]) -> _Request:
    send = len(words) > 1 and words[-1].lower() == "send"
    if send:
        words = words[:-1]
        if ctx.mail is None:  # before a number is taken: nothing is issued that the user meant to e-mail
            raise not_configured()
    preview = any(w.lower() == "preview" for w in words[1:])
    words = [w for i, w in enumerate(words) if i == 0 or w.lower() != "preview"]
    if preview and send:
        raise UserError(_("A preview is a draft for you, so it isn't e-mailed: /invoice CLIENT send issues the "
                          "invoice and e-mails it."))
    words, discount_text = _take_discount(words)
    until = None
    lowered = [w.lower() for w in words]
    if "until" in lowered[1:]:
        at = len(lowered) - 1 - lowered[::-1].index("until")
        if at == len(words) - 1:
            raise UserError(_("Until which day? E.g. /invoice {client} until yesterday, or without “until” to bill "
                              "all unbilled work.").format(client=" ".join(words[:at])))
        until = parse_date_argument(" ".join(words[at + 1:]), ctx.today, ctx.profile.locale)
        words = words[:at]
    if not words:
        raise UserError(_(USAGE))
    name = " ".join(words)
    suffix = ((f" until {until.isoformat()}" if until else "") + (" preview" if preview else "")
              + (f" discount {discount_text}" if discount_text is not None else "") + (" send" if send else ""))
    # An archived client's last unbilled work still shows in /tasks, so it can still be billed.
    client = clients_service.find_client(ctx.session, ctx.account, name, retry=lambda n: f"/invoice {n}{suffix}",
                                         include_archived=True)
    discount = parse_discount(discount_text, client.currency) if discount_text is not None else None
    return _Request(client, until, discount, preview, send)


def _require_recipient(ctx: Context, client: Client) -> None:
    """``send`` needs somewhere to send to and from: asked before the invoice takes its number."""
    if not client.email:
        raise UserError(_("{client} has no e-mail address, so I issued nothing: set it with /client set {client} "
                          "email billing@example.com, then /invoice {client} send again (or /invoice {client} "
                          "without send, and /send NUMBER to EMAIL).").format(client=client.name))
    if not ((ctx.mail and ctx.mail.mail_from) or ctx.profile.email):
        raise no_sender()


def _take_discount(words: list[str]) -> tuple[list[str], str | None]:
    """``discount 10%``, ``discount 10 %``, ``discount 50``, ``discount 50 EUR`` taken out of the words after the
    client's name; the text after “discount” is returned for :func:`core.discounts.parse_discount` ("" when none)."""
    lowered = [w.lower() for w in words]
    if "discount" not in lowered[1:]:
        return words, None
    at = lowered.index("discount", 1)
    end = at + 2 if at + 1 < len(words) else at + 1
    if end < len(words) and re.fullmatch(r"%|[€$£¥₹]|[A-Z]{3}", words[end]):
        end += 1
    return words[:at] + words[end:], " ".join(words[at + 1:end])


def _discount_text(ctx: Context, discount: Money | None, percent: Decimal | None) -> str:
    """The discount line of a reply: “Discount 10% of the work: −€16.00”."""
    if discount is None:
        return ""
    amount = format_money(discount, ctx.locale)
    if percent is not None:
        return "\n" + _("Discount {percent} of the work: −{amount}").format(percent=format_percent(percent),
                                                                             amount=amount)
    return "\n" + _("Discount off the work: −{amount}").format(amount=amount)


def _issue(ctx: Context, client: Client, until: date | None, discount: Discount | None = None,
           send: bool = False, draft: service.Draft | None = None) -> Reply:
    issued = service.issue_invoice(ctx.session, ctx.account, client, ctx.cipher, ctx.now, ctx.today, until,
                                   discount, reach=(ctx.incoming.platform, ctx.private_address), draft=draft)
    if send:
        if ctx.mail is None:
            raise not_configured()
        queue_invoice_mail(ctx.session, ctx.account, issued, ctx.now, mail_from=ctx.mail.mail_from)
    total = format_money(service.invoice_total(issued), ctx.locale)
    text = ngettext("Invoice {number} for {client}: {n} line, total {total}, due {due}.",
                    "Invoice {number} for {client}: {n} lines, total {total}, due {due}.", len(issued.lines)).format(
        number=issued.number, client=client.name, n=len(issued.lines), total=total,
        due=format_date(issued.due_date, ctx.locale))
    if issued.discount_minor is not None:
        text += _discount_text(ctx, Money.from_minor(issued.discount_minor, issued.currency), issued.discount_percent)
    return _with_pdf(ctx, issued, text)


def _ask_before_issuing(ctx: Context, client: Client, until: date | None, gaps: list[str],
                       discount: Discount | None = None, send: bool = False) -> Reply:
    """The question, kept as a pending choice: the answer issues exactly this invoice, or nothing."""
    target = {"op": "issue_invoice", "client": client.id, "until": until.isoformat() if until else None,
              "discount": discount.to_json() if discount is not None else None}
    if send:
        target["send"] = True
    pending_id = keep_question(ctx, f"/invoice {client.name}", [target, {"op": "issue_invoice", "cancel": True}])
    question = "\n".join(gaps) + "\n" + _("Issue it anyway? Its number can't be taken back once it is issued.")
    return Reply(question, actions=(Action(_("Issue anyway"), f"/pick {pending_id} 1"),
                                    Action(_("Not now"), f"/pick {pending_id} 2")))


def answer_issue_question(ctx: Context, option: dict) -> Reply:
    """The answer to :func:`_ask_before_issuing` (through /pick)."""
    if option.get("cancel"):
        return Reply(_("Nothing was issued. Complete the details, then send /invoice again."))
    client = ctx.session.get(Client, option["client"])
    if client is None or client.account_id != ctx.account.id:
        raise UserError(_("That client no longer exists; nothing was issued."))
    until = date.fromisoformat(option["until"]) if option.get("until") else None
    discount = Discount.from_json(option["discount"]) if option.get("discount") else None
    send = bool(option.get("send"))
    if send:
        _require_recipient(ctx, client)
    return _issue(ctx, client, until, discount, send)


def invoice_gaps(document: InvoiceDocument) -> list[str]:
    """What the invoice would lack, one sentence each: payment details and address (it may not get paid), and
    what EN 16931 requires of an e-invoice (e.g. a seller country)."""
    gaps = []
    if not (document.payment_instructions or "").strip():
        gaps.append(_("Your invoice will show no payment details (/profile set payment IBAN …)."))
    if not (document.seller.address or "").strip():
        gaps.append(_("Your invoice will show no address of yours (/profile set address …)."))
    missing = einvoice_gaps(document)
    if missing:
        gaps.append(_("It can't carry an e-invoice (EN 16931) without {missing}.").format(missing="; ".join(missing)))
    return gaps


def _preview(ctx: Context, client: Client, until: date | None, discount: Discount | None = None) -> Reply:
    draft = service.preview_invoice(ctx.session, ctx.account, client, ctx.cipher, ctx.today, until, discount)
    total = format_money(Money(draft.total, draft.currency), ctx.locale)
    text = ngettext("Draft for {client}: {n} line, total {total}. Nothing is billed and no number is used; "
                    "/invoice {client} issues it.",
                    "Draft for {client}: {n} lines, total {total}. Nothing is billed and no number is used; "
                    "/invoice {client} issues it.", len(draft.lines)).format(
        client=client.name, n=len(draft.lines), total=total)
    text += _discount_text(ctx, Money(draft.discount, draft.currency) if draft.discount is not None else None,
                           draft.discount_percent)
    gaps = invoice_gaps(draft)
    if gaps:
        text += "\n" + _("Before you issue it:") + "\n" + "\n".join(gaps)
    text += _unprintable_note(draft)
    document = Document(f"DRAFT-{safe_file_name(client.name, 'client')}.pdf", document_pdf(draft),
                        caption=_("Draft invoice"))
    issue = f"/invoice {client.name}" + (f" until {until.isoformat()}" if until else "") + (
        f" {discount.command_words()}" if discount is not None else "")
    return Reply(text, document=document, actions=(Action(_("Issue it"), issue),),
                 sensitive=holds_private_details(draft))


def _show(ctx: Context, number: str) -> Reply:
    found, _document = service.show_invoice(ctx.session, ctx.account, number, ctx.cipher)
    text = service.describe_invoice(found, ctx.today, ctx.locale)
    email = latest_emails(ctx.session, [found.id]).get(found.id)
    if email is not None:
        from core.mailer import describe_email  # imported here: only a mailed invoice needs smtplib

        text += "\n" + describe_email(email, ctx.account.timezone, ctx.locale, with_answer=True)
    return _with_pdf(ctx, found, text)


def _show_xml(ctx: Context, number: str) -> Reply:
    """The bare e-invoice (CII, EN 16931), for portals that take XRechnung CII or Factur-X XML alone."""
    found, document = service.show_invoice(ctx.session, ctx.account, number, ctx.cipher)
    xml = einvoice_of(document)
    if xml is None:
        raise UserError(_("{number} carries no e-invoice: it was issued without {missing}.").format(
            number=found.number, missing="; ".join(einvoice_gaps(document))))
    attachment = Document(f"{found.number}.xml", xml, mime_type="application/xml",
                          caption=_("E-invoice {number} (EN 16931, CII)").format(number=found.number))
    return Reply(_("The e-invoice of {number} (Factur-X / ZUGFeRD XML, EN 16931).").format(number=found.number),
                 document=attachment, sensitive=holds_private_details(document))


def _with_pdf(ctx: Context, found: Invoice, text: str) -> Reply:
    return invoice_reply(ctx.cipher, found, text, head_start.taken(ctx.incoming))


def invoice_reply(cipher: Cipher, found: Invoice, text: str, ahead: object | None = None) -> Reply:
    """The reply with the invoice's PDF; the invoice stands even if drawing its PDF fails (show retries it).

    The e-invoice XML is made first, in the transaction: an invoice whose XML the XSD refuses is not issued. The
    XML made ``ahead`` of the transaction is used instead if it was made for this very document
    (:func:`core.invoice_documents.einvoice_for`). The PDF is drawn after the commit, from the frozen document (no
    database needed): a 500-line invoice never holds the write lock while it is drawn.
    """
    document = invoice_document(found, cipher)
    xml = einvoice_for(document, ahead)
    number, invoice_id, kind = found.number, found.id, found.kind
    actions: list[Action] = []
    if found.status == "open":
        actions = [Action(_("Mark paid"), f"/paid {number}"), Action(_("Void"), f"/void {number}")]
    caption = (_("Credit note {number}") if kind == "credit_note" else _("Invoice {number}")).format(number=number)

    def draw() -> Reply:
        try:
            pdf = render_invoice_pdf(document, xml)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("rendering the PDF of invoice %s failed (ref %s)", invoice_id, ref)
            return Reply(text + "\n" + _("The invoice is saved, but I couldn't make its PDF (ref {ref}). /invoice "
                                         "show {number} tries again.").format(ref=ref, number=number))
        attachment = Document(f"{number}.pdf", pdf, caption=caption)
        return Reply(text + _unprintable_note(document), document=attachment, actions=tuple(actions),
                     sensitive=holds_private_details(document))

    return Reply(text, finish=draw)


def _unprintable_note(document: InvoiceDocument) -> str:
    """Characters no shipped font draws (emoji above all) print blank: say which, rather than let the chat's
    confirmation suggest they are on the page."""
    texts = [document.seller.name, document.buyer.name, document.notes or "", document.seller.address or "",
             document.buyer.address or "", document.payment_instructions or "", document.vat_exempt or "",
             document.buyer_reference or "", document.terms or ""]
    from core.pdf.scripts import unprintable_characters  # the drawing stack: imported for documents only

    missing = unprintable_characters(texts + [line.description for line in document.lines])
    if not missing:
        return ""
    return "\n" + _("These characters have no font on the PDF and print blank: {chars}.").format(
        chars=" ".join(missing))


def holds_private_details(document: InvoiceDocument) -> bool:
    """Whether the PDF prints payment instructions or the seller's tax id (SPEC §9): then channels deliver it
    privately (Telegram: private chat only; Slack: the user's DM) rather than into a group."""
    seller = document.seller
    return bool(document.payment_instructions or seller.tax_id or seller.vat_id or seller.tax_number)


STATUSES = ("open", "overdue", "paid", "void")
NONE_WITH_STATUS = {"open": (N_("No open invoices."), N_("No open invoices for {client}.")),
                    "overdue": (N_("No overdue invoices."), N_("No overdue invoices for {client}.")),
                    "paid": (N_("No paid invoices."), N_("No paid invoices for {client}.")),
                    "void": (N_("No void invoices."), N_("No void invoices for {client}."))}


def list_invoices(ctx: Context, args: str) -> Reply:
    """``/invoices [CLIENT] [open|overdue|paid|void]``: a status word (alone, or last) filters, as /help says."""
    words = args.split()
    wanted = words.pop().lower() if words and words[-1].lower() in STATUSES else None
    client = None
    if words:
        suffix = f" {wanted}" if wanted else ""
        client = clients_service.find_client(ctx.session, ctx.account, " ".join(words),
                                             retry=lambda n: f"/invoices {n}{suffix}", include_archived=True)
    found = service.list_invoices(ctx.session, ctx.account, client)
    if wanted:
        found = [item for item in found if service.invoice_status(item, ctx.today) == wanted]
    if not found:
        if wanted:
            alone, for_client = NONE_WITH_STATUS[wanted]
            return Reply(_(for_client).format(client=client.name) if client else _(alone))
        if client:
            return Reply(_("No invoices for {client} yet. /invoice CLIENT bills a client's unbilled work.").format(
                client=client.name))
        return Reply(_("No invoices yet. /invoice CLIENT bills a client's unbilled work."))
    paid = payments.paid_by_invoice(ctx.session, (item.id for item in found if item.kind == "invoice"))
    by_status: dict[str, list[Invoice]] = {}
    for item in found:
        by_status.setdefault(service.invoice_status(item, ctx.today), []).append(item)

    def owed(item: Invoice) -> Money:  # what an open or overdue invoice still asks for
        return service.invoice_total(item) - Money.from_minor(paid.get(item.id, PaidSoFar()).minor, item.currency)

    summary = []
    counted = {"open": N_("Open: {n}, {total}"), "overdue": N_("Overdue: {n}, {total}"), "paid": N_("Paid: {n}, {total}"),
               "void": N_("Void: {n}")}
    for status in STATUSES:
        items = by_status.get(status, [])
        if items:
            amounts = (owed(i) if status in ("open", "overdue") else service.invoice_total(i) for i in items)
            money = format_amounts(totals_by_currency(amounts), ctx.locale)
            summary.append(_(counted[status]).format(n=len(items), total=money))
    credit_notes = len(by_status.get("credit_note", []))
    if credit_notes:
        summary.append(ngettext("{n} credit note", "{n} credit notes", credit_notes).format(n=credit_notes))
    shown = found[-MAX_LISTED:]
    emails = latest_emails(ctx.session, (item.id for item in shown))
    lines = []
    for item in shown:
        so_far = paid.get(item.id, PaidSoFar())
        line = service.describe_invoice(item, ctx.today, ctx.locale, Money.from_minor(so_far.minor, item.currency),
                                        so_far.last_on)
        if item.id in emails:
            from core.mailer import describe_email  # imported here: only a mailed invoice needs smtplib

            line += " · " + describe_email(emails[item.id], ctx.account.timezone, ctx.locale)
        lines.append(line)
    head = _("Invoices — {summary}").format(summary=" · ".join(summary))
    if len(found) > len(shown):
        head += "\n" + _("(and {n} older)").format(n=len(found) - len(shown))
    return Reply(head + "\n" + "\n".join(lines))


def paid(ctx: Context, args: str) -> Reply:
    """``/paid NUMBER [AMOUNT] [DATE]``: a payment of AMOUNT (default: all that is outstanding) on DATE (today)."""
    words = args.split()
    if not words:
        raise UserError(_("Use /paid NUMBER [AMOUNT] [DATE], e.g. /paid INV-2026-0001, /paid INV-2026-0001 200 or "
                          "/paid INV-2026-0001 200 2026-11-20."))
    found = service.find_invoice(ctx.session, ctx.account, words[0])
    amount, day = _read_payment(ctx, found, words[1:])
    payment = payments.record_payment(ctx.session, ctx.account, found.number, amount, day, ctx.today, ctx.now)
    total = service.invoice_total(found)
    received = Money.from_minor(payment.amount_minor, found.currency)
    if received == total:
        return Reply(_("Recorded {number} ({client}, {total}) as paid on {date}.").format(
            number=found.number, client=found.client.name, total=format_money(total, ctx.locale),
            date=format_date(day, ctx.locale)))
    left = payments.outstanding(ctx.session, found)
    if left.amount <= 0:
        return Reply(_("Recorded {amount} received on {date} for {number} ({client}): it is now paid in full.").format(
            amount=format_money(received, ctx.locale), date=format_date(day, ctx.locale), number=found.number,
            client=found.client.name))
    return Reply(_("Recorded {amount} received on {date} for {number} ({client}): {outstanding} of {total} is still "
                   "outstanding.").format(amount=format_money(received, ctx.locale),
                                          date=format_date(day, ctx.locale), number=found.number,
                                          client=found.client.name, outstanding=format_money(left, ctx.locale),
                                          total=format_money(total, ctx.locale)))


def _read_payment(ctx: Context, found: Invoice, words: list[str]) -> tuple[Money | None, date]:
    """What follows the number: an amount (``200``, ``€200``, ``200 EUR``) then a day, or a day alone, or nothing
    (all that is outstanding, today). Words that read both ways (``20.11``: €20.11, or 20 November) are a question
    with both readings as buttons, never a guess."""
    if not words:
        return None, ctx.today
    readings: list[tuple[Money | None, date]] = []
    refusal: UserError | None = None
    try:
        readings.append((None, parse_date_argument(" ".join(words), ctx.today, ctx.profile.locale)))
    except UserError as exc:
        refusal = exc
    for size in (2, 1):
        amount = parse_money(" ".join(words[:size]), found.currency) if len(words) >= size else None
        if amount is None:
            continue
        rest = words[size:]
        try:
            readings.append((amount, parse_date_argument(" ".join(rest), ctx.today, ctx.profile.locale) if rest else ctx.today))
        except UserError as exc:
            refusal = refusal if readings else exc
        break
    if not readings:
        assert refusal is not None
        raise refusal
    if len(readings) == 1:
        return readings[0]
    (_none, whole_day), (amount, day) = readings
    assert amount is not None
    typed = " ".join(words)
    raise UserError(
        _("Is “{text}” an amount or a day? Choose one, or write the amount with its currency.").format(text=typed),
        (Action(_("{amount} received on {date}").format(amount=format_money(amount, ctx.locale),
                                                        date=format_date(day, ctx.locale)),
                f"/paid {found.number} {amount.amount} {amount.currency} {day.isoformat()}"),
         Action(_("Paid in full on {date}").format(date=format_date(whole_day, ctx.locale)),
                f"/paid {found.number} {whole_day.isoformat()}")))


def unpaid(ctx: Context, args: str) -> Reply:
    """``/unpaid NUMBER``: take the invoice's last payment back (a mistaken /paid)."""
    words = args.split()
    if len(words) != 1:
        raise UserError(_("Use /unpaid NUMBER, e.g. /unpaid INV-2026-0001: it takes back the last payment recorded "
                          "on it."))
    payment = payments.take_back_last_payment(ctx.session, ctx.account, words[0], ctx.now)
    found = ctx.session.get(Invoice, payment.invoice_id)
    assert found is not None
    return Reply(_("Took back the payment of {amount} of {date} on {number}: {outstanding} is outstanding "
                   "again.").format(amount=format_money(Money.from_minor(payment.amount_minor, found.currency),
                                                        ctx.locale),
                                    date=format_date(payment.paid_on, ctx.locale), number=found.number,
                                    outstanding=format_money(payments.outstanding(ctx.session, found), ctx.locale)))


def void(ctx: Context, args: str) -> Reply:
    """Cancel an invoice with a credit note (its own number, dated today), posted like an invoice."""
    words = args.split()
    if len(words) != 1:
        raise UserError(_("Use /void NUMBER, e.g. /void INV-2026-0001; /invoices lists your invoices."))
    credit, found, reopened = credit_invoice(ctx.session, ctx.account, words[0], ctx.now, ctx.today)
    text = ngettext("Cancelled {number} with credit note {credit}; its {n} task is unbilled again (/tasks {client}). "
                    "/invoice show {number} shows the invoice stamped as cancelled.",
                    "Cancelled {number} with credit note {credit}; its {n} tasks are unbilled again (/tasks "
                    "{client}). /invoice show {number} shows the invoice stamped as cancelled.", reopened).format(
        number=found.number, credit=credit.number, n=reopened, client=found.client.name)
    return _with_pdf(ctx, credit, text)


def void_head_start(ctx: Context, args: str) -> EInvoiceAhead | None:
    """/void's credit note e-invoice made before its transaction (:mod:`core.head_start`): the invoice's document
    as the credit note that cancels it today, with the number the credit note would take now."""
    words = args.split()
    if len(words) != 1:
        return None
    found = service.find_invoice(ctx.session, ctx.account, words[0])
    if found.kind != "invoice" or found.status != "open":
        return None
    document = invoice_document(found, ctx.cipher)
    return einvoice_ahead(replace(
        document, kind="credit_note", status="issued", issue_date=ctx.today, due_date=ctx.today, notes=None,
        number=service.next_number(ctx.session, ctx.account, ctx.today, credit_note=True),
        corrects=(found.number, found.issue_date), cancelled_by=None))


def parse_date_argument(text: str, today: date, locale: str, *, long_ago: bool = False) -> date:
    """A date typed after /paid or until, read by the work-phrase parser (today, yesterday, last friday, 3 March,
    2026-11-20, 20.11.2026, 11/20/2026 in en_US), relative to today in the user's timezone; nothing is today.
    ``long_ago``: a day written in full in a year before last (2018-03-01) is taken as written — a report's range
    may well lie years back, where work logged or a payment received so long ago would more likely be a typo."""
    text = re.sub(r"(?i)^\s*on\s+", "", text).strip()  # "/paid INV-2026-0001 on 21 Nov", as people write it
    return _phrase_date(text, today, locale, long_ago) if text else today


def _phrase_date(text: str, today: date, locale: str, long_ago: bool) -> date:
    """The phrase parser's reading of ``text`` when the whole of it is one unambiguous date, read in the reply's
    language first (gestern, hier, ayer), then in English."""
    refusal = _("I can't read “{text}” as a date; write it like {example}, today or yesterday.").format(
        text=text, example=today.isoformat())
    languages = dict.fromkeys((current_language(), "en"))
    for code in languages:
        scan = PhraseScan(normalise_text(text))
        try:
            found = take_dates(scan, datetime.combine(today, time(12)), date_order(locale), phrase_language(code))
        except NoSuchDate:  # 31.02.2026: about the date itself, so it is the answer
            raise
        except UserError:  # the phrase parser's other refusals speak of logging work, which is not what was asked
            continue
        rest = scan.text.replace(GAP, " ").strip(" ,.")
        if len(found) == 1 and found[0].note == "ahead" and not rest:
            return found[0].readings[0]  # "until 30 Nov" typed on the 24th: this year's, not last year's
        if len(found) == 1 and found[0].note == "long_ago" and long_ago and not rest:
            return found[0].readings[0]  # the day as written, not the same day of this year
        if len(found) == 1 and len(found[0].readings) == 1 and not rest:
            return found[0].readings[0]
    raise UserError(refusal)


