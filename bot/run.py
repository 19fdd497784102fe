"""`invoicebot run`: every channel configured in the environment, the one HTTP server, the reminder scheduler;
SIGINT / SIGTERM finish in-flight work and exit 0."""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading

from bot.settings import ConfigError, Settings
from bot.wiring import Runtime, build_runtime

log = logging.getLogger(__name__)


WORKER_ENV = "INVOICEBOT_WORKER"
"""Set in each process `invoicebot run --workers N` starts: its number, from 0."""
RESTART_DELAY_S = 1.0


def run(settings: Settings, workers: int = 1) -> int:
    problem = settings.slack_problem()
    if problem:
        raise ConfigError(problem)
    if not settings.telegram_token and not settings.slack_enabled and not settings.api_enabled:
        raise ConfigError(
            "No channel is configured: set TELEGRAM_BOT_TOKEN (Telegram), SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
            "(Slack), or INVOICEBOT_API=on (the REST API). To try the bot without any, run `invoicebot chat`."
        )
    if workers > 1:
        return supervise(settings, workers)
    runtime = build_runtime(settings)
    try:
        return asyncio.run(serve(runtime))
    finally:
        runtime.close()


def build_channels(runtime: Runtime) -> list:  # type: ignore[type-arg]
    settings = runtime.settings
    channels = []
    if settings.telegram_token:
        from adapters.telegram.channel import TelegramChannel

        base = settings.telegram_api_base_url
        channels.append(TelegramChannel(
            runtime.core, token=settings.telegram_token, inbox=build_inbox(runtime), base_url=base,
            base_file_url=base.replace("/bot", "/file/bot") if base and base.endswith("/bot") else None,
            webhook_url=settings.telegram_webhook_url, webhook_secret=settings.telegram_webhook_secret,
        ))
    if settings.slack_enabled:
        from adapters.slack.channel import SlackChannel

        channels.append(SlackChannel(
            runtime.core, signing_secret=settings.slack_signing_secret, bot_token=settings.slack_bot_token,
            app_token=settings.slack_app_token, api_url=settings.slack_api_url,
            client_id=settings.slack_client_id, client_secret=settings.slack_client_secret, engine=runtime.engine,
            inbox=build_inbox(runtime),
        ))
    return channels


def build_inbox(runtime: Runtime):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from core.inbox import Inbox

    return Inbox(runtime.sessions, runtime.core.clock, runtime.core.cipher, limit=runtime.settings.inbox_max,
                 lease=timedelta(seconds=runtime.settings.inbox_lease_s))


def warm_up() -> None:
    """The command modules, the parser and its languages' data, loaded in the background at start: a start on the
    terminal defers them to their first use, a server's users shouldn't wait for them.

    What is loaded by then (the libraries, the models, the command table, the grammar) lives as long as the process,
    so it is then frozen out of the cyclic garbage collector (``gc.freeze``): a full collection walks only what the
    messages made, instead of every object of every library again (bot/cli.py does the same for the terminal)."""
    import gc

    from core.commands import load_handlers
    from core.phrases import warm_up as warm_up_parser

    load_handlers()
    warm_up_parser()
    gc.collect()  # what the warm-up left as garbage is freed, not frozen
    gc.freeze()


async def serve(runtime: Runtime, stop: asyncio.Event | None = None) -> int:
    from bot.health import MetricsEndpoint, Readiness, routes
    from bot.scheduler import run_scheduler
    from bot.server import HttpServer
    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    channels = build_channels(runtime)
    server = HttpServer(host=runtime.settings.host, port=runtime.settings.port,
                        reuse_port=bool(os.environ.get(WORKER_ENV)))
    readiness = Readiness(runtime)
    server.add_routes(routes(readiness, MetricsEndpoint(runtime)))
    for channel in channels:
        server.add_routes(channel.routes())
    api = None
    if runtime.settings.api_enabled:
        from adapters.api import RestApi

        api = RestApi(runtime.sessions, runtime.core.cipher, runtime.core.clock,
                      rate_per_minute=runtime.settings.api_rate_per_minute)
        server.add_routes(api.routes())
    await server.start()
    started = []
    scheduler = None
    try:
        for channel in channels:
            await channel.start()
            started.append(channel)
            log.info("%s channel started", channel.name)
        # Terminal-channel users' reminders are left to `invoicebot reminders run-once` on their own machine.
        notifiers = {channel.name: channel.notifier for channel in channels}
        scheduler = asyncio.create_task(run_scheduler(runtime, notifiers, stop), name="reminders")
        log.info("invoicebot is running (HTTP on %s port %d); Ctrl-C or SIGTERM stops it", runtime.settings.host,
                 runtime.settings.port)
        readiness.ready()
        await stop.wait()
        readiness.draining()
        log.info("stopping: finishing in-flight work")
    finally:
        if api is not None:
            await api.close()  # open event streams end, so the server stops at once
        # At once, all together: new deliveries get 503, the rows in flight finish, the rest stays in the inbox.
        await asyncio.gather(*(channel.stop() for channel in reversed(started)))
        if scheduler is not None:
            await scheduler
        await server.stop()
    log.info("stopped")
    return 0


def supervise(settings: Settings, workers: int) -> int:
    """``invoicebot run --workers N``: N worker processes sharing PORT (SO_REUSEPORT: the kernel spreads the
    connections) and one database; SIGTERM / SIGINT are passed on to each, and a worker that dies is started
    again. The schema is checked (SQLite: migrated) once, here, before any worker starts; /metrics of any worker
    sums the counters of all (prometheus-client's multiprocess mode, in a folder made for this run)."""
    import subprocess
    import sys
    import tempfile
    import time

    if settings.telegram_token and not settings.telegram_webhook_url:
        raise ConfigError("--workers needs TELEGRAM_WEBHOOK_URL: Telegram hands updates to one poller only. Set the "
                          "webhook (README, “Running behind a load balancer”), or run one worker.")
    from bot.wiring import open_database

    open_database(settings).dispose()
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    with tempfile.TemporaryDirectory(prefix="invoicebot-metrics-") as metrics_dir:
        def start(number: int) -> subprocess.Popen[bytes]:
            env = {**os.environ, WORKER_ENV: str(number), "PROMETHEUS_MULTIPROC_DIR": metrics_dir}
            return subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env)

        children = {number: start(number) for number in range(workers)}
        log.info("started %d workers on port %d: %s", workers, settings.port,
                 " ".join(str(child.pid) for child in children.values()))
        while not stopping.wait(0.5):
            for number, child in list(children.items()):
                if child.poll() is not None:
                    log.error("worker %d (pid %d) exited with %s; starting it again", number, child.pid,
                              child.returncode)
                    time.sleep(RESTART_DELAY_S)
                    children[number] = start(number)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        codes = [child.wait() for child in children.values()]
    log.info("all workers stopped")
    return max(codes, default=0)
