"""Delivery ids and open questions are kept only for a while; an id Telegram reuses after a week of silence is a
new message, not a re-delivery."""
from __future__ import annotations

from sqlalchemy import func, select

from core.models import PendingChoice, ProcessedMessage
from core.retention import prune
from tests.conftest import Conversation


def test_a_reused_update_id_after_a_week_of_silence_is_a_new_message(chat: Conversation, clock) -> None:
    assert chat.say("/help", message_id="tg:1000") is not None
    clock.advance(hours=20)
    assert chat.say("/help", message_id="tg:1000") is None  # Telegram retrying: a re-delivery
    clock.advance(days=8)
    assert chat.say("/help", message_id="tg:1000") is not None  # the same id picked again, for a new update
    assert chat.say("/help", message_id="tg:1000") is None  # and that one is recognised in its turn


def test_old_delivery_ids_and_questions_are_pruned_and_recent_ones_kept(chat: Conversation, clock,
                                                                        sessions) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("/client add ACNE rate 80")
    chat.say("2h design for AC", message_id="old")  # asks which client: an open question
    clock.advance(days=40)
    chat.say("2h design for AC", message_id="new")  # another question, still open
    with sessions.begin() as session:
        pruned = prune(session, clock())
    assert (pruned.delivery_ids, pruned.questions) == (1, 1)
    with sessions() as session:
        assert session.scalars(select(ProcessedMessage.message_id)).all() == ["new"]
        assert session.scalar(select(func.count()).select_from(PendingChoice)) == 1
