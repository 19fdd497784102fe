"""The database schema as SQLAlchemy 2 typed models.

Amounts are integer minor units (cents) beside their currency; rates and tax rates are Decimal kept as text, since
SQLite's NUMERIC round-trips through float. Instants are UTC; dates of work are the user's local dates.
Every row below ``accounts`` carries ``account_id`` so every query can be scoped to its owner.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, foreign, mapped_column, query_expression, relationship, remote

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class DecimalText(TypeDecorator[Decimal]):
    """An exact Decimal stored as its canonical text, the same on SQLite and PostgreSQL."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"DecimalText takes Decimal, not {type(value).__name__}")
        return format(value.normalize(), "f")

    def process_result_value(self, value: str | None, dialect: object) -> Decimal | None:
        return None if value is None else Decimal(value)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant; SQLite keeps no offset, so it is put back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table(model: type[Base]) -> Table:
    """A model's table (``__table__`` is typed as any FromClause): statements that every message runs are built
    once on the table, so executing them skips the ORM's bookkeeping."""
    return cast(Table, model.__table__)


class Account(Base):
    """A business: one freelancer's books. Reached through one or more identities."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_task_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The number the account's newest task got: tasks are numbered 1, 2, 3 … per account, never reused."""
    language: Mapped[str | None] = mapped_column(String(8))
    """The language the user chose with /language (``de``); None follows the platform's."""
    last_change_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The sequence number of the account's newest journal entry (``changes.seq``): taken under this row's lock,
    so the account's changes commit in the order of their numbers (the live event stream relies on it)."""
    platform_locale: Mapped[str | None] = mapped_column(String(16))
    """The locale the user's chat app last reported (Telegram's language_code, Slack's locale), e.g. ``de_DE``:
    kept so that reminders, which answer no message, speak the same language as replies."""
    clients_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Raised by the database (triggers on ``clients``, migration 0022) with every change of one of the account's
    clients, in the same transaction: a worker's in-memory client list is good while this number is unchanged."""

    profile: Mapped[Profile] = relationship(back_populates="account", uselist=False)
    reminders_elsewhere: Mapped[bool | None] = query_expression()
    """Loaded with the account for a message (core.accounts): whether some of its reminders not pinned to a
    platform go to another one than the message came from, so they must follow the user (core.reminders)."""


