"""Marital status in the registry: married, divorced, widowed on a recorded
death (the registry's death port), with its dated history."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.marriage.models import DivorceStatus, MarriageStatus
from minzheng.marriage.services import divorce_apply, divorce_register, marriage_register
from minzheng.marriage.tests.conftest import couple
from minzheng.registry.models import MaritalStatus
from minzheng.registry.selectors import marital_status_history, marital_status_in_force
from minzheng.registry.services import (
    person_create,
    person_record_death,
    person_record_death_from_source,
)

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def couple_in_registry(users):
    man, woman = couple()
    him = person_create(actor=users["bureau"], name=man.name, id_number=man.id_number, committee_code="310117001001")
    her = person_create(actor=users["bureau"], name=woman.name, id_number=woman.id_number,
                        committee_code="310117102201")
    return man, woman, him, her


def test_married_then_divorced_history(registrar, couple_in_registry):
    man, woman, him, her = couple_in_registry
    reg = marriage_register(actor=registrar, first=man, second=woman, registered_on=D("2024-05-20"))
    application = divorce_apply(actor=registrar, marriage=reg, agreement_text="协议", received_on=D("2026-03-09"),
                                both_present=True)
    divorce_register(actor=registrar, application=application, both_present=True, on=D("2026-04-20"))
    for person in (him, her):
        assert [(r.status, r.since) for r in marital_status_history(person)] == [
            (MaritalStatus.DIVORCED, D("2026-04-20")), (MaritalStatus.MARRIED, D("2024-05-20"))]
        assert marital_status_in_force(person, D("2026-04-19")).status == MaritalStatus.MARRIED
        assert marital_status_in_force(person, D("2024-05-19")) is None  # before: unknown, not 未婚


def test_a_recorded_death_widows_the_spouse_and_ends_the_marriage(registrar, users, couple_in_registry):
    man, woman, him, her = couple_in_registry
    reg = marriage_register(actor=registrar, first=man, second=woman, registered_on=D("2024-05-20"))
    application = divorce_apply(actor=registrar, marriage=reg, agreement_text="协议", received_on=D("2026-03-09"),
                                both_present=True)
    person_record_death(actor=users["committee"], person=him, death_date=D("2026-03-20"))
    reg.refresh_from_db()
    application.refresh_from_db()
    assert reg.status == MarriageStatus.DEATH and reg.ended_on == D("2026-03-20")
    assert application.status == DivorceStatus.WITHDRAWN and "死亡" in application.close_note
    widowed = marital_status_in_force(her, D("2026-03-20"))
    assert widowed.status == MaritalStatus.WIDOWED and widowed.source == "配偶李强死亡"
    # the widow may marry again
    from minzheng.marriage.tests.conftest import party

    again = marriage_register(actor=registrar, first=woman, second=party("陈军", D("1990-01-01"), male=True),
                              registered_on=D("2026-05-01"))
    assert again.status == MarriageStatus.IN_FORCE


def test_a_death_from_department_data_widows_too(registrar, users, couple_in_registry):
    man, woman, him, her = couple_in_registry
    marriage_register(actor=registrar, first=man, second=woman, registered_on=D("2024-05-20"))
    person_record_death_from_source(actor=users["bureau"], person=her, death_date=D("2026-01-05"), source="police",
                                    source_name="公安户籍注销", file_name="f.csv", file_sha256="0" * 64, record_id=1)
    assert marital_status_in_force(him, D("2026-01-05")).status == MaritalStatus.WIDOWED


def test_a_death_of_someone_not_married_here_changes_nothing(users, make_person):
    person = make_person()
    person_record_death(actor=users["committee"], person=person, death_date=D("2026-01-05"))
    assert not marital_status_history(person).exists()


def test_the_person_page_shows_the_marital_status_history(registrar, users, couple_in_registry):
    from django.test import Client

    man, woman, him, her = couple_in_registry
    client = Client()
    client.force_login(users["bureau"])
    assert "未登记（婚姻状况不明）" in client.get(f"/registry/persons/{him.pk}/").content.decode()
    marriage_register(actor=registrar, first=man, second=woman, registered_on=D("2024-05-20"))
    page = client.get(f"/registry/persons/{him.pk}/").content.decode()
    assert "已婚" in page and "结婚登记（松江区民政局婚姻登记处）" in page and "J310117" not in page
