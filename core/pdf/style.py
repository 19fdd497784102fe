"""The look of the invoice: page geometry in millimetres on A4, the line table's columns, colours, status marks."""
from __future__ import annotations

# Geometry, in millimetres, on A4 (210 × 297).
MARGIN_X = 18.0
MARGIN_TOP = 16.0
MARGIN_BOTTOM = 22.0
LINE_H = 4.4
ROW_PAD = 1.3
COLUMNS = (  # key, width, alignment; the labels are translated where the header is drawn
    ("date", 25.0, "L"),
    ("description", 70.0, "L"),
    ("time", 24.0, "R"),  # exact (1:20), where decimal hours (1.33) would not multiply out
    ("rate", 25.0, "R"),
    ("amount", 30.0, "R"),
)
LOGO_MAX_H = 18.0
LOGO_MAX_W = 60.0

INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
HEADER_FILL = (236, 239, 243)
STATUS_COLOURS = {"draft": (120, 120, 120), "void": (176, 42, 55), "paid": (25, 135, 84)}
"""The mark under the title; draft and void are also written across every page in a tint."""
WATERMARK_TINT = {"draft": (232, 232, 232), "void": (247, 214, 218)}
QR_SIZE = 30.0
"""The EPC payment code's side, quiet zone included: banking apps read it easily from paper or a screen."""
