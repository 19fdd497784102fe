"""/link, /link CODE, /unlink: one set of books from Telegram, Slack and the terminal."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from core.models import Account, Identity, Invoice, LinkCode, Reminder
from tests.conftest import SELLER_PROFILE, Conversation, FixedClock

CODE = re.compile(r"/link ([A-Z0-9]{4}-[A-Z0-9]{6})")


def code_from(chat: Conversation) -> str:
    reply = chat.say("/link")
    assert reply is not None and reply.sensitive
    found = CODE.search(reply.text)
    assert found is not None, reply.text
    return found.group(1)


def accounts(sessions) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Account)) or 0)


def test_a_new_chat_joins_the_books_with_a_code_and_sees_them(core, sessions) -> None:  # type: ignore[no-untyped-def]
    phone = Conversation(core, user="4001", platform="telegram")
    desk = Conversation(core, user="T1:U1", platform="slack")
    phone.text("/client add ACME rate 80")
    phone.text("2h logo design for ACME yesterday")
    desk.text("/help")  # Slack knows this user already: an empty account
    assert accounts(sessions) == 2
    joined = desk.text("/link " + code_from(phone).lower().replace("-", " "))  # typed loosely
    assert joined.startswith("Linked: this chat now uses the same books")
    assert accounts(sessions) == 1  # the empty one is gone
    assert "logo design" in desk.text("/tasks")
    desk.text("1h call for ACME")
    assert "call" in phone.text("/tasks")  # one set of books, both ways
    assert desk.text("/link " + code_from(phone)) == "This chat already uses those books."


def test_a_code_works_once_for_ten_minutes_and_five_wrong_tries_lock_it(core, clock: FixedClock, sessions) -> None:  # type: ignore[no-untyped-def]
    owner = Conversation(core, user="owner")
    owner.text("/client add ACME rate 80")
    code = code_from(owner)
    lookup = code.split("-")[0]
    guesser = Conversation(core, user="9001", platform="telegram")
    refused = "That code doesn't work: it is wrong, used or older than 10 minutes."
    for wrong in ("AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD"):
        assert guesser.text(f"/link {lookup}-{wrong}").startswith(refused)
    assert guesser.text(f"/link {lookup}-EEEEEE").startswith("That code is wrong, and it has now been tried five")
    assert guesser.text(f"/link {code}").startswith(refused)  # locked: even the right secret is refused now
    with sessions() as session:
        assert session.scalar(select(LinkCode.failures)) == 5
    fresh = code_from(owner)
    clock.advance(minutes=10, seconds=1)
    assert guesser.text(f"/link {fresh}").startswith(refused)  # too old
    third = code_from(owner)
    assert guesser.text(f"/link {third}").startswith("Linked")
    assert Conversation(core, user="someone-else").text(f"/link {third}").startswith(refused)  # used once


def test_books_of_the_joining_chat_move_in_merging_clients_and_keeping_invoice_numbers(core, sessions) -> None:  # type: ignore[no-untyped-def]
    phone = Conversation(core, user="4001", platform="telegram")
    for line in SELLER_PROFILE:
        phone.text(line)
    phone.text("/client add ACME rate 80")
    phone.text("2h logo for ACME")
    desk = Conversation(core, user="T1:U1", platform="slack")
    for line in SELLER_PROFILE:
        desk.text(line)
    desk.text("/profile set number_format SL-{year}-{seq:03}")
    desk.text("/client add acme rate 90")
    desk.text("/client add Globex rate 60")
    desk.text("1h call for ACME")
    desk.text("3h audit for Globex")
    desk.invoice("/invoice Globex")
    asked = desk.say("/link " + code_from(phone))
    assert asked is not None and asked.text.startswith("This chat has books of its own. Move them in?")
    assert [a.label for a in asked.actions] == ["Move them in", "Cancel"]
    assert desk.text(asked.actions[0].command) == ("Linked, and your books moved in: /tasks and /invoices show "
                                                   "everything together.")
    assert accounts(sessions) == 1
    tasks = phone.text("/tasks")
    assert "#1" in tasks and "#2" in tasks and "call" in tasks and "logo" in tasks  # numbered on after the account's
    assert phone.text("/clients").count("ACME") == 1 and "Globex" in phone.text("/clients")
    assert "SL-2026-001" in phone.text("/invoices")
    phone.text("1h more for ACME")
    assert "#4" in desk.text("/tasks")
    with sessions() as session:
        assert session.scalar(select(Invoice.number)) == "SL-2026-001"


def test_cancel_links_nothing_and_clashing_invoice_numbers_stop_the_merge(core, sessions) -> None:  # type: ignore[no-untyped-def]
    phone, desk = Conversation(core, user="4001", platform="telegram"), Conversation(core, user="ada")
    for chat in (phone, desk):
        for line in SELLER_PROFILE:
            chat.text(line)
        chat.text("/client add ACME rate 80")
        chat.text("2h logo for ACME")
        chat.invoice("/invoice ACME")
    asked = desk.say("/link " + code_from(phone))
    assert asked is not None
    assert desk.text(asked.actions[1].command) == "Nothing was linked; the books in this chat stay as they are."
    asked = desk.say("/link " + code_from(phone))
    assert asked is not None
    assert desk.text(asked.actions[0].command).startswith("Both sets of books have invoice INV-2026-0001")
    assert accounts(sessions) == 2


def test_unlink_leaves_the_books_to_the_other_chats_and_starts_empty(core, sessions) -> None:  # type: ignore[no-untyped-def]
    phone = Conversation(core, user="4001", platform="telegram")
    phone.text("/client add ACME rate 80")
    phone.text("2h logo for ACME")
    phone.text("/remind daily 18:00")
    desk = Conversation(core, user="T1:U1", platform="slack")
    desk.text("/link " + code_from(phone))
    assert phone.text("/unlink").startswith("Unlinked: this chat starts again with empty books")
    assert "logo" not in phone.text("/tasks") and "logo" in desk.text("/tasks")
    with sessions() as session:
        reminder = session.scalars(select(Reminder)).one()
        owner = session.scalar(select(Identity).where(Identity.platform == "slack"))
        assert (reminder.platform, reminder.chat_id, reminder.account_id) == ("slack", "T1:U1", owner.account_id)
    assert desk.text("/unlink") == "This chat is the only one using these books, so there is nothing to unlink."
    group = Conversation(core, user="T1:U2", platform="slack", private=False)
    assert group.text("/link") == ("/link is about your own books, so I only answer it in a private chat: message me "
                                   "directly.")
    assert group.text("/unlink") == ("/unlink is about your own books, so I only answer it in a private chat: message "
                                     "me directly.")


def reminder_places(sessions) -> dict[str, tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return {r.kind: (r.platform, r.chat_id, r.pinned) for r in session.scalars(select(Reminder))}


def test_reminders_follow_the_platform_last_used_unless_pinned_with_on(core, sessions) -> None:  # type: ignore[no-untyped-def]
    phone = Conversation(core, user="4001", platform="telegram")
    desk = Conversation(core, user="T1:U1", platform="slack")
    assert desk.text("/remind daily 18:00 on telegram").startswith(
        "These books aren't linked to Telegram yet: send /link here and type the code there")
    phone.text("/remind daily 18:00")
    desk.text("/link " + code_from(phone))
    assert reminder_places(sessions) == {"daily": ("telegram", "4001", False)}
    desk.text("/tasks")  # working at the desk now: the nudge comes to Slack
    assert reminder_places(sessions)["daily"] == ("slack", "T1:U1", False)
    phone.text("/tasks")
    assert reminder_places(sessions)["daily"] == ("telegram", "4001", False)
    pinned = desk.text("/remind weekly fri 16:00 on telegram")
    assert "in Telegram" in pinned
    desk.text("/tasks")
    assert reminder_places(sessions) == {"daily": ("slack", "T1:U1", False), "weekly": ("telegram", "4001", True)}
    assert "here in Slack" in desk.text("/remind daily 18:00 on slack")
    phone.text("/tasks")
    assert reminder_places(sessions)["daily"] == ("slack", "T1:U1", True)
