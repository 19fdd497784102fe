"""E-mail to clients against a real SMTP server on 127.0.0.1 (aiosmtpd): /invoice CLIENT send, /send NUMBER
[reminder] [to EMAIL], the outbox's once-only sending and its retries — on SQLite and PostgreSQL."""
from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.wiring import build_core
from core.mail import MailSetup
from core.mailer import Mailer
from core.models import Email, Invoice
from core.smtp import SmtpConfig, SmtpTransport, SmtpUrlError, parse_smtp_url
from tests.conftest import SELLER_PROFILE, Conversation
from tests.mail_server import PASSWORD, USER, closed_port, make_certificate, silent_server, smtp_server

NUMBER = "INV-2026-0001"


def mailer_for(sessions, cipher, clock, config: SmtpConfig, context=None, mail_from=None) -> Mailer:  # type: ignore[no-untyped-def]
    return Mailer(sessions, cipher, clock, SmtpTransport(config, context),
                  setup=MailSetup(server=config.where, mail_from=mail_from))


def relay(port: int) -> SmtpConfig:
    return parse_smtp_url(f"smtp://127.0.0.1:{port}?tls=off")


def mail_chat(sessions, cipher, clock, config: SmtpConfig, context=None) -> Conversation:  # type: ignore[no-untyped-def]
    core = build_core(sessions, cipher, clock, default_tz="Europe/Berlin",
                      mailer=mailer_for(sessions, cipher, clock, config, context))
    return Conversation(core)


def books(chat: Conversation, client_email: str | None = "billing@acme.example", language: str | None = None) -> None:
    for line in (*SELLER_PROFILE, "/profile set email jane@doe.example"):
        chat.text(line)
    chat.text("/client add ACME rate 100" + (f" email {client_email}" if client_email else ""))
    chat.text("/client set ACME country DE")
    chat.text("/profile set tax_rate 19")
    if language:
        chat.text(f"/client set ACME language {language}")
    chat.text("5h website for ACME")


def emails(sessions) -> list[Email]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return list(session.scalars(select(Email).order_by(Email.id)))


def test_invoice_send_emails_the_pdf_to_the_client(sessions, cipher, clock, server) -> None:
    chat = mail_chat(sessions, cipher, clock, relay(server.port))
    books(chat)
    reply = chat.say("/invoice ACME send")
    assert reply.text.startswith(f"Invoice {NUMBER} for ACME: 1 line, total €595.00, due 24 Dec 2026.")
    assert reply.text.endswith(f"E-mailed {NUMBER} to billing@acme.example.")
    assert reply.document is not None and reply.document.filename == f"{NUMBER}.pdf"  # the chat gets it too

    [received] = server.handler.wait_for(1)
    assert received.recipients == ["billing@acme.example"]
    assert received.sender == "jane@doe.example"
    message = received.message
    assert message["Subject"] == f"Invoice {NUMBER} from Jane Doe Design"
    assert message["From"] == "Jane Doe Design <jane@doe.example>"
    assert message["To"] == "billing@acme.example" and message["Reply-To"] == "jane@doe.example"
    body = message.get_body(("plain",)).get_content()
    assert f"please find attached invoice {NUMBER} of 24 Nov 2026 for €595.00, due on 24 Dec 2026." in body
    assert f"Please quote {NUMBER} as the payment reference." in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{NUMBER}.pdf" and attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert pdf == reply.document.content  # the very PDF of the invoice
    assert NUMBER in PdfReader(__import__("io").BytesIO(pdf)).pages[0].extract_text()

    [row] = emails(sessions)
    assert (row.status, row.recipient, row.attempts) == ("sent", "billing@acme.example", 1)
    assert row.message_id == message["Message-ID"] and row.server_reply == "250 2.0.0 Ok: queued as TEST0001"
    assert row.sent_at == clock.now
    assert "e-mailed to billing@acme.example on 24 Nov 2026" in chat.text("/invoices")
    assert "the mail server answered “250 2.0.0 Ok: queued as TEST0001”" in chat.text(f"/invoice show {NUMBER}")


