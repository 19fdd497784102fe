"""``/invoice ACME send`` through the real PTB application and the fake Bot API puts exactly one e-mail with the PDF
into a real SMTP server on 127.0.0.1."""
from __future__ import annotations

import asyncio
from typing import Any

from bot.wiring import build_core
from tests.mail_server import MailServer
from tests.telegram.test_conversation import running, say
from tests.test_mail import mailer_for, relay
from tests.test_mail_terminal import NUMBER, SETUP, one_invoice_email


async def test_invoice_send_in_telegram(fake_api: Any, sessions: Any, cipher: Any, clock: Any,
                                        server: MailServer) -> None:
    core = build_core(sessions, cipher, clock, default_tz="Europe/Berlin",
                      mailer=mailer_for(sessions, cipher, clock, relay(server.port)))
    async with running(core, fake_api):
        for line in SETUP:
            await say(fake_api, 4101, line)
        fake_api.send_text(4101, "/invoice ACME send")
        [document] = await fake_api.wait_for("sendDocument", chat_id=4101)
    said = [document.params.get("caption", ""), *fake_api.sent_texts(4101)[len(SETUP):]]
    assert any(f"E-mailed {NUMBER} to billing@acme.example." in text for text in said), said
    one_invoice_email(await asyncio.to_thread(server.handler.wait_for, 1))
