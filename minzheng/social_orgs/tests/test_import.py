"""Import of the bureau's register: all or nothing, every bad row with its row
number, column and reason; the template's headers are the import's."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from minzheng.core.file_import import ImportFileError
from minzheng.social_orgs.models import Organization
from minzheng.social_orgs.register_import import COLUMNS, organizations_import, template_xlsx
from minzheng.social_orgs.tests.conftest import TODAY, valid_uscc

pytestmark = pytest.mark.django_db
HEADERS = [h for h, _, _ in COLUMNS]


def _row(name: str, code: str, **cells) -> list:
    values = {"名称": name, "类型": "社会团体", "统一社会信用代码": code, "法定代表人": "张三",
              "业务主管单位": "松江区民政局", "注册资金（元）": "30000", "住所": "松江区某路1号",
              "业务范围": "联谊交流", "成立登记日期": "2015-04-01", "社区社会组织": "是"} | cells
    return [values.get(h, "") for h in HEADERS]


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_has_the_import_headers():
    book = load_workbook(io.BytesIO(template_xlsx()))
    assert [c.value for c in book.worksheets[0][1]] == HEADERS


def test_a_good_file_registers_every_row(users, district):
    data = _xlsx([_row("松江区甲协会", valid_uscc("51310117MJ0000011"), **{"居村委代码": "310117001001"}),
                  _row("松江区乙服务中心", valid_uscc("52310117MJ0000012"), 类型="社会服务机构", 登记状态="注销",
                       状态变更日期="2023-08-01", 状态变更原因="清算完毕")])
    result = organizations_import(actor=users["bureau"], filename="register.xlsx", data=data, today=TODAY)
    assert (result.rows, result.created, result.problems) == (2, 2, [])
    first = Organization.objects.get(name="松江区甲协会")
    assert first.registered_capital_fen == 3_000_000 and first.community and first.street_id == "310117001"
    assert Organization.objects.get(name="松江区乙服务中心").status == "deregistered"


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named(users):
    code = valid_uscc("51310117MJ0000021")
    bad_check = code[:-1] + ("0" if code[-1] != "0" else "1")
    data = _xlsx([_row("松江区丙协会", valid_uscc("51310117MJ0000022")),
                  _row("松江区丁协会", bad_check),
                  _row("松江区戊协会", valid_uscc("51310117MJ0000023"), 类型="俱乐部"),
                  _row("松江区己协会", valid_uscc("51310117MJ0000024"), **{"注册资金（元）": "1.234"})])
    result = organizations_import(actor=users["bureau"], filename="register.xlsx", data=data, today=TODAY)
    assert result.created == 0 and Organization.objects.count() == 0
    texts = [p.as_text() for p in result.problems]
    assert texts[0].startswith("第3行【整行】") and "第18位" in texts[0]
    assert texts[1].startswith("第4行【类型】")
    assert texts[2].startswith("第5行【注册资金（元）】")


def test_duplicates_inside_the_file_are_caught(users):
    code = valid_uscc("51310117MJ0000031")
    data = _xlsx([_row("松江区庚协会", code), _row("松江区辛协会", code)])
    result = organizations_import(actor=users["bureau"], filename="r.xlsx", data=data, today=TODAY)
    assert [p.row for p in result.problems] == [3] and Organization.objects.count() == 0


def test_csv_in_gb18030_and_refusals_of_the_whole_file(users):
    text = ",".join(HEADERS) + "\n" + ",".join(_row("松江区壬协会", valid_uscc("51310117MJ0000041"))) + "\n"
    result = organizations_import(actor=users["bureau"], filename="r.csv", data=text.encode("gb18030"), today=TODAY)
    assert result.created == 1
    with pytest.raises(ImportFileError, match="缺少列"):
        organizations_import(actor=users["bureau"], filename="r.csv", data="名称\n甲\n".encode(), today=TODAY)
    with pytest.raises(ImportFileError, match=".xlsx 或 .csv"):
        organizations_import(actor=users["bureau"], filename="r.pdf", data=b"%PDF", today=TODAY)
