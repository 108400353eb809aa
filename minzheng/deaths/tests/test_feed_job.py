"""部门死亡数据入库 (deaths_from_feeds): department-data death events become
reports of source 部门数据, once per event; a second run records nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.casework.models import Enrolment, EnrolmentStatus
from minzheng.core.personal_data import blind_index, mask_id_number
from minzheng.deaths.models import DeathRecord, DeathReport, DeathStatus
from minzheng.feeds.models import FeedEvent, FeedFile, FeedRecord
from minzheng.jobs.services import job_run_now
from minzheng.registry.services import person_record_death_from_source

D = dt.date
pytestmark = pytest.mark.django_db


def _event(feed_file, row, *, number, person=None, day, name):
    record = FeedRecord.objects.create(source="police_hukou", file=feed_file, row_number=row, person=person,
                                       person_index=blind_index(number), id_number_masked=mask_id_number(number),
                                       key_hash=f"k{row}", event_date=day, data={"change": "死亡注销", "name": name})
    return FeedEvent.objects.create(kind="death", dedupe_key=f"death:{blind_index(number)}", person=person,
                                    person_index=blind_index(number), id_number_masked=mask_id_number(number),
                                    name=name, event_date=day, source="police_hukou", record=record,
                                    details={"source": "公安户籍变动"})


def test_feed_events_become_reports_once(users, couple):
    feed_file = FeedFile.objects.create(source="police_hukou", filename="hukou.csv", file_sha256="0" * 64,
                                        received_at=timezone.now(), imported_by="test")
    # the import already marked him dead in the registry (feeds' own rule, listeners included)
    person_record_death_from_source(actor=users["bureau"], person=couple.husband, death_date=D(2026, 9, 5),
                                    source="police_hukou", source_name="公安户籍变动", file_name="hukou.csv",
                                    file_sha256="0" * 64, record_id=1)
    _event(feed_file, 1, number=couple.husband_number, person=couple.husband, day=D(2026, 9, 5), name="陈国强")
    stranger = make_id_number(D(1939, 3, 3), area="320102")
    _event(feed_file, 2, number=stranger, day=D(2026, 10, 1), name="外地人")
    _event(feed_file, 3, number=make_id_number(D(1939, 3, 3)), day=dt.date.today() + dt.timedelta(days=3),
           name="未来")  # a date after the run: not a report (yet)
    job, outcome = job_run_now(actor="cli", kind="deaths_from_feeds", params={})
    assert outcome.value == {"events": 3, "reports": 2, "skipped": 1}
    matched = DeathRecord.objects.get(person=couple.husband)
    assert matched.status == DeathStatus.PROCESSED and matched.reports.get().source == "feed"
    assert matched.consequences["registry"] == "already" and matched.consequences["actor"] == "cli（死亡登记联动）"
    assert Enrolment.objects.get(pk=couple.enrolment.pk).status == EnrolmentStatus.TERMINATED
    unmatched = DeathRecord.objects.get(id_number_index=blind_index(stranger))
    assert unmatched.status == DeathStatus.UNMATCHED and unmatched.id_number_enc == ""
    # a second run records nothing more
    _, again = job_run_now(actor="cli", kind="deaths_from_feeds", params={})
    assert again.value == {"events": 1, "reports": 0, "skipped": 1}
    assert DeathReport.objects.count() == 2
    # the family then reports at the window: the same record, consequences not redone
    from minzheng.deaths.services import death_report

    record = death_report(actor=users["street"], source="family", id_number=couple.husband_number, name="陈国强",
                          death_date=D(2026, 9, 5), reporter="林秀兰")
    assert record.pk == matched.pk and record.reports.count() == 2
