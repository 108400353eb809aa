"""Chinese PDF documents (decision letters, verification reports, notices)
with reportlab and an embedded CJK TrueType font.

The font is WenQuanYi Micro Hei from Debian's ``fonts-wqy-microhei``, which
``make run`` and ``make test`` install; ``MINZHENG_PDF_FONT`` may point to
another TTF/TTC file.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_NAME = "MinzhengCJK"
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


class FontMissing(RuntimeError):
    """No Chinese font on this machine: run ``make fonts`` (Debian fonts-wqy-microhei)."""


@functools.cache
def register_font() -> str:
    path = Path(os.environ.get("MINZHENG_PDF_FONT", DEFAULT_FONT))
    if not path.is_file():
        raise FontMissing(f"找不到中文字体 {path}，请运行 make fonts 安装 fonts-wqy-microhei")
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    return FONT_NAME


def styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1, spaceAfter=6 * mm),
        "heading": ParagraphStyle("heading", fontName=font, fontSize=13, leading=20, spaceBefore=4 * mm),
        "body": ParagraphStyle("body", fontName=font, fontSize=11, leading=19, firstLineIndent=22),
        "plain": ParagraphStyle("plain", fontName=font, fontSize=11, leading=18),
        "small": ParagraphStyle("small", fontName=font, fontSize=9, leading=14),
        "right": ParagraphStyle("right", fontName=font, fontSize=11, leading=18, alignment=2),
    }


def table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None) -> Table:
    """A bordered table whose cells wrap Chinese text; the first row is the
    header. Cell values are plain text (escaped: a name like ``<b>`` prints as is)."""
    st = styles()
    cells = [[Paragraph(escape(str(cell)), st["small"]) for cell in row] for row in rows]
    result = Table(cells, colWidths=widths, repeatRows=1)
    result.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return result


def render(flowables: Sequence[object], *, title: str) -> bytes:
    """Render A4 pages; returns the PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="松江区民政局",
                            leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm)
    doc.build(list(flowables))
    return buffer.getvalue()


def paragraph(text: str, style: str = "body", *, markup: bool = False) -> Paragraph:
    """A paragraph of plain text. reportlab reads paragraph text as markup, so
    it is escaped unless the caller passes trusted ``markup=True`` — user text
    (names, addresses, file names) must never be markup: ``</para>`` would
    break the document and ``<img src=…>`` would read a local file."""
    return Paragraph(text if markup else escape(text), styles()[style])


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)
