"""The invoice PDF: a frozen document in, PDF/A-3B bytes out, with the Unicode fonts shipped in ``fonts/``."""
from core.pdf.document import DocumentLine, InvoiceDocument, Party
from core.pdf.render import render_invoice_pdf

__all__ = ["DocumentLine", "InvoiceDocument", "Party", "render_invoice_pdf"]
