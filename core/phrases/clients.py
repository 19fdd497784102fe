"""Who the work was for: a known client's name or a unique prefix of it, anywhere in the phrase.

Matching is case- and accent-insensitive ("cafe lumiere" is Café Lumière). Mid-phrase, a bare word must be a whole
first word of a client's name ("northwind" -> Northwind Traders); after a marker ("for", "with", "client", "@x",
"#x", "X:" at the start) a shorter prefix will do ("@fab" -> Fabrikam), and so will a whole later word of a name
("for Ромашка" -> ООО Ромашка), and so it will where people put the
client, opening the message or closing what is left ("1h pairing fab"), but only when it fits one client and no
other client is named ("2h moving van Contoso" is Contoso's). One word may run a name's words together ("#DunderMifflin",
"dunder-mifflin"). A name that fits two clients gives both, and the parser asks. An unknown name after "for"
(capitalised), "@", "#" or "X:" is kept as typed so the task layer can offer to create that client.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

from core.phrases.languages import ENGLISH, Language
from core.phrases.scan import PhraseScan

_TOKEN = re.compile(r"[@#]?[^\W_](?:[\w'’&.\-]*[^\W_])?|&")
_OPENING_NAME = re.compile(r"[^\x00:]{0,60}?:")  # "Tailspin: 1h 20m proofreading"
_MARKER_WORDS = frozenset({"for", "with", "w", "client", "customer"})
_UNKNOWN_AFTER = frozenset({"for", "client", "customer"})
_NAME_ENDS = frozenset({"about", "re", "regarding", "yesterday", "today", "last", "ago"})
STOP_WORDS = frozenset({
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "my", "our", "some",
    "i", "me", "we", "it", "is", "was", "this", "that", "all", "new", "client", "customer",
})


# Words the other rules read first (dates, durations, money): a client whose name has one, or a digit ("3M",
# "May & Co", "Monday Studio"), is looked for before those rules run, by its whole name only.
_READ_BY_OTHER_RULES = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "today", "yesterday", "yday", "tonight", "tomorrow", "ago", "last", "next", "this", "past", "day", "days", "week", "weeks", "h", "hr", "hrs", "hour", "hours", "m", "min", "mins", "minute", "minutes", "half", "quarter", "am", "pm", "rate", "per", "at", "eur", "usd", "gbp", "chf", "euro", "euros", "dollar", "dollars", "pound", "pounds", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "from", "between", "to", "until", "till"]
)

# Letters NFKD leaves whole, spelt as people without the key type them ("Łódź" -> "lodz").
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h", "þ": "th"})


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Case- and accent-insensitive form of a word: "Lumière" -> "lumiere"."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().translate(_UNDECOMPOSED)


@dataclass(frozen=True)
class KnownClient:
    name: str
    words: tuple[str, ...]

    @property
    def squashed(self) -> str:
        """The name's words run together, as a handle writes it: "dundermifflin"."""
        return "".join(ch for ch in "".join(self.words) if ch.isalnum())


@dataclass(frozen=True)
class ClientIndex:
    clients: tuple[KnownClient, ...]
    by_first_word: dict[str, tuple[KnownClient, ...]]
    first_words: tuple[str, ...]  # sorted, to find every first word starting with a prefix by bisection
    order: dict[str, int]  # each name's place in the account's list, so choices come in that order
    look_alike: frozenset[str]  # names the date, duration or money rules would otherwise take a part of
    squashed: tuple[tuple[str, KnownClient], ...] = ()  # several-word names run together, sorted for bisection
    by_later_word: dict[str, tuple[tuple[KnownClient, int], ...]] | None = None
    """Each word of a name after its first, with the clients and the word's place: "Ромашка" in "ООО Ромашка"."""

    def handle_of(self, handle: str) -> tuple[KnownClient, ...]:
        """Clients whose words run together start with a handle longer than their first word ("#dundermiff")."""
        squashed = "".join(ch for ch in handle if ch.isalnum())
        found: list[KnownClient] = []
        position = bisect_left(self.squashed, (squashed,))
        while position < len(self.squashed) and self.squashed[position][0].startswith(squashed):
            client = self.squashed[position][1]
            if len(squashed) > len(client.words[0]):
                found.append(client)
            position += 1
        return tuple(found)

    def starting_with(self, prefix: str) -> tuple[KnownClient, ...]:
        """Clients whose first word starts with ``prefix`` (the whole word included)."""
        found: list[KnownClient] = []
        position = bisect_left(self.first_words, prefix)
        while position < len(self.first_words) and self.first_words[position].startswith(prefix):
            found.extend(self.by_first_word[self.first_words[position]])
            position += 1
        return tuple(found)


