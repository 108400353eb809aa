"""Pages and API of 流浪乞讨人员救助: scope (404 outside), roles (403), bounds as
Chinese 422s never 500s, photos only as audited attachments, the figures and
their Excel export, audit labels."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import make_id_number
from minzheng.core.audit_labels import describe
from minzheng.core.models import AuditEntry
from minzheng.homeless_rescue import services
from minzheng.homeless_rescue.models import Rescue, RescuedPerson
from minzheng.homeless_rescue.tests.conftest import at

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BASE = "/assistance/homeless/"


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _when(days_ago=1, hour=9) -> str:
    return at(timezone.localdate() - dt.timedelta(days=days_ago), hour).isoformat()


@pytest.fixture
def rescue(users, kinds):
    return services.rescue_record(actor=users["street"], found_at=at(timezone.localdate() - dt.timedelta(days=2), 9),
                                  street="310117001", place="岳阳街道人民广场", finder_kind=kinds["police"],
                                  needs="热食", description="女性，约60岁，红色外套")


def test_pages_answer_by_role_and_scope(users, rescue, cold_campaign):
    street = _login(users["street"])
    for url in ("", "new/", f"{rescue.pk}/", "persons/", f"persons/{rescue.person_id}/", "campaigns/",
                f"campaigns/{cold_campaign['campaign'].pk}/", "figures/", "figures/?year=2023"):
        assert street.get(BASE + url).status_code == 200, url
    other = _login(users["other_street"])
    assert other.get(f"{BASE}{rescue.pk}/").status_code == 404
    assert other.get(f"{BASE}persons/{rescue.person_id}/").status_code == 404
    assert "红色外套" not in other.get(f"{BASE}persons/").content.decode()
    auditor = _login(users["auditor"])
    assert auditor.get(f"{BASE}{rescue.pk}/").status_code == 200
    assert auditor.get(f"{BASE}new/").status_code == 403
    for role in ("committee", "advisor"):
        assert _login(users[role]).get(BASE).status_code == 403
    assert street.get(f"{BASE}figures/?year=99999").status_code == 422
    for query in ("since=99999-01-01", "until=0001-01-01", "street=x", "campaign=99999999999999999999", "page=99999"):
        assert street.get(f"{BASE}?{query}").status_code in (200, 404), query
    assert street.get(f"{BASE}new/?person=99999999999999999999").status_code == 200
    assert street.get(f"{BASE}new/?person=999999999").status_code == 404
    assert street.post(f"{BASE}campaigns/", {"step": "warning"}).status_code == 403


def test_rescue_through_the_page_matches_an_id_number(users, kinds):
    street = _login(users["street"])
    number = make_id_number(dt.date(1975, 5, 5))
    form = {"found_at": (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "street": "310117001", "place": "松江新城站", "finder_kind": kinds["police"].pk, "needs": "返乡",
            "id_number": number, "name": "钱大勇", "sex": "M"}
    first = street.post(f"{BASE}new/", form)
    assert first.status_code == 302
    second = street.post(f"{BASE}new/", {**form, "name": ""})
    assert second.status_code == 302
    assert Rescue.objects.count() == 2 and RescuedPerson.objects.count() == 1
    bad = street.post(f"{BASE}new/", {**form, "latitude": "121.2", "longitude": "31.0"})
    assert bad.status_code == 422 and "纬度" in bad.content.decode()
    huge = street.post(f"{BASE}new/", {**form, "found_at": "99999-01-01T00:00"})
    assert huge.status_code == 422
    page = street.get(BASE).content.decode()
    assert number not in page and "钱大勇" in page


def test_api_record_service_outcome_and_bounds(users, kinds, cold_campaign):
    api = _api(users["street"])
    body = {"found_at": _when(3, 21), "street": "310117001", "place": "中山中路桥洞", "finder_kind": "patrol",
            "needs": "御寒", "description": "男性，约40岁", "latitude": "31.01", "longitude": "121.22"}
    created = _post(api, "/api/v1/homeless/rescues", body)
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["campaign_id"] == cold_campaign["campaign"].pk and out["shift_id"] == cold_campaign["shift"].pk
    rid = out["id"]
    for bad in ({"latitude": "91"}, {"longitude": "1e9"}, {"found_at": "9999-01-01T00:00:00+08:00"},
                {"finder_kind": "nobody"}, {"street": "310117102"}):
        response = _post(api, "/api/v1/homeless/rescues", {**body, **bad})
        assert response.status_code in (404, 422), (bad, response.status_code)
        assert response.status_code != 500
    assert _post(api, f"/api/v1/homeless/rescues/{rid}/services",
                 {"kind": "food", "quantity": 10**12, "given_on": str(timezone.localdate())}).status_code == 422
    assert _post(api, f"/api/v1/homeless/rescues/{rid}/services",
                 {"kind": "food", "quantity": 2, "given_on": "99999-01-01"}).status_code == 422
    ok = _post(api, f"/api/v1/homeless/rescues/{rid}/services",
               {"kind": "clothing", "quantity": 2, "given_on": str(timezone.localdate())})
    assert ok.status_code == 201 and ok.json()["services"][0]["kind_label"] == "衣被"
    done = _post(api, f"/api/v1/homeless/rescues/{rid}/outcome",
                 {"outcome": "returned_home", "on": str(timezone.localdate()), "note": "护送至江苏盐城"})
    assert done.status_code == 200 and done.json()["outcome_label"].startswith("护送返乡")
    assert _api(users["other_street"]).get(f"/api/v1/homeless/rescues/{rid}").status_code == 404
    assert _api(users["committee"]).get("/api/v1/homeless/rescues").status_code == 403
    figures = _api(users["bureau"]).get(f"/api/v1/homeless/figures?year={timezone.localdate().year}")
    assert figures.status_code == 200 and figures.json()["returned_home"] >= 1
    assert _api(users["bureau"]).get("/api/v1/homeless/figures?year=99999").status_code == 422
    detail = _api(users["street"]).get(f"/api/v1/homeless/campaigns/{cold_campaign['campaign'].pk}").json()
    assert detail["shifts"][0]["people_helped"] == 1 and detail["rescues"] == 1


def test_api_merge_then_undo(users, kinds):
    api = _api(users["street"])
    unknown = _post(api, "/api/v1/homeless/rescues", {
        "found_at": _when(50), "street": "310117001", "place": "x", "finder_kind": "police", "needs": "x",
        "description": "戴眼镜"}).json()["person_id"]
    number = make_id_number(dt.date(1980, 2, 2))
    known = _post(api, "/api/v1/homeless/rescues", {
        "found_at": _when(5), "street": "310117001", "place": "x", "finder_kind": "self_referral", "needs": "x",
        "id_number": number}).json()["person_id"]
    refused = _post(api, f"/api/v1/homeless/persons/{unknown}/identify", {"id_number": number})
    assert refused.status_code == 422 and "合并" in refused.json()["detail"]
    merge = _post(api, f"/api/v1/homeless/persons/{known}/merge", {"duplicate_id": unknown, "reason": "本人确认"})
    assert merge.status_code == 201 and merge.json()["rescues_moved"] == 1
    person = api.get(f"/api/v1/homeless/persons/{known}").json()
    assert person["rescue_count"] == 2 and person["identity"] == "identified"
    assert api.get(f"/api/v1/homeless/persons/{unknown}").json()["merged_into"] == known
    undo = _post(api, f"/api/v1/homeless/merges/{merge.json()['id']}/undo", {"reason": "弄错了"})
    assert undo.status_code == 200 and undo.json()["undone_at"]
    assert api.get(f"/api/v1/homeless/persons/{known}").json()["rescue_count"] == 1


def test_photo_is_an_audited_attachment(users, rescue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    street = _login(users["street"])
    gif = street.post(f"{BASE}persons/{rescue.person_id}/photo/",
                      {"photo": io.BytesIO(b"GIF89a")}, follow=True)
    assert "PNG或JPEG" in gif.content.decode()
    upload = io.BytesIO(PNG)
    upload.name = "face.png"
    street.post(f"{BASE}persons/{rescue.person_id}/photo/", {"photo": upload})
    photo = rescue.person.photos.get()
    response = street.get(f"{BASE}photos/{photo.pk}/download/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream" and b"".join(response.streaming_content) == PNG
    assert AuditEntry.objects.filter(action="homeless_rescue.photo_download").count() == 1
    assert _login(users["other_street"]).get(f"{BASE}photos/{photo.pk}/download/").status_code == 404
    api = _api(users["bureau"]).get(f"/api/v1/homeless/photos/{photo.pk}/download")
    assert api.status_code == 200 and api["Content-Disposition"].startswith("attachment") and api.content == PNG
    assert _api(users["other_street"]).get(f"/api/v1/homeless/photos/{photo.pk}/download").status_code == 404


def test_figures_by_month_and_street_and_the_export(users, kinds):
    year = timezone.localdate().year - 1
    for month, street, actor in ((1, "310117001", "street"), (1, "310117001", "street"), (7, "310117102", "other_street")):
        services.rescue_record(actor=users[actor], found_at=at(dt.date(year, month, 10)), street=street, place="x",
                               finder_kind=kinds["police"], needs="x", description="x")
    bureau = _login(users["bureau"])
    page = bureau.get(f"{BASE}figures/?year={year}")
    assert page.status_code == 200
    f = page.context["f"]
    assert f.total == 3 and f.by_month[0] == 2 and f.by_month[6] == 1 and f.by_street["310117102"] == 1
    street_view = _login(users["street"]).get(f"{BASE}figures/?year={year}").context["f"]
    assert street_view.total == 2
    xlsx = bureau.get(f"{BASE}figures/?year={year}&format=xlsx")
    assert xlsx["Content-Disposition"].startswith("attachment")
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()]
    assert rows[1][:3] == ["街镇", "1月", "2月"]
    assert next(r for r in rows if r[0] == "合计")[1:] == [2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 3]
    export = bureau.get(f"{BASE}?_export=xlsx")
    assert export.status_code == 200
    report = _login(users["bureau"]).get(f"{BASE}figures/?year=2023").content.decode()
    assert "366" in report


def test_every_write_is_audited_with_labels(users, rescue, cold_campaign, kinds):
    services.service_give(actor=users["street"], rescue=rescue, kind=kinds["food"], quantity=1,
                          given_on=timezone.localdate())
    services.outcome_record(actor=users["street"], rescue=rescue, outcome="placed", on=timezone.localdate(),
                            note="送区救助管理站")
    services.outcome_record(actor=users["street"], rescue=rescue, outcome="left", on=timezone.localdate())
    services.shift_report(actor=users["street"], shift=cold_campaign["shift"], people_met=2, people_refused=1)
    entries = AuditEntry.objects.filter(action__startswith="homeless_rescue.")
    assert {e.action for e in entries} >= {"homeless_rescue.rescue_record", "homeless_rescue.service_give",
                                            "homeless_rescue.outcome_record", "homeless_rescue.warning_record",
                                            "homeless_rescue.campaign_create", "homeless_rescue.shift_create",
                                            "homeless_rescue.shift_report"}
    for entry in entries:
        line = describe(entry)
        assert line.what != "其他操作" and not line.record.startswith("记录"), entry.action
        assert all(label != "其他内容" for label, _ in line.changes), (entry.action, entry.changes)
        text = " ".join(v for _, v in line.changes)
        assert "returned_home" not in text and "cold_wave" not in text and "in_care" not in text


def test_the_special_groups_board_shows_rescues_by_street(users, rescue):
    page = _login(users["street"]).get(reverse("special_groups"))
    text = page.content.decode()
    assert page.status_code == 200 and "流浪乞讨人员救助" in text and "岳阳街道" in text
    committee = _login(users["committee"]).get(reverse("special_groups"))
    assert committee.status_code == 200 and "流浪乞讨人员救助（" not in committee.content.decode()
