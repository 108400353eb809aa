import pytest

from minzheng.core import pdf


def test_chinese_pdf_renders_with_embedded_font():
    try:
        data = pdf.render([pdf.paragraph("最低生活保障决定书", "title"), pdf.paragraph("张*明，您好。"),
                           pdf.table([["项目", "金额"], ["低保", "1,650.00 元"]])], title="测试")
    except pdf.FontMissing:
        pytest.fail("Chinese font missing: `make fonts` installs fonts-wqy-microhei")
    assert data.startswith(b"%PDF")
    assert b"MinzhengCJK" in data or b"WenQuanYi" in data
