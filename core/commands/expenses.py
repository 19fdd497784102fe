"""/expense AMOUNT WHAT for CLIENT [DATE] [tax N%]: a cost re-charged to a client (core/expenses.py)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from core import clients as clients_service
from core.accounts import parse_percent
from core.commands.invoices import parse_date_argument
from core.commands.work import describe_task
from core.context import Context
from core.errors import UserError
from core.expenses import log_expense
from core.i18n import N_, _
from core.limits import check_field
from core.messages import Action, Reply
from core.models import Client
from core.money import Money, parse_money
from core.receipts import check_receipt, keep_receipt

USAGE = N_("Use /expense AMOUNT WHAT for CLIENT [DATE] [tax N%], e.g. /expense 45.90 train ticket for ACME "
           "yesterday tax 7%.")
_TAX = re.compile(r"(?i)(?:^|\s)tax\s+(\S+?)\s*(%?)(?=\s|$)")
_FOR = re.compile(r"(?i)\s+for\s+")
_CURRENCY_MARK = re.compile(r"[€$£¥₹]|[A-Z]{3}")


def expense(ctx: Context, args: str) -> Reply:
    text = " ".join(args.split())
    found = list(_FOR.finditer(text))
    if not text or not found:
        raise UserError(_(USAGE))
    head, tail = text[:found[-1].start()], text[found[-1].end():]
    tax_rate, tail = _take_tax(tail)
    client, day = _client_and_day(ctx, tail)
    amount, description = _amount_and_description(head, client)
    attachment = ctx.incoming.attachment
    if attachment is not None:
        check_receipt(attachment)  # before anything is logged: a refused receipt leaves nothing behind
    task = log_expense(ctx.session, ctx.account, client, amount, check_field("description", description), day,
                       tax_rate, ctx.now)
    text = _("Expense #{number}: {what}").format(number=task.number, what=describe_task(task, ctx.locale))
    if attachment is not None:
        keep_receipt(ctx.session, task, attachment, ctx.now)
        text += "\n" + _("Receipt kept: it goes inside the invoice PDF that bills this expense.")
    return Reply(text, actions=(Action(_("Undo"), f"/undo {task.number}"),))


def _take_tax(tail: str) -> tuple[Decimal | None, str]:
    match = _TAX.search(tail)
    if match is None:
        return None, tail
    rate = parse_percent(match.group(1))
    rest = (tail[:match.start()] + " " + tail[match.end():]).strip()
    if _TAX.search(rest):
        raise UserError(_("Give one tax rate for an expense, e.g. tax 7%."))
    return rate, rest


def _client_and_day(ctx: Context, tail: str) -> tuple[Client, date]:
    """The client named after “for”, and the date written after it (today when none is). The shortest name
    followed by a date wins, unless the whole text is a client's exact name (“Studio 3”)."""
    words = tail.split()
    if not words:
        raise UserError(_(USAGE))
    known = {client.name_key: client for client in clients_service.active_clients(ctx.session, ctx.account)}
    exact = known.get(clients_service.name_key(tail))
    if exact is not None:
        return exact, ctx.today
    for cut in range(1, len(words)):
        try:
            day = parse_date_argument(" ".join(words[cut:]), ctx.today, ctx.profile.locale)
        except UserError:
            continue
        try:
            return clients_service.find_client(ctx.session, ctx.account, " ".join(words[:cut])), day
        except UserError:
            continue
    return clients_service.find_client(ctx.session, ctx.account, tail), ctx.today


def _amount_and_description(head: str, client: Client) -> tuple[Money, str]:
    """The amount (``45.90``, ``€45.90``, ``45,90 EUR``) in the client's currency, then what it was for."""
    words = head.split()
    sizes = (2, 1) if len(words) >= 2 and (_is_mark(words[0]) or _is_mark(words[1])) else (1,)
    for size in sizes:
        amount = parse_money(" ".join(words[:size]), client.currency)
        if amount is not None:
            description = " ".join(words[size:]).strip()
            if not description:
                raise UserError(_("What was the expense for? E.g. /expense 45.90 train ticket for {client}.").format(
                    client=client.name))
            return amount, description
    raise UserError(_("Start with the amount, e.g. /expense 45.90 train ticket for {client}; “{text}” is not "
                      "one.").format(client=client.name, text=words[0] if words else ""))


def _is_mark(word: str) -> bool:
    return bool(_CURRENCY_MARK.fullmatch(word))
