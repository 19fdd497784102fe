"""Clients: add, look up by a case-insensitive unique prefix, change, list, archive."""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session, make_transient_to_detached, object_session

from core.accounts import NO_VALUE, check_email, parse_percent
from core.countries import parse_country
from core.errors import UserError
from core.i18n import _, ngettext, pgettext
from core.journal import record_change
from core.languages import parse_language
from core.limits import check_field
from core.messages import Action
from core.models import Account, Change, Client, Invoice, RecurringInvoice, Task, table
from core.money import Money, minor_digits, parse_currency, parse_decimal
from core.phrases.clients import fold
from core.rounding import FOLLOW_WORDS, parse_rounding
from core.tax_ids import check_vat_id, vat_id_country

MAX_NAME_LENGTH = 120
CLIENT_FIELDS = ("name", "rate", "currency", "email", "address", "country", "vat_id", "reference", "tax_rate", "notes",
                 "language", "rounding")
CLEARABLE_CLIENT_FIELDS = ("vat_id", "reference", "tax_rate", "notes", "language")
"""Fields that may be emptied again: ``/client set ACME vat_id none`` (a language: back to the user's)."""


def name_key(name: str) -> str:
    """The form names are compared in: case-folded, accents kept apart (Café and Cafe are two names)."""
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def _check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError(_("Give the client a name: /client add ACME rate 80."))
    if len(cleaned) > MAX_NAME_LENGTH:
        raise UserError(_("A client name can be at most {limit} characters.").format(limit=MAX_NAME_LENGTH))
    if cleaned[0] in "/@#":
        raise UserError(_("A client name can't start with “{character}”.").format(character=cleaned[0]))
    return cleaned


_ACTIVE_CLIENTS = (select(Client).where(Client.account_id == bindparam("account"), Client.archived.is_(False))
                   .order_by(Client.name))


def active_clients(session: Session, account: Account) -> list[Client]:
    return list(session.scalars(_ACTIVE_CLIENTS, {"account": account.id}))


