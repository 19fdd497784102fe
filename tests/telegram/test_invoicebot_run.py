"""`invoicebot run` with TELEGRAM_BOT_TOKEN set, against the fake Bot API: polling, or the webhook on PORT next to
/healthz; SIGTERM finishes and exits 0. The process is the real command line (python -m bot run)."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

from aiohttp import ClientError, ClientSession

ROOT = Path(__file__).resolve().parents[2]

KEY = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def start_bot(fake_api, tmp_path: Path, **extra: str) -> asyncio.subprocess.Process:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "SLACK_"))}
    env.update({"PYTHONPATH": str(ROOT), "INVOICEBOT_DATA_DIR": str(tmp_path / "data"),
                "INVOICEBOT_SECRET_KEYS": KEY, "TELEGRAM_BOT_TOKEN": fake_api.token,
                "TELEGRAM_API_BASE_URL": fake_api.base_url, **extra})
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def stop_bot(child: asyncio.subprocess.Process) -> tuple[int, str]:
    child.send_signal(signal.SIGTERM)
    try:
        code = await asyncio.wait_for(child.wait(), 30)
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    return code, (await child.stderr.read()).decode(errors="replace")


async def ready(port: int) -> None:
    """Until the bot on ``port`` answers /readyz 200 (60 s at most)."""
    async with ClientSession() as http:
        deadline = time.monotonic() + 60
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                    if response.status == 200:
                        return
            except ClientError:
                pass
            assert time.monotonic() < deadline, "never ready"
            await asyncio.sleep(0.1)


async def test_run_polls_answers_and_stops_on_sigterm(fake_api, tmp_path):
    child = await start_bot(fake_api, tmp_path, PORT=str(free_port()))
    try:
        await fake_api.wait_for("getUpdates", timeout=60)
        fake_api.send_text(5001, "/start")
        await fake_api.wait_for("sendMessage", chat_id=5001, timeout=30)
    finally:
        code, log = await stop_bot(child)
    assert code == 0, log[-3000:]
    assert "/invoice" in fake_api.sent_texts(5001)[0]


async def test_run_serves_the_webhook_on_port_next_to_healthz(fake_api, tmp_path):
    port = free_port()
    child = await start_bot(fake_api, tmp_path, PORT=str(port),
                            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook", TELEGRAM_WEBHOOK_SECRET="abc-123")
    try:
        [registration] = await fake_api.wait_for("setWebhook", timeout=60)
        assert registration.params["secret_token"] == "abc-123"
        assert await fake_api.deliver_to_webhook(fake_api.message_update(5002, "/start"), secret="nope") == 403
        assert await fake_api.deliver_to_webhook(fake_api.message_update(5002, "/start")) == 200
        await fake_api.wait_for("sendMessage", chat_id=5002, timeout=30)
        async with ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200
    finally:
        code, log = await stop_bot(child)
    assert code == 0, log[-3000:]
    assert len(fake_api.sent_texts(5002)) == 1 and not fake_api.calls("getUpdates")