class Identity(Base):
    """A platform user (Telegram user id, Slack team:user, local name) mapped to an account."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Profile(Base):
    """The business profile printed on invoices. Tax ids and payment instructions are encrypted (Fernet tokens):
    a sole trader's VAT id can carry a personal identity number (a Spanish autónomo's is their DNI)."""

    __tablename__ = "profiles"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    country: Mapped[str | None] = mapped_column(String(2))
    """ISO 3166 alpha-2 code: decides the VAT treatment of each invoice and is required by EN 16931."""
    tax_id_enc: Mapped[str | None] = mapped_column(Text)
    """The single tax id of earlier versions; :func:`core.tax_ids.split_legacy_tax_ids` moves it to
    ``vat_id_enc`` or ``tax_number_enc`` where the keys are at hand (start-up, ``invoicebot migrate``)."""
    vat_id_enc: Mapped[str | None] = mapped_column(Text)
    tax_number_enc: Mapped[str | None] = mapped_column(Text)
    """The national tax number (Steuernummer, SIREN, NIF …), for a business without a VAT id."""
    vat_exempt: Mapped[str | None] = mapped_column(Text)
    """The sentence printed instead of tax (e.g. Germany's small-business rule); set, no VAT is charged."""
    payment_enc: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    tax_rate: Mapped[Decimal] = mapped_column(DecimalText(), default=Decimal(0))
    terms_days: Mapped[int] = mapped_column(Integer, default=30)
    number_format: Mapped[str] = mapped_column(String(64), default="INV-{year}-{seq:04}")
    credit_note_format: Mapped[str] = mapped_column(String(64), default="CN-{year}-{seq:04}",
                                                    server_default="CN-{year}-{seq:04}")
    locale: Mapped[str] = mapped_column(String(16), default="en_GB")
    """How money and dates are written; the chat app's locale or en_GB until the user chooses one."""
    locale_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Whether the user chose ``locale`` (/profile set locale): only then does it order numeric dates in phrases
    and pick the language a phrase is read in first (SPEC §5)."""
    notes: Mapped[str | None] = mapped_column(Text)
    rounding: Mapped[int | None] = mapped_column(Integer)
    """Minutes each time entry is billed rounded up to a multiple of (core/rounding.py); None bills exact minutes."""

    account: Mapped[Account] = relationship(back_populates="profile")


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (UniqueConstraint("account_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    """The name case-folded, for case-insensitive uniqueness and lookup."""
    rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    currency: Mapped[str] = mapped_column(String(3))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    vat_id: Mapped[str | None] = mapped_column(String(32))
    """A business's VAT id is public (printed on its invoices, looked up in VIES), so unlike the profile's it is
    stored as typed (checked and compacted)."""
    reference: Mapped[str | None] = mapped_column(String(200))
    """The buyer's reference (purchase order, Leitweg-ID) its invoices must quote."""
    tax_rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    """Overrides the profile's tax rate for this client."""
    notes: Mapped[str | None] = mapped_column(Text)
    """Printed on this client's invoices (e.g. a reverse-charge sentence)."""
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(8))
    """The language of this client's invoices (``de``); None writes them in the user's own language."""
    rounding: Mapped[int | None] = mapped_column(Integer)
    """This client's billing increment in minutes, over the profile's; 0 bills exact minutes, None follows the
    profile."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    account: Mapped[Account] = relationship()


class Task(Base):
    """One piece of billable work: minutes at a rate, or a fixed amount; billed once an invoice holds it."""

    __tablename__ = "tasks"
    __table_args__ = (
        # /tasks and /invoice read only the unbilled, undeleted tasks, one client at a time in date order: a
        # partial index holds just those (billed history doesn't grow it), already sorted.
        Index(
            "ix_tasks_unbilled",
            "account_id", "client_id", "work_date", "id",
            postgresql_where=text("invoice_id IS NULL AND deleted_at IS NULL"),
            sqlite_where=text("invoice_id IS NULL AND deleted_at IS NULL"),
        ),
        Index("ix_tasks_account_date", "account_id", "work_date"),  # /report: one period of the calendar
        # An invoice's tasks (/void reopens them). Partial, so that SQLite never reads "invoice_id IS NULL" (a
        # third of the tasks, or more) through it: its statistics count rows per invoice, a few dozen, and would
        # make it look like the cheapest way to the unbilled tasks of /tasks and /report.
        Index("ix_tasks_invoice_id", "invoice_id", postgresql_where=text("invoice_id IS NOT NULL"),
              sqlite_where=text("invoice_id IS NOT NULL")),
        Index("ix_tasks_account_number", "account_id", "number", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    """What the user calls the task (#12): its place in the account's own sequence. ``id`` is never shown, so a
    new user's first task is #1 and nobody learns how busy the others are."""
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    work_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int | None] = mapped_column(Integer)
    fixed_amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    fixed_currency: Mapped[str | None] = mapped_column(String(3))
    rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    """A rate given in the phrase ("@ 120/h"); None bills at the client's rate."""
    description: Mapped[str | None] = mapped_column(Text)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    """The billed mark: the invoice that holds this task."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(8), default="work", server_default="work")
    """``work`` (time or a fixed price) or ``expense`` (a cost re-charged to the client: a fixed amount, listed in
    its own section of the invoice)."""
    tax_rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    """An expense's own VAT rate in percent ("tax 7%"); None bills it at the invoice's rate."""

    client: Mapped[Client] = relationship()


class Receipt(Base):
    """The receipt of an expense (a photo or PDF sent with /expense), embedded in the invoice PDF that bills it.

    Kept in a table of its own so listing and billing tasks never read the file."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Change(Base):
    """The account's change journal, newest last: every change the user makes (a task logged, edited or deleted, a
    client or profile change, an invoice issued, paid or voided) with the state before it, so /undo can take back
    exactly the last one — or say which it was when it can't."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_account_undone", "account_id", "undone_at"),
                      Index("ix_changes_account_seq", "account_id", "seq", unique=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Its place in the account's journal (1, 2, 3 …): the id of its event in GET /api/v1/events."""
    kind: Mapped[str] = mapped_column(String(32))
    """What was done, ``subject.verb``: ``task.log``, ``task.edit``, ``client.set``, ``invoice.paid`` …"""
    subject_id: Mapped[int | None] = mapped_column(Integer)
    """The row it touched (a task, client or invoice id; none for the profile)."""
    group_id: Mapped[int | None] = mapped_column(Integer)
    """Changes made as one (the entries of one message, a repeated day) share a group, and /undo takes the whole
    group back; None: the change stands alone."""
    before: Mapped[str | None] = mapped_column(Text)
    """JSON of what the change replaced (the fields before an edit, the status before a payment …)."""
    before_enc: Mapped[str | None] = mapped_column(Text)
    """The encrypted value a change of a secret profile field replaced (payment details, tax ids): kept here, not
    in ``before``, so key rotation re-encrypts it with every other secret."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Timer(Base):
    """A running timer: what is being worked on, for whom, since when. One per account (the unique index), kept
    in the database so it survives restarts and every process (and, with linked identities, every platform)
    sees the same one; /stop turns it into a task and deletes it."""

    __tablename__ = "timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    """A rate given in the phrase ("@ 120/h"), for the task it becomes; None bills at the client's rate."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship()