@lru_cache(maxsize=256)
def index_clients(names: tuple[str, ...]) -> ClientIndex:
    """Folded words of every client, built once per client list (an account may have hundreds)."""
    clients = []
    by_first: dict[str, list[KnownClient]] = {}
    for name in dict.fromkeys(names):
        normalised = unicodedata.normalize("NFKC", name)
        words = tuple(fold(token.lstrip("@#")) for token in _TOKEN.findall(normalised))
        if not words:
            continue
        client = KnownClient(name, words)
        clients.append(client)
        by_first.setdefault(words[0], []).append(client)
    by_first_word = {word: tuple(found) for word, found in by_first.items()}
    order = {client.name: place for place, client in enumerate(clients)}
    look_alike = frozenset(client.name for client in clients if any(
        word in _READ_BY_OTHER_RULES or any(ch.isdigit() for ch in word) for word in client.words))
    squashed = tuple(sorted(((client.squashed, client) for client in clients if len(client.words) > 1),
                            key=lambda pair: pair[0]))
    by_later: dict[str, list[tuple[KnownClient, int]]] = {}
    for client in clients:
        for place, word in enumerate(client.words[1:], 1):
            by_later.setdefault(word, []).append((client, place))
    return ClientIndex(tuple(clients), by_first_word, tuple(sorted(by_first)), order, look_alike, squashed,
                       {word: tuple(found) for word, found in by_later.items()})


@dataclass(frozen=True)
class FoundClients:
    """The clients the phrase names (several when it is ambiguous), or the unknown name as typed."""

    names: tuple[str, ...]
    unknown: str | None


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    word: str  # folded, without its @/# marker


def _word(token: str) -> str:
    """Folded, without its @/# marker or a possessive ("Contoso's website")."""
    word = fold(token.lstrip("@#"))
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(), _word(m.group())) for m in _TOKEN.finditer(text)]


def _joined(text: str, left: _Token, right: _Token) -> bool:
    return not text[left.end:right.start].strip()


def _marker(text: str, tokens: list[_Token], i: int, markers: frozenset[str] = _MARKER_WORDS) -> str | None:
    """What marks token i as a client: "@", "#", the word before it, or ":" when it opens the phrase."""
    token = tokens[i]
    if token.text[0] in "@#":
        return token.text[0]
    before = text[tokens[i - 1].end if i else 0:token.start].strip()
    if before in ("@", "#", "w/"):
        return "w" if before == "w/" else before  # "@ Globodyne", "call w/ Contoso"
    if i and tokens[i - 1].word in markers and _joined(text, tokens[i - 1], token):
        return tokens[i - 1].word
    if not text[:token.start].strip() and re.match(r"[^\x00:]{0,60}?:", text[token.start:]):
        return ":"
    return None


def _joined_name(index: ClientIndex, token: _Token, *, loose: bool) -> set[str]:
    """Clients whose words this one token runs together ("#DunderMifflin", "dunder-mifflin", "@northwind_tr").

    The whole name will do anywhere; only a marker or an end of the phrase lets a shorter run stand for it.
    """
    squashed = "".join(ch for ch in token.word if ch.isalnum())
    found = [(client, 3 if client.squashed == squashed else 2) for client in index.handle_of(squashed)]
    strongest = max((strength for _, strength in found), default=0)
    if strongest < 3 and not loose:
        return set()
    return {client.name for client, strength in found if strength == strongest}


