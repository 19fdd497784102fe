"""What each REST route does, as plain functions over one transaction: they call the same core services as the chat
commands (log_task, issue_invoice, record_payment, credit_invoice …), never a second implementation of billing."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from adapters.api import schemas
from adapters.api.problems import ApiError, not_found
from core import clients as clients_service
from core import invoices as invoices_service
from core import payments
from core.commands.work import work_for
from core.credit_notes import credit_invoice
from core.discounts import parse_discount
from core.encryption import Cipher
from core.errors import UserError
from core.exports import export_period, invoices_csv, tasks_csv
from core.invoice_documents import einvoice_of, invoice_document
from core.limits import check_message, record_number
from core.models import Account, ApiToken, Client, Invoice, Task
from core.money import Money
from core.pdf import InvoiceDocument, render_invoice_pdf
from core.phrases import AmbiguousPhrase, ParsedWork, parse_message
from core.tasks import Work, delete_task, edit_task, find_task, log_task, require_unbilled, task_amount, task_currency
from core.tasks import task_rate as rate_of

Row = TypeVar("Row")


@dataclass
class Call:
    """One API request inside its transaction: the caller's account (from the token), the instant, the input."""

    session: Session
    account: Account
    token: ApiToken
    now: datetime
    cipher: Cipher
    match: Mapping[str, str]
    query: Any
    body: Any

    @cached_property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.account.timezone)).date()


@dataclass
class Result:
    status: int
    model: BaseModel | None = None
    raw: bytes | None = None
    content_type: str = "application/json"
    draw: Callable[[], bytes] | None = None
    """Raw bytes drawn once the transaction has closed, from what was read in it: a PDF takes a second or more to
    draw, and on SQLite a transaction holds the write lock — every other request and event stream would wait."""


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _rate(value: Decimal | None) -> str | None:
    """A rate as stored (80, 95.5), the same before and after the row is read back."""
    return None if value is None else format(value.normalize(), "f")


# The objects, as SPEC §10 names their fields.


def client_out(client: Client) -> schemas.Client:
    return schemas.Client(
        id=client.id, name=client.name, rate=_rate(client.rate), currency=client.currency, email=client.email,
        address=client.address, country=client.country, vat_id=client.vat_id, reference=client.reference,
        tax_rate=_rate(client.tax_rate), notes=client.notes, language=client.language, rounding=client.rounding,
        archived=client.archived)


def task_out(session: Session, task: Task) -> schemas.Task:
    amount = task_amount(task)
    invoice = session.get(Invoice, task.invoice_id) if task.invoice_id is not None else None
    return schemas.Task(
        id=task.number, client=task.client.name, date=task.work_date, minutes=task.minutes,
        amount=_money(amount.amount) if amount else None, currency=task_currency(task),
        rate=_rate(rate_of(task)) if task.fixed_amount_minor is None else None, description=task.description,
        billed=task.invoice_id is not None, invoice=invoice.number if invoice else None)


def invoice_out(session: Session, invoice: Invoice, today: date) -> schemas.Invoice:
    def minor(value: int) -> str:
        return format(Money.from_minor(value, invoice.currency).amount, "f")

    return schemas.Invoice(
        number=invoice.number, kind=invoice.kind,  # type: ignore[arg-type]
        status=invoices_service.invoice_status(invoice, today),  # type: ignore[arg-type]
        client=invoice.client.name, issue_date=invoice.issue_date, due_date=invoice.due_date,
        currency=invoice.currency, subtotal=minor(invoice.subtotal_minor), tax=minor(invoice.tax_minor),
        total=minor(invoice.total_minor), outstanding=format(payments.outstanding(session, invoice).amount, "f"),
        lines=[schemas.InvoiceLine(date=line.work_date, description=line.description, minutes=line.minutes,
                                   rate=_rate(line.rate), amount=minor(line.amount_minor)) for line in invoice.lines],
        corrects=invoice.corrects.number if invoice.corrects is not None else None)


