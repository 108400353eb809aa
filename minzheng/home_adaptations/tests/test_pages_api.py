"""Adaptation pages and API: scope (404 outside), the steps through the page, the export masks IDs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from minzheng.home_adaptations import services
from minzheng.home_adaptations.models import CatalogueItem, Status

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


@pytest.fixture
def apps_(users, make_person):
    ours = make_person(name="岳阳申请人", birth=dt.date(1944, 1, 1))
    theirs = make_person(name="泗泾申请人", birth=dt.date(1944, 2, 1), committee="310117102201")
    return {
        "ours": services.application_create(actor=users["bureau"], elder=ours, address="岳阳某路"),
        "theirs": services.application_create(actor=users["bureau"], elder=theirs, address="泗泾某路"),
    }


def test_scope_on_pages_and_api(users, apps_):
    ours, theirs = apps_["ours"], apps_["theirs"]
    committee = _login(users["committee"])
    listing = committee.get("/eldercare/adaptations/").content.decode()
    assert "岳阳申请人" in listing and "泗泾申请人" not in listing
    assert committee.get(f"/eldercare/adaptations/{ours.pk}/").status_code == 200
    assert committee.get(f"/eldercare/adaptations/{theirs.pk}/").status_code == 404
    assert _login(users["other_street"]).get(f"/eldercare/adaptations/{ours.pk}/").status_code == 404
    for url in ("/eldercare/adaptations/catalogue/", "/eldercare/adaptations/progress/",
                "/eldercare/adaptations/new/"):
        assert committee.get(url).status_code == 200, url
    assert _api(users["street"]).get(f"/api/v1/eldercare/adaptations/applications/{theirs.pk}").status_code == 404
    body = _api(users["street"]).get("/api/v1/eldercare/adaptations/applications").json()
    assert [r["number"] for r in body["results"]] == [ours.number]
    progress = _api(users["bureau"]).get("/api/v1/eldercare/adaptations/progress/2024").json()
    assert progress["target_households"] == 300


def test_steps_through_the_pages(users, apps_, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    ours = apps_["ours"]
    street = _login(users["street"])
    base = f"/eldercare/adaptations/{ours.pk}"
    bar = CatalogueItem.objects.get(code="grab_bar")
    today = timezone.localdate().isoformat()
    street.post(f"{base}/assess/", {f"qty_{bar.pk}": "2", "on": today, "assessor": "评估员"})
    services.contractor_create(actor=users["bureau"], name="测试施工队", uscc="91310117MA1FL0KX2" + __import__(
        "stdnum.cn.uscc", fromlist=["x"]).calc_check_digit("91310117MA1FL0KX2"))
    from minzheng.home_adaptations.models import Contractor

    street.post(f"{base}/contract/", {"contractor": Contractor.objects.get().pk, "on": today})
    from django.core.files.uploadedfile import SimpleUploadedFile

    street.post(f"{base}/photo/", {"photo": SimpleUploadedFile("完工.png", PNG, content_type="image/png")})
    street.post(f"{base}/complete/", {"on": today})
    street.post(f"{base}/accept/", {"on": today, "accepted_by": "验收员", "line": [ours.lines.get().pk]})
    ours.refresh_from_db()
    assert ours.status == Status.ACCEPTED
    page = _login(users["bureau"]).get(f"{base}/").content.decode()
    assert "参数缺失" in page
    photo = ours.photos.get()
    assert street.get(f"/eldercare/adaptations/photos/{photo.pk}/").status_code == 200
    assert _login(users["other_street"]).get(f"/eldercare/adaptations/photos/{photo.pk}/").status_code == 404
    export = street.get("/eldercare/adaptations/", {"_export": "xlsx"})
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    assert rows[0][2] == "身份证号" and "*" in rows[1][2]
