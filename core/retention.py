"""What is kept only for a while: delivery ids (for recognising re-deliveries) and the bot's open questions.

A platform re-delivers an update within hours (Telegram retries a webhook for about a day; Slack three times in
minutes), so a delivery id is kept for :data:`DELIVERY_IDS_KEPT` and then pruned; a delivery whose id was last seen
longer ago than that is a new one — Telegram picks ``update_id`` at random again after a week without updates, so
an old id can come back for a new message (see ``Core._first_delivery``). A question the bot asked (which client
did you mean?) is answered within minutes or never: those older than :data:`QUESTIONS_KEPT` go, and answered ones
a day after their answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, or_
from sqlalchemy.orm import Session

from core.models import PendingChoice, ProcessedMessage

DELIVERY_IDS_KEPT = timedelta(days=3)
QUESTIONS_KEPT = timedelta(days=30)
ANSWERED_KEPT = timedelta(days=1)
"""An answered question is kept a day, so a second tap on its button still hears "already answered"."""


@dataclass(frozen=True)
class Pruned:
    delivery_ids: int
    questions: int
    inbox_rows: int


def prune(session: Session, now: datetime) -> Pruned:
    """Delete expired delivery ids (a range on their ``received_at`` index), old or long-answered questions and
    inbox rows done a while ago."""
    from core.inbox import prune_done  # imported here: the dispatcher reads this module's constants at every start

    ids = session.execute(delete(ProcessedMessage).where(ProcessedMessage.received_at < now - DELIVERY_IDS_KEPT))
    questions = session.execute(delete(PendingChoice).where(or_(
        PendingChoice.created_at < now - QUESTIONS_KEPT, PendingChoice.answered_at < now - ANSWERED_KEPT)))
    return Pruned(cast(CursorResult[Any], ids).rowcount, cast(CursorResult[Any], questions).rowcount,
                  prune_done(session, now))
