"""What the work was: the words left once duration, date, client, rate and price are taken out.

Filler words are dropped only where they hung on a part that was taken out ("for" before a client, "on" before
a date, "of" after "an hour") or at the ends, so "review of the API" keeps its "of the".
"""
from __future__ import annotations

import re

from core.phrases.scan import GAP

_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’«»-–—/|+*~_"
_FILLERS = frozenset({
    "for", "with", "w", "on", "at", "of", "the", "from", "to", "in", "and", "&", "@", "#", "x", "per",
    "during", "since", "by", "worth", "client", "customer", "rate", "hours", "hour", "hrs", "mins", "minutes",
})
_LEADING_VERBS = frozenset({
    "spent", "spend", "spending", "worked", "working", "did", "do", "doing", "done", "logged", "log",
    "i", "i've", "ive", "i’ve", "have", "had", "was", "been", "just", "also", "please", "booked", "a", "an",
})
_SPLIT = re.compile(GAP + r"+|\s+")


def _bare(word: str) -> str:
    return word.strip(_EDGE_PUNCTUATION).lower()


def describe(text: str) -> str | None:
    """The description, lower-cased, or None when nothing meaningful is left."""
    items: list[str | None] = []  # None marks where a part was taken out
    position = 0
    for match in _SPLIT.finditer(text):
        if match.start() > position:
            items.append(text[position:match.start()])
        if GAP in match.group():
            items.append(None)
        position = match.end()
    if position < len(text):
        items.append(text[position:])

    def removable(index: int) -> bool:
        word = items[index]
        if word is None:
            return False
        bare = _bare(word)
        if word in ("'s", "’s"):
            return True  # the "'s" of a date or client taken out ("yesterday's standup")
        if bare and bare not in _FILLERS:
            return False  # punctuation alone and filler words go only where they hung on a part taken out
        before = items[index - 1] if index else None
        after = items[index + 1] if index + 1 < len(items) else None
        return before is None or after is None

    changed = True
    while changed:
        changed = False
        words = [i for i, item in enumerate(items) if item is not None]
        if words and _bare(items[words[0]] or "") in _LEADING_VERBS:
            items[words[0]] = None
            changed = True
            continue
        for index in range(len(items)):
            if removable(index):
                items[index] = None
                changed = True
        items = [item for n, item in enumerate(items) if item is not None or n == 0 or items[n - 1] is not None]
    words = [item for item in items if item is not None]
    if not words:
        return None
    description = " ".join(words).strip(_EDGE_PUNCTUATION + " ")
    if description.count("(") > description.count(")"):
        description += ")"  # "design (invoice later)" keeps its closing bracket
    return description or None
