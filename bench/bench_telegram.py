"""Updates per second through the whole Telegram stack: a burst of log messages from many chats.

The fake Bot API runs in its own process on 127.0.0.1 (as Telegram would be another machine); this process runs
the real PTB Application (long polling), the real Core on a fresh SQLite database and the real replies. The
whole burst is queued before the bot starts, so the figure is how fast the bot drains a backlog.

Measured in the same run:
  core-only  the same messages straight into core.handle from 8 threads (the baseline: no Telegram at all)
  stack      the full stack with the rate limiter lifted (what our code costs)
  limited    the full stack with the production rate limiter (Telegram allows ~30 messages a second)

  versus     (with --versus) the full stack with other channel options, interleaved run by run

    python bench/bench_telegram.py [--messages 1000] [--chats 50] [--repeat 3] [--profile] [--skip-limited]
                                   [--workers N --concurrency N --pool N] [--versus workers=8,concurrency=64,pool=256]
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import multiprocessing
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram.ext import AIORateLimiter  # noqa: E402

from adapters.telegram.channel import TelegramChannel  # noqa: E402
from core.inbox import Inbox  # noqa: E402
from core.messages import Incoming  # noqa: E402
from tests.telegram.fake_bot_api import FakeBotApi  # noqa: E402

PHRASES = ["2h logo design for ACME", "ACME: 45 minutes email triage", "1,5h bugfix ACME yesterday",
           "1h30 call with ACME on monday", "half an hour review @acme", "9:00-11:30 workshop ACME"]
TEST_KEY = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="


def burst(messages: int, chats: int) -> list[tuple[int, str]]:
    return [(10_000 + i % chats, PHRASES[i % len(PHRASES)]) for i in range(messages)]


def fresh_core(folder: Path, chats: int):  # type: ignore[no-untyped-def]
    """A Core on a new SQLite file, each chat's user already with client ACME (set-up, not measured)."""
    from bot.wiring import build_core
    from core.encryption import Cipher
    from core.storage import create_db_engine, migrate, session_factory

    path = folder / f"bench-{time.monotonic_ns()}.db"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    core = build_core(session_factory(engine), Cipher([TEST_KEY]), lambda: datetime.now(UTC),
                      default_tz="Europe/Berlin")
    for chat in range(10_000, 10_000 + chats):
        core.handle(Incoming("telegram", str(chat), str(chat), "/client add ACME rate 80"))
    return core, engine


# ---------------------------------------------------------------- the fake Telegram, in its own process
def serve_fake(updates: list[tuple[int, str]], conn) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        api = FakeBotApi()
        await api.start()
        for chat, text in updates:
            api.send_text(chat, text)
        conn.send((api.token, api.base_url))
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # until the bench says stop
        conn.send(len(api.calls("sendMessage")))
        await api.stop()

    asyncio.run(main())


def run_stack(updates: list[tuple[int, str]], core, *, limited: bool, profile: bool,  # type: ignore[no-untyped-def]
              options: dict | None = None) -> dict:
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=serve_fake, args=(updates, child), daemon=True)
    process.start()
    token, base_url = parent.recv()
    thread_profiles: list[cProfile.Profile] = []
    local = threading.local()
    handle = core.handle

    def profiled_handle(incoming, **options):  # type: ignore[no-untyped-def]
        profiler = getattr(local, "profiler", None)
        if profiler is None:
            profiler = local.profiler = cProfile.Profile()
            thread_profiles.append(profiler)
        profiler.enable()
        try:
            return handle(incoming, **options)
        finally:
            profiler.disable()

    chosen = profiled_handle if profile else handle

    class Timed:
        commands = core.commands
        handle = staticmethod(chosen)

    async def main() -> dict:
        limiter = AIORateLimiter(max_retries=3) if limited else AIORateLimiter(
            overall_max_rate=0, group_max_rate=0, max_retries=3)
        channel = TelegramChannel(Timed(), token=token, inbox=Inbox(core.sessions, core.clock, core.cipher), base_url=base_url,
                                  poll_timeout=1, rate_limiter=limiter, **(options or {}))
        latencies: list[float] = []
        done = asyncio.Event()
        original = channel._on_update

        async def timed_on_update(update, context):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            await original(update, context)
            latencies.append(time.perf_counter() - started)
            if len(latencies) == len(updates):
                done.set()

        channel.application.handlers[0][0].callback = timed_on_update
        loop_profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if loop_profiler:
            loop_profiler.enable()
        await channel.start()
        await asyncio.wait_for(done.wait(), 600)
        elapsed = time.perf_counter() - started
        if loop_profiler:
            loop_profiler.disable()
        await channel.stop()
        return {"elapsed": elapsed, "latencies": latencies, "loop_profile": loop_profiler}

    result = asyncio.run(main())
    parent.send("stop")
    result["sent"] = parent.recv()
    process.join(10)
    result["core_profiles"] = thread_profiles
    return result


