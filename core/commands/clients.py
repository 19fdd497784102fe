"""Chat commands for clients: /clients, /client add|set|archive, /client NAME."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core import clients as clients_service
from core.addresses import has_postcode_and_city
from core.commands.questions import keep_question
from core.context import Context
from core.errors import UserError
from core.i18n import N_, _, format_minutes, format_percent, language_of, ngettext, pgettext
from core.languages import language_name
from core.messages import Action, Reply
from core.models import Client, Task
from core.money import Money, format_money, parse_currency
from core.tasks import describe_rounding, follows_client_rate, keep_rate, unbilled_tasks, unbilled_totals

USAGE = N_("Use /client add NAME [rate 80] [currency EUR] [email …], /client NAME, /client set NAME FIELD VALUE, "
           "/client archive NAME or /client delete NAME.")


def list_clients(ctx: Context, args: str) -> Reply:
    clients = clients_service.active_clients(ctx.session, ctx.account)
    if not clients:
        return Reply(_("You have no clients yet. Add one: /client add ACME rate 80 currency EUR"))
    return Reply(_("Your clients:") + "\n" + "\n".join(f"• {_summary(c)}" for c in clients))


def client(ctx: Context, args: str) -> Reply:
    words = args.split()
    if not words:
        raise UserError(_(USAGE))
    verb = words[0].lower()
    if verb in ("add", "set", "archive", "delete") and len(words) == 1:
        raise UserError(_(USAGE))
    if verb == "add" and len(words) > 1:
        return _add(ctx, words[1:])
    if verb == "set" and len(words) > 1:
        return _set(ctx, words[1:])
    if verb == "archive" and len(words) > 1:
        found = clients_service.find_client(ctx.session, ctx.account, " ".join(words[1:]),
                                            retry=lambda n: f"/client archive {n}")
        clients_service.archive_client(ctx.session, ctx.account, found, ctx.now)
        return Reply(_("Archived {name}: it no longer shows in /clients. /client set {name} archived no brings it "
                       "back.").format(name=found.name))
    if verb == "delete":
        found = clients_service.find_client(ctx.session, ctx.account, " ".join(words[1:]),
                                            retry=lambda n: f"/client delete {n}", include_archived=True)
        name = found.name
        clients_service.delete_client(ctx.session, ctx.account, found, ctx.now)
        return Reply(_("Deleted the client {name}.").format(name=name))
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
    if rate is not None:
        return Reply(_("Added client {client}.").format(client=_summary(added)))
    return Reply(_("Added client {client}. Set a rate with /client set {name} rate 80.").format(
        client=_summary(added), name=added.name))


def _set(ctx: Context, words: list[str]) -> Reply:
    fields = set(clients_service.CLIENT_FIELDS) | {"archived"}
    index = next((i for i, w in enumerate(words) if i > 0 and w.lower().replace("-", "_") in fields), None)
    if index is None or index == len(words) - 1:
        raise UserError(_("Use /client set NAME FIELD VALUE, with FIELD one of {fields}.").format(
            fields=", ".join(clients_service.CLIENT_FIELDS)))
    found = clients_service.find_client(ctx.session, ctx.account, " ".join(words[:index]),
                                        retry=lambda n: "/client set " + " ".join([n, *words[index:]]),
                                        include_archived=True)
    old_rate, old_name = found.rate, found.name
    field = clients_service.set_client_field(ctx.session, ctx.account, found, words[index],
                                             " ".join(words[index + 1:]), now=ctx.now)
    if field == "rate":
        return _rate_saved(ctx, found, old_rate)
    if field == "archived":
        if found.archived:
            return Reply(_("Archived {name}: it no longer shows in /clients.").format(name=found.name))
        return Reply(_("Brought back {name}: it shows in /clients again.").format(name=found.name))
    if field == "rounding":
        return Reply(_rounding_saved(ctx, found))
    if field == "name":
        return Reply(_("Renamed {old} to {new}.").format(old=old_name, new=found.name))
    if field == "language":
        if found.language is None:
            return Reply(_("{name}'s invoices are written in your language again ({language}).").format(
                name=found.name, language=language_name(ctx.language)))
        return Reply(_("{name}'s invoices are written in {language} from now on.").format(
            name=found.name, language=language_name(found.language)))
    shown = {"address": (found.address or "").replace("\n", ", "), "notes": found.notes,
             "tax_rate": format_percent(found.tax_rate) if found.tax_rate is not None else None,
             "country": found.country, "vat_id": found.vat_id, "reference": found.reference}
    if field in shown:  # not part of the summary line: echo what was stored
        value = shown[field] or _("none")
        # a value that ends a sentence itself ("Thanks.", "Net 30!") gets no second full stop
        text = (_("Updated {field} of {name}: {value}") if value.rstrip().endswith((".", "!", "?", "…"))
                else _("Updated {field} of {name}: {value}.")).format(field=_field_name(field), name=found.name,
                                                                      value=value)
        if field == "vat_id" and found.vat_id:
            text += " " + _("Country: {country}.").format(country=found.country)
        if field == "address" and not has_postcode_and_city(found.address):
            text += " " + _("I can't find a postcode and city in it, which e-invoices carry on their own: put them "
                            "on a line of their own, like “Rue de Rivoli 1 | 75001 Paris”.")
        return Reply(text)
    return Reply(_("Updated {field} of {name}: {client}.").format(field=_field_name(field), name=found.name,
                                                                  client=_summary(found)))


def _rate_saved(ctx: Context, client: Client, old_rate: Decimal | None) -> Reply:
    """The new rate, how many unbilled tasks it re-prices, and a button that keeps their old rate instead."""
    text = _("Updated {field} of {name}: {client}.").format(field=_field_name("rate"), name=client.name,
                                                           client=_summary(client))
    repriced = [task for task in unbilled_tasks(ctx.session, ctx.account, client) if follows_client_rate(task)]
    if not repriced or client.rate is None or old_rate == client.rate:
        return Reply(text)
    new = format_money(Money(client.rate, client.currency), ctx.locale)
    if old_rate is None:  # they had no price yet: nothing to keep
        return Reply(text + "\n" + ngettext("{n} unbilled task had no rate and is priced at {new}/h now.",
                                            "{n} unbilled tasks had no rate and are priced at {new}/h now.",
                                            len(repriced)).format(n=len(repriced), new=new))
    old = format_money(Money(old_rate, client.currency), ctx.locale)
    text += "\n" + ngettext("{n} unbilled task changes price: it was at {old}/h and is at {new}/h now.",
                            "{n} unbilled tasks change price: they were at {old}/h and are at {new}/h now.",
                            len(repriced)).format(n=len(repriced), old=old, new=new)
    option = {"op": "keep_rate", "client": client.id, "rate": str(old_rate), "currency": client.currency,
              "tasks": [task.id for task in repriced]}
    pending_id = keep_question(ctx, f"/client set {client.name} rate", [option])
    label = ngettext("Keep {old}/h for {n} task", "Keep {old}/h for those {n}", len(repriced)).format(
        old=old, n=len(repriced))
    return Reply(text, actions=(Action(label[:60], f"/pick {pending_id} 1"),))


def answer_rate_question(ctx: Context, option: dict) -> Reply:
    """The "keep the old rate" button under a rate change (through /pick)."""
    client = ctx.session.get(Client, option["client"])
    if client is None or client.account_id != ctx.account.id or client.currency != option["currency"]:
        raise UserError(_("That client changed since; set the rate of the tasks with /edit ID PHRASE @ 80/h."))
    tasks = [task for task in ctx.session.scalars(select(Task).where(
        Task.account_id == ctx.account.id, Task.client_id == client.id, Task.id.in_(option["tasks"])))]
    rate = Decimal(option["rate"])
    kept = keep_rate(ctx.session, ctx.account, sorted(tasks, key=lambda task: task.number), rate, ctx.now)
    old = format_money(Money(rate, client.currency), ctx.locale)
    if not kept:
        return Reply(_("Nothing changed: those tasks were billed, deleted or given their own price meanwhile."))
    numbers = " ".join(f"#{task.number}" for task in kept)
    return Reply(ngettext("Kept {old}/h for {n} unbilled task of {name} ({numbers}); new work is billed at the "
                          "client's rate.",
                          "Kept {old}/h for {n} unbilled tasks of {name} ({numbers}); new work is billed at the "
                          "client's rate.", len(kept)).format(old=old, n=len(kept), name=client.name,
                                                                numbers=numbers),
                 actions=(Action(_("Undo"), "/undo " + " ".join(str(task.number) for task in kept)),))


def _rounding_saved(ctx: Context, client: Client) -> str:
    if client.rounding is None:
        return _("{name} follows your profile's rounding again: {setting}.").format(
            name=client.name, setting=describe_rounding(ctx.profile.rounding))
    if client.rounding <= 1:
        return _("{name}'s time is billed exactly as logged, whatever your profile's rounding.").format(
            name=client.name)
    return ngettext("{name}'s time entries are billed rounded up to a multiple of {n} minute; the time you logged "
                    "is kept.",
                    "{name}'s time entries are billed rounded up to a multiple of {n} minutes; the time you logged "
                    "is kept.", client.rounding).format(name=client.name, n=client.rounding)


def _field_name(field: str) -> str:
    """A client field as a reply names it ("Updated tax rate of ACME: 0%")."""
    names = {
        "name": pgettext("updated client field", "name"), "rate": pgettext("updated client field", "rate"),
        "currency": pgettext("updated client field", "currency"), "email": pgettext("updated client field", "email"),
        "address": pgettext("updated client field", "address"),
        "tax_rate": pgettext("updated client field", "tax rate"), "notes": pgettext("updated client field", "notes"),
        "country": pgettext("updated client field", "country"), "vat_id": pgettext("updated client field", "VAT id"),
        "reference": pgettext("updated client field", "buyer reference"),
    }
    return names.get(field, field)


def _summary(c: Client) -> str:
    if c.rate is not None:
        rate = _("{rate}/h").format(rate=format_money(Money(c.rate, c.currency)))
    else:
        rate = _("no rate, {currency}").format(currency=c.currency)
    text = f"{c.name} — {rate}"
    if c.email:
        text += f", {c.email}"
    if c.archived:
        text += " " + _("(archived)")
    return text


def _details(ctx: Context, c: Client) -> str:
    lines = [_summary(c)]
    if c.address:
        lines.append(_("Address: {address}").format(address=c.address.replace("\n", ", ")))
    if c.country:
        lines.append(_("Country: {country}").format(country=c.country))
    if c.vat_id:
        lines.append(_("VAT id: {vat_id}").format(vat_id=c.vat_id))
    if c.reference:
        lines.append(_("Buyer reference: {reference}").format(reference=c.reference))
    if c.tax_rate is not None:
        lines.append(_("Tax rate: {rate}").format(rate=format_percent(c.tax_rate)))
    if c.notes:
        lines.append(_("Invoice note: {notes}").format(notes=c.notes))
    if c.rounding is not None:
        lines.append(_("Rounding: {setting}").format(setting=describe_rounding(c.rounding)))
    if c.language and language_of(c.language):
        lines.append(_("Invoice language: {language}").format(language=language_name(c.language)))
    unbilled = unbilled_totals(ctx.session, ctx.account, c)
    if unbilled:
        [group] = unbilled
        totals = group.totals
        summary = ngettext("{n} task", "{n} tasks", group.count).format(n=group.count)
        if totals.minutes:  # fixed prices only: no "0m"
            summary += ", " + format_minutes(totals.minutes)
            if totals.billed_minutes != totals.minutes:
                summary += " " + _("(bills {billed})").format(billed=format_minutes(totals.billed_minutes))
        summary += "".join(f", {format_money(total)}" for total in totals.amounts)
        lines.append(_("Unbilled: {summary} — /invoice {name}").format(summary=summary, name=c.name))
    else:
        lines.append(_("Nothing unbilled."))
    return "\n".join(lines)
