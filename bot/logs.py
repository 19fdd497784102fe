"""Log output: plain lines (the default) or, with ``INVOICEBOT_LOG_FORMAT=json``, one JSON object a line for a log
collector; and Sentry, when ``SENTRY_DSN`` is set (the ``sentry`` extra).

Both see records only after the redacting filter (bot/redaction.py) has rewritten them: a JSON line is built from
the cleaned message and traceback, and a Sentry event is passed through the same filter before it leaves.

A JSON line holds ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``; ``ref`` (the reference a user was
given with "something went wrong"), ``platform`` and ``command`` when the line was written while a message was
handled; ``exception`` (the traceback) when there is one.
"""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from core.app import handling


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        ref = getattr(record, "ref", None)
        if ref:
            line["ref"] = ref
        context = handling.get()
        if context is not None:
            line["platform"], line["command"] = context
        if record.exc_info and not record.exc_text:  # the redacting filter normally did this, cleaned
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def start_sentry(dsn: str, redactor: Any) -> None:
    """Report errors to Sentry: every event's text passes the redacting filter first; no personal data is sent."""
    try:
        import sentry_sdk
    except ImportError:
        from bot.settings import ConfigError

        raise ConfigError("SENTRY_DSN is set but the Sentry client is not installed: pip install "
                          "'invoicebot[sentry]', or unset SENTRY_DSN.") from None

    def before_send(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
        return _redact(event, redactor)

    sentry_sdk.init(dsn=dsn, before_send=before_send,  # type: ignore[arg-type]
                    before_breadcrumb=lambda crumb, _hint: _redact(crumb, redactor))


def _redact(value: Any, redactor: Any) -> Any:
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, dict):
        return {key: _redact(item, redactor) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(item, redactor) for item in value]
    return value
