"""Incidents, 云监管 (with and without the supervision columns), the dashboard
section, the operator's inbox, and the 404 for another institution on pages
and in the API (ADR 0029)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_id_number
from minzheng.care_facilities.dashboard import dashboard_sections
from minzheng.care_homes import services
from minzheng.care_homes.models import IncidentKind, Post
from minzheng.care_homes.oversight import (
    EXPECTED,
    oversight_columns_register,
    oversight_columns_unregister,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


@pytest.fixture
def resident(operator, homes, room):
    return services.resident_admit(actor=operator, facility=homes["own"], name="王阿婆",
                                   id_number=make_id_number(dt.date(1938, 3, 2), male=False),
                                   admitted_on=TODAY - dt.timedelta(days=30), bed=room.beds.first())


def test_incident_flow_report_steps_close(operator, homes, resident, users):
    occurred = timezone.now() - dt.timedelta(hours=3)
    incident = services.incident_report(actor=operator, facility=homes["own"], kind=IncidentKind.FALL,
                                        occurred_at=occurred, resident=resident.pk, description="夜间起床时跌倒")
    services.incident_step(actor=operator, incident=incident, on=TODAY, text="送医检查，通知家属")
    page = _web(users["bureau"]).get(reverse("care_homes:incident_detail", args=[incident.pk]))
    assert page.status_code == 200 and "王*婆" in page.content.decode() and "送医检查" in page.content.decode()
    listing = _web(users["bureau"]).get(reverse("care_homes:incident_list") + "?state=open").content.decode()
    assert "测试岳阳养老院" in listing and "王阿婆" not in listing
    with pytest.raises(ValidationError, match="结案说明"):
        services.incident_close(actor=operator, incident=incident, closed_on=TODAY, closure=" ")
    services.incident_close(actor=operator, incident=incident, closed_on=TODAY, closure="无骨折，已加装床栏")
    with pytest.raises(ValidationError, match="已结案"):
        services.incident_step(actor=operator, incident=incident, on=TODAY, text="再次")
    with pytest.raises(ValidationError, match="晚于现在"):
        services.incident_report(actor=operator, facility=homes["own"], kind=IncidentKind.FIRE,
                                 occurred_at=timezone.now() + dt.timedelta(hours=1), description="x")


def test_operator_gets_404_for_another_institution_on_pages_and_api(operator, other_operator, homes, resident):
    incident = services.incident_report(actor=operator, facility=homes["own"], kind=IncidentKind.INFECTION,
                                        occurred_at=timezone.now(), description="发热")
    web = _web(other_operator)
    for url in (reverse("care_homes:institution_detail", args=[homes["own"].pk]),
                reverse("care_homes:resident_detail", args=[resident.pk]),
                reverse("care_homes:incident_detail", args=[incident.pk]),
                reverse("care_homes:resident_new", args=[homes["own"].pk])):
        assert web.get(url).status_code == 404, url
    assert web.post(reverse("care_homes:resident_discharge", args=[resident.pk]),
                    {"discharged_on": TODAY, "reason": "home"}).status_code == 404
    assert _web(operator).get(reverse("care_homes:institution_detail", args=[homes["own"].pk])).status_code == 200
    # the operator with one institution goes straight to it
    assert _web(operator).get(reverse("care_homes:institution_list"))["Location"].endswith(f"/{homes['own'].pk}/")
    api = _api(other_operator)
    assert api.get(f"/api/v1/care-homes/{homes['own'].pk}").status_code == 404
    assert api.post(f"/api/v1/care-homes/residents/{resident.pk}/discharge",
                    {"discharged_on": str(TODAY), "reason": "home"}, content_type="application/json").status_code == 404
    assert [r["id"] for r in api.get("/api/v1/care-homes").json()] == [homes["other"].pk]
    assert api.get("/api/v1/care-homes/incidents").json() == []
    own = _api(operator).get(f"/api/v1/care-homes/{homes['own'].pk}").json()
    assert own["residents"][0]["id_number_masked"].count("*") == 11
    assert own["open_incidents"][0]["kind_label"] == "感染"
    assert web.get(reverse("care_homes:oversight")).status_code == 403


def test_api_admit_discharge_and_chinese_errors(operator, homes, room):
    api = _api(operator)
    bed = room.beds.first()
    payload = {"name": "赵阿公", "id_number": make_id_number(dt.date(1935, 6, 1)), "admitted_on": str(TODAY),
               "bed_id": bed.pk, "care_level": 5, "assessed_on": str(TODAY)}
    created = api.post(f"/api/v1/care-homes/{homes['own'].pk}/residents", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["bed"] == bed.number
    again = api.post(f"/api/v1/care-homes/{homes['own'].pk}/residents",
                     {**payload, "id_number": make_id_number(dt.date(1936, 6, 1))}, content_type="application/json")
    assert again.status_code == 422 and "已有老人入住" in again.json()["detail"]
    out = api.post(f"/api/v1/care-homes/residents/{created.json()['id']}/discharge",
                   {"discharged_on": str(TODAY), "reason": "death"}, content_type="application/json")
    assert out.status_code == 200 and out.json()["discharge_reason_label"] == "死亡"


def test_oversight_without_and_with_providers(operator, homes, resident, users, monkeypatch):
    # start from no provider at all (the supervision app registers its two when installed)
    from minzheng.care_homes import oversight
    monkeypatch.setattr(oversight, "_columns", {})
    services.staff_add(actor=operator, facility=homes["own"], name="护理员甲", post=Post.CAREGIVER,
                       hired_on=TODAY - dt.timedelta(days=100))
    services.incident_report(actor=operator, facility=homes["own"], kind=IncidentKind.MISSING,
                             occurred_at=timezone.now(), description="外出未归，已找回")
    page = _web(users["bureau"]).get(reverse("care_homes:oversight"))
    html = page.content.decode()
    assert page.status_code == 200
    for label in EXPECTED:
        assert label in html
    assert "1 / 2" in html and "50.0%" in html and "1 : 1.0" in html
    assert html.count("无数据") >= 2 * 2 + 1  # both supervision columns for both homes; the bedless home's rate

    oversight_columns_register("未关闭的检查发现", lambda user, ids: {homes["own"].pk: 3}, order=1)
    try:
        html = _web(users["bureau"]).get(reverse("care_homes:oversight")).content.decode()
        assert "逾期未整改" not in html and ">3<" in html
        rows = _api(users["bureau"]).get("/api/v1/care-homes/oversight").json()
        by = {r["institution_id"]: r for r in rows}
        assert by[homes["own"].pk]["columns"] == {"未关闭的检查发现": 3}
        assert by[homes["other"].pk]["columns"] == {"未关闭的检查发现": None}
        assert by[homes["own"].pk]["open_incidents"] == 1
    finally:
        oversight_columns_unregister("未关闭的检查发现")
    street = _web(users["street"]).get(reverse("care_homes:oversight")).content.decode()
    assert "测试岳阳养老院" in street and "测试泗泾养老院" not in street


def test_dashboard_section_and_operator_inbox(operator, homes, resident, users):
    sections = {s.title: s for s in dashboard_sections(users["bureau"], TODAY)}
    figures = sections["养老机构"]
    assert figures.rows["310117001"] == [1, 2, 1, Decimal("50.0")]
    assert figures.rows["310117102"][:3] == [1, 0, 0] and figures.rows["310117102"][3] is None
    assert "养老机构" not in {s.title for s in dashboard_sections(operator, TODAY)}
    services.incident_report(actor=operator, facility=homes["own"], kind=IncidentKind.OTHER,
                             occurred_at=timezone.now(), description="停电")
    services.resident_assess(actor=operator, resident=resident, care_level=2, assessed_on=TODAY - dt.timedelta(days=1),
                             reassess_due_on=TODAY + dt.timedelta(days=5))
    home = _web(operator).get("/").content.decode()
    assert "我的养老机构" in home and "测试岳阳养老院" in home
    assert "处置中的意外事件" in home and "其他：测试岳阳养老院" in home
    assert "照护等级评估将到期或已过期的老人" in home and "王阿婆 照护等级评估到期" in home


def test_pages_render_for_operator_and_bureau(operator, homes, resident, users):
    web = _web(operator)
    for url in (reverse("care_homes:institution_detail", args=[homes["own"].pk]),
                reverse("care_homes:resident_detail", args=[resident.pk]),
                reverse("care_homes:resident_new", args=[homes["own"].pk]),
                reverse("care_homes:incident_new", args=[homes["own"].pk])):
        assert web.get(url).status_code == 200, url
    response = web.post(reverse("care_homes:room_add", args=[homes["own"].pk]),
                        {"number": "201", "floor": "2", "beds": 2, "kind": "nursing"})
    assert response.status_code == 302
    detail = web.get(reverse("care_homes:institution_detail", args=[homes["own"].pk])).content.decode()
    assert "201-2" in detail and "护理床位" in detail
    bad = web.post(reverse("care_homes:resident_new", args=[homes["own"].pk]),
                   {"name": "钱", "id_number": "123", "admitted_on": str(TODAY)})
    assert bad.status_code == 422 and "身份证号码无效" in bad.content.decode()
    bureau = _web(users["bureau"])
    for url in (reverse("care_homes:institution_list"), reverse("care_homes:incident_list"),
                reverse("care_homes:institution_detail", args=[homes["other"].pk])):
        assert bureau.get(url).status_code == 200, url
    assert _web(users["committee"]).get(reverse("care_homes:institution_list")).status_code == 403


def test_api_incident_time_without_a_zone_is_beijing_time_and_absurd_years_are_422(operator, homes):
    api = _api(operator)
    url = f"/api/v1/care-homes/{homes['own'].pk}/incidents"
    naive = api.post(url, {"kind": "fall", "occurred_at": "2024-05-01T08:30:00", "description": "卫生间滑倒"},
                     content_type="application/json")
    assert naive.status_code == 201, naive.content  # was a 500: naive compared with aware
    assert naive.json()["occurred_at"].startswith("2024-05-01T08:30:00+08:00")
    far = api.post(url, {"kind": "fall", "occurred_at": "0001-01-01T00:00:00", "description": "x"},
                   content_type="application/json")
    assert far.status_code == 422 and "发生时间" in far.json()["detail"]