def draft_out(document: InvoiceDocument, client: Client) -> schemas.Invoice:
    return schemas.Invoice(
        number=None, kind="invoice", status="draft", client=client.name, issue_date=document.issue_date,
        due_date=document.due_date, currency=document.currency, subtotal=format(document.subtotal, "f"),
        tax=format(document.tax, "f"), total=format(document.total, "f"), outstanding=format(document.total, "f"),
        lines=[schemas.InvoiceLine(date=line.work_date, description=line.description, minutes=line.minutes,
                                   rate=_rate(line.rate), amount=format(line.amount, "f"))
               for line in document.lines])


# Lookups scoped to the caller: another account's object is as absent as one that never was (404).


def _client(call: Call) -> Client:
    number = record_number(call.match["id"])
    client = call.session.get(Client, number) if number is not None else None
    if client is None or client.account_id != call.account.id:
        raise not_found("client", call.match["id"])
    return client


def _task(call: Call) -> Task:
    number = record_number(call.match["id"])
    task = find_task(call.session, call.account, number) if number is not None else None
    if task is None or task.deleted_at is not None:
        raise not_found("task", call.match["id"])
    return task


def _invoice(call: Call) -> Invoice:
    try:
        return invoices_service.find_invoice(call.session, call.account, call.match["number"])
    except UserError:
        raise not_found("invoice", call.match["number"]) from None


def _page(call: Call, query: Select[tuple[Row]], column: InstrumentedAttribute[int],
          page: schemas.Page) -> tuple[list[Row], str | None]:
    """One page of ``query`` in ``column``'s order, after ``page.cursor``; and the cursor of the next page (the last
    item's ``column``), None on the last page."""
    if page.cursor is not None:
        query = query.where(column > int(page.cursor))
    items = list(call.session.scalars(query.order_by(column).limit(page.limit + 1)))
    if len(items) > page.limit:
        return items[:page.limit], str(getattr(items[page.limit - 1], column.key))
    return items, None


# Routes.


def get_me(call: Call) -> Result:
    profile = call.account.profile
    return Result(200, schemas.Me(name=profile.name, timezone=call.account.timezone, currency=profile.currency,
                                  locale=profile.locale,
                                  token=schemas.TokenInfo(number=call.token.number, name=call.token.name)))


def list_clients(call: Call) -> Result:
    page: schemas.Page = call.query
    items, cursor = _page(call, select(Client).where(Client.account_id == call.account.id), Client.id, page)
    return Result(200, schemas.ClientList(items=[client_out(c) for c in items], next=cursor))


def create_client(call: Call) -> Result:
    body: schemas.ClientCreate = call.body
    client = clients_service.add_client(call.session, call.account, body.name, call.now)
    _set_client_fields(call, client, body.model_dump(exclude={"name"}, exclude_none=True))
    return Result(201, client_out(client))


def get_client(call: Call) -> Result:
    return Result(200, client_out(_client(call)))


def patch_client(call: Call) -> Result:
    body: schemas.ClientPatch = call.body
    client = _client(call)
    fields = body.model_dump(exclude_none=True)
    if "archived" in fields:
        clients_service.archive_client(call.session, call.account, client, call.now, fields.pop("archived"))
    _set_client_fields(call, client, fields)
    return Result(200, client_out(client))


def _set_client_fields(call: Call, client: Client, fields: dict[str, Any]) -> None:
    """Each field through /client set's own checks, in the order a person would type them (currency before rate)."""
    order = ("name", "currency", "rate", "email", "address", "country", "vat_id", "reference", "tax_rate", "notes",
             "language", "rounding")
    for key in order:
        if key in fields:
            value = fields[key]
            text = "off" if key == "rounding" and value == 0 else str(value)
            clients_service.set_client_field(call.session, call.account, client, key, text, now=call.now)


