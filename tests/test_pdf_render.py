"""The invoice PDF read back with pypdf: what a client sees, the PDF/A markers, determinism, the font cache,
exact times and the fallback font for scripts DejaVu lacks."""
from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from core.invoice_documents import document_line
from core.pdf import DocumentLine, InvoiceDocument, Party, render_invoice_pdf, scripts, style, typefaces
from core.pdf import render as render_module
from core.pdf.formatting import LocaleFormat

SELLER = Party("Jürgen Øster Design", "Kastanienallee 12\n10435 Berlin", "jurgen@example.com", "DE123456789")
BUYER = Party("Ελληνική Εταιρεία / Рога и копыта", "Odos 5\nAthens", "billing@example.gr", "EL999999999")


def make_document(n_lines: int = 3, **changes: object) -> InvoiceDocument:
    lines = []
    for i in range(n_lines):
        minutes = (30, 90, 135)[i % 3]
        rate = Decimal(("80", "72.50", "95")[i % 3])
        amount = (rate * minutes / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)
        lines.append(DocumentLine(date(2026, 11, 1) + timedelta(days=i % 20), f"Task {i + 1} łódź café",
                                  minutes, rate, amount))
    subtotal = sum((line.amount for line in lines), Decimal(0))
    tax = (subtotal * Decimal("0.19")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    doc = InvoiceDocument(
        seller=SELLER, buyer=BUYER, number="INV-2026-0042", status="issued",
        issue_date=date(2026, 11, 24), due_date=date(2026, 12, 8), currency="EUR", locale="en_GB",
        lines=tuple(lines), subtotal=subtotal, tax_rate=Decimal(19), tax=tax, total=subtotal + tax,
        payment_instructions="IBAN DE89 3704 0044 0532 0130 00", terms="Due within 14 days.",
        notes="Reverse charge: VAT to be accounted for by the recipient.",
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, with the locale's no-break spaces read as plain spaces."""
    return [page.extract_text().replace("\xa0", " ").replace("\u202f", " ") for page in read(pdf).pages]


def xmp_of(pdf: bytes) -> str:
    return read(pdf).trailer["/Root"]["/Metadata"].get_object().get_data().decode()


@pytest.fixture(scope="module")
def issued_pdf() -> bytes:
    return render_invoice_pdf(make_document(3))


def test_the_pdf_shows_parties_number_dates_lines_and_totals(issued_pdf: bytes) -> None:
    text = page_texts(issued_pdf)[0]
    for expected in ("Jürgen Øster Design", "Kastanienallee 12", "DE123456789",
                     "Ελληνική Εταιρεία / Рога и копыта", "EL999999999", "INVOICE", "INV-2026-0042",
                     "24 Nov 2026", "8 Dec 2026", "Task 1 łódź café", "Task 3 łódź café",
                     "IBAN DE89 3704 0044 0532 0130 00", "Due within 14 days.", "Reverse charge",
                     "Page 1 of 1"):
        assert expected in text, expected
    # 0.5 h × 80 = 40.00; 1.5 h × 72.50 = 108.75; 2.25 h × 95 = 213.75; subtotal 362.50; tax 68.88
    for amount in ("40.00", "108.75", "213.75", "€362.50", "€68.88", "€431.38"):
        assert amount in text, amount
    # Each line reads date, description, time (h:mm), rate, amount.
    assert re.search(r"Task 1 łódź café\s+0:30\s+80\.00\s+40\.00", text)
    assert re.search(r"Task 3 łódź café\s+2:15\s+95\.00\s+213\.75", text)
    assert "Time (h:mm)" in text and "Rate (EUR/h)" in text


def test_money_and_dates_follow_the_locale() -> None:
    doc = make_document(1, locale="de_DE", lines=(DocumentLine(date(2026, 11, 2), "Beratung", 20 * 60,
                                                               Decimal("61.725"), Decimal("1234.50")),),
                        subtotal=Decimal("1234.50"), tax=Decimal("234.56"), total=Decimal("1469.06"))
    text = page_texts(render_invoice_pdf(doc))[0]
    assert "1.234,50" in text and "1.469,06 €" in text and "24.11.2026" in text and "19 %" in text
    assert "61,73" in text  # the rate printed half-up, as money rounds


def test_a_fixed_price_item_prints_its_price_without_hours() -> None:
    line = DocumentLine(date(2026, 11, 3), "Website, fixed price", None, None, Decimal("500.00"))
    doc = make_document(0, lines=(line,), subtotal=Decimal("500.00"), tax=Decimal("95.00"), total=Decimal("595.00"))
    text = page_texts(render_invoice_pdf(doc))[0]
    assert re.search(r"Website, fixed price\s*–\s*fixed\s*500\.00", text)


def test_same_document_same_bytes_and_the_creation_date_is_the_issue_date(issued_pdf: bytes) -> None:
    assert render_invoice_pdf(make_document(3)) == issued_pdf
    assert 'xmp:CreateDate="2026-11-24T00:00:00+00:00"' in xmp_of(issued_pdf)
    later = render_invoice_pdf(make_document(3, issue_date=date(2026, 11, 25)))
    assert later != issued_pdf


def test_pdfa_3b_markers_metadata_and_embedded_fonts(issued_pdf: bytes) -> None:
    reader = read(issued_pdf)
    assert issued_pdf.startswith(b"%PDF-1.7")
    xmp = xmp_of(issued_pdf)
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intents[0].get_object()
    # fpdf2 writes no Info dictionary under PDF/A (XMP alone is valid), so title and author live in the XMP.
    assert reader.metadata is None
    title = "Invoice INV-2026-0042 – Ελληνική Εταιρεία / Рога и копыта"
    assert f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li>' in xmp
    assert "<dc:creator><rdf:Seq><rdf:li>Jürgen Øster Design</rdf:li>" in xmp
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert len(reader.trailer["/ID"]) == 2  # PDF/A requires a file identifier
    assert "/Encrypt" not in reader.trailer
    assert 'xmp:CreateDate="2026-11-24T00:00:00+00:00"' in xmp and 'xmp:ModifyDate="2026-11-24T00:00:00+00:00"' in xmp
    # Every font is embedded (no base-14 font).
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len(fonts) == 2
    for ref in fonts.values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def test_a_three_page_invoice_repeats_the_table_header_and_counts_its_pages() -> None:
    pdf = render_invoice_pdf(make_document(75))
    texts = page_texts(pdf)
    assert len(texts) == 3
    for number, text in enumerate(texts, 1):
        assert "Date" in text and "Description" in text and "Amount (EUR)" in text, number
        assert f"Page {number} of 3" in text
    assert "(continued)" in texts[1] and "(continued)" in texts[2]
    assert all(f"Task {i} łódź" in "".join(texts) for i in (1, 40, 75))
    assert "Total (EUR)" in texts[2] and "Total (EUR)" not in texts[0]


def test_a_long_description_wraps_inside_its_column_and_loses_no_word() -> None:
    words = [f"word{i}" for i in range(60)]
    line = DocumentLine(date(2026, 11, 3), " ".join(words), 60, Decimal(80), Decimal("80.00"))
    doc = make_document(0, lines=(line,), subtotal=Decimal("80.00"), tax=Decimal("15.20"), total=Decimal("95.20"))
    text = page_texts(render_invoice_pdf(doc))[0]
    assert all(word in text for word in words)


@pytest.mark.parametrize("status, mark", [("draft", "DRAFT"), ("void", "VOID"), ("paid", "PAID")])
def test_draft_void_and_paid_are_marked(status: str, mark: str) -> None:
    number = None if status == "draft" else "INV-2026-0042"
    text = page_texts(render_invoice_pdf(make_document(2, status=status, number=number)))[0]
    assert mark in text
    if status == "draft":
        assert "INV-" not in text and "Draft invoice" in text


def test_issued_invoice_carries_no_status_mark(issued_pdf: bytes) -> None:
    text = page_texts(issued_pdf)[0]
    assert "DRAFT" not in text and "VOID" not in text and "PAID" not in text


def test_only_a_draft_may_lack_a_number() -> None:
    with pytest.raises(ValueError):
        make_document(1, number=None)
    with pytest.raises(ValueError):
        make_document(1, status="open")


def test_a_logo_is_embedded_as_an_image() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), (30, 60, 110)).save(buffer, format="PNG")
    pdf = render_invoice_pdf(make_document(1, logo=buffer.getvalue()))
    xobjects = read(pdf).pages[0]["/Resources"]["/XObject"]
    assert [x.get_object()["/Subtype"] for x in xobjects.values()] == ["/Image"]


