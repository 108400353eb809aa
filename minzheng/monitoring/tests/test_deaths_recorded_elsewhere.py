"""A death recorded through the death record (``deaths``, ADR 0023) already
stopped the benefits: the monitor run finds nothing left to do for it, even
for a household enrolment it flagged for re-review (which stays open)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.casework.models import Enrolment, EnrolmentStatus
from minzheng.deaths.services import death_report
from minzheng.monitoring.matching import deaths_with_open_enrolments
from minzheng.registry import services as registry
from minzheng.registry.services import person_record_death

D = dt.date


@pytest.mark.django_db
def test_the_monitor_run_finds_nothing_left_after_a_death_record(users, make_person):
    from conftest import make_id_number

    number = make_id_number(D(1940, 1, 1))
    head = registry.person_create(actor=users["bureau"], name="周大", id_number=number, committee_code="310117001001")
    wife = make_person("吴二", D(1942, 2, 2), male=False)
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳路1号",
                                          start_date=D(2000, 1, 1))
    registry.household_add_member(actor=users["bureau"], household=household, person=wife, relation="配偶",
                                  start_date=D(2000, 1, 1))
    enrolment = Enrolment.objects.create(program="dibao", household=household, street_id="310117001",
                                         committee_id="310117001001", start_month="2025-10", source="other",
                                         monthly_amount_fen=100000)
    today = D(2026, 11, 20)
    death_report(actor=users["street"], source="family", id_number=number, name="周大", death_date=D(2026, 9, 5),
                 today=today)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.next_review_on == today  # flagged, still open
    assert deaths_with_open_enrolments(up_to=today) == []
    # a death recorded in the registry only is still the monitor run's to stop
    other = make_person("郑三", D(1941, 3, 3))
    Enrolment.objects.create(program="dibao", person=other, street_id="310117001", committee_id="310117001001",
                             start_month="2025-10", source="other", monthly_amount_fen=100000)
    person_record_death(actor=users["bureau"], person=other, death_date=D(2026, 9, 6))
    assert deaths_with_open_enrolments(up_to=today) == [(other.pk, D(2026, 9, 6))]
