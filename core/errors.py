"""The one user-facing error type: its message is a full sentence the user can act on, shown verbatim."""
from __future__ import annotations


class UserError(Exception):
    """Raised by services and commands when the user's input can't be acted on.

    The transaction is rolled back, so nothing changes; the message is shown to the user as it is.
    ``actions`` may offer the next steps (e.g. "Create client Globodyne").
    """

    def __init__(self, message: str, actions: tuple = ()) -> None:
        super().__init__(message)
        self.message = message
        self.actions = tuple(actions)

    def __str__(self) -> str:
        return self.message
