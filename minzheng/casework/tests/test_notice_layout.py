"""The public notice keeps a masked ID number and a name on one line (they
were broken mid-string when the seven columns had equal widths)."""

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from minzheng.casework.notices import NOTICE_WIDTHS_MM
from minzheng.core.pdf import register_font, styles

CELL_PADDING = 6  # reportlab's default left + right padding, points


def _fits(text: str, column: int) -> bool:
    font = register_font()
    size = styles()["small"].fontSize
    return pdfmetrics.stringWidth(text, font, size) <= NOTICE_WIDTHS_MM[column] * mm - CELL_PADDING


def test_id_number_name_and_amount_fit_their_columns():
    assert sum(NOTICE_WIDTHS_MM) == 170  # the A4 text width with 20 mm margins
    assert _fits("310117***********X", 2)
    assert _fits("欧阳*明", 1)
    assert _fits("12,345.67", 5)
    assert _fits("最低生活保障", 3)
