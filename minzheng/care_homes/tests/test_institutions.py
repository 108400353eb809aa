"""Beds, residents, occupancy and staff of a care institution (ADR 0029)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from conftest import make_id_number
from minzheng.care_homes import selectors, services
from minzheng.care_homes.models import Bed, BedKind, DischargeReason, Post, Resident
from minzheng.core.models import AuditEntry
from minzheng.core.personal_data import decrypt
from minzheng.core.scope import OutOfScope

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AGO = TODAY - dt.timedelta(days=60)


def _admit(operator, home, bed=None, name="王阿婆", birth=dt.date(1938, 3, 2), on=AGO, **extra):
    return services.resident_admit(actor=operator, facility=home, name=name,
                                   id_number=make_id_number(birth, male=False), admitted_on=on, bed=bed, **extra)


def test_room_creates_numbered_beds_in_service(room, homes):
    beds = list(selectors.beds(homes["own"]))
    assert [b.number for b in beds] == ["101-1", "101-2"]
    assert all(b.in_service and b.kind == BedKind.ORDINARY for b in beds)


def test_resident_id_number_is_encrypted_masked_and_linked_to_the_registry(operator, homes, room, make_person):
    person = make_person(name="李阿公", birth=dt.date(1940, 1, 5))
    number = decrypt(person.id_number_enc)
    bed = room.beds.first()
    resident = services.resident_admit(actor=operator, facility=homes["own"], name="李阿公", id_number=number,
                                       admitted_on=AGO, bed=bed, care_level=3, assessed_on=AGO)
    assert resident.person == person
    assert number not in resident.id_number_enc and decrypt(resident.id_number_enc) == number
    assert resident.id_number_masked == number[:6] + "*" * 11 + number[-1]
    assert resident.sex == "M" and resident.birth_date == dt.date(1940, 1, 5)
    unmatched = _admit(operator, homes["own"], name="无档案", bed=room.beds.last())
    assert unmatched.person is None


def test_bad_id_number_and_care_level_are_refused_in_chinese(operator, homes, room):
    with pytest.raises(ValidationError, match="身份证号码无效"):
        services.resident_admit(actor=operator, facility=homes["own"], name="甲", id_number="310117193803021234",
                                admitted_on=AGO)
    with pytest.raises(ValidationError, match="照护等级应为1至6级"):
        _admit(operator, homes["own"], care_level=7, assessed_on=AGO)
    with pytest.raises(ValidationError, match="评估日期"):
        _admit(operator, homes["own"], care_level=2)


def test_one_resident_per_bed_in_the_service_and_the_database(operator, homes, room):
    bed = room.beds.first()
    first = _admit(operator, homes["own"], bed=bed)
    with pytest.raises(ValidationError, match="已有老人入住"):
        _admit(operator, homes["own"], bed=bed, name="第二位")
    second = _admit(operator, homes["own"], name="第二位")
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.filter(pk=second.pk).update(bed=bed)
    assert Resident.objects.get(pk=first.pk).bed == bed


def test_discharge_frees_the_bed(operator, homes, room):
    bed = room.beds.first()
    resident = _admit(operator, homes["own"], bed=bed)
    assert bed not in selectors.free_beds(homes["own"])
    with pytest.raises(ValidationError, match="请填写说明"):
        services.resident_discharge(actor=operator, resident=resident, discharged_on=TODAY,
                                    reason=DischargeReason.OTHER)
    services.resident_discharge(actor=operator, resident=resident, discharged_on=TODAY, reason=DischargeReason.HOME)
    assert bed in selectors.free_beds(homes["own"])
    newcomer = _admit(operator, homes["own"], bed=bed, name="新老人", on=TODAY)
    assert newcomer.bed == bed
    with pytest.raises(ValidationError, match="已离院"):
        services.resident_discharge(actor=operator, resident=resident, discharged_on=TODAY,
                                    reason=DischargeReason.DEATH)


def test_occupancy_is_computed_as_of_a_date(operator, homes, room):
    home = homes["own"]
    services.room_create(actor=operator, facility=home, number="102", beds=2, kind=BedKind.DEMENTIA)
    beds = list(selectors.beds(home))
    a = _admit(operator, home, bed=beds[0], name="甲", on=AGO)
    _admit(operator, home, bed=beds[1], name="乙", on=TODAY - dt.timedelta(days=10))
    services.resident_discharge(actor=operator, resident=a, discharged_on=TODAY - dt.timedelta(days=5),
                                reason=DischargeReason.TRANSFER)
    services.bed_update(actor=operator, bed=beds[3], kind=BedKind.DEMENTIA, in_service=False)
    occ = selectors.occupancy([home.pk, homes["other"].pk], TODAY - dt.timedelta(days=7))
    assert (occ[home.pk].beds, occ[home.pk].residents) == (3, 2)
    assert occ[home.pk].rate == Decimal("66.7")
    today = selectors.occupancy([home.pk], TODAY)[home.pk]
    assert (today.beds, today.residents) == (3, 1)
    assert selectors.occupancy([homes["other"].pk], TODAY)[homes["other"].pk].rate is None  # no beds: no figure
    with pytest.raises(ValidationError, match="不能停用"):
        services.bed_update(actor=operator, bed=beds[1], kind=BedKind.ORDINARY, in_service=False)


def test_move_and_assessment(operator, homes, room):
    b1, b2 = room.beds.all()
    resident = _admit(operator, homes["own"], bed=b1)
    services.resident_move(actor=operator, resident=resident, bed=b2.pk)
    assert Resident.objects.get(pk=resident.pk).bed == b2
    services.resident_assess(actor=operator, resident=resident, care_level=4, assessed_on=TODAY,
                             reassess_due_on=TODAY + dt.timedelta(days=10))
    assert list(selectors.reassessments_due_todo(operator, TODAY)) == [resident]


def test_staff_ratio_counts_caregivers_employed_on_the_day(operator, homes, room):
    home = homes["own"]
    for bed in room.beds.all():
        _admit(operator, home, bed=bed, name=f"老人{bed.number}")
    nurse = services.staff_add(actor=operator, facility=home, name="护士甲", post=Post.NURSE, hired_on=AGO)
    services.staff_add(actor=operator, facility=home, name="护理员甲", post=Post.CAREGIVER, hired_on=AGO)
    figures = selectors.staff_figures([home.pk], TODAY)[home.pk]
    assert (figures.caregivers, figures.total, figures.residents_per_caregiver) == (1, 2, 2)
    services.staff_leave(actor=operator, member=nurse, left_on=TODAY)
    assert selectors.staff_figures([home.pk], TODAY)[home.pk].total == 1
    assert selectors.staff_figures([homes["other"].pk], TODAY)[homes["other"].pk].residents_per_caregiver is None


def test_operator_cannot_write_to_another_institution(operator, other_operator, homes, room):
    with pytest.raises(OutOfScope):
        services.room_create(actor=other_operator, facility=homes["own"], number="201", beds=1)
    with pytest.raises(OutOfScope):
        selectors.bed_get(other_operator, room.beds.first().pk)
    with pytest.raises(OutOfScope):
        selectors.institution_get(other_operator, homes["own"].pk)
    assert list(selectors.institutions(operator)) == [homes["own"]]


def test_street_reads_but_does_not_operate(users, homes, room):
    from minzheng.core.permissions import NotPermitted

    assert list(selectors.institutions(users["street"])) == [homes["own"]]
    with pytest.raises(NotPermitted):
        services.staff_add(actor=users["street"], facility=homes["own"], name="甲", post=Post.CAREGIVER, hired_on=AGO)
    with pytest.raises(NotPermitted):
        selectors.institutions(users["committee"])


def test_every_write_is_audited_with_a_chinese_label(operator, homes, room):
    import re
    from pathlib import Path

    from minzheng.core.audit_labels import ACTION_LABELS, FIELD_LABELS, OBJECT_LABELS

    resident = _admit(operator, homes["own"], bed=room.beds.first())
    services.resident_discharge(actor=operator, resident=resident, discharged_on=TODAY, reason=DischargeReason.DEATH)
    actions = list(AuditEntry.objects.filter(action__startswith="care_homes.").values_list("action", flat=True))
    assert actions == ["care_homes.room_create", "care_homes.resident_admit", "care_homes.resident_discharge"]
    app = Path(__file__).resolve().parents[1]
    written = {a for path in app.glob("*.py") for a in re.findall(r'"(care_homes\.[a-z_]+)"', path.read_text())}
    written -= {"care_homes.view", "care_homes.operate", "care_homes.oversee"}
    assert len(written) == 11
    assert sorted(written - set(ACTION_LABELS)) == []
    for entry in AuditEntry.objects.filter(action__startswith="care_homes."):
        assert entry.object_type in OBJECT_LABELS
        assert sorted(set(entry.changes) - set(FIELD_LABELS)) == []
    assert Bed.objects.count() == 2
