"""What a phrase means: the parsed work, the rejects, and the questions asked instead of guessing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.errors import UserError

MAX_PHRASE_LENGTH = 500


@dataclass(frozen=True)
class ParsedWork:
    """One work entry as the user meant it; the task service turns it into a stored task."""

    minutes: int | None
    amount: Decimal | None
    currency: str | None
    rate: Decimal | None
    client: str | None
    unknown_client: str | None
    work_date: date
    description: str | None
    dated: bool = False
    """Whether the phrase named the day (else work_date is today): /edit keeps a task's date unless one is given."""
    rate_currency: str | None = None
    """The currency written with the rate ("@ €150/h"), None when the rate was a bare number."""


class PhraseError(UserError):
    """The phrase can't be logged; the message says what was missing or wrong."""


@dataclass(frozen=True)
class Choice:
    """One answer to an ambiguity question, carrying the complete reading it stands for.

    A message with several entries carries them all in ``entries`` (``reading`` is the first), so one answer
    logs the whole message."""

    label: str
    reading: ParsedWork
    entries: tuple[ParsedWork, ...] = ()

    @property
    def readings(self) -> tuple[ParsedWork, ...]:
        return self.entries or (self.reading,)


class AmbiguousPhrase(UserError):
    """Two readings are plausible: the message is the question and ``choices`` the answers (two or more)."""

    def __init__(self, message: str, choices: tuple[Choice, ...]) -> None:
        super().__init__(message)
        self.choices = tuple(choices)
