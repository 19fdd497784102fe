"""/link, /link CODE, /unlink: one set of books from several chats (Telegram, Slack, the terminal)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core import links
from core.commands.questions import keep_question
from core.context import Context
from core.errors import UserError
from core.i18n import _
from core.messages import Action, Reply
from core.models import Account, Identity


def link(ctx: Context, args: str) -> Reply:
    """Marked private (core/commands/__init__.py): a group never gets here, nor sees it in its command menu."""
    typed = args.strip()
    if not typed:
        code = links.new_code(ctx.session, ctx.account, ctx.now)
        return Reply(_("To use these books from another chat (Telegram, Slack or the terminal), send this there "
                       "within 10 minutes:\n/link {code}\nThe code works once.").format(code=code), sensitive=True)
    target_id, problem = links.redeem_code(ctx.session, typed, ctx.now)
    if target_id is None:
        assert problem is not None
        return Reply(problem)  # answered, not raised: a wrong try is counted (kept) though nothing is linked
    if target_id == ctx.account.id:
        return Reply(_("This chat already uses those books."))
    identity = _identity(ctx)
    target = ctx.session.get(Account, target_id)
    if target is None:
        raise UserError(_("Those books no longer exist; nothing was linked."))
    if not links.has_books(ctx.session, ctx.account):
        links.join(ctx.session, identity, ctx.account, target, ctx.now, move_books=False)
        return Reply(_("Linked: this chat now uses the same books as the chat that made the code. /tasks and "
                       "/invoices show them; /unlink ends it."))
    until = (ctx.now + links.VALID_FOR).isoformat()
    pending_id = keep_question(ctx, "/link", [{"op": "link_move", "target": target_id, "until": until},
                                            {"op": "link_cancel"}])
    return Reply(_("This chat has books of its own. Move them in? Clients with the same name become one, tasks are "
                   "numbered on after the others, invoices keep their numbers. Or cancel, and nothing is linked."),
                 actions=(Action(_("Move them in"), f"/pick {pending_id} 1"), Action(_("Cancel"), f"/pick {pending_id} 2")))


def answer_link_question(ctx: Context, option: dict) -> Reply:
    """The answer to the question :func:`link` asks of a chat that has books of its own (through /pick)."""
    if option["op"] == "link_cancel":
        return Reply(_("Nothing was linked; the books in this chat stay as they are."))
    if ctx.now > datetime.fromisoformat(option["until"]):
        raise UserError(_("That question is older than 10 minutes; send /link in the other chat for a new code."))
    target = ctx.session.get(Account, option["target"])
    if target is None:
        raise UserError(_("Those books no longer exist; nothing was linked."))
    links.join(ctx.session, _identity(ctx), ctx.account, target, ctx.now, move_books=True)
    return Reply(_("Linked, and your books moved in: /tasks and /invoices show everything together."))


def unlink(ctx: Context, args: str) -> Reply:
    links.unlink(ctx.session, _identity(ctx), ctx.account, ctx.now, ctx.account.timezone)
    return Reply(_("Unlinked: this chat starts again with empty books; your books stay with your other chats. "
                   "/link joins them again."))


def _identity(ctx: Context) -> Identity:
    identity = ctx.session.scalar(select(Identity).where(Identity.platform == ctx.incoming.platform,
                                                         Identity.platform_user_id == ctx.incoming.user_id))
    assert identity is not None  # the dispatcher resolved the account through it
    return identity
