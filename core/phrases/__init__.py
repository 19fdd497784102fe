"""Reads the work phrases freelancers type ("2h logo design for ACME yesterday") into tasks, or asks (SPEC §5)."""
from core.phrases.grammar import parse_phrase, parse_result_json, warm_up
from core.phrases.readings import MAX_PHRASE_LENGTH, AmbiguousPhrase, Choice, ParsedWork, PhraseError

__all__ = [
    "MAX_PHRASE_LENGTH", "AmbiguousPhrase", "Choice", "ParsedWork", "PhraseError",
    "parse_phrase", "parse_result_json", "warm_up",
]
