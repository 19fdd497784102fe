"""The invoice PDF: a frozen document in, PDF/A-3B bytes out, with the Unicode fonts shipped in ``fonts/``.

The drawing stack (fpdf2, fontTools, Pillow) costs a third of a second to import: only a document needs it, so it is
imported on the first render, not when the bot starts.
"""
from core.pdf.document import DocumentLine, InvoiceDocument, Party

__all__ = ["DocumentLine", "InvoiceDocument", "Party", "render_invoice_pdf"]


def render_invoice_pdf(doc: InvoiceDocument, einvoice: bytes | None = None) -> bytes:
    """The document as PDF bytes (see :func:`core.pdf.render.render_invoice_pdf`)."""
    from core.pdf.render import render_invoice_pdf as render

    return render(doc, einvoice)
