"""Group certificate ceremonies (集体颁证): who may organise and read them,
the couple rules, the audit, and the pages (couples masked, names only for
registrars)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.errors import StateConflict
from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted
from minzheng.marriage.ceremonies import (
    ceremonies_visible,
    ceremony_couple_add,
    ceremony_couple_remove,
    ceremony_create,
)
from minzheng.marriage.models import MarriageRegistration
from minzheng.marriage.services import marriage_register
from minzheng.marriage.tests.conftest import couple

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 5, 20)


@pytest.fixture
def marriage(registrar) -> MarriageRegistration:
    man, woman = couple()
    return marriage_register(actor=registrar, first=man, second=woman, registered_on=dt.date(2024, 5, 6))


@pytest.fixture
def ceremony(registrar):
    return ceremony_create(actor=registrar, name="上海之根 山水婚典", held_on=DAY, place="广富林文化遗址",
                           theme="五二〇 山水之约", registrar=registrar)


def test_a_registrar_records_a_ceremony_and_adds_a_couple_once(registrar, ceremony, marriage):
    ceremony_couple_add(actor=registrar, ceremony=ceremony, registration=marriage)
    other = ceremony_create(actor=registrar, name="上海之根 山水婚典", held_on=DAY + dt.timedelta(days=7),
                            place="泰晤士小镇", registrar=registrar)
    with pytest.raises(StateConflict, match="只能参加一次"):
        ceremony_couple_add(actor=registrar, ceremony=other, registration=marriage)
    with pytest.raises(StateConflict, match="本次活动"):
        ceremony_couple_add(actor=registrar, ceremony=ceremony, registration=marriage)
    assert ceremonies_visible(registrar).get(pk=ceremony.pk).couple_count == 1
    assert [c.pk for c in ceremonies_visible(registrar)] == [other.pk, ceremony.pk]  # latest first
    actions = list(AuditEntry.objects.filter(object_type="Ceremony").values_list("action", flat=True))
    assert actions.count("marriage.ceremony_create") == 2 and "marriage.ceremony_couple_add" in actions


def test_refusals_name_what_is_wrong(registrar, ceremony):
    with pytest.raises(ValidationError) as err:
        ceremony_create(actor=registrar, name="", held_on=None, place="", registrar=None)
    assert set(err.value.messages) >= {"请填写活动名称（如：上海之根 山水婚典）", "请填写颁证日期", "请填写颁证地点",
                                       "请选择负责本次颁证的婚姻登记员"}
    man, woman = couple(man_birth=dt.date(1991, 1, 1), woman_birth=dt.date(1993, 1, 1))
    late = marriage_register(actor=registrar, first=man, second=woman, registered_on=DAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="晚于颁证日期"):
        ceremony_couple_add(actor=registrar, ceremony=ceremony, registration=late)


def test_removing_a_couple_needs_a_reason_and_is_audited(registrar, ceremony, marriage):
    ceremony_couple_add(actor=registrar, ceremony=ceremony, registration=marriage)
    with pytest.raises(ValidationError, match="移除的原因"):
        ceremony_couple_remove(actor=registrar, ceremony=ceremony, registration=marriage, reason="")
    ceremony_couple_remove(actor=registrar, ceremony=ceremony, registration=marriage, reason="录入错误")
    assert not ceremony.couples.exists()
    entry = AuditEntry.objects.get(action="marriage.ceremony_couple_remove")
    assert entry.changes["reason"] == "录入错误"


def test_the_bureau_reads_but_does_not_organise(users, ceremony, marriage, registrar):
    with pytest.raises(NotPermitted):
        ceremony_create(actor=users["bureau"], name="x", held_on=DAY, place="y", registrar=registrar)
    with pytest.raises(NotPermitted):
        ceremony_couple_add(actor=users["bureau"], ceremony=ceremony, registration=marriage)
    assert ceremonies_visible(users["auditor"]).count() == 1
    with pytest.raises(NotPermitted):
        ceremonies_visible(users["street"])


def test_pages_show_couples_masked_to_the_registrar_and_only_counts_to_the_bureau(
        client, registrar, users, ceremony, marriage):
    client.force_login(registrar)
    assert client.get("/marriage/ceremonies/").status_code == 200
    added = client.post(f"/marriage/ceremonies/{ceremony.pk}/couples/add/", {"registration": marriage.pk})
    assert added.status_code == 302
    page = client.get(f"/marriage/ceremonies/{ceremony.pk}/").content.decode()
    party = marriage.parties.first()
    assert party.name in page and party.id_number_masked in page
    assert AuditEntry.objects.filter(action="marriage.ceremony_couples_view").exists()
    client.force_login(users["bureau"])
    page = client.get(f"/marriage/ceremonies/{ceremony.pk}/").content.decode()
    assert party.name not in page and "共有新人 1 对" in page
    assert client.post(f"/marriage/ceremonies/{ceremony.pk}/couples/add/", {"registration": marriage.pk}).status_code == 403
    client.force_login(users["street"])
    assert client.get("/marriage/ceremonies/").status_code == 403
    client.force_login(registrar)
    created = client.post("/marriage/ceremonies/new/", {"name": "上海之根 山水婚典", "held_on": "2024-08-10",
                                                        "place": "醉白池公园", "theme": "七夕", "registrar": registrar.pk})
    assert created.status_code == 302
    assert client.get("/marriage/ceremonies/999999/").status_code == 404