class PendingChoice(Base):
    """A question the bot asked (an ambiguous phrase, an unknown client): the options, kept until answered,
    so nothing the user typed is lost and a button only needs the short ``/pick ID N``."""

    __tablename__ = "pending_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    """What the user typed."""
    options: Mapped[str] = mapped_column(Text)
    """JSON list of options, each a list of commands to run in order."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InvoiceCounter(Base):
    """The per-account, per-scope (e.g. year) next invoice sequence: locked while an invoice is issued."""

    __tablename__ = "invoice_counters"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_seq: Mapped[int] = mapped_column(Integer, default=1)


class Invoice(Base):
    """An issued invoice or credit note: both are numbered documents with line snapshots, in their own series."""

    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("account_id", "number"),
                      Index("ix_invoices_corrects_id", "corrects_id", unique=True,
                            sqlite_where=text("withdrawn_at IS NULL"), postgresql_where=text("withdrawn_at IS NULL")),
                      Index("ix_invoices_account_issue_date", "account_id", "issue_date"))  # /report: a period

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="invoice", server_default="invoice")
    """``invoice`` or ``credit_note``."""
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    """A credit note's invoice. Unique among credit notes not withdrawn: however many /void race, one invoice gets
    one credit note in force."""
    number: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(8), default="open")
    """An invoice is ``open``, ``paid`` or ``void`` (overdue is open past its due date); a credit note ``issued``."""
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(16))
    """Dates and numbers on the PDF are written in this locale (one of :attr:`language`)."""
    language: Mapped[str] = mapped_column(String(8), default="en")
    """The language of its labels and sentences, fixed at issue (the client's, else the user's): a re-sent
    invoice reads as it was sent."""
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    tax_rate: Mapped[Decimal] = mapped_column(DecimalText())
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    discount_minor: Mapped[int | None] = mapped_column(BigInteger)
    """The discount taken off the work before tax (/invoice … discount); ``subtotal_minor`` is net of it."""
    discount_percent: Mapped[Decimal | None] = mapped_column(DecimalText())
    """The percentage the discount was given as ("discount 10%"); None for an amount."""
    seller_enc: Mapped[str] = mapped_column(Text)
    """Encrypted JSON snapshot of the business profile at issue (it holds payment details and the tax id)."""
    buyer: Mapped[str] = mapped_column(Text)
    """JSON snapshot of the client at issue."""
    notes: Mapped[str | None] = mapped_column(Text)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """A credit note whose void was undone (/undo) before it was sent: it keeps its number, and cancels nothing."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position", cascade="all, delete-orphan"
    )
    client: Mapped[Client] = relationship()
    corrects: Mapped[Invoice | None] = relationship(remote_side=[id], foreign_keys=[corrects_id])
    corrected_by: Mapped[Invoice | None] = relationship(
        primaryjoin=lambda: and_(remote(Invoice.corrects_id) == foreign(Invoice.id),
                                 remote(Invoice.withdrawn_at).is_(None)),
        viewonly=True, uselist=False)
    """A voided invoice's credit note (the one in force, not a withdrawn one)."""


