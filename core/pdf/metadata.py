"""Document metadata for PDF/A-3B, written so that the same invoice always produces the same bytes.

fpdf2 builds the XMP packet PDF/A requires by itself, but stamps its ModifyDate with the wall clock; we write
the packet ourselves, every date fixed to the issue date. Under PDF/A fpdf2 writes no Info dictionary, so this
packet is the only place title, author, subject and dates live; the values are also set on the FPDF object so a
non-PDF/A rendering would carry the same Info.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from fpdf import FPDF
from fpdf.enums import DocumentCompliance

COMPLIANCE = DocumentCompliance.PDFA_3B
CREATOR = "invoicebot"


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    lang: str
    created: datetime
    """Timezone-aware; the issue date at midnight UTC."""


FACTURX_NAMESPACE = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
_FACTURX_SCHEMA = [  # the PDF/A extension schema that makes the fx: properties valid XMP (Factur-X 1.0, 6.2.2)
    ("DocumentFileName", "The name of the embedded XML document"),
    ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
    ("Version", "The actual version of the standard applying to the embedded XML document"),
    ("ConformanceLevel", "The conformance level of the embedded XML document"),
]


def apply_metadata(pdf: FPDF, meta: Metadata, einvoice: bool = False) -> None:
    """Info and XMP; with ``einvoice``, the Factur-X properties a reader uses to find the embedded XML."""
    pdf.set_title(meta.title)
    pdf.set_author(meta.author)
    pdf.set_subject(meta.subject)
    pdf.set_creator(CREATOR)
    pdf.set_producer(CREATOR)
    pdf.set_lang(meta.lang)
    pdf.set_creation_date(meta.created)
    pdf.set_xmp_metadata(_xmp(meta, einvoice))


def _facturx_xmp() -> list[str]:
    properties = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        f"<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        for name, description in _FACTURX_SCHEMA
    )
    return [
        f'    <rdf:Description rdf:about="" xmlns:fx="{FACTURX_NAMESPACE}">',
        "      <fx:DocumentType>INVOICE</fx:DocumentType>",
        "      <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
        "      <fx:Version>1.0</fx:Version>",
        "      <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
        "    </rdf:Description>",
        '    <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"',
        '        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"',
        '        xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
        '      <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{FACTURX_NAMESPACE}</pdfaSchema:namespaceURI>"
        "<pdfaSchema:prefix>fx</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li></rdf:Bag></pdfaExtension:schemas>",
        "    </rdf:Description>",
    ]


def _xmp(meta: Metadata, einvoice: bool = False) -> str:
    stamp = meta.created.isoformat(timespec="seconds")
    return "\n".join(
        [
            '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="invoicebot">',
            '  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
            '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
            '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
            '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
            '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
            '    <rdf:Description rdf:about=""',
            f'        xmp:CreatorTool="{_esc(CREATOR)}"',
            f'        xmp:CreateDate="{stamp}"',
            f'        xmp:ModifyDate="{stamp}"',
            f'        xmp:MetadataDate="{stamp}"',
            f'        pdf:Producer="{_esc(CREATOR)}">',
            f"      <pdfaid:part>{COMPLIANCE.part}</pdfaid:part>",
            f"      <pdfaid:conformance>{COMPLIANCE.conformance}</pdfaid:conformance>",
            "      <dc:format>application/pdf</dc:format>",
            f'      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_esc(meta.title)}</rdf:li></rdf:Alt></dc:title>',
            f'      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_esc(meta.subject)}</rdf:li>'
            "</rdf:Alt></dc:description>",
            f"      <dc:creator><rdf:Seq><rdf:li>{_esc(meta.author)}</rdf:li></rdf:Seq></dc:creator>",
            "    </rdf:Description>",
            *(_facturx_xmp() if einvoice else []),
            "  </rdf:RDF>",
            "</x:xmpmeta>",
        ]
    )


def _esc(text: str) -> str:
    """XML-escaped, without the control characters XML forbids (a pasted name may carry one)."""
    printable = "".join(ch for ch in text if ch >= " " or ch in "\t\n\r")
    return escape(printable, quote=True).replace("'", "&apos;")
