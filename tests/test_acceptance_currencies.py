"""A client is billed in one currency: work priced in another is refused before it can block /invoice."""


def set_up(chat) -> None:  # type: ignore[no-untyped-def]
    for line in ("/profile set name Zoë", "/profile set address A", "/profile set payment IBAN X",
                 "/client add ACME rate 80"):
        chat.say(line)


def test_a_fixed_price_in_another_currency_is_refused_and_the_client_stays_billable(chat) -> None:
    set_up(chat)
    chat.say("2h design ACME")
    refused = chat.text("$300 hosting for ACME")
    assert refused.startswith("ACME is billed in EUR, so a price in USD can't go on its invoices.")
    assert "/client set ACME currency USD" in refused
    assert "US$" not in chat.text("/tasks")
    assert chat.invoice("/invoice ACME").text.startswith("Invoice INV-2026-0001 for ACME: 1 line, total €160.00")


def test_a_fixed_price_in_the_clients_currency_is_logged(chat) -> None:
    set_up(chat)
    assert chat.text("€300 hosting for ACME").startswith("Logged #1: fixed price for ACME")


def test_changing_the_currency_under_unbilled_fixed_prices_is_refused(chat) -> None:
    set_up(chat)
    chat.say("€500 website for ACME")
    refused = chat.text("/client set ACME currency USD")
    assert refused == ("ACME has unbilled fixed prices in EUR (#1). Bill them first (/invoice ACME) or delete "
                       "them (/delete ID), then change the currency.")
    assert "€80.00/h" in chat.text("/client ACME")
    chat.invoice("/invoice ACME")
    assert "US$80.00/h" in chat.text("/client set ACME currency USD")


def test_a_rate_finer_than_a_cent_is_refused_so_the_invoice_multiplies_out(chat) -> None:
    assert chat.text("/client add Tiny rate 33.335") == "A rate in EUR can have at most 2 decimal places, like 80.50."
    chat.say("/client add Tiny rate 33.33")
    assert chat.text("/client set Tiny rate 33.335") == "A rate in EUR can have at most 2 decimal places, like 80.50."
    assert chat.text("/client add Tanaka rate 8000.5 currency JPY") == (
        "A rate in JPY can have at most 0 decimal places, like 80.")
    assert "€66.66 at €33.33/h" in chat.text("2h support for Tiny")


def test_a_rate_in_another_currency_is_refused_like_a_price(chat) -> None:
    set_up(chat)
    chat.say("/client add Globex rate 100 currency USD")
    refused = chat.text("2h audit for Globex @ €150/h")
    assert refused.startswith("Globex is billed in USD, so a rate in EUR can't go on its invoices.")
    assert "/client set Globex currency EUR" in refused
    assert chat.text("/tasks") == "No unbilled work. Log some, e.g. “2h design for ACME”."
    for written in ("2h audit for Globex @ 150 EUR/h", "2h audit for Globex rate €150", "2h audit for Globex at 150 euros per hour"):
        assert chat.text(written).startswith("Globex is billed in USD, so a rate in EUR"), written
    assert chat.text("/timer audit for Globex @ €150/h").startswith("Globex is billed in USD, so a rate in EUR")


def test_a_rate_in_the_clients_currency_or_without_one_is_taken(chat) -> None:
    set_up(chat)
    chat.say("/client add Globex rate 100 currency USD")
    assert "US$300.00 at US$150.00/h" in chat.text("2h audit for Globex @ $150/h")
    assert "US$240.00 at US$120.00/h" in chat.text("2h audit for Globex @ 120/h")
    assert "€240.00 at €120.00/h" in chat.text("2h audit for ACME @ €120/h")


def test_a_spoken_rate_in_another_currency_is_refused(chat) -> None:
    set_up(chat)
    chat.say("/client add Globex rate 100 currency USD")
    assert chat.text("2 Std. Beratung für Globex zu 90 €/Std.").startswith("Globex is billed in USD, so a rate in EUR")
