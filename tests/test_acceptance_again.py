"""/again, as the daily nudge's button uses it: its replies name days the way the rest of the chat does."""


def test_a_second_again_names_both_days_in_the_users_locale(chat, clock) -> None:
    chat.say("/profile set locale en_US")
    chat.say("/client add ACME rate 80")
    chat.say("2h design for ACME")
    clock.advance(days=1)
    assert chat.text("/again").startswith("Logged again for Nov 25, 2026")
    assert chat.text("/again") == ("Nov 25, 2026 already has the same entries as Nov 24, 2026; "
                                   "nothing was logged twice.")
