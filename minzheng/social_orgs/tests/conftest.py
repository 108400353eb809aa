"""Social-organization fixtures: a valid USCC maker, two organizations, two
organization accounts (each linked to its own organization)."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import uscc

from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.social_orgs import services
from minzheng.social_orgs.models import OrganizationAccount, OrgKind

TODAY = dt.date(2024, 6, 3)


def valid_uscc(body: str = "52310117MJ0000001") -> str:
    body = (body + "00000000000000000")[:17]
    return body + uscc.calc_check_digit(body)


def org_values(**extra) -> dict:
    values = {"name": "松江区为老服务社", "kind": OrgKind.SERVICE_INSTITUTION, "uscc": valid_uscc(),
              "legal_rep_name": "王建国", "supervisor": "松江区民政局", "registered_capital_fen": 300_000_00,
              "address": "松江区岳阳街道中山中路1号", "business_scope": "为老年人提供生活照料服务",
              "registered_on": dt.date(2019, 3, 12)}
    values.update(extra)
    return values


@pytest.fixture
def orgs(users):
    a = services.organization_register(actor=users["bureau"], today=TODAY, **org_values(party_status="joint"))
    b = services.organization_register(actor=users["bureau"], today=TODAY, **org_values(
        name="松江区书画协会", kind=OrgKind.SOCIAL_GROUP, uscc=valid_uscc("51310117MJ0000002"),
        supervisor="松江区文化和旅游局"))
    return {"a": a, "b": b}


@pytest.fixture
def org_users(users, orgs):
    a = user_create(actor="test", username="org-a", password="pass-12345", role=Role.ORGANIZATION,
                    scope_code="310117", full_name="王建国", post="为老服务社 理事长")
    b = user_create(actor="test", username="org-b", password="pass-12345", role=Role.ORGANIZATION,
                    scope_code="310117", full_name="李红", post="书画协会 秘书长")
    OrganizationAccount.objects.create(user=a, organization=orgs["a"])
    OrganizationAccount.objects.create(user=b, organization=orgs["b"])
    return {"a": a, "b": b}
