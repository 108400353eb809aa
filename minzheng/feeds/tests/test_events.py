import datetime as dt

import pytest

from minzheng.core.models import AuditEntry
from minzheng.feeds.importing import feed_file_import
from minzheng.feeds.models import EventKind, FeedEvent
from minzheng.feeds.tests.files import csv_file
from minzheng.registry.models import HouseholdMembership, Person
from minzheng.registry.services import household_create

TODAY = dt.date(2024, 6, 30)


def _import(users, code, rows, filename="f.csv"):
    return feed_file_import(actor=users["bureau"], source_code=code, filename=filename,
                            content=csv_file(code, rows), today=TODAY)


def _hukou(id_number, change, day, **extra):
    return {"id_number": id_number, "name": "王建华", "change": change, "changed_on": day, **extra}


@pytest.mark.django_db
def test_death_from_public_security_marks_the_person_dead_audited_with_the_source(users, resident):
    # given a resident living in a household
    person, id_number = resident
    household = household_create(actor=users["bureau"], head=person, address="谷阳北路1号")
    # when public security reports the hukou cancelled for death
    result = _import(users, "police_hukou", [_hukou(id_number, "死亡注销", "2024-05-03")])
    # then one death event, and the registry records the death with provenance
    event = FeedEvent.objects.get()
    assert (event.kind, event.person_id, event.event_date, event.registry_updated) == (
        EventKind.DEATH, person.pk, dt.date(2024, 5, 3), True)
    person.refresh_from_db()
    assert not person.alive and person.death_date == dt.date(2024, 5, 3)
    membership = HouseholdMembership.objects.get(household=household, person=person)
    assert membership.end_date == dt.date(2024, 5, 3) and membership.end_reason == "死亡"
    entry = AuditEntry.objects.get(action="person.record_death", object_id=str(person.pk))
    assert entry.changes["source"] == "police_hukou" and entry.changes["file"] == "f.csv"
    assert entry.changes["record"] == event.record_id
    assert result.file.deaths_recorded == 1 and result.file.events_created == 1


@pytest.mark.django_db
def test_a_death_reported_by_police_and_cremation_is_recorded_once(users, resident):
    # given the death already known from public security
    person, id_number = resident
    _import(users, "police_hukou", [_hukou(id_number, "死亡注销", "2024-05-03")])
    # when the cremation record arrives, and the police file again with more rows
    cremation = _import(users, "cremation", [{"id_number": id_number, "name": "王建华", "death_date": "2024-05-03",
                                              "cremated_on": "2024-05-06", "certificate": "HH1"}])
    _import(users, "police_hukou", [_hukou(id_number, "死亡注销", "2024-05-03"),
                                    _hukou(id_number, "迁入", "2001-01-01")], filename="g.csv")
    # then still one death event and one registry death entry
    assert FeedEvent.objects.filter(kind=EventKind.DEATH).count() == 1
    assert cremation.file.events_created == 0
    assert AuditEntry.objects.filter(action="person.record_death").count() == 1


@pytest.mark.django_db
def test_death_of_an_unregistered_person_is_kept_unmatched(users, stranger_id):
    _import(users, "cremation", [{"id_number": stranger_id, "name": "赵六", "death_date": "2024-05-03",
                                  "cremated_on": "2024-05-06", "certificate": "HH1"}])
    event = FeedEvent.objects.get()
    assert event.person_id is None and not event.registry_updated and "*" in event.id_number_masked
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_moving_out_of_the_district_is_an_event_moving_within_is_not(users, resident):
    person, id_number = resident
    _import(users, "police_hukou", [
        _hukou(id_number, "迁出", "2024-04-01", destination_code="310104", destination="上海市徐汇区"),
        _hukou(id_number, "迁出", "2024-02-01", destination_code="310117", destination="松江区"),
    ])
    event = FeedEvent.objects.get()
    assert (event.kind, event.event_date, event.details["destination"]) == (EventKind.MOVED_OUT, dt.date(2024, 4, 1), "上海市徐汇区")
    person.refresh_from_db()
    assert person.alive


@pytest.mark.django_db
def test_disability_certificate_new_then_changed(users, resident):
    person, id_number = resident
    cert = {"id_number": id_number, "name": "王建华", "certificate": "C-1", "kind": "肢体", "grade": "3",
            "issued_on": "2023-01-05"}
    _import(users, "disability_certs", [cert])
    _import(users, "disability_certs", [cert, {**cert, "grade": "2", "issued_on": "2024-03-01"}], filename="g.csv")
    kinds = list(FeedEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [EventKind.DISABILITY_NEW, EventKind.DISABILITY_CHANGED]
    changed = FeedEvent.objects.get(kind=EventKind.DISABILITY_CHANGED)
    assert changed.details["previous"] == {"kind": "肢体", "grade": "3"} and changed.details["grade"] == "2"


@pytest.mark.django_db
def test_job_loss_but_not_retirement(users, resident):
    _, id_number = resident
    row = {"id_number": id_number, "name": "王建华", "employer": "松江制衣厂", "start_date": "2019-03-01"}
    _import(users, "hrss_employment", [
        {**row, "end_date": "2024-04-30", "end_reason": "单位解除"},
        {**row, "employer": "老厂", "start_date": "1990-01-01", "end_date": "2018-12-31", "end_reason": "退休"},
        {**row, "employer": "新厂", "start_date": "2024-05-10"},
    ])
    event = FeedEvent.objects.get()
    assert (event.kind, event.event_date, event.details["employer"]) == (EventKind.JOB_LOSS, dt.date(2024, 4, 30), "松江制衣厂")


@pytest.mark.django_db
def test_large_medical_bill_at_the_threshold_and_recorded_once(users, resident):
    # given the configured threshold of 10,000 yuan (medical_oop.yaml)
    _, id_number = resident
    row = {"id_number": id_number, "name": "王建华", "settled_on": "2024-05-01", "total": "30000"}
    rows = [{**row, "settlement_no": "A", "out_of_pocket": "10000.00"},
            {**row, "settlement_no": "B", "out_of_pocket": "9999.99"}]
    # when the file is imported, and again with one more row (an overlapping file)
    _import(users, "medical_oop", rows)
    _import(users, "medical_oop", rows + [{**row, "settlement_no": "C", "out_of_pocket": "500"}], filename="g.csv")
    # then exactly the bill at the threshold is an event, once
    event = FeedEvent.objects.get()
    assert event.kind == EventKind.LARGE_MEDICAL_BILL and event.details["out_of_pocket_fen"] == 1_000_000
