"""Exits: suspension, termination, stop on death with overpaid months; re-review schedule and work list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minzheng.casework.enrolments import (
    enrolment_resume,
    enrolment_stop_for_death,
    enrolment_suspend,
    enrolment_terminate,
)
from minzheng.casework.models import Enrolment, EnrolmentStatus, OverpaymentCase, ReReview, Status
from minzheng.casework.rereview import rereview_record, rereview_work_list
from minzheng.casework.review_schedule import add_months
from minzheng.casework.services import application_create
from minzheng.casework.tests.conftest import walk
from minzheng.registry import services as registry

D = dt.date


@pytest.fixture
def widow(users, make_person):
    """A 72-year-old living alone in 谷阳居委会, enrolled in dibao from 2025-10."""
    person = make_person("王秀英", D(1953, 4, 2), male=False, monthly_income_fen=30000)
    household = registry.household_create(actor=users["bureau"], head=person, address="谷阳北路9号",
                                          start_date=D(2020, 1, 1))
    application = application_create(actor=users["committee"], household=household, applicant=person,
                                     program="dibao", applied_on=D(2025, 9, 1))
    walk(application, users, Status.ENROLLED)
    return person, household, Enrolment.objects.get(application=application)


@pytest.mark.django_db
def test_death_stops_from_the_next_month_and_unpaid_months_are_no_debt(users, widow):
    person, _, enrolment = widow
    assert enrolment.monthly_amount_fen == 135000 and enrolment.start_month == "2025-10"
    # given she died on 2026-03-10 and the death is recorded on 2026-06-15
    registry.person_record_death(actor=users["street"], person=person, death_date=D(2026, 3, 10))
    # when benefits are stopped
    cases = enrolment_stop_for_death(actor=users["street"], person=person, death_date=D(2026, 3, 10),
                                     today=D(2026, 6, 15))
    # then the enrolment ends with March (stop from April)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.TERMINATED
    assert (enrolment.status_effective_month, enrolment.end_month) == ("2026-04", "2026-03")
    assert "死亡" in enrolment.status_reason
    # and April to June were never paid by the payments ledger: no debt, no overpayment case
    # (months actually paid become a case: payments/tests/test_backpay_recovery.py)
    assert cases == [] and not OverpaymentCase.objects.exists()


@pytest.mark.django_db
def test_death_recorded_in_time_leaves_nothing_to_recover(users, widow):
    person, _, enrolment = widow
    assert enrolment_stop_for_death(actor=users["street"], person=person, death_date=D(2026, 3, 10),
                                    today=D(2026, 3, 20)) == []
    enrolment.refresh_from_db()
    assert enrolment.end_month == "2026-03"


@pytest.mark.django_db
def test_death_of_one_member_flags_the_household_for_review(users, family, new_case):
    application = walk(new_case(), users, Status.ENROLLED)
    enrolment = application.enrolments.get()
    # when the husband dies, the wife remaining
    enrolment_stop_for_death(actor=users["street"], person=family.head, death_date=D(2026, 1, 5),
                             today=D(2026, 2, 1))
    enrolment.refresh_from_db()
    # then the household stays enrolled but is due for re-review now
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.next_review_on == D(2026, 2, 1)
    assert enrolment.events.filter(kind="member_died").exists()
    assert list(rereview_work_list(users["street"], today=D(2026, 2, 1))) == [enrolment]


@pytest.mark.django_db
def test_suspend_resume_terminate(users, widow):
    _, _, enrolment = widow
    with pytest.raises(PermissionDenied):
        enrolment_suspend(actor=users["committee"], enrolment=enrolment, reason="x", effective_month="2026-01")
    with pytest.raises(ValidationError, match="月份“2026/01”无效，应为 YYYY-MM"):
        enrolment_suspend(actor=users["street"], enrolment=enrolment, reason="x", effective_month="2026/01")
    enrolment_suspend(actor=users["street"], enrolment=enrolment, reason="收入变化待核实", effective_month="2026-01")
    assert enrolment.status == EnrolmentStatus.SUSPENDED
    enrolment_resume(actor=users["street"], enrolment=enrolment, reason="核实无变化", effective_month="2026-02")
    enrolment_terminate(actor=users["bureau"], enrolment=enrolment, reason="迁出本区", effective_month="2026-05")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_month) == (EnrolmentStatus.TERMINATED, "2026-04")
    assert list(enrolment.events.values_list("kind", flat=True)) == ["enrolled", "suspended", "resumed", "terminated"]
    with pytest.raises(ValidationError, match="已终止"):
        enrolment_terminate(actor=users["bureau"], enrolment=enrolment, reason="x", effective_month="2026-06")


@pytest.mark.django_db
def test_rereview_schedule_by_household_situation(users, widow, family, new_case):
    # given an elderly-only household (widow) and a household with able-bodied members
    _, _, elderly = widow
    able = walk(new_case(), users, Status.ENROLLED).enrolments.get()
    # then (《最低生活保障审核确认办法》第三十一条) the stable elderly household is re-reviewed
    # yearly, the household with members able to work every six months
    assert not elderly.has_able_member and elderly.next_review_on == D(2026, 9, 24)
    assert able.has_able_member and able.next_review_on == D(2026, 3, 24)
    # and the work list 30 days ahead of 2026-03-01 holds only the able household
    assert list(rereview_work_list(users["street"], today=D(2026, 3, 1))) == [able]
    assert list(rereview_work_list(users["other_street"], today=D(2026, 3, 1))) == []
    # when it is reviewed and continues, the next review is six months later
    rereview_record(actor=users["street"], enrolment=able, outcome="continue", findings="情况无变化",
                    reviewed_on=D(2026, 3, 20))
    able.refresh_from_db()
    assert able.next_review_on == D(2026, 9, 20)
    assert not rereview_work_list(users["street"], today=D(2026, 3, 21)).exists()
    # and a review that finds the household no longer eligible ends the benefit from next month
    rereview_record(actor=users["street"], enrolment=elderly, outcome="terminate", findings="收入超过标准",
                    reviewed_on=D(2026, 10, 8))
    elderly.refresh_from_db()
    assert (elderly.status, elderly.end_month) == (EnrolmentStatus.TERMINATED, "2026-10")
    assert ReReview.objects.count() == 2


def test_add_months_clamps_to_month_end():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 30), 14) == D(2027, 1, 30)
