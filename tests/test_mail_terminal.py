"""``/invoice ACME send`` in the terminal channel (a real ``invoicebot chat`` process) puts exactly one e-mail with
the PDF into a real SMTP server on 127.0.0.1, sent before the process exits."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import SELLER_PROFILE
from tests.mail_server import MailServer, Received
from tests.test_cli import invoicebot

NUMBER = "INV-2026-0001"
SETUP = (*SELLER_PROFILE, "/profile set email jane@doe.example", "/client add ACME rate 100 email billing@acme.example",
         "/client set ACME country DE", "5h website for ACME")


def one_invoice_email(received: list[Received]) -> Received:
    """The one e-mail ``/invoice ACME send`` makes: to ACME, with the invoice's PDF."""
    [only] = received
    assert only.recipients == ["billing@acme.example"]
    assert only.message["Subject"] == f"Invoice {NUMBER} from Jane Doe Design"
    assert [a.get_filename() for a in only.message.iter_attachments()] == [f"{NUMBER}.pdf"]
    return only


def test_invoice_send_in_the_terminal(tmp_path: Path, database_url: str, server: MailServer) -> None:
    env = {"DATABASE_URL": database_url, "SMTP_URL": f"smtp://127.0.0.1:{server.port}?tls=off"}
    result = invoicebot("chat", "--as", "alice", tmp=tmp_path, env=env, stdin="\n".join([*SETUP, "/invoice ACME send"]))
    assert result.returncode == 0, result.stderr
    assert f"E-mailed {NUMBER} to billing@acme.example." in result.stdout  # sent before the process exited
    assert (tmp_path / "outbox" / "alice" / f"{NUMBER}.pdf").is_file()  # alice's own outbox folder
    one_invoice_email(server.received)
