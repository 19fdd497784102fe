"""VAT identification numbers (checked with python-stdnum) and the one-time split of the old single tax id.

A VAT id starts with its country's prefix (``DE``, ``FR``; Greece writes ``EL``). EU numbers are checked with
stdnum's EU VAT rules, which also check each country's check digits; numbers of other countries stdnum knows
(``GB``, ``CHE``, ``NO`` …) by that country's rules.
"""
from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.encryption import Cipher
from core.errors import UserError
from core.i18n import _
from core.models import Profile

log = logging.getLogger(__name__)
_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB", "CH": "CH"}
"""VAT prefixes that are not the ISO code of their country (Northern Ireland's XI is a UK trader)."""


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-/]", "", text).upper()


def check_vat_id(text: str) -> str:
    """The VAT id compacted (``DE 123 456 788`` → ``DE123456788``), or a sentence saying what is wrong with it."""
    from stdnum import get_cc_module
    from stdnum.eu import vat as eu_vat
    from stdnum.exceptions import InvalidChecksum, ValidationError

    number = _compact(text)
    prefix = number[:2]
    if not re.fullmatch(r"[A-Z]{2}", prefix):
        raise UserError(_("A VAT id starts with its country's two letters, like DE123456788 or FR40303265045 — "
                          "“{text}” doesn't.").format(text=text.strip()))
    try:
        if prefix.lower() in eu_vat.MEMBER_STATES or prefix == "EL":
            return str(eu_vat.validate(number))
        module = get_cc_module(_PREFIX_COUNTRY.get(prefix, prefix).lower(), "vat")
        if module is None:
            raise UserError(_("I can't check VAT ids of {prefix}; check the country letters at the start of "
                              "“{text}”.").format(prefix=prefix, text=text.strip()))
        validated = str(module.validate(number))
        return validated if validated.startswith(prefix) else prefix + validated
    except InvalidChecksum:
        raise UserError(_("{number} is not a valid VAT id: its check digit doesn't match. Copy it again from your "
                          "VAT registration.").format(number=number)) from None
    except ValidationError:
        raise UserError(_("{number} is not a valid VAT id of {prefix}: the length or format is wrong.")
                        .format(number=number, prefix=prefix)) from None


def is_vat_id(text: str) -> bool:
    try:
        check_vat_id(text)
    except UserError:
        return False
    return True


def vat_id_country(vat_id: str) -> str:
    """The ISO country code of a checked VAT id (``EL…`` → ``GR``)."""
    prefix = vat_id[:2].upper()
    return _PREFIX_COUNTRY.get(prefix, prefix)


def split_legacy_tax_ids(sessions: sessionmaker[Session], cipher: Cipher) -> int:
    """Move each profile's old single tax id to ``vat_id`` when it is a valid VAT id, else to ``tax_number``.

    Runs where the keys are (each start, ``invoicebot migrate``): a migration can't decrypt. Idempotent, since a
    moved value leaves ``tax_id_enc`` empty; a field the user has set since is never overwritten. Returns how many
    profiles it moved.
    """
    moved = 0
    with sessions.begin() as session:
        profiles = session.scalars(select(Profile).where(Profile.tax_id_enc.is_not(None))
                                   .with_for_update(skip_locked=True))
        for profile in profiles:
            old = (cipher.decrypt(profile.tax_id_enc) or "").strip()
            if old and is_vat_id(old):
                if profile.vat_id_enc is None:
                    profile.vat_id_enc = cipher.encrypt(check_vat_id(old))
            elif old and profile.tax_number_enc is None:
                profile.tax_number_enc = cipher.encrypt(old)
            profile.tax_id_enc = None
            moved += 1
    if moved:
        log.info("moved the tax id of %d profile(s) to VAT id or tax number", moved)
    return moved
