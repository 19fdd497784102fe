"""/report: per client and currency, the period's work unbilled, invoices billed (less credit notes), payments
received and what is still owed on the period's invoices, with totals per currency; named periods and DATE..DATE."""
from __future__ import annotations

import pytest

from tests.conftest import SELLER_PROFILE, Conversation, FixedClock

LEGEND = ("Billed: invoices issued in the period less its credit notes, with tax; paid: payments received in it; "
          "outstanding: still owed on its invoices. Unbilled work is before tax.")


def books(chat: Conversation, clock: FixedClock) -> None:
    """ACME (EUR, 19% VAT): 2h of October billed on 20 Oct (€190.40), €100 of it paid on 3 Nov; 3h of November
    billed today (€285.60), €85.60 of it paid today; 1h and a €500 website unbilled. Globex (USD): 1h 30m
    unbilled. Today is Tuesday 24 Nov 2026."""
    for line in (*SELLER_PROFILE, "/profile set tax_rate 19", "/client add ACME rate 80",
                 "/client set ACME country DE", "/client add Globex rate 100 currency USD"):
        chat.say(line)
    clock.set("2026-10-20T09:00:00+00:00")
    chat.say("2h design for ACME on 5 Oct")
    assert "total €190.40" in chat.invoice("/invoice ACME").text
    clock.set("2026-11-24T09:00:00+00:00")
    chat.say("3h review for ACME on 2 Nov")
    assert "total €285.60" in chat.invoice("/invoice ACME").text
    assert "still outstanding" in chat.text("/paid INV-2026-0001 100 2026-11-03")
    assert "still outstanding" in chat.text("/paid INV-2026-0002 85.60")
    chat.say("1h call for ACME")
    chat.say("€500 website for ACME")
    chat.say("90m api for Globex on 10 Nov")


def test_each_client_and_currency_shows_unbilled_billed_paid_and_outstanding_with_totals(
        chat: Conversation, clock: FixedClock) -> None:
    books(chat, clock)
    assert chat.text("/report month").splitlines() == [
        "This month (1 Nov 2026 – 24 Nov 2026)",
        # billed: November's invoice only; paid: both payments received in November, October's invoice's too;
        # outstanding: what November's invoice still lacks
        "ACME: unbilled 1h (€580.00) · billed 3h (€285.60) · paid €185.60 · outstanding €200.00",
        "Globex: unbilled 1h 30m (US$150.00)",
        "Total EUR: unbilled 1h (€580.00) · billed 3h (€285.60) · paid €185.60 · outstanding €200.00",
        "Total USD: unbilled 1h 30m (US$150.00)",
        LEGEND,
    ]


def test_a_period_counts_invoices_by_issue_day_and_payments_by_the_day_they_arrived(
        chat: Conversation, clock: FixedClock) -> None:
    books(chat, clock)
    october = chat.text("/report last month").splitlines()
    assert october[:2] == ["Last month (1 Oct 2026 – 31 Oct 2026)",
                           "ACME: billed 2h (€190.40) · outstanding €90.40"]  # still owed today; paid in November
    quarter = chat.text("/report quarter").splitlines()
    assert quarter[0] == "This quarter (1 Oct 2026 – 24 Nov 2026)"
    assert quarter[1] == "ACME: unbilled 1h (€580.00) · billed 5h (€476.00) · paid €185.60 · outstanding €290.40"
    assert chat.text("/report year").splitlines()[1] == quarter[1]
    assert chat.text("/report 2026-11-03..2026-11-03").splitlines()[:2] == [
        "3 Nov 2026 – 3 Nov 2026", "ACME: paid €100.00"]


