"""A receipt photo or file sent with /expense as its caption, fetched through getFile from the Bot API double, kept
with the expense, marked in /tasks and embedded in the invoice PDF that bills it."""
from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader

from core.receipts import MAX_RECEIPT_BYTES
from tests.conftest import SELLER_PROFILE
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_conversation import running, say


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


async def setup(api: FakeBotApi, chat: int) -> None:
    for line in (*SELLER_PROFILE, "/profile set tax_rate 19", "/client add ACME rate 80 currency EUR",
                 "/client set ACME country DE", "/client set ACME address Torstraße 12 | 10119 Berlin"):
        await say(api, chat, line)


async def send_with_caption(api: FakeBotApi, chat: int, content: bytes, caption: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    before = len(api.sent_texts(chat))
    api.send_photo(chat, content, caption, **kwargs)
    await api.wait_for("sendMessage", before + 1, chat_id=chat)
    return api.sent_texts(chat)[before]


async def test_a_photo_with_an_expense_caption_is_kept_and_goes_inside_the_invoice(fake_api, core) -> None:  # type: ignore[no-untyped-def]
    photo = jpeg()
    async with running(core, fake_api):
        await setup(fake_api, 4101)
        answer = await send_with_caption(fake_api, 4101, photo, "/expense 45.90 train ticket for ACME tax 7%")
        assert "Expense #1" in answer and "Receipt kept" in answer
        last = max(mid for (chat, mid) in fake_api._user_messages if chat == 4101)
        assert [c.params["file_id"] for c in fake_api.calls("getFile")] == [f"file-{last}"]  # the largest size
        assert "· receipt" in await say(fake_api, 4101, "/tasks")
        fake_api.send_text(4101, "/invoice ACME")
        [sent] = await fake_api.wait_for("sendDocument", chat_id=4101)
    reader = PdfReader(io.BytesIO(sent.files["document"][1]))
    assert reader.attachments["receipt-1.jpg"] == [photo]
    assert "factur-x.xml" in reader.attachments


async def test_a_pdf_file_is_kept_and_other_files_or_oversized_ones_are_refused(fake_api, core) -> None:  # type: ignore[no-untyped-def]
    async with running(core, fake_api):
        await setup(fake_api, 4102)
        answer = await send_with_caption(fake_api, 4102, b"%PDF-1.4\n%receipt\n", "/expense 12 parking for ACME",
                                         as_document="parking.pdf")
        assert "Receipt kept" in answer
        refused = await send_with_caption(fake_api, 4102, b"MZ\x90\x00 not a receipt", "/expense 9 lunch for ACME",
                                          as_document="lunch.exe")
        assert "is not a photo (JPEG, PNG) or a PDF" in refused
        fetched = len(fake_api.calls("getFile"))
        big = await send_with_caption(fake_api, 4102, jpeg(), "/expense 30 taxi for ACME",
                                      declared_size=MAX_RECEIPT_BYTES + 1)
        assert "is larger than 5 MB" in big
        assert len(fake_api.calls("getFile")) == fetched  # an oversized file is not even downloaded
        listed = await say(fake_api, 4102, "/tasks")
    assert "parking · €12.00 · receipt" in listed
    assert "lunch" not in listed and "taxi" not in listed  # a refused receipt logs nothing
