"""`invoicebot run` with INVOICEBOT_LOG_FORMAT=json behind the webhook: /readyz and /metrics answer from the real
process, and every line it logs at DEBUG is one JSON object holding no secret."""
from __future__ import annotations

import json

from aiohttp import ClientSession

from tests.telegram.test_invoicebot_run import KEY, free_port, start_bot, stop_bot

WEBHOOK_SECRET = "webhook-secret-5f1c2e9a7b"


async def test_a_json_logging_run_answers_readyz_and_metrics(fake_api, tmp_path) -> None:
    port = free_port()
    child = await start_bot(fake_api, tmp_path, PORT=str(port), INVOICEBOT_LOG_FORMAT="json",
                            INVOICEBOT_LOG_LEVEL="DEBUG", TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
                            TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET)
    base = f"http://127.0.0.1:{port}"
    try:
        await fake_api.wait_for("setWebhook", timeout=60)
        for text in ("/start", "/client add ACME rate 80", "2h logo design for ACME", "/nonsense"):
            assert await fake_api.deliver_to_webhook(fake_api.message_update(5003, text)) == 200
        await fake_api.wait_for("sendMessage", chat_id=5003, count=4, timeout=30)
        async with ClientSession() as http:
            async with http.get(f"{base}/readyz") as response:
                assert (response.status, await response.json()) == (200, {"ready": True})
            async with http.get(f"{base}/metrics") as response:
                body = await response.text()
    finally:
        code, log = await stop_bot(child)
    assert code == 0, log[-3000:]
    assert 'invoicebot_messages_total{outcome="answered",platform="telegram"} 3.0' in body
    assert 'invoicebot_messages_total{outcome="refused",platform="telegram"} 1.0' in body
    assert 'invoicebot_command_seconds_count{command="log"} 1.0' in body
    assert "invoicebot_reminders_due_unsent 0.0" in body

    lines = [json.loads(line) for line in log.splitlines() if line.strip()]  # each one parses
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert any(line["level"] == "DEBUG" for line in lines)
    for secret in (fake_api.token, WEBHOOK_SECRET, KEY):
        assert secret not in log
