"""The register's services: registration (ID masked and encrypted, history, 党建三同步),
changes as dated history lines, status changes, account links, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_id_number
from minzheng.core.models import AuditEntry
from minzheng.core.personal_data import blind_index, decrypt
from minzheng.social_orgs import services
from minzheng.social_orgs.models import OrganizationChange, OrgStatus, PartyBuildingCheck
from minzheng.social_orgs.tests.conftest import TODAY, org_values, valid_uscc

pytestmark = pytest.mark.django_db


def test_registration_keeps_the_id_encrypted_and_masked_and_starts_the_history(users, district):
    number = make_id_number(dt.date(1970, 1, 2))
    org = services.organization_register(actor=users["bureau"], today=TODAY, legal_rep_id=number,
                                         committee=district["c1"], **org_values(party_status="separate"))
    assert decrypt(org.legal_rep_id_enc) == number and org.legal_rep_id_index == blind_index(number)
    assert "*" in org.legal_rep_id_masked and number not in org.legal_rep_id_masked
    assert org.street_id == "310117001" and org.status == OrgStatus.NORMAL
    assert [(c.field, c.changed_on) for c in org.changes.all()] == [("registration", dt.date(2019, 3, 12))]
    check = PartyBuildingCheck.objects.get(organization=org)
    assert (check.stage, check.party_status, check.checked_on) == ("registration", "separate", org.registered_on)
    entry = AuditEntry.objects.filter(action="social_orgs.register").last()
    assert number not in str(entry.changes) and entry.changes["legal_rep_id"] == org.legal_rep_id_masked


@pytest.mark.parametrize("extra, message", [
    ({"uscc": valid_uscc()[:-1] + "Y" if not valid_uscc().endswith("Y") else valid_uscc()[:-1] + "X"}, "第18位"),
    ({"kind": "club"}, "类型无效"),
    ({"name": " "}, "请填写名称"),
    ({"registered_on": dt.date(2024, 6, 4)}, "过晚"),
    ({"registered_capital_fen": -1}, "注册资金"),
])
def test_registration_refusals(users, extra, message):
    with pytest.raises(ValidationError, match=message):
        services.organization_register(actor=users["bureau"], today=TODAY, **org_values(**extra))


def test_a_bad_legal_representative_id_is_refused(users):
    good = make_id_number(dt.date(1970, 1, 2))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="法定代表人身份证号码"):
        services.organization_register(actor=users["bureau"], today=TODAY, legal_rep_id=bad, **org_values())


def test_the_same_code_or_name_twice_is_refused(users, orgs):
    with pytest.raises(ValidationError, match="已登记在另一个社会组织名下"):
        services.organization_register(actor=users["bureau"], today=TODAY, **org_values(name="另一个名称"))
    with pytest.raises(ValidationError, match="已被登记"):
        services.organization_register(actor=users["bureau"], today=TODAY,
                                       **org_values(uscc=valid_uscc("52310117MJ0000009")))


def test_only_the_bureau_registers(users, org_users):
    for who in (users["street"], users["auditor"], org_users["a"]):
        with pytest.raises(PermissionDenied):
            services.organization_register(actor=who, today=TODAY, **org_values(name="新组织"))


def test_a_change_is_one_dated_history_line_per_field(users, orgs):
    org = orgs["a"]
    lines = services.organization_update(actor=users["bureau"], organization=org, changed_on=dt.date(2023, 5, 6),
                                         reason="松民社变〔2023〕12号", today=TODAY, address="松江区岳阳街道新址8号",
                                         registered_capital_fen=500_000_00,
                                         legal_rep_id=make_id_number(dt.date(1980, 2, 3)))
    assert {line.field for line in lines} == {"address", "registered_capital_fen", "legal_rep_id"}
    capital = OrganizationChange.objects.get(organization=org, field="registered_capital_fen")
    assert (capital.old_value, capital.new_value, capital.changed_on) == ("300000.00元", "500000.00元",
                                                                          dt.date(2023, 5, 6))
    org.refresh_from_db()
    assert org.address == "松江区岳阳街道新址8号" and org.registered_capital_fen == 500_000_00
    with pytest.raises(ValidationError, match="没有改动"):
        services.organization_update(actor=users["bureau"], organization=org, changed_on=TODAY, reason="无",
                                     today=TODAY)
    with pytest.raises(ValidationError, match="依据或原因"):
        services.organization_update(actor=users["bureau"], organization=org, changed_on=TODAY, reason=" ",
                                     today=TODAY, address="别处")
    with pytest.raises(ValidationError, match="过早"):
        services.organization_update(actor=users["bureau"], organization=org, changed_on=dt.date(2018, 1, 1),
                                     reason="x", today=TODAY, address="别处")


def test_status_changes_are_dated_with_reasons(users, orgs):
    org = services.organization_status_set(actor=users["bureau"], organization=orgs["b"],
                                           status=OrgStatus.DEREGISTERED, on=dt.date(2024, 5, 1),
                                           reason="清算报告已备案", today=TODAY)
    assert org.status == OrgStatus.DEREGISTERED and org.status_on == dt.date(2024, 5, 1)
    line = org.changes.get(field="status")
    assert (line.old_value, line.new_value) == ("正常", "注销")
    with pytest.raises(ValidationError, match="已是"):
        services.organization_status_set(actor=users["bureau"], organization=org, status=OrgStatus.DEREGISTERED,
                                         on=TODAY, reason="再次", today=TODAY)
    with pytest.raises(ValidationError, match="不能早于上一次"):
        services.organization_status_set(actor=users["bureau"], organization=org, status=OrgStatus.NORMAL,
                                         on=dt.date(2024, 4, 1), reason="复议撤销", today=TODAY)


def test_party_check_updates_the_register_and_the_history(users, orgs):
    services.party_check_record(actor=users["bureau"], organization=orgs["b"], stage="inspection",
                                checked_on=dt.date(2024, 5, 20), party_status="instructor", today=TODAY)
    orgs["b"].refresh_from_db()
    assert orgs["b"].party_status == "instructor"
    assert orgs["b"].changes.filter(field="party_status", reason__contains="年检").exists()


def test_account_links_only_organization_accounts_once(users, orgs, org_users):
    with pytest.raises(ValidationError, match="只能关联"):
        services.account_link(actor=users["bureau"], organization=orgs["a"], user=users["street"])
    with pytest.raises(ValidationError, match="已关联“松江区书画协会”"):
        services.account_link(actor=users["bureau"], organization=orgs["a"], user=org_users["b"])
    services.account_unlink(actor=users["bureau"], organization=orgs["b"], user=org_users["b"])
    services.account_link(actor=users["bureau"], organization=orgs["a"], user=org_users["b"])
