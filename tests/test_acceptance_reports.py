"""Fixed-price work in the overviews: shown by its amount, never as "0m" of hours."""


def test_fixed_price_work_alone_shows_its_amount_without_zero_hours(chat) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("€500 website for ACME")
    assert "ACME: unbilled €500.00" in chat.text("/report")
    assert "Unbilled: 1 task, €500.00 — /invoice ACME" in chat.text("/client ACME")


def test_hours_and_fixed_prices_together_show_both(chat) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("€500 website for ACME")
    chat.say("2h design for ACME")
    assert "ACME: unbilled 2h (€660.00)" in chat.text("/report")
    assert "Unbilled: 2 tasks, 2h, €660.00" in chat.text("/client ACME")
