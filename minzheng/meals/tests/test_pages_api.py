"""Pages and API: scoped (another canteen 404 for a canteen's staff), the
counter form, the statement, approval, the dashboard section."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from minzheng.meals.models import MealRecord, Settlement
from minzheng.meals.services import meal_file_import, settlement_run
from minzheng.meals.tests.conftest import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(canteens, elder):
    a = elder(birth=dt.date(1950, 1, 1))
    for canteen in canteens:
        meal_file_import(actor="test", canteen_id=canteen.pk, stream=csv_file([(a, "", "2025-03-03", "午餐", "堂食")]),
                         file_name="d.csv")
    return [settlement_run(actor="maker", canteen_id=c.pk, month="2025-03")[0] for c in canteens], a


def test_canteen_staff_get_404_for_another_canteen(client, canteens, canteen_user, settled):
    (mine, other), _ = settled
    client.force_login(canteen_user)
    assert client.get(reverse("meals:counter", args=[canteens[0].pk])).status_code == 200
    assert client.get(reverse("meals:counter", args=[canteens[1].pk])).status_code == 404
    assert client.get(reverse("meals:settlement_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("meals:settlement_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("meals:settlement_statement", args=[other.pk])).status_code == 404
    other_import = MealRecord.objects.get(canteen=canteens[1]).meal_import
    assert client.get(reverse("meals:import_detail", args=[other_import.pk])).status_code == 404
    listing = client.get(reverse("meals:settlements")).content.decode()
    assert "谷阳长者食堂" in listing and "张泾助餐点" not in listing
    # the API answers the same
    assert client.get(f"/api/v1/meals/settlements/{mine.pk}").status_code == 200
    assert client.get(f"/api/v1/meals/settlements/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/meals/imports/{other_import.pk}").status_code == 404
    assert client.get(f"/api/v1/meals/records?canteen={canteens[1].pk}").status_code == 404
    body = client.get("/api/v1/meals/records").json()
    assert body["count"] == 1 and body["results"][0]["id_number_masked"].count("*") >= 8
    assert client.post(f"/api/v1/meals/canteens/{canteens[1].pk}/meals", {"id_number": "x", "day": "2025-03-03",
                       "slot": "lunch", "kind": "dine_in"}, content_type="application/json").status_code == 404


def test_counter_form_by_id_number_then_by_name(client, canteens, canteen_user, elder):
    a = elder(birth=dt.date(1944, 1, 1))
    client.force_login(canteen_user)
    url = reverse("meals:counter", args=[canteens[0].pk])
    response = client.post(url, {"who": a.id_number, "slot": "lunch", "kind": "dine_in", "day": "2025-03-03"},
                           follow=True)
    assert "补贴 4.00 元" in response.content.decode()
    response = client.post(url, {"who": a.name, "slot": "dinner", "kind": "delivery", "day": "2025-03-03"},
                           follow=True)
    assert "当日已享受一次助餐补贴" in response.content.decode()
    assert MealRecord.objects.filter(person=a).count() == 2
    response = client.post(url, {"who": "不认识", "slot": "dinner", "kind": "delivery", "day": "2025-03-03"},
                           follow=True)
    assert "首次就餐请输入身份证号" in response.content.decode()


def test_statement_and_approval(client, users, settled):
    (mine, _), a = settled
    client.force_login(users["bureau"])
    response = client.get(reverse("meals:settlement_statement", args=[mine.pk]))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content))
    detail = list(book["用餐明细"].values)
    assert detail[0][:4] == ("序号", "用餐日期", "姓名", "身份证号（脱敏）")
    assert detail[1][3] == a.id_number_masked and a.id_number not in str(detail)
    response = client.post(reverse("meals:settlement_approve", args=[mine.pk]), follow=True)
    assert "结算已审批" in response.content.decode()
    assert Settlement.objects.get(pk=mine.pk).approved_by == "bureau"
    api = client.post(f"/api/v1/meals/settlements/{mine.pk}/approve")
    assert api.status_code == 409


def test_overview_dashboard_and_nav(client, users, settled):
    from minzheng.care_facilities.dashboard import dashboard_sections
    from minzheng.meals.dashboard import meals_section

    client.force_login(users["street"])
    page = client.get(reverse("meals:index")).content.decode()
    assert "老年人助餐" in page and "此参数尚未核实" in page and "约 2024年12月" in page
    section = meals_section(users["street"], dt.date(2025, 3, 20))
    assert section.rows == {"310117001": [1, 1]} and section.totals == [1, 1]
    assert any(s.title.startswith("老年人助餐") for s in dashboard_sections(users["bureau"], dt.date(2025, 3, 20)))
    assert client.get(reverse("meals:records")).status_code == 200
    assert client.get(reverse("meals:imports")).status_code == 200
    assert client.get(reverse("meals:template", args=["csv"])).content.startswith("\ufeff身份证号".encode())
