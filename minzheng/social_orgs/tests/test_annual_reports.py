"""Annual reports: who is due, filing with validation (once a year, the year over,
party members), review with reasons, 党建三同步 at inspection, the filing rate by
kind and supervising unit, and the organization's scope on the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from minzheng.core.scope import OutOfScope
from minzheng.social_orgs import annual_reports, services
from minzheng.social_orgs.models import AnnualReport, PartyBuildingCheck
from minzheng.social_orgs.selectors import due_organizations
from minzheng.social_orgs.tests.conftest import TODAY, org_values, valid_uscc

pytestmark = pytest.mark.django_db
FIGURES = {"income_fen": 100_000_00, "expense_fen": 90_000_00, "net_assets_fen": 50_000_00, "activities": 12,
           "activities_summary": "开展为老服务", "staff": 3, "volunteers": 20, "party_status": "joint",
           "party_members": 2}


def test_who_is_due(users, orgs):
    late = services.organization_register(actor=users["bureau"], today=TODAY, **org_values(
        name="松江区新设服务社", uscc=valid_uscc("52310117MJ0000091"), registered_on=dt.date(2023, 1, 1)))
    assert set(due_organizations(2022)) == {orgs["a"], orgs["b"]}
    assert late not in due_organizations(2023) and late in due_organizations(2024)
    services.organization_status_set(actor=users["bureau"], organization=orgs["b"], status="deregistered",
                                     on=dt.date(2023, 3, 1), reason="清算", today=TODAY)
    assert orgs["b"] in due_organizations(2022) and orgs["b"] not in due_organizations(2023)


def test_filing_rules(users, orgs, org_users):
    report = annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2023, today=TODAY,
                                        **FIGURES)
    assert report.filed_by == "org-a"
    with pytest.raises(ValidationError, match="已提交"):
        annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2023, today=TODAY, **FIGURES)
    with pytest.raises(ValidationError, match="本年度结束后"):
        annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2024, today=TODAY, **FIGURES)
    with pytest.raises(ValidationError, match="不需报送"):
        annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2018, today=TODAY, **FIGURES)
    with pytest.raises(ValidationError, match="三人以上"):
        annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2022, today=TODAY,
                                   **FIGURES | {"party_status": "separate", "party_members": 2})
    with pytest.raises(ValidationError, match="请填写本年收入"):
        annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2022, today=TODAY,
                                   **FIGURES | {"income_fen": None})
    with pytest.raises(ValidationError, match="本年支出应在"):
        annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2022, today=TODAY,
                                   **FIGURES | {"expense_fen": 10**20})
    with pytest.raises(OutOfScope):
        annual_reports.report_file(actor=org_users["a"], organization=orgs["b"], year=2023, today=TODAY, **FIGURES)


def test_review_with_reasons_and_party_check(users, orgs, org_users):
    report = annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2023, today=TODAY,
                                        **FIGURES)
    with pytest.raises(ValidationError, match="须写明理由"):
        annual_reports.report_review(actor=users["bureau"], report=report, conclusion="basic", reasons="",
                                     on=TODAY, today=TODAY)
    reviewed = annual_reports.report_review(actor=users["bureau"], report=report, conclusion="basic",
                                            reasons="财务制度不健全", on=TODAY, today=TODAY)
    assert reviewed.conclusion == "basic"
    assert PartyBuildingCheck.objects.filter(organization=orgs["a"], stage="inspection", checked_on=TODAY).exists()
    with pytest.raises(ValidationError, match="已审查"):
        annual_reports.report_review(actor=users["bureau"], report=report, conclusion="qualified", reasons="",
                                     on=TODAY, today=TODAY)


def test_filing_rate_by_kind_and_supervisor(users, orgs, org_users):
    annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2023, today=TODAY, **FIGURES)
    rates = annual_reports.filing_rate(users["bureau"], 2023)
    assert (rates["total"][0].due, rates["total"][0].filed, rates["total"][0].percent) == (2, 1, "50.0%")
    kinds = {r.label: (r.due, r.filed) for r in rates["kind"]}
    assert kinds == {"社会团体": (1, 0), "社会服务机构": (1, 1), "基金会": (0, 0)}
    assert {r.label: r.percent for r in rates["supervisor"]} == {"松江区文化和旅游局": "0.0%", "松江区民政局": "100.0%"}
    assert [r.percent for r in rates["kind"]][2] == "—"


def test_pages_for_the_organization_and_staff(client, users, orgs, org_users):
    client.force_login(org_users["a"])
    year = str(dt.date.today().year - 1)
    form = {"organization": orgs["a"].pk, "year": year, "income": "1000.50", "expense": "900", "net_assets": "-20",
            "activities": "3", "activities_summary": "活动", "staff": "1", "volunteers": "0", "party_status": "none",
            "party_members": "0"}
    assert client.post(reverse("social_orgs:report_new"), form | {"income": "1e30"}).status_code == 422
    response = client.post(reverse("social_orgs:report_new"), form)
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and report.income_fen == 100050 and report.net_assets_fen == -2000
    assert client.post(reverse("social_orgs:report_review", args=[report.pk]),
                       {"conclusion": "qualified", "on": dt.date.today().isoformat()}).status_code == 403
    client.force_login(org_users["b"])
    assert client.get(reverse("social_orgs:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("social_orgs:filing_rate")).status_code == 403
    client.force_login(users["bureau"])
    client.post(reverse("social_orgs:report_review", args=[report.pk]),
                {"conclusion": "qualified", "on": dt.date.today().isoformat()})
    report.refresh_from_db()
    assert report.conclusion == "qualified"
    page = client.get(reverse("social_orgs:filing_rate"), {"year": year}).content.decode()
    assert "50.0%" in page
