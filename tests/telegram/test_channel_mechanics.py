"""The channel's mechanics with the real python-telegram-bot against the fake Bot API (a scripted core)."""
from __future__ import annotations

import asyncio
import contextlib
import threading

from sqlalchemy.exc import OperationalError

from adapters.telegram.channel import TelegramChannel
from core.messages import Attachment
from tests.telegram.fake_bot_api import BOT_USERNAME, FakeBotApi
from tests.telegram.inbox_db import scratch_inbox, until
from tests.telegram.scripted_core import Command, ScriptedCore


@contextlib.asynccontextmanager
async def running(core, api: FakeBotApi, **options):
    with scratch_inbox() as inbox:
        channel = TelegramChannel(core, token=api.token, inbox=inbox, base_url=api.base_url, poll_timeout=1,
                                  **options)
        await channel.start()
        try:
            yield channel
        finally:
            await channel.stop()


async def test_start_sets_the_command_menu_and_answers_in_html(fake_api):
    core = ScriptedCore()
    async with running(core, fake_api):
        fake_api.send_text(501, "/start")
        [call] = await fake_api.wait_for("sendMessage")
    assert call.params["chat_id"] == 501
    assert call.params["parse_mode"] == "HTML"
    assert call.params["text"] == "I log your work &amp; bill &lt;clients&gt;."
    assert fake_api.calls("deleteWebhook"), "polling must clear a webhook first"
    menus = {c.params["scope"]["type"]: [x["command"] for x in c.params["commands"]]
             for c in fake_api.calls("setMyCommands")}
    assert menus == {"default": ["start", "log", "profile", "invoice"],
                     "all_group_chats": ["start", "log", "invoice"]}
    assert core.received[0].message_id.startswith("tg:")
    assert core.received[0].is_private


async def test_core_runs_off_the_event_loop(fake_api):
    core = ScriptedCore()
    async with running(core, fake_api):
        fake_api.send_text(502, "/start")
        await fake_api.wait_for("sendMessage")
    assert core.threads and threading.main_thread().name not in core.threads


async def test_a_slow_chat_does_not_hold_up_the_others(fake_api):
    core = ScriptedCore(delay=0.5)
    async with running(core, fake_api):
        for chat in range(600, 610):
            fake_api.send_text(chat, "/start")
        started = asyncio.get_running_loop().time()
        await fake_api.wait_for("sendMessage", 10)
        elapsed = asyncio.get_running_loop().time() - started
    assert elapsed < 3.0, f"10 chats × 0.5 s took {elapsed:.1f} s: updates were serialised"


async def test_messages_of_one_chat_reach_the_core_in_order(fake_api):
    core = ScriptedCore(delay=0.02)
    async with running(core, fake_api):
        for n in range(8):
            fake_api.send_text(700, f"{n}h work for ACME")
        await fake_api.wait_for("sendMessage", 8)
    assert [i.text for i in core.received] == [f"{n}h work for ACME" for n in range(8)]


async def test_long_replies_are_split_under_the_limit(fake_api):
    async with running(ScriptedCore(), fake_api):
        fake_api.send_text(503, "/long")
        await fake_api.wait_for("sendMessage", 3)
    # stop() let the update finish: every piece it was split into has been sent
    texts = fake_api.sent_texts(503)
    assert len(texts) == 3 and all(len(t) <= 4096 for t in texts)
    assert "\n".join(texts).count("line ") == 120


async def test_logged_task_has_an_undo_button_that_edits_the_confirmation(fake_api):
    core = ScriptedCore()
    async with running(core, fake_api):
        fake_api.send_text(504, "2h logo design for ACME")
        [sent] = await fake_api.wait_for("sendMessage")
        button = sent.params["reply_markup"]["inline_keyboard"][0][0]
        assert button == {"text": "Undo", "callback_data": "/undo 7"}
        message_id = next(mid for (chat, mid) in fake_api.messages if chat == 504)
        fake_api.press_button(504, message_id, button["callback_data"])
        await fake_api.wait_for("editMessageText")
    assert len(fake_api.calls("answerCallbackQuery")) == 1
    assert fake_api.messages[(504, message_id)]["text"] == "Removed task 7."
    assert "reply_markup" not in fake_api.messages[(504, message_id)]
    assert core.received[-1].text == "/undo 7" and core.received[-1].user_id == "504"


async def test_document_goes_out_as_multipart_with_caption(fake_api):
    async with running(ScriptedCore(), fake_api):
        fake_api.send_text(505, "/invoice ACME")
        [doc] = await fake_api.wait_for("sendDocument")
    assert doc.files["document"] == ("INV-2026-0001.pdf", b"%PDF-1.7 fake")
    assert doc.params["caption"] == "Invoice INV-2026-0001 for ACME: €240.00"
    assert not fake_api.calls("sendMessage"), "the answer is the document's caption, not a message of its own"
    assert doc.params["chat_id"] == 505


