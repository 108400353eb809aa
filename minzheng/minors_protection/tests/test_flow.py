"""The case from report to closure, the assessment deadlines (the bureau's
setting) and the rules at their edges (ADR 0036)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from minzheng.core.errors import StateConflict
from minzheng.core.models import AuditEntry
from minzheng.core.scope import OutOfScope
from minzheng.minors_protection import selectors, services
from minzheng.minors_protection.models import AssessmentDeadline, CaseStatus
from minzheng.minors_protection.reference import BUREAU_SETTING

from .conftest import kinds

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_flow_to_closure(case, office):
    head, today = office["street"], timezone.localdate()
    with pytest.raises(StateConflict, match="请先完成评估"):
        services.measure_record(actor=head, case=case, kind="family_visit", taken_on=today, detail="上门")
    with pytest.raises(StateConflict, match="请先完成评估"):
        services.case_close(actor=head, case=case, reason="resolved", closed_on=today)
    services.case_assess(actor=head, case=case, risk_level="medium", assessment="监护不当，需家访和监护指导")
    with pytest.raises(StateConflict, match="已评估"):
        services.case_assess(actor=head, case=case, risk_level="low", assessment="再评")
    visit = services.measure_record(actor=head, case=case, kind="family_visit", taken_on=today, detail="上门了解情况")
    with pytest.raises(ValidationError, match="接收单位"):
        services.measure_record(actor=head, case=case, kind="police", taken_on=today, detail="报警")
    police = services.measure_record(actor=head, case=case, kind="police", taken_on=today, detail="转介派出所",
                                     agency="岳阳派出所")
    services.measure_outcome_record(actor=head, measure=visit, outcome="父母承诺安排照料", outcome_on=today)
    with pytest.raises(ValidationError, match="转介公安机关"):
        services.case_close(actor=head, case=case, reason="resolved", closed_on=today)
    services.measure_outcome_record(actor=head, measure=police, outcome="已出具告诫书", outcome_on=today)
    with pytest.raises(StateConflict):
        services.measure_outcome_record(actor=head, measure=police, outcome="again", outcome_on=today)
    with pytest.raises(ValidationError, match="结案说明"):
        services.case_close(actor=head, case=case, reason="other", closed_on=today)
    services.case_close(actor=head, case=case, reason="guardianship", closed_on=today)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.get_close_reason_display() == "监护已落实或已安置"
    with pytest.raises(StateConflict, match="已结案"):
        services.measure_record(actor=head, case=case, kind="family_visit", taken_on=today, detail="x")
    actions = list(AuditEntry.objects.filter(object_type__in=("MinorsCase", "MinorsMeasure"))
                   .values_list("action", flat=True))
    assert actions == ["minors.case_report", "minors.case_assess", "minors.measure_record", "minors.measure_record",
                       "minors.measure_outcome", "minors.measure_outcome", "minors.case_close"]


def test_an_unfounded_report_closes_without_measures_others_need_one(case, office):
    head, today = office["street"], timezone.localdate()
    services.case_assess(actor=head, case=case, risk_level="low", assessment="核实后不属实")
    with pytest.raises(ValidationError, match="尚未登记任何干预措施"):
        services.case_close(actor=head, case=case, reason="resolved", closed_on=today)
    services.case_close(actor=head, case=case, reason="unfounded", closed_on=today)


def test_a_non_assigned_user_cannot_work_the_case(case, office):
    with pytest.raises(OutOfScope):
        services.case_assess(actor=office["committee2"], case=case, risk_level="low", assessment="x")


def test_special_protection_needs_a_reason_and_a_plan(case, office):
    head = office["street"]
    with pytest.raises(ValidationError, match="特别保护理由"):
        services.special_protection_set(actor=head, case=case, special=True)
    services.special_protection_set(actor=head, case=case, special=True, reason="长期监护缺失")
    with pytest.raises(ValidationError, match="一人一方案"):
        services.case_assess(actor=head, case=case, risk_level="high", assessment="高风险")
    services.case_assess(actor=head, case=case, risk_level="high", assessment="高风险", plan="每周家访；联系学校")
    assert selectors.overview(office["bureau"], timezone.localdate().year).special_with_plan == 1


def test_deadlines_per_urgency_are_the_bureaus_setting(office, child):
    assert {d.urgency: d.hours for d in AssessmentDeadline.objects.all()} == {"urgent": 24, "high": 72, "normal": 168}
    assert all(d.bureau_setting and d.basis == BUREAU_SETTING for d in AssessmentDeadline.objects.all())
    reported = timezone.now() - dt.timedelta(hours=30)
    urgent = services.case_report(actor=office["bureau"], child=child, kinds=kinds("domestic_violence"),
                                  urgency="urgent", description="哭喊声", reporter_kind="public",
                                  reported_at=reported)
    normal = services.case_report(actor=office["bureau"], child=child, kinds=kinds("dropout"), urgency="normal",
                                  description="未到校", reporter_kind="school", reported_at=reported)
    assert urgent.assessment_due_at == reported + dt.timedelta(hours=24)
    assert normal.assessment_due_at == reported + dt.timedelta(hours=168)
    assert selectors.case_overdue(urgent) and not selectors.case_overdue(normal)
    assert list(selectors.cases_overdue(office["bureau"])) == [urgent]
    services.case_assess(actor=office["bureau"], case=urgent, risk_level="high", assessment="迟到的评估")
    urgent.refresh_from_db()
    assert selectors.assessed_late(urgent) is True and not selectors.case_overdue(urgent)
    # a new setting applies to later reports; a case keeps the deadline it was reported under
    services.deadline_set(actor=office["bureau"], urgency="normal", hours=48)
    normal.refresh_from_db()
    assert normal.deadline_hours == 168
    later = services.case_report(actor=office["bureau"], child=child, kinds=kinds("dropout"), urgency="normal",
                                 description="再次未到校", reporter_kind="school")
    assert later.deadline_hours == 48
    page = _client(office["bureau"]).get("/minors/office/").content.decode()
    assert "本局工作设定（非法定时限）" in page


@pytest.mark.parametrize("hours", [0, 721, -1, True, 10**12])
def test_deadline_bounds(office, hours):
    with pytest.raises(ValidationError, match="1至720小时"):
        services.deadline_set(actor=office["bureau"], urgency="urgent", hours=hours)


def test_deadline_page_rejects_huge_numbers(office):
    response = _client(office["bureau"]).post("/minors/office/deadlines/urgent/", {"hours": "9" * 40}, follow=True)
    assert response.status_code == 200 and AssessmentDeadline.objects.get(urgency="urgent").hours == 24
    assert _client(office["bureau"]).post("/minors/office/deadlines/bogus/", {"hours": "5"}).status_code == 404
    assert _client(office["street"]).post("/minors/office/deadlines/urgent/", {"hours": "5"}).status_code == 403


def test_the_child_is_a_minor_in_the_reporters_jurisdiction(office, make_person, child):
    adult = make_person(name="成年人", birth=dt.date(1990, 1, 1), committee="310117001001")
    with pytest.raises(ValidationError, match="未满十八周岁"):
        services.case_report(actor=office["bureau"], child=adult, kinds=kinds("other"), urgency="normal",
                             description="x", reporter_kind="other")
    with pytest.raises(OutOfScope):
        services.case_report(actor=office["other_street"], child=child, kinds=kinds("other"), urgency="normal",
                             description="x", reporter_kind="other")
    with pytest.raises(ValidationError, match="至少选择一种情形"):
        services.case_report(actor=office["bureau"], child=child, kinds=[], urgency="normal", description="x",
                             reporter_kind="other")
    with pytest.raises(ValidationError, match="晚于现在"):
        services.case_report(actor=office["bureau"], child=child, kinds=kinds("other"), urgency="normal",
                             description="x", reporter_kind="other", reported_at=timezone.now() + dt.timedelta(days=1))


def test_case_numbers_run_per_year(office, child):
    a = services.case_report(actor=office["bureau"], child=child, kinds=kinds("other"), urgency="normal",
                             description="一", reporter_kind="other")
    b = services.case_report(actor=office["bureau"], child=child, kinds=kinds("other"), urgency="normal",
                             description="二", reporter_kind="other")
    year = timezone.localtime(a.reported_at).year
    assert (a.number, b.number) == (f"WB{year}-0001", f"WB{year}-0002")


def test_the_api_flow_and_its_answers(office, child):
    committee, head = _client(office["committee"]), _client(office["street"])
    body = {"child_id": child.pk, "kind_codes": ["bullying"], "urgency": "high", "reporter_kind": "school",
            "reporter_name": "岳阳小学", "description": "在校多次被同学欺凌"}
    report = committee.post("/api/v1/minors/cases", body, content_type="application/json")
    assert report.status_code == 201 and report.json()["visible_to_me"] is False
    case_id = report.json()["id"]
    today = timezone.localdate().isoformat()
    measure = head.post(f"/api/v1/minors/cases/{case_id}/measures",
                        {"kind": "education", "taken_on": today, "agency": "区教育局", "detail": "转介学校处理"},
                        content_type="application/json")
    assert measure.status_code == 409
    assessed = head.post(f"/api/v1/minors/cases/{case_id}/assessment",
                         {"risk_level": "medium", "assessment": "需学校介入"}, content_type="application/json")
    assert assessed.status_code == 200 and assessed.json()["status"] == "assessed"
    measure = head.post(f"/api/v1/minors/cases/{case_id}/measures",
                        {"kind": "education", "taken_on": today, "agency": "区教育局", "detail": "转介学校处理"},
                        content_type="application/json")
    assert measure.status_code == 201
    outcome = head.post(f"/api/v1/minors/cases/{case_id}/measures/{measure.json()['id']}/outcome",
                        {"outcome": "学校已处理并调班", "outcome_on": today}, content_type="application/json")
    assert outcome.status_code == 200
    closed = head.post(f"/api/v1/minors/cases/{case_id}/closure", {"reason": "resolved", "closed_on": today},
                       content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status_label"] == "已结案"
    # the reporter, of the child's own committee, still cannot read it
    assert committee.get(f"/api/v1/minors/cases/{case_id}").status_code == 404


@pytest.mark.parametrize("change, status", [
    ({"child_id": 2**63}, 422),
    ({"child_id": 10**12}, 404),
    ({"description": "长" * 2001}, 422),
    ({"description": "\x00"}, 400),
    ({"kind_codes": ["nope"]}, 422),
    ({"kind_codes": []}, 422),
    ({"urgency": "now"}, 422),
])
def test_hostile_reports_are_refused_in_chinese(office, child, change, status):
    body = {"child_id": child.pk, "kind_codes": ["bullying"], "urgency": "high", "reporter_kind": "school",
            "description": "x", **change}
    response = _client(office["bureau"]).post("/api/v1/minors/cases", body, content_type="application/json")
    assert response.status_code == status, response.content
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


@pytest.mark.parametrize("day", ["99999-01-01", "1900-01-01", "2099-12-31", "not-a-date"])
def test_hostile_dates_are_422(case, office, day):
    head = _client(office["street"])
    head.post(f"/api/v1/minors/cases/{case.pk}/assessment", {"risk_level": "low", "assessment": "评"},
              content_type="application/json")
    response = head.post(f"/api/v1/minors/cases/{case.pk}/measures",
                         {"kind": "family_visit", "taken_on": day, "detail": "上门"}, content_type="application/json")
    assert response.status_code == 422, response.content


def test_hostile_query_values(office):
    client = _client(office["bureau"])
    assert client.get("/api/v1/minors/overview?year=99999").status_code == 422
    assert client.get("/minors/overview/?year=99999").status_code == 200  # the form says why, this year is shown
    assert client.get("/api/v1/minors/cases?limit=100000").status_code == 422
    assert client.get("/minors/?urgency=%00").status_code in (200, 400)
    assert client.get(f"/api/v1/minors/cases/{2**64}").status_code in (404, 422)


def test_the_report_page_routes_the_case_to_the_station(office, child):
    from minzheng.minors_protection.models import Case, ConcernKind

    kind = ConcernKind.objects.get(code="accident")
    form = {"child": child.pk, "kinds": [kind.pk], "urgency": "urgent", "reporter_kind": "committee",
            "description": "在小区摔伤，家长未送医"}
    response = _client(office["committee"]).post("/minors/report/", form)
    assert response.status_code == 302 and response["Location"] == "/minors/"  # the reporter does not see it
    case = Case.objects.get()
    assert case.deadline_hours == 24 and case.created_by == "committee"
    assert list(case.assignments.values_list("user__username", flat=True)) == ["street"]
    # a child outside the reporter's jurisdiction, an unknown person, a huge number: form errors, never a 500
    for value in (child.pk, 10**12, "9" * 40):
        bad = _client(office["other_street"]).post("/minors/report/", {**form, "child": value})
        assert bad.status_code == 422
    assert Case.objects.count() == 1
    assert _client(office["auditor"]).get("/minors/report/").status_code == 403
