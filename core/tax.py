"""VAT on an invoice: the EN 16931 category chosen from both parties, and the breakdown per category and rate.

The category decides what the invoice must say and what the e-invoice carries:

- ``E`` exempt: the seller set an exemption sentence (e.g. Germany's small-business rule), which is printed;
- ``AE`` reverse charge: seller and buyer in two EU countries, the buyer with a VAT id; both ids are printed;
- ``G`` export: an EU seller billing a buyer outside the EU (``O`` when the seller has no VAT id to give, as
  EN 16931 asks one for ``G``);
- ``S`` standard: any other invoice with a tax rate above zero, at that rate;
- ``Z`` zero rated: an EU seller's invoice at 0 % with none of the above; ``O`` outside the scope of VAT for a
  seller outside the EU who charges none.

Each line carries its category and rate (expenses may differ from work); the tax is computed once per group of
lines with the same category and rate, on the sum of their printed amounts, so the breakdown adds up on paper.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.countries import is_eu
from core.money import Money
from core.tax_ids import vat_id_country

CATEGORIES = ("S", "Z", "E", "AE", "G", "O")
NO_TAX = Decimal(0)


@dataclass(frozen=True)
class TaxParty:
    """What the VAT treatment depends on, for one side of the invoice."""

    country: str | None
    vat_id: str | None


@dataclass(frozen=True)
class VatTreatment:
    category: str
    rate: Decimal
    """In percent; 0 for every category but S."""


@dataclass(frozen=True)
class TaxGroup:
    """One row of the VAT breakdown: the lines of one category and rate, their sum and the tax on it."""

    category: str
    rate: Decimal
    base: Money
    tax: Money


def vat_treatment(seller: TaxParty, buyer: TaxParty, rate: Decimal, exempt: bool) -> VatTreatment:
    """The category and rate of an invoice from ``seller`` to ``buyer`` at the user's ``rate``."""
    if exempt:
        return VatTreatment("E", NO_TAX)
    buyer_country = buyer.country or (vat_id_country(buyer.vat_id) if buyer.vat_id else None)
    if is_eu(seller.country) and buyer_country and buyer_country != seller.country:
        if is_eu(buyer_country) and buyer.vat_id:
            return VatTreatment("AE", NO_TAX)
        if not is_eu(buyer_country):
            return VatTreatment("G" if seller.vat_id else "O", NO_TAX)
    if rate > 0:
        return VatTreatment("S", rate)
    if seller.country is not None and not is_eu(seller.country):
        return VatTreatment("O", NO_TAX)
    return VatTreatment("Z", NO_TAX)


def tax_breakdown(lines: Iterable[tuple[str, Decimal, Money]], currency: str) -> tuple[TaxGroup, ...]:
    """Group ``(category, rate, amount)`` lines; each group's tax is its sum × rate, rounded half-up once.

    Groups come highest rate first, then in the order of :data:`CATEGORIES`, the same for the same lines.
    """
    sums: dict[tuple[str, Decimal], Money] = {}
    for category, rate, amount in lines:
        key = (category, rate)
        sums[key] = sums.get(key, Money.zero(currency)) + amount
    ordered = sorted(sums, key=lambda key: (-key[1], CATEGORIES.index(key[0])))
    return tuple(TaxGroup(category, rate, sums[(category, rate)],
                          Money(sums[(category, rate)].amount * rate / 100, currency).rounded())
                 for category, rate in ordered)
