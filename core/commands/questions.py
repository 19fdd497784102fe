"""The questions a command asks with buttons: each kept as a pending choice that ``/pick QUESTION OPTION`` answers
(core/commands/work.py)."""
from __future__ import annotations

import json

from core.context import Context
from core.models import PendingChoice


def keep_question(ctx: Context, text: str, options: list[dict]) -> int:
    """Store the question's ``options`` (what each answer does, in button order) and return its number for the
    buttons' ``/pick`` commands; ``text`` is the command it answers."""
    pending = PendingChoice(account_id=ctx.account.id, text=text, options=json.dumps(options), created_at=ctx.now)
    ctx.session.add(pending)
    ctx.session.flush()
    return pending.id
