"""Casework fixtures: a two-person household in 谷阳居委会 (岳阳街道) with a
low income, and ``walk`` to take a case step by step to a status."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from minzheng.casework import services
from minzheng.casework.models import Status
from minzheng.registry import services as registry
from minzheng.verification.selectors import accepted_results_for_household
from minzheng.verification.tests.flows import accepted_verification

D = dt.date

# The dates each step is taken on by ``walk`` (September 2025, before National Day).
STEP_DATES = {
    "apply": D(2025, 9, 1), "accept": D(2025, 9, 2), "verify": D(2025, 9, 5), "visit": D(2025, 9, 10),
    "street_review": D(2025, 9, 12), "post_notice": D(2025, 9, 15), "approve": D(2025, 9, 23),
    "decide": D(2025, 9, 24),
}
ORDER = [Status.APPLIED, Status.ACCEPTED, Status.VERIFIED, Status.VISITED, Status.STREET_REVIEWED,
         Status.IN_NOTICE, Status.APPROVAL_RECORDED, Status.ENROLLED]


@pytest.fixture
def family(users, make_person):
    head = make_person("张小明", D(1975, 3, 2), monthly_income_fen=60000)
    wife = make_person("李丽华", D(1978, 6, 1), male=False)
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳北路1号",
                                          start_date=D(2020, 1, 1))
    registry.household_add_member(actor=users["bureau"], household=household, person=wife, relation="配偶",
                                  start_date=D(2020, 1, 1))
    return SimpleNamespace(head=head, wife=wife, household=household)


@pytest.fixture
def new_case(users, family):
    def _new(program: str = "dibao", applicant=None, on: dt.date = STEP_DATES["apply"]):
        return services.application_create(actor=users["committee"], household=family.household,
                                           applicant=applicant or family.head, program=program,
                                           note="家庭收入低，申请救助", applied_on=on)
    return _new


def approver_for(users, program: str):
    from minzheng.casework.program_settings import program_setting

    return users["bureau"] if program_setting(program).approval_level == "district" else users["street"]


def _reference(application, users) -> str:
    """The household's accepted verification (made on 1 September 2025 if it has none,
    with department data that confirm the declared income)."""
    result = accepted_results_for_household(application.household_id).first()
    if result is None:
        result = accepted_verification(users, application.household, as_of=D(2025, 9, 1),
                                       wages_as_declared_income=True)
    return result.request.reference


def walk(application, users, until: str):
    """Take ``application`` through the steps until it reaches status ``until``."""
    approver = approver_for(users, application.program)
    steps = {
        Status.ACCEPTED: lambda: services.application_accept(
            actor=users["street"], application=application, on=STEP_DATES["accept"]),
        Status.VERIFIED: lambda: services.application_verify(
            actor=users["street"], application=application, verification_reference=_reference(application, users),
            on=STEP_DATES["verify"]),
        Status.VISITED: lambda: services.application_visit(
            actor=users["committee"], application=application, visited_on=STEP_DATES["visit"],
            visitors="王芳、陈刚", findings="家中陈设简陋，夫妻二人无稳定收入", on=STEP_DATES["visit"]),
        Status.STREET_REVIEWED: lambda: services.application_street_review(
            actor=users["street"], application=application, agree=True, reasons="符合条件",
            on=STEP_DATES["street_review"]),
        Status.IN_NOTICE: lambda: services.application_post_notice(
            actor=users["street"], application=application, on=STEP_DATES["post_notice"]),
        Status.APPROVAL_RECORDED: lambda: services.application_approve(
            actor=approver, application=application, agree=True, reasons="公示无异议，同意",
            on=STEP_DATES["approve"]),
        Status.ENROLLED: lambda: services.application_decide(
            actor=approver, application=application, on=STEP_DATES["decide"]),
    }
    for status in ORDER[ORDER.index(application.status) + 1 : ORDER.index(until) + 1]:
        steps[status]()
        application.refresh_from_db()
    return application
