"""A small crafted district for the monitor run (month 2025-08, standard 1650 yuan):

* 谷阳居委会 (c1, 岳阳街道): a poor single adult (income 400) → dibao lead;
  a household with an open dibao application (no lead); an earner whose
  household gets a large medical bill (risk task).
* 乐都居委会 (c2, 岳阳街道): a single adult with 1700 yuan (just above the
  standard) → edge list and a low-income lead; a well-off household
  enrolled in dibao → exit review.
* 张泾村委会 (c3, 泗泾镇): a 71-year-old → elderly allowance, enrolled
  automatically with a notice; a poor single adult → dibao lead in the other street.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.utils import timezone

from minzheng.casework import services as casework
from minzheng.casework.models import Enrolment, EnrolmentSource
from minzheng.feeds.models import FeedEvent, FeedFile, FeedRecord
from minzheng.monitoring.models import AdvisorAssignment
from minzheng.registry import services as registry

SINCE = dt.date(2020, 1, 1)
MONTH = "2025-08"
RUN_DAY = dt.date(2025, 8, 20)
_keys = itertools.count(1)


def feed_event(person, kind: str, day: dt.date, **details) -> FeedEvent:
    """A department-data event as the feeds app records it."""
    n = next(_keys)
    source = "medical_oop" if kind == "large_medical_bill" else "police_hukou"
    feed_file = FeedFile.objects.create(source=source, filename=f"f{n}.xlsx", file_sha256=f"{n:064d}",
                                        received_at=timezone.now(), imported_by="test")
    record = FeedRecord.objects.create(source=source, file=feed_file, row_number=2, person=person,
                                       person_index=person.id_number_index, id_number_masked=person.id_number_masked,
                                       key_hash=f"k{n}", event_date=day, data=details)
    return FeedEvent.objects.create(kind=kind, dedupe_key=f"{kind}:{n}", person=person,
                                    person_index=person.id_number_index, id_number_masked=person.id_number_masked,
                                    name=person.name, event_date=day, source=source, record=record, details=details)


@pytest.fixture
def crafted(users, make_person):
    bureau = users["bureau"]

    def household(head, address, *others, **economics):
        h = registry.household_create(actor=bureau, head=head, address=address, start_date=SINCE, **economics)
        for person, relation in others:
            registry.household_add_member(actor=bureau, household=h, person=person, relation=relation,
                                          start_date=SINCE)
        return h

    poor = make_person("贫困甲", dt.date(1975, 3, 1), monthly_income_fen=40000)
    h_poor = household(poor, "谷阳路1号", monetary_assets_fen=500000)
    applicant = make_person("申请乙", dt.date(1970, 3, 1), monthly_income_fen=50000)
    h_applied = household(applicant, "谷阳路2号")
    casework.application_create(actor=users["committee"], household=h_applied, applicant=applicant, program="dibao",
                                note="收入低", applied_on=dt.date(2025, 8, 1))
    earner = make_person("顶梁柱", dt.date(1980, 1, 1), monthly_income_fen=800000, employment="employed")
    child = make_person("小孩", dt.date(2012, 1, 1))
    h_earner = household(earner, "谷阳路3号", (child, "子女"))

    edge = make_person("边缘丙", dt.date(1972, 5, 5), committee="310117001002", monthly_income_fen=170000)
    h_edge = household(edge, "乐都路5号")
    rich = make_person("富裕丁", dt.date(1985, 1, 1), committee="310117001002", monthly_income_fen=2000000,
                       employment="employed")
    h_rich = household(rich, "乐都路9号", monetary_assets_fen=90000000)
    rich_enrolment = Enrolment.objects.create(
        program="dibao", household=h_rich, street_id="310117001", committee_id="310117001002", start_month="2024-01",
        source=EnrolmentSource.APPLICATION, monthly_amount_fen=50000)

    old = make_person("老人戊", dt.date(1954, 8, 31), committee="310117102201", pension_fen=450000)
    h_old = household(old, "张泾村1组")
    far_poor = make_person("贫困己", dt.date(1976, 4, 4), committee="310117102201", monthly_income_fen=30000)
    h_far = household(far_poor, "张泾村2组")

    AdvisorAssignment.objects.create(advisor=users["advisor"], committee_id="310117001001", street_id="310117001",
                                     assigned_on=SINCE, assigned_by="test")
    feed_event(child, "large_medical_bill", dt.date(2025, 8, 5), amount_yuan=60000)
    return SimpleNamespace(poor=poor, h_poor=h_poor, h_applied=h_applied, earner=earner, child=child,
                           h_earner=h_earner, edge=edge, h_edge=h_edge, h_rich=h_rich, rich_enrolment=rich_enrolment,
                           old=old, h_old=h_old, far_poor=far_poor, h_far=h_far)
