"""The EPC payment QR code ("GiroCode", SEPA credit transfer) a banking app scans to pay the invoice.

segno encodes the EPC069-12 payload (name, IBAN, BIC, amount, the invoice number as the remittance text) at the
error level the standard asks for (M); the code is drawn as vector squares, one per dark module run, so it stays
sharp at any zoom and adds no image to the PDF/A file.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF

QUIET_ZONE = 4
"""Light modules around the code, as the QR standard asks."""


@dataclass(frozen=True)
class EpcPayment:
    name: str
    iban: str
    bic: str | None
    amount: Decimal
    text: str
    """Unstructured remittance information: the invoice number, so the payment can be matched."""


def epc_matrix(payment: EpcPayment) -> tuple[tuple[bool, ...], ...]:
    """The code's modules, dark = True, without the quiet zone."""
    from segno import helpers

    code = helpers.make_epc_qr(name=payment.name[:70], iban=payment.iban, amount=payment.amount,
                               text=payment.text[:140], bic=payment.bic)
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)


def draw_matrix(pdf: FPDF, matrix: tuple[tuple[bool, ...], ...], x: float, y: float, size: float) -> None:
    """The code as filled rectangles in a ``size`` × ``size`` square (quiet zone included) at ``x``, ``y``.

    One rectangle per run of dark modules in a row, all in one path filled once: the operators ``rect`` would
    write for each, without a call and a fill per rectangle (a code has a few hundred)."""
    count = len(matrix) + 2 * QUIET_ZONE
    module = size / count
    k, page_height = pdf.k, pdf.h
    runs = []
    for row_index, row in enumerate(matrix):
        top = y + (row_index + QUIET_ZONE) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            left, width = x + (start + QUIET_ZONE) * module, (column - start) * module
            runs.append(f"{left * k:.2f} {(page_height - top) * k:.2f} {width * k:.2f} {-module * k:.2f} re")
    if runs:
        with pdf.local_context(fill_color=(0, 0, 0)):
            pdf._out("\n".join(runs) + "\nf")
