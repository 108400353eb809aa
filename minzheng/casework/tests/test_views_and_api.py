"""Pages and API: scope 404s, masking on the notice page, the PDF downloads,
steps through the UI and the API, auditors read only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minzheng.casework.models import Status
from minzheng.casework.tests.conftest import walk
from minzheng.core.tests.web import logged_in
from minzheng.registry import services as registry

D = dt.date


def _api(client: Client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def enrolled(users, new_case):
    return walk(new_case(), users, Status.ENROLLED)


@pytest.mark.django_db
@pytest.mark.parametrize("username, visible", [("street", True), ("committee", True), ("bureau", True),
                                               ("auditor", True), ("other_street", False)])
def test_ui_pages_are_scoped(users, enrolled, username, visible):
    client = logged_in(users[username])
    enrolment = enrolled.enrolments.get()
    letter = enrolled.letters.get()
    urls = [f"/cases/{enrolled.pk}/", f"/cases/{enrolled.pk}/archive/", f"/cases/{enrolled.pk}/letters/{letter.pk}.pdf",
            f"/cases/enrolments/{enrolment.pk}/", "/cases/notices/310117001001/", "/cases/notices/310117001001.pdf"]
    for url in urls:
        assert client.get(url).status_code == (200 if visible else 404), url
    listing = client.get("/cases/").content.decode()
    assert (enrolled.number in listing) == visible
    # a household enrolment is shown by its household (head's name), not as the head's own enrolment
    enrolments = client.get("/cases/enrolments/").content.decode()
    assert ("张小明家" in enrolments) == visible
    assert reverse("registry:person_detail", args=[enrolled.applicant_id]) not in enrolments
    assert not re.search(r"家庭 \d", enrolments)


@pytest.mark.django_db
def test_ui_steps_out_of_scope_are_404_and_nothing_changes(users, new_case):
    application = new_case()
    client = logged_in(users["other_street"])
    assert client.post(f"/cases/{application.pk}/act/accept/").status_code == 404
    assert client.post(f"/cases/{application.pk}/documents/").status_code == 404
    application.refresh_from_db()
    assert application.status == Status.APPLIED


@pytest.mark.django_db
def test_notice_page_masks_and_pdf_downloads(users, new_case):
    application = walk(new_case(), users, Status.IN_NOTICE)
    client = logged_in(users["street"])
    page = client.get("/cases/notices/310117001001/?on=2025-09-16").content.decode()
    assert "张*明" in page and "张小明" not in page
    assert "310117***********" in page and application.applicant.id_number_masked in page
    pdf = client.get("/cases/notices/310117001001.pdf?on=2025-09-16")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "谷阳居委会" in client.get("/cases/notices/?on=2025-09-16").content.decode()


@pytest.mark.django_db
def test_case_page_shows_only_the_users_next_steps(users, new_case):
    application = walk(new_case(), users, Status.VERIFIED)
    committee_page = logged_in(users["committee"]).get(f"/cases/{application.pk}/").content.decode()
    assert 'id="action-visit"' in committee_page
    auditor_page = logged_in(users["auditor"]).get(f"/cases/{application.pk}/").content.decode()
    assert 'id="action-' not in auditor_page and "您当前没有可办理的环节" in auditor_page


@pytest.mark.django_db
def test_intake_through_the_form_with_a_document(users, family):
    client = logged_in(users["committee"])
    page = client.get(f"/cases/new/?household={family.household.pk}").content.decode()
    assert "张小明" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/cases/new/", {
        "household": family.household.pk, "applicant": family.head.pk, "program": "dibao", "note": "失业",
        "document_kind": "申请书", "documents": [SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 x")]})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "申请书.pdf" in detail and "已申请" in detail
    # a refused step shows the Chinese reason
    response = client.post(response["Location"] + "act/accept/", follow=True)
    assert "“受理”环节应由街镇工作人员办理" in response.content.decode()
    # a household out of scope is 404
    assert logged_in(users["other_street"]).get(f"/cases/new/?household={family.household.pk}").status_code == 404
    assert logged_in(users["auditor"]).get("/cases/new/").status_code == 403


@pytest.mark.django_db
def test_list_counts_and_query_count(users, new_case, make_person):
    for i in range(5):
        person = make_person(f"测试{i}号", D(1970, 1, 1 + i))
        household = registry.household_create(actor=users["bureau"], head=person, address=f"谷阳路{i}号")
        new_case_for = __import__("minzheng.casework.services", fromlist=["x"]).application_create
        new_case_for(actor=users["committee"], household=household, applicant=person, program="dibao",
                     applied_on=D(2025, 9, 1))
    client = logged_in(users["street"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cases/?overdue=1")
    assert response.status_code == 200
    assert 'id="overdue-count">5<' in response.content.decode()
    assert len(queries) <= 12


@pytest.mark.django_db
def test_api_flow_scope_and_roles(users, family, client):
    committee, street, bureau = _api(client, "committee"), _api(client, "street"), _api(client, "bureau")
    # committee creates an application through the API
    response = client.post("/api/v1/applications", {"household_id": family.household.pk, "applicant_id": family.head.pk,
                                                   "program": "dibao"}, content_type="application/json", **committee)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["applicant_id_number"].startswith("310117***********")
    # other street: 404 for detail and transitions; auditor: 403 for a step
    other = _api(client, "other_street")
    assert client.get(f"/api/v1/applications/{pk}", **other).status_code == 404
    assert client.post(f"/api/v1/applications/{pk}/transitions", {"action": "accept"},
                       content_type="application/json", **other).status_code == 404
    assert client.post(f"/api/v1/applications/{pk}/transitions", {"action": "accept"},
                       content_type="application/json", **_api(client, "auditor")).status_code == 403
    # a step the case's status does not allow is a 409 (state conflict) with the Chinese reason
    response = client.post(f"/api/v1/applications/{pk}/transitions", {"action": "verify", "fields": {
        "verification_reference": "HD-1"}}, content_type="application/json", **street)
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert "不能办理“核对”" in response.json()["problems"][0]["message"]
    # the street accepts
    response = client.post(f"/api/v1/applications/{pk}/transitions", {"action": "accept"},
                           content_type="application/json", **street)
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert [s["label"] for s in response.json()["steps"]] == ["申请", "受理"]
    listing = client.get("/api/v1/applications?status=accepted", **bureau).json()
    assert listing["count"] == 1
    assert client.get("/api/v1/applications", **other).json()["count"] == 0


@pytest.mark.django_db
def test_api_notices_objections_enrolments(users, new_case, client):
    application = walk(new_case(), users, Status.IN_NOTICE)
    committee, street = _api(client, "committee"), _api(client, "street")
    rows = client.get("/api/v1/notices?committee=310117001001&on=2025-09-16", **committee).json()
    assert rows[0]["name"] == "张*明"
    assert client.get("/api/v1/notices?committee=310117001001", **_api(client, "other_street")).status_code == 404
    response = client.post(f"/api/v1/applications/{application.pk}/objections",
                           {"content": "有私家车", "received_on": "2025-09-16"}, content_type="application/json",
                           **committee)
    assert response.status_code == 201
    objection_id = response.json()["id"]
    assert client.post(f"/api/v1/objections/{objection_id}/resolve", {"upheld": False, "resolution": "已核实"},
                       content_type="application/json", **committee).status_code == 403
    assert client.post(f"/api/v1/objections/{objection_id}/resolve", {"upheld": False, "resolution": "已核实"},
                       content_type="application/json", **street).json()["resolved_on"]
    walk(application, users, Status.ENROLLED)
    enrolments = client.get("/api/v1/enrolments", **street).json()
    assert len(enrolments) == 1 and enrolments[0]["monthly_amount_fen"] == 270000
    assert client.get(f"/api/v1/enrolments/{enrolments[0]['id']}", **_api(client, "other_street")).status_code == 404
    response = client.post(f"/api/v1/enrolments/{enrolments[0]['id']}/suspend",
                           {"reason": "待核实", "effective_month": "2026-01"}, content_type="application/json", **street)
    assert response.json()["status"] == "suspended"


@pytest.mark.django_db
def test_intake_with_an_empty_document_stores_nothing_and_can_be_resubmitted(users, family):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minzheng.casework.models import Application, CaseDocument

    client = logged_in(users["committee"])
    data = {"household": family.household.pk, "applicant": family.head.pk, "program": "dibao", "note": "失业",
            "document_kind": "申请书"}
    # an empty file among the documents: refused in Chinese, nothing stored
    response = client.post("/cases/new/", {**data, "documents": [SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 x"),
                                                                  SimpleUploadedFile("空.pdf", b"")]})
    assert response.status_code == 200 and "上传的文件为空" in response.content.decode()
    assert not Application.objects.exists() and not CaseDocument.objects.exists()
    # resubmitting with good files is accepted (not refused as a duplicate)
    response = client.post("/cases/new/", {**data, "documents": [SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 x")]})
    assert response.status_code == 302
    assert Application.objects.count() == 1 and CaseDocument.objects.count() == 1


@pytest.mark.django_db
def test_document_audit_keeps_no_file_name(users, family):
    from minzheng.casework import services
    from minzheng.core.models import AuditEntry

    name = "张小明310117198005170011身份证.jpg"
    application = services.application_intake(
        actor=users["committee"], household=family.household, applicant=family.head, program="dibao",
        documents=[services.DocumentUpload("申请书", name, b"jpeg bytes")])
    document = application.documents.get()
    assert document.original_name == name  # staff still see the original name
    entry = AuditEntry.objects.get(action="application.document_attach")
    assert "张小明" not in str(entry.changes) and "310117198005170011" not in str(entry.changes)
    assert entry.changes["file_type"] == "jpg" and entry.changes["sha256"] == document.sha256


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/applications?offset=-1", "/api/v1/applications?limit=-5",
                                 "/api/v1/enrolments?offset=-1", "/api/v1/enrolments?limit=0"])
def test_api_lists_refuse_negative_paging(users, client, url):
    assert client.get(url, **_api(client, "street")).status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("agree", [[], {}, ["1"], {"a": 1}, None, 2.5])
def test_api_transition_with_a_non_scalar_agree_is_422(users, new_case, client, agree):
    application = walk(new_case(), users, Status.VISITED)
    response = client.post(f"/api/v1/applications/{application.pk}/transitions",
                           {"action": "street_review", "fields": {"agree": agree, "reasons": "符合条件"}},
                           content_type="application/json", **_api(client, "street"))
    assert response.status_code == 422
    assert "请选择审核意见" in response.json()["problems"][0]["message"]
    application.refresh_from_db()
    assert application.status == Status.VISITED
