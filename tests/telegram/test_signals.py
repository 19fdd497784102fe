"""SIGTERM / SIGINT while a message is being handled: its answer still goes out, and the process exits 0."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import asyncio, signal, sys
from adapters.telegram.channel import TelegramChannel
from tests.telegram.inbox_db import scratch_inbox
from tests.telegram.scripted_core import ScriptedCore

async def main():
    with scratch_inbox() as inbox:
        channel = TelegramChannel(ScriptedCore(delay=1.0), token=sys.argv[1], inbox=inbox, base_url=sys.argv[2],
                                  poll_timeout=1)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await channel.start()
        print("ready", flush=True)
        await stop.wait()
        await channel.stop()
    return 0

sys.exit(asyncio.run(main()))
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_signal_finishes_in_flight_work_and_exits_0(fake_api, signum):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, fake_api.token, fake_api.base_url, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        line = await asyncio.wait_for(child.stdout.readline(), 30)
        assert line.strip() == b"ready", (line, await child.stderr.read())
        fake_api.send_text(951, "/start")
        while not any(u.params.get("offset", 0) > 0 for u in fake_api.calls("getUpdates")):
            await asyncio.sleep(0.01)   # the bot took the update (and is now in the 1 s core call)
        await asyncio.sleep(0.2)
        child.send_signal(signum)
        code = await asyncio.wait_for(child.wait(), 20)
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    assert code == 0, (await child.stderr.read()).decode()[-2000:]
    assert fake_api.sent_texts(951) == ["I log your work &amp; bill &lt;clients&gt;."]