def test_send_again_elsewhere_a_reminder_and_a_credit_note(sessions, cipher, clock, server) -> None:
    chat = mail_chat(sessions, cipher, clock, relay(server.port))
    books(chat)
    chat.invoice("/invoice ACME")
    assert emails(sessions) == []  # without send, nothing is e-mailed
    assert chat.text(f"/send {NUMBER} to accounts@acme.example") == f"E-mailed {NUMBER} to accounts@acme.example."
    chat.text(f"/paid {NUMBER} 200")
    clock.advance(days=40)
    assert chat.text(f"/send {NUMBER} reminder") == (
        f"E-mailed a payment reminder for {NUMBER} to billing@acme.example, with the invoice attached.")
    first, reminder = server.handler.wait_for(2)
    assert first.recipients == ["accounts@acme.example"]
    assert reminder.message["Subject"] == f"Payment reminder: invoice {NUMBER} from Jane Doe Design"
    text = reminder.message.get_body(("plain",)).get_content()
    assert "is not fully paid yet: €395.00 of €595.00 is outstanding." in text
    assert [a.get_filename() for a in reminder.message.iter_attachments()] == [f"{NUMBER}.pdf"]
    assert first.message["Message-ID"] != reminder.message["Message-ID"]

    chat.text(f"/unpaid {NUMBER}")
    assert chat.text(f"/void {NUMBER}").startswith(f"Cancelled {NUMBER} with credit note CN-2027-0001")
    assert chat.text(f"/send {NUMBER}") == f"{NUMBER} is cancelled by credit note CN-2027-0001: /send CN-2027-0001 " \
                                           "e-mails the credit note."
    assert chat.text("/send CN-2027-0001") == "E-mailed CN-2027-0001 to billing@acme.example."
    credit = server.handler.wait_for(3)[2].message
    assert credit["Subject"] == "Credit note CN-2027-0001 from Jane Doe Design"
    assert f"which cancels invoice {NUMBER}." in credit.get_body(("plain",)).get_content()
    assert [a.get_filename() for a in credit.iter_attachments()] == ["CN-2027-0001.pdf"]


def test_what_can_not_be_sent_is_refused_and_nothing_is_issued_or_queued(sessions, cipher, clock, server) -> None:
    chat = mail_chat(sessions, cipher, clock, relay(server.port))
    books(chat, client_email=None)
    refusal = chat.text("/invoice ACME send")
    assert refusal.startswith("ACME has no e-mail address, so I issued nothing: set it with /client set ACME email")
    with sessions() as session:
        assert session.scalar(select(Invoice.id)) is None
    chat.invoice("/invoice ACME")
    assert chat.text(f"/send {NUMBER}").startswith("ACME has no e-mail address: set it with /client set ACME email")
    assert chat.text(f"/send {NUMBER} to not-an-address") == "“not-an-address” doesn't look like an email address."
    assert chat.text(f"/send {NUMBER} to").startswith("Use /send NUMBER to e-mail an invoice")
    assert chat.text("/send INV-2026-0099").startswith("There is no invoice INV-2026-0099.")
    chat.text(f"/paid {NUMBER}")
    assert chat.text(f"/send {NUMBER} reminder") == f"{NUMBER} is paid in full: there is nothing to remind ACME of."
    assert emails(sessions) == [] and server.received == []


def test_without_smtp_url_send_says_email_is_not_set_up(chat, sessions) -> None:
    books(chat)
    for command in ("/invoice ACME send", f"/send {NUMBER}"):
        assert chat.text(command).startswith("E-mail isn't set up on this bot, so nothing was sent. Whoever runs it "
                                             "sets SMTP_URL")
    with sessions() as session:
        assert session.scalar(select(Invoice.id)) is None and session.scalar(select(Email.id)) is None


def test_a_redelivered_message_sends_once(sessions, cipher, clock, server) -> None:
    chat = mail_chat(sessions, cipher, clock, relay(server.port))
    books(chat)
    chat.invoice("/invoice ACME")
    assert chat.say(f"/send {NUMBER}", message_id="update-77").text == f"E-mailed {NUMBER} to billing@acme.example."
    assert chat.say(f"/send {NUMBER}", message_id="update-77") is None
    assert len(server.handler.wait_for(1)) == 1 and len(emails(sessions)) == 1


@pytest.mark.parametrize("how", ["starttls", "implicit"])
def test_login_over_starttls_and_implicit_tls_with_a_checked_certificate(how, tmp_path, sessions, cipher, clock) -> None:
    cert = make_certificate(tmp_path)
    options = {"starttls": cert} if how == "starttls" else {"implicit_tls": cert}
    with smtp_server(login=True, **options) as tls_server:
        scheme = "smtp" if how == "starttls" else "smtps"
        config = parse_smtp_url(f"{scheme}://{USER}:{PASSWORD}@127.0.0.1:{tls_server.port}")
        chat = mail_chat(sessions, cipher, clock, config, cert.client_context())
        books(chat)
        assert chat.text("/invoice ACME send").endswith(f"E-mailed {NUMBER} to billing@acme.example.")
        assert tls_server.handler.wait_for(1)[0].recipients == ["billing@acme.example"]
        # The same server with a certificate nobody vouched for: refused, not sent in the clear.
        untrusted = mail_chat(sessions, cipher, clock, config)
        assert "the secure connection to the mail server 127.0.0.1" in untrusted.text(f"/send {NUMBER}")
        assert len(tls_server.received) == 1


