"""A receipt shared in the bot's DM with ``/expense …`` (or ``expense …``: Slack takes a message starting with "/"
for a slash command) as its message: the file is fetched from Slack with the bot token for the core to keep."""
from __future__ import annotations

import logging
from typing import Any

import aiohttp

from core.messages import Attachment
from core.receipts import MAX_RECEIPT_BYTES

log = logging.getLogger(__name__)


def expense_text(text: str) -> str | None:
    """The /expense command a file share's message holds, or None when it holds none."""
    stripped = text.strip()
    word = stripped.split(maxsplit=1)[0].lower() if stripped else ""
    if word == "/expense":
        return stripped
    if word == "expense":
        return "/" + stripped
    return None


async def fetch_receipt(client: Any, file: dict[str, Any]) -> Attachment:
    """The shared file's bytes (url_private_download, read with the bot token; files.info when the event leaves
    the URL out); one over the core's limit is not downloaded, one that can't be fetched comes without content."""
    name = str(file.get("name") or file.get("title") or "file")
    size = file.get("size") if isinstance(file.get("size"), int) else None
    if size is not None and size > MAX_RECEIPT_BYTES:
        return Attachment(name, None, size)
    try:
        url = file.get("url_private_download") or file.get("url_private")
        if not url:
            info = await client.files_info(file=file["id"])
            url = info["file"].get("url_private_download") or info["file"].get("url_private")
        async with aiohttp.ClientSession() as session, session.get(
                url, headers={"Authorization": f"Bearer {client.token}"},
                timeout=aiohttp.ClientTimeout(total=30)) as response:
            response.raise_for_status()
            content = await response.content.read(MAX_RECEIPT_BYTES + 1)
    except Exception as exc:  # the core tells the user the receipt couldn't be read; nothing is logged
        log.warning("Slack: could not fetch the shared file %s: %s", file.get("id"), type(exc).__name__)
        return Attachment(name, None, size)
    return Attachment(name, content, size)
