"""/forget me: the way to leave — everything the bot keeps of the user is deleted, after one confirmation."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from core import erasure
from core.commands.questions import keep_question
from core.context import Context
from core.errors import UserError
from core.i18n import _, ngettext
from core.messages import Action, Reply

VALID_FOR = timedelta(minutes=10)
"""A "Delete everything" button found in the chat days later should not still work."""


def forget(ctx: Context, args: str) -> Reply:
    """Marked private (core/commands/__init__.py): a group never gets here, nor sees it in its command menu."""
    if args.strip().lower() != "me":
        raise UserError(_("/forget me deletes everything I keep for you — clients, tasks, invoices, settings — after "
                          "asking you to confirm. Type it exactly so: /forget me"))
    books = erasure.count_books(ctx.session, ctx.account)
    until = (ctx.now + VALID_FOR).isoformat()
    pending_id = keep_question(ctx, "/forget me", [{"op": "forget", "until": until}, {"op": "forget_cancel"}])
    described = _describe(books)
    what = (_("This deletes everything I keep for you, for good: {books}, your profile and settings.").format(
        books=described) if described else _("This deletes everything I keep for you, for good: your profile and "
                                             "settings."))
    return Reply("\n\n".join((
        what,
        _("/undo can't bring any of it back. Want a copy first? /export tasks and /export invoices send your books "
          "as CSV files."),
        _("Invoices you issued may have to be kept for years by law (for example 10 years in Germany, 6 in France): "
          "keep your own copies if that applies to you."),
    )), actions=(Action(_("Delete everything"), f"/pick {pending_id} 1"), Action(_("Cancel"), f"/pick {pending_id} 2")))


def answer_forget_question(ctx: Context, option: dict) -> Reply:
    """The answer to the confirmation :func:`forget` asks (through /pick)."""
    if option["op"] == "forget_cancel":
        return Reply(_("Nothing was deleted."))
    if ctx.now > datetime.fromisoformat(option["until"]):
        raise UserError(_("That question is older than 10 minutes, so nothing was deleted; send /forget me again."))
    names = erasure.document_names(ctx.session, ctx.account)
    erasure.erase_account(ctx.session, ctx.account)
    engine = ctx.session.get_bind()
    reply = Reply(_("Everything is deleted."), erased=names)

    def finish() -> Reply:
        erasure.checkpoint(engine)  # type: ignore[arg-type]  # sessions are bound to an Engine (core/storage.py)
        return reply

    return replace(reply, finish=finish)


def _describe(books: erasure.Books) -> str:
    counts = (
        (books.clients, ngettext("{n} client", "{n} clients", books.clients)),
        (books.tasks, ngettext("{n} task", "{n} tasks", books.tasks)),
        (books.expenses, ngettext("{n} expense", "{n} expenses", books.expenses)),
        (books.invoices, ngettext("{n} invoice", "{n} invoices", books.invoices)),
        (books.credit_notes, ngettext("{n} credit note", "{n} credit notes", books.credit_notes)),
        (books.payments, ngettext("{n} payment", "{n} payments", books.payments)),
        (books.retainers, ngettext("{n} retainer", "{n} retainers", books.retainers)),
        (books.reminders, ngettext("{n} reminder", "{n} reminders", books.reminders)),
        (books.chats - 1, ngettext("{n} other chat that uses these books (it starts afresh too)",
                                   "{n} other chats that use these books (they start afresh too)", books.chats - 1)),
    )
    return ", ".join(text.format(n=n) for n, text in counts if n)
