"""Every write of a care institution's records (ADR 0029): one transaction, the
permission ``care_homes.operate``, the institution in the actor's sight
(``facility_get``: an operator only their own; else 404), an audit entry
each. Business refusals are ``ValidationError`` with a Chinese message.

ID numbers are validated with ``stdnum.cn.ric`` (the registry's parser),
stored encrypted with a blind index and a masked copy (ADR 0002); a resident
is linked to the registry person holding the same number when there is one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.care_facilities.models import Facility, FacilityKind
from minzheng.care_facilities.selectors import facility_get
from minzheng.care_homes.models import (
    Bed,
    BedKind,
    DischargeReason,
    Incident,
    IncidentKind,
    IncidentStep,
    Post,
    Resident,
    Room,
    StaffMember,
)
from minzheng.core.audit import audit_record
from minzheng.core.bounds import moment_check
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
from minzheng.core.scope import OutOfScope
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.services import InvalidIdNumber, parse_id_number

ACTOR = User | str


def _guard(actor: ACTOR, facility: Facility) -> Facility:
    """The permission, and the institution within the actor's sight (a plain-name
    actor is the operator of the system: demo, command line)."""
    require(actor, "care_homes.operate", allow_job=True)
    if not isinstance(actor, str):
        facility = facility_get(actor, facility.pk)
    if facility.kind != FacilityKind.CARE_HOME:
        raise OutOfScope()
    return facility


def _audit(actor: ACTOR, action: str, obj: Any, facility: Facility, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, object_type=type(obj).__name__, object_id=obj.pk,
                 scope_code=facility.street_id, changes={"facility": facility.name, **changes})


def _user(actor: ACTOR) -> User | None:
    return None if isinstance(actor, str) else actor


# --- rooms and beds ---------------------------------------------------------------------

def room_create(*, actor: ACTOR, facility: Facility, number: str, beds: int, kind: str = BedKind.ORDINARY,
                floor: str = "", note: str = "") -> Room:
    """A room with ``beds`` beds numbered ``<room>-1`` … (all of ``kind``, in service)."""
    with transaction.atomic():
        facility = _guard(actor, facility)
        number = (number or "").strip()
        if not number:
            raise ValidationError("请填写房间号")
        if kind not in BedKind.values:
            raise ValidationError("床位类型应为普通床位、认知障碍照护床位或护理床位")
        if not 1 <= int(beds) <= 20:
            raise ValidationError("每个房间的床位数应在1至20张之间")
        if Room.objects.filter(facility=facility, number=number).exists():
            raise ValidationError(f"房间号{number}已存在")
        room = Room.objects.create(facility=facility, number=number, floor=floor.strip(), note=note.strip())
        numbers = [f"{number}-{i}" for i in range(1, int(beds) + 1)]
        if Bed.objects.filter(facility=facility, number__in=numbers).exists():
            raise ValidationError("床位号与已有床位重复，请换一个房间号")
        Bed.objects.bulk_create([Bed(facility=facility, room=room, number=n, kind=kind) for n in numbers])
        _audit(actor, "care_homes.room_create", room, facility,
               {"room_number": number, "bed_numbers": "、".join(numbers), "bed_kind": BedKind(kind).label})
    return room


def bed_update(*, actor: ACTOR, bed: Bed, kind: str, in_service: bool) -> Bed:
    """Change a bed's kind or take it out of (or back into) service; an occupied
    bed cannot be taken out of service."""
    with transaction.atomic():
        facility = _guard(actor, bed.facility)
        bed = Bed.objects.select_for_update().get(pk=bed.pk, facility=facility)
        if kind not in BedKind.values:
            raise ValidationError("床位类型应为普通床位、认知障碍照护床位或护理床位")
        if not in_service and bed.residents.filter(discharged_on__isnull=True).exists():
            raise ValidationError(f"床位{bed.number}有老人入住，不能停用；请先调整床位或登记离院")
        old = {"bed_kind": BedKind(bed.kind).label, "in_service": bed.in_service}
        bed.kind, bed.in_service = kind, bool(in_service)
        bed.save(update_fields=["kind", "in_service"])
        _audit(actor, "care_homes.bed_update", bed, facility,
               {"bed_number": bed.number, "bed_kind": [old["bed_kind"], BedKind(kind).label],
                "in_service": [old["in_service"], bed.in_service]})
    return bed


# --- residents ----------------------------------------------------------------------------

def _bed_for(facility: Facility, bed: Bed | int | None) -> Bed | None:
    if bed is None or bed == "":
        return None
    pk = bed.pk if isinstance(bed, Bed) else int(bed)
    found = Bed.objects.select_for_update().filter(pk=pk, facility=facility).first()
    if found is None:
        raise ValidationError("请选择本机构的床位")
    if not found.in_service:
        raise ValidationError(f"床位{found.number}已停用")
    if Resident.objects.filter(bed=found, discharged_on__isnull=True).exists():
        raise ValidationError(f"床位{found.number}已有老人入住")
    return found


def _check_level(care_level: int | None, assessed_on: dt.date | None, reassess_due_on: dt.date | None) -> None:
    if care_level is None:
        if assessed_on or reassess_due_on:
            raise ValidationError("请填写照护等级")
        return
    if not 1 <= int(care_level) <= 6:
        raise ValidationError("照护等级应为1至6级")
    if assessed_on is None:
        raise ValidationError("请填写照护等级的评估日期")
    if assessed_on > timezone.localdate():
        raise ValidationError("评估日期不能晚于今天")
    if reassess_due_on is not None and reassess_due_on <= assessed_on:
        raise ValidationError("评估有效期应晚于评估日期")


def _save(obj, message: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as err:
        raise ValidationError(message) from err


def resident_admit(*, actor: ACTOR, facility: Facility, name: str, id_number: str, admitted_on: dt.date,
                   bed: Bed | int | None = None, care_level: int | None = None, assessed_on: dt.date | None = None,
                   reassess_due_on: dt.date | None = None, note: str = "") -> Resident:
    """Admit a resident (入住); the bed, if given, must be in service and free."""
    with transaction.atomic():
        facility = _guard(actor, facility)
        name = (name or "").strip()
        if not name:
            raise ValidationError("请填写老人姓名")
        try:
            facts = parse_id_number(id_number)
        except InvalidIdNumber as err:
            raise ValidationError(f"身份证号码无效：{err}") from err
        today = timezone.localdate()
        if admitted_on is None:
            raise ValidationError("请填写入住日期")
        if admitted_on > today:
            raise ValidationError("入住日期不能晚于今天")
        if admitted_on < facts.birth_date:
            raise ValidationError("入住日期早于出生日期，请核对")
        _check_level(care_level, assessed_on, reassess_due_on)
        index = blind_index(facts.number)
        if Resident.objects.filter(facility=facility, id_number_index=index, discharged_on__isnull=True).exists():
            raise ValidationError("该老人已在本机构入住")
        person = registry_selectors.person_by_id_index(index)
        resident = Resident(facility=facility, name=name, id_number_enc=encrypt(facts.number), id_number_index=index,
                            id_number_masked=mask_id_number(facts.number), sex=facts.sex, birth_date=facts.birth_date,
                            person=person, bed=_bed_for(facility, bed), admitted_on=admitted_on,
                            care_level=care_level, assessed_on=assessed_on, reassess_due_on=reassess_due_on,
                            note=note.strip())
        _save(resident, "该床位已有老人入住，或该老人已在本机构入住")
        _audit(actor, "care_homes.resident_admit", resident, facility, {
            "name": name, "admitted_on": admitted_on, "bed_number": resident.bed.number if resident.bed else "",
            "care_level": care_level, "registry_match": person is not None})
    return resident


def _current(resident: Resident, facility: Facility) -> Resident:
    resident = Resident.objects.select_for_update().get(pk=resident.pk, facility=facility)
    if resident.discharged_on is not None:
        raise ValidationError("该老人已离院")
    return resident


def resident_assess(*, actor: ACTOR, resident: Resident, care_level: int, assessed_on: dt.date,
                    reassess_due_on: dt.date | None = None) -> Resident:
    """Record a care-level assessment (照护等级评估)."""
    with transaction.atomic():
        facility = _guard(actor, resident.facility)
        resident = _current(resident, facility)
        _check_level(care_level, assessed_on, reassess_due_on)
        if resident.assessed_on and assessed_on < resident.assessed_on:
            raise ValidationError("评估日期早于上一次评估")
        old = resident.care_level
        resident.care_level, resident.assessed_on, resident.reassess_due_on = care_level, assessed_on, reassess_due_on
        resident.save(update_fields=["care_level", "assessed_on", "reassess_due_on"])
        _audit(actor, "care_homes.resident_assess", resident, facility, {
            "name": resident.name, "care_level": [old, care_level], "assessed_on": assessed_on,
            "reassess_due_on": reassess_due_on})
    return resident


def resident_move(*, actor: ACTOR, resident: Resident, bed: Bed | int | None) -> Resident:
    """Move a resident to another free bed (or to none)."""
    with transaction.atomic():
        facility = _guard(actor, resident.facility)
        resident = _current(resident, facility)
        old = resident.bed.number if resident.bed else ""
        pk = None if bed in (None, "") else (bed.pk if isinstance(bed, Bed) else int(bed))
        if pk == resident.bed_id:
            raise ValidationError("新床位与原床位相同")
        new_bed = _bed_for(facility, pk)
        resident.bed = new_bed
        _save(resident, "该床位已有老人入住")
        _audit(actor, "care_homes.resident_move", resident, facility, {
            "name": resident.name, "bed_number": [old, new_bed.number if new_bed else ""]})
    return resident


def resident_discharge(*, actor: ACTOR, resident: Resident, discharged_on: dt.date, reason: str,
                       note: str = "") -> Resident:
    """Discharge (离院): the bed is free from that day (the constraint counts
    only residents without a discharge date)."""
    with transaction.atomic():
        facility = _guard(actor, resident.facility)
        resident = _current(resident, facility)
        if reason not in DischargeReason.values:
            raise ValidationError("离院原因应为回家、转院、死亡或其他")
        if discharged_on is None:
            raise ValidationError("请填写离院日期")
        if discharged_on > timezone.localdate():
            raise ValidationError("离院日期不能晚于今天")
        if discharged_on < resident.admitted_on:
            raise ValidationError("离院日期不能早于入住日期")
        if reason == DischargeReason.OTHER and not note.strip():
            raise ValidationError("离院原因为“其他”时请填写说明")
        resident.discharged_on, resident.discharge_reason, resident.discharge_note = discharged_on, reason, note.strip()
        resident.save(update_fields=["discharged_on", "discharge_reason", "discharge_note"])
        _audit(actor, "care_homes.resident_discharge", resident, facility, {
            "name": resident.name, "discharged_on": discharged_on,
            "discharge_reason": DischargeReason(reason).label, "note": resident.discharge_note})
    return resident


# --- staff ---------------------------------------------------------------------------------

def staff_add(*, actor: ACTOR, facility: Facility, name: str, post: str, hired_on: dt.date,
              note: str = "") -> StaffMember:
    with transaction.atomic():
        facility = _guard(actor, facility)
        name = (name or "").strip()
        if not name:
            raise ValidationError("请填写姓名")
        if post not in Post.values:
            raise ValidationError("请选择岗位")
        if hired_on is None:
            raise ValidationError("请填写入职日期")
        if hired_on > timezone.localdate():
            raise ValidationError("入职日期不能晚于今天")
        member = StaffMember.objects.create(facility=facility, name=name, post=post, hired_on=hired_on,
                                            note=note.strip())
        _audit(actor, "care_homes.staff_add", member, facility,
               {"name": name, "post": Post(post).label, "hired_on": hired_on})
    return member


def staff_leave(*, actor: ACTOR, member: StaffMember, left_on: dt.date) -> StaffMember:
    with transaction.atomic():
        facility = _guard(actor, member.facility)
        member = StaffMember.objects.select_for_update().get(pk=member.pk, facility=facility)
        if member.left_on is not None:
            raise ValidationError("已登记离职")
        if left_on is None or left_on < member.hired_on:
            raise ValidationError("离职日期不能早于入职日期")
        if left_on > timezone.localdate():
            raise ValidationError("离职日期不能晚于今天")
        member.left_on = left_on
        member.save(update_fields=["left_on"])
        _audit(actor, "care_homes.staff_leave", member, facility, {"name": member.name, "left_on": left_on})
    return member


# --- incidents -----------------------------------------------------------------------------

def incident_report(*, actor: ACTOR, facility: Facility, kind: str, occurred_at: dt.datetime, description: str,
                    resident: Resident | int | None = None) -> Incident:
    """Report an incident (跌倒、感染、火警、走失、其他); the bureau sees it on 云监管."""
    with transaction.atomic():
        facility = _guard(actor, facility)
        if kind not in IncidentKind.values:
            raise ValidationError("事件类型应为跌倒、感染、火警、走失或其他")
        if occurred_at is None:
            raise ValidationError("请填写发生时间")
        occurred_at = moment_check(occurred_at, "发生时间")  # a time without a zone is Beijing time, never a 500
        if occurred_at > timezone.now():
            raise ValidationError("发生时间不能晚于现在")
        if not (description or "").strip():
            raise ValidationError("请填写事件经过")
        who = None
        if resident not in (None, ""):
            pk = resident.pk if isinstance(resident, Resident) else int(resident)
            who = Resident.objects.filter(pk=pk, facility=facility).first()
            if who is None:
                raise ValidationError("请选择本机构的入住老人")
        incident = Incident.objects.create(facility=facility, kind=kind, occurred_at=occurred_at, resident=who,
                                           description=description.strip(), reported_by=_user(actor))
        _audit(actor, "care_homes.incident_report", incident, facility,
               {"incident_kind": IncidentKind(kind).label, "occurred_at": occurred_at})
    return incident


def incident_step(*, actor: ACTOR, incident: Incident, on: dt.date, text: str) -> IncidentStep:
    """Record a follow-up step (处置措施)."""
    with transaction.atomic():
        facility = _guard(actor, incident.facility)
        incident = Incident.objects.select_for_update().get(pk=incident.pk, facility=facility)
        if incident.closed_on is not None:
            raise ValidationError("事件已结案")
        if not (text or "").strip():
            raise ValidationError("请填写处置措施")
        if on is None or on > timezone.localdate():
            raise ValidationError("处置日期不能晚于今天")
        if on < timezone.localtime(incident.occurred_at).date():
            raise ValidationError("处置日期不能早于事件发生日期")
        step = IncidentStep.objects.create(incident=incident, on=on, text=text.strip(), recorded_by=_user(actor))
        _audit(actor, "care_homes.incident_step", incident, facility, {"step": step.text, "on": on})
    return step


def incident_close(*, actor: ACTOR, incident: Incident, closed_on: dt.date, closure: str) -> Incident:
    """Close an incident (结案) with what was done."""
    with transaction.atomic():
        facility = _guard(actor, incident.facility)
        incident = Incident.objects.select_for_update().get(pk=incident.pk, facility=facility)
        if incident.closed_on is not None:
            raise ValidationError("事件已结案")
        if not (closure or "").strip():
            raise ValidationError("请填写结案说明")
        if closed_on is None or closed_on > timezone.localdate():
            raise ValidationError("结案日期不能晚于今天")
        if closed_on < timezone.localtime(incident.occurred_at).date():
            raise ValidationError("结案日期不能早于事件发生日期")
        incident.closed_on, incident.closure = closed_on, closure.strip()
        incident.save(update_fields=["closed_on", "closure"])
        _audit(actor, "care_homes.incident_close", incident, facility,
               {"incident_closed_on": closed_on, "closure": incident.closure})
    return incident
