"""`invoicebot run` at DEBUG with every channel on (Telegram by webhook, Slack over HTTP) against the doubles,
exercised, then its whole log searched for every secret value: not one line may hold one."""
from __future__ import annotations

import asyncio
import json
from contextlib import ExitStack
from urllib.parse import quote

import aiohttp

from tests.conftest import SELLER_PROFILE
from tests.mail_server import make_certificate, smtp_server
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SlackSender
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_invoicebot_run import KEY, free_port, start_bot, stop_bot

TELEGRAM_TOKEN = "7000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
WEBHOOK_SECRET = "webhook-secret-5f1c2e9a7b"
SLACK_TOKEN = "xoxb-1111-2222-SlackBotTokenValue"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
OLD_KEY = "ZmRzYWZkc2Fmc2RhZmRzYWZkc2FmZHNhZmRzYWZkc2E="
SMTP_PASSWORD = "smtp-password-value"
IBAN = "DE89 3704 0044 0532 0130 00"
API_TOKEN = "ib_" + "Zx9" * 12


async def test_a_debug_run_with_every_channel_writes_no_secret_to_the_log(tmp_path) -> None:
    telegram = await FakeBotApi(token=TELEGRAM_TOKEN).start()
    slack = FakeSlack()
    await slack.start()
    port = free_port()
    cert = make_certificate(tmp_path)  # the bot logs in to a real SMTP server over STARTTLS, trusting this certificate
    mail = ExitStack()
    smtp = mail.enter_context(smtp_server(starttls=cert, login=True, password=SMTP_PASSWORD))
    child = await start_bot(
        telegram, tmp_path, PORT=str(port), INVOICEBOT_LOG_LEVEL="DEBUG", INVOICEBOT_SECRET_KEYS=f"{KEY},{OLD_KEY}",
        TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook", TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
        SLACK_BOT_TOKEN=SLACK_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.base_url,
        SMTP_URL=f"smtp://bot:{SMTP_PASSWORD}@127.0.0.1:{smtp.port}", SSL_CERT_FILE=str(cert.cert))
    try:
        await telegram.wait_for("setWebhook", timeout=60)
        for text in ("/start", f"/profile set payment IBAN {IBAN} | BIC COBADEFFXXX", "/profile",
                     f"my token is {API_TOKEN}", "/client add ACME rate 80", "2h logo design for ACME"):
            assert await telegram.deliver_to_webhook(telegram.message_update(5001, text)) == 200
        assert await telegram.deliver_to_webhook(telegram.message_update(5001, "/tasks"), secret="wrong") == 403
        await telegram.wait_for("sendMessage", count=6, timeout=30)
        for text in (*SELLER_PROFILE[:4], "/profile set email jane@doe.example",
                     "/client set ACME email billing@acme.example", "/client set ACME country DE",
                     "/invoice ACME send"):
            assert await telegram.deliver_to_webhook(telegram.message_update(5001, text)) == 200
        await telegram.wait_for("sendDocument", timeout=60)
        [sent] = await asyncio.to_thread(smtp.handler.wait_for, 1)  # logged in with the password, and sent
        assert sent.recipients == ["billing@acme.example"]

        async with aiohttp.ClientSession() as session:
            sender = SlackSender(session, f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, slack)
            assert (await sender.command("/profile", f"set payment {IBAN}")).status == 200
            assert (await sender.dm("2h review for ACME")).status == 200
            assert (await sender.command("/tasks", secret="forged")).status == 401
            await slack.wait_for(lambda: len(slack.responses) >= 1 and slack.calls_to("chat.postMessage"),
                                 timeout=30)
    finally:
        code, log = await stop_bot(child)
        await telegram.stop()
        await slack.close()
        mail.close()
    assert code == 0, log[-3000:]
    assert " DEBUG " in log and "receives updates by webhook" in log  # the run was real, and verbose

    secrets = [TELEGRAM_TOKEN, WEBHOOK_SECRET, SLACK_TOKEN, SIGNING_SECRET, KEY, OLD_KEY, SMTP_PASSWORD, API_TOKEN,
               IBAN, IBAN.replace(" ", ""), IBAN.replace(" ", "+")]
    secrets += [quote(secret, safe="") for secret in secrets]
    leaks = [line for line in log.splitlines() if any(secret in line for secret in secrets)]
    assert leaks == [], json.dumps(leaks[:5], indent=1)