class ClientCache:
    """Each account's active clients, kept between messages as detached copies, good while the account's
    ``clients_version`` is the one they were read at.

    The database raises that number in the same transaction as any change of the account's clients (migration
    0022's triggers), and a message reads it with the account's row, under its lock: so a client added, renamed,
    archived or re-priced through any worker is seen by every other at its next message. An account is known by
    its id and creation time (SQLite gives a removed account's id to the next one). Bounded: the accounts used
    least recently are forgotten first."""

    def __init__(self, accounts: int = 256) -> None:
        self._accounts = accounts
        self._entries: OrderedDict[tuple[int, datetime], tuple[int, tuple[Client, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def active(self, session: Session, account: Account) -> list[Client]:
        """The account's active clients by name, as of the start of this transaction: call it before the
        transaction changes any client (the version it checks is the one read with the account).

        Read-only: from the cache these are the very objects every thread is handed (copying them per message would
        cost the hot path what the cache saves), so a value assigned to one would be every message's until the
        next change. A command that changes a client reads it in its transaction (:func:`find_client`)."""
        key, version = (account.id, account.created_at), account.clients_version
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(key)
                return list(entry[1])
        clients = active_clients(session, account)
        copies = tuple(_detached_copy(client) for client in clients)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= version:  # never replace a newer list with an older one
                self._entries[key] = (version, copies)
                self._entries.move_to_end(key)
            while len(self._entries) > self._accounts:
                self._entries.popitem(last=False)
        return clients


def _detached_copy(client: Client) -> Client:
    """A copy of a client's columns that belongs to no session (so any thread may read it) and that
    :func:`attached` brings into a session without a query."""
    copy = Client(**{column.key: getattr(client, column.key) for column in table(Client).columns})
    make_transient_to_detached(copy)
    return copy


def attached(session: Session, client: Client) -> Client:
    """The client as an object of this session: a copy from :class:`ClientCache` is merged in without a query,
    a client of the session is returned as it is."""
    if object_session(client) is session:
        return client
    return session.merge(client, load=False)


def likely_clients(session: Session, account: Account, clients: Sequence[Client]) -> list[Client]:
    """``clients`` with the likely ones first: those worked for most recently (by the last task logged for each),
    then the others by name — the order a "which client?" question offers them in."""
    last = {client_id: latest for client_id, latest in session.execute(
        select(Task.client_id, func.max(Task.id)).where(Task.account_id == account.id, Task.deleted_at.is_(None))
        .group_by(Task.client_id))}
    return sorted(clients, key=lambda client: (-(last.get(client.id) or 0), client.name.casefold()))


def add_client(
    session: Session,
    account: Account,
    name: str,
    now: datetime,
    *,
    rate: Decimal | None = None,
    currency: str | None = None,
    email: str | None = None,
) -> Client:
    name = _check_name(name)
    email = check_email(email) if email is not None else None
    existing = session.scalar(select(Client).where(Client.account_id == account.id, Client.name_key == name_key(name)))
    if existing is not None:
        if existing.archived:
            raise UserError(_("You already have a client called {name} (archived: /client set {name} archived no "
                              "brings it back).").format(name=existing.name))
        raise UserError(_("You already have a client called {name}.").format(name=existing.name))
    client = Client(account_id=account.id, name=name, name_key=name_key(name), rate=rate,
                    currency=currency or account.profile.currency, email=email, archived=False, created_at=now)
    session.add(client)
    session.flush()
    record_change(session, account, "client.add", now, client.id)
    return client


def find_client(
    session: Session,
    account: Account,
    text: str,
    *,
    retry: Callable[[str], str] | None = None,
    include_archived: bool = False,
) -> Client:
    """The client named by ``text``: an exact name, else a unique case-insensitive prefix.

    Two or more matches is a question, never a guess: the error offers each match, as the command ``retry``
    would be with that full name.
    """
    wanted = name_key(text)
    if not wanted:
        raise UserError(_("Which client? Give its name, e.g. /client ACME."))
    query = select(Client).where(Client.account_id == account.id)
    if not include_archived:
        query = query.where(Client.archived.is_(False))
    clients = list(session.scalars(query.order_by(Client.name)))
    matches = _matching(clients, wanted)
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(c.name for c in matches)
        actions = tuple(Action(c.name, retry(c.name)) for c in matches[:8]) if retry else ()
        raise UserError(_("“{text}” matches more than one client ({names}). Which one did you mean?").format(
            text=text, names=names), actions)
    if not include_archived:
        archived = _matching(session.scalars(select(Client).where(Client.account_id == account.id,
                                                                  Client.archived.is_(True))), wanted)
        if len(archived) == 1:
            name = archived[0].name
            raise UserError(_("{name} is archived. /client set {name} archived no brings it back.").format(name=name))
    if not clients:
        raise UserError(_("I don't know a client called “{text}”, and you have none yet. Add it with /client add "
                          "{name} rate 80.").format(text=text, name=text.strip()))
    raise UserError(_("I don't know a client called “{text}”. Your clients: {known}. Add one with /client add {name} "
                      "rate 80.").format(text=text, known=", ".join(c.name for c in clients[:10]), name=text.strip()))


def _matching(clients: Iterable[Client], wanted: str) -> list[Client]:
    """The client whose name is ``wanted``, else every client with a name (or a word of it) starting so; when
    nothing matches with accents, the same without them, as in a phrase ("/invoice cafe" finds Café Müller)."""
    candidates = list(clients)
    for key in (name_key, _folded):
        target = key(wanted)
        exact = [c for c in candidates if key(c.name_key) == target]
        if exact:
            return exact
        prefixed = [c for c in candidates if key(c.name_key).startswith(target)
                    or any(word.startswith(target) for word in key(c.name_key).split())]
        if prefixed:
            return prefixed
    return []


def _folded(name: str) -> str:
    return " ".join(fold(word) for word in name_key(name).split())


def parse_rate(text: str) -> Decimal:
    """An hourly rate from user text (``80``, ``80.50``, ``80/h``); zero is refused as it is in a phrase's ``@ 0/h``:
    it would print lines that bill nothing."""
    rate = parse_decimal(text.lower().removesuffix("/h").removesuffix("/hour"), pgettext("a number the user gives",
                                                                                        "rate"))
    if rate == 0:
        raise UserError(_("A rate must be more than zero; give it like 80 or 80.50."))
    return rate


def check_rate_digits(rate: Decimal, currency: str) -> Decimal:
    """A rate finer than the currency's minor unit prints rounded (€33.34/h) yet bills exactly (2h → €66.67): the
    invoice's rate × hours would not give its amount, so such a rate is refused."""
    if Money(rate, currency).rounded().amount != rate:
        digits = minor_digits(currency)
        example = "80" if digits == 0 else "80." + "5".ljust(digits, "0")
        raise UserError(ngettext("A rate in {currency} can have at most {digits} decimal place, like {example}.",
                                 "A rate in {currency} can have at most {digits} decimal places, like {example}.",
                                 digits).format(currency=currency, digits=digits, example=example))
    return rate


_COLUMNS = {"name": ("name", "name_key"), "vat_id": ("vat_id", "country")}
"""The columns a client field sets, when not (only) the field's own: what the journal keeps from before a change."""


def archive_client(session: Session, account: Account, client: Client, now: datetime, archived: bool = True) -> None:
    """Hide a client from /clients and phrases (or bring it back); its books are kept."""
    record_change(session, account, "client.set", now, client.id, {"field": "archived", "archived": client.archived})
    client.archived = archived


def set_client_field(session: Session, account: Account, client: Client, field: str, value: str, *,
                     now: datetime) -> str:
    """Set one client field from user text and journal the change; returns the field's canonical name."""
    key = field.strip().lower().replace("-", "_")
    value = value.strip()
    if key == "archived":
        archive_client(session, account, client, now, value.lower() in ("yes", "true", "1", "on"))
        return key
    if key not in CLIENT_FIELDS:
        raise UserError(_("I don't know the client field “{field}”. Fields: {fields}.").format(
            field=field, fields=", ".join(CLIENT_FIELDS)))
    if not value:
        raise UserError(_("Give a value: /client set {name} {field} VALUE.").format(name=client.name, field=key))
    check_field(key, value)
    before = {"field": key, **{column: getattr(client, column) for column in _COLUMNS.get(key, (key,))}}
    _set_field(session, account, client, key, value)
    record_change(session, account, "client.set", now, client.id, before)
    return key


def _set_field(session: Session, account: Account, client: Client, key: str, value: str) -> None:
    if key in CLEARABLE_CLIENT_FIELDS and value.lower() in NO_VALUE:
        setattr(client, key, None)
        return
    if key == "name":
        new_name = _check_name(value)
        clash = session.scalar(select(Client).where(Client.account_id == account.id,
                                                    Client.name_key == name_key(new_name), Client.id != client.id))
        if clash is not None:
            raise UserError(_("You already have a client called {name}.").format(name=clash.name))
        client.name, client.name_key = new_name, name_key(new_name)
    elif key == "rate":
        client.rate = check_rate_digits(parse_rate(value), client.currency)
    elif key == "currency":
        currency = parse_currency(value)
        _require_no_fixed_prices_in_other_currencies(session, client, currency)
        client.currency = currency
    elif key == "email":
        client.email = check_email(value)
    elif key == "address":
        client.address = value.replace("\\n", "\n").replace(" | ", "\n")
    elif key == "country":
        client.country = parse_country(value)
    elif key == "vat_id":
        client.vat_id = check_vat_id(value)
        if client.country is None:  # the VAT id names it: /client set ACME vat_id FR… needs no second step
            client.country = vat_id_country(client.vat_id)
    elif key == "reference":
        if len(value) > 200:
            raise UserError(_("A buyer reference has at most 200 characters."))
        client.reference = value
    elif key == "tax_rate":
        client.tax_rate = parse_percent(value)
    elif key == "notes":
        client.notes = value
    elif key == "language":
        client.language = parse_language(value)
    elif key == "rounding":  # "off" bills this client's exact minutes; "none" follows the profile again
        client.rounding = None if value.lower() in FOLLOW_WORDS else parse_rounding(value)


def _require_no_fixed_prices_in_other_currencies(session: Session, client: Client, currency: str) -> None:
    """Unbilled hourly work follows the client's currency, but a fixed price keeps its own: after the change the
    client's next invoice would mix two currencies, which /invoice refuses."""
    odd = list(session.scalars(
        select(Task.number).where(Task.client_id == client.id, Task.invoice_id.is_(None), Task.deleted_at.is_(None),
                                  Task.fixed_currency.is_not(None), Task.fixed_currency != currency)
        .order_by(Task.number)
    ))
    if odd:
        listed = ", ".join(f"#{number}" for number in odd[:10])
        raise UserError(_("{name} has unbilled fixed prices in {currency} ({tasks}). Bill them first (/invoice "
                          "{name}) or delete them (/delete ID), then change the currency.").format(
            name=client.name, currency=client.currency, tasks=listed))


def _looks_like(option: str, value: str) -> bool:
    """Whether ``value`` reads as that option's value (a number, a currency code, an address), not a name word."""
    if option == "rate":
        return bool(re.fullmatch(r"[\d.,]+(?:/h(?:our)?)?", value.lower()))
    if option == "currency":
        return bool(re.fullmatch(r"[A-Za-z]{3}", value))
    return "@" in value


def delete_client(session: Session, account: Account, client: Client, now: datetime) -> None:
    """Delete a client that was never billed and has no logged work (a typo, a test); anything else is archived
    instead, so no invoice or task loses the client it names."""
    if session.scalar(select(Invoice.id).where(Invoice.client_id == client.id).limit(1)) is not None:
        raise UserError(_("{name} has invoices, so it stays in your books: /client archive {name} hides it.").format(
            name=client.name))
    live = session.scalar(select(func.count()).select_from(Task).where(Task.client_id == client.id,
                                                                       Task.deleted_at.is_(None)))
    if live:
        raise UserError(ngettext("{name} has {n} logged task. Delete it first (/tasks {name} lists it), or archive "
                                 "the client: /client archive {name}.",
                                 "{name} has {n} logged tasks. Delete them first (/tasks {name} lists them), or "
                                 "archive the client: /client archive {name}.", live).format(name=client.name, n=live))
    retainer = session.scalar(select(RecurringInvoice.number).where(RecurringInvoice.client_id == client.id)
                              .order_by(RecurringInvoice.active.desc(), RecurringInvoice.number).limit(1))
    if retainer is not None:
        raise UserError(_("{name} has a retainer (#{id}), so it stays in your books: /client archive {name} hides "
                          "it (/recurring off {id} stops the retainer).").format(name=client.name, id=retainer))
    record_change(session, account, "client.delete", now, client.id, client_snapshot(client))
    remove_client(session, account, client, now)


def remove_client(session: Session, account: Account, client: Client, now: datetime) -> None:
    """Take a client without invoices or live tasks out of the database, with its deleted tasks (whose journal
    entries can then no longer be undone)."""
    gone = list(session.scalars(select(Task.id).where(Task.client_id == client.id)))
    if gone:
        session.execute(update(Change).where(Change.account_id == account.id, Change.kind.startswith("task."),
                                             Change.subject_id.in_(gone), Change.undone_at.is_(None))
                        .values(undone_at=now))
        session.execute(delete(Task).where(Task.id.in_(gone)))
    session.delete(client)
    session.flush()


_DECIMAL_COLUMNS = ("rate", "tax_rate")


def client_snapshot(client: Client) -> dict[str, object]:
    """Every field of a client, as the journal keeps it when the client is deleted (so /undo can bring it back)."""
    return {column.key: getattr(client, column.key) for column in Client.__table__.columns
            if column.key not in ("id", "account_id", "created_at")}


def restore_client(session: Session, account: Account, client_id: int | None, snapshot: dict[str, object],
                   now: datetime) -> Client:
    """Bring back a deleted client from its journal snapshot, under its old id where the journal has it (so the
    earlier changes of that client still find it). Journal entries from before full snapshots hold only the name,
    currency and rate."""
    name = str(snapshot["name"])
    clash = session.scalar(select(Client).where(Client.account_id == account.id, Client.name_key == name_key(name)))
    if clash is not None:
        raise UserError(_("You have a client called {name} again, so the deleted one can't come back under that "
                          "name. Nothing was changed.").format(name=clash.name))
    client = Client(account_id=account.id, name=name, name_key=name_key(name), archived=False, created_at=now)
    if client_id is not None and session.get(Client, client_id) is None:
        client.id = client_id
    restore_client_fields(client, {k: v for k, v in snapshot.items() if k not in ("name", "name_key")})
    session.add(client)
    session.flush()
    return client


def restore_client_fields(client: Client, before: dict[str, object]) -> None:
    """Put back the columns a client change journaled (as JSON: decimals as text)."""
    columns = set(Client.__table__.columns.keys()) - {"id", "account_id", "created_at"}
    for key, value in before.items():
        if key not in columns:
            continue
        if value is not None and key in _DECIMAL_COLUMNS:
            value = Decimal(str(value))
        setattr(client, key, value)


def parse_client_options(words: Sequence[str]) -> tuple[str, dict[str, str]]:
    """``ACME Corp rate 80 currency EUR email a@b.c`` → ("ACME Corp", {"rate": "80", ...})."""
    keywords = {"rate", "currency", "email"}
    name_words: list[str] = []
    options: dict[str, str] = {}
    if len(words) >= 2 and words[0].lower() in keywords and _looks_like(words[0].lower(), words[1]):
        # "/client add rate 80": the name was left out, and "rate 80" must not become one.
        raise UserError(_("Give the client a name first: /client add ACME {option} {value}.").format(
            option=words[0].lower(), value=words[1]))
    i = 0
    while i < len(words):
        word = words[i]
        if word.lower() in keywords and i + 1 < len(words) and (name_words or options):
            options[word.lower()] = words[i + 1]
            i += 2
            continue
        if options:
            raise UserError(_("I didn't understand “{word}”. Use: /client add NAME [rate 80] [currency EUR] "
                              "[email …].").format(word=word))
        name_words.append(word)
        i += 1
    return " ".join(name_words), options
