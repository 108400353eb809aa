"""Who sees which facility, on the pages and in the API (ADR 0010, 0028): a street
its own; a care operator only its linked facilities, 404 otherwise; and the
dashboard page with every registered section."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from minzheng.care_facilities.dashboard import BOARD, StreetFigures, dashboard_section_register
from minzheng.care_facilities.models import Facility, FacilityKind
from minzheng.care_facilities.tests.conftest import valid_uscc
from minzheng.core.street_dashboards import section_unregister

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_street_sees_its_own_street_on_the_list_and_in_the_api(users, homes):
    client = _client(users["street"])
    page = client.get(reverse("care_facilities:list"))
    assert page.status_code == 200
    assert "测试岳阳养老院" in page.content.decode() and "测试泗泾养老院" not in page.content.decode()
    assert client.get(reverse("care_facilities:detail", args=[homes["b"].pk])).status_code == 404
    api = client.get("/api/v1/eldercare/facilities").json()
    assert [r["name"] for r in api["results"]] == ["测试岳阳养老院"]
    assert client.get(f"/api/v1/eldercare/facilities/{homes['b'].pk}").status_code == 404
    export = client.get(reverse("care_facilities:list") + "?_export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_care_operator_sees_only_linked_facilities(homes, operator):
    client = _client(operator)
    assert client.get(reverse("care_facilities:detail", args=[homes["a"].pk])).status_code == 200
    assert client.get(reverse("care_facilities:detail", args=[homes["b"].pk])).status_code == 404
    assert client.get(f"/api/v1/eldercare/facilities/{homes['a'].pk}").json()["beds"] == 120
    assert client.get(f"/api/v1/eldercare/facilities/{homes['b'].pk}").status_code == 404
    assert [r["id"] for r in client.get("/api/v1/eldercare/facilities").json()["results"]] == [homes["a"].pk]
    # reads only: no edit, no dashboard
    assert client.get(reverse("care_facilities:edit", args=[homes["a"].pk])).status_code == 403
    assert client.get(reverse("care_facilities:dashboard")).status_code == 403


def test_filters_by_kind_and_committee(users, homes, district):
    client = _client(users["bureau"])
    page = client.get(reverse("care_facilities:list"), {"committee": "310117102201"}).content.decode()
    assert "测试泗泾养老院" in page and "测试岳阳养老院" not in page
    page = client.get(reverse("care_facilities:list"), {"kind": FacilityKind.CANTEEN}).content.decode()
    assert "测试泗泾养老院" not in page and "暂无记录" in page


def test_create_through_the_form_and_the_api(users, district):
    client = _client(users["street"])
    response = client.post(reverse("care_facilities:new"), {
        "name": "测试乐都家门口站", "kind": FacilityKind.STATION, "committee": "310117001002", "status": "planned",
        "planned_on": "2024-01-05", "operator_uscc": "91310117MA1GAB2C00"})
    assert response.status_code == 422 and "第18位（校验位）" in response.content.decode()
    response = client.post(reverse("care_facilities:new"), {
        "name": "测试乐都家门口站", "kind": FacilityKind.STATION, "committee": "310117001002", "status": "planned",
        "planned_on": "2024-01-05", "operator_uscc": valid_uscc()})
    facility = Facility.objects.get(name="测试乐都家门口站")
    assert response.status_code == 302 and facility.street_id == "310117001"
    answer = client.post("/api/v1/eldercare/facilities", {
        "name": "测试泗泾站", "kind": "station", "committee": "310117102201", "status": "planned",
        "planned_on": "2024-01-05"}, content_type="application/json")
    assert answer.status_code == 404  # another street's committee
    answer = client.post(f"/api/v1/eldercare/facilities/{facility.pk}/status",
                         {"status": "building", "on": "2024-02-01"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status_label"] == "在建"
    answer = client.post(f"/api/v1/eldercare/facilities/{facility.pk}/status",
                         {"status": "planned", "on": "2024-02-01"}, content_type="application/json")
    assert answer.status_code == 422 and "只能向前推进" in answer.json()["detail"]


def test_dashboard_shows_targets_coverage_and_every_section(users, homes):
    def provider(user, today):
        return StreetFigures(title="测试栏目", columns=["甲", "乙"], rows={"310117001": [3, None]}, totals=[3, None])

    dashboard_section_register("test_section", order=99, action="care_facilities.dashboard", provider=provider)
    try:
        page = _client(users["bureau"]).get(reverse("care_facilities:dashboard"), {"year": 2024})
    finally:
        section_unregister(BOARD, "test_section")
    text = page.content.decode()
    assert page.status_code == 200
    for words in ("养老服务工作台", "2024年工作目标进度", "新增社区综合为老服务中心（家）", "设施覆盖（按街镇）",
                  "运营中的养老服务设施（按类型）", "养老护理员", "测试栏目", "无数据", "岳阳街道"):
        assert words in text, words
    assert _client(users["auditor"]).get(reverse("care_facilities:dashboard")).status_code == 200
    api = _client(users["bureau"]).get("/api/v1/eldercare/targets/2024").json()
    assert {r["measure"]: r["target"] for r in api}["dementia_beds"] == 100


def test_nav_entries_follow_the_permissions(users, operator):
    text = _client(users["bureau"]).get(reverse("care_facilities:list")).content.decode()
    assert "养老服务工作台" in text and "养老护理员" in text
    text = _client(operator).get(reverse("care_facilities:list")).content.decode()
    assert reverse("care_facilities:dashboard") not in text


def test_committee_sees_its_committee_only(users, homes):
    client = _client(users["committee"])
    assert client.get(reverse("care_facilities:detail", args=[homes["a"].pk])).status_code == 200
    assert client.get(reverse("care_facilities:detail", args=[homes["b"].pk])).status_code == 404
