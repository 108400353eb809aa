"""The adaptation's steps through the API (issue 16: "all through /api/v1,
scoped"): each step 200/201 for the right account, 403 for the wrong role,
404 outside the jurisdiction, 409 when the state does not allow it, 422 with
the Chinese reason when a rule says no; dates bounded (year 9999 is 422)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from minzheng.core.models import AuditEntry
from minzheng.home_adaptations import services
from minzheng.home_adaptations.models import Application, CatalogueItem, Contractor, Status
from minzheng.payments.models import OneOffPayment

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BASE = "/api/v1/eldercare/adaptations/applications"


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def _post(client: Client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def _refused(response, status: int, text: str = "") -> dict:
    assert response.status_code == status, response.content[:400]
    body = response.json()
    assert body["code"] and text in body["detail"], body
    return body


def _contractor(users, active: bool = True) -> Contractor:
    from stdnum.cn import uscc

    body = "91310117MA1FL0KX2" if active else "91310117MA1FL0KX3"
    contractor = services.contractor_create(actor=users["bureau"], name=f"施工队{int(active)}",
                                            uscc=body + uscc.calc_check_digit(body))
    if not active:
        Contractor.objects.filter(pk=contractor.pk).update(active=False)
    return contractor


@pytest.fixture
def elders(make_person):
    return {"ours": make_person(name="岳阳老人", committee="310117001001"),
            "theirs": make_person(name="泗泾老人", committee="310117102201")}


def test_application_create(users, elders):
    today = timezone.localdate().isoformat()
    committee = _api(users["committee"])
    created = _post(committee, BASE, {"person_id": elders["ours"].pk, "address": "岳阳某路1号", "applied_on": today})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "applied" and body["elder_name"] == "岳阳老人" and "*" in body["id_number_masked"]
    assert AuditEntry.objects.filter(action="home_adaptations.apply", object_id=str(body["id"])).exists()
    # a second open application for the same elder: the rule's Chinese reason
    _refused(_post(committee, BASE, {"person_id": elders["ours"].pk, "address": "岳阳某路1号"}), 422, "办理中")
    # another street's elder: 404; the auditor may not apply: 403
    _refused(_post(committee, BASE, {"person_id": elders["theirs"].pk, "address": "泗泾某路"}), 404)
    _refused(_post(_api(users["auditor"]), BASE, {"person_id": elders["theirs"].pk, "address": "泗泾某路"}), 403)
    # dates bounded: a future day and the year 9999 are 422, never 500
    bureau = _api(users["bureau"])
    _refused(_post(bureau, BASE, {"person_id": elders["theirs"].pk, "address": "x", "applied_on": "9999-12-31"}),
             422, "过晚")
    _refused(_post(bureau, BASE, {"person_id": elders["theirs"].pk, "address": "x", "applied_on": "1900-01-01"}),
             422, "过早")
    assert Application.objects.count() == 1


@pytest.fixture
def applications(users, elders):
    return {name: services.application_create(actor=users["bureau"], elder=person, address=f"{person.name}家")
            for name, person in elders.items()}


def test_the_steps_to_a_queued_subsidy(users, applications, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate().isoformat()
    ours, theirs = applications["ours"], applications["theirs"]
    url = f"{BASE}/{ours.pk}"
    street, committee, other = _api(users["street"]), _api(users["committee"]), _api(users["other_street"])
    contractor = _contractor(users)

    # assessment: committees do not process (403), another street's is 404, unknown items 422
    lines = {"assessed_on": today, "assessor": "评估员李", "lines": [{"item": "grab_bar", "quantity": 2},
                                                                   {"item": "anti_slip", "quantity": 5}]}
    _refused(_post(committee, f"{url}/assessment", lines), 403)
    _refused(_post(other, f"{url}/assessment", lines), 404)
    _refused(_post(street, f"{BASE}/{theirs.pk}/assessment", lines), 404)
    _refused(_post(street, f"{url}/assessment", {**lines, "lines": [{"item": "no_such", "quantity": 1}]}),
             422, "no_such")
    _refused(_post(street, f"{url}/assessment", {**lines, "lines": [{"item": "grab_bar", "quantity": 100}]}), 422)
    _refused(_post(street, f"{url}/assessment", {**lines, "assessed_on": "9999-01-01"}), 422, "过晚")
    # a step the state does not allow yet: 409
    _refused(_post(street, f"{url}/contractor", {"contractor_id": contractor.pk, "contracted_on": today}), 409)
    assessed = _post(street, f"{url}/assessment", lines)
    assert assessed.status_code == 200, assessed.content
    body = assessed.json()
    assert body["status"] == "assessed"
    assert {(line["item_code"], line["quantity"]) for line in body["lines"]} == {("grab_bar", 2), ("anti_slip", 5)}

    # contractor: an unknown one is 404, one no longer dispatched 422
    _refused(_post(street, f"{url}/contractor", {"contractor_id": 999999, "contracted_on": today}), 404)
    stopped = _contractor(users, active=False)
    _refused(_post(street, f"{url}/contractor", {"contractor_id": stopped.pk, "contracted_on": today}), 422, "停止派单")
    contracted = _post(street, f"{url}/contractor", {"contractor_id": contractor.pk, "contracted_on": today})
    assert contracted.status_code == 200 and contracted.json()["contractor"] == contractor.name

    # completion needs a photo first (422); the photo is multipart, PNG/JPEG only
    _refused(_post(street, f"{url}/completion", {"completed_on": today}), 422, "完工照片")
    pdf = street.post(f"{url}/photos", {"photo": SimpleUploadedFile("x.pdf", b"%PDF-1.4", "application/pdf")})
    _refused(pdf, 422, "PNG或JPEG")
    assert committee.post(f"{url}/photos", {"photo": SimpleUploadedFile("a.png", PNG, "image/png")}).status_code == 403
    assert other.post(f"{url}/photos", {"photo": SimpleUploadedFile("a.png", PNG, "image/png")}).status_code == 404
    photo = street.post(f"{url}/photos", {"photo": SimpleUploadedFile("完工.png", PNG, "image/png")})
    assert photo.status_code == 201 and photo.json()["content_type"] == "image/png"
    done = _post(street, f"{url}/completion", {"completed_on": today})
    assert done.status_code == 200 and done.json()["photos"] == 1

    # acceptance: only the grab bars pass; an item not assessed is 422
    _refused(_post(street, f"{url}/acceptance", {"accepted_on": today, "accepted_by": "验收员张",
                                                 "accepted_items": ["ramp"]}), 422, "ramp")
    _refused(_post(committee, f"{url}/acceptance", {"accepted_on": today, "accepted_by": "验收员张"}), 403)
    accepted = _post(street, f"{url}/acceptance", {"accepted_on": today, "accepted_by": "验收员张",
                                                   "accepted_items": ["grab_bar"]})
    assert accepted.status_code == 200, accepted.content
    assert {line["item_code"]: line["accepted"] for line in accepted.json()["lines"]} == {
        "grab_bar": True, "anti_slip": False}

    # subsidy: the bureau only (403); no share set → 参数缺失 (422); then queued; again 409
    bureau = _api(users["bureau"])
    _refused(_post(street, f"{url}/subsidy"), 403)
    _refused(_post(bureau, f"{url}/subsidy"), 422, "参数缺失")
    bar = CatalogueItem.objects.get(code="grab_bar")
    services.item_update(actor=users["bureau"], item=bar, unit_price_fen=bar.unit_price_fen, price_basis="测试价格",
                         subsidy_percent=50, subsidy_basis="测试文件")
    paid = _post(bureau, f"{url}/subsidy")
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "subsidised" and paid.json()["subsidy_fen"] == 2 * bar.unit_price_fen // 2
    assert OneOffPayment.objects.get().amount_fen == paid.json()["subsidy_fen"]
    _refused(_post(bureau, f"{url}/subsidy"), 409)


def test_reject(users, applications):
    url = f"{BASE}/{applications['ours'].pk}/reject"
    _refused(_post(_api(users["committee"]), url, {"reason": "不符合条件"}), 403)
    _refused(_post(_api(users["other_street"]), url, {"reason": "不符合条件"}), 404)
    _refused(_post(_api(users["street"]), url, {"reason": ""}), 422)
    _refused(_post(_api(users["street"]), url, {"reason": "   "}), 422, "原因")
    rejected = _post(_api(users["street"]), url, {"reason": "老人已搬离"})
    assert rejected.status_code == 200 and rejected.json()["status"] == Status.REJECTED
    _refused(_post(_api(users["street"]), url, {"reason": "老人已搬离"}), 409)


def test_catalogue_and_contractors_are_listed(users):
    _contractor(users)
    auditor = _api(users["auditor"])
    items = auditor.get("/api/v1/eldercare/adaptations/catalogue").json()
    assert "grab_bar" in {i["code"] for i in items} and all(i["subsidy_percent"] is None for i in items)
    assert [c["name"] for c in auditor.get("/api/v1/eldercare/adaptations/contractors").json()] == ["施工队1"]
    assert _api(users["advisor"]).get("/api/v1/eldercare/adaptations/catalogue").status_code == 403
