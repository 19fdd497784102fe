"""Every button path in a Telegram group, with the real core: the answer lands where the group is told it did.

A "which client?" button that issues an invoice holding payment details sends the PDF to the presser's private
chat and tells the group so; without a private chat the group is told how to get one; an invoice without private
details is posted in the group; someone else's press answers them, not the author; an Undo edits in place."""
from __future__ import annotations

from tests.telegram.fake_bot_api import BOT_USERNAME
from tests.telegram.test_conversation import running, say

GROUP, ALICE, BOB = -5100, 5101, 5102


async def set_up(api, user: int, *, payment: bool) -> None:  # type: ignore[no-untyped-def]
    """With ``payment``, a complete profile (/invoice issues without asking first, the PDF holds private details);
    without, a profile with nothing private (the PDF may be posted in a group, after /invoice's question)."""
    private = ["/profile set tax_number 12/345/67890"] if payment else []
    lines = ["/profile set name Jane Doe Design", "/profile set address Hauptstr. 1 | 10115 Berlin",
             "/profile set country DE", *private, "/client add ACME rate 80",
             "/client set ACME country DE", "/client set ACME address Ring 2 | 50667 Köln", "/client add Acorn rate 90",
             "2h logo design for ACME"]
    if payment:
        lines.insert(2, "/profile set payment IBAN DE89 3704 0044 0532 0130 00")
    for line in lines:
        await say(api, user, line)


async def ask_which_client(api, user: int) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """``/invoice a`` in the group: a question with a button per client; returns its message and ACME's button."""
    before = len(api.sent_texts(GROUP))
    api.send_text(GROUP, "/invoice a", user_id=user)
    await api.wait_for("sendMessage", before + 1, chat_id=GROUP)
    message_id = max(mid for (chat, mid) in api.messages if chat == GROUP)
    buttons = [b for row in api.messages[(GROUP, message_id)]["reply_markup"]["inline_keyboard"] for b in row]
    [acme] = [b["callback_data"] for b in buttons if b["text"] == "ACME"]
    return message_id, acme


def documents_to(api, chat_id: int) -> list:  # type: ignore[no-untyped-def]
    return [c for c in api.calls("sendDocument") if c.params["chat_id"] == chat_id]


def group_texts(api) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.get("text", "") for (chat, _), m in sorted(api.messages.items()) if chat == GROUP]


async def test_a_client_button_issuing_a_private_invoice_sends_the_pdf_privately(fake_api, core) -> None:
    async with running(core, fake_api):
        await set_up(fake_api, ALICE, payment=True)
        question, acme = await ask_which_client(fake_api, ALICE)
        fake_api.press_button(GROUP, question, acme, user_id=ALICE)
        [pdf] = await fake_api.wait_for("sendDocument", chat_id=ALICE, timeout=30)
        await fake_api.wait_for("editMessageText", timeout=10)
    assert pdf.files["document"][0].startswith("INV-") and documents_to(fake_api, GROUP) == []
    note = fake_api.messages[(GROUP, question)]["text"]
    assert "sent it to you in our private chat" in note
    assert not any("DE89" in text for text in group_texts(fake_api))


async def test_without_a_private_chat_the_group_is_told_how_to_get_the_pdf(fake_api, core) -> None:
    async with running(core, fake_api):
        await set_up(fake_api, ALICE, payment=True)
        question, acme = await ask_which_client(fake_api, ALICE)
        fake_api.fail_next("sendDocument", 403, description="Forbidden: bot can't initiate conversation with a user")
        fake_api.press_button(GROUP, question, acme, user_id=ALICE)
        await fake_api.wait_for("editMessageText", timeout=30)
    assert "Open a private chat with me" in fake_api.messages[(GROUP, question)]["text"]
    assert documents_to(fake_api, GROUP) == [] and not any("DE89" in t for t in group_texts(fake_api))


async def test_an_invoice_without_private_details_is_posted_in_the_group(fake_api, core) -> None:
    async with running(core, fake_api):
        await set_up(fake_api, ALICE, payment=False)
        question, acme = await ask_which_client(fake_api, ALICE)
        fake_api.press_button(GROUP, question, acme, user_id=ALICE)
        await fake_api.wait_for("editMessageText", timeout=30)  # "Issue it anyway?" in place of the question
        buttons = [b for row in fake_api.messages[(GROUP, question)]["reply_markup"]["inline_keyboard"] for b in row]
        [anyway] = [b["callback_data"] for b in buttons if b["text"] == "Issue anyway"]
        fake_api.press_button(GROUP, question, anyway, user_id=ALICE)
        [pdf] = await fake_api.wait_for("sendDocument", chat_id=GROUP, timeout=30)
    assert pdf.files["document"][1].startswith(b"%PDF") and documents_to(fake_api, ALICE) == []


async def test_someone_else_pressing_the_button_acts_for_themselves_and_leaves_the_question(fake_api, core) -> None:
    async with running(core, fake_api):
        await set_up(fake_api, ALICE, payment=True)
        await set_up(fake_api, BOB, payment=True)
        question, acme = await ask_which_client(fake_api, ALICE)
        asked = fake_api.messages[(GROUP, question)]["text"]
        fake_api.press_button(GROUP, question, acme, user_id=BOB)
        [pdf] = await fake_api.wait_for("sendDocument", chat_id=BOB, timeout=30)
        await fake_api.wait_for("sendMessage", 2, chat_id=GROUP, timeout=10)
    assert fake_api.messages[(GROUP, question)]["text"] == asked  # alice's question is still there for her
    assert "sent it to you in our private chat" in fake_api.sent_texts(GROUP)[-1]
    assert documents_to(fake_api, ALICE) == [] and documents_to(fake_api, GROUP) == []


async def test_an_undo_button_in_a_group_edits_the_confirmation_in_place(fake_api, core) -> None:
    async with running(core, fake_api):
        await set_up(fake_api, ALICE, payment=False)
        fake_api.send_text(GROUP, f"@{BOT_USERNAME} 1h review for ACME", user_id=ALICE)
        await fake_api.wait_for("sendMessage", 1, chat_id=GROUP)
        logged = max(mid for (chat, mid) in fake_api.messages if chat == GROUP)
        [undo] = [b for row in fake_api.messages[(GROUP, logged)]["reply_markup"]["inline_keyboard"] for b in row]
        fake_api.press_button(GROUP, logged, undo["callback_data"], user_id=ALICE)
        await fake_api.wait_for("editMessageText", timeout=10)
    assert fake_api.messages[(GROUP, logged)]["text"].startswith("Removed #")
