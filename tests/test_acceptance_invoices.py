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
    assert "Before you issue it:\nYour invoice will show no payment details (/profile set payment IBAN …)." in text
    assert "no address of yours (/profile set address …)" in text


def test_an_invoice_without_payment_details_asks_first_and_issues_only_on_yes(chat, sessions) -> None:  # type: ignore[no-untyped-def]
    """Issuing and then saying "void and re-issue" would burn a number of a gapless series: ask before."""
    from sqlalchemy import func, select

    from core.models import Invoice

    set_up(chat, "/profile set address Main St 1 | 00-950 Warszawa", "/profile set country PL",
           "/profile set tax_number 123-456-32-18")
    chat.say("/client set ACME country PL")
    question = chat.say("/invoice ACME")
    assert question.text == ("Your invoice will show no payment details (/profile set payment IBAN …).\n"
                             "Issue it anyway? Its number can't be taken back once it is issued.")
    assert [a.label for a in question.actions] == ["Issue anyway", "Not now"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Invoice)) == 0
    assert chat.text(question.actions[1].command) == "Nothing was issued. Complete the details, then send /invoice again."
    assert "ACME — 2h" in chat.text("/tasks")
    assert chat.text(question.actions[0].command) == "You already answered that question."
    again = chat.say("/invoice ACME")
    issued = chat.say(again.actions[0].command)
    assert issued.text.startswith("Invoice INV-2026-0001 for ACME: 1 line") and issued.document is not None


def test_a_complete_profile_gets_no_question(chat) -> None:
    set_up(chat, "/profile set address Main St 1 | 00-950 Warszawa", "/profile set country PL",
           "/profile set vat_id PL5260001246", "/profile set payment IBAN PL61 1090 1014 0000 0712 1981 2874")
    chat.say("/client set ACME country PL")
    assert "\n" not in chat.text("/invoice ACME preview")
    reply = chat.say("/invoice ACME")
    assert "\n" not in reply.text and reply.text.startswith("Invoice INV-2026-0001") and reply.document is not None


def test_payment_refusals_write_dates_as_the_rest_of_the_chat_does(chat) -> None:
    set_up(chat, "/profile set locale en_US")
    chat.invoice("/invoice ACME")
    assert "issued on Nov 24, 2026; it can't have been paid on Nov 20, 2026" in chat.text("/paid INV-2026-0001 2026-11-20")
    chat.say("/paid INV-2026-0001")
    assert chat.text("/paid INV-2026-0001") == "INV-2026-0001 is already recorded as paid on Nov 24, 2026."


def test_without_a_country_the_question_says_the_e_invoice_needs_it(chat) -> None:
    set_up(chat, "/profile set address Main St 1 | 00-950 Warszawa",
           "/profile set payment IBAN PL61 1090 1014 0000 0712 1981 2874", "/profile set vat_id PL5260001246")
    text = chat.text("/invoice ACME")
    assert text == ("It can't carry an e-invoice (EN 16931) without your country (/profile set country DE); the "
                    "client's country (/client set ACME country FR).\n"
                    "Issue it anyway? Its number can't be taken back once it is issued.")


def test_an_until_without_a_day_bills_nothing_and_asks_for_the_day(chat) -> None:
    set_up(chat)
    assert chat.invoice("/invoice ACME until").text.startswith("Until which day? E.g. /invoice ACME until yesterday")
    assert "ACME — 2h" in chat.text("/tasks")


def test_a_day_after_until_that_is_ahead_is_refused_in_the_words_of_invoicing(chat) -> None:
    set_up(chat)
    text = chat.invoice("/invoice ACME until tomorrow").text
    assert text == "I can't read “tomorrow” as a date; write it like 2026-11-24, today or yesterday."
    assert "log" not in chat.text("/paid INV-2026-0001 tomorrow")



def test_paid_on_a_day_reads_the_on_as_people_write_it(chat) -> None:
    set_up(chat, "/profile set address A", "/profile set payment IBAN X")
    chat.invoice("/invoice ACME")
    assert chat.text("/paid INV-2026-0001 on 24 Nov") == "Recorded INV-2026-0001 (ACME, €160.00) as paid on 24 Nov 2026."
