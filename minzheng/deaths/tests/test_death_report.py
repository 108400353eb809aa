"""One death, several sources, one record; the consequences in one transaction (ADR 0023)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.casework.models import Enrolment, EnrolmentStatus, OverpaymentCase
from minzheng.core.models import AuditEntry
from minzheng.deaths.models import DeathRecord, DeathReport, DeathStatus
from minzheng.deaths.services import death_report
from minzheng.registry.models import HouseholdMembership, Person
from minzheng.registry.selectors import marital_status_in_force

D = dt.date
TODAY = D(2026, 11, 20)


@pytest.mark.django_db
def test_two_sources_in_one_day_make_one_record_and_stop_benefits(users, funeral, couple, paid):
    paid("2026-10")  # October paid; he dies on 5 September: October is overpaid
    paid("2026-09")  # September is his last month: not a debt
    # when the hospital and then the funeral home report his death on the same day
    first = death_report(actor=users["street"], source="hospital", id_number=couple.husband_number, name="陈国强",
                         death_date=D(2026, 9, 5), reference="医证-001", place="松江区中心医院", today=TODAY)
    second = death_report(actor=funeral, source="funeral_home", id_number=couple.husband_number, name="陈国强",
                          death_date=D(2026, 9, 5), reference="火化-77", today=TODAY)
    # then there is one record with both sources
    assert first.pk == second.pk and DeathRecord.objects.count() == 1
    record = DeathRecord.objects.get()
    assert sorted(record.reports.values_list("source", flat=True)) == ["funeral_home", "hospital"]
    assert record.status == DeathStatus.PROCESSED and record.person_id == couple.husband.pk
    # the registry knows he died, and he left the household
    husband = Person.objects.get(pk=couple.husband.pk)
    assert not husband.alive and husband.death_date == D(2026, 9, 5)
    assert HouseholdMembership.objects.get(person=husband).end_date == D(2026, 9, 5)
    # benefits stop from October, the month after death
    enrolment = Enrolment.objects.get(pk=couple.enrolment.pk)
    assert enrolment.status == EnrolmentStatus.TERMINATED and enrolment.status_effective_month == "2026-10"
    # the paid October becomes one overpayment case for exactly what was paid
    case = OverpaymentCase.objects.get()
    assert case.months == ["2026-10"] and case.amount_fen == 135000
    # the surviving wife is 丧偶 from the death date (the registry's marital status, via its death listeners)
    assert marital_status_in_force(couple.wife, D(2026, 9, 4)).status == "married"
    assert marital_status_in_force(couple.wife, D(2026, 9, 5)).status == "widowed"
    # the summary names what was done, under the system actor naming the reporter
    summary = record.consequences
    assert summary["stopped"][0]["program"] == "最低生活保障" and summary["stopped"][0]["from_month"] == "2026-10"
    assert summary["overpayments"][0]["amount_fen"] == 135000
    assert summary["actor"] == "street（死亡登记联动）"
    assert summary["widowed"][0]["person"] == couple.wife.pk
    assert AuditEntry.objects.filter(action="enrolment.terminate", actor="street（死亡登记联动）").exists()
    # the funeral home's report changed nothing more: consequences ran once
    assert AuditEntry.objects.filter(action="enrolment.terminate").count() == 1


@pytest.mark.django_db
def test_validation_errors_are_chinese(users, couple):
    with pytest.raises(ValidationError) as err:
        death_report(actor=users["street"], source="hospital", id_number="310117", name="",
                     death_date=D(2027, 1, 1), today=TODAY)
    assert set(err.value.message_dict) == {"id_number", "name", "death_date"}
    with pytest.raises(ValidationError) as err:
        death_report(actor=users["street"], source="hospital", id_number=couple.husband_number, name="陈国强",
                     death_date=D(1940, 1, 1), today=TODAY)
    assert "出生日期" in err.value.message_dict["death_date"][0]
    assert not DeathRecord.objects.exists() and not DeathReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("failing", ["listener", "enrolments", "summary"])
def test_a_failure_in_any_step_leaves_nothing_written(users, couple, paid, monkeypatch, failing):
    from minzheng.deaths import services
    from minzheng.registry import services as registry_services

    paid("2026-10")
    before = AuditEntry.objects.count()

    def boom(**kwargs):
        raise RuntimeError("模拟故障")

    if failing == "listener":  # a registry death listener (marriage, payments …) fails after the spouse is widowed
        monkeypatch.setattr(registry_services, "_DEATH_LISTENERS", [*registry_services._DEATH_LISTENERS, boom])
    elif failing == "enrolments":
        monkeypatch.setattr(services, "enrolment_stop_for_death", boom)
    else:
        monkeypatch.setattr(services, "_summarise", lambda *args: boom())
    with pytest.raises(RuntimeError):
        death_report(actor=users["street"], source="family", id_number=couple.husband_number, name="陈国强",
                     death_date=D(2026, 9, 5), reporter="陈小明", today=TODAY)
    assert not DeathRecord.objects.exists() and not DeathReport.objects.exists()
    husband = Person.objects.get(pk=couple.husband.pk)
    assert husband.alive and husband.death_date is None
    assert HouseholdMembership.objects.get(person=husband).end_date is None
    enrolment = Enrolment.objects.get(pk=couple.enrolment.pk)
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.end_month == ""
    assert not OverpaymentCase.objects.exists()
    assert marital_status_in_force(couple.wife, D(2026, 9, 6)).status == "married"
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_source_with_another_date_flags_the_record_and_changes_nothing(users, funeral, couple):
    death_report(actor=funeral, source="funeral_home", id_number=couple.husband_number, name="陈国强",
                 death_date=D(2026, 9, 5), reference="火化-77", today=TODAY)
    record = death_report(actor=users["bureau"], source="police", id_number=couple.husband_number, name="陈国强",
                          death_date=D(2026, 9, 4), reference="注销-1", today=TODAY)
    assert record.status == DeathStatus.CONFLICT and record.death_date == D(2026, 9, 5)
    assert [(r.source, r.death_date, r.date_differs) for r in record.reports.order_by("id")] == [
        ("funeral_home", D(2026, 9, 5), False), ("police", D(2026, 9, 4), True)]
    assert Person.objects.get(pk=couple.husband.pk).death_date == D(2026, 9, 5)
    assert AuditEntry.objects.filter(action="enrolment.terminate").count() == 1
    assert AuditEntry.objects.filter(action="person.record_death").count() == 1


@pytest.mark.django_db
def test_a_non_resident_stays_unmatched_and_is_kept(users):
    from conftest import make_id_number

    number = make_id_number(D(1950, 1, 1), area="320102")
    record = death_report(actor=users["street"], source="family", id_number=number, name="外地人", reporter="家属",
                          death_date=D(2026, 11, 1), today=TODAY)
    assert record.status == DeathStatus.UNMATCHED and record.person_id is None
    assert record.street_id == "310117001" and record.consequences == {}
    assert record.id_number_masked == number[:6] + "*" * 11 + number[-1] and number not in record.id_number_enc
    # a second source for the same number joins it
    again = death_report(actor=users["bureau"], source="hospital", id_number=number, name="外地人",
                         death_date=D(2026, 11, 1), today=TODAY)
    assert again.pk == record.pk and again.reports.count() == 2 and again.status == DeathStatus.UNMATCHED


@pytest.mark.django_db
def test_a_street_window_reports_only_its_own_residents(users, couple):
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(ValidationError) as err:
        death_report(actor=users["other_street"], source="family", id_number=couple.husband_number, name="陈国强",
                     death_date=D(2026, 9, 5), today=TODAY)
    assert "辖区" in err.value.messages[0]
    with pytest.raises(NotPermitted):
        death_report(actor=users["committee"], source="family", id_number=couple.husband_number, name="陈国强",
                     death_date=D(2026, 9, 5), today=TODAY)
    assert Person.objects.get(pk=couple.husband.pk).alive


@pytest.mark.django_db
def test_a_death_already_in_the_registry_still_stops_benefits_once(users, couple):
    from minzheng.registry.services import person_record_death

    person_record_death(actor=users["bureau"], person=couple.husband, death_date=D(2026, 9, 5))
    record = death_report(actor=users["street"], source="family", id_number=couple.husband_number, name="陈国强",
                          death_date=D(2026, 9, 5), reporter="林秀兰", today=TODAY)
    assert record.status == DeathStatus.PROCESSED and record.consequences["registry"] == "already"
    assert Enrolment.objects.get(pk=couple.enrolment.pk).status == EnrolmentStatus.TERMINATED
    assert AuditEntry.objects.filter(action="person.record_death").count() == 1
