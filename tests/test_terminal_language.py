"""The terminal channel's own sentences — its greeting, the notice about bytes that weren't UTF-8 — are in the
user's language: the one chosen with /language, else the terminal's locale."""
import io
from pathlib import Path

from bot.local import LocalChannel

GERMAN_GREETING = "invoicebot — du sprichst als jana. Schreib /help oder woran du gearbeitet hast; Strg-D beendet.\n"


def test_a_new_user_is_greeted_in_the_terminal_s_language(core, tmp_path: Path) -> None:
    out = io.StringIO()
    LocalChannel(core, "jana", tmp_path, out=out, locale="de_DE").greet()
    assert out.getvalue() == GERMAN_GREETING


def test_the_greeting_is_in_the_language_the_user_chose_whatever_the_terminal_says(core, tmp_path: Path) -> None:
    LocalChannel(core, "jana", tmp_path, out=io.StringIO(), locale="en_GB").send("/language de")
    out = io.StringIO()
    LocalChannel(core, "jana", tmp_path, out=out, locale="en_US").greet()
    assert out.getvalue() == GERMAN_GREETING
    other = io.StringIO()
    LocalChannel(core, "olga", tmp_path, out=other, locale="en_US").greet()  # another user at that terminal
    assert other.getvalue().startswith("invoicebot — talking as olga. Type /help")


def test_the_notice_about_bytes_that_weren_t_utf8_is_in_the_user_s_language(core, tmp_path: Path) -> None:
    out = io.StringIO()
    LocalChannel(core, "jana", tmp_path, out=out, locale="de_DE").run(
        ["/client add ACME rate 80\n", "2h caf\udce9 Menü für ACME\n"])  # a Latin-1 é, as surrogateescape reads it
    assert ("Ein Teil dieser Zeile war kein UTF-8 (Bytes 0xE9), deshalb lese ich sie als „2h caf\ufffd Menü für "
            "ACME“.") in out.getvalue()
    LocalChannel(core, "jana", tmp_path, out=io.StringIO(), locale="de_DE").send("/language fr")
    first = io.StringIO()  # before any reply of this session: the language chosen, not the terminal's
    LocalChannel(core, "jana", tmp_path, out=first, locale="de_DE").run(["1h caf\udce9 pour ACME\n"])
    assert first.getvalue().startswith("Une partie de cette ligne n'était pas en UTF-8 (octets 0xE9)")
