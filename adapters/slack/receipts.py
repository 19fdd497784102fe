"""A file shared in the bot's DM with a command that keeps one as its message — a receipt with ``/expense …``, an
export with ``/import`` (or ``expense …``, ``import``: Slack takes a message starting with "/" for a slash
command): the file is fetched from Slack with the bot token for the core to read."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import aiohttp

from core.messages import Attachment

log = logging.getLogger(__name__)


def file_command(text: str, limits: Mapping[str, int]) -> tuple[str, int] | None:
    """The command a file share's message holds (``/expense …``, ``/import``) and the most its file may weigh
    (``limits``: :func:`core.context.file_limits`), or None when it holds none of those."""
    stripped = text.strip()
    word = stripped.split(maxsplit=1)[0].lower() if stripped else ""
    limit = limits.get(word.removeprefix("/"))
    if limit is None:
        return None
    return (stripped if word.startswith("/") else "/" + stripped), limit


async def fetch_file(client: Any, file: dict[str, Any], limit: int) -> Attachment:
    """The shared file's bytes (url_private_download, read with the bot token; files.info when the event leaves
    the URL out); one over ``limit`` is not downloaded, one that can't be fetched comes without content."""
    name = str(file.get("name") or file.get("title") or "file")
    size = file.get("size") if isinstance(file.get("size"), int) else None
    if size is not None and size > limit:
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
            content = await response.content.read(limit + 1)
    except Exception as exc:  # the core tells the user the receipt couldn't be read; nothing is logged
        log.warning("Slack: could not fetch the shared file %s: %s", file.get("id"), type(exc).__name__)
        return Attachment(name, None, size)
    return Attachment(name, content, size)
