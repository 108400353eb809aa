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


def test_user_text_is_never_read_as_markup():
    # given names and addresses that look like reportlab markup
    hostile = ["谷阳北路</para>1号", '<img src="/etc/passwd"/>', "<font face='x'>张三</font>", "A & B <b>"]
    # when they go into paragraphs and table cells, then the document still renders
    data = pdf.render([pdf.paragraph(text) for text in hostile] + [pdf.table([["姓名", "地址"], hostile[:2]])],
                      title="转义")
    assert data.startswith(b"%PDF")


def test_trusted_markup_is_still_possible():
    assert pdf.render([pdf.paragraph("<b>加粗</b>", markup=True)], title="标记").startswith(b"%PDF")