class Payment(Base):
    """Money received against an invoice: several make a partial, then a full payment (an invoice is paid when its
    payments reach its total). A payment taken back (/unpaid, /undo) is marked removed rather than deleted, so
    /undo can put it back exactly; only payments without ``removed_at`` count."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_account_paid_on", "account_id", "paid_on"),)  # /report: a period's payments

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    """In the invoice's currency, in its minor unit."""
    paid_on: Mapped[date] = mapped_column(Date)
    """The day the money arrived, as the user said (their calendar)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InvoiceLine(Base):
    """A snapshot of one billed task: later rate or description changes don't touch an issued invoice."""

    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    work_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int | None] = mapped_column(Integer)
    """None for a fixed-price item (quantity 1)."""
    rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    tax_category: Mapped[str | None] = mapped_column(String(2))
    """The EN 16931 VAT category (S, Z, E, AE, G, O); None on invoices issued before categories existed."""
    tax_rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    """This line's rate in percent: lines of one invoice may differ (expenses); None as above."""
    kind: Mapped[str] = mapped_column(String(8), default="work", server_default="work")
    """``work`` or ``expense``: the PDF lists expenses in a section of their own."""

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Reminder(Base):
    """A scheduled message to one user, due at ``next_due_at`` (UTC), computed from their local time."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("account_id", "kind"),
        Index(
            "ix_reminders_due",
            "next_due_at",
            postgresql_where=text("paused = false"),
            sqlite_where=text("paused = 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    """``daily``, ``weekly`` or ``overdue``."""
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))
    local_time: Mapped[str] = mapped_column(String(5))
    """HH:MM in the account's timezone."""
    weekdays: Mapped[str] = mapped_column(String(7), default="0123456")
    """ISO weekdays it fires on, Monday = 0."""
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Set with ``/remind … on telegram``: it stays on that platform. Otherwise it follows the user to the platform
    they last wrote from (linked identities)."""
    pause_reason: Mapped[str | None] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    """The worker that claimed this reminder and hasn't sent it yet (see core/reminders.py)."""
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Past this instant another worker may take the claim over."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Email(Base):
    """One e-mail to a client (an invoice, a credit note, a payment reminder): the outbox row it is queued as, in
    the transaction of the command that asked for it, and the record of how its sending went (core/mail.py).

    Its Message-ID is fixed when it is queued, so every attempt carries the same one: a copy delivered by a retry
    after an unclear failure is recognisable as the same e-mail."""

    __tablename__ = "emails"
    __table_args__ = (
        Index("ix_emails_due", "next_attempt_at", postgresql_where=text("status = 'queued'"),
              sqlite_where=text("status = 'queued'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``invoice`` (an invoice or credit note, as issued) or ``reminder`` (a payment reminder for it)."""
    recipient: Mapped[str] = mapped_column(String(254))
    sender: Mapped[str] = mapped_column(String(254))
    reply_to: Mapped[str | None] = mapped_column(String(254))
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    """``queued`` (to be sent, or tried again at ``next_attempt_at``), ``sent`` or ``failed`` (given up)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    """The worker sending it right now; nobody else may until ``lease_expires_at``."""
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error_kind: Mapped[str | None] = mapped_column(String(16))
    """Why the last attempt failed (core/smtp.py ``KINDS``); None once sent."""
    server_reply: Mapped[str | None] = mapped_column(String(500))
    """The server's answer to the last attempt: its acceptance (``250 … queued as …``) or its refusal."""
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    invoice: Mapped[Invoice] = relationship()


class RecurringInvoice(Base):
    """A retainer: a fixed-price invoice to one client, issued by the scheduler every month on ``day`` or every
    week on weekday ``day``, in the user's timezone; announced in ``chat_id`` (their private chat)."""

    __tablename__ = "recurring_invoices"
    __table_args__ = (
        UniqueConstraint("account_id", "number"),
        Index("ix_recurring_invoices_due", "next_due_at", postgresql_where=text("active = true"),
              sqlite_where=text("active = 1")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    """Its ID in the account's own books (/recurring off ID)."""
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    """``monthly`` or ``weekly``."""
    day: Mapped[int] = mapped_column(Integer)
    """Day of the month (1–31; past a month's end: its last day) or ISO weekday (Monday = 0)."""
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text)
    send: Mapped[bool] = mapped_column(Boolean, default=False)
    """E-mail each invoice to the client as well."""
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))
    next_on: Mapped[date] = mapped_column(Date)
    """The local date of the next period to bill: each period is billed once, however late."""
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When the scheduler issues it: ``next_on`` at the issuing time in the user's timezone, or a retry's time."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    """Attempts in a row that could not issue (the profile lacks a name …): retried with a growing wait."""
    last_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship()


class ProcessedMessage(Base):
    """Ids of incoming deliveries already handled, inserted in the same transaction as their effect."""

    __tablename__ = "processed_messages"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    reply_enc: Mapped[str | None] = mapped_column(Text)
    """The answer to a delivery taken from the inbox, encrypted, kept until its inbox row is done: a row handled
    again after a crash (between the commit and "done") gets this answer again instead of being taken for a
    duplicate and left unanswered."""


class InboxItem(Base):
    """A delivery stored before it is acknowledged to the platform (SPEC §11: nothing received is lost).

    A webhook or Slack request gets its 200, and a polled Telegram update is confirmed, only once its row is
    committed; any ``invoicebot run`` process then claims it (a lease: ``claimed_by`` until ``claimed_until``, taken
    over when it runs out, e.g. after kill -9), hands it to its channel and marks it ``done_at`` once answered."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("platform", "key"),
        Index("ix_inbox_waiting", "platform", "chat", "id", postgresql_where=text("done_at IS NULL"),
              sqlite_where=text("done_at IS NULL")),
        Index("ix_inbox_next", "platform", "id", postgresql_where=text("done_at IS NULL"),
              sqlite_where=text("done_at IS NULL")),
        Index("ix_inbox_done_at", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(128))
    """The platform's delivery key, the core's ``Incoming.message_id`` (``tg:<update_id>``): a re-delivery of a
    stored one changes nothing."""
    chat: Mapped[str] = mapped_column(String(64))
    """One conversation's rows are taken in order, one at a time."""
    payload_enc: Mapped[str | None] = mapped_column(Text)
    """The verified request body as received (a Telegram update's JSON), encrypted: it holds what the user typed
    (payment details, /link codes) and Slack's response_url."""
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The body of a row stored before bodies were encrypted (migration 0025), read until it is handled."""
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A personal token for the REST API (``/token new``): only its SHA-256 hash is kept, so a copy of the database
    gives nobody a way in; the token itself is shown once, when it is made."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("account_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    """What the user calls it (/token revoke 2): its place among the account's tokens, never reused."""
    name: Mapped[str] = mapped_column(String(60))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """Hex SHA-256 of the whole token: a token is 32 random bytes, so a plain hash can't be guessed back."""
    hint: Mapped[str] = mapped_column(String(16))
    """The token's first characters (``ib_AbC1…``), so the list tells tokens apart without showing them."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IdempotentRequest(Base):
    """The first answer to a POST sent with an ``Idempotency-Key``, kept 24 hours per token: a retry with the same
    key gets this answer again instead of acting twice."""

    __tablename__ = "idempotent_requests"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the method, path and body: the same key sent with another request is refused (422)."""
    status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class LinkCode(Base):
    """A one-time code from /link: typed as /link CODE in another chat, that chat's identity joins this account.

    The code is ``LOOK-SECRET``: the public part finds the row, only the secret's hash is kept. Valid 10 minutes,
    once; five wrong secrets for one code lock it."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    lookup: Mapped[str] = mapped_column(String(8), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0)


class ImportedEntry(Base):
    """An entry of a Toggl Track or Clockify export that became tasks (/import): its stable key, so importing the
    same export again (or an overlapping one) adds only what is new. Kept when one of its tasks is deleted (the
    user took it out on purpose); removed with the import when /undo takes the import back."""

    __tablename__ = "imported_entries"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    """Hex SHA-256 of the entry's identifying fields (core.timesheets)."""
    change_id: Mapped[int] = mapped_column(Integer, index=True)
    """The journal's ``import.add`` change of the import that brought it: /undo of that import removes these."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
