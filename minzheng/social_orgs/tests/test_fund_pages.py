"""The support-fund pages (ADR 0043): the whole path through the forms (publish, apply,
score, award, pay, report, review), the organization's scope (its own only, another
organization's application 404; it cannot score or award: 403), street staff 403,
lists with Excel export, and the figures page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minzheng.core.models import Division
from minzheng.payments.models import OneOffPayment
from minzheng.social_orgs import services, support_funds
from minzheng.social_orgs.models import ApplicationStatus, FundApplication, FundCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(users, orgs):
    today = timezone.localdate()
    committee = Division.objects.get(code="310117001001")
    services.organization_update(actor=users["bureau"], organization=orgs["a"], changed_on=today, reason="补录",
                                 today=today, committee=committee)
    return support_funds.call_create(
        actor=users["bureau"], kind="venture", year=today.year, title="本年度睦邻创投", basis="《扶持办法》",
        budget_fen=100_000_00, max_per_project_fen=30_000_00, opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5), first_instalment_percent=70,
        criteria=[("需求", 40), ("方案", 60)], today=today)


def test_publishing_through_the_form(client, users):
    client.force_login(users["bureau"])
    assert client.get(reverse("social_orgs:fund_call_new")).status_code == 200
    form = {"kind": "startup", "year": "2024", "title": "2024年初创支持", "basis": "《松江区促进社会组织高质量发展扶持办法》",
            "budget": "200000", "max_per_project": "10000.50", "opens_on": "2024-03-01", "closes_on": "2024-04-30",
            "first_instalment_percent": "100", "criteria": "组织能力 50\n发展规划：50"}
    bad = client.post(reverse("social_orgs:fund_call_new"), form | {"criteria": "组织能力 50\n发展规划 49"})
    assert bad.status_code == 422 and "合计应为100分，现为99分" in bad.content.decode()
    odd = client.post(reverse("social_orgs:fund_call_new"), form | {"criteria": "组织能力 ５０\n发展规划 50"})
    assert odd.status_code == 422 and "第1行" in odd.content.decode()
    response = client.post(reverse("social_orgs:fund_call_new"), form)
    created = FundCall.objects.get(title="2024年初创支持")
    assert response.status_code == 302 and created.max_per_project_fen == 1_000_050
    assert [(c.name, c.weight) for c in created.criteria.all()] == [("组织能力", 50), ("发展规划", 50)]
    page = client.get(reverse("social_orgs:fund_call", args=[created.pk])).content.decode()
    assert "立项时全额拨付" in page and "200,000.00" in page


def test_the_whole_path_through_the_pages(client, users, orgs, org_users, call):
    client.force_login(org_users["a"])
    form = client.get(reverse("social_orgs:fund_apply", args=[call.pk])).content.decode()
    assert "松江区为老服务社" in form and "松江区书画协会" not in form
    over = client.post(reverse("social_orgs:fund_apply", args=[call.pk]), {
        "organization": orgs["a"].pk, "project_name": "银龄互助", "summary": "上门探访", "requested": "30000.01"})
    assert over.status_code == 422 and "申请金额应在" in over.content.decode()
    other = client.post(reverse("social_orgs:fund_apply", args=[call.pk]), {
        "organization": orgs["b"].pk, "project_name": "x", "summary": "x", "requested": "100"})
    assert other.status_code == 422  # not among its choices
    response = client.post(reverse("social_orgs:fund_apply", args=[call.pk]), {
        "organization": orgs["a"].pk, "project_name": "银龄互助", "summary": "上门探访", "requested": "30000"})
    application = FundApplication.objects.get()
    assert response.status_code == 302 and application.requested_fen == 30_000_00
    # the organization cannot score or award (403)
    criteria = list(call.criteria.all())
    sheet = {"reviewer": "张专家", f"c{criteria[0].pk}": "40", f"c{criteria[1].pk}": "50"}
    assert client.post(reverse("social_orgs:fund_score", args=[application.pk]), sheet).status_code == 403
    assert client.post(reverse("social_orgs:fund_decide", args=[application.pk]),
                       {"award": "1", "amount": "1", "on": timezone.localdate().isoformat()}).status_code == 403
    client.force_login(users["bureau"])
    too_high = client.post(reverse("social_orgs:fund_score", args=[application.pk]),
                           sheet | {f"c{criteria[0].pk}": "41"}, follow=True)
    assert "40" in too_high.content.decode() and application.scores.count() == 0
    client.post(reverse("social_orgs:fund_score", args=[application.pk]), sheet)
    client.post(reverse("social_orgs:fund_score", args=[application.pk]), sheet | {"reviewer": "李专家",
                                                                                   f"c{criteria[1].pk}": "55"})
    detail = client.get(reverse("social_orgs:fund_application", args=[application.pk])).content.decode()
    assert "92.50" in detail and "张专家" in detail  # (90 + 95) / 2
    today = timezone.localdate().isoformat()
    client.post(reverse("social_orgs:fund_decide", args=[application.pk]),
                {"award": "1", "amount": "25000", "on": today, "reason": "评审通过"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED and application.awarded_fen == 25_000_00
    client.post(reverse("social_orgs:fund_pay", args=[application.pk]),
                {"bank_name": "上海农商银行", "account_number": "6228480012345678901"})
    assert OneOffPayment.objects.get().amount_fen == 17_500_00
    detail = client.get(reverse("social_orgs:fund_application", args=[application.pk])).content.decode()
    assert "第1期" in detail and "待发放" in detail and 'id="fund-pay-form"' not in detail
    client.force_login(org_users["a"])
    client.post(reverse("social_orgs:fund_report", args=[application.pk]), {
        "outcomes": "服务独居老人60人", "beneficiaries": "600", "spent": "25000", "spending_note": "人员和物资"})
    client.force_login(users["bureau"])
    client.post(reverse("social_orgs:fund_report_review", args=[application.pk]),
                {"conclusion": "qualified", "reasons": "", "on": today})
    client.post(reverse("social_orgs:fund_pay", args=[application.pk]), {"bank_name": "", "account_number": ""})
    assert sorted(OneOffPayment.objects.values_list("amount_fen", flat=True)) == [7_500_00, 17_500_00]
    figures = client.get(reverse("social_orgs:fund_figures")).content.decode()
    assert "25,000.00" in figures


def test_an_organization_sees_only_its_own(client, users, orgs, org_users, call):
    mine = support_funds.application_file(actor=org_users["a"], call=call, organization=orgs["a"],
                                          project_name="甲项目", summary="x", requested_fen=100_00,
                                          today=timezone.localdate())
    theirs = support_funds.application_file(actor=org_users["b"], call=call, organization=orgs["b"],
                                            project_name="乙项目", summary="x", requested_fen=100_00,
                                            today=timezone.localdate())
    client.force_login(org_users["a"])
    page = client.get(reverse("social_orgs:fund_call", args=[call.pk])).content.decode()
    assert "甲项目" in page and "乙项目" not in page and "剩余额度" not in page
    listed = client.get(reverse("social_orgs:fund_applications")).content.decode()
    assert "甲项目" in listed and "乙项目" not in listed
    assert client.get(reverse("social_orgs:fund_application", args=[mine.pk])).status_code == 200
    assert client.get(reverse("social_orgs:fund_application", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("social_orgs:fund_report", args=[theirs.pk]), {}).status_code == 404
    assert client.get(reverse("social_orgs:fund_figures")).status_code == 403
    assert client.get(reverse("social_orgs:fund_call_new")).status_code == 403


def test_street_staff_have_no_access(client, users, call):
    client.force_login(users["street"])
    for url in (reverse("social_orgs:fund_calls"), reverse("social_orgs:fund_call", args=[call.pk]),
                reverse("social_orgs:fund_applications"), reverse("social_orgs:fund_figures")):
        assert client.get(url).status_code == 403, url


def test_lists_filters_and_export(client, users, orgs, org_users, call):
    support_funds.application_file(actor=org_users["a"], call=call, organization=orgs["a"], project_name="甲项目",
                                   summary="x", requested_fen=100_00, today=timezone.localdate())
    client.force_login(users["auditor"])
    calls = client.get(reverse("social_orgs:fund_calls"), {"kind": "venture"}).content.decode()
    assert "本年度睦邻创投" in calls and "100,000.00" in calls
    assert "本年度睦邻创投" not in client.get(reverse("social_orgs:fund_calls"), {"kind": "hub"}).content.decode()
    export = client.get(reverse("social_orgs:fund_applications"), {"status": "submitted", "_export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    detail = client.get(reverse("social_orgs:fund_application",
                                args=[FundApplication.objects.get().pk])).content.decode()
    assert 'id="fund-score-form"' not in detail and 'id="fund-decide-form"' not in detail  # the auditor reads
    bad_year = client.get(reverse("social_orgs:fund_figures"), {"year": "２０２４"})
    assert bad_year.status_code == 200 and "年度" in bad_year.content.decode()
