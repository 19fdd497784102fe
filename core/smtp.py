"""The SMTP side of e-mail: ``SMTP_URL`` read once, and one message handed to the server with the standard library.

``smtp://user:pass@host:587`` upgrades with STARTTLS when the server offers it (a password is never sent over a
connection that didn't), ``smtps://user:pass@host:465`` speaks TLS from the first byte, ``smtp://host:25?tls=off``
is a local relay spoken to in the clear (it takes no password). The server's certificate is checked against the
system's trust store (or the context handed in).

Every failure becomes a :class:`MailError` of one :data:`kind`, so the user is told plainly what went wrong and
the outbox knows whether trying again can help; the password never appears in one.
"""
from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from ipaddress import ip_address
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
TIMEOUT_SECONDS = 30.0
"""For connecting and for each answer of the server: a command waits at most this long on a dead server."""

KINDS = ("unreachable", "timeout", "tls", "login", "recipient", "refused")
"""Why a message didn't go: the server couldn't be reached, didn't answer in time, the TLS handshake or certificate
failed, the login was refused, the recipient was refused, or the server refused the message otherwise."""


class SmtpUrlError(ValueError):
    """``SMTP_URL`` can't work; the message says why (never with the password in it)."""


class MailError(Exception):
    """One message wasn't accepted. ``permanent``: the same message to the same address will fail again."""

    def __init__(self, kind: str, detail: str, *, permanent: bool = False) -> None:
        assert kind in KINDS
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.permanent = permanent


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    """``starttls`` (upgrade when offered), ``tls`` (implicit TLS) or ``off`` (a local relay)."""
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = TIMEOUT_SECONDS

    @property
    def where(self) -> str:
        """The server as users may read it: host and port, no credentials."""
        return f"{self.host}:{self.port}"

    @property
    def is_local(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_smtp_url(url: str) -> SmtpConfig:
    """``SMTP_URL`` as SPEC §4 writes it; a :class:`SmtpUrlError` says what is wrong."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise SmtpUrlError("SMTP_URL is not a URL like smtp://user:password@mail.example.com:587.") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise SmtpUrlError(f"SMTP_URL must start with smtp:// (STARTTLS) or smtps:// (TLS), not {scheme or 'nothing'}://.")
    if not parts.hostname:
        raise SmtpUrlError("SMTP_URL names no server: write it like smtp://user:password@mail.example.com:587.")
    options = {key.lower(): values[-1].lower() for key, values in parse_qs(parts.query).items()}
    unknown = set(options) - {"tls"}
    if unknown:
        raise SmtpUrlError(f"SMTP_URL has an option I don't know: {', '.join(sorted(unknown))} (only tls=off is).")
    tls = options.get("tls", "on")
    if tls not in ("on", "off"):
        raise SmtpUrlError(f"SMTP_URL's tls option is on or off, not {tls}.")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if tls == "off":
        if scheme == "smtps":
            raise SmtpUrlError("SMTP_URL says smtps:// (TLS) and tls=off: choose one.")
        if username or password:
            raise SmtpUrlError("SMTP_URL has tls=off and a user or password: a password is never sent without TLS. "
                               "tls=off is for a local relay that needs no login.")
    security = "off" if tls == "off" else ("tls" if scheme == "smtps" else "starttls")
    return SmtpConfig(host=parts.hostname, port=port or DEFAULT_PORTS[scheme], security=security,
                      username=username, password=password)


class SmtpTransport:
    """Sends one message per connection with :mod:`smtplib` (blocking: call it from a worker thread)."""

    def __init__(self, config: SmtpConfig, ssl_context: ssl.SSLContext | None = None) -> None:
        self.config = config
        self.ssl_context = ssl_context or ssl.create_default_context()

    def send(self, message: EmailMessage, sender: str, recipient: str) -> str:
        """Hand ``message`` to the server for ``recipient``; returns the server's answer to it (``250 … queued as
        …``). Raises :class:`MailError`."""
        config = self.config
        try:
            if config.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                                        context=self.ssl_context)
            else:
                client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            with client:
                return self._converse(client, message, sender, recipient)
        except MailError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            # The operator's to fix (SMTP_URL), not the e-mail's: worth trying again after a restart with a fix.
            raise MailError("login", _answer(exc.smtp_code, exc.smtp_error)) from None
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (550, b""))
            raise MailError("recipient", _answer(code, text), permanent=code >= 500) from None
        except smtplib.SMTPResponseException as exc:
            raise MailError("refused", _answer(exc.smtp_code, exc.smtp_error), permanent=exc.smtp_code >= 500) from None
        except TimeoutError:
            raise MailError("timeout", f"no answer within {config.timeout:g} s") from None
        except ssl.SSLError as exc:
            raise MailError("tls", exc.reason or type(exc).__name__) from None
        except (OSError, smtplib.SMTPException) as exc:  # refused, unknown host, disconnected
            if isinstance(exc.__context__, TimeoutError):  # smtplib reports a read that timed out as a disconnect
                raise MailError("timeout", f"no answer within {config.timeout:g} s") from None
            raise MailError("unreachable", _reason(exc)) from None

    def _converse(self, client: smtplib.SMTP, message: EmailMessage, sender: str, recipient: str) -> str:
        config = self.config
        client.ehlo()
        if config.security == "starttls" and client.has_extn("starttls"):
            client.starttls(context=self.ssl_context)
            client.ehlo()
        elif config.security == "starttls" and config.username:
            raise MailError("tls", "the server doesn't offer STARTTLS, and the password is not sent in the clear")
        if config.username:
            try:
                client.login(config.username, config.password or "")
            except smtplib.SMTPNotSupportedError:
                raise MailError("login", "the server offers no login (AUTH)") from None
        code, answer = client.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        code, answer = client.rcpt(recipient)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
        code, answer = client.data(message.as_bytes(policy=SMTP_POLICY))
        return _answer(code, answer)


def _answer(code: int, text: bytes | str) -> str:
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(shown.split())}"[:500]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return " ".join(str(exc).split())[:200] or type(exc).__name__
