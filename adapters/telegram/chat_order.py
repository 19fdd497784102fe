"""Concurrency across chats, order within a chat.

A slow core call (rendering a PDF) must not hold up every other user, so updates run concurrently; but two
messages from the same chat ("2h logo for ACME", then "/undo") must reach the core in the order they were sent.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = _chat_key(update)
        if chat_id is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._waiting[chat_id] = self._waiting.get(chat_id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[chat_id] -= 1
            if not self._waiting[chat_id]:  # nobody else queued for this chat: forget its lock
                del self._waiting[chat_id]
                del self._locks[chat_id]

    async def initialize(self) -> None:
        """Nothing to set up: locks are made per chat on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: the Application waits for in-flight updates before shutting down."""


def _chat_key(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None
