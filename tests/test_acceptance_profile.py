"""Setting up the business profile: each reply shows what was stored, as /profile will show it."""
import pytest


@pytest.mark.parametrize(("typed", "reply"), [
    ("/profile set tax_rate 23", "Saved your tax rate: 23%."),
    ("/profile set terms 14", "Saved your terms: 14 days."),
    ("/profile set locale pl-pl", "Saved your locale: pl_PL."),
    ("/profile set payment IBAN PL61 1090 1014 0000 0712 1981 2874", "Saved your payment: (hidden)."),
    ("/profile set name Zoë Kowalczyk Design", "Saved your name: Zoë Kowalczyk Design."),
])
def test_a_saved_profile_field_is_echoed_as_stored(chat, typed: str, reply: str) -> None:
    assert chat.text(typed) == reply


def test_a_new_currency_says_it_is_for_new_clients_only(chat) -> None:
    chat.say("/client add ACME rate 80")
    text = chat.text("/profile set currency usd")
    assert text.startswith("Saved your currency: USD. New clients are billed in it; existing ones keep theirs")
    assert "€80.00/h" in chat.text("/client ACME")


def test_payment_instructions_split_into_lines_at_a_bar_like_the_address(chat) -> None:
    import io

    from pypdf import PdfReader

    for line in ("/profile set name Zoë", "/profile set address Łąkowa 5 | Warszawa",
                 "/profile set payment IBAN PL61 1090 1014 0000 0712 1981 2874 | BIC WBKPPLPP", "/client add ACME rate 80", "2h x ACME"):
        chat.say(line)
    assert "Payment: IBAN PL61 1090 1014 0000 0712 1981 2874, BIC WBKPPLPP" in chat.text("/profile")
    reply = chat.say("/invoice ACME preview")
    text = PdfReader(io.BytesIO(reply.document.content)).pages[0].extract_text()
    assert "IBAN PL61 1090 1014 0000 0712 1981 2874\nBIC WBKPPLPP" in text and "|" not in text


def test_a_tax_rate_with_endless_decimals_is_refused_before_the_database_sees_it(chat) -> None:
    text = chat.text("/profile set tax_rate 0.00000000000000000000000000000000000000001")
    assert text.startswith("A tax rate can have at most 4 decimal places")
    assert "Tax rate: 0%" in chat.text("/profile")
    assert chat.text("/profile set tax_rate 7.75") == "Saved your tax rate: 7.75%."
    assert chat.text("/profile set tax_rate 19.000") == "Saved your tax rate: 19%."


def test_an_account_whose_profile_row_is_missing_keeps_its_books_and_gets_a_new_profile(chat, sessions) -> None:  # type: ignore[no-untyped-def]
    """Every way of making an account makes its profile, but the lookup must not depend on it: an inner join would
    miss the account and try a second one for the same identity, which its unique index refuses."""
    from sqlalchemy import delete, func, select

    from core.models import Account, Profile

    chat.text("/client add ACME rate 80")
    assert chat.text("2h logo design for ACME").startswith("Logged #1:")
    with sessions.begin() as session:
        session.execute(delete(Profile))
    assert "logo design" in chat.text("/tasks")
    with sessions() as session:
        assert (session.scalar(select(func.count()).select_from(Account)),
                session.scalar(select(func.count()).select_from(Profile))) == (1, 1)
