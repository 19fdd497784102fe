"""The outbound side: how the core reaches a user who did not just write (reminders).

The core defines the interface; each channel adapter implements it for its platform.
"""
from __future__ import annotations

from typing import Protocol

from core.messages import Reply


class DeliveryError(Exception):
    """Sending failed for a reason that may pass (network, rate limit): retry later with backoff."""


class RecipientBlocked(DeliveryError):
    """The user blocked the bot or left: don't retry; pause what would be sent to them."""


class Notifier(Protocol):
    """Sends a reply to a conversation by its id, outside any incoming message."""

    platform: str

    def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver ``reply`` to ``chat_id``; raise :class:`RecipientBlocked` or :class:`DeliveryError`."""
        ...
