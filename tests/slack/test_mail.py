"""``/invoice ACME send`` as a Slack slash command (Bolt against the fake Web API) puts exactly one e-mail with the
PDF into a real SMTP server on 127.0.0.1."""
from __future__ import annotations

import asyncio
from typing import Any

from bot.wiring import build_core
from tests.mail_server import MailServer
from tests.slack.test_with_core import answer_to
from tests.test_mail import mailer_for, relay
from tests.test_mail_terminal import NUMBER, SETUP, one_invoice_email


async def test_invoice_send_in_slack(harness_for: Any, sessions: Any, cipher: Any, clock: Any,
                                     server: MailServer) -> None:
    core = build_core(sessions, cipher, clock, default_tz="Europe/Berlin",
                      mailer=mailer_for(sessions, cipher, clock, relay(server.port)))
    slack = await harness_for(core)
    for line in SETUP:
        command, _, rest = line.partition(" ")
        if command.startswith("/"):
            await answer_to(slack, command, rest)
        else:
            await answer_to(slack, "/log", line)
    answer = await answer_to(slack, "/invoice", "ACME send")
    assert f"E-mailed {NUMBER} to billing@acme.example." in answer["text"]
    one_invoice_email(await asyncio.to_thread(server.handler.wait_for, 1))
