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


async def test_the_loop_sends_due_reminders_keeps_the_event_loop_free_and_stops(chat, core, clock) -> None:
    chat.text("/remind daily 18:00")
    notifier = RecordingNotifier("local")
    runtime = SimpleNamespace(sessions=core.sessions, core=core)
    stop = asyncio.Event()
    clock.set("2026-11-24T17:00:00+00:00")
    task = asyncio.create_task(run_scheduler(runtime, {"local": notifier}, stop, interval=0.02))
    await wait_for(lambda: len(notifier.sent) == 1)
    clock.set("2026-11-25T17:00:00+00:00")
    await wait_for(lambda: len(notifier.sent) == 2)
    await asyncio.sleep(0.1)  # more ticks at the same instant send nothing more
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
