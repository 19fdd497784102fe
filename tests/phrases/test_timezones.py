"""Today and yesterday are the user's, around midnight and across DST (Europe/Berlin, America/New_York)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.phrases.phrasebook import BERLIN, NEW_YORK, read


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("tz, now, today", [
    (BERLIN, utc("2026-11-23T23:15:00"), date(2026, 11, 24)),   # 00:15 in Berlin: already the 24th
    (BERLIN, utc("2026-11-23T22:59:00"), date(2026, 11, 23)),   # 23:59 in Berlin
    (NEW_YORK, utc("2026-11-24T04:30:00"), date(2026, 11, 23)), # 23:30 the evening before in New York
    (NEW_YORK, utc("2026-11-24T05:00:00"), date(2026, 11, 24)), # midnight in New York
    # Berlin springs forward on 29 March 2026 at 01:00 UTC: 22:30 UTC is 00:30 CEST on the 30th
    (BERLIN, utc("2026-03-29T22:30:00"), date(2026, 3, 30)),
    (BERLIN, utc("2026-03-29T00:30:00"), date(2026, 3, 29)),
    # Berlin falls back on 25 October 2026: 22:30 UTC on the 25th is 23:30 CET, still the 25th
    (BERLIN, utc("2026-10-25T22:30:00"), date(2026, 10, 25)),
    (BERLIN, utc("2026-10-24T22:30:00"), date(2026, 10, 25)),   # 00:30 CEST on the 25th
    # New York springs forward on 8 March 2026: 04:30 UTC on the 9th is 00:30 EDT on the 9th
    (NEW_YORK, utc("2026-03-09T04:30:00"), date(2026, 3, 9)),
    # ... and falls back on 1 November 2026: 04:30 UTC on the 2nd is 23:30 EST on the 1st
    (NEW_YORK, utc("2026-11-02T04:30:00"), date(2026, 11, 1)),
])
@pytest.mark.parametrize("word, days_back", [("today", 0), ("", 0), ("yesterday", 1),
                                             ("the day before yesterday", 2), ("2 days ago", 2), ("a week ago", 7)])
def test_relative_days_are_the_users(tz, now, today, word, days_back):
    assert read(f"1h review Contoso {word}", now=now, tz=tz).work_date == today - timedelta(days=days_back)


def test_the_offset_now_is_given_in_does_not_matter():
    instant = utc("2026-11-23T23:15:00")
    for offset in (0, 9, -7):
        now = instant.astimezone(timezone(timedelta(hours=offset)))
        assert read("1h review Contoso yesterday", now=now, tz=BERLIN).work_date == date(2026, 11, 23)


def test_weekday_names_follow_the_users_date_not_utc():
    # Monday 23:30 in New York is already Tuesday in UTC; "monday" is still today for the user
    now = utc("2026-11-24T04:30:00")
    assert read("1h review Contoso on monday", now=now, tz=NEW_YORK).work_date == date(2026, 11, 23)
    assert read("1h review Contoso on monday", now=now, tz=BERLIN).work_date == date(2026, 11, 23)
    assert read("1h review Contoso on tuesday", now=now, tz=BERLIN).work_date == date(2026, 11, 24)
    assert read("1h review Contoso on tuesday", now=now, tz=NEW_YORK).work_date == date(2026, 11, 17)


def test_a_naive_now_is_a_programming_error():
    with pytest.raises(ValueError):
        read("1h review Contoso", now=datetime(2026, 11, 24, 10, 0))
