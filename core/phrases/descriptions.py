"""What the work was: the words left once duration, date, client, rate and price are taken out.

Filler words are dropped only where they hung on a part that was taken out ("for" before a client, "on" before
a date, "of" after "an hour") or at the ends, so "review of the API" keeps its "of the".
"""
from __future__ import annotations

import re
from functools import cache

from core.phrases.languages import ENGLISH, LANGUAGES, Language, fold_text, language
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
_TRAILING_VERBS: frozenset[str] = frozenset()
_SPLIT = re.compile(GAP + r"+|\s+")
_ELISION = re.compile(r"^[dlj]['’](?=\w)", re.IGNORECASE)  # "d'analyse", "l'heure": the article hangs on the word


@cache
def _words_of(lang: Language) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Filler, leading and trailing words: English's and the language's own (folded)."""
    return (_FILLERS | frozenset(lang.words("fillers")), _LEADING_VERBS | frozenset(lang.words("leading_words")),
            _TRAILING_VERBS | frozenset(lang.words("trailing_words")))


def _bare(word: str) -> str:
    return fold_text(word.strip(_EDGE_PUNCTUATION))


@cache
def _small_words() -> frozenset[str]:
    """Every language's own filler and leading words (folded)."""
    return frozenset(word for code in LANGUAGES for key in ("fillers", "leading_words")
                     for word in language(code).words(key))


def _single_letters(typed: list[str | None], lang: Language) -> list[str]:
    """The one-letter words of a phrase whose description would otherwise vanish ("1h x for Z" is about "x"): what
    the user typed is kept, except a small word of one of the languages read (Spanish "y", French "à") and an
    opening "I" ("I 1h for ACME")."""
    own = _small_words()
    letters = []
    for index, word in enumerate(typed):
        bare = _bare(word or "")
        if len(bare) != 1 or not bare.isalpha() or bare in own or (index == 0 and bare == "i"):
            continue
        letters.append((word or "").strip(_EDGE_PUNCTUATION))
    return letters


def describe(text: str, lang: Language = ENGLISH) -> str | None:
    """The description as typed, or None when nothing meaningful is left."""
    fillers, leading, trailing = _words_of(lang)
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
        if bare and bare not in fillers:
            return False  # punctuation alone and filler words go only where they hung on a part taken out
        before = items[index - 1] if index else None
        after = items[index + 1] if index + 1 < len(items) else None
        return before is None or after is None

    def unelided(index: int) -> bool:
        """Drops the article of "d'analyse" when it hung on a part taken out ("2h d'analyse")."""
        word = items[index]
        if word is None or lang.code == "en" or not index or items[index - 1] is not None or not _ELISION.match(word):
            return False
        items[index] = word[2:]
        return True

    typed = list(items)
    changed = True
    while changed:
        changed = False
        words = [i for i, item in enumerate(items) if item is not None]
        if words and _bare(items[words[0]] or "") in leading:
            items[words[0]] = None
            changed = True
            continue
        if words and _bare(items[words[-1]] or "") in trailing:
            items[words[-1]] = None
            changed = True
            continue
        for index in range(len(items)):
            if removable(index):
                items[index] = None
                changed = True
            elif unelided(index):
                changed = True
        items = [item for n, item in enumerate(items) if item is not None or n == 0 or items[n - 1] is not None]
    kept = [item for item in items if item is not None] or _single_letters(typed, lang)
    if not kept:
        return None
    description = " ".join(kept).strip(_EDGE_PUNCTUATION + " ")
    if description.count("(") > description.count(")"):
        description += ")"  # "design (invoice later)" keeps its closing bracket
    return description or None
