"""Whatever is typed, the parser answers with a reading or a user-facing sentence, never a crash."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import UserError
from core.phrases import MAX_PHRASE_LENGTH, AmbiguousPhrase, ParsedWork, PhraseError
from tests.phrases.phrasebook import CLIENTS, read, result

# Pieces of the grammar, so generated text reaches the deep paths that random characters rarely do.
PIECES = ["2h", "1:30", "1h30", "-", "/", ".", ",", ":", "@", "#", "€", "$", "for", "with", "on", "at", "the",
          "last", "monday", "yesterday", "ago", "days", "3", "11", "12", "31", "2026", "0", "am", "pm", "h", "m",
          "min", "half", "an", "hour", "and", "a", "from", "to", "nov", "march", "Contoso", "cafe", "lumière",
          "northwind", "rate", "per", "½", "İ", "ß", "٣", "𝟐", "\x00", "\n", " ", "  ", "🎉", "x", "'s"]
LOCALES = ["en_GB", "en_US", "sv_SE", "de_DE", "xx", "", "en-US"]


def check(text: str, clients=CLIENTS, locale: str = "en_GB") -> None:
    try:
        work = read(text, clients=clients, locale=locale)
    except AmbiguousPhrase as question:
        assert len(question.choices) >= 2 and question.message
        assert all(isinstance(choice.reading, ParsedWork) for choice in question.choices)
    except UserError as refusal:
        assert refusal.message
    else:
        assert isinstance(work, ParsedWork)
        assert (work.minutes is None) != (work.amount is None) or (work.minutes and work.amount)
        assert work.minutes is None or 0 < work.minutes <= 24 * 60
        assert work.description is None or work.description.strip() == work.description != ""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=4096), st.sampled_from(LOCALES))
def test_any_unicode_text_gives_a_reading_or_a_user_error(text, locale):
    check(text, locale=locale)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join), st.sampled_from(LOCALES),
       st.lists(st.text(min_size=0, max_size=20), max_size=5))
def test_grammar_like_text_with_any_client_names(text, locale, extra_clients):
    check(text, clients=CLIENTS + tuple(extra_clients), locale=locale)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_glued_pieces(text):
    check(text)


def test_text_over_the_limit_is_refused_with_the_limit():
    with pytest.raises(PhraseError, match=f"at most {MAX_PHRASE_LENGTH}"):
        read("2h review contoso " + "x" * MAX_PHRASE_LENGTH)
    assert result("a" * 4096) == {"ok": False, "error": f"That is 4096 characters — a work entry can be at most "
                                                         f"{MAX_PHRASE_LENGTH}. Send one entry a message."}


def test_text_at_the_limit_is_read():
    text = "2h review contoso " + "x" * (MAX_PHRASE_LENGTH - len("2h review contoso "))
    assert len(text) == MAX_PHRASE_LENGTH
    assert read(text).minutes == 120
