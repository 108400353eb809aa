"""The lead list and the my-work page cost the same number of queries
however many leads, tasks and exit reviews there are (one page each)."""

from __future__ import annotations

import pytest
from django.test import Client

from minzheng.core.tests.web import page_queries
from minzheng.monitoring.models import ExitReview, FollowUpTask, Lead
from minzheng.monitoring.monitor_runs import monitor_run_month
from minzheng.monitoring.tests.conftest import MONTH, RUN_DAY

pytestmark = pytest.mark.django_db

MONTHS = [f"{year}-{m:02d}" for year in (2023, 2024) for m in range(1, 13)][:20]


@pytest.fixture
def ran(crafted):
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    return crafted


def _copies(template, count: int, **per_copy) -> list:
    """``count`` copies of a row made by the run, each changed by ``per_copy``
    (field → function of the copy's index), escalated every other one."""
    made = []
    for i in range(count):
        row = type(template).objects.get(pk=template.pk)
        row.pk = None
        row.escalated = i % 2 == 0
        for field, value in per_copy.items():
            setattr(row, field, value(i))
        row.save()
        made.append(row)
    return made


def _one_escalated(ran) -> None:
    """One escalated open lead, task and exit review, so that every list of the
    page is already non-empty (a list's household heads cost one query once it has rows)."""
    _copies(Lead.objects.get(program="dibao", household=ran.h_poor, month=MONTH), 1, month=lambda i: "2022-01")
    _copies(FollowUpTask.objects.filter(committee_id="310117001001").first(), 1, feed_event_id=lambda i: 9_999)
    _copies(ExitReview.objects.get(enrolment=ran.rich_enrolment), 1, month=lambda i: "2022-01")


def _twenty_more(ran) -> list[Lead]:
    """Twenty more open leads (谷阳居委会), tasks and exit reviews, for earlier months."""
    lead = Lead.objects.get(program="dibao", household=ran.h_poor, month=MONTH)
    task = FollowUpTask.objects.filter(committee_id="310117001001").first()
    review = ExitReview.objects.filter(enrolment=ran.rich_enrolment, month=MONTH).get()
    leads = _copies(lead, 20, month=lambda i: MONTHS[i])
    _copies(task, 20, feed_event_id=lambda i: 10_000 + i)
    _copies(review, 20, month=lambda i: MONTHS[i])
    return leads


@pytest.mark.parametrize("username", ["bureau", "street", "committee", "advisor"])
def test_lead_list_query_count_does_not_grow_with_leads(ran, users, username):
    client = Client()
    client.force_login(users[username])
    lead = Lead.objects.get(program="dibao", household=ran.h_poor, month=MONTH)
    page_queries(client, "/monitoring/leads/")
    few = page_queries(client, "/monitoring/leads/", f"线索 {lead.pk}<")
    leads = _twenty_more(ran)
    many = page_queries(client, "/monitoring/leads/", f"线索 {leads[0].pk}<", f"线索 {leads[-1].pk}<")
    assert many == few, (few, many)


@pytest.mark.parametrize("username", ["bureau", "street", "committee", "advisor"])
def test_my_work_query_count_does_not_grow_with_leads_tasks_and_exits(ran, users, username):
    client = Client()
    client.force_login(users[username])
    lead = Lead.objects.get(program="dibao", household=ran.h_poor, month=MONTH)
    _one_escalated(ran)
    page_queries(client, "/monitoring/my/")
    few = page_queries(client, "/monitoring/my/", f"线索 {lead.pk}<")
    leads = _twenty_more(ran)
    many = page_queries(client, "/monitoring/my/", f"线索 {leads[-1].pk}<", f"任务 {FollowUpTask.objects.last().pk}<")
    assert Lead.objects.filter(committee_id="310117001001").count() > 20
    assert many == few, (few, many)
