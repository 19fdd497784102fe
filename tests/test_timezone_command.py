"""/tz reads offsets as a person means them (GMT+2 is two hours ahead of UTC), warns that a fixed offset won't
follow daylight saving, and refuses abbreviations with a place to send instead."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select


@pytest.mark.parametrize("typed", ["GMT+2", "UTC+2", "+02:00", "utc +2", "UTC+02", "gmt+2:00"])
def test_an_offset_means_ahead_of_utc_and_an_1800_reminder_fires_at_1600_utc(typed, chat, sessions) -> None:
    from core.models import Reminder

    reply = chat.text(f"/tz {typed}")
    assert reply.startswith("Your timezone is now UTC+2;")
    assert "fixed offset: it won't follow daylight saving time" in reply and "/tz Europe/Athens" in reply
    chat.text("/remind daily 18:00")
    with sessions() as session:
        due = session.scalar(select(Reminder.next_due_at))
    assert due == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    assert chat.text("/tz") == "Your timezone is UTC+2. Change it with /tz Europe/Berlin."


def test_a_negative_offset(chat) -> None:
    assert chat.text("/tz UTC-5").startswith("Your timezone is now UTC-5;")
    assert "/tz America/New_York" in chat.text("/tz GMT-5")


@pytest.mark.parametrize(("typed", "city"), [("EST", "America/New_York"), ("pst", "America/Los_Angeles"),
                                             ("CET", "Europe/Berlin"), ("CEST", "Europe/Berlin")])
def test_an_abbreviation_is_refused_with_a_place_to_send(typed, city, chat) -> None:
    before = chat.text("/tz")
    assert chat.text(f"/tz {typed}") == (f"“{typed}” is an abbreviation, and it doesn't say whether your clocks change "
                                         f"in summer. Send your place instead, e.g. /tz {city}.")
    assert chat.text("/tz") == before


def test_a_shared_abbreviation_and_a_half_hour_offset_are_refused(chat) -> None:
    assert "several places share" in chat.text("/tz IST")
    assert chat.text("/tz UTC+5:30") == ("I can only take a whole-hour offset like UTC+2, and “UTC+5:30” isn't one. "
                                         "Send your place instead, e.g. /tz Asia/Kolkata for UTC+5:30.")


def test_places_and_utc_still_work_without_a_warning(chat) -> None:
    assert chat.text("/tz Europe/Athens") == "Your timezone is now Europe/Athens; “today” and “yesterday” follow it."
    assert chat.text("/tz berlin") == "Your timezone is now Europe/Berlin; “today” and “yesterday” follow it."
    assert chat.text("/tz UTC") == "Your timezone is now UTC; “today” and “yesterday” follow it."
    assert chat.text("/tz GMT") == "Your timezone is now UTC; “today” and “yesterday” follow it."