def test_each_failure_is_said_plainly_and_retried_later(tmp_path, sessions, cipher, clock, server) -> None:
    cert = make_certificate(tmp_path)
    with smtp_server(starttls=cert, login=True) as guarded, silent_server() as hung:
        cases = {
            "unreachable": (relay(closed_port()), "the mail server 127.0.0.1:{port} can't be reached "
                                                  "(connection refused)."),
            "timeout": (dataclasses.replace(relay(hung), timeout=0.5),
                        "the mail server 127.0.0.1:{port} didn't answer in time."),
            "login": (parse_smtp_url(f"smtp://{USER}:wrong@127.0.0.1:{guarded.port}"),
                      "the mail server 127.0.0.1:{port} refused the login of SMTP_URL (535 5.7.8 Authentication "
                      "credentials invalid)."),
        }
        chat = mail_chat(sessions, cipher, clock, relay(server.port))
        books(chat)
        chat.invoice("/invoice ACME")
        for kind, (config, said) in cases.items():
            failing = mail_chat(sessions, cipher, clock, config, cert.client_context())
            reply = failing.text(f"/send {NUMBER}")
            assert reply == (f"I couldn't e-mail {NUMBER} to billing@acme.example: " + said.format(port=config.port)
                             + f" {NUMBER} stays issued; /send {NUMBER} tries again."), kind
        [row] = emails(sessions)  # one e-mail, tried three times: "/send again" is not a second e-mail
        assert (row.status, row.attempts, row.error_kind) == ("queued", 3, "login")
        assert "not sent yet (535 5.7.8 Authentication credentials invalid)" in chat.text("/invoices")
        with sessions() as session:
            assert session.scalar(select(Invoice.status)) == "open"

        # The retry runs by itself once its wait is over, with the same Message-ID.
        sender = mailer_for(sessions, cipher, clock, relay(server.port))
        assert sender.deliver_due().sent == 0  # not yet due
        clock.advance(minutes=30)
        assert str(sender.deliver_due()) == "1 sent, 0 failed"
        [received] = server.handler.wait_for(1)
        assert received.message["Message-ID"] == row.message_id
        assert str(sender.deliver_due()) == "0 sent, 0 failed"

    server.handler.refused.add("billing@acme.example")
    refused = chat.text(f"/send {NUMBER} reminder")
    assert refused == (f"I couldn't e-mail {NUMBER}: the mail server refused the address billing@acme.example (550 "
                       "5.1.1 <billing@acme.example>: Recipient address rejected: User unknown). "
                       f"{NUMBER} stays issued; /send {NUMBER} tries again.")
    assert emails(sessions)[-1].status == "failed"  # a refused address is not retried by itself
    clock.advance(days=1)
    assert str(mailer_for(sessions, cipher, clock, relay(server.port)).deliver_due()) == "0 sent, 0 failed"


def test_two_workers_racing_send_each_email_once(sessions, cipher, clock, server, db_kind) -> None:
    chat = Conversation(build_core(sessions, cipher, clock, default_tz="Europe/Berlin"))
    books(chat)
    chat.invoice("/invoice ACME")
    queued = mailer_for(sessions, cipher, clock, relay(server.port))
    with sessions.begin() as session:  # queued by a process that died before sending them
        from core.mail import queue_invoice_mail

        invoice = session.scalar(select(Invoice))
        for n in range(6):
            queue_invoice_mail(session, invoice.client.account, invoice, clock.now, mail_from=None,
                               to=f"copy{n}@acme.example")
    start = threading.Barrier(2)
    reports = []

    def work() -> None:
        start.wait()
        reports.append(queued.deliver_due())

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sum(r.sent for r in reports) == 6, reports
    received = server.handler.wait_for(6)
    assert sorted(r.recipients[0] for r in received) == [f"copy{n}@acme.example" for n in range(6)]
    assert {e.status for e in emails(sessions)} == {"sent"}


class Crash(BaseException):
    """The process dies between claiming the e-mail and the server's answer."""


class CrashingTransport:
    def send(self, message, sender, recipient) -> str:  # type: ignore[no-untyped-def]
        raise Crash()


