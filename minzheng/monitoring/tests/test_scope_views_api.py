"""Scope: street, committee and advisor users see only theirs, in the UI and
the API (out of scope → 404); the workspace services; the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.core.tests.web import logged_in
from minzheng.jobs.services import jobs_run_queued
from minzheng.monitoring.models import ExitReview, ExitStatus, FollowUpTask, Lead, LeadStatus
from minzheng.monitoring.monitor_runs import monitor_run_month
from minzheng.monitoring.tests.conftest import MONTH, RUN_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(crafted):
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    return crafted


def _api(username: str) -> tuple[Client, dict]:
    client = Client()
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    return client, {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.mark.parametrize("username, sees_c1, sees_c2, sees_c3", [
    ("bureau", True, True, True), ("auditor", True, True, True), ("street", True, True, False),
    ("other_street", False, False, True), ("committee", True, False, False), ("advisor", True, False, False),
])
def test_each_role_sees_only_its_leads_in_ui_and_api(ran, users, username, sees_c1, sees_c2, sees_c3):
    client = logged_in(users[username])
    api, auth = _api(username)
    for committee, visible in (("310117001001", sees_c1), ("310117001002", sees_c2), ("310117102201", sees_c3)):
        for lead in Lead.objects.filter(committee_id=committee):
            assert client.get(f"/monitoring/leads/{lead.pk}/").status_code == (200 if visible else 404)
            assert api.get(f"/api/v1/monitoring/leads/{lead.pk}", **auth).status_code == (200 if visible else 404)
    listed = {item["committee"] for item in api.get("/api/v1/monitoring/leads", **auth).json()["items"]}
    expected = {c for c, v in (("310117001001", sees_c1), ("310117001002", sees_c2), ("310117102201", sees_c3)) if v}
    assert listed == expected


def test_advisor_closes_a_lead_through_the_api_and_auditor_cannot(ran, users):
    lead = Lead.objects.get(program="dibao", household=ran.h_poor)
    api, auth = _api("auditor")
    assert api.post(f"/api/v1/monitoring/leads/{lead.pk}/outcome", {"outcome": "declined", "reason": "x"},
                    content_type="application/json", **auth).status_code == 403
    api, auth = _api("advisor")
    refused = api.post(f"/api/v1/monitoring/leads/{lead.pk}/outcome", {"outcome": "declined"},
                       content_type="application/json", **auth)
    assert refused.status_code == 422 and "请填写原因" in refused.json()["detail"]
    done = api.post(f"/api/v1/monitoring/leads/{lead.pk}/outcome", {"outcome": "declined", "reason": "本人不愿申请"},
                    content_type="application/json", **auth)
    assert done.status_code == 200 and done.json()["status"] == LeadStatus.CLOSED
    other = Lead.objects.get(program="dibao", household=ran.h_far)
    assert api.post(f"/api/v1/monitoring/leads/{other.pk}/outcome", {"outcome": "declined", "reason": "x"},
                    content_type="application/json", **auth).status_code == 404


def test_a_visit_stops_escalation_and_tasks_complete(ran, users):
    lead = Lead.objects.get(program="dibao", household=ran.h_poor)
    api, auth = _api("advisor")
    response = api.post("/api/v1/monitoring/visits", {"household_id": ran.h_poor.pk, "lead_id": lead.pk,
                                                      "visited_on": "2025-08-25", "visitors": "王顾问",
                                                      "findings": "独居，收入低"}, content_type="application/json", **auth)
    assert response.status_code == 201  # a visit record is created
    lead.refresh_from_db()
    assert lead.first_action_on == dt.date(2025, 8, 25)
    from minzheng.monitoring.monitor_runs import monitor_escalate

    monitor_escalate(actor="test", today=dt.date(2025, 12, 1))
    lead.refresh_from_db()
    assert not lead.escalated
    task = FollowUpTask.objects.get()
    done = api.post(f"/api/v1/monitoring/tasks/{task.pk}/complete", {"result": "已走访，协助申请医疗救助"},
                    content_type="application/json", **auth)
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_street_confirms_an_exit_which_terminates_the_enrolment(ran, users):
    review = ExitReview.objects.get()
    api, auth = _api("committee")
    assert api.post(f"/api/v1/monitoring/exits/{review.pk}/resolve", {"exit_benefit": True, "resolution": "x"},
                    content_type="application/json", **auth).status_code == 404  # 乐都 is not the committee's
    api, auth = _api("street")
    response = api.post(f"/api/v1/monitoring/exits/{review.pk}/resolve",
                        {"exit_benefit": True, "resolution": "收入已超过标准", "effective_month": "2025-09"},
                        content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["status"] == ExitStatus.EXITED
    ran.rich_enrolment.refresh_from_db()
    assert ran.rich_enrolment.status == "terminated" and ran.rich_enrolment.end_month == "2025-08"


def test_labels_services_and_escalated_list_for_the_street(ran, users):
    client = logged_in(users["advisor"])
    url = f"/monitoring/households/{ran.h_poor.pk}/"
    client.post(url, {"form": "label", "label": "elderly_alone", "note": ""})
    client.post(url, {"form": "service", "kind": "referral", "served_on": "2025-08-26", "provider": "慈善超市",
                      "description": "转介慈善超市领取物资"})
    page = client.get(url).content.decode()
    assert "独居老人" in page and "转介慈善超市领取物资" in page
    assert client.get(f"/monitoring/households/{ran.h_far.pk}/").status_code == 404
    from minzheng.monitoring.monitor_runs import monitor_escalate

    monitor_escalate(actor="test", today=dt.date(2025, 12, 1))
    street_page = logged_in(users["street"]).get("/monitoring/my/").content.decode()
    assert "超期上报街镇" in street_page and "已上报街镇" in street_page


def test_dashboard_counts_by_street_and_the_summary_sentence(ran, users):
    page = logged_in(users["bureau"]).get("/monitoring/").content.decode()
    assert "全区低保对象1人" in page and "老年综合津贴对象1人" in page
    assert "岳阳街道" in page and "vendor/echarts.min.js" in page
    street_page = logged_in(users["street"]).get("/monitoring/").content.decode()
    assert "泗泾镇" not in street_page.split('id="by-street"')[1].split("</table>")[0]
    for name in ("my_work", "lead_list", "task_list", "exit_list", "edge_list", "notice_list", "advisors"):
        from django.urls import reverse

        assert logged_in(users["advisor"]).get(reverse(f"monitoring:{name}")).status_code == 200


def test_bureau_triggers_a_run_through_the_api_and_others_cannot(ran, users):
    api, auth = _api("street")
    assert api.post("/api/v1/monitoring/runs", {"month": MONTH, "reuse_batch": True},
                    content_type="application/json", **auth).status_code == 403
    api, auth = _api("bureau")
    response = api.post("/api/v1/monitoring/runs", {"month": MONTH, "reuse_batch": True},
                        content_type="application/json", **auth)
    assert response.status_code == 202 and response.json()["status_url"].startswith("/api/v1/jobs/")  # queued
    assert jobs_run_queued() == 1
    job = api.get(response.json()["status_url"], **auth).json()
    assert job["status"] == "succeeded", job  # a run is created
    assert len(api.get("/api/v1/monitoring/runs", **auth).json()) == 2
    # the 1700-yuan household and (earned-income disregard, rules revision 2026-11-30) the employed earner's
    assert api.get("/api/v1/monitoring/edge", **auth).json()["total"] == 2


@pytest.mark.parametrize("url", ["/api/v1/monitoring/leads", "/api/v1/monitoring/tasks", "/api/v1/monitoring/edge",
                                 "/api/v1/monitoring/exits", "/api/v1/monitoring/notices"])
def test_api_lists_refuse_negative_paging(ran, users, url):
    api, auth = _api("street")
    assert api.get(url + "?offset=-1", **auth).status_code == 422
    assert api.get(url + "?limit=-1", **auth).status_code == 422
    assert api.get(url + "?offset=0&limit=5", **auth).status_code == 200


@pytest.mark.parametrize("data", [{"form": "label_remove", "label": "abc"}, {"form": "label_remove"},
                                  {"form": "label_remove", "label": ""}])
def test_label_remove_with_a_bad_id_is_404(ran, users, data):
    response = logged_in(users["advisor"]).post(f"/monitoring/households/{ran.h_poor.pk}/", data)
    assert response.status_code == 404


@pytest.mark.parametrize("data", [{"form": "end", "assignment": "abc"}, {"form": "end"}])
def test_ending_an_assignment_with_a_bad_id_is_404(ran, users, data):
    response = logged_in(users["street"]).post("/monitoring/advisors/", data)
    assert response.status_code == 404
