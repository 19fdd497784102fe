"""Setting up the business profile: each reply shows what was stored, as /profile will show it."""
import pytest


@pytest.mark.parametrize(("typed", "reply"), [
    ("/profile set tax_rate 23", "Saved your tax rate: 23%."),
    ("/profile set terms 14", "Saved your terms: 14 days."),
    ("/profile set locale pl-pl", "Saved your locale: pl_PL."),
    ("/profile set payment IBAN PL61 1090", "Saved your payment: (hidden)."),
    ("/profile set name Zoë Kowalczyk Design", "Saved your name: Zoë Kowalczyk Design."),
])
def test_a_saved_profile_field_is_echoed_as_stored(chat, typed: str, reply: str) -> None:
    assert chat.text(typed) == reply


def test_a_new_currency_says_it_is_for_new_clients_only(chat) -> None:
    chat.say("/client add ACME rate 80")
    text = chat.text("/profile set currency usd")
    assert text.startswith("Saved your currency: USD. New clients are billed in it; existing ones keep theirs")
    assert "€80.00/h" in chat.text("/client ACME")
