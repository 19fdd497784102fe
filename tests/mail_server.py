"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), with the ways a server can say no: a refused login, a
refused recipient, STARTTLS or implicit TLS with a test certificate made here, and stand-ins for an unreachable
server (a closed port) and one that never answers (a socket that accepts and stays silent)."""
from __future__ import annotations

import datetime as dt
import email
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "bot", "s3cret-smtp-pass"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class MailHandler:
    refused: set[str] = field(default_factory=set)
    """Recipients the server refuses (550)."""
    received: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.arrived:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
            self.arrived.notify_all()
            return f"250 2.0.0 Ok: queued as TEST{len(self.received):04d}"

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, timeout), \
                f"{len(self.received)} e-mail(s) arrived, expected {count}"
            return list(self.received)


def _authenticator(password: str):  # type: ignore[no-untyped-def]
    def authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and \
            auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)

    return authenticate


@dataclass
class TestCertificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def make_certificate(folder: Path) -> TestCertificate:
    """A self-signed certificate for 127.0.0.1 and localhost, made with cryptography."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "invoicebot test mail server")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return TestCertificate(cert_path, key_path)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class MailServer:
    handler: MailHandler
    port: int

    @property
    def received(self) -> list[Received]:
        return self.handler.received


@contextmanager
def smtp_server(*, starttls: TestCertificate | None = None, implicit_tls: TestCertificate | None = None,
                login: bool = False, password: str = PASSWORD) -> Iterator[MailServer]:
    """A plain relay by default; with ``starttls`` it offers STARTTLS, with ``implicit_tls`` it speaks TLS from the
    start; with ``login`` it wants USER/PASSWORD (over TLS only)."""
    handler = MailHandler()
    port = free_port()
    kwargs: dict = {}
    if starttls is not None:
        kwargs["tls_context"] = starttls.server_context()
    if implicit_tls is not None:
        kwargs["ssl_context"] = implicit_tls.server_context()
    if login:  # over TLS only; aiosmtpd counts only STARTTLS as TLS, so implicit TLS says so itself
        kwargs.update(authenticator=_authenticator(password), auth_required=True, auth_require_tls=implicit_tls is None)
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield MailServer(handler, port)
    finally:
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung server): the client's timeout must end it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


def closed_port() -> int:
    """A port nothing listens on: connecting is refused."""
    return free_port()
