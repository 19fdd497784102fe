"""Bidi controls (RLO and friends) and zero-width characters are taken out of every message before anything is
stored — descriptions, client names, any field — the text is NFC-normalised, and the reply says what was removed."""
from __future__ import annotations

import unicodedata

from sqlalchemy import select

from core.limits import strip_invisible
from core.models import Client, Task
from tests.conftest import Conversation

RLO, PDF, ZWSP, ZWJ = "\u202e", "\u202c", "\u200b", "\u200d"


def test_a_right_to_left_override_is_stripped_from_a_description_and_the_reply_says_so(chat: Conversation,
                                                                                       sessions) -> None:  # type: ignore[no-untyped-def]
    chat.say("/client add ACME rate 80")
    reply = chat.text(f"2h {RLO}txet{PDF} design for ACME")
    assert reply.startswith("Logged #1: 2h for ACME on 24 Nov 2026 — txet design — €160.00")
    assert reply.endswith("I removed invisible characters from your message (U+202E RIGHT-TO-LEFT "
                          "OVERRIDE, U+202C POP DIRECTIONAL FORMATTING): they can make text read differently from "
                          "what you typed.")
    with sessions() as session:
        assert session.scalars(select(Task.description)).one() == "txet design"
    assert RLO not in chat.text("/tasks")


def test_a_zero_width_space_is_stripped_from_a_client_name_which_is_stored_nfc(chat: Conversation,
                                                                               sessions) -> None:  # type: ignore[no-untyped-def]
    reply = chat.text(f"/client add Ca{ZWSP}fe\u0301 rate 80")
    assert reply.startswith("Added client Café — €80.00/h.")
    assert "(U+200B ZERO WIDTH SPACE)" in reply
    with sessions() as session:
        name = session.scalars(select(Client.name)).one()
    assert name == "Café" and unicodedata.is_normalized("NFC", name)
    assert chat.text("/client Café").startswith("Café — €80.00/h")


def test_text_without_invisible_characters_gets_no_note(chat: Conversation) -> None:
    chat.say("/client add ACME rate 80")
    assert "invisible" not in chat.text(f"2h pairing 👩{ZWJ}💻 for ACME")
    assert "invisible" not in chat.text("2h design for ACME")


def test_joiners_stay_only_inside_emoji_and_scripts_that_need_them() -> None:
    assert strip_invisible(f"👩{ZWJ}💻") == (f"👩{ZWJ}💻", [])
    assert strip_invisible("می\u200cخواهم") == ("می\u200cخواهم", [])
    assert strip_invisible(f"de{ZWJ}sign") == ("design", ["U+200D ZERO WIDTH JOINER"])
    assert strip_invisible("\u2066x\u2069 \u200fy\ufeff") == ("x y", ["U+2066 LEFT-TO-RIGHT ISOLATE",
                                                                     "U+2069 POP DIRECTIONAL ISOLATE",
                                                                     "U+200F RIGHT-TO-LEFT MARK",
                                                                     "U+FEFF ZERO WIDTH NO-BREAK SPACE"])


def test_a_number_format_with_an_override_keeps_the_visible_characters(chat: Conversation) -> None:
    reply = chat.text(f"/profile set number_format INV{RLO}-{{seq}}")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in reply
    assert "Number format: INV-{seq}" in chat.text("/profile")