def test_the_font_cache_renders_exactly_what_plain_fpdf2_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the reuse of fpdf2 font internals: if an upgrade changes them, the bytes differ here."""
    cached = render_invoice_pdf(make_document(5))
    cached_again = render_invoice_pdf(make_document(5))
    monkeypatch.setattr(render_module, "add_fonts", typefaces.add_fonts_uncached)
    plain = render_invoice_pdf(make_document(5))
    assert cached == cached_again == plain


def test_the_table_rows_written_directly_are_byte_for_byte_what_cell_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards :meth:`LineTable._text`: the same operators as fpdf2's ``cell``, on every kind of row and page."""
    expense = DocumentLine(date(2026, 11, 5), "Train ticket {nb} Berlin–Hamburg", None, None, Decimal("89.90"),
                           kind="expense")
    fixed = DocumentLine(date(2026, 11, 6), "Logo « final » " + "révision " * 12, None, None, Decimal("400.00"))
    documents = [
        make_document(75),  # three pages, the header repeated
        make_document(4, locale="fr_FR", language="fr", lines=make_document(4).lines + (expense, fixed)),
        make_document(3, status="draft", number=None, buyer=CJK_BUYER),  # fallback fonts set
        make_document(2, lines=(DocumentLine(date(2026, 11, 3), "✓ Հայաստան done", 60, Decimal(80),
                                             Decimal("80.00")),)),
    ]
    direct = [render_invoice_pdf(doc) for doc in documents]
    monkeypatch.setattr(render_module.InvoicePage, "_plain", lambda *args: False)
    assert [render_invoice_pdf(doc) for doc in documents] == direct