async def test_in_a_group_only_commands_and_mentions_reach_the_core(fake_api):
    core = ScriptedCore()
    async with running(core, fake_api):
        fake_api.send_text(-100, "lunch anyone?", user_id=11)
        fake_api.send_text(-100, "/start@some_other_bot", user_id=11)
        fake_api.send_text(-100, f"/start@{BOT_USERNAME}", user_id=11)
        last = fake_api.send_text(-100, f"@{BOT_USERNAME} 2h review for ACME", user_id=11)
        await fake_api.wait_for("sendMessage", 2)
        await fake_api.wait_taken(last)  # all four taken; stop() lets them finish
    assert [i.text for i in core.received] == ["/start", "2h review for ACME"]
    assert all(not i.is_private and i.chat_id == "-100" and i.user_id == "11" for i in core.received)
    first = fake_api.calls("sendMessage")[0]
    assert first.params["reply_parameters"]["message_id"] > 0, "in a group the answer replies to the message"


async def test_sensitive_reply_asked_in_a_group_goes_to_the_private_chat(fake_api):
    async with running(ScriptedCore(), fake_api):
        fake_api.send_text(-200, "/profile", user_id=12)
        await fake_api.wait_for("sendMessage", 2)
    [group_text] = fake_api.sent_texts(-200)
    assert "IBAN" not in group_text and "private chat" in group_text
    assert fake_api.sent_texts(12) == ["IBAN DE89 3704 0044 0532 0130 00"]


async def test_sensitive_reply_for_a_user_without_a_private_chat_is_only_a_pointer(fake_api):
    fake_api.fail_next("sendMessage", 403, description="Forbidden: bot can't initiate conversation with a user")
    async with running(ScriptedCore(), fake_api):
        fake_api.send_text(-200, "/profile", user_id=13)
        await fake_api.wait_for("sendMessage", 2)
    texts = [c.params.get("text", "") for c in fake_api.calls("sendMessage")]
    assert not any("IBAN" in t for t in texts[1:])
    [group_text] = fake_api.sent_texts(-200)
    assert "IBAN" not in group_text and "Open a private chat with me" in group_text


async def test_the_same_update_twice_is_handled_once_even_by_a_core_that_would_not_notice(fake_api):
    core = ScriptedCore(dedup=False)
    async with running(core, fake_api):
        update = fake_api.message_update(506, "3h design for ACME")
        fake_api.enqueue(update)
        fake_api.enqueue(dict(update))
        last = fake_api.send_text(506, "/start")
        await fake_api.wait_for("sendMessage", 2)
        await fake_api.wait_taken(last)  # the repeat was taken before /start; stop() lets both finish
    assert [i.text for i in core.received] == ["3h design for ACME", "/start"]
    assert len(fake_api.sent_texts(506)) == 2


async def test_a_429_is_waited_out_and_the_reply_still_arrives(fake_api):
    fake_api.fail_next("sendMessage", 429, retry_after=1)
    async with running(ScriptedCore(), fake_api):
        fake_api.send_text(507, "/start")
        calls = await fake_api.wait_for("sendMessage", 2, timeout=10)
    assert [c.params["text"] for c in calls] == ["I log your work &amp; bill &lt;clients&gt;."] * 2
    assert len(fake_api.messages) == 1


async def test_blocked_user_network_errors_and_core_bugs_do_not_stop_the_bot(fake_api):
    fake_api.fail_next("sendMessage", 403)
    fake_api.fail_next("getUpdates", 502, times=1)
    async with running(ScriptedCore(), fake_api):
        fake_api.send_text(508, "/start")      # blocked: the answer is refused
        fake_api.send_text(509, "/boom")       # the core raises (it should not; the bot survives anyway)
        await fake_api.wait_for("sendMessage", 1)
        fake_api.send_text(510, "/start")
        await fake_api.wait_for("sendMessage", 1, chat_id=510)
    assert fake_api.sent_texts(510) == ["I log your work &amp; bill &lt;clients&gt;."]


async def test_stop_finishes_in_flight_work(fake_api):
    core = ScriptedCore(delay=0.5)
    with scratch_inbox() as inbox:
        channel = TelegramChannel(core, token=fake_api.token, inbox=inbox, base_url=fake_api.base_url,
                                  poll_timeout=1)
        await channel.start()
        fake_api.send_text(511, "/start")
        await until(lambda: core.received, "the core never received the /start", timeout=10)
        await channel.stop()
    assert fake_api.sent_texts(511) == ["I log your work &amp; bill &lt;clients&gt;."]


