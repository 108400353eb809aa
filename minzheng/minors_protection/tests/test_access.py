"""Who sees a case (ADR 0036 § access): the assigned staff and the office only;
everyone else 404 on the page and in the API, lists show only visible cases
with names and ID numbers masked, every view audited."""

from __future__ import annotations

import pytest
from django.test import Client

from minzheng.core.models import AuditEntry
from minzheng.minors_protection import selectors, services
from minzheng.minors_protection.models import CaseAssignment

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _views(case, action="minors.case_view"):
    return list(AuditEntry.objects.filter(action=action, object_type="MinorsCase", object_id=str(case.pk))
                .values_list("actor", flat=True))


def test_the_station_head_is_assigned_at_the_report_and_the_reporter_is_not(case, office):
    assert list(CaseAssignment.objects.filter(case=case).values_list("user__username", "lead")) == [("street", True)]
    assert case.station.name == "岳阳街道未成年人保护工作站"
    assert not selectors.may_see(office["committee"], case)
    assert selectors.may_see(office["street"], case) and selectors.may_see(office["bureau"], case)


@pytest.mark.parametrize("who", ["committee", "committee2", "bureau2", "other_street"])
def test_anyone_not_assigned_and_not_in_the_office_gets_404_on_page_and_api(case, office, who):
    client = _client(office[who])
    assert client.get(f"/minors/cases/{case.pk}/").status_code == 404
    response = client.get(f"/api/v1/minors/cases/{case.pk}")
    assert response.status_code == 404 and response.json()["detail"] == "未找到该记录"
    assert "王小明" not in response.content.decode()
    assert _views(case) == []
    assert _views(case, "minors.case_view_refused") == [who, who]  # the refused looks are on the trail
    # a POST to work the case is refused the same way
    assert client.post(f"/minors/cases/{case.pk}/assess/", {"risk_level": "low", "assessment": "x"}).status_code == 404
    assert client.get("/minors/").status_code == 200
    assert client.get("/api/v1/minors/cases").json()["count"] == 0


def test_a_missing_case_is_404_and_leaves_no_refusal_entry(office):
    assert _client(office["committee"]).get("/minors/cases/999999/").status_code == 404
    assert not AuditEntry.objects.filter(action="minors.case_view_refused").exists()


def test_the_assigned_staff_and_an_office_member_see_it_and_every_view_is_audited(case, office):
    page = _client(office["street"]).get(f"/minors/cases/{case.pk}/")
    assert page.status_code == 200 and "王小明" in page.content.decode()
    api = _client(office["bureau"]).get(f"/api/v1/minors/cases/{case.pk}")
    assert api.status_code == 200 and api.json()["child_name"] == "王小明"
    assert api.json()["assigned"] == [{"username": "street", "name": "street", "lead": True}]
    assert _views(case) == ["street", "bureau"]
    entry = AuditEntry.objects.filter(action="minors.case_view").last()
    assert entry.changes == {"case_number": case.number, "purpose": "接口查阅个案"}  # the case, never the child


def test_assignment_grants_access_and_ending_it_takes_it_away(case, office):
    client = _client(office["committee2"])
    assert client.get(f"/minors/cases/{case.pk}/").status_code == 404
    assignment = services.case_assign(actor=office["bureau"], case=case, user=office["committee2"])
    assert client.get(f"/minors/cases/{case.pk}/").status_code == 200
    assert client.get(f"/api/v1/minors/cases/{case.pk}").status_code == 200
    assert client.get("/api/v1/minors/cases").json()["count"] == 1
    services.case_unassign(actor=office["bureau"], assignment=assignment)
    assert client.get(f"/minors/cases/{case.pk}/").status_code == 404


def test_only_office_members_assign_and_only_staff_covering_the_child(case, office, district):
    from minzheng.core.scope import OutOfScope

    with pytest.raises(OutOfScope):
        services.case_assign(actor=office["bureau2"], case=case, user=office["committee2"])
    with pytest.raises(services.ValidationError, match="只能指派"):
        services.case_assign(actor=office["bureau"], case=case, user=office["other_street"])
    response = _client(office["bureau"]).post(f"/api/v1/minors/cases/{case.pk}/assignments",
                                              {"username": "committee2"}, content_type="application/json")
    assert response.status_code == 201
    again = _client(office["bureau"]).post(f"/api/v1/minors/cases/{case.pk}/assignments",
                                           {"username": "committee2"}, content_type="application/json")
    assert again.status_code == 409


