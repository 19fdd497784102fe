"""No secret in a log line, at any level: a logging filter that blanks configured secrets, token patterns and IBANs.

HTTP clients put credentials in URLs (Telegram's bot token is part of every Bot API address), debug logs echo
request bodies, and users type payment details into chat. :class:`RedactSecrets` sits on the root logger's handlers
(installed by :func:`install` in the composition root), so every record that reaches an output — text today, any
other formatter later — is cleaned once: its message, its arguments, its traceback and its stack.

What is blanked:
- every configured secret, as written and URL-encoded: bot and app tokens, the signing and webhook secrets, the
  SMTP and database passwords, OAuth client secrets, the encryption keys;
- anything shaped like a credential even when nobody configured it (a workspace's token from an OAuth install, a
  personal API token): ``xox…-``/``xapp-`` Slack tokens, Telegram bot tokens, ``ib_…`` API tokens;
- IBANs: a pattern finds candidates, python-stdnum's checksum confirms them (an order number is left alone).

A formatter must print ``record.exc_text`` (the standard one does) rather than format ``exc_info`` itself.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote, unquote, urlsplit

from bot.settings import Settings

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6
"""Shorter configured values are not searched for: blanking every "abc" would garble the log, not protect it."""

QUIET_LOGGERS = ("httpx", "httpcore", "hpack", "urllib3")
"""HTTP client internals: at INFO httpx logs each request URL (with Telegram's token in it); at DEBUG httpcore and
urllib3 log headers. Their own warnings still come through."""

_TOKEN_PATTERNS = re.compile(
    r"\bxox[abeoprs]-[A-Za-z0-9-]{8,}"        # Slack bot, user and refresh tokens
    r"|\bxapp-[A-Za-z0-9-]{8,}"               # Slack app-level tokens (Socket Mode)
    r"|\b\d{5,16}:[A-Za-z0-9_-]{30,}"         # Telegram bot tokens
    r"|\bib_[A-Za-z0-9_-]{32,}"               # the REST API's personal tokens
)
_IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b", re.IGNORECASE)


def redact_ibans(text: str) -> str:
    from stdnum import iban

    def check(match: re.Match[str]) -> str:
        candidate = match.group(0)
        # The candidate may run on into the next word: try the longest valid IBAN from its start.
        compact = candidate.replace(" ", "")
        for end in range(len(compact), 14, -1):
            if iban.is_valid(compact[:end]):
                consumed = _span_of(candidate, end)
                return "[redacted IBAN]" + candidate[consumed:]
        return candidate

    return _IBAN_CANDIDATE.sub(check, text)


def _span_of(text: str, compact_length: int) -> int:
    """How many characters of ``text`` (with spaces) hold its first ``compact_length`` non-space characters."""
    seen = 0
    for index, char in enumerate(text):
        if char != " ":
            seen += 1
            if seen == compact_length:
                return index + 1
    return len(text)


class RedactSecrets(logging.Filter):
    """Rewrites each record so that no secret, credential-shaped token or IBAN is left in it; never drops one."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        """Also blank these values (and their URL-encoded forms)."""
        for secret in secrets:
            if secret and len(secret) >= MIN_SECRET_LENGTH:
                self._secrets.update({secret, quote(secret, safe=""), quote(secret, safe="/:")})
        if self._secrets:
            longest_first = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in longest_first))

    def redact(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(REDACTED, text)
        text = _TOKEN_PATTERNS.sub(REDACTED, text)
        return redact_ibans(text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep what can be shown
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configured_secrets(settings: Settings) -> list[str | None]:
    """Every secret the settings hold; the webhook secret derived from the bot token when none is set."""
    values: list[str | None] = [
        settings.telegram_token, settings.telegram_webhook_secret, settings.slack_bot_token,
        settings.slack_signing_secret, settings.slack_app_token, settings.slack_client_secret,
        *settings.secret_keys, _password(settings.database_url), _password(settings.smtp_url),
        _sentry_key(settings.sentry_dsn),
    ]
    values += [unquote(value) for value in values if value and "%" in value]  # as typed, and as sent to the server
    if settings.telegram_token and not settings.telegram_webhook_secret:
        from adapters.telegram.webhook import derive_secret

        values.append(derive_secret(settings.telegram_token))
    return values


def _password(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def _sentry_key(dsn: str | None) -> str | None:
    """A Sentry DSN's key (its user part) lets anyone post events to the project: a secret too."""
    if not dsn:
        return None
    try:
        return urlsplit(dsn).username
    except ValueError:
        return None


def install(settings: Settings, level: int) -> RedactSecrets:
    """Log at ``level`` to stderr through the redacting filter, as text or JSON lines (``INVOICEBOT_LOG_FORMAT``);
    the HTTP clients' chatter is kept to warnings; Sentry too when ``SENTRY_DSN`` is set."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    redactor = RedactSecrets(configured_secrets(settings))
    json_lines = settings.log_format == "json"
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
        if json_lines:
            from bot.logs import JsonFormatter

            handler.setFormatter(JsonFormatter())
    dsn = settings.sentry_dsn
    if dsn:
        from bot.logs import start_sentry

        start_sentry(dsn, redactor)
    return redactor


def protect(*secrets: str) -> None:
    """Add secrets learnt after start (a key file read or created) to every redacting filter on the root handlers."""
    for handler in logging.getLogger().handlers:
        for existing in handler.filters:
            if isinstance(existing, RedactSecrets):
                existing.add(*secrets)
