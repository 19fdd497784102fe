"""Linked identities: one set of books reached from several chats (Telegram on the phone, Slack at the desk).

``/link`` makes a one-time code in the account that should be joined; ``/link CODE`` typed in another chat moves
that chat's identity to it. An identity that already has books of its own can bring them along: its clients join
the account's (one of the same name is merged into it), its tasks are numbered on after the account's, its invoices
keep their numbers — so two invoices with the same number stop the merge before anything changes.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from core.errors import UserError
from core.i18n import _
from core.journal import next_change_seq
from core.models import (
    Account,
    ApiToken,
    Base,
    Change,
    Client,
    Identity,
    ImportedEntry,
    Invoice,
    InvoiceCounter,
    LinkCode,
    Reminder,
    Task,
    Timer,
)
from core.tasks import next_task_number

VALID_FOR = timedelta(minutes=10)
MAX_FAILURES = 5
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code is read off one screen and typed on another."""
LOOKUP_LENGTH, SECRET_LENGTH = 4, 6


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_code(session: Session, account: Account, now: datetime) -> str:
    """A fresh code for the account (any earlier one it had stops working)."""
    session.execute(update(LinkCode).where(LinkCode.account_id == account.id, LinkCode.used_at.is_(None))
                    .values(used_at=now))
    session.execute(delete(LinkCode).where(LinkCode.expires_at < now - timedelta(days=1)))  # no pile of old codes
    while True:
        lookup = _random(LOOKUP_LENGTH)
        if session.scalar(select(LinkCode.id).where(LinkCode.lookup == lookup)) is None:
            break
    secret = _random(SECRET_LENGTH)
    session.add(LinkCode(account_id=account.id, lookup=lookup, secret_hash=_hash(secret), created_at=now,
                         expires_at=now + VALID_FOR, failures=0))
    session.flush()
    return f"{lookup}-{secret}"


