"""Reads the work phrases freelancers type ("2h logo design for ACME yesterday") into tasks, or asks (SPEC §5).

Decisions a reader should know (each module's docstring has the detail):
- Today is ``now`` in the user's timezone. A weekday name is its most recent occurrence, today included ("on
  monday" said on a Monday is today); "last friday" is the most recent one before today.
- Dates without a year are the most recent past occurrence; a future date is taken only when written in full
  with its year (up to a year ahead); "tomorrow", "next monday" and vague spans ("last week") are refused.
- Numeric dates follow the account's locale (day-first unless its short date pattern starts with M); a day above
  12 decides itself; dotted dates are day-first; year-first locales ask.
- Where two readings are plausible (two durations, a bare "1:30" beside another duration, "1.30h" as 1.3 hours or
  1h30, "2h 10 product photos" as 2h10 or ten photos, a prefix that fits two clients, two dates) AmbiguousPhrase
  asks and every Choice carries a complete reading.
- A client prefix needs a marker ("@fab", "for fab"), except where people put the client: opening the message or
  closing what is left ("1h pairing fab"), and there only when it fits one client and no other client is named.
- An unknown client is kept in ``unknown_client``: after "for" only when capitalised and ending the name, after
  "@", "#" or as "Name:" opening the phrase always. The `invoicebot parse` object then has client and
  description null, as the reference corpus does.
"""
from core.phrases.grammar import parse_phrase, parse_result_json, warm_up
from core.phrases.readings import MAX_PHRASE_LENGTH, AmbiguousPhrase, Choice, ParsedWork, PhraseError

__all__ = [
    "MAX_PHRASE_LENGTH", "AmbiguousPhrase", "Choice", "ParsedWork", "PhraseError",
    "parse_phrase", "parse_result_json", "warm_up",
]
