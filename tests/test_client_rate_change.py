"""Changing a client's rate says how many unbilled tasks change price and offers a button that keeps their old
rate; tasks with their own rate or a fixed price are not counted, billed work never changes."""
from __future__ import annotations

from tests.conftest import SELLER_PROFILE, Conversation


def _set_up(chat: Conversation) -> None:
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client add Globex rate 60"):
        chat.say(line)


def test_the_reply_counts_the_repriced_tasks_and_the_button_keeps_their_rate(chat: Conversation) -> None:
    _set_up(chat)
    for line in ("2h design for ACME", "1h review for ACME", "1h rush for ACME @ 120/h", "€500 website for ACME",
                 "1h call for Globex"):
        chat.say(line)
    reply = chat.say("/client set ACME rate 100")
    assert reply.text == ("Updated rate of ACME: ACME — €100.00/h.\n"
                          "2 unbilled tasks change price: they were at €80.00/h and are at €100.00/h now.")
    assert [action.label for action in reply.actions] == ["Keep €80.00/h for those 2"]
    assert "#1 24 Nov 2026 · 2h · design · €200.00 at €100.00/h" in chat.text("/tasks ACME")
    kept = chat.text(reply.actions[0].command)
    assert kept == ("Kept €80.00/h for 2 unbilled tasks of ACME (#1 #2); new work is billed at the client's rate.")
    listing = chat.text("/tasks ACME")
    assert "#1 24 Nov 2026 · 2h · design · €160.00 at €80.00/h" in listing
    assert "#2 24 Nov 2026 · 1h · review · €80.00 at €80.00/h" in listing
    assert "#3 24 Nov 2026 · 1h · rush · €120.00 at €120.00/h" in listing
    assert "€100.00 at €100.00/h" in chat.text("1h more for ACME")
    assert "€60.00 at €60.00/h" in chat.text("/tasks Globex")


def test_undo_takes_the_kept_rate_back(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("2h design for ACME")
    reply = chat.say("/client set ACME rate 100")
    kept = chat.say(reply.actions[0].command)
    assert kept.text.startswith("Kept €80.00/h for 1 unbilled task of ACME (#1)")
    assert "€200.00 at €100.00/h" in chat.text(kept.actions[0].command)
    assert "€200.00 at €100.00/h" in chat.text("/tasks ACME")


def test_no_button_when_nothing_changes_price(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("€500 website for ACME")
    chat.say("1h rush for ACME @ 120/h")
    reply = chat.say("/client set ACME rate 100")
    assert reply.text == "Updated rate of ACME: ACME — €100.00/h."
    assert reply.actions == ()


def test_tasks_billed_meanwhile_keep_what_they_billed(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("2h design for ACME")
    reply = chat.say("/client set ACME rate 100")
    chat.invoice("/invoice ACME")
    assert chat.text(reply.actions[0].command) == (
        "Nothing changed: those tasks were billed, deleted or given their own price meanwhile.")
    assert chat.text(reply.actions[0].command) == "You already answered that question."


def test_a_client_without_a_rate_prices_its_tasks_with_no_button(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("/client add Initech")
    chat.say("2h audit for Initech")
    reply = chat.say("/client set Initech rate 90")
    assert reply.text.endswith("1 unbilled task had no rate and is priced at €90.00/h now.")
    assert reply.actions == ()
