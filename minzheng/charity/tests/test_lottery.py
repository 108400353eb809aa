"""The lottery centre's file: good rows, bad rows with their row number and
reason, all-or-nothing, the same file twice, a later file for the same month
only as an audited correction; the 公益金 from the file, a cited rate or
参数缺失 (ADR 0040)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from minzheng.charity import selectors, services
from minzheng.charity.models import MonthlySales, QuarantinedRow, SalesCorrection, SalesImport
from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 10)
HEAD = "网点编号,月份,销售额（元）,公益金（元）\n"


def _csv(*rows: str) -> bytes:
    return (HEAD + "".join(r + "\n" for r in rows)).encode("utf-8")


@pytest.fixture
def outlets(users):
    bureau = users["bureau"]
    return [services.outlet_register(actor=bureau, code="31011701", name="岳阳一号站", street_code="310117001",
                                     address="人民北路1号"),
            services.outlet_register(actor=bureau, code="31011702", name="泗泾一号站", street_code="310117102",
                                     address="泗泾路1号")]


def _import(users, data: bytes, name="2024.csv", **kw):
    return services.sales_import(actor=users["bureau"], data=data, file_name=name, today=TODAY, **kw)


def test_a_good_file_and_the_same_file_twice(users, outlets):
    data = _csv("31011701,2024-01,100000.00,22000.00", "31011702,2024-01,50000,")
    first = _import(users, data)
    assert not first.repeated and first.sales_import.rows_recorded == 2
    again = _import(users, data)
    assert again.repeated and again.sales_import.pk == first.sales_import.pk
    assert SalesImport.objects.count() == 1 and MonthlySales.objects.count() == 2
    assert AuditEntry.objects.filter(action="charity.sales_import").count() == 1
    # the same rows in another file: nothing changes either
    other = _import(users, _csv("31011701,2024-01,100000.00,22000.00"), name="again.csv")
    assert (other.sales_import.rows_recorded, other.sales_import.rows_unchanged) == (0, 1)


def test_bad_rows_are_quarantined_with_row_number_and_reason(users, outlets):
    data = _csv("31011701,2024-01,100000,", "99999999,2024-01,1,", "31011701,2024-13,1,", "31011702,2024-02,abc,",
                "31011702,2024-02,10,20", "31011701,2024-01,5,", "31011702,2025-03,1,")
    run = _import(users, data).sales_import
    assert run.rows_recorded == 1 and run.rows_quarantined == 6
    reasons = dict(QuarantinedRow.objects.filter(sales_import=run).values_list("row_number", "reason"))
    assert "未登记" in reasons[3]
    assert "月份“2024-13”无效" in reasons[4]
    assert "销售额“abc”无效" in reasons[5]
    assert reasons[6] == "公益金不能大于销售额"
    assert reasons[7] == "与第2行重复（同一网点同一月份）"
    assert "尚未结束" in reasons[8]


def test_all_or_nothing_refuses_the_whole_file(users, outlets):
    data = _csv("31011701,2024-01,100000,", "31011702,2024-01,-5,")
    with pytest.raises(ValidationError) as err:
        _import(users, data, mode="all_or_nothing")
    assert "第3行：销售额“-5”无效" in "".join(err.value.messages)
    assert not MonthlySales.objects.exists() and not SalesImport.objects.exists()


def test_a_later_file_replaces_a_month_only_as_a_correction(users, outlets):
    _import(users, _csv("31011701,2024-01,100000,22000"))
    later = _csv("31011701,2024-01,100500,22100")
    run = _import(users, later, name="更正.csv").sales_import
    assert run.rows_quarantined == 1 and "如需更正" in run.quarantined.get().reason
    assert MonthlySales.objects.get().sales_fen == 10_000_000
    fixed = _import(users, later, name="更正.csv", correction_reason="福彩中心2月15日更正函").sales_import
    sales = MonthlySales.objects.get()
    assert (sales.sales_fen, sales.fund_fen, fixed.rows_corrected) == (10_050_000, 2_210_000, 1)
    correction = SalesCorrection.objects.get()
    assert (correction.sales_fen_before, correction.reason) == (10_000_000, "福彩中心2月15日更正函")
    entry = AuditEntry.objects.filter(action="charity.sales_import").latest("id")
    assert entry.changes["reason"] == "福彩中心2月15日更正函" and entry.changes["corrected"] == 1


def test_the_fund_is_the_files_else_a_cited_rate_else_missing(users, outlets):
    _import(users, _csv("31011701,2024-01,100000,22000", "31011701,2024-02,100000,", "31011702,2024-02,30000,"))
    rows = {r.street.code: r for r in selectors.lottery_by_street(users["bureau"], 2024)}
    yueyang = rows["310117001"]
    assert yueyang.sales_fen == 20_000_000 and yueyang.fund_total is None and yueyang.fund_missing == 1
    assert yueyang.fund_fen == 2_200_000  # the known part, never shown as the total
    services.fund_rate_enter(actor=users["bureau"], effective_from=dt.date(2024, 2, 1), percent=Decimal("35.5"),
                             document_name="测试用依据文件", document_number="测〔2024〕1号")
    rows = {r.street.code: r for r in selectors.lottery_by_street(users["bureau"], 2024)}
    assert rows["310117001"].fund_total == 2_200_000 + 3_550_000
    assert rows["310117102"].fund_total == 1_065_000
    with pytest.raises(ValidationError, match="提取比例"):
        services.fund_rate_enter(actor=users["bureau"], effective_from=dt.date(2024, 3, 1), percent=Decimal("NaN"),
                                 document_name="x", document_number="y")


def test_street_sees_its_own_outlets_and_only_the_bureau_imports(users, outlets):
    _import(users, _csv("31011701,2024-01,100000,", "31011702,2024-01,1000,"))
    assert [o.code for o in selectors.outlets_visible(users["street"])] == ["31011701"]
    assert list(selectors.sales_visible(users["street"]).values_list("outlet__code", flat=True)) == ["31011701"]
    assert [r.street.code for r in selectors.lottery_by_street(users["street"], 2024)] == ["310117001"]
    with pytest.raises(NotPermitted):
        services.sales_import(actor=users["street"], data=b"x", file_name="a.csv")
    with pytest.raises(NotPermitted):
        selectors.outlets_visible(users["committee"])


def test_xlsx_import_and_a_formula_cell_stops_it(users, outlets):
    book = Workbook()
    sheet = book.active
    sheet.append(["网点编号", "月份", "销售额（元）", "公益金（元）"])
    sheet.append(["31011701", "2024-05", 1234.5, None])
    out = io.BytesIO()
    book.save(out)
    run = _import(users, out.getvalue(), name="福彩.xlsx").sales_import
    assert run.rows_recorded == 1 and MonthlySales.objects.get().sales_fen == 123_450
    sheet.append(["31011702", "2024-05", "=1+1", None])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError, match="公式"):
        _import(users, out.getvalue(), name="福彩2.xlsx")
    with pytest.raises(ValidationError, match="缺少表头"):
        _import(users, b"a,b\n1,2\n", name="x.csv")
