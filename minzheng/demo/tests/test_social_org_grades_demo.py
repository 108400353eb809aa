"""The demo's evaluation grades (minzheng.demo.social_org_grades): 276 valid grades
among the organizations in business (the seed's 34 %), some expiring soon, some
expired, 11 community organizations at 4A/5A, an open round with one excluded
application (the demo account's own), rewards 参数缺失; once."""

from __future__ import annotations

import datetime as dt

from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.committees import ensure_committees
from minzheng.demo.social_org_grades import social_org_grades_seed
from minzheng.demo.social_orgs import social_orgs_seed
from minzheng.social_orgs import grade_selectors, grades
from minzheng.social_orgs.grade_models import GradeReward, OrganizationGrade


def test_demo_grades_in_the_seeds_proportion(users):
    ensure_committees()
    today = dt.date(2026, 12, 1)
    account = user_create(actor="test", username="socorg", password="pass-12345", role=Role.ORGANIZATION,
                          scope_code="310117")
    social_orgs_seed(account=account, today=today)
    message = social_org_grades_seed(today=today, account=account)
    bureau = users["bureau"]
    share = grade_selectors.graded_share(bureau, today)[0]
    assert (share.in_business, share.graded, share.percent) == (823, 276, "33.5%")
    assert "有效 276 家" in message
    valid = grade_selectors.valid_grades(today)
    assert {g for g in valid.values_list("grade", flat=True)} == {"5a", "4a", "3a", "2a", "1a"}
    assert valid.filter(organization__community=True, grade__in=["5a", "4a"]).count() == 11
    assert grade_selectors.expiring(bureau, today, 180).exists()
    assert grade_selectors.expired(bureau, today).exists()
    for g in OrganizationGrade.objects.select_related("organization"):
        assert grades.years_after(g.organization.registered_on, 2) <= g.valid_from
    own = grade_selectors.applications_visible(account)
    assert [a.status for a in own] == ["excluded"]
    assert own[0].exclusions[0]["label"] == "未参加上一年度年检"
    applications = grade_selectors.applications_visible(bureau)
    assert applications.filter(status="eligible").exists() and applications.filter(status="scored").count() == 2
    assert GradeReward.objects.exists() and not GradeReward.objects.exclude(status="missing").exists()
    assert social_org_grades_seed(today=today, account=account) == "演示社会组织评估等级已存在，未重复生成。"