def test_a_credit_note_takes_its_invoice_off_what_its_period_billed(chat: Conversation, clock: FixedClock) -> None:
    for line in (*SELLER_PROFILE, "/client add ACME rate 80"):
        chat.say(line)
    clock.set("2026-10-20T09:00:00+00:00")
    chat.say("2h design for ACME on 5 Oct")
    chat.invoice("/invoice ACME")
    clock.set("2026-11-24T09:00:00+00:00")
    assert "Cancelled INV-2026-0001" in chat.text("/void INV-2026-0001")
    assert chat.text("/report month").splitlines()[1] == "ACME: billed -2h (-€160.00)"
    # the work dated in October is unbilled again; the void invoice owes nothing
    assert chat.text("/report last month").splitlines()[1] == "ACME: unbilled 2h (€160.00) · billed 2h (€160.00)"
    assert chat.text("/report quarter").splitlines()[1] == "ACME: unbilled 2h (€160.00)"


def test_amounts_in_two_currencies_are_never_added(chat: Conversation) -> None:
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client add Initech rate 90"):
        chat.say(line)
    chat.say("2h design for ACME on Monday")
    chat.invoice("/invoice ACME")
    chat.say("/client set ACME currency USD")
    chat.say("/client set ACME rate 100")
    chat.say("1h call for ACME")
    chat.say("1h call for Initech")
    assert chat.text("/report").splitlines()[1:6] == [
        "ACME: billed 2h (€160.00) · outstanding €160.00",
        "ACME: unbilled 1h (US$100.00)",
        "Initech: unbilled 1h (€90.00)",
        "Total EUR: unbilled 1h (€90.00) · billed 2h (€160.00) · outstanding €160.00",
        "Total USD: unbilled 1h (US$100.00)",
    ]


def test_a_range_of_days_is_read_as_paid_reads_a_date(chat: Conversation) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("2h design for ACME on 2 Nov")
    chat.say("1h call for ACME on 20 Nov")
    assert chat.text("/report 2026-11-01..2026-11-15").splitlines()[:2] == [
        "1 Nov 2026 – 15 Nov 2026", "ACME: unbilled 2h (€160.00)"]
    assert chat.text("/report 1 Nov .. yesterday").splitlines()[:2] == [
        "1 Nov 2026 – 23 Nov 2026", "ACME: unbilled 3h (€240.00)"]
    assert chat.text("/report 16.11.2026..20.11.2026").splitlines()[1] == "ACME: unbilled 1h (€80.00)"
    assert chat.text("/report 2018-01-01..31.12.2018").startswith("1 Jan 2018 – 31 Dec 2018: no work logged")
    assert chat.text("/report last week") == ("Last week (16 Nov 2026 – 22 Nov 2026)\nACME: unbilled 1h (€80.00)\n"
                                              "Total EUR: unbilled 1h (€80.00)")


@pytest.mark.parametrize(("typed", "answer"), [
    ("/report 2026-11-15..2026-11-01", "The range ends on 1 Nov 2026, before it starts on 15 Nov 2026: write the "
                                       "earlier day first, e.g. /report 2026-11-01..2026-11-15."),
    ("/report 2026-11-01..", "Give both days of the range, e.g. /report 2026-11-01..2026-11-24."),
    ("/report ..2026-11-01", "Give both days of the range"),
    ("/report 2026-12-01..2026-12-31", "The range starts on 1 Dec 2026, which is still ahead"),
    ("/report 2026-11-01..someday", "I can't read “someday” as a date"),
    ("/report 2026-02-30..2026-03-01", "30"),
    ("/report fortnight", "not “fortnight”. Try /report month, /report last quarter or /report "
                          "2026-11-01..2026-11-15."),
])
def test_a_period_that_cant_be_read_is_refused_with_how_to_write_it(chat: Conversation, typed: str,
                                                                    answer: str) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("2h design for ACME")
    text = chat.text(typed)
    assert answer in text and "ACME:" not in text


def test_nothing_in_the_period_says_so(chat: Conversation) -> None:
    assert chat.text("/report last year") == ("Last year (1 Jan 2025 – 31 Dec 2025): no work logged, no invoices "
                                              "issued and no payments received.")
    assert chat.say("/report").document is None
