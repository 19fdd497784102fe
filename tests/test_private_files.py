"""The database, the key file and the outbox's PDFs are private to the user running the bot (0600 in 0700
folders), and a symlink in the outbox is never written through."""
import os
import stat
from pathlib import Path

from bot.local import save_document
from bot.settings import Settings
from core.messages import Document
from tests.test_cli import invoicebot


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_first_run_makes_every_file_with_private_data_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    previous = os.umask(0o022)  # what most systems hand a process
    try:
        result = invoicebot("chat", "--as", "alice", tmp=tmp_path, env={"INVOICEBOT_DATA_DIR": str(data)},
                            stdin="/profile set name Jane Doe\n/profile set payment IBAN DE89 3704 0044 0532 0130 00\n"
                                  "/profile set address Hauptstr. 1 | 10115 Berlin\n/profile set country DE\n"
                                  "/profile set tax_number 12/345/67890\n/client add ACME rate 80\n"
                                  "/client set ACME country DE\n/client set ACME address Ring 2 | 50667 Köln\n"
                                  "2h design for ACME\n/invoice ACME\n")
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    [pdf] = (data / "outbox" / "alice").glob("*.pdf")  # alice's own outbox folder
    folders = (data, data / "outbox", data / "outbox" / "alice")
    assert {path.name: oct(mode(path)) for path in folders} == {"data": "0o700", "outbox": "0o700", "alice": "0o700"}
    files = [data / "secret.key", pdf, *data.glob("invoicebot.db*")]
    assert {path.name: oct(mode(path)) for path in files} == {path.name: "0o600" for path in files}


def test_an_older_database_left_readable_is_made_private_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    invoicebot("chat", "--as", "alice", tmp=tmp_path, env={"INVOICEBOT_DATA_DIR": str(data)}, stdin="/tasks\n")
    for path in (data, data / "invoicebot.db", data / "secret.key"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    result = invoicebot("chat", "--as", "alice", tmp=tmp_path, env={"INVOICEBOT_DATA_DIR": str(data)}, stdin="/tasks\n")
    assert (mode(data), mode(data / "invoicebot.db"), mode(data / "secret.key")) == (0o700, 0o600, 0o600)
    assert "readable by other users" in result.stderr


def test_a_dangling_symlink_in_the_outbox_is_not_followed(tmp_path: Path) -> None:
    outbox, outside = tmp_path / "outbox", tmp_path / "elsewhere" / "stolen.pdf"
    outbox.mkdir()
    outside.parent.mkdir()
    (outbox / "INV-2026-0001.pdf").symlink_to(outside)
    saved = save_document(outbox, Document("INV-2026-0001.pdf", b"%PDF-1.7 private"))
    assert not outside.exists()
    assert saved.parent == outbox.resolve() and saved.name == "INV-2026-0001-2.pdf"
    assert saved.read_bytes() == b"%PDF-1.7 private" and mode(saved) == 0o600


def test_the_http_server_listens_on_this_machine_only_unless_told() -> None:
    assert Settings.from_env({}, read_dotenv=False).host == "127.0.0.1"
    assert Settings.from_env({"INVOICEBOT_HOST": "0.0.0.0"}, read_dotenv=False).host == "0.0.0.0"
