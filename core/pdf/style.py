"""The look of the invoice: page geometry in millimetres on A4, the line table's columns, colours, status marks."""
from __future__ import annotations

# Geometry, in millimetres, on A4 (210 × 297).
MARGIN_X = 18.0
MARGIN_TOP = 16.0
MARGIN_BOTTOM = 22.0
LINE_H = 4.4
ROW_PAD = 1.3
COLUMNS = (  # label, width, alignment
    ("Date", 25.0, "L"),
    ("Description", 70.0, "L"),
    ("Time (h:mm)", 24.0, "R"),  # exact (1:20), where decimal hours (1.33) would not multiply out
    ("Rate", 25.0, "R"),
    ("Amount", 30.0, "R"),
)
LOGO_MAX_H = 18.0
LOGO_MAX_W = 60.0

INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
HEADER_FILL = (236, 239, 243)
STATUS_MARKS = {  # status: (label under the title, watermark across each page or None, colour)
    "draft": ("DRAFT – not a valid invoice", "DRAFT", (120, 120, 120)),
    "void": ("VOID – cancelled, do not pay", "VOID", (176, 42, 55)),
    "paid": ("PAID", None, (25, 135, 84)),
}
WATERMARK_TINT = {"DRAFT": (232, 232, 232), "VOID": (247, 214, 218)}
