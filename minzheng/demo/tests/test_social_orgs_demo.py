"""The demo's social organizations (minzheng.demo.social_orgs): the seed's
proportions at the end of 2023, histories, the demo account linked, fast, once."""

from __future__ import annotations

import datetime as dt
import time

from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.committees import ensure_committees
from minzheng.demo.social_orgs import social_orgs_seed
from minzheng.social_orgs.models import Organization, OrganizationChange, OrgKind
from minzheng.social_orgs.selectors import filing_rate, matter_counts, organizations_visible


def test_demo_register_in_the_seeds_proportions(users):
    ensure_committees()
    account = user_create(actor="test", username="socorg", password="pass-12345", role=Role.ORGANIZATION,
                          scope_code="310117")
    started = time.perf_counter()
    message = social_orgs_seed(account=account, today=dt.date(2026, 12, 1))
    bureau = users["bureau"]
    assert time.perf_counter() - started < 20
    assert "社会团体 148" in message
    normal = Organization.objects.filter(status="normal")
    assert normal.count() == 823
    assert normal.filter(kind=OrgKind.SOCIAL_GROUP).count() == 148
    assert normal.filter(kind=OrgKind.SERVICE_INSTITUTION).count() == 675
    assert normal.filter(community=True).count() == 343
    assert normal.filter(registered_on__year=2023).count() == 29
    assert Organization.objects.filter(status="deregistered", status_on__year=2023).count() == 21
    changed = OrganizationChange.objects.filter(changed_on__year=2023).exclude(
        field__in=["registration", "status", "renewal", "charter"])
    assert changed.values("organization").distinct().count() == 142
    counts = {c.kind: c.organizations for c in matter_counts(bureau, 2023)}
    assert counts == {"establishment": 29, "change": 142, "renewal": 295, "charter": 186, "deregistration": 21}
    rate = filing_rate(bureau, 2022)["total"][0]
    assert (rate.due, rate.filed, rate.percent) == (804, 745, "92.7%")
    own = account.social_org_link.organization
    assert not own.annual_reports.filter(year=2025).exists()
    assert [o.pk for o in organizations_visible(account)] == [account.social_org_link.organization_id]
    assert social_orgs_seed(account=account) == "演示社会组织已存在，未重复生成。"
    assert Organization.objects.filter(registered_on__gt=dt.date(2023, 12, 31)).count() == 0
