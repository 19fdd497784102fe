"""The terminal user's reminders: what a button does must be typeable, as in `invoicebot chat`."""
import io

from bot.local import LocalNotifier
from core.messages import Action, Reply


def test_a_reminder_printed_in_the_terminal_shows_its_buttons_as_commands() -> None:
    out = io.StringIO()
    reply = Reply("Nothing logged today.\nOr log the same as the day before: 2h ACME — design.",
                  actions=(Action("Same as yesterday", "/again 2026-11-23 2026-11-24"),))
    LocalNotifier(out).send("zoe", reply)
    printed = out.getvalue()
    assert printed.startswith("[to zoe] Nothing logged today.")
    assert "[Same as yesterday: /again 2026-11-23 2026-11-24]" in printed


def test_a_reminder_without_buttons_prints_only_its_text() -> None:
    out = io.StringIO()
    LocalNotifier(out).send("zoe", Reply("Weekly digest"))
    assert out.getvalue() == "[to zoe] Weekly digest\n"


def test_a_terminal_reminder_says_what_delivers_it(chat) -> None:
    text = chat.text("/remind daily 18:00")
    assert text.startswith("I'll remind you to log your work at 18:00")
    assert text.endswith("In the terminal, reminders are printed by `invoicebot reminders run-once`: "
                         "run it every minute from cron (or a systemd timer).")


def test_a_telegram_reminder_has_no_terminal_note(core) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import Conversation

    text = Conversation(core, user="tg1", platform="telegram").text("/remind daily 18:00")
    assert "run-once" not in text and "here in Telegram" in text
