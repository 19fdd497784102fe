"""`/readyz` and `/metrics` on the HTTP server of `invoicebot run` (SPEC §11).

`/readyz` answers 200 only while the process takes work and its database answers with the schema at the newest
revision; 503 (with the reason) while starting, while draining after SIGTERM, or when the database is unreachable or
behind — a load balancer then sends the traffic to another worker. `/healthz` (bot/server.py) only says the
process is alive.

`/metrics` is Prometheus' text format: the counters of core/metrics.py plus the reminders due but not yet sent,
read from the database at each scrape. With several worker processes (``invoicebot run --workers N``) the counters
of all of them are summed (prometheus-client's multiprocess mode, a folder shared by the workers).
"""
from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from aiohttp import web

from core import metrics
from core.storage import newest_revision, schema_revision

if TYPE_CHECKING:
    from bot.server import Route
    from bot.wiring import Runtime

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 3.0
"""A database slower than this to answer ``SELECT 1`` counts as not ready."""


class Readiness:
    """starting → ready → draining; only ``ready`` with a reachable, current database answers 200."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.state = "starting"
        self._head: str | None = None

    def ready(self) -> None:
        self.state = "ready"

    def draining(self) -> None:
        self.state = "draining"

    def head(self) -> str:
        if self._head is None:
            self._head = newest_revision()
        return self._head

    def check_database(self) -> str | None:
        """None when the database answers and its schema is at head; otherwise why not."""
        try:
            current = schema_revision(self.runtime.engine)
        except Exception as exc:
            log.warning("readiness: the database does not answer: %s", exc)
            return "database unreachable"
        if current != self.head():
            return f"schema at {current or 'nothing'}, not {self.head()}: run `invoicebot migrate`"
        return None

    async def readyz(self, _request: web.Request) -> web.Response:
        if self.state != "ready":
            return web.json_response({"ready": False, "reason": self.state}, status=503)
        try:
            problem = await asyncio.wait_for(asyncio.to_thread(self.check_database), READY_TIMEOUT_S)
        except TimeoutError:
            problem = "database too slow to answer"
        if problem:
            return web.json_response({"ready": False, "reason": problem}, status=503)
        return web.json_response({"ready": True})


class DueReminders:
    """A collector: reminders due and not yet sent, counted in the database when scraped."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        from core.reminders import count_due
        from core.storage import transaction

        gauge = GaugeMetricFamily("invoicebot_reminders_due_unsent", "Reminders due and not yet sent")
        try:
            with transaction(self.runtime.sessions) as session:
                gauge.add_metric([], count_due(session, self.runtime.core.clock()))
        except Exception as exc:
            log.warning("metrics: could not count due reminders: %s", exc)
            return
        yield gauge


class MetricsEndpoint:
    def __init__(self, runtime: Runtime) -> None:
        from prometheus_client import REGISTRY, CollectorRegistry

        metrics.enable()
        self._process = REGISTRY
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            self._process = CollectorRegistry()
            multiprocess.MultiProcessCollector(self._process)
        self._database = CollectorRegistry(auto_describe=False)
        self._database.register(DueReminders(runtime))  # type: ignore[arg-type]

    def render(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self._process) + generate_latest(self._database)

    async def metrics(self, _request: web.Request) -> web.Response:
        from prometheus_client import CONTENT_TYPE_LATEST

        body = await asyncio.to_thread(self.render)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def routes(readiness: Readiness, endpoint: MetricsEndpoint) -> list[Route]:
    return [("GET", "/readyz", readiness.readyz), ("GET", "/metrics", endpoint.metrics)]
