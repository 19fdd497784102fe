"""/timer and /stop: one timer per account in the database — across restarts, processes, midnight and DST."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.digests import compose
from core.models import Account, Task, Timer
from core.reminders import Claim
from core.storage import create_db_engine, session_factory
from tests.conftest import Conversation, FixedClock

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def ada(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="ada")
    chat.text("/client add ACME rate 80")
    chat.text("/client add Globex rate 60")
    return chat


def tasks_of(sessions) -> list[tuple[str, int, str | None]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [(t.work_date.isoformat(), t.minutes, t.description)
                for t in session.scalars(select(Task).where(Task.deleted_at.is_(None)).order_by(Task.number))]


def test_start_show_and_stop_log_the_elapsed_time_with_an_undo(ada: Conversation, clock: FixedClock,
                                                               sessions) -> None:  # type: ignore[no-untyped-def]
    started = ada.say("/timer logo design for ACME")
    assert started.text.startswith("Timer started at 10:00: ACME — logo design.")
    assert [a.command for a in started.actions] == ["/stop", "/timer cancel"]  # Telegram and Slack: a Stop button
    clock.advance(minutes=64, seconds=40)
    shown = ada.say("/timer")
    assert shown.text == "Timer running since 10:00 (1h 05m): ACME — logo design."
    assert shown.actions[0].label == "Stop"
    stopped = ada.say("/stop")
    assert stopped.text == ("Stopped the timer after 1h 05m.\n"
                            "Logged #1: 1h 05m for ACME on 24 Nov 2026 — logo design — €86.67 at €80.00/h")
    assert [a.command for a in stopped.actions] == ["/undo 1"]
    assert tasks_of(sessions) == [("2026-11-24", 65, "logo design")]
    assert ada.text("/timer").startswith("No timer is running.")
    assert ada.text("/undo 1").startswith("Removed #1")  # the Undo button: the task goes, like any logged task
    assert tasks_of(sessions) == []


def test_undo_takes_back_a_start_a_stop_and_a_cancel(ada: Conversation, clock: FixedClock, sessions) -> None:  # type: ignore[no-untyped-def]
    ada.text("/timer review for ACME")
    clock.advance(minutes=30)
    ada.text("/stop")
    undone = ada.text("/undo")
    assert undone == ("Removed #1: 30m for ACME on 24 Nov 2026 — review — €40.00 at €80.00/h\n"
                      "Your timer for ACME is running again, since 10:00.")
    assert tasks_of(sessions) == []
    assert ada.text("/timer").startswith("Timer running since 10:00 (30m)")
    assert "nothing was logged" in ada.text("/timer cancel")
    assert ada.text("/timer").startswith("No timer is running.")
    assert ada.text("/undo") == "Your timer for ACME is running again, since 10:00."
    assert ada.text("/undo") == "Took back starting the timer; it is no longer running."
    assert ada.text("/timer").startswith("No timer is running.")


def test_since_and_at_fix_a_forgotten_start_and_stop(ada: Conversation, clock: FixedClock, sessions) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-24T16:00:00+00:00")  # 17:00 in Berlin
    assert ada.text("/timer call with ACME since 9:15").startswith("Timer started at 09:15: ACME — call.")
    assert ada.text("/stop at 12:45").startswith("Stopped the timer after 3h 30m.")
    assert tasks_of(sessions) == [("2026-11-24", 210, "call")]


@pytest.mark.parametrize(("message", "expected"), [
    ("/timer review for ACME since 18:00", "18:00 is still ahead today (it's 17:00 now): give a time that has passed."),
    ("/timer review for ACME since 9", "Give the time as HH:MM, e.g. 09:15; “9” isn't one."),
    ("/timer 2h review for ACME", "A timer measures the time itself"),
    ("/timer €500 website for ACME", "A timer measures the time itself"),
    ("/timer review for ACME yesterday", "A timer runs today: leave out the day"),
    ("/stop", "No timer is running. Start one with /timer logo design for ACME."),
    ("/timer cancel", "No timer is running, so there is nothing to cancel."),
])
def test_bad_input_is_refused_with_a_sentence_and_starts_nothing(ada: Conversation, clock: FixedClock,
                                                                 message: str, expected: str, sessions) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-24T16:00:00+00:00")
    assert ada.text(message).startswith(expected)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Timer)) == 0


def test_stop_at_is_refused_before_the_start_and_ahead_of_now(ada: Conversation, clock: FixedClock) -> None:
    clock.set("2026-11-24T16:00:00+00:00")
    ada.text("/timer review for ACME since 13:00")
    assert ada.text("/stop at 12:00") == "Your timer started at 13:00; it can't stop at 12:00, before that."
    assert ada.text("/stop at 17:30").startswith("17:30 is still ahead today")
    assert ada.text("/stop at noon").startswith("Give the time as HH:MM")
    assert ada.text("/timer").startswith("Timer running since 13:00")


def test_a_client_the_phrase_does_not_name_is_asked_and_the_answer_starts_it_when_asked(
        ada: Conversation, clock: FixedClock, sessions) -> None:  # type: ignore[no-untyped-def]
    question = ada.say("/timer design review")
    assert question.text.startswith("Which client is this timer for?")
    assert [a.label for a in question.actions] == ["ACME", "Globex"]
    clock.advance(minutes=5)
    assert ada.text(question.actions[1].command).startswith("Timer started at 10:00: Globex — design review.")
    unknown = ada.say("/timer audit @Initech")
    assert unknown.text.startswith("I don't know a client called “Initech”.")
    assert unknown.actions[0].label == "Add Initech"


def test_starting_while_one_runs_asks_and_switching_is_one_undo(ada: Conversation, clock: FixedClock,
                                                                  sessions) -> None:  # type: ignore[no-untyped-def]
    ada.text("/timer design for ACME")
    clock.advance(minutes=45)
    question = ada.say("/timer call for Globex")
    assert question.text.startswith("Your timer for ACME — design is running since 10:00. Stop it")
    assert [a.label for a in question.actions] == ["Stop it, start the new one", "Keep it running"]
    clock.advance(minutes=10)  # answered a little later: the switch happens when it was asked
    switched = ada.text(question.actions[0].command)
    assert "Stopped the timer after 45m." in switched and "Timer started at 10:45: Globex — call." in switched
    assert tasks_of(sessions) == [("2026-11-24", 45, "design")]
    ada.text("/undo")
    assert tasks_of(sessions) == []
    assert ada.text("/timer").startswith("Timer running since 10:00 (55m): ACME — design.")
    kept = ada.say("/timer call for Globex")
    assert ada.text(kept.actions[1].command) == "Kept your timer for ACME — design running; nothing new was started."


def test_a_timer_survives_a_restart(database_url: str, cipher, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    from bot.wiring import build_core

    def fresh_core():  # type: ignore[no-untyped-def]
        engine = create_db_engine(database_url)
        return engine, build_core(session_factory(engine), cipher, clock, default_tz="Europe/Berlin")

    engine, core = fresh_core()
    chat = Conversation(core, user="ada")
    chat.text("/client add ACME rate 80")
    chat.text("/timer logo design for ACME")
    engine.dispose()  # the process ends
    clock.advance(hours=2)
    engine, core = fresh_core()
    assert Conversation(core, user="ada").text("/stop").startswith("Stopped the timer after 2h.")
    engine.dispose()


def second_process(database_url: str, now: str, *messages: str) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "tests.timer_process", database_url, now, "ada", *messages],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_timer_started_in_one_process_is_shown_and_stopped_in_another(database_url: str, core, clock: FixedClock,  # type: ignore[no-untyped-def]
                                                                        sessions) -> None:
    [added, started] = second_process(database_url, "2026-11-24T08:00:00+00:00", "/client add ACME rate 80",
                                      "/timer logo design for ACME")
    assert started["text"].startswith("Timer started at 09:00: ACME — logo design.")
    clock.set("2026-11-24T09:30:00+00:00")
    here = Conversation(core, user="ada")
    assert here.text("/timer").startswith("Timer running since 09:00 (1h 30m)")
    assert here.text("/timer call for ACME").startswith("Your timer for ACME — logo design is running")
    [stopped] = second_process(database_url, "2026-11-24T10:00:00+00:00", "/stop at 10:45")
    assert stopped["text"].startswith("Stopped the timer after 1h 45m.")
    assert tasks_of(sessions) == [("2026-11-24", 105, "logo design")]
    assert here.text("/timer").startswith("No timer is running.")


def test_across_midnight_the_time_is_logged_whole_on_the_day_it_started(ada: Conversation, clock: FixedClock,
                                                                        sessions) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-24T21:00:00+00:00")  # 22:00 in Berlin
    ada.text("/timer release night for ACME")
    clock.set("2026-11-25T00:30:00+00:00")  # 01:30 the next day
    assert ada.text("/timer").startswith("Timer running since 24 Nov 2026, 22:00 (3h 30m)")
    assert ada.text("/stop at 23:30").startswith("23:30 is still ahead today")  # a local time of today
    stopped = ada.text("/stop at 00:45")
    assert stopped.startswith("Stopped the timer after 2h 45m.") and "on 24 Nov 2026" in stopped
    assert tasks_of(sessions) == [("2026-11-24", 165, "release night")]


def test_a_timer_across_the_clocks_going_back_counts_the_hours_that_passed(ada: Conversation, clock: FixedClock,
                                                                          sessions) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-10-24T23:30:00+00:00")  # 01:30 CEST on 25 October; at 03:00 CEST the clocks go back to 02:00
    ada.text("/timer migration for ACME")
    clock.set("2026-10-25T02:30:00+00:00")  # 03:30 CET: three hours later, though the wall clock moved two
    assert ada.text("/stop").startswith("Stopped the timer after 3h.")
    # 02:15 happened twice that night: "since 02:15" at 02:45 (the second time round) is the latest that passed
    clock.set("2026-10-25T01:45:00+00:00")  # 02:45 CET
    ada.text("/timer rollback for ACME since 02:15")
    assert ada.text("/stop").startswith("Stopped the timer after 30m.")
    assert tasks_of(sessions) == [("2026-10-25", 180, "migration"), ("2026-10-25", 30, "rollback")]


def test_a_time_the_clocks_skipped_is_refused(ada: Conversation, clock: FixedClock) -> None:
    clock.set("2026-03-29T10:00:00+00:00")  # 12:00 CEST; 02:00-03:00 did not happen in Berlin that morning
    assert ada.text("/timer review for ACME since 02:30") == \
        "02:30 doesn't exist today in Europe/Berlin: the clocks skipped it."


def test_a_timer_longer_than_one_entry_is_refused_with_the_ways_out(ada: Conversation, clock: FixedClock) -> None:
    ada.text("/timer review for ACME")
    clock.advance(hours=25)
    refusal = ada.text("/stop")
    assert refusal.startswith("Your timer has run 25h since 24 Nov 2026, 10:00: more than one entry can hold")
    assert "/stop at HH:MM" in refusal and "/timer cancel" in refusal


def test_a_timer_under_a_minute_logs_nothing(ada: Conversation, clock: FixedClock) -> None:
    ada.text("/timer review for ACME")
    clock.advance(seconds=20)
    assert ada.text("/stop").startswith("The timer ran less than a minute")


def test_the_daily_reminder_mentions_a_timer_running_past_ten_hours(ada: Conversation, clock: FixedClock,
                                                                    sessions) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-24T08:12:00+00:00")  # 09:12 in Berlin
    ada.text("/timer logo design for ACME")

    def nudge_at(iso: str):  # type: ignore[no-untyped-def]
        now = datetime.fromisoformat(iso)
        with sessions() as session:
            account = session.scalar(select(Account))
            return compose(session, Claim(1, account.id, "daily", "local", "ada", now, now, 0, None, now, "t"), now)

    early = nudge_at("2026-11-24T17:00:00+00:00")  # 18:00: under ten hours, nothing said
    assert "still running" not in early.text
    late = nudge_at("2026-11-24T19:30:00+00:00")  # 20:30: eleven hours and more
    assert late.text.startswith("Your timer for ACME — logo design is still running since 09:12 (11h 18m). Stop it "
                                "at the time you stopped working: /stop at HH:MM — or now: /stop.")
    assert late.actions[0].command == "/stop"
