"""Import of the register (ADR 0028): good rows registered, bad rows quarantined
with their row number and reason; an unreadable file refused as a whole."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from minzheng.care_facilities.models import Facility
from minzheng.care_facilities.register_import import facilities_import, template_xlsx
from minzheng.care_facilities.tests.conftest import valid_uscc
from minzheng.core.file_import import ImportFileError
from minzheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 9, 30)
HEADER = "名称,类型,居村委代码,运营单位统一社会信用代码,状态,列入计划日期,运营日期,床位数\n"


def test_bad_rows_are_quarantined_with_row_and_reason(users, district):
    csv = HEADER + "\n".join([
        f"谷阳长者食堂,社区长者食堂,310117001001,{valid_uscc()},运营,2023-01-01,2023-06-01,",
        "乐都中心,社区综合为老服务中心,310117001002,91310117MA1GAB2C01,规划,2024-01-01,,",
        "乐都驿站,养老驿站,310117001002,,规划,2024-01-01,,",
        "泗泾站,家门口养老服务站,310117102201,,规划,2024-01-01,,",
        "乐都日照,日间照料中心,310117001002,,运营,2024-01-01,2024-12-01,",
        ",,,,,,,",
        "乐都站,家门口养老服务站,310117001002,,规划,2024-01-01,,十",
    ]) + "\n"
    result = facilities_import(actor=users["street"], filename="登记表.csv", data=csv.encode("utf-8-sig"), today=TODAY)
    assert [f.name for f in result.created] == ["谷阳长者食堂"]
    assert [p.as_text() for p in result.problems] == [
        "第3行【整行】运营单位统一社会信用代码第18位（校验位）“1”错误：按前17位计算应为“W”，请核对代码",
        "第4行【类型】类型应为：社区综合为老服务中心、社区长者食堂、社区助餐点、家门口养老服务站、乡村长者照护之家、"
        "长者运动健康之家、日间照料中心、养老院",
        "第5行【居村委代码】该居村委不在您的辖区内",
        "第6行【整行】运营日期（2024-12-01）晚于今天，不能登记将来的日期",
        "第8行【床位数】应为整数",
    ]
    assert list(Facility.objects.values_list("name", flat=True)) == ["谷阳长者食堂"]
    entry = AuditEntry.objects.get(action="care_facility.import")
    assert entry.changes == {"file": "登记表.csv", "rows": 6, "good": 1, "bad": 5}


def test_a_file_without_the_templates_headers_is_refused_whole(users, district):
    with pytest.raises(ImportFileError, match="缺少列：类型"):
        facilities_import(actor=users["street"], filename="x.csv", data="名称,居村委代码,状态\n甲,1,规划\n".encode(),
                          today=TODAY)
    with pytest.raises(ImportFileError, match=r"\.xlsx 或 \.csv"):
        facilities_import(actor=users["street"], filename="x.txt", data=b"abc", today=TODAY)
    assert not Facility.objects.exists()


def test_the_template_round_trips_through_the_page(users, district):
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.active
    sheet.append(["谷阳站", "家门口养老服务站", "310117001001", "", "", "", "", "", "规划", "2024-01-01"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "模板.xlsx"
    client = Client()
    client.force_login(users["street"])
    assert client.get(reverse("care_facilities:import_template")).status_code == 200
    page = client.post(reverse("care_facilities:import"), {"file": data})
    assert page.status_code == 200 and "已登记 1 个设施" in page.content.decode()
    assert Facility.objects.get().name == "谷阳站"


def test_the_command_line_prints_the_outcome_as_json(district, tmp_path):
    import json

    from django.core.management import call_command

    path = tmp_path / "登记表.csv"
    path.write_text(HEADER + "谷阳站,家门口养老服务站,310117001001,,规划,2024-01-01,,\n"
                             "坏行,家门口养老服务站,999,,规划,2024-01-01,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("facilities_import", str(path), "--today", "2024-09-30", stdout=out)
    answer = json.loads(out.getvalue())
    assert [c["name"] for c in answer["created"]] == ["谷阳站"]
    assert answer["problems"] == [{"row": 3, "column": "居村委代码", "message": "没有区划代码为999的居村委"}]