def list_tasks(call: Call) -> Result:
    params: schemas.TaskQuery = call.query
    query = select(Task).where(Task.account_id == call.account.id, Task.deleted_at.is_(None))
    if params.client is not None:
        client = clients_service.find_client(call.session, call.account, params.client, include_archived=True)
        query = query.where(Task.client_id == client.id)
    if params.unbilled is not None:
        query = query.where(Task.invoice_id.is_(None) if params.unbilled else Task.invoice_id.is_not(None))
    if params.from_ is not None:
        query = query.where(Task.work_date >= params.from_)
    if params.to is not None:
        query = query.where(Task.work_date <= params.to)
    items, cursor = _page(call, query, Task.number, params)
    return Result(200, schemas.TaskList(items=[task_out(call.session, t) for t in items], next=cursor))


def create_task(call: Call) -> Result:
    body: schemas.TaskCreate = call.body
    known = clients_service.active_clients(call.session, call.account)
    if body.text is not None:
        readings = _read_phrase(call, body.text, known)
        if len(readings) > 1:
            raise ApiError(422, "One task per request", f"That phrase holds {len(readings)} entries; send each as its own "
                           "request.")
        reading = readings[0]
        if reading.client is None:
            detail = (f"I don't know a client called “{reading.unknown_client}”; add it with POST /api/v1/clients "
                      "and send the phrase again." if reading.unknown_client else
                      "The phrase names no client; name one of yours in it (e.g. “for ACME”).")
            raise ApiError(422, "Which client?", detail)
        work = work_for(call.session, call.account, reading, known)
    else:
        work = _work_from_fields(call, body, None)
    task = log_task(call.session, call.account, work, call.now)
    return Result(201, task_out(call.session, task))


def _read_phrase(call: Call, text: str, known: list[Client]) -> tuple[ParsedWork, ...]:
    check_message(text)
    profile = call.account.profile
    try:
        return parse_message(text, now=call.now, tz=ZoneInfo(call.account.timezone), clients=[c.name for c in known],
                             locale=profile.locale if profile.locale_chosen else None, language="en")
    except AmbiguousPhrase as question:
        raise ApiError(422, "The phrase can be read more than one way", question.message,
                       choices=[choice.label for choice in question.choices]) from None


def _work_from_fields(call: Call, body: schemas.TaskCreate | schemas.TaskPatch, task: Task | None) -> Work:
    """The task's fields from a request: what it gives, else what the task has (a PATCH changes only those)."""
    client = (clients_service.find_client(call.session, call.account, body.client) if body.client is not None
              else task.client if task is not None else None)
    assert client is not None  # TaskCreate requires one
    work_date = body.date or (task.work_date if task is not None else call.today)
    if work_date > call.today:
        raise ApiError(422, "A day ahead", f"{work_date.isoformat()} is after today ({call.today.isoformat()}); "
                       "work is logged once it is done.")
    if body.description is not None:
        check_message(body.description)
    minutes = body.minutes
    fixed = Money(Decimal(body.amount), client.currency).rounded() if body.amount is not None else None
    if minutes is None and fixed is None and task is not None:
        minutes = task.minutes
        if task.fixed_amount_minor is not None:
            fixed = Money.from_minor(task.fixed_amount_minor, task_currency(task))
            if fixed.currency != client.currency:
                raise ApiError(422, "Another currency", f"Task #{task.number} is a price in {fixed.currency}; "
                               f"{client.name} is billed in {client.currency}. Give its amount too.")
    if fixed is not None and fixed.amount <= 0:
        raise ApiError(422, "Nothing to bill", "A fixed amount must be more than zero.")
    rate = clients_service.check_rate_digits(Decimal(body.rate), client.currency) if body.rate is not None else (
        task.rate if task is not None else None)
    if rate is not None and rate <= 0:
        raise ApiError(422, "No rate", "A rate must be more than zero.")
    description = body.description if body.description is not None else (task.description if task else None)
    return Work(client=client, work_date=work_date, minutes=minutes, fixed_amount=fixed, rate=rate,
                description=description)


