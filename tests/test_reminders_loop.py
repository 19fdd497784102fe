"""The scheduler loop inside `invoicebot run`: ticks off the event loop, survives a failing tick, stops when told."""
import asyncio
import threading
from types import SimpleNamespace

from bot.scheduler import run_scheduler
from tests.reminder_doubles import RecordingNotifier


async def wait_for(condition, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


class CountingClock:
    """The test clock, counting the ticks that read it: a tick reads the clock once, as it starts, so the
    (n+1)th reading means the nth tick has finished — the signal to wait for instead of a sleep."""

    def __init__(self, clock) -> None:  # type: ignore[no-untyped-def]
        self.clock = clock
        self.readings = 0

    def __call__(self):  # type: ignore[no-untyped-def]
        self.readings += 1
        return self.clock()


async def test_the_loop_sends_due_reminders_keeps_the_event_loop_free_and_stops(chat, core, clock) -> None:
    chat.text("/remind daily 18:00")
    notifier = RecordingNotifier("local")
    ticks = CountingClock(clock)
    runtime = SimpleNamespace(sessions=core.sessions, core=SimpleNamespace(clock=ticks))
    stop = asyncio.Event()
    clock.set("2026-11-24T17:00:00+00:00")
    task = asyncio.create_task(run_scheduler(runtime, {"local": notifier}, stop, interval=0.02))
    await wait_for(lambda: len(notifier.sent) == 1)
    clock.set("2026-11-25T17:00:00+00:00")
    await wait_for(lambda: len(notifier.sent) == 2)
    seen = ticks.readings
    await wait_for(lambda: ticks.readings >= seen + 3)  # another whole tick at the same instant…
    assert len(notifier.sent) == 2  # …sent nothing more
    stop.set()
    await asyncio.wait_for(task, 5)
    assert len(notifier.sent) == 2
    assert threading.get_ident() not in notifier.threads  # blocking sends never ran on the event loop's thread


class FlakySessions:
    """A session factory whose first transaction fails, as when the database restarts."""

    def __init__(self, real) -> None:  # type: ignore[no-untyped-def]
        self.real = real
        self.failures = 1

    def begin(self):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            raise OSError("database restarting")
        return self.real.begin()


async def test_a_failing_tick_is_logged_and_the_next_one_runs(chat, core, clock, caplog) -> None:
    chat.text("/remind daily 18:00")
    clock.set("2026-11-24T17:00:00+00:00")
    notifier = RecordingNotifier("local")
    runtime = SimpleNamespace(sessions=FlakySessions(core.sessions), core=core)
    stop = asyncio.Event()
    task = asyncio.create_task(run_scheduler(runtime, {"local": notifier}, stop, interval=0.02))
    await wait_for(lambda: len(notifier.sent) == 1)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert "a reminder tick failed" in caplog.text


async def test_stop_before_the_first_tick_ends_the_loop_at_once(core) -> None:
    stop = asyncio.Event()
    stop.set()
    notifier = RecordingNotifier("local")
    await asyncio.wait_for(run_scheduler(SimpleNamespace(sessions=core.sessions, core=core), {"local": notifier},
                                         stop, interval=60), 1)
    assert notifier.sent == []