def test_concurrent_renders_in_threads_are_identical() -> None:
    docs = [make_document(n) for n in (1, 20, 1, 20, 5, 5)]
    expected = [render_invoice_pdf(doc) for doc in docs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(render_invoice_pdf, docs)) == expected


def test_only_the_shipped_font_is_used_and_it_covers_latin_greek_cyrillic() -> None:
    pdf = FPDF()
    typefaces.add_fonts(pdf)
    font = pdf.fonts[typefaces.FAMILY.lower()]
    for char in "üłéñßØΩωЖжЁё€":
        assert ord(char) in font.cmap, char
    assert typefaces.font_path("LICENSE-DejaVu.txt").read_text().count("Bitstream") > 0


def test_a_word_wider_than_the_column_is_broken_and_every_line_fits() -> None:
    url = "https://example.com/" + "very-long-path-segment-" * 6 + "end"
    text = f"Deployed {url} and checked it"
    drawing = render_module.InvoicePage(make_document(1))
    drawing.add_page()
    drawing.set_font(typefaces.FAMILY, "", 9)
    width = style.COLUMNS[1][1] - 2 * drawing.c_margin
    lines = drawing._wrap(text, width)
    assert len(lines) >= 3
    assert all(drawing.get_string_width(line) <= width + 1e-6 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    line = DocumentLine(date(2026, 11, 3), text, 60, Decimal(80), Decimal("80.00"))
    doc = make_document(0, lines=(line,), subtotal=Decimal("80.00"), tax=Decimal("15.20"), total=Decimal("95.20"))
    assert "end and checked it" in "".join(page_texts(render_invoice_pdf(doc))).replace("\n", " ")


def test_a_very_long_seller_name_wraps_in_the_heading_and_is_cut_short_in_the_footer() -> None:
    name = "Studio " + "Ω" * 150
    text = page_texts(render_invoice_pdf(make_document(1, seller=Party(name))))[0]
    assert text.replace("\n", "").count("Ω") > 150  # the heading keeps it whole, wrapped
    footer = [line for line in text.splitlines() if line.endswith("Page 1 of 1")]
    assert len(footer) == 1 and "…" in footer[0]


def test_a_line_of_1h20_at_80_prints_an_exact_time_that_multiplies_out_to_its_amount() -> None:
    """The old Hours column printed 1.33 beside 106.67, and 1.33 × 80 is 106.40: an accountant flagged it."""
    line = document_line(date(2026, 11, 3), "Logo design", 80, Decimal(80), Decimal("106.67"))
    doc = make_document(0, lines=(line,), subtotal=Decimal("106.67"), tax=Decimal("20.27"), total=Decimal("126.94"))
    text = page_texts(render_invoice_pdf(doc))[0]
    row = re.search(r"Logo design\s+(\d+):(\d\d)\s+80\.00\s+106\.67", text)
    assert row, text
    minutes = int(row[1]) * 60 + int(row[2])
    assert minutes == 80
    assert (Decimal(80) * minutes / 60).quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("106.67")
    assert "1.33" not in text


@pytest.mark.parametrize("minutes, printed", [(1, "0:01"), (15, "0:15"), (60, "1:00"), (80, "1:20"),
                                              (599, "9:59"), (24 * 60, "24:00")])
def test_time_reads_as_hours_and_minutes_in_every_locale(minutes: int, printed: str) -> None:
    for locale in ("en_GB", "de_DE", "fr_FR"):
        assert LocaleFormat(locale, "EUR").duration(minutes) == printed


CJK_BUYER = Party("ACME 株式会社", "東京都千代田区丸の内1-1\n100-0005 Tokyo", "keiri@example.jp")


def test_a_japanese_client_name_and_description_are_printed() -> None:
    lines = (DocumentLine(date(2026, 11, 3), "ロゴデザイン 修正", 90, Decimal(80), Decimal("120.00")),
             DocumentLine(date(2026, 11, 4), "Workshop", 60, Decimal(80), Decimal("80.00")))
    doc = make_document(0, buyer=CJK_BUYER, lines=lines, subtotal=Decimal("200.00"), tax=Decimal("38.00"),
                        total=Decimal("238.00"))
    pdf = render_invoice_pdf(doc)
    text = page_texts(pdf)[0]
    for expected in ("ACME 株式会社", "東京都千代田区丸の内1-1", "100-0005 Tokyo", "keiri@example.jp",
                     "ロゴデザイン 修正", "Workshop"):
        assert expected in text, expected
    fonts = read(pdf).pages[0]["/Resources"]["/Font"]
    names = sorted(str(ref.get_object()["/BaseFont"]) for ref in fonts.values())
    assert len(names) == 3 and any("DroidSansFallback" in name for name in names), names


def test_an_invoice_in_latin_script_neither_loads_nor_embeds_the_fallback_font(issued_pdf: bytes) -> None:
    drawing = render_module.InvoicePage(make_document(3))
    drawing.draw()
    assert drawing.fallback_key is None and typefaces.FALLBACK_FAMILY.lower() not in drawing.fonts
    assert b"DroidSansFallback" not in issued_pdf


def test_a_bold_name_and_a_chinese_date_use_the_fallback_and_the_lines_after_them_read_right() -> None:
    buyer = Party("北京科技有限公司", "朝阳区建国路1号\nBeijing 100022", "finance@example.cn")
    text = page_texts(render_invoice_pdf(make_document(2, buyer=buyer, locale="zh_CN")))[0]
    assert "北京科技有限公司" in text  # the bold BILL TO name, starting in the fallback font
    assert "2026年11月24日" in text  # the issue date as zh writes it
    for expected in ("朝阳区建国路1号", "Beijing 100022", "finance@example.cn", "Task 2 łódź café", "Page 1 of 1"):
        assert expected in text, expected


def test_characters_no_shipped_font_has_are_named_in_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="core.pdf.scripts"):
        text = page_texts(render_invoice_pdf(make_document(1, buyer=Party("บริษัท ACME"))))[0]
    assert "ACME" in text
    warnings = [r.getMessage() for r in caplog.records if r.name == "core.pdf.scripts"]
    assert len(warnings) == 1
    assert "Invoice INV-2026-0042" in warnings[0] and "U+0E1A" in warnings[0] and "'บ'" in warnings[0]


def test_no_warning_when_every_character_is_drawn(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="core.pdf.scripts"):
        render_invoice_pdf(make_document(2, buyer=CJK_BUYER))
    assert not [r for r in caplog.records if r.name == "core.pdf.scripts"]


def test_the_cached_fallback_font_renders_exactly_what_plain_fpdf2_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = make_document(4, buyer=CJK_BUYER)
    cached = render_invoice_pdf(doc)
    assert render_invoice_pdf(doc) == cached
    monkeypatch.setattr(render_module, "add_fonts", typefaces.add_fonts_uncached)
    monkeypatch.setattr(scripts, "add_fallback_font", typefaces.add_fallback_font_uncached)
    assert render_invoice_pdf(doc) == cached


def test_the_fallback_font_covers_chinese_and_japanese_and_ships_its_licence() -> None:
    pdf = FPDF()
    key = typefaces.add_fallback_font(pdf)
    for char in "株式会社東京ひらがなカタカナ中文简体繁體":
        assert ord(char) in pdf.fonts[key].cmap, char
    licence = typefaces.font_path("LICENSE-DroidSansFallback.txt").read_text()
    assert "Apache License" in licence and "Version 2.0" in licence
