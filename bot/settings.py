"""Configuration from the environment (and a .env file in the working folder), read once at start (SPEC §4)."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")


class ConfigError(Exception):
    """The configuration can't work; the message says which variable to fix."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_keys: tuple[str, ...]
    outbox: Path
    default_tz: str = "UTC"
    telegram_token: str | None = None
    telegram_api_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    port: int = 8080
    host: str = "127.0.0.1"
    """Where the HTTP server listens: this machine only unless told (the Docker image says 0.0.0.0)."""
    api_enabled: bool = False
    """INVOICEBOT_API=on: `invoicebot run` serves the REST API under /api/v1 (SPEC §10)."""
    api_rate_per_minute: int = 120
    """INVOICEBOT_API_RATE_LIMIT: requests a minute one API token may make (a burst of half that at once)."""
    inbox_max: int = 5000
    """INVOICEBOT_INBOX_MAX: received messages waiting to be handled at which intake stops (core/inbox.py)."""
    inbox_lease_s: int = 30
    """INVOICEBOT_INBOX_LEASE: seconds after which a message claimed by a worker that died is taken over."""
    log_level: str | None = None
    """DEBUG, INFO, WARNING or ERROR; None: INFO for `invoicebot run`, WARNING for the other commands."""
    smtp_url: str | None = None
    """Enables e-mail to clients (SPEC §4, §7); checked at start by :meth:`smtp`."""
    mail_from: str | None = None
    """The From address of e-mails; None: each user's profile e-mail."""
    log_format: str = "text"
    """``text`` (one readable line) or ``json`` (one JSON object a line, for a log collector)."""
    sentry_dsn: str | None = None
    """Report errors to Sentry (needs the ``sentry`` extra)."""

    @property
    def slack_enabled(self) -> bool:
        """A token (or OAuth client for several workspaces), plus a way to receive: HTTP (signing secret) or
        Socket Mode (app token)."""
        has_token = bool(self.slack_bot_token or (self.slack_client_id and self.slack_client_secret))
        return has_token and bool(self.slack_signing_secret or self.slack_app_token)

    def slack_problem(self) -> str | None:
        """Why the Slack variables that are set can't work, naming the missing one; None when they can (or when
        none is set). A half-configured Slack must stop the start, not quietly leave Slack off."""
        oauth = (self.slack_client_id, self.slack_client_secret)
        if any(oauth) and not all(oauth):
            have, missing = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET") if self.slack_client_id else (
                "SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID")
            return f"{have} is set but {missing} is not: Slack for several workspaces needs both."
        if all(oauth) and not self.slack_signing_secret:
            return ("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set but SLACK_SIGNING_SECRET is not: set it "
                    "(Basic Information → Signing Secret in the Slack app's settings).")
        if self.slack_bot_token and not (self.slack_signing_secret or self.slack_app_token):
            return ("SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN "
                    "(Socket Mode) is: set one of them so Slack can reach the bot, or unset SLACK_BOT_TOKEN.")
        if (self.slack_signing_secret or self.slack_app_token) and not (self.slack_bot_token or all(oauth)):
            given = "SLACK_SIGNING_SECRET" if self.slack_signing_secret else "SLACK_APP_TOKEN"
            return (f"{given} is set but SLACK_BOT_TOKEN is not: set the bot token (OAuth & Permissions → Bot User "
                    "OAuth Token), or unset the Slack variables.")
        return None

    def smtp(self):  # type: ignore[no-untyped-def]
        """The parsed ``SMTP_URL`` (a :class:`core.smtp.SmtpConfig`), None when unset."""
        if not self.smtp_url:
            return None
        from core.smtp import SmtpUrlError, parse_smtp_url

        try:
            return parse_smtp_url(self.smtp_url)
        except SmtpUrlError as exc:
            raise ConfigError(str(exc)) from None

    @property
    def embedded(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, read_dotenv: bool = True) -> Settings:
        if env is None:
            dotenv = Path.cwd() / ".env"
            if read_dotenv and dotenv.exists():  # python-dotenv is imported only to read one (every start)
                from dotenv import load_dotenv

                load_dotenv(dotenv, override=False)
            env = os.environ

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        data_dir = Path(get("INVOICEBOT_DATA_DIR") or _default_data_dir()).expanduser()
        database_url = get("DATABASE_URL") or f"sqlite:///{data_dir / 'invoicebot.db'}"
        if database_url.startswith("postgres://"):
            database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
        elif database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
        keys = tuple(k.strip() for k in (get("INVOICEBOT_SECRET_KEYS") or "").split(",") if k.strip())
        port_text = get("PORT") or "8080"
        try:
            port = int(port_text)
        except ValueError:
            raise ConfigError(f"PORT must be a number, not {port_text!r}.") from None
        default_tz = get("INVOICEBOT_DEFAULT_TZ") or "UTC"
        try:
            ZoneInfo(default_tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"INVOICEBOT_DEFAULT_TZ={default_tz!r} is not a timezone; use a name like Europe/Berlin.") from None
        log_level = (get("INVOICEBOT_LOG_LEVEL") or "").upper() or None
        if log_level not in (None, *LOG_LEVELS):
            raise ConfigError(f"INVOICEBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}.")
        mail_from = get("INVOICEBOT_MAIL_FROM")
        if mail_from and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", mail_from):
            raise ConfigError(f"INVOICEBOT_MAIL_FROM must be an e-mail address like invoices@example.com, not "
                              f"{mail_from!r}.")
        api_text = (get("INVOICEBOT_API") or "off").lower()
        if api_text not in ("on", "off"):
            raise ConfigError(f"INVOICEBOT_API must be on or off, not {api_text!r}.")
        api_rate = _number(get("INVOICEBOT_API_RATE_LIMIT") or "120", "INVOICEBOT_API_RATE_LIMIT",
                           "requests a minute per token", 1, 100_000)
        inbox_max = _number(get("INVOICEBOT_INBOX_MAX") or "5000", "INVOICEBOT_INBOX_MAX",
                            "messages waiting to be handled", 1, 1_000_000)
        inbox_lease = _number(get("INVOICEBOT_INBOX_LEASE") or "30", "INVOICEBOT_INBOX_LEASE",
                              "seconds before a dead worker's message is taken over", 1, 3600)
        log_format = (get("INVOICEBOT_LOG_FORMAT") or "text").lower()
        if log_format not in LOG_FORMATS:
            raise ConfigError(f"INVOICEBOT_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}.")
        settings = cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_keys=keys,
            outbox=Path(get("INVOICEBOT_OUTBOX") or data_dir / "outbox").expanduser(),
            default_tz=default_tz,
            telegram_token=get("TELEGRAM_BOT_TOKEN"),
            telegram_api_base_url=get("TELEGRAM_API_BASE_URL"),
            telegram_webhook_url=get("TELEGRAM_WEBHOOK_URL"),
            telegram_webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
            slack_bot_token=get("SLACK_BOT_TOKEN"),
            slack_signing_secret=get("SLACK_SIGNING_SECRET"),
            slack_app_token=get("SLACK_APP_TOKEN"),
            slack_api_url=get("SLACK_API_URL"),
            slack_client_id=get("SLACK_CLIENT_ID"),
            slack_client_secret=get("SLACK_CLIENT_SECRET"),
            port=port,
            host=get("INVOICEBOT_HOST") or "127.0.0.1",
            log_level=log_level,
            smtp_url=get("SMTP_URL"),
            mail_from=mail_from,
            api_enabled=api_text == "on",
            api_rate_per_minute=api_rate,
            inbox_max=inbox_max,
            inbox_lease_s=inbox_lease,
            log_format=log_format,
            sentry_dsn=get("SENTRY_DSN"),
        )
        settings.smtp()  # a mistyped SMTP_URL stops the start, with what is wrong in it
        return settings


def _number(text: str, name: str, meaning: str, low: int, high: int) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise ConfigError(f"{name} is {meaning} ({low} to {high}), not {text!r}.")
    return int(text)


def _default_data_dir() -> str:
    """This user's data folder as the platform has it (~/.local/share/invoicebot on Linux)."""
    from platformdirs import user_data_dir  # imported here: only a start without INVOICEBOT_DATA_DIR needs it

    return user_data_dir("invoicebot", appauthor=False)
