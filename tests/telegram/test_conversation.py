"""End to end: the real PTB Application, the fake Bot API on 127.0.0.1 and the real Core on a fresh database."""
from __future__ import annotations

import contextlib
import io

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from adapters.telegram.channel import TelegramChannel
from core.models import InboxItem
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.inbox_db import inbox_of
from tests.telegram.webhook_server import served


@contextlib.asynccontextmanager
async def running(core, api: FakeBotApi):
    channel = TelegramChannel(core, token=api.token, inbox=inbox_of(core), base_url=api.base_url, poll_timeout=1)
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()


async def say(api: FakeBotApi, chat_id: int, text: str, **kwargs) -> str:
    """Send a message and return the text of the bot's next answer in that chat."""
    before = len(api.sent_texts(chat_id))
    api.send_text(chat_id, text, **kwargs)
    await api.wait_for("sendMessage", before + 1, chat_id=chat_id)
    return api.sent_texts(chat_id)[before]


async def test_start_lists_the_commands(fake_api, core):
    async with running(core, fake_api):
        answer = await say(fake_api, 4001, "/start")
    assert "/invoice" in answer and "/tasks" in answer
    menu = next(c for c in fake_api.calls("setMyCommands") if c.params["scope"]["type"] == "default")
    assert [c["command"] for c in menu.params["commands"]] == [c.name for c in core.commands]


async def test_logging_then_undo_button_removes_the_task(fake_api, core):
    async with running(core, fake_api):
        await say(fake_api, 4002, "/client add ACME rate 80")
        logged = await say(fake_api, 4002, "2h logo design for ACME yesterday")
        assert "logo design" in logged and "ACME" in logged
        confirmation = fake_api.calls("sendMessage")[-1]
        [[undo]] = confirmation.params["reply_markup"]["inline_keyboard"]
        assert undo["text"] == "Undo"
        assert "logo design" in await say(fake_api, 4002, "/tasks")

        message_id = max(mid for (chat, mid) in fake_api.messages if chat == 4002)
        fake_api.press_button(4002, message_id, undo["callback_data"])
        [edit] = await fake_api.wait_for("editMessageText")
        assert edit.params["message_id"] == message_id
        assert fake_api.messages[(4002, message_id)]["text"] != logged, "the confirmation shows the outcome"
        after = await say(fake_api, 4002, "/tasks")
    assert "logo design" not in after
    assert fake_api.calls("answerCallbackQuery")


async def test_ambiguous_client_is_answered_with_buttons(fake_api, core):
    async with running(core, fake_api):
        await say(fake_api, 4003, "/client add ACME rate 80")
        await say(fake_api, 4003, "1h call with Globex")
        question = fake_api.calls("sendMessage")[-1]
        choices = [b for row in question.params["reply_markup"]["inline_keyboard"] for b in row]
        acme = next(b for b in choices if b["text"] == "ACME")
        message_id = max(mid for (chat, mid) in fake_api.messages if chat == 4003)
        fake_api.press_button(4003, message_id, acme["callback_data"])
        await fake_api.wait_for("editMessageText")
        tasks = await say(fake_api, 4003, "/tasks")
    assert "ACME" in tasks and "call" in tasks


async def test_group_refuses_profile_and_private_chat_shows_it(fake_api, core):
    async with running(core, fake_api):
        await say(fake_api, 4004, "/profile set payment IBAN DE89 3704 0044 0532 0130 00")
        in_group = await say(fake_api, -4100, "/profile", user_id=4004)
        in_private = await say(fake_api, 4004, "/profile")
        ignored_before = len(fake_api.calls("sendMessage"))
        ignored = fake_api.send_text(-4100, "2h chat about lunch", user_id=4004)   # not addressed to the bot
        await fake_api.wait_taken(ignored)
    assert len(fake_api.calls("sendMessage")) == ignored_before  # stop() let the taken update finish: no answer
    assert "DE89" not in in_group and "private" in in_group
    assert "DE89" in in_private


async def test_a_groups_menu_leaves_out_the_private_commands_and_the_group_is_refused_them(fake_api, core):
    """/link and /token show a code or a secret: like /profile, only in a private chat, and not offered in groups."""
    async with running(core, fake_api):
        refusals = [await say(fake_api, -4200, command, user_id=4006) for command in ("/link", "/token new ci")]
        code = await say(fake_api, 4006, "/link")
    private = {"link", "unlink", "token", "tokens", "profile", "export"}
    menus = {key: [c["command"] for c in commands] for key, commands in fake_api.menus.items()}
    assert {language for _scope, language in menus} == {None, "de", "fr", "es"}
    for (scope, _language), names in menus.items():
        if scope == "default":
            assert private <= set(names)
        else:
            assert scope == "all_group_chats" and names == [c.name for c in core.commands if not c.private]
            assert not private & set(names)
    assert refusals == [f"{name} is about your own books, so I only answer it in a private chat: message me directly."
                        for name in ("/link", "/token")]
    assert "/link " in code and "within 10 minutes" in code


