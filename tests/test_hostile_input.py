"""Hostile or unlucky input that reached "Sorry, something went wrong": each now gets a sentence and changes
nothing, on SQLite and PostgreSQL."""
import pytest

from core.messages import Incoming

SENTENCES = [
    ("/pick 99999999999999999999 1", "I can't find that question any more"),
    ("/pick 1 99999999999999999999", "I can't find that question any more"),
    ("/edit 2147483648 3h", "There is no task #2147483648."),
    ("/delete 99999999999999999999", "There is no task #99999999999999999999."),
    ("/undo 2147483648", "There is no task #2147483648."),
    ("/delete ²", "“²” is not a task number"),
    ("999999999999999999999999999999h logo for ACME", "999999999999999999999999999999h is more than 24 hours"),
    ("/edit 1 9999999999999999999999999999999999999999h", "is more than 24 hours"),
    ("2h lo\x00go for ACME", "the control character U+0000"),
    ("/client add AC\x00ME", "the control character U+0000"),
    ("/profile set name Jane\x00", "the control character U+0000"),
    ("\udcff\udcfe 2h for ACME", "a byte that isn't UTF-8 text"),
    ("/tz " + "x" * 9996, "That message is 10,000 characters long"),
    ("/tz " + "x" * 3990, "Too long for the timezone: 3,990 characters, at most 64."),
    ("/profile set address " + "a" * 600, "Too long for the address: 600 characters, at most 500."),
    ("/client set ACME notes " + "n" * 1200, "Too long for the notes: 1,200 characters, at most 1,000."),
]


@pytest.mark.parametrize(("text", "sentence"), SENTENCES, ids=[repr(t[:30]) for t, _ in SENTENCES])
def test_hostile_input_gets_a_sentence_and_changes_nothing(chat, text: str, sentence: str) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("2h design for ACME")
    before = chat.text("/tasks"), chat.text("/profile"), chat.text("/client ACME")
    answer = chat.text(text)
    assert sentence in answer
    assert "went wrong" not in answer
    assert (chat.text("/tasks"), chat.text("/profile"), chat.text("/client ACME")) == before


def test_a_fixed_price_with_hours_for_a_client_without_a_rate_is_logged(chat) -> None:
    chat.say("/client add Norate")
    assert chat.text("2h €500 website for Norate").startswith("Logged #1: fixed price (2h of work) for Norate")


def test_a_platform_name_with_a_nul_byte_is_stored_without_it(core) -> None:
    reply = core.handle(Incoming(platform="slack", user_id="T1:U1", chat_id="T1:U1", text="/tasks",
                                 user_name="Jane\x00" + "D" * 300, is_private=True))
    assert reply is not None and "went wrong" not in reply.text


@pytest.mark.parametrize("fmt", ["{seq:1000000000}", "INV-{year:99999999}-{seq}", "{seq:>2000000000}",
                                 "{seq:.1000000000}"])
def test_a_format_width_is_bounded_before_anything_is_formatted(chat, fmt: str) -> None:
    import tracemalloc

    tracemalloc.start()
    answer = chat.text(f"/profile set number_format {fmt}")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "The number format may only use {seq} (e.g. {seq:04}), {year} and {month}" in answer
    assert peak < 50 * 1024 * 1024  # the gigabyte string was never built
    assert "Number format: INV-{year}-{seq:04}" in chat.text("/profile")