def run_core_only(updates: list[tuple[int, str]], core) -> float:  # type: ignore[no-untyped-def]
    incomings = [Incoming("telegram", str(chat), str(chat), text, message_id=f"core:{n}")
                 for n, (chat, text) in enumerate(updates)]
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(core.handle, incomings))
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def top(profile: cProfile.Profile | list[cProfile.Profile], sort: str, limit: int = 14) -> str:
    out = io.StringIO()
    profiles = profile if isinstance(profile, list) else [profile]
    stats = pstats.Stats(profiles[0], stream=out)
    for more in profiles[1:]:
        stats.add(more)
    stats.strip_dirs().sort_stats(sort).print_stats(limit)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-limited", action="store_true")
    parser.add_argument("--workers", type=int, default=None, help="core_workers (default: the channel's)")
    parser.add_argument("--concurrency", type=int, default=None, help="max_concurrent_updates")
    parser.add_argument("--pool", type=int, default=None, help="connection_pool_size")
    parser.add_argument("--versus", default=None, help="other options to compare, e.g. workers=8,pool=256")
    args = parser.parse_args()
    options = {k: v for k, v in (("core_workers", args.workers), ("max_concurrent_updates", args.concurrency),
                                          ("connection_pool_size", args.pool))
               if v is not None}
    names = {"workers": "core_workers", "concurrency": "max_concurrent_updates", "pool": "connection_pool_size"}
    versus = ({names[k]: int(v) for k, v in (pair.split("=") for pair in args.versus.split(","))}
              if args.versus else None)
    updates = burst(args.messages, args.chats)
    folder = Path(tempfile.mkdtemp(prefix="bench-telegram-"))
    print(f"{args.messages} log messages from {args.chats} chats; {args.repeat} runs each; {os.cpu_count()} CPUs; "
          f"channel options {options or 'default'}")

    core_rates, stack_rates, stack_p50, stack_p99 = [], [], [], []
    versus_rates, versus_p50 = [], []
    for _ in range(args.repeat):
        if versus is not None:
            core, engine = fresh_core(folder, args.chats)
            result = run_stack(updates, core, limited=False, profile=False, options=versus)
            engine.dispose()
            versus_rates.append(args.messages / result["elapsed"])
            versus_p50.append(percentile(result["latencies"], 0.5))
        core, engine = fresh_core(folder, args.chats)
        core_rates.append(args.messages / run_core_only(updates, core))
        engine.dispose()
        core, engine = fresh_core(folder, args.chats)
        result = run_stack(updates, core, limited=False, profile=False, options=options)
        engine.dispose()
        assert result["sent"] == args.messages, f"{result['sent']} replies for {args.messages} messages"
        stack_rates.append(args.messages / result["elapsed"])
        stack_p50.append(percentile(result["latencies"], 0.5))
        stack_p99.append(percentile(result["latencies"], 0.99))
    core_median, stack_median = statistics.median(core_rates), statistics.median(stack_rates)
    print(f"core only (8 threads):      median {core_median:7.1f} messages/s   runs {_fmt(core_rates)}")
    print(f"whole stack, no rate limit: median {stack_median:7.1f} updates/s    runs {_fmt(stack_rates)}")
    print(f"  per-update handling time (received → reply sent, backlog included): "
          f"median p50 {statistics.median(stack_p50) * 1000:.0f} ms, median p99 {statistics.median(stack_p99) * 1000:.0f} ms")
    print(f"  ratio stack / core only: {stack_median / core_median:.2f}")
    if versus is not None:
        versus_median = statistics.median(versus_rates)
        print(f"whole stack with {versus}: median {versus_median:7.1f} updates/s    runs {_fmt(versus_rates)}, "
              f"median p50 {statistics.median(versus_p50) * 1000:.0f} ms")
        print(f"  ratio these options / those: {stack_median / versus_median:.2f}")

    if not args.skip_limited:
        core, engine = fresh_core(folder, args.chats)
        result = run_stack(updates, core, limited=True, profile=False)
        engine.dispose()
        rate = args.messages / result["elapsed"]
        print(f"whole stack, Telegram's limit (30 msg/s): {rate:.1f} updates/s "
              f"(ratio to unlimited {rate / stack_median:.2f})")

    if args.profile:
        core, engine = fresh_core(folder, args.chats)
        result = run_stack(updates, core, limited=False, profile=True)
        engine.dispose()
        core_seconds = sum(pstats.Stats(p).total_tt for p in result["core_profiles"])
        loop_seconds = pstats.Stats(result["loop_profile"]).total_tt
        print(f"\nprofile: {result['elapsed']:.2f} s wall; event loop thread {loop_seconds:.2f} s CPU-ish, "
              f"core worker threads {core_seconds:.2f} s in core.handle (summed over threads)")
        print("— event loop thread, by own time —")
        print(top(result["loop_profile"], "tottime"))
        print("— core worker threads, by cumulative time —")
        print(top(result["core_profiles"], "cumulative", 25))


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    main()
