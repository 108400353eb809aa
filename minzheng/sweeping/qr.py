"""The reservation code as a QR code, drawn server-side with reportlab's QR
widget (``reportlab.graphics.barcode.qr``, already a dependency) as SVG: the
QR content is the code itself, so a scanner at the gate types it into the
check-in field."""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

SIZE = 180  # points


def qr_svg(content: str, *, size: int = SIZE) -> str:
    widget = QrCodeWidget(content, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    width, height = x1 - x0, y1 - y0
    drawing = Drawing(size, size, transform=[size / width, 0, 0, size / height, 0, 0])
    drawing.add(widget)
    return renderSVG.drawToString(drawing)
