"""The bank account inside free-text payment instructions (``IBAN DE89 3704 … | BIC COBADEFFXXX``).

The instructions are printed as typed; the IBAN and BIC found in them are checked with python-stdnum when they
are saved (a typo there means money sent nowhere) and feed the e-invoice (BT-84, BT-86) and the EPC payment QR.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import UserError
from core.i18n import _

_IBAN = re.compile(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4})*(?: ?[A-Z0-9]{1,4})?)\b")
_BIC = re.compile(r"\b(?:BIC|SWIFT)(?:[ /]*SWIFT| CODE)?[ :]*([A-Z0-9]{6,11})\b")
_MIN_IBAN = 15
"""Norway's, the shortest; a shorter run of letters and digits is not taken for an IBAN."""


@dataclass(frozen=True)
class BankAccount:
    iban: str
    """Compact: DE89370400440532013000."""
    bic: str | None


def _candidates(text: str) -> list[str]:
    upper = text.upper()
    after_keyword = re.search(r"\bIBAN\b[ :]*", upper)
    if after_keyword:
        found = _IBAN.match(upper, after_keyword.end())
        return [found.group(1)] if found else []
    return [m.group(1) for m in _IBAN.finditer(upper) if len(m.group(1).replace(" ", "")) >= _MIN_IBAN]


def check_payment_details(text: str) -> str:
    """``text`` unchanged, once every IBAN and BIC in it checks out; else a sentence naming the wrong one."""
    from stdnum import bic as stdnum_bic
    from stdnum import iban as stdnum_iban
    from stdnum.exceptions import InvalidChecksum, ValidationError

    upper = text.upper()
    if re.search(r"\bIBAN\b", upper) and not _candidates(text):
        raise UserError(_("I can't find the IBAN after “IBAN”; write it like IBAN DE89 3704 0044 0532 0130 00."))
    for candidate in _candidates(text):
        try:
            stdnum_iban.validate(candidate)
        except InvalidChecksum:
            raise UserError(_("The IBAN {iban} is not valid: its check digits don't match. Copy it again from your "
                              "bank statement.").format(iban=candidate)) from None
        except ValidationError:
            raise UserError(_("The IBAN {iban} is not valid: its length or format is wrong for its country.")
                            .format(iban=candidate)) from None
    found = _BIC.search(upper)
    if found:
        try:
            stdnum_bic.validate(found.group(1))
        except ValidationError:
            raise UserError(_("The BIC {bic} is not valid: a BIC has 8 or 11 letters and digits, like COBADEFFXXX.")
                            .format(bic=found.group(1))) from None
    return text


def bank_account(text: str | None) -> BankAccount | None:
    """The first valid IBAN in the instructions, with the BIC when one is given; None when there is no IBAN."""
    if not text:
        return None
    from stdnum import iban as stdnum_iban

    for candidate in _candidates(text):
        if stdnum_iban.is_valid(candidate):
            found = _BIC.search(text.upper())
            return BankAccount(stdnum_iban.compact(candidate), found.group(1) if found else None)
    return None
