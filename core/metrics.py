"""What an operator counts (SPEC §11): named hooks the core and the channels call, Prometheus metrics behind them.

The hooks cost nothing until :func:`enable` is called (``invoicebot run`` does; ``invoicebot chat`` doesn't), so
the terminal channel never imports prometheus-client. Label values are bounded: platforms, outcomes, command names
from the command table (anything else is ``unknown``) and error kinds (an exception's class name).

REST API requests are counted by method, route template and status, and timed by route, like messages.

Outcomes of a message: ``answered`` (its reply went out), ``refused`` (a sentence saying what to fix, nothing
changed), ``error`` (an unexpected failure, logged with a reference), ``duplicate`` (a re-delivery, not answered).

Counters that stand for something written to the database (an invoice issued) are incremented after the
transaction commits — see :func:`after_commit` — so a rolled-back attempt is not counted.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

OUTCOMES = ("answered", "refused", "error", "duplicate")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
PLAIN_TEXT_COMMAND = "log"
"""The latency label of a message that is not a command (a phrase for the work logger)."""

log = logging.getLogger(__name__)
_lock = threading.Lock()
_metrics: dict[str, Any] | None = None


def enable(registry: CollectorRegistry | None = None) -> None:
    """Create the metrics (once) in ``registry`` (default: prometheus-client's global one); hooks count from now."""
    global _metrics
    with _lock:
        if _metrics is not None:
            return
        from prometheus_client import REGISTRY, Counter, Histogram

        reg = registry or REGISTRY
        _metrics = {
            "messages": Counter("invoicebot_messages", "Messages handled, by platform and outcome",
                                ["platform", "outcome"], registry=reg),
            "latency": Histogram("invoicebot_command_seconds", "Time to handle one message, by command",
                                 ["command"], buckets=LATENCY_BUCKETS, registry=reg),
            "invoices": Counter("invoicebot_invoices_issued", "Invoices issued (committed)", registry=reg),
            "reminders": Counter("invoicebot_reminders_sent", "Reminders delivered, by platform", ["platform"],
                                 registry=reg),
            "reminders_failed": Counter("invoicebot_reminders_failed", "Reminder deliveries that failed (retried)",
                                        ["platform"], registry=reg),
            "emails": Counter("invoicebot_emails_sent", "E-mails handed to the mail server", registry=reg),
            "emails_failed": Counter("invoicebot_emails_failed", "E-mails the mail server refused or couldn't take",
                                     registry=reg),
            "api_requests": Counter("invoicebot_api_requests", "REST API requests, by method, route and status",
                                    ["method", "route", "status"], registry=reg),
            "api_latency": Histogram("invoicebot_api_seconds", "Time to answer one REST API request, by route",
                                     ["method", "route"], buckets=LATENCY_BUCKETS, registry=reg),
            "errors": Counter("invoicebot_errors", "Unexpected errors, by kind (exception class) and where",
                              ["kind", "where"], registry=reg),
        }


def enabled() -> bool:
    return _metrics is not None


def _get(name: str) -> Any:
    return None if _metrics is None else _metrics[name]


def message_handled(platform: str, outcome: str, command: str | None, seconds: float) -> None:
    """One message went through the dispatcher with this outcome, taking ``seconds``."""
    messages, latency = _get("messages"), _get("latency")
    if messages is None:
        return
    messages.labels(platform, outcome).inc()
    if outcome != "duplicate":
        latency.labels(command or PLAIN_TEXT_COMMAND).observe(seconds)


def api_request(method: str, route: str, status: int, seconds: float | None) -> None:
    """One REST API request answered with ``status``: ``route`` is its template (``/api/v1/tasks/{id}``, or
    ``unknown``), never the path asked for, so the labels stay bounded. ``seconds`` None: not timed (an event
    stream, whose time is how long it is watched, or an unknown route)."""
    requests, latency = _get("api_requests"), _get("api_latency")
    if requests is None:
        return
    requests.labels(method, route, str(status)).inc()
    if seconds is not None:
        latency.labels(method, route).observe(seconds)


def invoice_issued() -> None:
    if (counter := _get("invoices")) is not None:
        counter.inc()


def reminder_sent(platform: str) -> None:
    if (counter := _get("reminders")) is not None:
        counter.labels(platform).inc()


def reminder_failed(platform: str) -> None:
    if (counter := _get("reminders_failed")) is not None:
        counter.labels(platform).inc()


def email_sent() -> None:
    """For the e-mail outbox: one message accepted by the mail server."""
    if (counter := _get("emails")) is not None:
        counter.inc()


def email_failed() -> None:
    """For the e-mail outbox: one attempt refused or failed (it may be retried)."""
    if (counter := _get("emails_failed")) is not None:
        counter.inc()


def error(exc: BaseException, where: str) -> None:
    """An unexpected error (the kind is the exception's class name); ``where``: message, reminder, email, …"""
    if (counter := _get("errors")) is not None:
        counter.labels(type(exc).__name__, where).inc()


# After commit: effects that must happen only once the transaction is durable.

_AFTER_COMMIT = "invoicebot.after_commit"


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once this session's transaction commits; forget it if it rolls back."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, ()):
        try:
            callback()
        except Exception:  # the transaction is committed: a failed follow-up must not report it as failed
            log.exception("a follow-up after commit failed")


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)
