"""The REST API's request and response models (pydantic v2): the OpenAPI document is generated from these.

Field names are the chat's (SPEC §10); money is a decimal string ("160.00"), dates are ISO days in the user's
calendar. Request models forbid unknown fields, so a typo is a 422 rather than a field silently ignored.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, model_validator

from core.limits import strip_invisible

DecimalString = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}(\.[0-9]{1,4})?$")]
"""An amount or rate as typed: digits, an optional dot and up to four decimals (no sign, no exponent)."""
Percent = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,3}(\.[0-9]{1,4})?%?$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")]
"""Free text: no control characters (a NUL can't be stored, and nothing typed is silently changed)."""
Name = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=r"^[^\x00-\x1f]*\S[^\x00-\x1f]*$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Money = Annotated[str, Field(pattern=r"^-?[0-9]+(\.[0-9]+)?$", examples=["160.00"])]


class Request(BaseModel):
    """What a client sends (a body or a query): unknown fields are refused, and every text is cleaned as the chat
    cleans a message (core/limits.py ``strip_invisible``): NFC, without bidi controls and zero-width characters,
    before its constraints are checked. The characters taken out are added to the validation context's
    ``removed`` list, so the answer can name them (the ``Invisible-Characters-Removed`` header)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _without_invisible_characters(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict):
            return data
        removed = info.context.get("removed") if isinstance(info.context, dict) else None
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value, gone = strip_invisible(value)
                if removed is not None:
                    removed.extend(char for char in gone if char not in removed)
            cleaned[key] = value
        return cleaned


class Problem(BaseModel):
    """An error, as RFC 9457 application/problem+json."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
    """422 on a malformed request: each field that was wrong and why."""
    choices: list[str] | None = None
    """422 on a phrase that can be read more than one way: the readings to choose from (send one back as text)."""


class TokenInfo(BaseModel):
    number: int
    name: str


class Me(BaseModel):
    name: str | None
    timezone: str
    currency: str
    locale: str
    token: TokenInfo


class Client(BaseModel):
    id: int
    name: str
    rate: Money | None
    currency: str
    email: str | None
    address: str | None
    country: str | None
    vat_id: str | None
    reference: str | None
    tax_rate: str | None
    notes: str | None
    language: str | None
    rounding: int | None
    archived: bool


class ClientFields(Request):
    rate: DecimalString | None = None
    currency: Currency | None = None
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    address: Text | None = None
    country: Country | None = None
    vat_id: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None
    reference: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    tax_rate: Percent | None = None
    notes: Text | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] | None = None
    rounding: Annotated[int, Field(ge=0, le=480)] | None = None


class ClientCreate(ClientFields):
    name: Name


class ClientPatch(ClientFields):
    name: Name | None = None
    archived: bool | None = None


class Task(BaseModel):
    id: int
    """The account's task number, as the chat shows it (#12)."""
    client: str
    date: dt.date
    minutes: int | None
    amount: Money | None
    """What the task bills (null while its client has no rate)."""
    currency: str
    rate: Money | None
    description: str | None
    billed: bool
    invoice: str | None
    """The number of the invoice that bills it."""


class TaskFields(Request):
    client: Name | None = None
    minutes: Annotated[int, Field(ge=1, le=1440)] | None = None
    amount: DecimalString | None = None
    date: dt.date | None = None
    description: Text | None = None
    rate: DecimalString | None = None


class TaskCreate(TaskFields):
    """Either ``text`` (a phrase, read as the chat reads it) or the fields: ``client`` and ``minutes`` or ``amount``."""

    text: Text | None = None

    @model_validator(mode="after")
    def _one_way(self) -> TaskCreate:
        fields = (self.client, self.minutes, self.amount, self.date, self.description, self.rate)
        if self.text is not None:
            if any(value is not None for value in fields):
                raise ValueError("send either text or the fields (client, minutes or amount, …), not both")
        elif self.client is None or (self.minutes is None) == (self.amount is None):
            raise ValueError("give text, or client with either minutes or amount")
        return self


class TaskPatch(TaskFields):

    @model_validator(mode="after")
    def _not_both(self) -> TaskPatch:
        if self.minutes is not None and self.amount is not None:
            raise ValueError("a task is either minutes or a fixed amount, not both")
        return self


class InvoiceLine(BaseModel):
    date: dt.date
    description: str
    minutes: int | None
    rate: Money | None
    amount: Money


class Invoice(BaseModel):
    number: str | None
    """null on a preview (a draft takes no number)."""
    kind: Literal["invoice", "credit_note"]
    status: Literal["draft", "open", "overdue", "paid", "void", "credit_note"]
    client: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    subtotal: Money
    tax: Money
    total: Money
    outstanding: Money
    lines: list[InvoiceLine]
    corrects: str | None = None
    """A credit note's invoice."""


class InvoiceCreate(Request):
    client: Name
    until: dt.date | None = None
    preview: bool = False
    discount: Annotated[str, Field(min_length=1, max_length=40, examples=["10%", "50"])] | None = None
    """Taken off the work before tax, as in the chat: a percentage ("10%") or an amount in the client's currency."""


class PaymentCreate(Request):
    """Money received: ``amount`` absent pays all that is outstanding; ``date`` absent is today."""

    amount: DecimalString | None = None
    date: dt.date | None = None


class VoidResult(BaseModel):
    invoice: Invoice
    credit_note: Invoice


class ClientList(BaseModel):
    items: list[Client]
    next: str | None


class TaskList(BaseModel):
    items: list[Task]
    next: str | None


class InvoiceList(BaseModel):
    items: list[Invoice]
    next: str | None


class Page(Request):
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    cursor: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}$")] | None = None


class ExportQuery(Request):
    period: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None, description="week, month, last month or year; none: everything")


class TaskQuery(Page):
    client: Name | None = None
    unbilled: bool | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None


class InvoiceQuery(Page):
    client: Name | None = None
