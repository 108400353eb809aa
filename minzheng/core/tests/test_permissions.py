"""The permission table, ``can``/``require``, and the menu built from it (ADR 0010)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory

from minzheng.core.context_processors import NAVIGATION, navigation
from minzheng.core.models import Role, User
from minzheng.core.permissions import (
    ACTIONS,
    ALL_ROLES,
    NotPermitted,
    OutOfScope,
    SeparationOfDuties,
    can,
    permitted,
    require,
    require_in_scope,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Spot checks of who may do what (the rules each app enforced before the table).
EXPECTED = {
    "registry.import": {"bureau", "street", "committee"},
    "registry.merge": {"bureau", "street"},
    "registry.write": {"bureau", "street", "committee"},
    "feeds.import": {"bureau"},
    "feeds.view": {"bureau", "street", "auditor"},
    "verification.write": {"bureau", "street", "committee"},
    "verification.view": {"bureau", "street", "committee", "auditor"},
    "casework.intake": {"committee", "street"},
    "casework.accept": {"street"},
    "casework.objection_resolve": {"street"},
    "monitoring.run": {"bureau"},
    "monitoring.field_work": {"bureau", "street", "committee", "advisor"},
    "monitoring.manage": {"bureau", "street"},
    "eligibility.parameters_manage": {"bureau"},
    "payments.prepare": {"bureau"},
    "payments.review": {"bureau"},
    "payments.approve": {"bureau"},
    "payments.recovery": {"bureau", "street"},
    "payments.district_view": {"bureau", "auditor"},
    "core.audit_view": {"bureau", "auditor"},
    # marriage records: registrars only (ADR 0022); counts and the clock also bureau and auditor
    "marriage.view": {"registrar"},
    # social organizations (ADR 0039): the bureau keeps the register; an organization sees its own
    "social_orgs.view": {"bureau", "auditor", "organization"},
    "social_orgs.manage": {"bureau"},
    "marriage.register": {"registrar"},
    "marriage.divorce": {"registrar"},
    "marriage.reissue": {"registrar"},
    "marriage.statistics": {"registrar", "bureau", "auditor"},
    # deaths (ADR 0023): the window, the bureau and the funeral home report; the funeral home
    # does not see the assistance benefits a death stopped
    "deaths.report": {"bureau", "street", "funeral_home"},
    "deaths.view": {"bureau", "street", "committee", "auditor", "funeral_home"},
    "deaths.benefits_view": {"bureau", "street", "committee", "auditor"},
    "deaths.verify": {"bureau", "street"},
    # funeral subsidies (ADR 0027): the bureau manages; the funeral home settles at its counter
    "funeral_subsidies.view": {"bureau", "street", "auditor"},
    "funeral_subsidies.manage": {"bureau"},
    "funeral_subsidies.settle": {"bureau", "funeral_home"},
    "registry.view": {"bureau", "street", "committee", "advisor", "auditor"},
    "casework.view": {"bureau", "street", "committee", "advisor", "auditor"},
    # elder_alerts (ADR 0033): committees answer their elders' tasks; scan, feeds and rules are the bureau's
    "elder_alerts.task": {"bureau", "street", "committee"},
    "elder_alerts.scan": {"bureau"},
    "elder_alerts.rules": {"bureau"},
}

READS = {"registry.view", "feeds.view", "verification.view", "casework.view", "monitoring.view",
         "eligibility.view", "eligibility.policy_data_view", "payments.view", "payments.district_view",
         "payments.download", "core.audit_view", "jobs.view", "marriage.statistics", "marriage.clock",
         "marriage.ceremony_view", "deaths.view", "deaths.benefits_view",
         "funeral_subsidies.view", "cemeteries.view", "cemeteries.report"}
READS |= {"funeral.catalogue_view", "funeral.statistics", "sweeping.statistics"}  # funeral services (ADR 0024): catalogue and figures
READS |= {"care_facilities.view", "care_facilities.dashboard", "caregivers.view"}  # elderly care (ADR 0028)
READS |= {"supervision.view"}  # supervision of care institutions (ADR 0030): plans, draws, inspections
READS |= {"care_homes.view", "care_homes.oversee"}  # care institutions (ADR 0029): the auditor reads 云监管
READS |= {"hardship_visits.view", "home_adaptations.view", "dementia_care.view"}  # elderly care II (ADR 0034)
READS |= {"children.view"}  # children in difficulty (ADR 0035)
READS |= {"homeless_rescue.view"}  # homeless and stranded people (ADR 0038)
READS |= {"charity.view", "charity.lottery_view"}  # charity supermarkets, welfare lottery (ADR 0040)
READS |= {"meals.view"}  # meal assistance (ADR 0032): records and settlements
READS |= {"special_groups.dashboard"}  # 特殊群体工作台 (issue 17)
READS |= {"disability_services.view"}  # 残疾人服务 (ADR 0037): certificates, rentals, rehabilitation, care beds
READS |= {"social_orgs.view", "social_orgs.matters_view", "social_orgs.figures"}  # social organizations (ADR 0039)
READS |= {"social_orgs.grades_view", "social_orgs.grade_rewards"}  # evaluation grades (ADR 0041)
READS |= {"social_orgs.funds_view", "social_orgs.funds_figures"}  # support funds (ADR 0043)
READS |= {"social_orgs.zombies_view"}  # zombie organizations (ADR 0042): findings and cases
READS |= {"elder_alerts.view"}  # 一键通和居家安全监测 (ADR 0033): devices, calls, figures, tasks
READS |= {"minors.stations_view"}  # 未成年人保护 (ADR 0036): the stations only; cases never for the auditor


def test_every_action_has_a_chinese_label_and_known_roles():
    assert set(Role.values) == set(ALL_ROLES)
    for code, entry in ACTIONS.items():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*\.[a-z_]+", code), code  # app label (may have _) . action
        assert entry.code == code and CHINESE.search(entry.label), code
        assert entry.roles and entry.roles <= set(ALL_ROLES), code


@pytest.mark.parametrize("code, roles", sorted(EXPECTED.items()))
def test_table_keeps_who_may_do_what(code, roles):
    assert ACTIONS[code].roles == roles


def test_auditors_only_read():
    assert {code for code, entry in ACTIONS.items() if "auditor" in entry.roles} <= READS


def _user(role: str, **extra) -> User:
    return User(**{"username": f"u-{role}", "role": role, "is_active": True, **extra})


@pytest.mark.parametrize("code", sorted(ACTIONS))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_follows_the_table(code, role):
    assert can(_user(role), code) is (role in ACTIONS[code].roles)


def test_superuser_may_do_everything_and_the_inactive_or_anonymous_nothing():
    from django.contrib.auth.models import AnonymousUser

    boss = _user("committee", is_superuser=True)
    assert permitted(boss) == set(ACTIONS)
    assert permitted(_user("bureau", is_active=False)) == set()
    assert permitted(AnonymousUser()) == set()
    assert not can(None, "registry.view")


def test_require_raises_a_permission_denied_naming_the_action():
    require(_user("bureau"), "monitoring.run")
    with pytest.raises(NotPermitted) as err:
        require(_user("committee"), "monitoring.run")
    assert isinstance(err.value, PermissionDenied)
    assert err.value.action == "monitoring.run"
    assert "运行动态监测" in str(err.value) and "区民政局" in str(err.value)


def test_require_lets_a_named_job_pass_only_when_asked():
    require("nightly-job", "monitoring.run", allow_job=True)
    with pytest.raises(NotPermitted):
        require("nightly-job", "monitoring.run")


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError, match="no.such"):
        can(_user("bureau"), "no.such")


def test_business_rule_refusals_are_validation_errors_not_permission_errors():
    assert issubclass(SeparationOfDuties, ValidationError)
    assert not issubclass(SeparationOfDuties, PermissionDenied)


@pytest.mark.django_db
def test_scope_refusal_is_a_404(users):
    from django.http import Http404

    require_in_scope(users["street"], street_code="310117001", committee_code="310117001001")
    with pytest.raises(OutOfScope) as err:
        require_in_scope(users["other_street"], street_code="310117001", committee_code="310117001001")
    assert isinstance(err.value, Http404) and not isinstance(err.value, PermissionDenied)


def test_every_menu_entry_names_an_action_of_the_table():
    for _, entries in NAVIGATION:
        for _, _, code in entries:
            assert code is None or code in ACTIONS, code


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["bureau", "street", "committee", "advisor", "auditor"])
def test_menu_shows_exactly_the_permitted_entries(users, name):
    from django.urls import reverse

    request = RequestFactory().get("/")
    request.user = users[name]
    shown = {item["url"] for group in navigation(request)["nav_groups"] for item in group["items"]}
    expected = {reverse(url) for _, entries in NAVIGATION for _, url, code in entries
                if code is None or can(users[name], code)}
    assert shown == expected
    # e.g. the payments sampling and the audit log are for district-wide staff only
    assert (reverse("core:audit_list") in shown) is (name in ("bureau", "auditor"))
    assert (reverse("registry:import") in shown) is (name in ("bureau", "street", "committee"))


@pytest.mark.django_db
def test_the_menu_on_a_page_follows_the_table(users):
    client = Client()
    client.force_login(users["committee"])
    page = client.get("/").content.decode()
    assert "批量导入" in page and "部门数据" not in page and "审计日志" not in page and "发放批次" not in page


def test_no_app_refuses_a_role_by_hand():
    """Wrong-role refusals come from the table: no ``raise PermissionDenied("…")``
    or ``HttpError(403, "…")`` with a message of its own (mapping the table's
    error, ``HttpError(403, str(err))``, is fine)."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r'raise PermissionDenied\(|HttpError\(403, "', text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