def redeem_code(session: Session, typed: str, now: datetime) -> tuple[int | None, str | None]:
    """The account a typed code joins, and None; or None and why not. A wrong secret is counted against its code
    (the caller commits that even though nothing is linked); the fifth locks the code."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    invalid = _("That code doesn't work: it is wrong, used or older than 10 minutes. Send /link in the chat whose "
                "books you want, then type the code it gives here.")
    if len(cleaned) != LOOKUP_LENGTH + SECRET_LENGTH:
        return None, invalid
    lookup, secret = cleaned[:LOOKUP_LENGTH], cleaned[LOOKUP_LENGTH:]
    code = session.scalar(select(LinkCode).where(LinkCode.lookup == lookup).with_for_update())
    if code is None or code.used_at is not None or code.expires_at <= now or code.failures >= MAX_FAILURES:
        return None, invalid
    if not hmac.compare_digest(code.secret_hash, _hash(secret)):
        code.failures += 1
        if code.failures >= MAX_FAILURES:
            return None, _("That code is wrong, and it has now been tried five times, so it no longer works. Send "
                           "/link again for a new one.")
        return None, invalid
    code.used_at = now
    return code.account_id, None


def has_books(session: Session, account: Account) -> bool:
    """Whether the account holds anything worth keeping: a client, a task or an invoice."""
    return bool(session.scalar(select(
        exists().where(Client.account_id == account.id) | exists().where(Task.account_id == account.id)
        | exists().where(Invoice.account_id == account.id))))


def join(session: Session, identity: Identity, source: Account, target: Account, now: datetime, *,
         move_books: bool) -> None:
    """Move the identity (and with ``move_books`` every other identity and all the books of ``source``) to
    ``target``; ``source`` is deleted once nothing reaches it."""
    session.flush()  # what this message changed on the source account is written while the account exists
    if move_books:
        merge_books(session, source, target, now)
        session.execute(update(Identity).where(Identity.account_id == source.id).values(account_id=target.id))
    else:
        identity.account_id = target.id
    session.flush()
    if session.scalar(select(func.count()).select_from(Identity).where(Identity.account_id == source.id)) == 0:
        session.execute(delete(Account).where(Account.id == source.id))


def merge_books(session: Session, source: Account, target: Account, now: datetime) -> None:
    """Everything of ``source`` into ``target``, or (UserError) nothing at all."""
    clash = list(session.scalars(select(Invoice.number).where(Invoice.account_id == source.id, Invoice.number.in_(
        select(Invoice.number).where(Invoice.account_id == target.id)))))
    if clash:
        raise UserError(_("Both sets of books have invoice {numbers}, and invoices keep their numbers, so I can't "
                          "put them together. Nothing was changed.").format(numbers=", ".join(clash[:5])))
    timers = session.scalar(select(func.count()).select_from(Timer).where(Timer.account_id.in_((source.id,
                                                                                                 target.id))))
    if timers and timers > 1:
        raise UserError(_("A timer runs in both sets of books; stop one (/stop) and try again. Nothing was changed."))
    theirs = {c.name_key: c for c in session.scalars(select(Client).where(Client.account_id == target.id))}
    for client in list(session.scalars(select(Client).where(Client.account_id == source.id))):
        same = theirs.get(client.name_key)
        if same is None:
            client.account_id = target.id
            continue
        for rows in Base.metadata.sorted_tables:  # tasks, invoices, timers, retainers … whatever names a client
            if "client_id" in rows.c:
                session.execute(rows.update().where(rows.c.client_id == client.id).values(client_id=same.id))
        session.flush()
        session.delete(client)
    session.flush()
    for task in list(session.scalars(select(Task).where(Task.account_id == source.id).order_by(Task.number))):
        number = next_task_number(session, target)
        task.account_id, task.number = target.id, number
        session.flush()
    for counter in list(session.scalars(select(InvoiceCounter).where(InvoiceCounter.account_id == source.id))):
        own = session.get(InvoiceCounter, (target.id, counter.scope))
        if own is None:
            session.add(InvoiceCounter(account_id=target.id, scope=counter.scope, next_seq=counter.next_seq))
        else:
            own.next_seq = max(own.next_seq, counter.next_seq)
        session.delete(counter)
    kinds = set(session.scalars(select(Reminder.kind).where(Reminder.account_id == target.id)))
    session.execute(delete(Reminder).where(Reminder.account_id == source.id, Reminder.kind.in_(kinds)))
    last_token = session.scalar(select(func.max(ApiToken.number)).where(ApiToken.account_id == target.id)) or 0
    for offset, token in enumerate(session.scalars(select(ApiToken).where(ApiToken.account_id == source.id)
                                                   .order_by(ApiToken.number)), 1):
        token.account_id, token.number = target.id, last_token + offset
    # Their journal joins the account's, in order, as changes that can no longer be undone (they were made in
    # other books); the event stream announces each one.
    for change in list(session.scalars(select(Change).where(Change.account_id == source.id).order_by(Change.seq))):
        seq = next_change_seq(session, target)
        change.account_id, change.seq = target.id, seq
        change.undone_at = change.undone_at or now
        session.flush()
    # An entry both books imported from the same export is remembered once (the unique key per account).
    session.execute(delete(ImportedEntry).where(ImportedEntry.account_id == source.id, ImportedEntry.key.in_(
        select(ImportedEntry.key).where(ImportedEntry.account_id == target.id))))
    for rows in Base.metadata.sorted_tables:  # every other table of the books (invoices, payments, receipts …)
        if "account_id" in rows.c and rows.name not in ("accounts", "identities", "profiles", "link_codes"):
            session.execute(rows.update().where(rows.c.account_id == source.id).values(account_id=target.id))
    session.flush()


def unlink(session: Session, identity: Identity, account: Account, now: datetime, default_tz: str) -> Account:
    """The identity leaves the account for new, empty books of its own; the reminders it received go to another of
    the account's identities."""
    others = list(session.scalars(select(Identity).where(Identity.account_id == account.id,
                                                         Identity.id != identity.id).order_by(Identity.id)))
    if not others:
        raise UserError(_("This chat is the only one using these books, so there is nothing to unlink."))
    fresh = Account(timezone=account.timezone or default_tz, created_at=now)
    from core.models import Profile

    fresh.profile = Profile(locale=account.profile.locale)
    session.add(fresh)
    session.flush()
    identity.account_id = fresh.id
    heir = next((other for other in others if other.platform == identity.platform), others[0])
    session.execute(update(Reminder).where(Reminder.account_id == account.id,
                                           Reminder.platform == identity.platform,
                                           Reminder.chat_id == identity.platform_user_id)
                    .values(platform=heir.platform, chat_id=heir.platform_user_id))
    session.flush()
    return fresh