def test_the_office_is_kept_by_a_bureau_user_and_membership_grants_access(case, office):
    client = _client(office["bureau2"])
    assert client.get(f"/minors/cases/{case.pk}/").status_code == 404
    response = _client(office["bureau"]).post("/minors/office/members/", {"user": office["bureau2"].pk})
    assert response.status_code == 302
    assert _client(office["bureau2"]).get(f"/minors/cases/{case.pk}/").status_code == 200
    # only bureau accounts may join; a street user may not manage the office
    with pytest.raises(services.ValidationError):
        services.office_member_add(actor=office["bureau"], user=office["committee"])
    assert _client(office["street"]).post("/minors/office/members/", {"user": office["street"].pk}).status_code == 403


def test_lists_mask_names_and_id_numbers(case, office, child):
    page = _client(office["bureau"]).get("/minors/").content.decode()
    assert case.number in page and "王*明" in page and "王小明" not in page
    assert child.id_number_masked in page
    row = _client(office["bureau"]).get("/api/v1/minors/cases").json()["results"][0]
    assert row["child_name_masked"] == "王*明" and row["id_number_masked"] == child.id_number_masked
    assert "王小明" not in str(row)


@pytest.mark.parametrize("who", ["auditor", "advisor"])
def test_roles_that_never_work_cases_are_refused_403(case, office, who):
    client = _client(office[who])
    assert client.get("/minors/").status_code == 403
    assert client.get(f"/minors/cases/{case.pk}/").status_code == 403
    assert client.get(f"/api/v1/minors/cases/{case.pk}").status_code == 403


def test_the_overview_counts_for_office_members_only_without_personal_data(case, office):
    page = _client(office["bureau"]).get("/minors/overview/")
    text = page.content.decode()
    assert page.status_code == 200 and "王小明" not in text and "王*明" not in text and case.number not in text
    api = _client(office["bureau"]).get("/api/v1/minors/overview").json()
    assert api["reported"] == 1 and api["open"] == 1
    assert {s["street_name"]: s["reported"] for s in api["streets"] if s["reported"]} == {"岳阳街道": 1}
    assert [k["cases"] for k in api["kinds"] if k["kind"] == "guardianship"] == [1]
    assert _client(office["bureau2"]).get("/minors/overview/").status_code == 403
    assert _client(office["street"]).get("/api/v1/minors/overview").status_code == 403


def test_stations_are_read_in_jurisdiction(station, office):
    assert _client(office["auditor"]).get("/minors/stations/").status_code == 200
    assert _client(office["committee"]).get(f"/minors/stations/{station.pk}/").status_code == 200
    assert _client(office["other_street"]).get(f"/minors/stations/{station.pk}/").status_code == 404
    names = [s["name"] for s in _client(office["street"]).get("/api/v1/minors/stations").json()]
    assert names == ["岳阳街道未成年人保护工作站"]


def test_the_inbox_lists_only_visible_cases_waiting_for_assessment(case, office):
    head = _client(office["street"]).get("/").content.decode()
    assert "未成年人保护个案：待评估" in head and f"{case.number} 王*明" in head and "王小明" not in head
    assert case.number not in _client(office["committee2"]).get("/").content.decode()
    assert case.number not in _client(office["bureau2"]).get("/").content.decode()
    services.case_assess(actor=office["street"], case=case, risk_level="low", assessment="已核实")
    assert case.number not in _client(office["street"]).get("/").content.decode()


def test_the_excel_export_is_masked_and_audited(case, office):
    import io

    from openpyxl import load_workbook

    response = _client(office["bureau"]).get("/minors/?_export=xlsx")
    assert response.status_code == 200
    cells = [str(c.value) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    assert "王*明" in cells and "王小明" not in cells and case.number in cells
    assert AuditEntry.objects.filter(action="core.list.export", object_id="未成年人保护个案").exists()
