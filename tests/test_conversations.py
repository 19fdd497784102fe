"""Conversations through the whole core, as a user would have them."""
from sqlalchemy import func, select

from core.models import Client, Task
from tests.conftest import Conversation


def count(sessions, model) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_add_a_client_log_work_and_see_it_with_its_amount(chat) -> None:
    assert "Added client ACME" in chat.text("/client add ACME rate 80")
    reply = chat.say("2h logo design for ACME yesterday")
    assert reply.text.startswith("Logged #")
    assert "2h" in reply.text and "ACME" in reply.text and "23 Nov 2026" in reply.text
    assert "logo design" in reply.text and "€160.00" in reply.text
    assert [a.label for a in reply.actions] == ["Undo"]
    tasks = chat.text("/tasks")
    assert "ACME — 2h, €160.00" in tasks and "logo design" in tasks


def test_the_undo_button_removes_the_logged_task(chat, sessions) -> None:
    chat.say("/client add ACME rate 80")
    reply = chat.say("2h logo design for ACME")
    undo = chat.text(reply.actions[0].command)
    assert undo.startswith("Removed #")
    assert "No unbilled work" in chat.text("/tasks")
    assert "nothing to undo" in chat.text(reply.actions[0].command).lower()


def test_undo_reverts_an_edit_and_a_delete(chat) -> None:
    chat.say("/client add ACME rate 80")
    task_id = chat.text("2h logo design for ACME").split("#")[1].split(":")[0]
    assert "Changed" in chat.text(f"/edit {task_id} 3h logo design for ACME")
    assert "3h" in chat.text("/tasks")
    assert "Put back" in chat.text("/undo")
    assert "2h" in chat.text("/tasks")
    assert "Deleted" in chat.text(f"/delete {task_id}")
    assert "No unbilled work" in chat.text("/tasks")
    assert "Restored" in chat.text("/undo")
    assert "ACME — 2h" in chat.text("/tasks")


def test_edit_keeps_the_client_and_date_the_phrase_leaves_out(chat) -> None:
    chat.say("/client add ACME rate 80")
    task_id = chat.text("2h logo design for ACME on 20 November").split("#")[1].split(":")[0]
    changed = chat.text(f"/edit {task_id} 3h logo design")
    assert "3h for ACME on 20 Nov 2026" in changed and "€240.00" in changed
    assert "19 Nov 2026" in chat.text(f"/edit {task_id} 3h logo design 19 November")


def test_client_lookup_by_unique_prefix_and_a_question_for_two(chat) -> None:
    chat.say("/client add Northwind Traders rate 90")
    assert "Northwind Traders" in chat.text("/client north")
    chat.say("/client add Northstar rate 70")
    reply = chat.say("/client north")
    assert "more than one client" in reply.text
    assert sorted(a.command for a in reply.actions) == ["/client Northstar", "/client Northwind Traders"]


def test_client_set_changes_the_rate_of_unbilled_work(chat) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("1h review for ACME")
    assert "€90.00/h" in chat.text("/client set ACME rate 90")
    assert "€90.00" in chat.text("/tasks ACME")


def test_an_unknown_client_keeps_the_entry_as_a_question(chat, sessions) -> None:
    chat.say("/client add ACME rate 80")
    reply = chat.say("3h notes for Globodyne")
    assert "Globodyne" in reply.text and count(sessions, Task) == 0
    add = next(a for a in reply.actions if a.label == "Add Globodyne")
    logged = chat.text(add.command)
    assert "Added client Globodyne" in logged and "Logged #" in logged
    assert count(sessions, Task) == 1 and count(sessions, Client) == 2
    assert "already answered" in chat.text(add.command)


def test_report_shows_hours_and_amounts_per_client(chat) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("/client add Globex rate 100 currency USD")
    chat.say("2h design for ACME")
    chat.say("30m call for Globex")
    report = chat.text("/report")
    assert "ACME" in report and "€160.00" in report
    assert "Globex" in report and "US$50.00" in report
    assert "no work logged" in chat.text("/report last month")


def test_report_shows_billed_work_at_what_it_was_invoiced(chat) -> None:
    chat.say("/profile set name Jane Doe Design")
    chat.say("/client add ACME rate 80")
    chat.say("2h design for ACME")
    assert chat.invoice("/invoice ACME").text.startswith("Invoice INV-")
    chat.say("/client set ACME rate 100")  # a later rate change doesn't alter what was billed
    chat.say("1h review for ACME")
    report = chat.text("/report")
    assert "billed 2h (€160.00)" in report and "unbilled 1h (€100.00)" in report


def test_two_accounts_see_nothing_of_each_other(core, sessions) -> None:
    alice, bob = Conversation(core, "alice"), Conversation(core, "bob")
    alice.say("/client add ACME rate 80")
    task_id = alice.text("2h secret design for ACME").split("#")[1].split(":")[0]
    assert "no clients" in bob.text("/clients")
    assert "No unbilled work" in bob.text("/tasks")
    assert "I don't know a client" in bob.text("/client ACME")
    assert "There is no task" in bob.text(f"/delete {task_id}")
    assert "There is no task" in bob.text(f"/edit {task_id} 1h x")
    assert "nothing to undo" in bob.text("/undo").lower()
    assert "no work logged" in bob.text("/report")
    assert "secret design" in alice.text("/tasks")


def test_the_same_delivery_twice_is_handled_once(chat, sessions) -> None:
    chat.say("/client add ACME rate 80")
    first = chat.say("2h design for ACME", message_id="m-1")
    assert first is not None and first.text.startswith("Logged")
    assert chat.say("2h design for ACME", message_id="m-1") is None
    assert count(sessions, Task) == 1


def test_a_refused_message_delivered_twice_is_answered_once(chat) -> None:
    first = chat.say("/tasks Initech", message_id="m-2")
    assert first is not None and "I don't know a client" in first.text
    assert chat.say("/tasks Initech", message_id="m-2") is None


def test_timezone_decides_what_today_is(chat, clock) -> None:
    clock.set("2026-11-24T23:30:00+00:00")  # already the 25th in Berlin
    chat.say("/client add ACME rate 80")
    assert "25 Nov 2026" in chat.text("1h design for ACME")
    chat.say("/tz America/New_York")
    assert "24 Nov 2026" in chat.text("1h design for ACME")


def test_profile_shows_what_was_set_and_is_private(core) -> None:
    me = Conversation(core, "alice")
    assert "hidden" in me.text("/profile set payment IBAN DE89 3704 0044 0532 0130 00")
    me.say("/profile set tax_id DE123456789")
    me.say("/profile set tax_rate 19")
    reply = me.say("/profile")
    assert reply.sensitive and "DE89 3704" in reply.text and "DE123456789" in reply.text and "19%" in reply.text
    group = Conversation(core, "alice", private=False)
    refused = group.say("/profile")
    assert "private chat" in refused.text and "DE89" not in refused.text
