"""Hostile dates and months in case work (public-notice start, visit dates,
enrolment changes): a clear Chinese refusal, never a 500, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from minzheng.casework import services
from minzheng.casework.actions import take_action
from minzheng.casework.models import Enrolment, EnrolmentEvent, Notice, Status
from minzheng.casework.tests.conftest import STEP_DATES, walk
from minzheng.core.bounds import latest_month
from minzheng.core.models import AuditEntry

D = dt.date


@pytest.mark.parametrize("starts_on", ["9999-12-31", "2099-12-31", "2030-01-01", "0001-01-01", "1900-01-01"])
@pytest.mark.django_db
def test_a_notice_starting_far_away_is_refused(users, new_case, starts_on):
    """9999-12-31 used to overflow the end-date arithmetic (a 500)."""
    application = walk(new_case(), users, Status.STREET_REVIEWED)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="公示开始日期"):
        take_action(actor=users["street"], application=application, action="post_notice",
                    fields={"starts_on": starts_on}, on=STEP_DATES["post_notice"])
    application.refresh_from_db()
    assert application.status == Status.STREET_REVIEWED
    assert not Notice.objects.exists() and AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_a_notice_starting_within_a_month_is_still_posted(users, new_case):
    application = walk(new_case(), users, Status.STREET_REVIEWED)
    notice = services.application_post_notice(actor=users["street"], application=application,
                                              starts_on=STEP_DATES["post_notice"] + dt.timedelta(days=3),
                                              on=STEP_DATES["post_notice"])
    assert notice.starts_on == D(2025, 9, 18)


@pytest.mark.parametrize("starts_on", ["9999-12-31", "0001-01-01"])
@pytest.mark.django_db
def test_the_notice_page_answers_a_message_not_a_500(users, new_case, starts_on):
    application = walk(new_case(), users, Status.STREET_REVIEWED)
    client = Client()
    client.force_login(users["street"])
    response = client.post(f"/cases/{application.pk}/act/post_notice/", {"starts_on": starts_on}, follow=True)
    assert response.status_code == 200 and "公示开始日期" in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.parametrize("visited_on", ["0001-01-01", "1900-01-01", "1999-12-31"])
@pytest.mark.django_db
def test_an_investigation_visit_dated_before_2000_is_refused(users, new_case, visited_on):
    application = walk(new_case(), users, Status.VERIFIED)
    with pytest.raises(ValidationError, match="调查日期"):
        take_action(actor=users["committee"], application=application, action="visit",
                    fields={"visited_on": visited_on, "visitors": "王芳", "findings": "属实"}, on=STEP_DATES["visit"])
    application.refresh_from_db()
    assert application.status == Status.VERIFIED


@pytest.fixture
def enrolled(users, new_case):
    return walk(new_case(), users, Status.ENROLLED).enrolments.get()


@pytest.mark.parametrize("change", ["suspend", "terminate"])
@pytest.mark.parametrize("month", ["1900-01", "1999-12", "0001-01", "9999-12", latest_month(months_ahead=2)])
@pytest.mark.django_db
def test_an_enrolment_change_effective_far_away_is_refused(users, enrolled, change, month):
    events_before, audit_before = EnrolmentEvent.objects.count(), AuditEntry.objects.count()
    client = Client()
    client.force_login(users["street"])
    response = client.post(f"/cases/enrolments/{enrolled.pk}/{change}/", {"effective_month": month, "reason": "核实"},
                           follow=True)
    assert response.status_code == 200 and "生效月份" in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.status == "active"
    assert EnrolmentEvent.objects.count() == events_before and AuditEntry.objects.count() == audit_before
    assert Enrolment.objects.filter(status="active").count() == 1


@pytest.mark.parametrize("on", ["9999-12-31", "0001-01-01", "x" * 2000])
@pytest.mark.django_db
def test_the_notice_board_for_a_hostile_day_shows_today(users, on):
    client = Client()
    client.force_login(users["street"])
    assert client.get("/cases/notices/", {"on": on}).status_code == 200
