"""Issue 15's "done when": a day tracked only with /timer and /stop in the terminal becomes one invoice with a rounded
line, an expense with its receipt inside the PDF (a valid PDF/A-3 associated file) and a discount — told as the
conversation a freelancer has with the local channel (`invoicebot chat`)."""
from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from bot.local import LocalChannel
from tests.conftest import SELLER_PROFILE, FixedClock
from tests.test_einvoice import Schematron, schematron  # noqa: F401  (the session's Schematron fixture)


def test_a_tracked_day_becomes_an_invoice_with_a_rounded_line_a_receipt_and_a_discount(  # type: ignore[no-untyped-def]
        core, clock: FixedClock, tmp_path: Path, schematron: Schematron) -> None:  # noqa: F811
    from facturx import get_xml_from_pdf

    out = io.StringIO()
    terminal = LocalChannel(core, "jana", tmp_path / "outbox", out=out)
    receipt = tmp_path / "ticket.jpg"
    Image.new("RGB", (60, 40), (30, 140, 90)).save(receipt, format="JPEG")

    def say(text: str) -> str:
        start = out.tell()
        terminal.send(text)
        return out.getvalue()[start:]

    for line in (*SELLER_PROFILE, "/profile set tax_rate 19", "/client add ACME rate 80 currency EUR",
                 "/client set ACME country DE", "/client set ACME address Torstraße 12 | 10119 Berlin",
                 "/client set ACME rounding 15"):
        say(line)
    clock.set("2026-11-24T08:03:00+00:00")  # 09:03 in Berlin
    assert "Timer started at 09:03" in say("/timer workshop for ACME")
    clock.set("2026-11-24T09:10:00+00:00")
    stopped = say("/stop")  # 1h 07m, billed in quarter hours: 1h 15m
    assert "1h 07m (bills 1h 15m) for ACME" in stopped and "€100.00" in stopped
    clock.set("2026-11-24T12:00:00+00:00")
    say("/timer logo review for ACME")
    clock.set("2026-11-24T12:38:00+00:00")
    assert "38m (bills 45m)" in say("/stop")
    logged = say(f"/expense 45.90 train ticket for ACME tax 7% receipt {receipt}")
    assert "Expense #3" in logged and "Receipt kept" in logged
    assert "· receipt" in say("/tasks")

    preview = say("/invoice ACME preview discount 10%")
    assert "Discount 10% of the work: −€16.00" in preview
    issued = say("/invoice ACME discount 10%")
    # work 100.00 + 60.00 = 160.00 − 16.00 = 144.00, VAT 19 % 27.36; expense 45.90, VAT 7 % 3.21
    assert "Invoice INV-2026-0001 for ACME: 3 lines, total €220.47" in issued
    saved = re.search(r"Saved to (\S+INV-2026-0001\.pdf)", issued)
    assert saved is not None
    pdf = Path(saved.group(1)).read_bytes()

    reader = PdfReader(io.BytesIO(pdf))
    page = " ".join(reader.pages[0].extract_text().split())
    assert "workshop 1:15 80.00 100.00" in page  # the rounded line multiplies out
    assert "Expenses" in page and "train ticket (VAT 7%)" in page
    assert "Discount 10% −€16.00" in page and "Total (EUR) €220.47" in page
    assert reader.attachments["receipt-3.jpg"] == \
        [receipt.read_bytes()]
    # PDF/A-3: every embedded file is an associated file of the document, with its relationship and type.
    specs = [spec.get_object() for spec in reader.trailer["/Root"]["/AF"]]
    assert sorted((str(spec["/F"]), str(spec["/AFRelationship"])) for spec in specs) == \
        [("factur-x.xml", "/Alternative"), ("receipt-3.jpg", "/Supplement")]
    receipt_spec = next(spec for spec in specs if spec["/F"] == "receipt-3.jpg")
    embedded = receipt_spec["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/image/jpeg" and "/ModDate" in embedded["/Params"]
    _, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert schematron.failures(xml) == []