def test_a_crash_after_commit_is_sent_by_run_once(tmp_path: Path, database_url, sessions, cipher, clock,
                                                  server) -> None:
    from bot.scheduler import run_once
    from bot.settings import Settings
    from tests.conftest import TEST_KEY

    core = build_core(sessions, cipher, clock, default_tz="Europe/Berlin",
                      mailer=Mailer(sessions, cipher, clock, CrashingTransport(), setup=MailSetup("127.0.0.1:1")))
    chat = Conversation(core)
    books(chat)
    with pytest.raises(Crash):
        chat.invoice("/invoice ACME send")
    [row] = emails(sessions)
    assert row.status == "queued" and row.lease_owner is not None  # committed and claimed, never handed over
    with sessions() as session:
        assert session.scalar(select(Invoice.number)) == NUMBER

    settings = Settings.from_env({"DATABASE_URL": database_url, "INVOICEBOT_SECRET_KEYS": TEST_KEY,
                                  "INVOICEBOT_DATA_DIR": str(tmp_path), "SMTP_URL": f"smtp://127.0.0.1:{server.port}"
                                                                                   "?tls=off"})
    run_once(settings, clock.now)  # the lease still stands: nobody sends it twice at once
    assert server.received == []
    run_once(settings, clock.now + __import__("datetime").timedelta(minutes=6))
    [received] = server.handler.wait_for(1)
    assert received.message["Message-ID"] == row.message_id
    assert emails(sessions)[0].status == "sent"


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://bot:pa%40ss@mail.example.com:587", ("mail.example.com", 587, "starttls", "bot", "pa@ss")),
    ("smtp://bot:pw@mail.example.com", ("mail.example.com", 587, "starttls", "bot", "pw")),
    ("smtps://bot:pw@mail.example.com", ("mail.example.com", 465, "tls", "bot", "pw")),
    ("smtp://localhost:25?tls=off", ("localhost", 25, "off", None, None)),
])
def test_smtp_url_forms(url: str, expected: tuple) -> None:  # type: ignore[type-arg]
    config = parse_smtp_url(url)
    assert (config.host, config.port, config.security, config.username, config.password) == expected
    assert "pw" not in repr(config) and "pa@ss" not in repr(config)


@pytest.mark.parametrize(("url", "said"), [
    ("http://mail.example.com", "must start with smtp://"),
    ("smtp://bot:pw@relay:25?tls=off", "a password is never sent without TLS"),
    ("smtps://relay?tls=off", "choose one"),
    ("smtp://relay?starttls=yes", "an option I don't know: starttls"),
    ("smtp://:587", "names no server"),
])
def test_bad_smtp_urls_are_refused_with_the_reason(url: str, said: str) -> None:
    with pytest.raises(SmtpUrlError, match=said):
        parse_smtp_url(url)


def test_the_email_speaks_the_clients_language(sessions, cipher, clock, server) -> None:
    chat = mail_chat(sessions, cipher, clock, relay(server.port))
    books(chat, language="de")
    assert chat.invoice("/invoice ACME send").text.endswith(f"E-mailed {NUMBER} to billing@acme.example.")
    message = server.handler.wait_for(1)[0].message
    assert message["Subject"] == f"Rechnung {NUMBER} von Jane Doe Design"
    assert message["Content-Language"] == "de"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == (
        "Hallo ACME,\n\nanbei erhalten Sie die Rechnung INV-2026-0001 vom 24.11.2026 über 595,00\xa0€, fällig am "
        "24.12.2026.\n\nBitte geben Sie bei der Zahlung INV-2026-0001 als Verwendungszweck an.\n\nMit freundlichen "
        "Grüßen\nJane Doe Design\n")


async def test_invoicebot_run_tries_a_failed_email_again_by_itself(sessions, cipher, clock, server) -> None:
    import asyncio
    from types import SimpleNamespace

    from bot.scheduler import run_scheduler

    down = mail_chat(sessions, cipher, clock, relay(closed_port()))
    books(down)
    down.invoice("/invoice ACME")
    assert "can't be reached" in down.text(f"/send {NUMBER}")
    core = build_core(sessions, cipher, clock, default_tz="Europe/Berlin",
                      mailer=mailer_for(sessions, cipher, clock, relay(server.port)))
    stop = asyncio.Event()
    loop = asyncio.create_task(run_scheduler(SimpleNamespace(sessions=sessions, core=core), {}, stop, interval=0.02))
    clock.advance(minutes=1)  # the first wait after a failure
    [received] = await asyncio.to_thread(server.handler.wait_for, 1)
    stop.set()
    await asyncio.wait_for(loop, 10)
    assert received.message["Message-ID"] == emails(sessions)[0].message_id
    assert [(e.status, e.attempts) for e in emails(sessions)] == [("sent", 2)]


def test_an_invoice_that_was_emailed_is_not_taken_back_by_undo(sessions, cipher, clock, server) -> None:
    chat = mail_chat(sessions, cipher, clock, relay(server.port))
    books(chat)
    chat.invoice("/invoice ACME send")
    chat.text("/undo")
    with sessions() as session:
        assert session.scalar(select(Invoice.status).where(Invoice.number == NUMBER)) == "open"
        assert session.scalar(select(Invoice.id).where(Invoice.kind == "credit_note")) is None