async def test_a_group_gets_at_most_20_messages_a_minute_without_holding_up_other_chats(fake_api):
    """Telegram's published limit for one group; the 21st answer waits (~3 s), a private chat does not."""
    async with running(ScriptedCore(), fake_api):
        for n in range(21):
            fake_api.send_text(-300, f"/start@{BOT_USERNAME}", user_id=20 + n)
        await fake_api.wait_for("sendMessage", 20, chat_id=-300)
        fake_api.send_text(301, "/start")
        [private] = await fake_api.wait_for("sendMessage", 1, chat_id=301)
        group = await fake_api.wait_for("sendMessage", 21, chat_id=-300, timeout=10)
    assert private.at < group[20].at, "the private chat was held up behind the group"
    # 20 a minute, leaking one every 3 s: the 21st goes no sooner than about 3 s after the first
    assert group[20].at - group[0].at >= 2.5, "the group limit was not applied"


async def test_in_a_group_a_button_edits_only_its_authors_confirmation(fake_api):
    core = ScriptedCore()
    async with running(core, fake_api):
        fake_api.send_text(-400, f"@{BOT_USERNAME} 2h review for ACME", user_id=41)
        await fake_api.wait_for("sendMessage", 1, chat_id=-400)
        message_id = max(mid for (chat, mid) in fake_api.messages if chat == -400)
        fake_api.press_button(-400, message_id, "/undo 7", user_id=42)      # someone else presses Undo
        await fake_api.wait_for("sendMessage", 2, chat_id=-400)
        assert fake_api.messages[(-400, message_id)]["text"] == "Logged: 2h review for ACME"
        fake_api.press_button(-400, message_id, "/undo 7", user_id=41)      # the author does
        await fake_api.wait_for("editMessageText")
    assert fake_api.messages[(-400, message_id)]["text"] == "Removed task 7."
    assert [i.user_id for i in core.received] == ["41", "42", "41"]


async def test_a_refused_command_menu_does_not_stop_the_bot_from_starting(fake_api):
    fake_api.fail_next("setMyCommands", 500, description="Internal Server Error")
    async with running(ScriptedCore(), fake_api):
        fake_api.send_text(512, "/start")
        await fake_api.wait_for("sendMessage", 1, chat_id=512)


async def test_a_database_error_while_polling_is_logged_and_polling_goes_on(fake_api, monkeypatch, caplog):
    """The inbox fails once (a PostgreSQL restart, SQLite busy): polling waits it out and later updates are still
    answered; nothing was confirmed in between, so nothing is lost."""
    monkeypatch.setattr("adapters.telegram.channel.POLL_RETRY_S", 0.1)
    with scratch_inbox() as inbox:
        works = inbox.waiting
        failures = []

        def fails_once() -> int:
            if not failures:
                failures.append(1)
                raise OperationalError("SELECT count(*) FROM inbox", {}, Exception("server closed the connection"))
            return works()

        monkeypatch.setattr(inbox, "waiting", fails_once)
        channel = TelegramChannel(ScriptedCore(), token=fake_api.token, inbox=inbox, base_url=fake_api.base_url,
                                  poll_timeout=1)
        await channel.start()
        try:
            fake_api.send_text(512, "/start")
            await fake_api.wait_for("sendMessage", 1, chat_id=512)
        finally:
            await channel.stop()  # does not re-raise the database error
    assert failures
    assert fake_api.sent_texts(512) == ["I log your work &amp; bill &lt;clients&gt;."]
    [record] = [r for r in caplog.records if "polling failed" in r.getMessage()]
    assert record.exc_info and getattr(record, "ref", None)


async def test_the_commands_that_keep_a_file_and_their_limits_come_from_the_cores_table(fake_api):
    """Here the core's table lets /expense keep 10 bytes at most: a larger file is not fetched (the core is told its
    size), and /log, without a limit in the table, keeps none."""
    core = ScriptedCore()
    core.commands = (Command("expense", "/expense", "a cost", file_limit=10), Command("log", "/log", "log work"))
    async with running(core, fake_api):
        for content, caption in ((b"0123456789", "/expense 1 fits"), (b"0123456789+", "/expense 2 too large"),
                                 (b"012", "/log 3 not kept")):
            fake_api.send_photo(601, content, caption, as_document="receipt.pdf")
        await until(lambda: len(core.received) == 3, "the three messages handled")
    attachments = {incoming.text: incoming.attachment for incoming in core.received}
    assert attachments["/expense 1 fits"] == Attachment("receipt.pdf", b"0123456789", 10)
    assert attachments["/expense 2 too large"] == Attachment("receipt.pdf", None, 11)
    assert attachments["/log 3 not kept"] is None
    assert len(fake_api.calls("getFile")) == 1
