"""结婚登记: each refusal reason, what a registration records, certificates and
their re-issue, the marital status in the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import make_id_number
from minzheng.core.models import AuditEntry
from minzheng.core.personal_data import decrypt
from minzheng.marriage.models import (
    CertificateKind,
    CertificateStatus,
    DocumentKind,
    MarriageCertificate,
    MarriageRegistration,
)
from minzheng.marriage.services import PartyInput, certificate_reissue, marriage_register
from minzheng.marriage.tests.conftest import SH, couple, party
from minzheng.registry.models import MaritalStatus
from minzheng.registry.selectors import marital_status_history, marital_status_in_force
from minzheng.registry.services import person_marital_status_record

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def _refused(registrar, first, second, on=DAY) -> list[str]:
    with pytest.raises(ValidationError) as err:
        marriage_register(actor=registrar, first=first, second=second, registered_on=on)
    return err.value.messages


def test_a_registration_records_parties_declarations_and_two_numbered_certificates(registrar):
    man, woman = couple()
    reg = marriage_register(actor=registrar, first=woman, second=man, registered_on=DAY)
    parties = list(reg.parties.all())
    assert [p.sex for p in parties] == ["M", "F"]  # 男方 first whatever the order typed
    assert parties[0].name == "李强" and decrypt(parties[0].id_number_enc) == man.id_number
    assert parties[0].id_number_masked == man.id_number[:6] + "*" * 11 + man.id_number[-1]
    assert parties[1].birth_date == dt.date(1997, 8, 9)
    assert not reg.cross_province and reg.office_id == "310117" and reg.registrar == registrar
    kinds = sorted(reg.documents.values_list("kind", flat=True))
    assert kinds == sorted([DocumentKind.NO_SPOUSE, DocumentKind.NO_KINSHIP] * 2)
    assert all(len(d.sha256) == 64 and d.text for d in reg.documents.all())
    numbers = sorted(reg.certificates.values_list("number", flat=True))
    assert numbers == ["J310117-2026-000001", "J310117-2026-000002"]
    entry = AuditEntry.objects.filter(action="marriage.register").get()
    assert man.id_number not in str(entry.changes) and parties[0].id_number_masked in str(entry.changes)


@pytest.mark.parametrize("which", ["first", "second"])
def test_an_invalid_id_number_is_refused(registrar, which):
    man, woman = couple()
    bad = PartyInput("李强", man.id_number[:-1] + ("0" if man.id_number[-1] != "0" else "1"), SH, True, True)
    args = (bad, woman) if which == "first" else (woman, bad)
    messages = _refused(registrar, *args)
    assert any("身份证号码无效" in m and "校验位" in m for m in messages)


def test_man_under_22_full_years_is_refused_and_on_the_birthday_accepted(registrar):
    man, woman = couple(man_birth=dt.date(2004, 6, 2))  # 22 on 2026-06-02
    messages = _refused(registrar, man, woman)
    assert any("男方李强" in m and "未满22周岁" in m and "实足21周岁" in m and "第一千零四十七条" in m
               for m in messages)
    reg = marriage_register(actor=registrar, first=man, second=woman, registered_on=dt.date(2026, 6, 2))
    assert reg.pk


def test_woman_under_20_full_years_is_refused(registrar):
    man, woman = couple(woman_birth=dt.date(2006, 12, 31))
    messages = _refused(registrar, man, woman)
    assert any("女方赵敏" in m and "未满20周岁" in m for m in messages)


def test_a_man_of_20_is_refused_though_a_woman_of_20_is_not(registrar):
    man, woman = couple(man_birth=dt.date(2006, 1, 1), woman_birth=dt.date(2006, 1, 1))
    messages = _refused(registrar, man, woman)
    assert len([m for m in messages if "未满" in m]) == 1 and "男方" in messages[0]


def test_two_parties_of_the_same_sex_are_refused(registrar):
    a = party("李强", dt.date(1990, 1, 1), male=True)
    b = party("王刚", dt.date(1991, 1, 1), male=True)
    messages = _refused(registrar, a, b)
    assert any("均为男性" in m for m in messages)


def test_the_same_id_number_twice_is_refused(registrar):
    man, _ = couple()
    messages = _refused(registrar, man, man)
    assert messages == ["两位当事人的身份证号码相同，请核对"]


def test_a_party_married_in_our_records_is_refused(registrar):
    man, woman = couple()
    marriage_register(actor=registrar, first=man, second=woman, registered_on=DAY)
    other = party("钱芳", dt.date(1996, 1, 1), male=False)
    messages = _refused(registrar, man, other, on=DAY + dt.timedelta(days=3))
    assert any("男方李强" in m and "婚姻存续" in m and "重婚" in m for m in messages)


def test_a_party_married_per_the_registry_is_refused(registrar, users):
    from minzheng.registry.services import person_create

    man, woman = couple()
    person = person_create(actor=users["bureau"], name="赵敏", id_number=woman.id_number,
                           committee_code="310117001001")
    person_marital_status_record(actor=users["bureau"], person=person, status=MaritalStatus.MARRIED,
                                 since=dt.date(2020, 1, 1), source="户籍登记")
    messages = _refused(registrar, man, woman)
    assert any("女方赵敏在人口库中的婚姻状况为已婚" in m for m in messages)


def test_unsigned_declarations_are_refused_each_named(registrar):
    man = party("李强", dt.date(1990, 1, 1), male=True, signed=False)
    woman = party("赵敏", dt.date(1992, 1, 1), male=False)
    woman = PartyInput(woman.name, woman.id_number, SH, signed_no_spouse=True, signed_no_kinship=False)
    messages = _refused(registrar, man, woman)
    assert "男方李强尚未签署“本人无配偶”声明" in messages
    assert any("男方李强尚未签署“与对方无直系血亲" in m for m in messages)
    assert any("女方赵敏尚未签署“与对方无直系血亲" in m for m in messages)
    assert not any("女方赵敏尚未签署“本人无配偶" in m for m in messages)


def test_before_the_pilot_a_couple_without_a_shanghai_party_is_refused(registrar):
    man, woman = couple(man_province="34", woman_province="32")
    messages = _refused(registrar, man, woman, on=dt.date(2023, 5, 31))
    assert any("跨省通办" in m and "2023年6月1日" in m for m in messages)
    # one Shanghai party: allowed before the pilot, and not cross-province (the couple could always
    # register at the Shanghai party's hukou office; 跨省 means neither party's hukou is in Shanghai)
    man2, woman2 = couple(man_province=SH, woman_province="32")
    reg = marriage_register(actor=registrar, first=man2, second=woman2, registered_on=dt.date(2023, 5, 31))
    assert not reg.cross_province


@pytest.mark.parametrize("on", [dt.date(2023, 6, 1), dt.date(2025, 5, 9), dt.date(2025, 5, 10)])
def test_from_the_pilot_and_nationwide_a_non_local_couple_registers_as_cross_province(registrar, on):
    man, woman = couple(man_province="34", woman_province="32")
    reg = marriage_register(actor=registrar, first=man, second=woman, registered_on=on)
    assert reg.cross_province


def test_a_future_date_and_a_missing_province_are_refused(registrar):
    man, woman = couple()
    with pytest.raises(ValidationError, match="不能晚于今天"):
        marriage_register(actor=registrar, first=man, second=woman, registered_on=dt.date.today() + dt.timedelta(1))
    no_province = PartyInput(man.name, man.id_number, "", True, True)
    assert any("户籍所在省份" in m for m in _refused(registrar, no_province, woman))


def test_registration_updates_the_marital_status_history_of_registry_persons(registrar, users):
    from minzheng.registry.services import person_create

    man, woman = couple()
    person = person_create(actor=users["bureau"], name="李强", id_number=man.id_number, committee_code="310117001001")
    person_marital_status_record(actor=users["bureau"], person=person, status=MaritalStatus.UNMARRIED,
                                 since=dt.date(2013, 3, 4), source="户籍登记")
    reg = marriage_register(actor=registrar, first=man, second=woman, registered_on=DAY)
    assert reg.parties.get(sex="M").person == person
    assert reg.parties.get(sex="F").person is None  # not in the registry: nothing to update
    assert marital_status_in_force(person, DAY - dt.timedelta(days=1)).status == MaritalStatus.UNMARRIED
    now = marital_status_in_force(person, DAY)
    assert now.status == MaritalStatus.MARRIED and now.source == "结婚登记（松江区民政局婚姻登记处）"
    assert [r.status for r in marital_status_history(person)] == [MaritalStatus.MARRIED, MaritalStatus.UNMARRIED]


def test_reissue_gives_a_new_number_from_its_series_and_supersedes_the_old(registrar):
    man, woman = couple()
    reg = marriage_register(actor=registrar, first=man, second=woman, registered_on=DAY)
    old = reg.certificates.get(holder__sex="F")
    with pytest.raises(ValidationError, match="补发原因"):
        certificate_reissue(actor=registrar, certificate=old, reason=" ")
    new = certificate_reissue(actor=registrar, certificate=old, reason="遗失", on=DAY + dt.timedelta(days=10))
    old.refresh_from_db()
    assert old.status == CertificateStatus.SUPERSEDED and old.superseded_on == DAY + dt.timedelta(days=10)
    assert new.number == "BJ310117-2026-000001" and new.reissue_of == old and new.kind == CertificateKind.MARRIAGE
    assert new.holder == old.holder and new.status == CertificateStatus.VALID
    with pytest.raises(ValidationError, match="已作废"):
        certificate_reissue(actor=registrar, certificate=old, reason="遗失")
    assert reg.documents.filter(kind=DocumentKind.REISSUE_APPLICATION).count() == 1
    # the next registration continues the J series: no gap, no reuse
    other = marriage_register(actor=registrar, first=party("孙伟", dt.date(1990, 2, 2), male=True),
                              second=party("周婷", dt.date(1992, 2, 2), male=False), registered_on=DAY)
    assert sorted(other.certificates.values_list("number", flat=True)) == [
        "J310117-2026-000003", "J310117-2026-000004"]


def test_a_refused_registration_uses_up_no_number(registrar):
    man, woman = couple(man_birth=dt.date(2010, 1, 1))
    _refused(registrar, man, woman)
    assert not MarriageRegistration.objects.exists() and not MarriageCertificate.objects.exists()
    ok = marriage_register(actor=registrar, first=party("孙伟", dt.date(1990, 2, 2), male=True),
                           second=party("周婷", dt.date(1992, 2, 2), male=False), registered_on=DAY)
    assert min(ok.certificates.values_list("number", flat=True)) == "J310117-2026-000001"


def test_series_are_per_year(registrar):
    a = marriage_register(actor=registrar, first=party("孙伟", dt.date(1990, 2, 2), male=True),
                          second=party("周婷", dt.date(1992, 2, 2), male=False), registered_on=dt.date(2025, 12, 31))
    b = marriage_register(actor=registrar, first=party("吴刚", dt.date(1990, 2, 2), male=True),
                          second=party("郑洁", dt.date(1992, 2, 2), male=False), registered_on=dt.date(2026, 1, 1))
    assert min(a.certificates.values_list("number", flat=True)) == "J310117-2025-000001"
    assert min(b.certificates.values_list("number", flat=True)) == "J310117-2026-000001"


def test_id_numbers_are_stored_only_encrypted(registrar):
    man, woman = couple()
    reg = marriage_register(actor=registrar, first=man, second=woman, registered_on=DAY)
    row = reg.parties.values().get(sex="M")
    assert man.id_number not in str(row)
    assert make_id_number  # the factory the couples come from
