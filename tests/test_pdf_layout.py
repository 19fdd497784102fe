"""Layout defects an accountant would send back: justified names with huge gaps, the last block orphaned on a page
of its own, a Chinese name not bold where Latin names are; and characters no font draws, named in the reply."""
from __future__ import annotations

import re

from pypdf import PdfReader

from core.pdf import Party, render_invoice_pdf
from tests.conftest import SELLER_PROFILE, Conversation
from tests.test_pdf_render import make_document, page_texts


def content_streams(pdf: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(__import__("io").BytesIO(pdf)).pages]  # type: ignore[union-attr]


def test_a_long_name_wraps_left_aligned_never_justified() -> None:
    long_name = "Zweckverband für Abfallwirtschaft und Stadtreinigung der Region Oberes Elbtal Nord"
    pdf = render_invoice_pdf(make_document(2, seller=Party(long_name), buyer=Party(long_name + " Süd GmbH & Co. KG")))
    streams = b"".join(content_streams(pdf))
    assert b" Tw" not in streams and b"Tw\n" not in streams  # fpdf2 justifies by word spacing (Tw)
    assert "Zweckverband für Abfallwirtschaft" in page_texts(pdf)[0]


def test_the_last_blocks_are_never_orphaned_on_a_page_of_their_own() -> None:
    """Whatever the number of lines, a page that holds closing blocks holds at least two of them, or the totals."""
    headings = ("Subtotal", "Payment", "Terms", "Notes")
    for n_lines in (*range(10, 16), *range(45, 51)):  # 13 and 48 lines left "Notes" alone before the fix
        texts = page_texts(render_invoice_pdf(make_document(n_lines)))
        last = texts[-1]
        present = [h for h in headings if re.search(rf"^{h}\b", last, flags=re.M)]
        assert len(present) >= 2 or "Subtotal" in present, (n_lines, present)


def test_a_chinese_name_is_drawn_bold_as_latin_names_are() -> None:
    pdf = render_invoice_pdf(make_document(1, buyer=Party("株式会社サンプル")))
    page = content_streams(pdf)[0]
    assert b"2 Tr" in page  # filled and outlined: the regular fallback face made bold
    latin = render_invoice_pdf(make_document(1))
    assert b"2 Tr" not in content_streams(latin)[0]  # a Latin name keeps DejaVu Sans Bold as it is


def test_characters_no_font_draws_are_named_in_the_reply(core) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="eve")
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client set ACME country DE",
                 "2h logo design 🎨 for ACME"):
        chat.text(line)
    preview = chat.text("/invoice ACME preview")
    assert preview.endswith("These characters have no font on the PDF and print blank: 🎨.")
    issued = chat.say("/invoice ACME")
    assert issued.document is not None and issued.text.endswith("print blank: 🎨.")
    chat.text("1h review café łódź 株式会社 for ACME")
    assert "print blank" not in chat.text("/invoice ACME preview")


def _char_boxes(pdf: bytes, text: str) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every character of the first ``text`` on page 1, as pdfium places them."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        chars = document[0].get_textpage()
        found = chars.search(text).get_next()
        assert found is not None, text
        start, count = found
        return [chars.get_charbox(i) for i in range(start, start + count) if chars.get_text_range(i, 1).strip()]
    finally:
        document.close()


def test_the_cancelled_stamp_stays_beside_a_long_seller_name_never_over_it() -> None:
    """Seen on the rendered page: the red "CANCELLED by credit note …" line reached into the seller's name."""
    name = "Jana Schmidt Webdesign und Softwareentwicklung für kleine und mittlere Unternehmen"
    pdf = render_invoice_pdf(make_document(2, seller=Party(name), status="void", cancelled_by="CN-2026-0001"))
    stamp = _char_boxes(pdf, "CANCELLED by credit note CN-2026-0001")
    seller = _char_boxes(pdf, "Jana Schmidt Webdesign und") + _char_boxes(pdf, "Softwareentwicklung für kleine")
    assert min(box[0] for box in stamp) > max(box[2] for box in seller)  # wholly right of the name's column
    assert "CANCELLED by credit note CN-2026-0001 – do not pay" in " ".join(page_texts(pdf)[0].split())


def test_a_long_credit_note_title_shrinks_into_the_right_column_and_its_dates_say_which_is_which() -> None:
    """Seen on the rendered pages: "FACTURA RECTIFICATIVA" at full size reached into the seller's name, and the
    German credit note called both its own date and the cancelled invoice's "Rechnungsdatum"."""
    from datetime import date

    name = "Jana Schmidt Webdesign und Softwareentwicklung für kleine und mittlere Unternehmen"
    for language, title in (("es", "FACTURA RECTIFICATIVA"), ("de", "STORNORECHNUNG")):
        pdf = render_invoice_pdf(make_document(2, seller=Party(name), kind="credit_note", language=language,
                                               number="CN-2026-0001", corrects=("INV-2026-0042", date(2026, 11, 2))))
        seller = _char_boxes(pdf, "Jana Schmidt Webdesign und")
        assert min(box[0] for box in _char_boxes(pdf, title)) > max(box[2] for box in seller), language
    assert "Ausstellungsdatum 24 Nov 2026" in page_texts(pdf)[0] and "Rechnungsdatum 2 Nov 2026" in page_texts(pdf)[0]
