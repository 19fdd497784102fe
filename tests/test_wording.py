"""Replies say exactly what went wrong, once, and file names are the ones printed (issue 10, item 16)."""
import io
from pathlib import Path

from bot.local import LocalChannel, save_document
from core.messages import Document, Reply, safe_file_name
from tests.conftest import Conversation


def test_delete_without_a_number_says_how_to_use_it(chat: Conversation) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("1h call for ACME")
    assert chat.text("/delete") == "Use /delete NUMBER, e.g. /delete 12; /tasks shows your tasks with their numbers."
    assert "#1" in chat.text("/tasks")  # nothing deleted


def test_a_negative_tax_rate_is_refused_as_below_zero_not_as_not_positive(chat: Conversation) -> None:
    assert chat.text("/profile set tax_rate -5") == "The tax rate must be 0 or more, not “-5”."
    assert chat.text("/profile set tax_rate 0") == "Saved your tax rate: 0%."  # 0 is what "0 or more" allows


def test_renaming_a_client_names_the_old_and_the_new_name_once_each(chat: Conversation) -> None:
    chat.text("/client add ACME rate 80")
    assert chat.text("/client set ACME name Acme Corp") == "Renamed ACME to Acme Corp."
    assert "Acme Corp" in chat.text("/clients")


def test_a_note_ending_a_sentence_gets_no_second_full_stop(chat: Conversation) -> None:
    chat.text("/client add ACME rate 80")
    assert chat.text("/client set ACME notes Thanks for your business.") == (
        "Updated notes of ACME: Thanks for your business.")
    assert chat.text("/client set ACME notes PO 4711") == "Updated notes of ACME: PO 4711."


def test_a_weekly_reminder_on_an_unknown_day_names_the_word(chat: Conversation) -> None:
    assert chat.text("/remind weekly funday 16:00") == (
        "“funday” is not a day I know. Give one day and a time: /remind weekly fri 16:00.")
    assert chat.text("/remind weekly 16:00 funday").startswith("“funday” is not a day I know.")
    assert chat.text("/reminders").startswith("You have no reminders.")
    assert chat.text("/remind weekly fri 25:00").startswith("“25:00” is not a time of day")


def test_the_path_printed_is_the_file_written_when_the_name_was_taken(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "INV-2026-0001.pdf").write_bytes(b"an earlier copy")
    out = io.StringIO()
    channel = LocalChannel(core=None, user="alice", outbox=outbox, out=out)  # type: ignore[arg-type]  # show() only
    channel.show(Reply("Invoice INV-2026-0001", document=Document("INV-2026-0001.pdf", b"%PDF-1.7")))
    printed = out.getvalue().splitlines()[1]
    written = outbox.resolve() / "INV-2026-0001-2.pdf"
    assert printed == f"Saved to {written}"
    assert written.read_bytes() == b"%PDF-1.7"


def test_file_names_keep_accents_and_other_scripts() -> None:
    assert safe_file_name("DRAFT-Café Müller.pdf") == "DRAFT-Café_Müller.pdf"
    assert safe_file_name("DRAFT-ООО Ромашка.pdf") == "DRAFT-ООО_Ромашка.pdf"
    assert safe_file_name("Cafe\u0301.pdf") == "Café.pdf"  # a decomposed accent is composed, not dropped
    assert safe_file_name("../../etc/passwd") == "etc_passwd"
    assert safe_file_name("a\x00b\n.pdf") == "a_b_.pdf"
    assert safe_file_name("///", "document.pdf") == "document.pdf"


def test_a_draft_of_a_client_with_accents_is_saved_under_its_name(chat: Conversation, tmp_path: Path) -> None:
    chat.text("/client add Café Müller rate 80")
    chat.text("/profile set name Jane Doe Design")
    chat.text("2h menu for Café Müller")
    draft = chat.say("/invoice Café Müller preview")
    assert draft is not None and draft.document is not None
    assert draft.document.filename == "DRAFT-Café_Müller.pdf"
    assert save_document(tmp_path, draft.document).name == "DRAFT-Café_Müller.pdf"
