"""/profile set number_format: only characters that survive a chat command and a file name, {seq} exactly once,
and every width bounded before any number is built."""
from __future__ import annotations

import time

import pytest

from tests.conftest import SELLER_PROFILE


@pytest.mark.parametrize(("fmt", "says"), [
    ("INV {seq}", "not space"),
    ("INV/{year}/{seq}", "not “/”"),
    ("../{seq}", "not “/”"),
    ("INV..{seq}", "(not “..”)"),
    ("INV%{seq}", "not “%”"),
    ("INV\x00{seq}", "control character U+0000"),
    ("INV-{year}", "must contain {seq} once"),
    ("{seq}-{seq}", "must contain {seq} once"),
    ("INV-{seq:1000000000}", "may only use {seq}"),
    ("INV-{seq:>1000000000}", "may only use {seq}"),
    ("INV-{year:999999}-{seq}", "may only use {seq}"),
    ("INV-{seq!r}", "may only use {seq}"),
    ("INV-{seq.real}", "may only use {seq}"),
    ("INV-{seq", "unmatched"),
    ("-{seq}", "begin with a letter or a digit"),
    ("A" * 39 + "{seq}", "too long"),
])
def test_a_bad_number_format_is_refused_with_the_reason_and_nothing_changes(fmt, says, chat) -> None:
    reply = chat.text(f"/profile set number_format {fmt}")
    assert says in reply, reply
    assert "Number format: INV-{year}-{seq:04}" in chat.text("/profile")


def test_a_huge_width_is_refused_before_any_string_is_built(chat) -> None:
    started = time.perf_counter()
    assert "may only use {seq}" in chat.text("/profile set number_format {seq:1000000000}")
    assert time.perf_counter() - started < 0.5  # building the string takes seconds and a gigabyte


@pytest.mark.parametrize(("fmt", "number"), [("INV-{year}-{seq:04}", "INV-2026-0001"), ("{year}.{month:02}.{seq}",
                                             "2026.11.1"), ("R_{seq:06}", "R_000001"), ("Rechnung-{seq}", "Rechnung-1")])
def test_a_good_format_numbers_invoices_that_paid_can_address(fmt, number, chat) -> None:
    for line in (*SELLER_PROFILE, f"/profile set number_format {fmt}", "/client add ACME rate 80",
                 "/client set ACME country DE", "1h call for ACME"):
        chat.text(line)
    assert chat.text("/invoice ACME").startswith(f"Invoice {number} for ACME")
    assert chat.text(f"/paid {number}").startswith(f"Recorded {number}")
