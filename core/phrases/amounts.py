"""Money in a phrase: a rate override ("@ 120/h", "at 95 per hour") and a fixed price ("€500 website")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from core.i18n import _
from core.phrases.languages import ENGLISH, Language, alternation
from core.phrases.numbers import parse_money_number
from core.phrases.readings import PhraseError
from core.phrases.scan import PhraseScan

_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR"}
_WORDS = {"euro": "EUR", "euros": "EUR", "eur": "EUR", "dollar": "USD", "dollars": "USD", "usd": "USD",
          "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "quid": "GBP"}
_CODES = ("EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "PLN", "SEK", "NOK", "DKK", "CZK", "HUF", "JPY",
          "INR", "RON", "BGN", "ZAR", "SGD", "HKD", "MXN", "BRL")

_PRICE_HINTS = tuple(code.lower() for code in _CODES) + ("euro", "dollar", "pound", "quid")
_SYM = r"[€$£¥₹]"
# Codes count in capitals only ("2 cad drawings" is no price); the common three also in lower case.
_CODE = r"(?-i:" + "|".join(_CODES) + r")(?![^\W\d_])"
_CODE_WORD = r"(?:eur|usd|gbp|euros?|dollars?|pounds?|quid)\b"
# Thousands grouped by a comma, a point, an apostrophe ("CHF 1'200") or a space ("1 200 €", as French writes it).
_NUM = r"\d{1,3}(?:[,.'’]\d{3})+(?:[.,]\d{1,2})?|\d{1,3}(?: \d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?"
# A rate may be finer than a cent ("@ 33.3333/h"): up to four decimals, never cut short.
_RATE_NUM = r"\d{1,3}(?:[,.'’]\d{3})+(?:[.,]\d{1,4})?(?![.,]?\d)|\d+(?:[.,]\d{1,4})?(?![.,]?\d)"
# "1.250" or "1,250": a thousands mark in one convention, a decimal point in the other.
_EITHER_WAY = re.compile(r"\d{1,3}[.,]\d{3}")
_PER_HOUR = r"(?:\s*/\s*(?:hours?|hrs?|h)\b|\s*(?:per|(?P<an>an|a))\s+(?:hours?|hr|h)\b|\s*p/?h\b|\s*hourly\b)"

_RATE = re.compile(
    r"(?P<mark>(?:(?<!\w)@|\bat|\brate(?:\s+of)?|\bx)\s*:?\s*)?"
    r"(?:(?P<sym1>" + _SYM + r")\s*|(?P<code1>" + _CODE + r")\s*)?"
    r"(?<![\w.,])(?P<num>" + _RATE_NUM + r")"
    r"(?:\s*(?P<sym2>" + _SYM + r")|\s*(?P<code2>" + _CODE + r"|" + _CODE_WORD + r"))?"
    + _PER_HOUR,
    re.IGNORECASE,
)
# "rate 120", "@ €120", "@ 150" (a number too big for a time of day): a rate without "/h".
_MARKED_RATE = re.compile(
    r"(?:\brate(?:\s+of)?\s*:?\s*|(?<!\w)@\s*)"
    r"(?P<sym1>" + _SYM + r")?\s*(?<![\w.,])(?P<num>" + _RATE_NUM + r")(?!\d|:\d|\s*[ap]\.?m\b)"
    r"(?:\s*(?P<sym2>" + _SYM + r")|\s*(?P<code2>" + _CODE + r"|" + _CODE_WORD + r"))?",
    re.IGNORECASE,
)
_PRICE = re.compile(
    r"(?P<neg>(?<![\w.,])[-−])?"
    r"(?:(?P<sym1>" + _SYM + r")\s*(?P<num1>" + _NUM + r")(?![\d])"
    r"|(?<![\w.,])(?P<num2>" + _NUM + r")\s*(?:(?P<sym2>" + _SYM + r")|(?P<code2>" + _CODE + r"|" + _CODE_WORD + r"))"
    r"|(?P<code1>" + _CODE + r")\s*(?P<num3>" + _NUM + r")(?![\d]))",
    re.IGNORECASE,
)


# Words that only say "this is a fixed price", dropped with the price: "fixed price €500 app icons".
_PRICE_WORDS = re.compile(r"\b(?:fixed|flat)[\s-]+(?:price|fee|rate)\b\s*:?|\bfixed\b(?=\s*\x00)", re.IGNORECASE)


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Rate:
    """A rate override per hour, and the currency written with it ("€150/h"), if any."""

    amount: Decimal
    currency: str | None = None


def _currency(symbol: str | None, code: str | None) -> str | None:
    if symbol:
        return _SYMBOLS[symbol]
    if code:
        return _WORDS.get(code.lower(), code.upper())
    return None


def _checked(raw: str, what: str) -> Decimal:
    value = parse_money_number(raw)
    if value is None:
        raise PhraseError(_("I couldn't read “{number}” as an amount — write it like 120 or 120.50.").format(
            number=raw))
    if value <= 0:
        raise PhraseError(_("A rate must be more than zero.") if what == "rate" else
                          _("A price must be more than zero."))
    if value > Decimal("10000000"):
        raise PhraseError(_("The amount {number} is larger than I can take in one entry.").format(number=raw))
    return value


def _money_word(*marks: str | None) -> str | None:
    """The currency of the first symbol, code or word written ("€", "USD", "euros"), else None."""
    for mark in marks:
        if mark:
            return _SYMBOLS.get(mark) or _WORDS.get(mark.lower(), mark.upper())
    return None


def _rate_readings(raw: str, currency: str | None = None) -> list[Rate]:
    """The rate a number means; both readings of "1.250" (1250 or 1.25), so the user is asked, never guessed for."""
    value = _checked(raw, "rate")
    if _EITHER_WAY.fullmatch(raw):
        return [Rate(value, currency), Rate(Decimal(raw.replace(",", ".")).normalize(), currency)]
    return [Rate(value, currency)]


@cache
def _spoken_rates(lang: Language) -> tuple[re.Pattern[str], ...]:
    """A language's rate ("zu 120 €/Std.", "à 120 € de l'heure", "a 120 € la hora", "Stundensatz 110 €", and
    "à 90 €" beside a duration) and fixed-price words ("Pauschale", "forfait", "precio fijo"), read on the folded
    phrase."""
    money = r"(?:€|\$|£|(?<![a-z])(?:eur|euros?|chf|usd|gbp)(?![a-z]))"
    number = r"(?<![\w.,])(?P<num>" + _RATE_NUM + r")"
    per_hour = re.compile(
        r"(?:(?<![\w])(?:" + str(lang.idiom("rate_marks")) + r")\s*:?\s*)?(?:(?P<sym1>" + money + r")\s*)?"
        + number + r"(?:\s*(?P<sym2>" + money + r"))?\s*(?:" + str(lang.idiom("per_hour")) + r")")
    marked = re.compile(
        r"(?<![\w])(?:" + str(lang.idiom("rate_words")) + r")\s*:?\s*(?:(?P<sym1>" + money + r")\s*)?" + number
        + r"(?:\s*(?P<sym2>" + money + r"))?(?!\s*[\d:])")
    price_words = re.compile(r"(?<![\w])(?:" + str(lang.idiom("price_words")) + r")(?![\w])\s*:?")
    tax_words = re.compile(r"(?<=\x00)\s*(?:" + str(lang.idiom("tax_words")) + r")(?![\w])")  # "80 €/h HT"
    at_money = re.compile(  # "2h conseil à 90 €": money after "à"/"zu"/"a" beside a duration is its rate
        r"(?<![\w])(?:zu|a)\s+(?:(?P<sym1>" + money + r")\s*)?" + number + r"(?:\s*(?P<sym2>" + money + r"))"
        r"(?!\s*[\d:/])|(?<![\w])(?:zu|a)\s+(?P<sym3>" + money + r")\s*(?P<num2>" + _RATE_NUM + r")(?!\s*[\d:/])")
    duration = re.compile(r"\d\s*(?:" + alternation(lang.hour_words + lang.minute_words) + r")(?![a-z])|\d:\d\d")
    return per_hour, marked, price_words, tax_words, at_money, duration


def take_rates(scan: PhraseScan, lang: Language = ENGLISH) -> list[Rate]:
    """Every rate override with the currency written beside it, consumed; run before prices and clients since "@"
    and "€" also mark those."""
    rates: list[Rate] = []
    if lang.code != "en":
        per_hour, marked, _, tax_words, at_money, duration = _spoken_rates(lang)
        money = scan.mentions(*_SYMBOLS, "eur", "chf", "usd", "gbp")
        if money or scan.mentions("/", "pro", "je ", "par", "por", "die", "l'", "l’", "la hora", "satz", "taux", "tarif"):
            for pattern in (per_hour, marked):
                for match in pattern.finditer(scan.folded):
                    rates.extend(_rate_readings(scan.original[match.start("num"):match.end("num")],
                                                _money_word(match["sym1"], match["sym2"])))
                    scan.consume(*match.span())
        beside = list(at_money.finditer(scan.folded)) if money else []
        for match in beside if beside and duration.search(scan.folded) else ():
            group = "num" if match["num"] else "num2"
            rates.extend(_rate_readings(scan.original[match.start(group):match.end(group)],
                                        _money_word(match["sym1"], match["sym2"], match["sym3"])))
            scan.consume(*match.span())
        for match in tax_words.finditer(scan.folded) if rates else ():
            scan.consume(*match.span())
    for match in _RATE.finditer(scan.text) if scan.mentions("/", "per", "ph", "hourly", "an h", "a h") else ():
        if match["an"] and not any(match[g] for g in ("mark", "sym1", "code1", "sym2", "code2")):
            continue  # "Nov 18 an hour logo": a bare number then "an hour" is a date or count and the duration
        rates.extend(_rate_readings(match["num"], _money_word(match["sym1"], match["code1"], match["sym2"],
                                                              match["code2"])))
        scan.consume(*match.span())
    for match in _MARKED_RATE.finditer(scan.text) if scan.mentions("rate", "@") else ():
        number = parse_money_number(match["num"])
        marked_as_money = match["sym1"] or match["sym2"] or match["code2"] or match.group(0).lower().startswith("rate")
        if number is not None and (marked_as_money or number > 24):
            rates.extend(_rate_readings(match["num"], _money_word(match["sym1"], match["sym2"], match["code2"])))
            scan.consume(*match.span())
    return rates


def take_prices(scan: PhraseScan, lang: Language = ENGLISH) -> list[Price]:
    """Every fixed price ("€500", "500 EUR", "EUR 500", "500 euros", "1.200 €", "1 200 €"), consumed."""
    prices: list[Price] = []
    if not scan.mentions(*_SYMBOLS, *_PRICE_HINTS):
        return prices
    for match in _PRICE.finditer(scan.text):
        raw = match["num1"] or match["num2"] or match["num3"]
        if match["neg"]:
            raise PhraseError(_("A fixed price can't be negative — write it like €500."))
        currency = _currency(match["sym1"] or match["sym2"], match["code1"] or match["code2"])
        prices.append(Price(_checked(raw, "price"), currency or "EUR"))
        scan.consume(*match.span())
    if prices:
        for match in _PRICE_WORDS.finditer(scan.text):
            scan.consume(*match.span())
        if lang.code != "en":
            for pattern in _spoken_rates(lang)[2:]:
                for match in pattern.finditer(scan.folded):
                    scan.consume(*match.span())
    return prices
