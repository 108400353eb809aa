"""The funeral home's port: assess (status read at the death date) and settle
(min(cap, actual cost), idempotent per order), and the grant a recorded death
creates through the registry's death listener, in the death's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import make_id_number
from minzheng.core.models import AuditEntry
from minzheng.funeral_subsidies import services
from minzheng.funeral_subsidies.models import (
    Eligibility,
    Grant,
    GrantKind,
    GrantStatus,
    PaymentMethod,
)
from minzheng.registry.services import person_record_death

from .conftest import DEATH

pytestmark = pytest.mark.django_db


def test_assess_youfu(make_person):
    person = make_person(youfu=True)
    a = services.basic_subsidy_assess(person=person, id_number="", death_date=DEATH)
    assert a.eligible is True and a.cap_fen == 98000
    assert "逝者为优抚对象" in a.reasons


@pytest.mark.parametrize(("program", "household_level"), [
    ("dibao", True), ("extreme_poverty", False), ("expense_poverty", True)])
def test_assess_reads_enrolments_covering_the_death_month(make_person, enrol, household_of, program,
                                                          household_level):
    person = make_person()
    household_of(person)
    enrol(person, program, household_level=household_level)
    assert services.basic_subsidy_assess(person=person, id_number="", death_date=DEATH).eligible is True


def test_an_enrolment_ended_before_the_death_month_does_not_count(make_person, enrol):
    person = make_person()
    enrol(person, "extreme_poverty", end="2026-02")
    a = services.basic_subsidy_assess(person=person, id_number="", death_date=DEATH)
    assert a.eligible is None and len(a.missing) == 2


def test_assess_of_a_deceased_not_in_the_registry_names_the_unknowns():
    number = make_id_number(dt.date(1940, 1, 1))
    a = services.basic_subsidy_assess(person=None, id_number=number, death_date=DEATH)
    assert a.eligible is None
    assert any("人口库中无此人" in m for m in a.missing)


def test_assess_by_id_number_finds_the_registry_person(users):
    from minzheng.registry.services import person_create

    number = make_id_number(dt.date(1940, 1, 1))
    person_create(actor=users["bureau"], name="王五", id_number=number, committee_code="310117001001", youfu=True)
    a = services.basic_subsidy_assess(person=None, id_number=number, death_date=DEATH)
    assert a.eligible is True and a.missing == []


def test_assess_refuses_non_shanghai_hukou(make_person):
    person = make_person(hukou_shanghai=False, youfu=True)
    a = services.basic_subsidy_assess(person=person, id_number="", death_date=DEATH)
    assert a.eligible is False


def test_settle_deducts_min_of_cap_and_cost_once_per_order(make_person, funeral_user):
    person = make_person(youfu=True)
    grant = services.basic_subsidy_settle(actor=funeral_user, person=person, id_number="", name=person.name,
                                          death_date=DEATH, basic_cost_fen=123_400, order_reference="BZ-1")
    assert grant.amount_fen == 98_000 and grant.cost_fen == 123_400
    assert grant.status == GrantStatus.DEDUCTED and grant.payment_method == PaymentMethod.SETTLEMENT
    again = services.basic_subsidy_settle(actor=funeral_user, person=person, id_number="", name=person.name,
                                          death_date=DEATH, basic_cost_fen=123_400, order_reference="BZ-1")
    assert again.pk == grant.pk and Grant.objects.count() == 1
    with pytest.raises(ValidationError):  # a second order for the same deceased
        services.basic_subsidy_settle(actor=funeral_user, person=person, id_number="", name=person.name,
                                      death_date=DEATH, basic_cost_fen=50_000, order_reference="BZ-2")


def test_settle_below_the_cap_pays_the_actual_cost(make_person, funeral_user):
    person = make_person(youfu=True)
    grant = services.basic_subsidy_settle(actor=funeral_user, person=person, id_number="", name=person.name,
                                          death_date=DEATH, basic_cost_fen=65_050, order_reference="BZ-3")
    assert grant.amount_fen == 65_050
    assert grant.amount_basis["value_fen"] == 98_000 and grant.amount_basis["verified"] is False


def test_settle_returns_none_when_not_eligible(make_person, funeral_user):
    person = make_person(hukou_shanghai=False)
    assert services.basic_subsidy_settle(actor=funeral_user, person=person, id_number="", name=person.name,
                                         death_date=DEATH, basic_cost_fen=65_000, order_reference="BZ-4") is None
    assert not Grant.objects.exists()


def test_settle_undetermined_keeps_the_cost_without_deducting(make_person, funeral_user, users):
    person = make_person()
    person_record_death(actor=users["bureau"], person=person, death_date=DEATH)
    assert services.basic_subsidy_settle(actor=funeral_user, person=person, id_number="", name=person.name,
                                         death_date=DEATH, basic_cost_fen=65_000, order_reference="BZ-5") is None
    grant = Grant.objects.get()
    assert grant.cost_fen == 65_000 and grant.amount_fen is None and grant.status == GrantStatus.PENDING


def test_settle_needs_the_permission(make_person, users):
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(NotPermitted):
        services.basic_subsidy_settle(actor=users["street"], person=make_person(youfu=True), id_number="",
                                      name="x", death_date=DEATH, basic_cost_fen=1, order_reference="BZ-6")


def test_a_recorded_death_creates_the_basic_grant_in_its_transaction(make_person, users):
    person = make_person(youfu=True)
    person_record_death(actor=users["bureau"], person=person, death_date=DEATH)
    grant = Grant.objects.get(person=person)
    assert grant.kind == GrantKind.BASIC and grant.status == GrantStatus.PENDING
    assert grant.eligibility == Eligibility.ELIGIBLE and grant.amount_fen is None
    assert "逝者为优抚对象" in grant.reasons
    assert AuditEntry.objects.filter(action="funeral_subsidies.grant_on_death", object_id=str(grant.pk)).exists()


def test_the_grant_rolls_back_with_a_failed_death(make_person, users, monkeypatch):
    from django.db import transaction

    person = make_person(youfu=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        person_record_death(actor=users["bureau"], person=person, death_date=DEATH)
        assert Grant.objects.filter(person=person).exists()  # inside the death's transaction
        raise RuntimeError
    assert not Grant.objects.filter(person=person).exists()


def test_no_grant_for_a_refused_deceased_and_an_undetermined_one_gets_a_grant(make_person, users):
    refused = make_person(hukou_shanghai=False)
    person_record_death(actor=users["bureau"], person=refused, death_date=DEATH)
    assert not Grant.objects.filter(person=refused).exists()
    open_case = make_person(name="李四")
    person_record_death(actor=users["bureau"], person=open_case, death_date=DEATH)
    grant = Grant.objects.get(person=open_case)
    assert grant.eligibility == Eligibility.UNDETERMINED and len(grant.missing) == 2
