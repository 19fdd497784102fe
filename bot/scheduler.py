"""The reminder scheduler: claim what is due, compose it, send it through the channel it was set from.

It runs inside ``invoicebot run`` (:func:`run_scheduler`, a tick every 30 seconds) and alone as
``invoicebot reminders run-once`` for cron (:func:`run_once`). Any number of either may run against one database:
a claim leases a reminder to one worker, and each message is marked sent just before it goes out, only while the
lease is still that worker's (see core/reminders.py): nothing is sent twice, and a worker that dies loses at most
the message it was sending — another worker takes over the rest of its batch when the lease expires.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
import uuid
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from bot.retainers import issue_due
from bot.settings import Settings

if TYPE_CHECKING:  # bot.wiring imports this module; the mailer loads only where SMTP_URL is set
    from bot.wiring import Runtime
    from core.mailer import Mailer
from core import metrics
from core.digests import compose
from core.notify import DeliveryError, Notifier, RecipientBlocked
from core.reminders import LEASE, Claim, claim_due, mark_sending, record_blocked, record_failure, record_sent, release
from core.storage import transaction

log = logging.getLogger(__name__)

LOOP_BATCH = 50
"""Claims per transaction inside ``invoicebot run``: small, so a shutdown waits for at most one batch's sends."""


@dataclass
class TickReport:
    sent: int = 0
    silent: int = 0
    """Due, but nothing to say (no invoice overdue)."""
    failed: int = 0
    paused: int = 0
    blocked: set[tuple[int, str, str]] = field(default_factory=set)
    """(account, platform, chat) found unreachable in this tick."""

    def __str__(self) -> str:
        return (f"{self.sent} sent, {self.failed} failed (retried later), {self.paused} paused (recipient gone), "
                f"{self.silent} with nothing to say")


def tick(sessions: sessionmaker[Session], notifiers: Mapping[str, Notifier], now: datetime, *,
         batch: int = 500, should_stop: Callable[[], bool] = lambda: False, lease: timedelta = LEASE) -> TickReport:
    """Deliver every reminder due at ``now`` that one of ``notifiers`` can reach; synchronous (it blocks on sends)."""
    report = TickReport()
    platforms = frozenset(notifiers)
    owner = worker_name()
    while True:
        with transaction(sessions) as session:
            claims = claim_due(session, now, platforms, batch, owner=owner, lease=lease)
        for number, claim in enumerate(claims):
            if should_stop() and number:
                _record(sessions, release, claims[number:])  # given back: the next tick sends them
                return report
            if (claim.account_id, claim.platform, claim.chat_id) in report.blocked:
                continue  # paused together with the reminder that found the chat blocked
            deliver(sessions, notifiers[claim.platform], claim, now, report)
        if len(claims) < batch or should_stop():
            return report


def worker_name() -> str:
    """Who holds a lease: host and process, for whoever reads the table, and a random part, unique per tick."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def deliver(sessions: sessionmaker[Session], notifier: Notifier, claim: Claim, now: datetime,
            report: TickReport) -> None:
    """Compose one claimed reminder and mark it sent (one transaction), then send it and record how it went."""
    where = f"{claim.kind} reminder {claim.reminder_id} to {claim.platform}:{claim.chat_id}"
    try:
        with transaction(sessions) as session:
            reply = compose(session, claim, now)
            if not mark_sending(session, claim):
                log.info("%s: changed or taken over by another worker since it was claimed; not sent", where)
                return
        if reply is None:
            _record(sessions, record_sent, claim, now, delivered=False)
            report.silent += 1
            return
        notifier.send(claim.chat_id, reply)
    except RecipientBlocked as exc:
        log.warning("%s: recipient unreachable, pausing their reminders there: %s", where, exc)
        report.paused += _record(sessions, record_blocked, claim, str(exc)) or 0
        report.blocked.add((claim.account_id, claim.platform, claim.chat_id))
    except DeliveryError as exc:
        retry_at = _record(sessions, record_failure, claim, now)
        log.warning("%s failed (%s); retrying at %s", where, exc, retry_at)
        report.failed += 1
        metrics.reminder_failed(claim.platform)
    except Exception as exc:
        retry_at = _record(sessions, record_failure, claim, now)
        log.exception("%s failed unexpectedly; retrying at %s", where, retry_at)
        report.failed += 1
        metrics.reminder_failed(claim.platform)
        metrics.error(exc, "reminder")
    else:
        _record(sessions, record_sent, claim, now)
        report.sent += 1
        metrics.reminder_sent(claim.platform)


def _record(sessions: sessionmaker[Session], outcome, claim, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Record an outcome in its own transaction; if even that fails, the lease runs out and another tick retries."""
    try:
        with transaction(sessions) as session:
            return outcome(session, claim, *args, **kwargs)
    except Exception:
        log.exception("could not record the outcome of reminder(s) %s",
                      claim.reminder_id if isinstance(claim, Claim) else [c.reminder_id for c in claim])
        return None


