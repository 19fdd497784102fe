"""Reads the work phrases freelancers type ("2h logo design for ACME yesterday") into tasks, or asks (SPEC §5).

Decisions a reader should know (each module's docstring has the detail):
- Today is ``now`` in the user's timezone. A weekday name is its most recent occurrence, today included ("on
  monday" said on a Monday is today); "last friday" is the most recent one before today.
- A date is never in the future silently: a day and month whose occurrence this year lies ahead, or a full date
  ahead (up to a year), is a question ("5 December is ahead — log it for 5 December 2026, or did you mean last
  year?"); a full date before last year is a question too, one before 1900 or more than a year ahead is refused;
  "tomorrow", "next monday" and vague spans ("last week") are refused.
- Numeric dates follow a locale the user chose (day-first unless its short date pattern starts with M), else the
  country of their timezone (CLDR's official languages); where neither decides (UTC, Canada) both readings are
  asked; a day above 12 decides itself; dotted dates are day-first.
- A range whose end comes before its start ("11:30-9:00") asks; "9-11" and "7-9am" are ranges.
- Phrases are read in English, German, French and Spanish (core/phrases/languages.py): the user's language first,
  the others when that reading fails or leaves their words behind; two languages that read it differently ask.
- One message may hold several entries (core/phrases/entries.py); parse_message returns them all.
- Where two readings are plausible (two durations, a bare "1:30" beside another duration, "1.30h" as 1.3 hours or
  1h30, "2h 10 product photos" as 2h10 or ten photos, a prefix that fits two clients, two dates) AmbiguousPhrase
  asks and every Choice carries a complete reading.
- A client prefix needs a marker ("@fab", "for fab"), except where people put the client: opening the message or
  closing what is left ("1h pairing fab"), and there only when it fits one client and no other client is named.
  A word that begins two clients' names asks, even when it is a whole word of one; a full name stands alone.
- An unknown client is kept in ``unknown_client``: after "for" only when capitalised and ending the name, after
  "@", "#" or as "Name:" opening the phrase always. The `invoicebot parse` object then has client and
  description null, as the reference corpus does.
"""
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.phrases.grammar import parse_message, parse_phrase, parse_result_json, warm_up
    from core.phrases.readings import MAX_PHRASE_LENGTH, AmbiguousPhrase, Choice, ParsedWork, PhraseError

__all__ = [
    "MAX_PHRASE_LENGTH", "AmbiguousPhrase", "Choice", "ParsedWork", "PhraseError",
    "parse_message", "parse_phrase", "parse_result_json", "warm_up",
]
_HOMES = {name: "core.phrases.readings" for name in __all__[:5]} | {name: "core.phrases.grammar" for name in __all__[5:]}


def __getattr__(name: str) -> Any:
    """The grammar (hundreds of regular expressions, compiled at import) loads at the first name taken from it, not
    with the package: ``core.money`` imports ``core.phrases.numbers``, and a start that answers /help parses no
    phrase."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
