"""Issue 15's "done when" in Telegram: a day tracked only with /timer and the Stop button under the running timer,
an expense with its receipt photo, and an invoice with a discount — the PDF carries the rounded line, the discount
and the receipt, through python-telegram-bot against the Bot API double."""
from __future__ import annotations

import asyncio
import io

from pypdf import PdfReader

from tests.conftest import SELLER_PROFILE
from tests.telegram.test_conversation import running, say
from tests.telegram.test_receipts import jpeg, send_with_caption

CHAT = 4301


def stop_button(api, chat: int) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The bot's latest message in ``chat`` with a Stop button: its id and the button's data."""
    for (chat_id, message_id), message in sorted(api.messages.items(), reverse=True):
        if chat_id != chat:
            continue
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in (b for row in rows for b in row):
            if button["text"] == "Stop":
                return message_id, button["callback_data"]
    raise AssertionError("no Stop button under the timer")


async def answer_containing(api, chat: int, words: str, timeout: float = 10) -> str:  # type: ignore[no-untyped-def]
    """The bot's text in ``chat`` holding ``words``, sent or edited in place (waited for, not slept on)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        texts = api.sent_texts(chat) + [m.get("text", "") for (c, _m), m in api.messages.items() if c == chat]
        found = [text for text in texts if words in text]
        if found:
            return found[-1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no answer with {words!r}")


async def test_a_day_tracked_with_the_timers_stop_button_becomes_an_invoice(fake_api, core, clock) -> None:  # type: ignore[no-untyped-def]
    photo = jpeg()
    async with running(core, fake_api):
        for line in (*SELLER_PROFILE, "/profile set tax_rate 19", "/client add ACME rate 80 currency EUR",
                     "/client set ACME country DE", "/client set ACME address Torstraße 12 | 10119 Berlin",
                     "/client set ACME rounding 15"):
            await say(fake_api, CHAT, line)
        clock.set("2026-11-24T08:03:00+00:00")  # 09:03 in Berlin
        assert "Timer started at 09:03" in await say(fake_api, CHAT, "/timer workshop for ACME")
        message_id, stop = stop_button(fake_api, CHAT)
        clock.set("2026-11-24T09:10:00+00:00")
        fake_api.press_button(CHAT, message_id, stop)
        stopped = await answer_containing(fake_api, CHAT, "(bills 1h 15m)")
        assert "1h 07m (bills 1h 15m) for ACME" in stopped and "€100.00" in stopped
        answer = await send_with_caption(fake_api, CHAT, photo, "/expense 45.90 train ticket for ACME tax 7%")
        assert "Receipt kept" in answer
        fake_api.send_text(CHAT, "/invoice ACME discount 10%")
        [sent] = await fake_api.wait_for("sendDocument", chat_id=CHAT, timeout=30)
    caption = sent.params.get("caption") or ""
    # work 100.00 − 10.00 = 90.00, VAT 19 % 17.10; expense 45.90, VAT 7 % 3.21
    assert "INV-2026-0001" in caption and "total €156.21" in caption, caption
    reader = PdfReader(io.BytesIO(sent.files["document"][1]))
    page = " ".join(reader.pages[0].extract_text().split())
    assert "workshop 1:15 80.00 100.00" in page and "Discount" in page
    receipts = {name: content for name, content in reader.attachments.items() if name.startswith("receipt-")}
    assert list(receipts.values()) == [[photo]] and "factur-x.xml" in reader.attachments
