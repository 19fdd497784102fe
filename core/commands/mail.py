"""``/send NUMBER [reminder] [to EMAIL]``: e-mail an issued invoice or credit note to the client (again), or a
payment reminder for an unpaid invoice. The e-mail is queued here and sent once the command has committed; the
dispatcher adds how that went to the reply."""
from __future__ import annotations

from core import invoices as service
from core.context import Context
from core.errors import UserError
from core.i18n import N_, _
from core.mail import not_configured, queue_invoice_mail
from core.messages import Reply

USAGE = N_("Use /send NUMBER to e-mail an invoice to its client, /send NUMBER to EMAIL to send it elsewhere, or "
           "/send NUMBER reminder for a payment reminder, e.g. /send INV-2026-0001.")


def send(ctx: Context, args: str) -> Reply:
    words = args.split()
    if not words:
        raise UserError(_(USAGE))
    number, rest = words[0], words[1:]
    kind = "invoice"
    if rest and rest[0].lower() == "reminder":
        kind, rest = "reminder", rest[1:]
    to = None
    if len(rest) == 2 and rest[0].lower() == "to":
        to = rest[1]
    elif rest:
        raise UserError(_(USAGE))
    if ctx.mail is None:
        raise not_configured()
    found = service.find_invoice(ctx.session, ctx.account, number, lock=True)
    queue_invoice_mail(ctx.session, ctx.account, found, ctx.now, mail_from=ctx.mail.mail_from, to=to, kind=kind)
    return Reply("")  # the dispatcher says how the sending went, once the queued e-mail has been handed over