def _at_an_end(text: str, tokens: list[_Token], i: int) -> bool:
    """Whether token i opens the message or closes the words left (durations and dates already taken out).

    Not the first word after a duration: that is where the description starts ("2h con review").
    """
    return i == len(tokens) - 1 or not text[:tokens[i].start].strip()


def _match_length(text: str, tokens: list[_Token], i: int, client: KnownClient, marked: bool) -> tuple[int, int]:
    """(tokens matched, strength): 3 the whole name, 2 whole first words, 1 a prefix of the first word."""
    matched = 0
    while (matched < len(client.words) and i + matched < len(tokens)
           and tokens[i + matched].word == client.words[matched]
           and (matched == 0 or _joined(text, tokens[i + matched - 1], tokens[i + matched]))):
        matched += 1
    if matched == len(client.words):
        return matched, 3
    if matched:
        nxt = i + matched
        if (nxt < len(tokens) and len(tokens[nxt].word) >= 2 and _joined(text, tokens[nxt - 1], tokens[nxt])
                and client.words[matched].startswith(tokens[nxt].word)):
            return matched + 1, 2
        return matched, 2
    if marked and len(tokens[i].word) >= 3 and client.words[0].startswith(tokens[i].word):
        return 1, 1
    return 0, 0


def _later_words(text: str, tokens: list[_Token], i: int, index: ClientIndex) -> tuple[tuple[int, int], set[str]]:
    """Clients a marked token names by a whole word after their name's first ("for Ромашка" is "ООО Ромашка"),
    with the words that follow it in the name; all of those matching the most words (two: the parser asks)."""
    best, fitting = (0, 0), set()
    for client, place in (index.by_later_word or {}).get(tokens[i].word, ()):
        matched = 1
        while (place + matched < len(client.words) and i + matched < len(tokens)
               and tokens[i + matched].word == client.words[place + matched]
               and _joined(text, tokens[i + matched - 1], tokens[i + matched])):
            matched += 1
        if (matched, 2) > best:
            best, fitting = (matched, 2), {client.name}
        elif (matched, 2) == best:
            fitting.add(client.name)
    return best, fitting


@cache
def _words_of(lang: Language) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Client markers, markers an unknown name may follow, and stop words: English's and the language's own."""
    return (_MARKER_WORDS | frozenset(lang.words("markers")), _UNKNOWN_AFTER | frozenset(lang.words("unknown_markers")),
            STOP_WORDS | frozenset(lang.words("stop_words")))


def _unknown_name(text: str, tokens: list[_Token], i: int, marker: str,
                  lang: Language = ENGLISH) -> tuple[str, int] | None:
    """The unknown client's name as typed and how many tokens it spans, if token i reads as one."""
    _, unknown_after, stop_words = _words_of(lang)
    token = tokens[i]
    if marker in ("@", "#"):
        name = token.text.lstrip("@#")
        return (name, 1) if name[:1].isalpha() else None  # "PR #123" is no client
    if marker == ":":
        end = text.index(":", token.start)
        count = sum(1 for t in tokens[i:] if t.end <= end)
        names = tokens[i:i + count]
        if 1 <= count <= 3 and not any(t.word in stop_words or any(c.isdigit() for c in t.word) for t in names):
            return " ".join(t.text for t in names), count
        return None
    if marker in unknown_after:
        count = 0
        while (i + count < len(tokens) and count < 4 and tokens[i + count].text[:1].isupper()
               and tokens[i + count].word not in stop_words and not tokens[i + count].text[:1].isdigit()
               and (count == 0 or _joined(text, tokens[i + count - 1], tokens[i + count]))):
            count += 1
        after = tokens[i + count] if i + count < len(tokens) else None
        if after and _joined(text, tokens[i + count - 1], after) and after.word not in stop_words | _NAME_ENDS:
            return None  # "for API docs": a capitalised word inside a description, not a client
        if count:
            return " ".join(t.text for t in tokens[i:i + count]), count
    return None


