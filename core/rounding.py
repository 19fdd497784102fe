"""Billing increments: each time entry is billed rounded up to a multiple of N minutes (``/profile set rounding 15``,
``/client set ACME rounding 6``), while the logged minutes stay as they were.

The rounding is applied when work is priced, never when it is logged: an unbilled task follows a change of the
setting as it follows a change of the client's rate, an issued invoice keeps what it billed (its lines hold the
billed minutes), and /tasks can show both ("7m (bills 15m)"). A fixed price has no time and bills as it is.
"""
from __future__ import annotations

from core.errors import UserError
from core.i18n import _
from core.models import Client

MAX_ROUNDING = 240
"""Four hours: any larger step would bill a short call as half a day."""
EXACT_WORDS = ("off", "0", "no")
"""A client's ``rounding off``: this client's time is billed as logged, whatever the profile says."""
FOLLOW_WORDS = ("none", "-", "default", "profile")
"""A client's ``rounding none``: the client follows the profile's rounding again."""
_UNITS = ("minutes", "minute", "mins", "min", "m")


def parse_rounding(text: str) -> int:
    """``15``, ``15m``, ``15 min`` → 15; ``off`` or ``0`` → 0 (no rounding); anything else is a clear refusal."""
    cleaned = " ".join(text.lower().split())
    if cleaned in EXACT_WORDS:
        return 0
    for unit in _UNITS:
        if cleaned.endswith(unit):
            cleaned = cleaned.removesuffix(unit).strip()
            break
    if not (cleaned.isascii() and cleaned.isdigit()) or not 0 <= int(cleaned) <= MAX_ROUNDING:
        raise UserError(_("Give the rounding in whole minutes from 1 to {limit}, e.g. 15 (each entry is billed "
                          "rounded up to a multiple of it), or off.").format(limit=MAX_ROUNDING))
    return int(cleaned)


def rounding_for(client: Client) -> int:
    """The step a client's time is billed in: its own setting, else the profile's; 0 means exact minutes."""
    if client.rounding is not None:
        return client.rounding
    account = client.account  # None for a client not (yet) in the database
    profile = account.profile if account is not None else None
    return (profile.rounding or 0) if profile is not None else 0


def round_up(minutes: int, step: int) -> int:
    """``minutes`` rounded up to a multiple of ``step`` (0 or 1: unchanged). 7 at 15 → 15; 30 at 15 → 30."""
    if step <= 1:
        return minutes
    return -(-minutes // step) * step

