"""More than 8 clients: "which client?" offers the likely ones (worked for most recently) as buttons and says how
to type any other's name; a whole later word of a name finds the client ("Ромашка" is "ООО Ромашка"), and two
clients sharing that word are still a question."""
from __future__ import annotations

from tests.conftest import Conversation

NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo"]


def _set_up(chat: Conversation) -> None:
    for name in NAMES:
        chat.say(f"/client add {name} rate 80")


def test_the_likely_clients_come_first_and_any_other_can_be_typed(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("1h call for Kilo")
    chat.say("1h call for Juliett")
    asked = chat.say("2h design")
    labels = [action.label for action in asked.actions]
    assert len(labels) == 8
    assert labels[:2] == ["Juliett", "Kilo"]  # the most recent first
    assert labels[2:] == ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
    question = asked.actions[0].command.split()[1]
    assert f"Not among these? Send /pick {question} and the client's name" in asked.text
    logged = chat.text(f"/pick {question} india")
    assert logged.startswith("Logged #3: 2h for India on 24 Nov 2026 — design")
    assert chat.text(f"/pick {question} india") == "You already answered that question."


def test_a_typed_name_that_fits_no_client_or_two_changes_nothing(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("/client add Hotelier rate 80")
    asked = chat.say("2h design")
    question = asked.actions[0].command.split()[1]
    assert chat.text(f"/pick {question} Zulu").startswith("I don't know a client called “Zulu”")
    two = chat.say(f"/pick {question} hot")
    assert "matches more than one client (Hotel, Hotelier)" in two.text
    assert [action.command for action in two.actions] == [f"/pick {question} Hotel", f"/pick {question} Hotelier"]
    assert chat.text("/tasks") == "No unbilled work. Log some, e.g. “2h design for ACME”."
    assert chat.text(two.actions[1].command).startswith("Logged #1: 2h for Hotelier")


def test_the_hidden_typed_option_is_no_button_number(chat: Conversation) -> None:
    _set_up(chat)
    asked = chat.say("2h design")
    question = asked.actions[0].command.split()[1]
    assert chat.text(f"/pick {question} 9") == "That question has options 1 to 8."


def test_few_clients_need_no_typed_name(chat: Conversation) -> None:
    chat.say("/client add Alpha rate 80")
    chat.say("/client add Bravo rate 80")
    asked = chat.say("2h design")
    assert [action.label for action in asked.actions] == ["Alpha", "Bravo"]
    assert "Not among these" not in asked.text


def test_several_entries_without_a_client_take_a_typed_name_too(chat: Conversation) -> None:
    _set_up(chat)
    asked = chat.say("2h design, 1h review")
    question = asked.actions[0].command.split()[1]
    logged = chat.text(f"/pick {question} Kilo")
    assert logged.splitlines()[0].startswith("Logged #1: 2h for Kilo")
    assert logged.splitlines()[1].startswith("Logged #2: 1h for Kilo")


def test_a_whole_later_word_of_a_name_finds_the_client(chat: Conversation) -> None:
    chat.say("/client add ООО Ромашка rate 80")
    assert chat.text("2h дизайн for Ромашка").startswith("Logged #1: 2h for ООО Ромашка")
    chat.say("/client add ИП Ромашка rate 80")
    asked = chat.say("1h дизайн for Ромашка")
    assert sorted(action.label for action in asked.actions) == ["ИП Ромашка", "ООО Ромашка"]


def test_the_timers_question_offers_the_likely_clients_and_takes_a_typed_name(chat: Conversation) -> None:
    _set_up(chat)
    chat.say("1h call for Kilo")
    asked = chat.say("/timer design")
    assert [action.label for action in asked.actions][:2] == ["Kilo", "Alpha"]
    question = asked.actions[0].command.split()[1]
    assert f"No timer starts until you choose. Not among these? Send /pick {question}" in asked.text
    assert chat.text(f"/pick {question} india").startswith("Timer started at")
    assert "India — design" in chat.text("/timer")
