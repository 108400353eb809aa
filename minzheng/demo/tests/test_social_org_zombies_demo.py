"""The demo's zombie-organization work (minzheng.demo.social_org_zombies): a realistic list on
the demo's day (a dozen missing every report since 2022, two never active, one unreachable, not
the whole register), the seed's eleven cases of 2023 and one open case, once."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.committees import ensure_committees
from minzheng.demo.social_org_zombies import social_org_zombies_seed
from minzheng.demo.social_orgs import social_orgs_seed
from minzheng.social_orgs import zombies
from minzheng.social_orgs.models import CaseStatus, Organization, ZombieCase

TODAY = dt.date(2026, 12, 1)


def test_demo_zombies(users):
    ensure_committees()
    account = user_create(actor="test", username="socorg", password="pass-12345", role=Role.ORGANIZATION,
                          scope_code="310117")
    social_orgs_seed(account=account, today=TODAY)
    message = social_org_zombies_seed(today=TODAY)
    assert "清理整治案件 12 件" in message
    findings = zombies.detect(Organization.objects.all(), TODAY)
    reasons = Counter(r for f in findings for r in f.reasons)
    assert reasons["never_active"] == 2 and reasons["unreachable"] == 1
    assert 12 <= reasons["missed_reports"] <= 40  # the twelve, and a few of those that also skipped last year
    assert len(findings) < 60  # a list to work through, not the register
    twelve = [f for f in findings if f.flags[0].facts.get("years", [None])[0] == 2022]
    assert len(twelve) >= 12 and all(f.flags[0].facts["years"] == [2022, 2023, 2024, 2025] for f in twelve)
    statuses = Counter(ZombieCase.objects.values_list("status", flat=True))
    assert statuses == {CaseStatus.RECTIFIED: 9, CaseStatus.REVOKED: 2, CaseStatus.NOTIFIED: 1}
    assert ZombieCase.objects.filter(status__in=["rectified", "revoked"], opened_on__year=2023).count() == 11
    assert social_org_zombies_seed(today=TODAY) == "僵尸型社会组织演示数据已存在，未重复生成。"
