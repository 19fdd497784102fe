"""Chat commands for clients: /clients, /client add|set|archive, /client NAME."""
from __future__ import annotations

from core import clients as clients_service
from core.addresses import has_postcode_and_city
from core.context import Context
from core.errors import UserError
from core.i18n import _
from core.messages import Reply
from core.models import Client
from core.money import Money, format_money, parse_currency
from core.tasks import format_minutes, total_tasks, unbilled_tasks

USAGE = ("Use /client add NAME [rate 80] [currency EUR] [email …], /client NAME, "
         "/client set NAME FIELD VALUE or /client archive NAME.")


def list_clients(ctx: Context, args: str) -> Reply:
    clients = clients_service.active_clients(ctx.session, ctx.account)
    if not clients:
        return Reply("You have no clients yet. Add one: /client add ACME rate 80 currency EUR")
    return Reply("Your clients:\n" + "\n".join(f"• {_summary(c, ctx.locale)}" for c in clients))


def client(ctx: Context, args: str) -> Reply:
    words = args.split()
    if not words:
        raise UserError(USAGE)
    verb = words[0].lower()
    if verb in ("add", "set", "archive") and len(words) == 1:
        raise UserError(USAGE)
    if verb == "add" and len(words) > 1:
        return _add(ctx, words[1:])
    if verb == "set" and len(words) > 1:
        return _set(ctx, words[1:])
    if verb == "archive" and len(words) > 1:
        found = clients_service.find_client(ctx.session, ctx.account, " ".join(words[1:]),
                                            retry=lambda n: f"/client archive {n}")
        clients_service.archive_client(ctx.session, ctx.account, found, ctx.now)
        return Reply(f"Archived {found.name}: it no longer shows in /clients. "
                     f"/client set {found.name} archived no brings it back.")
    found = clients_service.find_client(ctx.session, ctx.account, args, retry=lambda n: f"/client {n}",
                                        include_archived=True)
    return Reply(_details(ctx, found))


def _add(ctx: Context, words: list[str]) -> Reply:
    name, options = clients_service.parse_client_options(words)
    rate = clients_service.parse_rate(options["rate"]) if "rate" in options else None
    currency = parse_currency(options["currency"]) if "currency" in options else None
    if rate is not None:
        clients_service.check_rate_digits(rate, currency or ctx.profile.currency)
    added = clients_service.add_client(ctx.session, ctx.account, name, ctx.now, rate=rate, currency=currency,
                                       email=options.get("email"))
    hint = "" if rate is not None else f" Set a rate with /client set {added.name} rate 80."
    return Reply(f"Added client {_summary(added, ctx.locale)}.{hint}")


def _set(ctx: Context, words: list[str]) -> Reply:
    fields = set(clients_service.CLIENT_FIELDS) | {"archived"}
    index = next((i for i, w in enumerate(words) if i > 0 and w.lower().replace("-", "_") in fields), None)
    if index is None or index == len(words) - 1:
        raise UserError("Use /client set NAME FIELD VALUE, with FIELD one of "
                        f"{', '.join(clients_service.CLIENT_FIELDS)}.")
    found = clients_service.find_client(ctx.session, ctx.account, " ".join(words[:index]),
                                        retry=lambda n: "/client set " + " ".join([n, *words[index:]]),
                                        include_archived=True)
    field = clients_service.set_client_field(ctx.session, ctx.account, found, words[index],
                                             " ".join(words[index + 1:]), now=ctx.now)
    if field == "archived":
        if found.archived:
            return Reply(f"Archived {found.name}: it no longer shows in /clients.")
        return Reply(f"Brought back {found.name}: it shows in /clients again.")
    shown = {"address": (found.address or "").replace("\n", ", "), "notes": found.notes,
             "tax_rate": f"{found.tax_rate}%" if found.tax_rate is not None else None, "country": found.country,
             "vat_id": found.vat_id, "reference": found.reference}
    if field in shown:  # not part of the summary line: echo what was stored
        after = ""
        if field == "vat_id" and found.vat_id:
            after = " " + _("Country: {country}.").format(country=found.country)
        if field == "address" and not has_postcode_and_city(found.address):
            after = " " + _("I can't find a postcode and city in it, which e-invoices carry on their own: put them "
                            "on a line of their own, like “Rue de Rivoli 1 | 75001 Paris”.")
        return Reply(f"Updated {field.replace('_', ' ')} of {found.name}: {shown[field] or _('none')}.{after}")
    return Reply(f"Updated {field} of {found.name}: {_summary(found, ctx.locale)}.")


def _summary(c: Client, locale: str) -> str:
    rate = f"{format_money(Money(c.rate, c.currency), locale)}/h" if c.rate is not None else f"no rate, {c.currency}"
    email = f", {c.email}" if c.email else ""
    archived = " (archived)" if c.archived else ""
    return f"{c.name} — {rate}{email}{archived}"


def _details(ctx: Context, c: Client) -> str:
    lines = [_summary(c, ctx.locale)]
    if c.address:
        lines.append("Address: " + c.address.replace("\n", ", "))
    if c.country:
        lines.append(_("Country: {country}").format(country=c.country))
    if c.vat_id:
        lines.append(_("VAT id: {vat_id}").format(vat_id=c.vat_id))
    if c.reference:
        lines.append(_("Buyer reference: {reference}").format(reference=c.reference))
    if c.tax_rate is not None:
        lines.append(f"Tax rate: {c.tax_rate}%")
    if c.notes:
        lines.append(f"Invoice note: {c.notes}")
    open_tasks = unbilled_tasks(ctx.session, ctx.account, c)
    if open_tasks:
        totals = total_tasks(open_tasks)
        money = "".join(f", {format_money(total, ctx.locale)}" for total in totals.amounts)
        hours = f", {format_minutes(totals.minutes)}" if totals.minutes else ""  # fixed prices only: no "0m"
        lines.append(f"Unbilled: {len(open_tasks)} task(s){hours}{money} — /invoice {c.name}")
    else:
        lines.append("Nothing unbilled.")
    return "\n".join(lines)
