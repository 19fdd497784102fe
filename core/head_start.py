"""Head starts: slow work a command does before its message's transaction, then checks and uses inside it.

On SQLite every message's transaction holds the database's one write lock from its first statement (BEGIN
IMMEDIATE), so whatever a command computes inside it, every other user waits for. A command whose slow part depends
only on what it reads (the e-invoice of /invoice and /void: 50–100 ms for 500 lines) may do that part first, in a
read-only transaction that holds nobody up (:func:`core.storage.reading`). Inside its transaction the handler takes
the result with :func:`taken` and uses it only for exactly the inputs it was made from; otherwise it does the
work again as if nothing had been prepared. So nothing depends on the preparation being right: it is a head start.
"""
from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core.context import Context
from core.errors import UserError
from core.messages import Incoming
from core.models import Account, Identity
from core.storage import reading

if TYPE_CHECKING:
    from core.app import Core

log = logging.getLogger(__name__)

_made: ContextVar[tuple[Incoming, object] | None] = ContextVar("head_start", default=None)


def run(core: Core, incoming: Incoming, parts: tuple[str, str] | None) -> None:
    """Run the head start of the command ``parts`` names (its name and arguments; None: not a command), if it has
    one and the sender has an account. Any refusal or failure just means no head start: the handler meets it
    again, and answers it, inside its transaction."""
    _made.set(None)
    if parts is None:
        return
    name, args = parts
    command = core.command(name)
    if command is None or command.head_start is None:
        return
    try:
        with reading(core.sessions) as session:
            account = session.scalar(
                select(Account).join(Identity, Identity.account_id == Account.id).outerjoin(Account.profile)
                .where(Identity.platform == incoming.platform, Identity.platform_user_id == incoming.user_id)
                .options(contains_eager(Account.profile)))
            if account is None or account.profile is None:
                return
            ctx = Context(session, account, incoming, core.clock(), core.cipher, core.commands,
                          core.mailer.setup if core.mailer else None)
            _made.set((incoming, command.head_start(ctx, args)))
    except UserError:
        pass
    except Exception:  # the handler meets the cause again inside its transaction; a head start lost is work moved there
        log.warning("the head start of /%s failed; its work is done inside the transaction", name, exc_info=True)


def taken(incoming: Incoming) -> object | None:
    """What the command's head start made for this very message (None: nothing, or made for another one)."""
    made = _made.get()
    return made[1] if made is not None and made[0] is incoming else None


def clear() -> None:
    """Let go of what the head start made once its message is handled (a document with its receipts, the XML)."""
    _made.set(None)