async def run_scheduler(runtime, notifiers: dict[str, Notifier], stop: asyncio.Event,  # type: ignore[no-untyped-def]
                        interval: float = 30) -> None:
    """Tick every ``interval`` seconds until ``stop`` is set; sends block, so each tick runs in a worker thread.

    On stop, the tick in progress finishes the message it is sending, gives back the leases of the rest of its
    batch (the next worker to tick sends them) and the loop ends.
    """
    while not stop.is_set():
        try:
            report = await asyncio.to_thread(tick, runtime.sessions, notifiers, runtime.core.clock(),
                                             batch=LOOP_BATCH, should_stop=stop.is_set)
            if report.sent or report.failed or report.paused:
                log.info("reminders: %s", report)
        except Exception:
            log.exception("a reminder tick failed; trying again in %s s", interval)
        try:
            retainers = await asyncio.to_thread(issue_due, runtime.sessions, runtime.core.cipher, notifiers,
                                                runtime.core.clock(), should_stop=stop.is_set,
                                                mail_from=_mail_from(runtime))
            if retainers.issued or retainers.refused:
                log.info("retainers: %s", retainers)
        except Exception:
            log.exception("a retainer tick failed; trying again in %s s", interval)
        try:  # after the tick: the reminders first
            await asyncio.to_thread(_prune, runtime)
        except Exception:
            log.exception("pruning old delivery ids and questions failed; trying again at the next tick")
        mailer = _mailer(runtime)
        if mailer is not None and not stop.is_set():
            try:
                sent = await asyncio.to_thread(mailer.deliver_due, should_stop=stop.is_set)
                if sent.sent or sent.failed:
                    log.info("e-mails tried again: %s", sent)
            except Exception:
                log.exception("sending queued e-mails failed; trying again in %s s", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def _prune(runtime) -> None:  # type: ignore[no-untyped-def]
    from core.retention import prune

    with transaction(runtime.sessions) as session:
        pruned = prune(session, runtime.core.clock())
    if pruned.delivery_ids or pruned.questions or pruned.inbox_rows:
        log.info("pruned %d old delivery ids, %d old questions and %d done inbox rows", pruned.delivery_ids,
                 pruned.questions, pruned.inbox_rows)


def build_notifiers(runtime, stack: ExitStack) -> dict[str, Notifier]:  # type: ignore[no-untyped-def]
    """A notifier for every channel configured in the environment, without running the channels."""
    from bot.local import LocalNotifier

    settings: Settings = runtime.settings
    notifiers: dict[str, Notifier] = {"local": LocalNotifier()}
    if settings.telegram_token:
        from adapters.telegram.notifier import build_notifier as telegram_notifier

        notifiers["telegram"] = stack.enter_context(
            telegram_notifier(settings.telegram_token, base_url=settings.telegram_api_base_url))
    if settings.slack_bot_token or settings.slack_client_id:
        from adapters.slack.notifier import build_notifier as slack_notifier

        notifiers["slack"] = slack_notifier(token=settings.slack_bot_token, api_url=settings.slack_api_url,
                                            client_id=settings.slack_client_id, engine=runtime.engine,
                                            cipher=runtime.core.cipher)
    return notifiers


def run_once(settings: Settings, now: datetime | None) -> int:
    """``invoicebot reminders run-once [--now ISO]``: deliver what is due at that instant and exit."""
    from bot.wiring import build_runtime, system_clock

    clock = (lambda: now) if now is not None else system_clock
    runtime = build_runtime(settings, clock)
    try:
        with ExitStack() as stack:
            notifiers = build_notifiers(runtime, stack)
            instant = clock()
            report = tick(runtime.sessions, notifiers, instant)
            retainers = issue_due(runtime.sessions, runtime.core.cipher, notifiers, instant, mail_from=_mail_from(runtime))
        mailer = _mailer(runtime)
        mailed = mailer.deliver_due() if mailer is not None else None
    finally:
        runtime.close()
    print(f"Reminders due at {instant.isoformat(timespec='seconds')}: {report}.", file=sys.stderr)
    print(f"Retainer invoices due at {instant.isoformat(timespec='seconds')}: {retainers}.", file=sys.stderr)
    if mailed is not None:
        print(f"E-mails due: {mailed}.", file=sys.stderr)
    return 0


def _mailer(runtime: Runtime) -> Mailer | None:
    """The runtime's mailer; None without e-mail (SMTP_URL unset), or for a core that has none."""
    return getattr(runtime.core, "mailer", None)


def _mail_from(runtime: Runtime) -> str | None:
    """INVOICEBOT_MAIL_FROM as the mailer knows it; None without e-mail (the profile's address is used)."""
    mailer = _mailer(runtime)
    return mailer.setup.mail_from if mailer is not None else None