def patch_task(call: Call) -> Result:
    body: schemas.TaskPatch = call.body
    task = _task(call)
    require_unbilled(call.session, task)
    edit_task(call.session, call.account, task, _work_from_fields(call, body, task), call.now)
    return Result(200, task_out(call.session, task))


def delete_task_route(call: Call) -> Result:
    task = _task(call)
    require_unbilled(call.session, task)
    delete_task(call.session, call.account, task, call.now)
    return Result(204)


def list_invoices(call: Call) -> Result:
    params: schemas.InvoiceQuery = call.query
    query = select(Invoice).where(Invoice.account_id == call.account.id)
    if params.client is not None:
        client = clients_service.find_client(call.session, call.account, params.client, include_archived=True)
        query = query.where(Invoice.client_id == client.id)
    items, cursor = _page(call, query, Invoice.id, params)
    return Result(200, schemas.InvoiceList(items=[invoice_out(call.session, i, call.today) for i in items],
                                           next=cursor))


def create_invoice(call: Call) -> Result:
    body: schemas.InvoiceCreate = call.body
    client = clients_service.find_client(call.session, call.account, body.client, include_archived=True)
    if body.until is not None and body.until > call.today:
        raise ApiError(422, "A day ahead", f"until {body.until.isoformat()} is after today; leave it out to bill all "
                       "unbilled work.")
    discount = parse_discount(body.discount, client.currency) if body.discount is not None else None
    if body.preview:
        draft = invoices_service.preview_invoice(call.session, call.account, client, call.cipher, call.today,
                                                 body.until, discount)
        return Result(200, draft_out(draft, client))
    issued = invoices_service.issue_invoice(call.session, call.account, client, call.cipher, call.now, call.today,
                                            body.until, discount)
    einvoice_of(invoice_document(issued, call.cipher))  # as in the chat: an invoice whose XML fails is not issued
    return Result(201, invoice_out(call.session, issued, call.today))


def get_invoice(call: Call) -> Result:
    return Result(200, invoice_out(call.session, _invoice(call), call.today))


def get_invoice_pdf(call: Call) -> Result:
    document = invoice_document(_invoice(call), call.cipher)
    return Result(200, draw=lambda: render_invoice_pdf(document, einvoice_of(document)),
                  content_type="application/pdf")


def get_invoice_xml(call: Call) -> Result:
    invoice = _invoice(call)
    xml = einvoice_of(invoice_document(invoice, call.cipher))
    if xml is None:
        raise ApiError(404, "No e-invoice", f"{invoice.number} carries no e-invoice: its profile lacked what "
                       "EN 16931 requires when it was issued.")
    return Result(200, raw=xml, content_type="application/xml")


def get_tasks_csv(call: Call) -> Result:
    _tag, start, end = export_period(call.query.period or "", call.today)
    return Result(200, raw=tasks_csv(call.session, call.account, start, end), content_type="text/csv")


def get_invoices_csv(call: Call) -> Result:
    _tag, start, end = export_period(call.query.period or "", call.today)
    return Result(200, raw=invoices_csv(call.session, call.account, call.today, start, end),
                  content_type="text/csv")


def create_payment(call: Call) -> Result:
    body: schemas.PaymentCreate = call.body
    invoice = _invoice(call)
    amount = Money(Decimal(body.amount), invoice.currency) if body.amount is not None else None
    payments.record_payment(call.session, call.account, invoice.number, amount, body.date or call.today,
                            call.today, call.now)
    call.session.refresh(invoice)
    return Result(201, invoice_out(call.session, invoice, call.today))


def void_invoice(call: Call) -> Result:
    invoice = _invoice(call)
    credit, voided, _reopened = credit_invoice(call.session, call.account, invoice.number, call.now, call.today)
    return Result(200, schemas.VoidResult(invoice=invoice_out(call.session, voided, call.today),
                                          credit_note=invoice_out(call.session, credit, call.today)))


def events(call: Call) -> Result:
    """Documents GET /events in the route table; the stream itself is served by the API's event loop."""
    raise NotImplementedError