def take_clients(scan: PhraseScan, names: tuple[str, ...], *, look_alike_only: bool = False,
                 lang: Language = ENGLISH) -> FoundClients:
    """Finds the known clients the phrase names (consumed); failing that, an unknown marked name (consumed).

    With ``look_alike_only`` it only takes the whole names of clients that other rules would misread ("3M").
    A word that begins two clients' names fits both (and the parser asks), even when it is a whole word of one
    ("north" with North Star Ltd and Northwind Traders); only a full name stands alone.
    """
    markers, _, stop_words = _words_of(lang)
    index = index_clients(names)
    if look_alike_only and not index.look_alike:
        return FoundClients((), None)
    text = scan.text
    tokens = _tokens(text)
    matches: list[tuple[set[str], int, int]] = []
    edge_matches: list[tuple[set[str], int, int]] = []  # bare prefixes at an end: taken only if nothing else is
    unknown: tuple[int, str, int, int] | None = None  # (priority, name, start, end)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        marker = _marker(text, tokens, i, markers)
        edge = False
        if marker:
            candidates = index.starting_with(token.word) if token.word else ()
        else:
            candidates = index.by_first_word.get(token.word, ())
            if (not candidates and not look_alike_only and len(token.word) >= 3 and token.word not in stop_words
                    and token.word not in _READ_BY_OTHER_RULES and _at_an_end(text, tokens, i)):
                candidates, edge = index.starting_with(token.word), True
        if not candidates and not look_alike_only and (marker or edge or any(ch in "-_." for ch in token.word)):
            joined = _joined_name(index, token, loose=bool(marker) or edge)
            if joined:
                (edge_matches if edge else matches).append((joined, token.start, token.end))
                i += 1
                continue
        best: tuple[int, int] = (0, 0)
        fitting: set[str] = set()
        for client in candidates:
            if look_alike_only and (client.name not in index.look_alike or (
                    len(client.words) == 1 and not marker and token.text != client.name)):
                continue  # a one-word look-alike needs its exact spelling or a marker: "3m call" is 3 minutes
            length, strength = _match_length(text, tokens, i, client, bool(marker) or edge)
            stop_word = token.word in stop_words and marker not in ("@", "#")
            if not length or (strength < 3 and (stop_word or (not (marker or edge) and len(token.word) < 3))):
                continue  # "for the website" is not "The Agency"; a bare "ab" is not "AB Consulting"
            if look_alike_only and strength < 3:
                continue
            if (length, strength) > best:
                best, fitting = (length, strength), {client.name}
            elif (length, strength) == best:
                fitting.add(client.name)
        if not fitting and marker and not look_alike_only and len(token.word) >= 2 and (
                token.word not in stop_words or marker in ("@", "#")):
            best, fitting = _later_words(text, tokens, i, index)  # "for Ромашка": ООО Ромашка
        if fitting and best == (1, 2) and not look_alike_only and len(token.word) >= 3:
            fitting |= {client.name for client in index.starting_with(token.word)}  # "north": North Star, Northwind
        if fitting:
            end = tokens[i + best[0] - 1].end
            if marker == ":" and text[end:end + 1] == ":":
                end += 1
            (edge_matches if edge else matches).append((fitting, token.start, end))
            i += best[0]
            continue
        if marker and not look_alike_only:
            found = _unknown_name(text, tokens, i, marker, lang)
            priority = {"@": 0, "#": 0, ":": 1}.get(marker, 2)
            if found and (unknown is None or priority < unknown[0]):
                end = tokens[i + found[1] - 1].end
                if marker == ":":
                    end = text.index(":", token.start) + 1
                unknown = (priority, found[0], token.start, end)
        i += 1
    if not matches and not unknown:
        matches = [match for match in edge_matches if len(match[0]) == 1]  # unmarked, a prefix must be unique
    if matches:
        for _, start, end in matches:
            scan.consume(start, end)
        common = set.intersection(*(fitting for fitting, _, _ in matches))
        chosen = common or set.union(*(fitting for fitting, _, _ in matches))
        return FoundClients(tuple(sorted(chosen, key=index.order.__getitem__)), None)
    if unknown:
        scan.consume(unknown[2], unknown[3])
        return FoundClients((), unknown[1])
    return FoundClients((), None)
