"""Concurrency across chats, order within a chat.

A slow core call (rendering a PDF) must not hold up every other user, so updates run concurrently; but two
messages from the same chat ("2h logo for ACME", then "/undo") must reach the core in the order they were sent.
"""
from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from adapters.ordering import Turns


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: Turns[int] = Turns()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = _chat_key(update)
        if chat_id is None:
            await coroutine
            return
        async with self._turns.turn(chat_id):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up: locks are made per chat on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: the Application waits for in-flight updates before shutting down."""


def _chat_key(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None
