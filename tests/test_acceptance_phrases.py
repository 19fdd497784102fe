"""Logging work in the chat as SPEC §5 has it: a locale the user never chose decides nothing, German, French and
Spanish phrases are logged, and the new questions (a day ahead) come as buttons; on SQLite and PostgreSQL."""
from __future__ import annotations

from tests.conftest import Conversation


def _pick(chat: Conversation, reply, label_part: str) -> str:  # type: ignore[no-untyped-def]
    action = next(a for a in reply.actions if label_part in a.label)
    return chat.text(action.command)


def test_a_locale_never_chosen_leaves_numeric_dates_to_the_timezones_country(chat, clock) -> None:
    clock.set("2026-11-24T15:00:00+00:00")
    chat.say("/client add ACME rate 80")
    chat.say("/tz America/New_York")
    assert "6 Apr 2026" in chat.text("2h audit ACME 04/06")  # New York reads month first, though en_GB is stored
    chat.say("/profile set locale en_GB")  # chosen: day first now
    assert "4 Jun 2026" in chat.text("2h audit ACME 04/06")


def test_where_the_timezone_does_not_decide_the_date_is_a_question_with_both_readings(chat, clock) -> None:
    clock.set("2026-11-24T15:00:00+00:00")
    chat.say("/client add ACME rate 80")
    chat.say("/tz UTC")
    asked = chat.say("2h audit ACME 04/06")
    assert "Nothing is logged until you choose" in asked.text and len(asked.actions) == 2
    assert "4 Jun 2026" in _pick(chat, asked, "4 June")


def test_a_day_ahead_is_asked_and_the_answer_logs_it(chat, clock) -> None:
    clock.set("2026-12-01T09:00:00+00:00")
    chat.say("/client add ACME rate 80")
    asked = chat.say("2h audit ACME 5 Dec")
    assert asked.text.startswith("5 December is ahead") and [a.label for a in asked.actions] == [
        "5 December 2026", "5 December 2025"]
    assert "5 Dec 2025" in _pick(chat, asked, "2025")
    assert "No unbilled work" not in chat.text("/tasks")


def test_german_french_and_spanish_phrases_are_logged(chat, clock) -> None:
    clock.set("2026-11-24T09:00:00+00:00")
    chat.say("/client add ACME rate 80")
    german = chat.text("2 Std. Logo für ACME gestern")
    assert "2h for ACME on 23 Nov 2026 — Logo" in german
    assert "1h 30m for ACME on 23 Nov 2026 — réunion" in chat.text("1h30 réunion chez ACME hier")
    assert "1h 30m for ACME on 23 Nov 2026 — revisión" in chat.text("hora y media revisión para ACME ayer")
    chat.say("/profile set locale de_DE")
    assert "for ACME on 20" in chat.text("2 Std. Workshop ACME letzten Freitag")


def test_several_entries_in_one_message_are_logged_listed_and_taken_back_by_one_undo(chat, clock) -> None:
    clock.set("2026-11-24T09:00:00+00:00")
    chat.say("/client add ACME rate 80")
    chat.say("/client add Globex rate 100")
    reply = chat.say("2h design, 1h call for ACME\n30m review Globex")
    assert reply.text.splitlines() == [
        "Logged #1: 2h for ACME on 24 Nov 2026 — design — €160.00 at €80.00/h",
        "Logged #2: 1h for ACME on 24 Nov 2026 — call — €80.00 at €80.00/h",
        "Logged #3: 30m for Globex on 24 Nov 2026 — review — €50.00 at €100.00/h"]
    assert [(a.label, a.command) for a in reply.actions] == [("Undo", "/undo 1 2 3")]
    undone = chat.text("/undo 1 2 3")
    assert [line.split(":")[0] for line in undone.splitlines()] == ["Removed #1", "Removed #2", "Removed #3"]
    assert "No unbilled work" in chat.text("/tasks")


def test_plain_undo_takes_back_every_entry_of_the_last_message(chat, clock) -> None:
    clock.set("2026-11-24T09:00:00+00:00")
    chat.say("/client add ACME rate 80")
    chat.say("1h email ACME")
    chat.say("2 Std. Logo, 1 Std. Telefonat für ACME gestern")
    assert sorted(line.split(":")[0] for line in chat.text("/undo").splitlines()) == ["Removed #2", "Removed #3"]
    assert "#1" in chat.text("/tasks") and "#2" not in chat.text("/tasks")


def test_a_question_about_one_entry_of_several_logs_them_all_once_answered(chat, clock) -> None:
    clock.set("2026-11-24T09:00:00+00:00")
    chat.say("/client add ACME rate 80")
    asked = chat.say("2h design ACME; 3h 2h call ACME")
    assert "Nothing is logged until you choose" in asked.text and len(asked.actions) == 2
    assert "No unbilled work" in chat.text("/tasks")
    logged = _pick(chat, asked, "3h")
    assert logged.splitlines()[0].startswith("Logged #1: 2h for ACME") and "Logged #2: 3h for ACME" in logged


def test_entries_without_a_known_client_are_asked_for_together(chat, clock) -> None:
    clock.set("2026-11-24T09:00:00+00:00")
    chat.say("/client add ACME rate 80")
    asked = chat.say("2h design for Globex; 1h call ACME")
    assert "Globex" in asked.text and asked.actions[0].label == "Add Globex"
    logged = chat.text(asked.actions[0].command)
    assert logged.startswith("Added client Globex.")
    assert "Logged #1: 2h for Globex" in logged and "Logged #2: 1h for ACME" in logged
