"""Billing as a freelancer does it for the first time: the replies say what the PDF still lacks."""


def set_up(chat, *profile: str) -> None:  # type: ignore[no-untyped-def]
    chat.say("/profile set name Jan Nowak Design")
    for line in profile:
        chat.say(line)
    chat.say("/client add ACME rate 80")
    chat.say("2h logo design for ACME")


def test_a_preview_without_payment_details_says_how_to_add_them(chat) -> None:
    set_up(chat)
    text = chat.text("/invoice ACME preview")
    assert "no payment details and no address" in text
    assert "/profile set payment IBAN" in text and "/profile set address" in text


def test_an_invoice_without_payment_details_says_how_to_fix_it(chat) -> None:
    set_up(chat, "/profile set address Main St 1, Kraków")
    text = chat.text("/invoice ACME")
    assert text.startswith("Invoice INV-2026-0001 for ACME")
    assert "no payment details," in text and "address" not in text
    assert "/profile set payment IBAN" in text and "/void INV-2026-0001" in text


def test_a_complete_profile_gets_no_warning(chat) -> None:
    set_up(chat, "/profile set address Main St 1, Kraków", "/profile set payment IBAN PL61 1090 1014 0000 0712 1981 2874")
    assert "\n" not in chat.text("/invoice ACME preview")
    assert "\n" not in chat.text("/invoice ACME")


def test_payment_refusals_write_dates_as_the_rest_of_the_chat_does(chat) -> None:
    set_up(chat, "/profile set locale pl_PL")
    chat.say("/invoice ACME")
    assert "issued on 24 lis 2026; it can't have been paid on 20 lis 2026" in chat.text("/paid INV-2026-0001 2026-11-20")
    chat.say("/paid INV-2026-0001")
    assert chat.text("/paid INV-2026-0001") == "INV-2026-0001 is already recorded as paid on 24 lis 2026."


def test_a_missing_address_alone_is_named_in_the_singular(chat) -> None:
    set_up(chat, "/profile set payment IBAN PL61 1090 1014 0000 0712 1981 2874")
    text = chat.text("/invoice ACME preview")
    assert text.endswith("Your profile has no address, so this draft doesn't show it. "
                         "Add it with /profile set address … before you issue it.")


def test_an_until_without_a_day_bills_nothing_and_asks_for_the_day(chat) -> None:
    set_up(chat)
    assert chat.text("/invoice ACME until").startswith("Until which day? E.g. /invoice ACME until yesterday")
    assert "ACME — 2h" in chat.text("/tasks")


def test_a_day_after_until_that_is_ahead_is_refused_in_the_words_of_invoicing(chat) -> None:
    set_up(chat)
    text = chat.text("/invoice ACME until tomorrow")
    assert text == "I can't read “tomorrow” as a date; write it like 2026-11-24, today or yesterday."
    assert "log" not in chat.text("/paid INV-2026-0001 tomorrow")



def test_paid_on_a_day_reads_the_on_as_people_write_it(chat) -> None:
    set_up(chat, "/profile set address A", "/profile set payment IBAN X")
    chat.say("/invoice ACME")
    assert chat.text("/paid INV-2026-0001 on 24 Nov") == "Recorded INV-2026-0001 (ACME, €160.00) as paid on 24 Nov 2026."