async def test_same_update_at_two_webhook_workers_is_handled_once(fake_api, core):
    """Two processes behind one webhook URL (or a redelivery after a restart) don't share memory; the inbox
    in the database knows the update is stored already."""
    update = fake_api.message_update(4005, "/client add Initech rate 90")

    def worker(url):
        return TelegramChannel(core, token=fake_api.token, inbox=inbox_of(core), base_url=fake_api.base_url,
                               webhook_url=url, webhook_secret="shared-secret")

    async with served(worker), served(worker):
        assert await fake_api.deliver_to_webhook(update) == 200          # the second worker registered last
        await fake_api.wait_for("sendMessage", 1, chat_id=4005)
        first_url = fake_api.calls("setWebhook")[0].params["url"]
        fake_api.webhook["url"] = first_url
        assert await fake_api.deliver_to_webhook(update) == 200          # the same update at the other worker
    # leaving served() stops both workers, which first finish every update they accepted
    [answer] = fake_api.sent_texts(4005)
    assert answer.startswith("Added client Initech")
    with core.sessions() as session:
        rows = session.execute(select(InboxItem.key, InboxItem.done_at)).all()
    assert [key for key, _done in rows] == [f"tg:{update['update_id']}"] and rows[0].done_at is not None


async def test_invoice_arrives_as_a_real_pdf_with_number_client_and_total(fake_api, core):
    async with running(core, fake_api):
        for line in ("/profile set name Jane Doe Design", "/profile set address 1 Main St | 10115 Berlin",
                     "/profile set payment IBAN DE89 3704 0044 0532 0130 00", "/profile set country DE",
                     "/profile set vat_id DE123456788", "/client add ACME rate 80", "/client set ACME country DE",
                     "2h logo design for ACME yesterday"):
            await say(fake_api, 4006, line)
        fake_api.send_text(4006, "/invoice ACME")
        [upload] = await fake_api.wait_for("sendDocument", chat_id=4006, timeout=30)
        fake_api.send_text(-4200, "/invoice ACME", user_id=4006)          # the PDF holds the IBAN: not in a group
        await fake_api.wait_for("sendMessage", 1, chat_id=-4200, timeout=30)
    filename, content = upload.files["document"]
    assert filename.endswith(".pdf") and content.startswith(b"%PDF")
    number = filename.removesuffix(".pdf")
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert number in pdf_text and "ACME" in pdf_text and "logo design" in pdf_text
    caption = upload.params["caption"]
    assert number in caption and "ACME" in caption and "160.00" in caption
    assert len(fake_api.calls("sendDocument")) == 1
    [group_answer] = fake_api.sent_texts(-4200)
    assert "DE89" not in group_answer


async def test_a_user_whose_telegram_speaks_french_is_answered_in_french(fake_api, core):
    fake_api.languages[4009] = "fr"
    async with running(core, fake_api):
        answer = await say(fake_api, 4009, "/client add ACME rate 80")
    assert answer == "Client ajouté\xa0: ACME — 80,00\xa0€/h."
    menus = {language: {c["command"]: c["description"] for c in menu}
             for (scope, language), menu in fake_api.menus.items() if scope == "default"}
    assert menus[None]["tasks"] == "unbilled work, per client"
    assert menus["de"]["tasks"] == "nicht abgerechnete Arbeit, je Kunde"
    assert menus["fr"]["tasks"] == "travail non facturé, par client"
    assert menus["es"]["tasks"] == "trabajo sin facturar, por cliente"


async def test_the_report_chart_is_sent_as_a_photo_under_the_report(fake_api, core):
    async with running(core, fake_api):
        for line in ("/client add ACME rate 80", "2h logo design for ACME yesterday"):
            await say(fake_api, 4010, line)
        fake_api.send_text(4010, "/report")
        [photo] = await fake_api.wait_for("sendPhoto", chat_id=4010, timeout=30)
    filename, content = photo.files["photo"]
    assert filename.startswith("report-") and filename.endswith(".png")
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG" and image.size[0] == 800
    assert photo.params["caption"].splitlines()[1] == "ACME: unbilled 2h (€160.00)"  # the report is its caption
    assert not fake_api.calls("sendDocument")


async def test_a_report_asked_in_a_group_goes_to_the_private_chat_with_its_chart(fake_api, core):
    """The report holds every client's figures: the group only hears where it went."""
    async with running(core, fake_api):
        for line in ("/client add ACME rate 80", "/client add Globex rate 90", "2h logo design for ACME yesterday",
                     "1h audit for Globex yesterday"):
            await say(fake_api, 4011, line)
        fake_api.send_text(-4300, "/report", user_id=4011)
        [photo] = await fake_api.wait_for("sendPhoto", chat_id=4011, timeout=30)
        await fake_api.wait_for("sendMessage", chat_id=-4300)
    assert "Globex: unbilled 1h (€90.00)" in photo.params["caption"]
    [group_text] = fake_api.sent_texts(-4300)
    assert "private chat" in group_text and "ACME" not in group_text and "Globex" not in group_text
    assert not [c for c in fake_api.calls("sendPhoto") if c.params["chat_id"] == -4300]
