"""The home page is each role's to-do inbox (issue 9: work comes to the user).

On a fresh demo district every role finds its own work there, only inside its
jurisdiction, overdue items first, at a bounded number of queries; the
auditor's home is read-only."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from minzheng.casework.selectors import cases_todo
from minzheng.core.models import User
from minzheng.monitoring.models import AdvisorAssignment
from minzheng.monitoring.selectors import leads_todo, tasks_todo
from minzheng.payments.selectors import batches_todo
from minzheng.workbench.inbox import inbox

ROLES = ("bureau", "checker", "approver", "street", "committee", "advisor", "auditor")
MAX_QUERIES = 40


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    """One demo district for the whole module, rolled back at its end; each
    test runs inside it in its own transaction (``db``), so tests do not see
    each other's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_district, db):
    return None


def _counts(page: str) -> dict[str, int]:
    """Card title "标题（N）" → N."""
    return {title: int(n) for title, n in re.findall(r'<h2 class="card-title">(.*?)（(\d+)）</h2>', page)}


def _home(client, role: str, django_assert_max_num_queries) -> str:
    client.force_login(User.objects.get(username=role))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_role_sees_its_own_work(client, demo, django_assert_max_num_queries):
    pages = {role: _home(client, role, django_assert_max_num_queries) for role in ROLES}
    counts = {role: _counts(page) for role, page in pages.items()}

    assert counts["bureau"]["待我办理的救助申请"] > 0  # district approvals and decisions
    assert counts["bureau"]["有错误行的部门数据文件（近30天）"] > 0
    # maker-checker: the preparer never sees their own batch; checker reviews, approver approves
    assert counts["bureau"]["待我复核或审批的发放批次"] == 0
    assert counts["checker"]["待我复核或审批的发放批次"] == 1 and "待复核" in pages["checker"]
    assert "待审批" in pages["approver"]
    street = counts["street"]
    assert street["待我办理的救助申请"] > 0 and street["待处理的公示异议"] > 0
    assert street["待认定的核对结果"] > 0
    assert counts["committee"]["待我办理的救助申请"] > 0 and "待入户调查" in pages["committee"]
    assert counts["advisor"]["政策找人线索"] > 0 and counts["advisor"]["风险跟进任务"] > 0
    assert counts["auditor"]["抽样核查中尚未核查的对象"] > 0 and "近期操作记录" in pages["auditor"]
    for role, page in pages.items():
        assert "人口库概况" in page
        assert not re.search(r"家庭\s*\d+", re.sub(r"<[^>]+>", " ", page)), role  # households by their head
        assert all(n >= 0 for n in counts[role].values())


def test_items_stay_inside_the_jurisdiction(demo):
    today = timezone.localdate()
    street, committee, advisor = (User.objects.get(username=u) for u in ("street", "committee", "advisor"))
    assert all(a.street_id == street.scope_id for a in cases_todo(street, today=today))
    assert all(a.committee_id == committee.scope_id for a in cases_todo(committee, today=today))
    assert {a.due_action for a in cases_todo(committee, today=today)} == {"visit"}
    mine = set(AdvisorAssignment.objects.filter(advisor=advisor, ended_on__isnull=True)
               .values_list("committee_id", flat=True))
    assert {lead.committee_id for lead in leads_todo(advisor)} <= mine
    assert {task.committee_id for task in tasks_todo(advisor)} <= mine
    assert not cases_todo(advisor, today=today).exists()
    # bureau staff decide district-level programs only; street staff never see them at the approval step
    assert not cases_todo(street, today=today).filter(due_action__in=("approve", "decide"), program="dibao").exists()
    assert not batches_todo(street).exists()


def test_overdue_items_come_first(demo):
    today = timezone.localdate()
    street = User.objects.get(username="street")
    sections = inbox(street, today=today)
    flags = [s.overdue > 0 for s in sections]
    assert flags == sorted(flags, reverse=True) and flags[0]
    cases = next(s for s in sections if s.key == "cases")
    dates = [item.due_on for item in cases.items if item.due_on]
    assert dates == sorted(dates) and dates[0] < today
    overdue = [a for a in cases_todo(User.objects.get(username="bureau"), today=today) if a.due_on]
    assert overdue[0].due_on <= overdue[-1].due_on


def test_auditor_home_offers_no_action(client, demo, django_assert_max_num_queries):
    page = _home(client, "auditor", django_assert_max_num_queries)
    forms = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', page)
    assert forms == ["/logout/"]
