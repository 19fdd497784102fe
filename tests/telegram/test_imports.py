"""/import through the real PTB Application and the Bot API double: a Toggl Track export sent as a file with
/import as its caption is fetched through getFile, previewed, and imported with the Import button; an oversized
file is refused without being downloaded."""
from __future__ import annotations

from pathlib import Path

from core.timesheets import MAX_IMPORT_BYTES
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_conversation import running, say
from tests.telegram.test_receipts import send_with_caption

EXPORT = (Path(__file__).parent.parent / "imports" / "toggl_detailed.csv").read_bytes()


async def test_an_export_sent_with_import_is_previewed_and_imported_on_the_button(fake_api: FakeBotApi, core) -> None:  # type: ignore[no-untyped-def]
    async with running(core, fake_api):
        await say(fake_api, 4201, "/client add ACME rate 80")
        await say(fake_api, 4201, "/client add Initech rate 60 currency USD")
        preview = await send_with_caption(fake_api, 4201, EXPORT, "/import", as_document="toggl.csv")
        assert preview.startswith("Toggl Track export toggl.csv:\nACME: 3 entries, 6h 46m")
        assert len(fake_api.calls("getFile")) == 1
        question = fake_api.calls("sendMessage")[-1]
        buttons = [b for row in question.params["reply_markup"]["inline_keyboard"] for b in row]
        assert [b["text"] for b in buttons] == ["Import 5 entries", "Cancel"]
        message_id = max(mid for (chat, mid) in fake_api.messages if chat == 4201)
        fake_api.press_button(4201, message_id, buttons[0]["callback_data"])
        await fake_api.wait_for("editMessageText")
        assert "Imported 5 entries as tasks #1 to #7." in fake_api.messages[(4201, message_id)]["text"]
        listed = await say(fake_api, 4201, "/tasks")
        assert 'Logo, "final" v2' in listed and "Server migration" in listed
        fetched = len(fake_api.calls("getFile"))
        big = await send_with_caption(fake_api, 4201, EXPORT, "/import", as_document="year.csv",
                                      declared_size=MAX_IMPORT_BYTES + 1)
        assert big.startswith("The file year.csv is larger than 2 MB")
        assert len(fake_api.calls("getFile")) == fetched  # not even downloaded
