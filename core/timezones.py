"""Reading a timezone as a person writes it: an IANA place name, or an offset like ``UTC+2`` taken as they mean it.

POSIX's ``Etc/GMT+2`` is two hours *behind* UTC, the opposite of what "GMT+2" means to anyone typing it, so an
offset is never looked up by name. Abbreviations (EST, CET, IST …) are refused: several are shared by different
places, and none says whether the clocks change in summer — a place name does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.errors import UserError
from core.i18n import _

_OFFSET = re.compile(r"(?:utc|gmt|z)?\s*(?P<sign>[+\-\u2212])\s*(?P<h>\d{1,2})(?:(?::|h)?(?P<m>\d{2}))?",
                     re.IGNORECASE)
_ETC = re.compile(r"Etc/GMT(?P<sign>[+-])(?P<h>\d{1,2})")

CITY_FOR_OFFSET = {-10: "Pacific/Honolulu", -8: "America/Los_Angeles", -7: "America/Denver",
                   -6: "America/Chicago", -5: "America/New_York", -3: "America/Sao_Paulo", 0: "Europe/London",
                   1: "Europe/Berlin", 2: "Europe/Athens", 3: "Europe/Moscow", 4: "Asia/Dubai", 7: "Asia/Bangkok",
                   8: "Asia/Singapore", 9: "Asia/Tokyo", 10: "Australia/Sydney", 12: "Pacific/Auckland"}
"""A place to suggest for a whole-hour offset (its standard time), so the refusal or warning names a real city."""

ABBREVIATIONS = {
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "ct": "America/Chicago", "cdt": "America/Chicago", "cst": None,
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "akst": "America/Anchorage", "hst": "Pacific/Honolulu",
    "wet": "Europe/Lisbon", "west": "Europe/Lisbon", "bst": "Europe/London",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "met": "Europe/Berlin", "mez": "Europe/Berlin",
    "mesz": "Europe/Berlin", "eet": "Europe/Athens", "eest": "Europe/Athens", "msk": "Europe/Moscow",
    "ist": None, "jst": "Asia/Tokyo", "kst": "Asia/Seoul", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland",
}
"""Abbreviations people type, with the place most of them mean (None: too many places share it)."""


@dataclass(frozen=True)
class Zone:
    name: str
    """The IANA name stored on the account."""
    fixed: bool = False
    """A fixed offset: it won't follow daylight saving time."""


def read_zone(text: str) -> Zone:
    """The zone ``text`` names: a place (``Europe/Berlin``, ``berlin``), ``UTC``, or a whole-hour offset
    (``UTC+2``, ``GMT-5``, ``+02:00``) as a fixed zone; anything else is a UserError that suggests a place."""
    wanted = " ".join(text.split())
    if not wanted:
        raise UserError(_("Tell me your timezone as a place name, e.g. /tz Europe/Berlin or /tz America/New_York."))
    if wanted.casefold() in ("utc", "gmt", "z", "zulu", "utc+0", "gmt+0", "utc-0", "gmt-0", "+00:00"):
        return Zone("UTC")
    offset = _OFFSET.fullmatch(wanted)
    if offset:
        return _offset_zone(wanted, offset)
    key = wanted.casefold()
    if key in ABBREVIATIONS:
        city = ABBREVIATIONS[key]
        if city is None:
            raise UserError(_("“{text}” is an abbreviation several places share, and it doesn't say whether your "
                              "clocks change in summer. Send your place instead, e.g. /tz Asia/Kolkata or "
                              "/tz Europe/Dublin.").format(text=wanted))
        raise UserError(_("“{text}” is an abbreviation, and it doesn't say whether your clocks change in summer. "
                          "Send your place instead, e.g. /tz {city}.").format(text=wanted, city=city))
    if "/" in wanted and _valid(wanted):
        return Zone(wanted, fixed=wanted.startswith("Etc/"))
    folded = key.replace(" ", "_")
    candidates = sorted(z for z in _places() if z.casefold() == folded or z.casefold().rsplit("/", 1)[-1] == folded)
    if len(candidates) == 1:
        return Zone(candidates[0])
    if candidates:
        raise UserError(_("“{text}” could be {zones}; send /tz with the full name.").format(
            text=wanted, zones=", ".join(candidates)))
    raise UserError(_("“{text}” is not a timezone I know. Use a place name such as Europe/Berlin, America/New_York "
                      "or Asia/Tokyo.").format(text=wanted))


def describe_zone(name: str) -> str:
    """How to show a stored zone: places as they are, ``Etc/GMT-2`` as the ``UTC+2`` it means."""
    etc = _ETC.fullmatch(name)
    if etc is None:
        return name
    hours = int(etc["h"])
    return "UTC" if hours == 0 else f"UTC{'-' if etc['sign'] == '+' else '+'}{hours}"


def _offset_zone(text: str, offset: re.Match[str]) -> Zone:
    hours, minutes = int(offset["h"]), int(offset["m"] or 0)
    sign = -1 if offset["sign"] in "-\u2212" else 1
    city = CITY_FOR_OFFSET.get(sign * hours)
    if minutes or hours > (14 if sign > 0 else 12):
        hint = (_("e.g. /tz {city}").format(city=city) if city and not minutes
                else _("e.g. /tz Asia/Kolkata for UTC+5:30"))
        raise UserError(_("I can only take a whole-hour offset like UTC+2, and “{text}” isn't one. Send your place "
                          "instead, {hint}.").format(text=text, hint=hint))
    if hours == 0:
        return Zone("UTC")
    # POSIX: Etc/GMT-2 is UTC+2.
    return Zone(f"Etc/GMT{'-' if sign > 0 else '+'}{hours}", fixed=True)


def fixed_offset_warning(zone: Zone) -> str:
    """The note after a fixed offset was set: it won't follow summer time, and the place that would."""
    etc = _ETC.fullmatch(zone.name)
    city = None
    if etc is not None:
        city = CITY_FOR_OFFSET.get(int(etc["h"]) * (-1 if etc["sign"] == "+" else 1))
    example = city or "Europe/Berlin"
    return _("{zone} is a fixed offset: it won't follow daylight saving time. If your clocks change in summer, send "
             "your place instead, e.g. /tz {city}.").format(zone=describe_zone(zone.name), city=example)


@cache
def _places() -> frozenset[str]:
    return frozenset(available_timezones())


def _valid(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
