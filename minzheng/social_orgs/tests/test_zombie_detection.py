"""Zombie detection (REFERENCE § 13, ADR 0042), each reason at its edges: exactly two missed
years vs one, the first year's last day, an in-charter activity on the period's last day,
both contact attempts failed vs one reached; the period missing is undetermined (参数缺失)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from minzheng.social_orgs import services, zombies
from minzheng.social_orgs import zombie_services as zs
from minzheng.social_orgs.models import (
    AnnualReport,
    ContactKind,
    Organization,
    OrgStatus,
    PartyStatus,
)
from minzheng.social_orgs.tests.conftest import org_values, valid_uscc

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _org(users, name="松江区测试服务社", registered=dt.date(2019, 3, 12), n=11) -> Organization:
    return services.organization_register(actor=users["bureau"], today=TODAY, **org_values(
        name=name, uscc=valid_uscc(f"52310117MJ00000{n:02d}"), registered_on=registered))


def _report(org: Organization, year: int, *, filed_on: dt.date | None = None, activities: int = 5) -> None:
    AnnualReport.objects.create(organization=org, year=year, income_fen=0, expense_fen=0, net_assets_fen=0,
                                activities=activities, activities_summary="活动", staff=1, volunteers=0,
                                party_status=PartyStatus.NONE, party_members=0,
                                filed_on=filed_on or dt.date(year + 1, 3, 1), filed_by="t")


def _reasons(org: Organization, as_of: dt.date) -> list[str]:
    return zombies.finding_for(org, as_of).reasons


def test_two_missed_years_flag_one_does_not(users):
    two, one = _org(users, "两年未报", n=11), _org(users, "一年未报", n=12)
    for year in (2022, 2023):
        _report(two, year)
        _report(one, year)
    _report(one, 2024)  # one missed (2025)
    finding = zombies.finding_for(two, TODAY)
    assert finding.reasons == ["missed_reports"]
    assert finding.flags[0].facts == {"years": [2024, 2025]}
    assert "2024、2025年度" in finding.flags[0].evidence
    assert _reasons(one, TODAY) == []


def test_a_report_counts_from_the_day_it_was_filed_and_a_year_counts_once_it_ended(users):
    org = _org(users)
    _report(org, 2022)
    _report(org, 2023)
    _report(org, 2024, filed_on=dt.date(2026, 6, 1))
    assert _reasons(org, dt.date(2026, 5, 31)) == ["missed_reports"]  # 2024 and 2025 missed that day
    assert _reasons(org, dt.date(2026, 6, 1)) == []  # the 2024 report filed that day
    # on 2025-12-31 the year 2025 has not ended: only 2024 is missed
    assert _reasons(org, dt.date(2025, 12, 31)) == []


def test_missed_years_start_after_registration_and_from_the_records(users):
    young = _org(users, "新成立", registered=dt.date(2024, 1, 1), n=13)
    zs.activity_record(actor=users["bureau"], organization=young, held_on=dt.date(2024, 2, 1), description="活动",
                       in_charter=True, evidence="签到表", today=TODAY)
    # due for 2024 (registered on its first day? no: before 2024 began is required) → only 2025 due
    assert _reasons(young, TODAY) == []
    old = _org(users, "老组织", registered=dt.date(2001, 1, 1), n=14)
    _report(old, 2023)
    _report(old, 2024)
    _report(old, 2025)
    # years before the records (2021 and earlier) are unknown, not missed; 2022 alone is one year
    assert _reasons(old, TODAY) == []


def test_never_active_within_the_first_year_edges(users):
    registered = dt.date(2024, 3, 12)
    last_day = dt.date(2025, 3, 11)
    on_last_day = _org(users, "末日活动", registered=registered, n=15)
    day_after = _org(users, "次日活动", registered=registered, n=16)
    zs.activity_record(actor=users["bureau"], organization=on_last_day, held_on=last_day, description="成立大会",
                       in_charter=False, evidence="会议纪要", today=TODAY)
    zs.activity_record(actor=users["bureau"], organization=day_after, held_on=last_day + dt.timedelta(days=1),
                       description="成立大会", in_charter=False, evidence="会议纪要", today=TODAY)
    assert "never_active" not in _reasons(on_last_day, TODAY)
    finding = zombies.finding_for(day_after, TODAY)
    assert "never_active" in finding.reasons
    flag = next(f for f in finding.flags if f.reason == "never_active")
    assert flag.facts["first_year_ends"] == "2025-03-11"
    # the first year is not over on its last day: nothing concluded yet
    assert "never_active" not in _reasons(day_after, last_day)
    assert "never_active" in _reasons(day_after, last_day + dt.timedelta(days=1))


def test_a_report_with_activities_in_the_anniversary_year_counts_zero_does_not(users):
    active = _org(users, "年报有活动", registered=dt.date(2023, 5, 1), n=17)
    idle = _org(users, "年报无活动", registered=dt.date(2023, 5, 2), n=18)
    _report(active, 2024, activities=3)
    _report(idle, 2024, activities=0)
    assert "never_active" not in _reasons(active, TODAY)
    assert "never_active" in _reasons(idle, TODAY)
    old = _org(users, "记录前成立", registered=dt.date(2021, 12, 31), n=19)
    assert "never_active" not in _reasons(old, TODAY)  # before the records: unknown, not concluded


def test_long_period_is_undetermined_until_entered_then_flags_after_its_last_day(users):
    org = _org(users, registered=dt.date(2019, 3, 12))
    for year in (2022, 2023, 2024, 2025):
        _report(org, year, activities=0)
    zs.activity_record(actor=users["bureau"], organization=org, held_on=dt.date(2024, 6, 1), description="讲座",
                       in_charter=True, evidence="通知", today=TODAY)
    zs.activity_record(actor=users["bureau"], organization=org, held_on=dt.date(2025, 1, 1), description="聚餐",
                       in_charter=False, evidence="照片", today=TODAY)
    finding = zombies.finding_for(org, TODAY)
    assert finding.reasons == [] and finding.undetermined == ["no_charter_activity"]
    zs.period_enter(actor=users["bureau"], months=24, effective_from=dt.date(2020, 1, 1),
                    document_name="松江区社会组织监管办法（演示）", document_number="松民规〔2020〕1号")
    # the in-charter activity on 2024-06-01; 24 months end on 2026-06-01: not yet
    assert _reasons(org, dt.date(2026, 6, 1)) == []
    assert zombies.finding_for(org, dt.date(2026, 6, 1)).undetermined == []
    finding = zombies.finding_for(org, dt.date(2026, 6, 2))
    assert finding.reasons == ["no_charter_activity"]
    assert finding.flags[0].facts["last_activity_on"] == "2024-06-01"
    assert finding.flags[0].facts["days_without_activity"] == 731


def test_a_report_with_activities_counts_on_its_years_last_day(users):
    org = _org(users)
    for year in (2022, 2023, 2024):
        _report(org, year, activities=1 if year == 2023 else 0)
    zs.period_enter(actor=users["bureau"], months=12, effective_from=dt.date(2020, 1, 1),
                    document_name="文件", document_number="1号")
    assert "no_charter_activity" not in _reasons(org, dt.date(2024, 12, 31))
    assert "no_charter_activity" in _reasons(org, dt.date(2025, 1, 1))


def test_unreachable_needs_both_latest_attempts_failed(users):
    org = _org(users)
    for year in (2022, 2023, 2024, 2025):
        _report(org, year)

    def attempt(kind, day, reached):
        zs.contact_record(actor=users["bureau"], organization=org, kind=kind, tried_on=day, reached=reached,
                          outcome="无人" if not reached else "已联系", today=TODAY)

    attempt(ContactKind.ADDRESS_VISIT, dt.date(2026, 3, 1), False)
    assert _reasons(org, TODAY) == []  # one failed attempt
    attempt(ContactKind.LEGAL_REP_CALL, dt.date(2026, 3, 5), False)
    finding = zombies.finding_for(org, TODAY)
    assert finding.reasons == ["unreachable"]
    assert finding.flags[0].facts["address_visit_on"] == "2026-03-01"
    assert _reasons(org, dt.date(2026, 3, 4)) == []  # the call had not been made yet
    attempt(ContactKind.LEGAL_REP_CALL, dt.date(2026, 4, 1), True)
    assert _reasons(org, TODAY) == []  # reached later: cleared


def test_revoked_organizations_are_not_listed_after_the_revocation(users):
    org = _org(users)
    assert zombies.detect(Organization.objects.all(), TODAY)  # missed 2022–2025
    services.organization_status_set(actor=users["bureau"], organization=org, status=OrgStatus.REVOKED,
                                     on=dt.date(2026, 1, 5), reason="撤销", today=TODAY)
    assert zombies.detect(Organization.objects.all(), TODAY) == []
    assert [f.organization for f in zombies.detect(Organization.objects.all(), dt.date(2026, 1, 4))] == [org]


def test_cli_prints_the_json_list(users):
    zombie, clean = _org(users, "僵尸组织", n=21), _org(users, "正常组织", n=22)
    for year in (2022, 2023, 2024, 2025):
        _report(clean, year)
    out, err = io.StringIO(), io.StringIO()
    call_command("orgs_zombies", "--as-of", "2026-06-01", stdout=out, stderr=err)
    assert json.loads(out.getvalue()) == [{"uscc": zombie.uscc, "name": "僵尸组织", "reasons": ["missed_reports"],
                                           "undetermined": ["no_charter_activity"]}]
    assert "参数缺失" in err.getvalue()
    with pytest.raises(Exception, match="查验日期"):
        call_command("orgs_zombies", "--as-of", "2026-13-01", stdout=io.StringIO(), stderr=io.StringIO())


def test_cli_resolves_from_the_console_script():
    from minzheng.cli import resolve

    assert resolve(["orgs", "zombies", "--as-of", "2026-06-01"], {"orgs_zombies"}) == [
        "orgs_zombies", "--as-of", "2026-06-01"]
