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
    assert marital_status_in_force(couple.wife, D(2026, 9, 6)) is None or \
        marital_status_in_force(couple.wife, D(2026, 9, 6)).status in ("married", "widowed")
    # the summary names what was done, under the system actor naming the reporter
    summary = record.consequences
    assert summary["stopped"][0]["program"] == "最低生活保障" and summary["stopped"][0]["from_month"] == "2026-10"
    assert summary["overpayments"][0]["amount_fen"] == 135000
    assert summary["actor"] == "street（死亡登记联动）"
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
