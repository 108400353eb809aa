"""重大事项报告 (ADR 0044): the rules of reporting (kinds, dates, money kinds, status of the
organization, attachments), the review (reasons, state), the supplement round, the
organization's scope (its own only: 404) and the roles (street 403) on the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from minzheng.core.errors import StateConflict
from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted
from minzheng.core.scope import OutOfScope
from minzheng.social_orgs import major_events, services
from minzheng.social_orgs.models import EventStatus, MajorEvent
from minzheng.social_orgs.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
EVENT = {"kind": "major_activity", "title": "2024年为老服务论坛", "event_on": TODAY,
         "description": "在松江区举办为老服务论坛，约300人参加"}


def _report(actor, org, **extra):
    return major_events.event_report(actor=actor, organization=org, today=TODAY, **(EVENT | extra))


def test_an_organization_reports_its_own_event_only(users, orgs, org_users):
    event = _report(org_users["a"], orgs["a"], attachments=["活动方案", "活动方案", " ", "安全预案"])
    assert event.status == EventStatus.REPORTED and event.reported_by == "org-a"
    assert event.attachments == ["活动方案", "安全预案"]
    assert AuditEntry.objects.filter(action="social_orgs.event_report", object_id=str(event.pk)).exists()
    with pytest.raises(OutOfScope):
        _report(org_users["a"], orgs["b"])
    on_behalf = _report(users["bureau"], orgs["b"])
    assert on_behalf.reported_by == "bureau"
    with pytest.raises(NotPermitted):
        _report(users["street"], orgs["a"])
    with pytest.raises(NotPermitted):
        _report(users["auditor"], orgs["a"])


@pytest.mark.parametrize(("extra", "message"), [
    ({"kind": "picnic"}, "事项类别无效"),
    ({"title": " "}, "请填写事项名称"),
    ({"description": ""}, "请填写事项内容"),
    ({"event_on": dt.date(2019, 3, 11)}, "过早"),  # the day before registration
    ({"event_on": TODAY + dt.timedelta(days=367)}, "过晚"),
    ({"kind": "foreign_donation"}, "须填写涉及金额"),
    ({"kind": "large_funds"}, "须填写涉及金额"),
    ({"amount_fen": -1}, "涉及金额应为"),
    ({"amount_fen": 10**15 + 1}, "涉及金额应为"),
    ({"attachments": [f"材料{i}" for i in range(21)]}, "附件最多20份"),
])
def test_report_rules(users, orgs, extra, message):
    with pytest.raises(ValidationError, match=message):
        _report(users["bureau"], orgs["a"], **extra)
    assert not MajorEvent.objects.exists()


def test_report_boundaries_are_accepted(users, orgs):
    assert _report(users["bureau"], orgs["a"], event_on=dt.date(2019, 3, 12)).event_on == dt.date(2019, 3, 12)
    assert _report(users["bureau"], orgs["a"], event_on=TODAY + dt.timedelta(days=366))
    money = _report(users["bureau"], orgs["a"], kind="foreign_donation", amount_fen=0)
    assert money.amount_fen == 0
    assert _report(users["bureau"], orgs["a"], attachments=[f"材料{i}" for i in range(20)])


def test_an_organization_not_in_business_reports_nothing(users, orgs):
    services.organization_status_set(actor=users["bureau"], organization=orgs["a"], status="deregistered",
                                     on=TODAY, reason="清算完毕", today=TODAY)
    with pytest.raises(ValidationError, match="注销"):
        _report(users["bureau"], orgs["a"])


def test_review_outcomes_reasons_and_state(users, orgs, org_users):
    event = _report(org_users["a"], orgs["a"])
    with pytest.raises(NotPermitted):
        major_events.event_review(actor=org_users["a"], event=event, outcome="acknowledged", reasons="", on=TODAY,
                                  today=TODAY)
    with pytest.raises(ValidationError, match="审查结果应为"):
        major_events.event_review(actor=users["bureau"], event=event, outcome="reported", reasons="", on=TODAY,
                                  today=TODAY)
    for outcome in ("supplement", "not_accepted"):
        with pytest.raises(ValidationError, match="须写明理由"):
            major_events.event_review(actor=users["bureau"], event=event, outcome=outcome, reasons=" ", on=TODAY,
                                      today=TODAY)
    with pytest.raises(ValidationError, match="过晚"):
        major_events.event_review(actor=users["bureau"], event=event, outcome="acknowledged", reasons="",
                                  on=TODAY + dt.timedelta(days=1), today=TODAY)
    done = major_events.event_review(actor=users["bureau"], event=event, outcome="acknowledged", reasons="",
                                     on=TODAY, today=TODAY)
    assert done.status == EventStatus.ACKNOWLEDGED and done.reviewed_by == "bureau"
    with pytest.raises(StateConflict, match="不能审查"):
        major_events.event_review(actor=users["bureau"], event=event, outcome="not_accepted", reasons="违规",
                                  on=TODAY, today=TODAY)


def test_supplement_round(users, orgs, org_users):
    event = _report(org_users["a"], orgs["a"], attachments=["活动方案"])
    with pytest.raises(StateConflict, match="需补充"):
        major_events.event_supplement(actor=org_users["a"], event=event, supplement="补充", today=TODAY)
    major_events.event_review(actor=users["bureau"], event=event, outcome="supplement", reasons="请补充经费来源",
                              on=TODAY, today=TODAY)
    with pytest.raises(OutOfScope):
        major_events.event_supplement(actor=org_users["b"], event=event, supplement="补充", today=TODAY)
    with pytest.raises(ValidationError, match="请填写补充说明"):
        major_events.event_supplement(actor=org_users["a"], event=event, supplement=" ", today=TODAY)
    again = major_events.event_supplement(actor=org_users["a"], event=event, supplement="经费来自会费",
                                          attachments=["经费预算", "活动方案"], today=TODAY)
    assert again.status == EventStatus.REPORTED and again.attachments == ["活动方案", "经费预算"]
    final = major_events.event_review(actor=users["bureau"], event=event, outcome="not_accepted",
                                      reasons="境外资金来源不明", on=TODAY, today=TODAY)
    assert final.status == EventStatus.NOT_ACCEPTED


def test_pages_scope_and_roles(client, users, orgs, org_users):
    today = dt.date.today()
    client.force_login(org_users["a"])
    form = client.get(reverse("social_orgs:event_new")).content.decode()
    assert "松江区书画协会" not in form
    response = client.post(reverse("social_orgs:event_new"), {
        "organization": orgs["a"].pk, "kind": "foreign_donation", "title": "接受境外基金会资助",
        "event_on": today.isoformat(), "description": "资助为老项目", "amount": "", "attachments": ""})
    assert response.status_code == 422 and "须填写涉及金额" in response.content.decode()
    response = client.post(reverse("social_orgs:event_new"), {
        "organization": orgs["a"].pk, "kind": "foreign_donation", "title": "接受境外基金会资助",
        "event_on": today.isoformat(), "description": "资助为老项目", "amount": "12345.67",
        "attachments": "捐赠协议\n资金到账凭证"})
    event = MajorEvent.objects.get()
    assert response.status_code == 302 and event.amount_fen == 1_234_567
    assert event.attachments == ["捐赠协议", "资金到账凭证"]
    assert client.post(reverse("social_orgs:event_new"), {"organization": orgs["b"].pk, **{
        "kind": "other", "title": "x", "event_on": today.isoformat(), "description": "y"}}).status_code in (404, 422)
    assert client.post(reverse("social_orgs:event_review", args=[event.pk]),
                       {"outcome": "acknowledged", "on": today.isoformat()}).status_code == 403
    client.force_login(org_users["b"])
    assert client.get(reverse("social_orgs:event_detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("social_orgs:event_list")).content.decode().count("接受境外基金会资助") == 0
    client.force_login(users["street"])
    assert client.get(reverse("social_orgs:event_list")).status_code == 403
    assert client.get(reverse("social_orgs:event_detail", args=[event.pk])).status_code == 403
    client.force_login(users["bureau"])
    page = client.get(reverse("social_orgs:event_detail", args=[event.pk])).content.decode()
    assert "12,345.67" in page or "12345.67" in page
    client.post(reverse("social_orgs:event_review", args=[event.pk]),
                {"outcome": "supplement", "reasons": "请补充境外资金来源说明", "on": today.isoformat()})
    event.refresh_from_db()
    assert event.status == EventStatus.SUPPLEMENT
    client.force_login(org_users["a"])
    home = client.get("/").content.decode()
    assert "需补充的重大事项报告" in home and "接受境外基金会资助" in home
    client.post(reverse("social_orgs:event_supplement", args=[event.pk]), {"supplement": "资金来自某基金会"})
    event.refresh_from_db()
    assert event.status == EventStatus.REPORTED
    organization_page = client.get(reverse("social_orgs:detail", args=[orgs["a"].pk])).content.decode()
    assert "接受境外基金会资助" in organization_page
