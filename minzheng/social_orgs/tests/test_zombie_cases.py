"""The clean-up workflow (ADR 0042): a case from a flag → notice with its deadline → rectified, or
revoked after the deadline (the register's status 撤销 with its history line, the public notice);
the refusals; roles and scope on the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from minzheng.core.errors import StateConflict
from minzheng.social_orgs import zombie_services as zs
from minzheng.social_orgs.models import CaseStatus, OrganizationChange, OrgStatus, ZombieCase
from minzheng.social_orgs.zombie_letters import announcement_pdf, notice_pdf

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 6, 3)  # the fixtures' organizations (2019) missed 2022 and 2023


def _notified(users, org, deadline=dt.date(2024, 5, 1)) -> ZombieCase:
    case = zs.case_open(actor=users["bureau"], organization=org, today=dt.date(2024, 3, 1))
    return zs.case_notify(actor=users["bureau"], case=case, notice_on=dt.date(2024, 3, 2), deadline=deadline,
                          requirements="补报2022、2023年度报告", today=TODAY)


def test_open_keeps_the_flags_and_refuses_a_second_open_case(users, orgs):
    case = zs.case_open(actor=users["bureau"], organization=orgs["a"], today=TODAY)
    assert case.reasons == ["missed_reports"] and case.status == CaseStatus.OPEN
    assert "2022、2023年度" in case.evidence[0]["evidence"] and case.evidence[0]["label"].startswith("连续两年")
    with pytest.raises(StateConflict, match="未办结"):
        zs.case_open(actor=users["bureau"], organization=orgs["a"], today=TODAY)


def test_no_flag_no_case(users, orgs):
    # on 2023-06-01 only 2022 had ended since the records began: one missed year, no flag
    with pytest.raises(ValidationError, match="没有僵尸型"):
        zs.case_open(actor=users["bureau"], organization=orgs["a"], today=dt.date(2023, 6, 1))


def test_notice_then_revoke_only_after_the_deadline(users, orgs):
    case = zs.case_open(actor=users["bureau"], organization=orgs["a"], today=dt.date(2024, 3, 1))
    with pytest.raises(StateConflict):
        zs.case_revoke(actor=users["bureau"], case=case, on=TODAY, reason="x", today=TODAY)  # no notice yet
    with pytest.raises(ValidationError, match="晚于通知日期"):
        zs.case_notify(actor=users["bureau"], case=case, notice_on=dt.date(2024, 3, 2), deadline=dt.date(2024, 3, 2),
                       requirements="补报", today=TODAY)
    case = zs.case_notify(actor=users["bureau"], case=case, notice_on=dt.date(2024, 3, 2),
                          deadline=dt.date(2024, 5, 1), requirements="补报2022、2023年度报告", today=TODAY)
    assert case.notice_number == "松民社整〔2024〕1号" and case.status == CaseStatus.NOTIFIED
    assert notice_pdf(case).startswith(b"%PDF")
    with pytest.raises(StateConflict, match="届满前不能撤销"):
        zs.case_revoke(actor=users["bureau"], case=case, on=dt.date(2024, 5, 1), reason="x", today=TODAY)
    case = zs.case_revoke(actor=users["bureau"], case=case, on=dt.date(2024, 5, 2),
                          reason="松民社撤〔2024〕1号：逾期未补报年度报告", today=TODAY)
    orgs["a"].refresh_from_db()
    assert orgs["a"].status == OrgStatus.REVOKED and orgs["a"].status_on == dt.date(2024, 5, 2)
    line = OrganizationChange.objects.get(organization=orgs["a"], field="status")
    assert line.new_value == "撤销" and "逾期未整改" in line.reason
    assert announcement_pdf(case).startswith(b"%PDF")
    with pytest.raises(StateConflict):
        zs.case_rectify(actor=users["bureau"], case=case, on=TODAY, rectification="补报", today=TODAY)
    with pytest.raises(StateConflict, match="撤销"):  # a revoked organization: no new case
        zs.case_open(actor=users["bureau"], organization=orgs["a"], today=TODAY)


def test_rectified_closes_the_case_and_a_new_one_may_be_opened(users, orgs):
    case = _notified(users, orgs["a"])
    with pytest.raises(ValidationError, match="整改情况"):
        zs.case_rectify(actor=users["bureau"], case=case, on=TODAY, rectification=" ", today=TODAY)
    with pytest.raises(ValidationError, match="过早"):
        zs.case_rectify(actor=users["bureau"], case=case, on=dt.date(2024, 3, 1), rectification="补报", today=TODAY)
    case = zs.case_rectify(actor=users["bureau"], case=case, on=dt.date(2024, 4, 20), rectification="已补报",
                           today=TODAY)
    assert case.status == CaseStatus.RECTIFIED
    assert zs.case_open(actor=users["bureau"], organization=orgs["a"], today=TODAY).status == CaseStatus.OPEN


def test_records_are_validated(users, orgs):
    with pytest.raises(ValidationError, match="佐证材料"):
        zs.activity_record(actor=users["bureau"], organization=orgs["a"], held_on=TODAY, description="活动",
                           in_charter=True, evidence="", today=TODAY)
    with pytest.raises(ValidationError, match="过晚"):
        zs.activity_record(actor=users["bureau"], organization=orgs["a"], held_on=TODAY + dt.timedelta(days=1),
                           description="活动", in_charter=True, evidence="照片", today=TODAY)
    with pytest.raises(ValidationError, match="过早"):  # before registration
        zs.contact_record(actor=users["bureau"], organization=orgs["a"], kind="address_visit",
                          tried_on=dt.date(2019, 3, 11), reached=False, outcome="无人", today=TODAY)
    for months in (0, 121, None):
        with pytest.raises(ValidationError, match="1至120"):
            zs.period_enter(actor=users["bureau"], months=months, effective_from=TODAY, document_name="文件",
                            document_number="1号")
    with pytest.raises(ValidationError, match="文号"):
        zs.period_enter(actor=users["bureau"], months=24, effective_from=TODAY, document_name="文件",
                        document_number="")


def test_organization_records_its_own_activity_only(users, orgs, org_users):
    activity = zs.activity_record(actor=org_users["a"], organization=orgs["a"], held_on=TODAY, description="义诊",
                                  in_charter=True, evidence="照片", today=TODAY)
    assert activity.get_source_display() == "社会组织自行填报"
    from minzheng.core.scope import OutOfScope

    with pytest.raises(OutOfScope):
        zs.activity_record(actor=org_users["a"], organization=orgs["b"], held_on=TODAY, description="义诊",
                           in_charter=True, evidence="照片", today=TODAY)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        zs.contact_record(actor=org_users["a"], organization=orgs["a"], kind="address_visit", tried_on=TODAY,
                          reached=True, outcome="在", today=TODAY)


def test_pages_for_the_bureau_run_a_clean_up(client, users, orgs, settings):
    client.force_login(users["bureau"])
    listed = client.get(reverse("social_orgs:zombie_list")).content.decode()
    assert "连续两年未参加年检（年度报告）" in listed and "松江区书画协会" in listed and "参数缺失" in listed
    response = client.post(reverse("social_orgs:zombie_open", args=[orgs["a"].pk]))
    case = ZombieCase.objects.get(organization=orgs["a"])
    assert response.url == reverse("social_orgs:zombie_case", args=[case.pk])
    detail = client.get(response.url).content.decode()
    assert "发出限期整改通知" in detail and "missed_reports" not in detail
    today = dt.date.today()
    client.post(reverse("social_orgs:zombie_notify", args=[case.pk]),
                {"notice_on": today.isoformat(), "deadline": (today + dt.timedelta(days=30)).isoformat(),
                 "requirements": "补报年度报告"})
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED
    pdf = client.get(reverse("social_orgs:zombie_notice_pdf", args=[case.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    refused = client.post(reverse("social_orgs:zombie_revoke", args=[case.pk]),
                          {"on": today.isoformat(), "reason": "x"}, follow=True).content.decode()
    assert "届满前不能撤销" in refused
    assert client.get(reverse("social_orgs:zombie_announcement_pdf", args=[case.pk])).status_code == 302
    cases = client.get(reverse("social_orgs:zombie_cases"))
    assert cases.status_code == 200 and "已发限期整改通知" in cases.content.decode()
    export = client.get(reverse("social_orgs:zombie_cases"), {"_export": "xlsx"})
    assert export.status_code == 200
    client.post(reverse("social_orgs:zombie_contact", args=[orgs["b"].pk]),
                {"kind": "address_visit", "tried_on": today.isoformat(), "reached": "0", "outcome": "人去楼空"})
    records = client.get(reverse("social_orgs:zombie_records", args=[orgs["b"].pk])).content.decode()
    assert "人去楼空" in records and "登记住所实地走访" in records
    client.post(reverse("social_orgs:zombie_period"), {"months": "24", "effective_from": "2020-01-01",
                                                       "document_name": "松江区社会组织监管办法（演示）",
                                                       "document_number": "松民规〔2020〕1号"})
    assert "24个月" in client.get(reverse("social_orgs:zombie_list")).content.decode()
    bad = client.get(reverse("social_orgs:zombie_list"), {"as_of": "2024-13-01"}, follow=True)
    assert bad.status_code == 200 and "查验日期" in bad.content.decode()


def test_organization_sees_its_own_and_street_staff_none(client, users, orgs, org_users):
    case = zs.case_open(actor=users["bureau"], organization=orgs["b"], today=dt.date.today())
    client.force_login(org_users["a"])
    listed = client.get(reverse("social_orgs:zombie_list")).content.decode()
    assert "松江区为老服务社" in listed and "松江区书画协会" not in listed and "立案" not in listed.split("认定清单")[1]
    assert client.get(reverse("social_orgs:zombie_records", args=[orgs["a"].pk])).status_code == 200
    assert client.get(reverse("social_orgs:zombie_records", args=[orgs["b"].pk])).status_code == 404
    assert client.get(reverse("social_orgs:zombie_case", args=[case.pk])).status_code == 404
    assert client.post(reverse("social_orgs:zombie_activity", args=[orgs["b"].pk]),
                       {"held_on": "2024-01-02", "description": "x", "in_charter": "1",
                        "evidence": "x"}).status_code == 404
    assert client.post(reverse("social_orgs:zombie_open", args=[orgs["a"].pk])).status_code == 403
    assert client.post(reverse("social_orgs:zombie_notify", args=[case.pk]), {}).status_code == 403
    client.post(reverse("social_orgs:zombie_activity", args=[orgs["a"].pk]),
                {"held_on": "2024-01-02", "description": "敬老义诊", "in_charter": "1", "evidence": "签到表"})
    assert "敬老义诊" in client.get(reverse("social_orgs:zombie_records", args=[orgs["a"].pk])).content.decode()
    client.force_login(users["street"])
    for url in (reverse("social_orgs:zombie_list"), reverse("social_orgs:zombie_cases"),
                reverse("social_orgs:zombie_case", args=[case.pk]),
                reverse("social_orgs:zombie_records", args=[orgs["a"].pk])):
        assert client.get(url).status_code == 403
    client.force_login(users["auditor"])
    assert client.get(reverse("social_orgs:zombie_case", args=[case.pk])).status_code == 200
    assert client.post(reverse("social_orgs:zombie_open", args=[orgs["a"].pk])).status_code == 403
