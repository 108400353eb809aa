"""Every write of 流浪乞讨人员救助 (ADR 0038): permission, jurisdiction, one
transaction, one audit entry; refusals are ``ValidationError`` in Chinese.

* :func:`rescue_record` — a rescue; the person is found by ID number (the blind
  index: a repeat rescue is the same person), given, or created with identity pending.
  A rescue found on a campaign's day is linked to the campaign, and to the town's
  patrol shift covering its time.
* :func:`person_identify`, :func:`person_merge`, :func:`person_unmerge` — an
  unidentified person later identified; two records of one person merged (what moved
  is kept) and the merge undone.
* services, outcome (情暖归途 …), follow-ups; photos (PNG/JPEG, sealed);
  weather warnings, campaigns, patrol shifts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bounds import EARLIEST_DAY, day_check
from minzheng.core.file_types import upload_type
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number, seal_bytes
from minzheng.core.scope import OutOfScope, require_scope_covers
from minzheng.homeless_rescue.models import (
    CAMPAIGN_WARNINGS,
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    Campaign,
    CampaignKind,
    FinderKind,
    FollowUp,
    Identity,
    Outcome,
    PatrolShift,
    PersonMerge,
    PersonPhoto,
    Rescue,
    RescuedPerson,
    ServiceGiven,
    ServiceKind,
    Sex,
    WarningKind,
    WarningLevel,
    WeatherWarning,
)
from minzheng.registry.selectors import person_by_id_index
from minzheng.registry.services import InvalidIdNumber, parse_id_number

ACTOR = User | str
PHOTO_MAX_BYTES = 5 * 1024 * 1024
MAX_COUNT = 10_000
"""People met on one patrol shift: a town's shift meets a handful; 10,000 is far above any real count."""
SHIFT_MAX_HOURS = 24
IDENTITY_FIELDS = ("name", "sex", "birth_date", "identity", "id_number_enc", "id_number_index", "id_number_masked",
                   "registry_person_id")


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _covers(actor: ACTOR, street: str) -> None:
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=street, committee_code=None)


def _text(value: str, label: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}")
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字")
    return value


def _street(street: Division | str) -> Division:
    if isinstance(street, str):
        street = Division.objects.filter(code=street).first()  # type: ignore[assignment]
    if not isinstance(street, Division) or street.level != DivisionLevel.STREET:
        raise ValidationError("请选择发现地所在的街镇")
    return street


def _now() -> dt.datetime:
    return timezone.now()


def _moment_check(when: dt.datetime, label: str) -> dt.datetime:
    """A time typed by staff: from 2000-01-01, not in the future (5 minutes' grace for clocks)."""
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    day_check(timezone.localtime(when).date(), label)
    if when > _now() + dt.timedelta(minutes=5):
        raise ValidationError(f"{label}不能晚于现在")
    return when


def coordinates_check(latitude: Decimal | float | None, longitude: Decimal | float | None) -> tuple[
        Decimal | None, Decimal | None]:
    """Both or neither; each finite, within Shanghai's extent (``LATITUDE_RANGE``,
    ``LONGITUDE_RANGE``), at most 5 decimals (about a metre)."""
    if latitude is None and longitude is None:
        return None, None
    if latitude is None or longitude is None:
        raise ValidationError("经度和纬度应同时填写或同时不填")
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    except ArithmeticError as err:
        raise ValidationError("经纬度不是有效的数字") from err
    if not (lat.is_finite() and lon.is_finite()):
        raise ValidationError("经纬度不是有效的数字")
    if not Decimal(str(LATITUDE_RANGE[0])) <= lat <= Decimal(str(LATITUDE_RANGE[1])):
        raise ValidationError(f"纬度应在 {LATITUDE_RANGE[0]} 到 {LATITUDE_RANGE[1]} 之间（上海市范围）")
    if not Decimal(str(LONGITUDE_RANGE[0])) <= lon <= Decimal(str(LONGITUDE_RANGE[1])):
        raise ValidationError(f"经度应在 {LONGITUDE_RANGE[0]} 到 {LONGITUDE_RANGE[1]} 之间（上海市范围）")
    return lat.quantize(Decimal("0.00001")), lon.quantize(Decimal("0.00001"))


def _id_facts(id_number: str):
    try:
        return parse_id_number(id_number)
    except InvalidIdNumber as err:
        raise ValidationError(str(err)) from err


def person_by_id_number(id_number: str) -> RescuedPerson | None:
    """The (unmerged) rescued person holding this ID number, by its blind index."""
    facts = _id_facts(id_number)
    return RescuedPerson.objects.filter(merged_into__isnull=True, id_number_index=blind_index(facts.number)).first()


def _identity_set(person: RescuedPerson, id_number: str) -> None:
    facts = _id_facts(id_number)
    index = blind_index(facts.number)
    other = RescuedPerson.objects.filter(merged_into__isnull=True, id_number_index=index).exclude(pk=person.pk).first()
    if other is not None:
        raise ValidationError(f"该身份证号已登记为受助人员（编号{other.pk}），请将两条记录合并")
    person.id_number_enc, person.id_number_index = encrypt(facts.number), index
    person.id_number_masked = mask_id_number(facts.number)
    person.identity, person.birth_date, person.sex = Identity.IDENTIFIED, facts.birth_date, facts.sex
    person.age_estimate = None
    registry = person_by_id_index(index)
    person.registry_person = registry
    if registry is not None and not person.name:
        person.name = registry.name


def _age(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
        raise ValidationError("估计年龄应为0至120岁")
    return value


# --- rescues ----------------------------------------------------------------------

def campaign_on(day: dt.date) -> Campaign | None:
    """The campaign running on ``day`` (the latest started when two overlap)."""
    return (Campaign.objects.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .order_by("-starts_on", "-id").first())


@transaction.atomic
def rescue_record(*, actor: ACTOR, found_at: dt.datetime, street: Division | str, place: str,
                  finder_kind: FinderKind, needs: str, finder_unit: str = "",
                  latitude: Decimal | float | None = None, longitude: Decimal | float | None = None,
                  person: RescuedPerson | None = None, id_number: str = "", name: str = "", sex: str = "",
                  age_estimate: int | None = None, description: str = "", hometown: str = "",
                  shift: PatrolShift | None = None) -> Rescue:
    """Record a rescue. The person: ``person`` if given (an earlier record), else the
    one holding ``id_number`` (a repeat rescue: matched by the blind index), else a
    new record — identified with an ID number, otherwise identity pending with a
    description (体貌特征) required."""
    require(actor, "homeless_rescue.record", allow_job=True)
    street = _street(street)
    _covers(actor, street.code)
    found_at = _moment_check(found_at, "发现时间")
    place = _text(place, "发现地点", 200, required=True)
    needs = _text(needs, "救助需求", 2000, required=True)
    finder_unit = _text(finder_unit, "发现单位或人员", 100)
    lat, lon = coordinates_check(latitude, longitude)
    if not isinstance(finder_kind, FinderKind) or not finder_kind.active:
        raise ValidationError("请选择发现来源")
    name, description, hometown = (_text(name, "姓名", 64), _text(description, "体貌特征", 2000),
                                   _text(hometown, "自述户籍地或家乡", 100))
    if sex and sex not in Sex.values:
        raise ValidationError("性别应为男、女或不详")
    age_estimate = _age(age_estimate)
    matched = False
    if person is not None:
        person = RescuedPerson.objects.select_for_update().get(pk=person.pk)
        if person.merged_into_id:
            raise ValidationError("该受助人员记录已合并到另一条记录，请在保留的记录上登记")
        if id_number.strip() and person.identity == Identity.PENDING:
            _identity_set(person, id_number)
            person.save()
    elif id_number.strip():
        person = person_by_id_number(id_number)
        matched = person is not None
        if person is None:
            person = RescuedPerson(name=name, sex=sex or Sex.UNKNOWN, description=description, hometown=hometown,
                                   street=street, created_by=_name(actor))
            _identity_set(person, id_number)
            person.save()
        elif not person.name and name:
            person.name = name
            person.save(update_fields=["name"])
    else:
        if not description:
            raise ValidationError("身份不明时请填写体貌特征，以便再次救助时辨认")
        person = RescuedPerson.objects.create(name=name, sex=sex or Sex.UNKNOWN, age_estimate=age_estimate,
                                              description=description, hometown=hometown, street=street,
                                              created_by=_name(actor))
    day = timezone.localtime(found_at).date()
    campaign = campaign_on(day)
    if shift is not None:
        if shift.street_id != street.code:
            raise ValidationError("巡查班次应为发现街镇的班次")
        if not shift.starts_at - dt.timedelta(hours=1) <= found_at <= shift.ends_at + dt.timedelta(hours=1):
            raise ValidationError("发现时间不在该巡查班次的时段内")
        campaign = shift.campaign
    elif campaign is not None:
        shift = (campaign.shifts.filter(street=street, starts_at__lte=found_at, ends_at__gte=found_at)
                 .order_by("starts_at").first())
    rescue = Rescue.objects.create(person=person, found_at=found_at, street=street, place=place, latitude=lat,
                                   longitude=lon, finder_kind=finder_kind, finder_unit=finder_unit, needs=needs,
                                   campaign=campaign, shift=shift, recorded_by=_name(actor))
    audit_record(actor=actor, action="homeless_rescue.rescue_record", object_type="HomelessRescue", object_id=rescue.pk,
                 scope_code=street.code, changes={
                     "person": person.pk, "id_number": person.id_number_masked or None,
                     "matched_by_id_number": matched, "found_at": found_at.isoformat(), "street": street.name,
                     "finder_kind": finder_kind.label, "campaign": campaign.name if campaign else None,
                     "shift": shift.pk if shift else None})
    return rescue


def _rescue_locked(actor: ACTOR, rescue: Rescue, action: str) -> Rescue:
    require(actor, action, allow_job=True)
    _covers(actor, rescue.street_id)
    return Rescue.objects.select_for_update().select_related("person").get(pk=rescue.pk)


def _on_or_after_found(day: dt.date, rescue: Rescue, label: str, today: dt.date | None = None) -> dt.date:
    day_check(day, label, latest=today or timezone.localdate())
    if day < timezone.localtime(rescue.found_at).date():
        raise ValidationError(f"{label}不能早于发现日期")
    return day


@transaction.atomic
def service_give(*, actor: ACTOR, rescue: Rescue, kind: ServiceKind, quantity: int, given_on: dt.date,
                 note: str = "", today: dt.date | None = None) -> ServiceGiven:
    """A service given (办法 第八条): food, clothing, shelter nights, medical transfer,
    a ticket home — with its quantity (1 to the kind's maximum) and date."""
    rescue = _rescue_locked(actor, rescue, "homeless_rescue.record")
    if not isinstance(kind, ServiceKind) or not kind.active:
        raise ValidationError("请选择救助服务")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= kind.max_quantity:
        raise ValidationError(f"{kind.label}的数量应为1至{kind.max_quantity}{kind.unit}")
    _on_or_after_found(given_on, rescue, "服务日期", today)
    service = ServiceGiven.objects.create(rescue=rescue, kind=kind, quantity=quantity, given_on=given_on,
                                          note=_text(note, "说明", 200), recorded_by=_name(actor))
    audit_record(actor=actor, action="homeless_rescue.service_give", object_type="HomelessRescue", object_id=rescue.pk,
                 scope_code=rescue.street_id, changes={"service": kind.label, "quantity": quantity,
                                                       "given_on": given_on.isoformat()})
    return service


@transaction.atomic
def outcome_record(*, actor: ACTOR, rescue: Rescue, outcome: str, on: dt.date, note: str = "",
                   today: dt.date | None = None) -> Rescue:
    """The outcome: returned home (情暖归途: where to), placed (where), left (自愿离站,
    办法 第六条), died. May be corrected; the audit keeps the one before."""
    rescue = _rescue_locked(actor, rescue, "homeless_rescue.record")
    if outcome not in Outcome.values or outcome == Outcome.IN_CARE:
        raise ValidationError("请选择救助结果：护送返乡、安置、自行离开或死亡")
    _on_or_after_found(on, rescue, "结果日期", today)
    note = _text(note, "去向或说明", 200)
    if outcome in (Outcome.RETURNED_HOME, Outcome.PLACED) and not note:
        raise ValidationError("护送返乡或安置时请写明去向")
    before = rescue.get_outcome_display() + (f"（{rescue.outcome_on.isoformat()}）" if rescue.outcome_on else "")
    rescue.outcome, rescue.outcome_on, rescue.outcome_note = outcome, on, note
    rescue.save(update_fields=["outcome", "outcome_on", "outcome_note"])
    audit_record(actor=actor, action="homeless_rescue.outcome_record", object_type="HomelessRescue", object_id=rescue.pk,
                 scope_code=rescue.street_id, changes={"before": before, "rescue_outcome": outcome,
                                                       "on": on.isoformat()})
    return rescue


@transaction.atomic
def follow_up_record(*, actor: ACTOR, rescue: Rescue, on: dt.date, note: str,
                     today: dt.date | None = None) -> FollowUp:
    rescue = _rescue_locked(actor, rescue, "homeless_rescue.record")
    _on_or_after_found(on, rescue, "回访日期", today)
    follow_up = FollowUp.objects.create(rescue=rescue, on=on, note=_text(note, "回访情况", 500, required=True),
                                        recorded_by=_name(actor))
    audit_record(actor=actor, action="homeless_rescue.follow_up", object_type="HomelessRescue", object_id=rescue.pk,
                 scope_code=rescue.street_id, changes={"on": on.isoformat()})
    return follow_up


# --- persons -----------------------------------------------------------------------

def _person_covers(actor: ACTOR, person: RescuedPerson) -> None:
    if isinstance(actor, str):
        return
    streets = {person.street_id, *person.rescues.values_list("street_id", flat=True)}
    for street in streets:
        try:
            require_scope_covers(actor, street_code=street, committee_code=None)
            return
        except OutOfScope:
            continue
    require_scope_covers(actor, street_code=person.street_id, committee_code=None)


@transaction.atomic
def person_update(*, actor: ACTOR, person: RescuedPerson, name: str, sex: str, age_estimate: int | None,
                  description: str, hometown: str) -> RescuedPerson:
    """Name, sex, estimated age, description and hometown as staff learn them."""
    require(actor, "homeless_rescue.record", allow_job=True)
    _person_covers(actor, person)
    person = RescuedPerson.objects.select_for_update().get(pk=person.pk)
    if person.merged_into_id:
        raise ValidationError("该记录已合并，请修改保留的记录")
    if sex not in Sex.values:
        raise ValidationError("性别应为男、女或不详")
    if person.identity == Identity.IDENTIFIED and sex != person.sex:
        raise ValidationError("身份已核实人员的性别以身份证号码为准")
    person.name, person.sex = _text(name, "姓名", 64), sex
    person.age_estimate = None if person.identity == Identity.IDENTIFIED else _age(age_estimate)
    person.description, person.hometown = _text(description, "体貌特征", 2000), _text(hometown, "自述户籍地或家乡", 100)
    person.save()
    audit_record(actor=actor, action="homeless_rescue.person_update", object_type="RescuedPerson",
                 object_id=person.pk, scope_code=person.street_id, changes={"name": person.name, "sex": sex})
    return person


@transaction.atomic
def person_identify(*, actor: ACTOR, person: RescuedPerson, id_number: str, name: str = "") -> RescuedPerson:
    """An unidentified person's identity found (ID number): set it, linked to the
    registry's person when the district holds one. When another record already
    holds the number, the two are one person: refused with the hint to merge them."""
    require(actor, "homeless_rescue.record", allow_job=True)
    _person_covers(actor, person)
    person = RescuedPerson.objects.select_for_update().get(pk=person.pk)
    if person.merged_into_id:
        raise ValidationError("该记录已合并，请在保留的记录上核实身份")
    if person.identity == Identity.IDENTIFIED:
        raise ValidationError("该人员身份已核实")
    _identity_set(person, id_number)
    if name.strip():
        person.name = _text(name, "姓名", 64)
    person.save()
    audit_record(actor=actor, action="homeless_rescue.person_identify", object_type="RescuedPerson",
                 object_id=person.pk, scope_code=person.street_id,
                 changes={"id_number": person.id_number_masked, "registry_linked": person.registry_person_id is not None})
    return person


def _identity(person: RescuedPerson) -> dict:
    values = {f: getattr(person, f) for f in IDENTITY_FIELDS}
    values["birth_date"] = person.birth_date.isoformat() if person.birth_date else None
    return values


def _identity_restore(person: RescuedPerson, values: dict) -> None:
    for f in IDENTITY_FIELDS:
        setattr(person, f, values[f])
    person.birth_date = dt.date.fromisoformat(values["birth_date"]) if values["birth_date"] else None


@transaction.atomic
def person_merge(*, actor: ACTOR, keep: RescuedPerson, duplicate: RescuedPerson, reason: str) -> PersonMerge:
    """Two records are one person (e.g. an unidentified person later identified):
    the duplicate's rescues and photos move to ``keep``; when only the duplicate is
    identified, ``keep`` takes the identity. The duplicate stays, marked merged
    (history kept); :class:`PersonMerge` records what moved for :func:`person_unmerge`."""
    require(actor, "homeless_rescue.merge", allow_job=True)
    if keep.pk == duplicate.pk:
        raise ValidationError("不能把记录与其自身合并")
    _person_covers(actor, keep)
    _person_covers(actor, duplicate)
    reason = _text(reason, "合并依据", 200, required=True)
    locked = {p.pk: p for p in RescuedPerson.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])}
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError("其中一条记录已合并到其他记录")
    both = keep.identity == duplicate.identity == Identity.IDENTIFIED
    if both:
        raise ValidationError("两条记录的身份证号不同，不是同一人，不能合并")
    keep_before = {**_identity(keep), "description": keep.description, "hometown": keep.hometown,
                   "age_estimate": keep.age_estimate}
    duplicate_before = _identity(duplicate)
    rescue_ids = list(duplicate.rescues.values_list("pk", flat=True))
    photo_ids = list(duplicate.photos.values_list("pk", flat=True))
    Rescue.objects.filter(pk__in=rescue_ids).update(person=keep)
    PersonPhoto.objects.filter(pk__in=photo_ids).update(person=keep)
    took_identity = duplicate.identity == Identity.IDENTIFIED
    if took_identity:
        duplicate.id_number_index = ""  # free the number (one unmerged holder per number), kept in duplicate_before
        duplicate.identity = Identity.PENDING
        duplicate.merged_into = keep
        duplicate.save()
        _identity_restore(keep, {**duplicate_before, "name": duplicate_before["name"] or keep.name})
        keep.age_estimate = None
    else:
        duplicate.merged_into = keep
        duplicate.save()
    keep.description = "\n".join(t for t in (keep.description, duplicate.description) if t)[:2000]
    keep.hometown = keep.hometown or duplicate.hometown
    keep.save()
    merge = PersonMerge.objects.create(keep=keep, duplicate=duplicate, reason=reason, rescue_ids=rescue_ids,
                                       photo_ids=photo_ids, keep_before=keep_before,
                                       duplicate_before=duplicate_before, merged_by=_name(actor))
    audit_record(actor=actor, action="homeless_rescue.person_merge", object_type="RescuedPerson", object_id=keep.pk,
                 scope_code=keep.street_id, changes={
                     "duplicate": duplicate.pk, "rescues_moved": len(rescue_ids), "photos_moved": len(photo_ids),
                     "identity_taken": took_identity, "id_number": keep.id_number_masked or None, "reason": reason})
    return merge


@transaction.atomic
def person_unmerge(*, actor: ACTOR, merge: PersonMerge, reason: str) -> PersonMerge:
    """Undo a merge: the rescues and photos that moved go back, both records'
    identity as before. Only the latest merge into a record that is itself not
    merged since can be undone (a later one would lose what it moved)."""
    require(actor, "homeless_rescue.merge", allow_job=True)
    merge = PersonMerge.objects.select_for_update().select_related("keep", "duplicate").get(pk=merge.pk)
    keep, duplicate = merge.keep, merge.duplicate
    _person_covers(actor, keep)
    reason = _text(reason, "撤销原因", 200, required=True)
    if merge.undone_at is not None:
        raise ValidationError("该合并已撤销")
    if keep.merged_into_id:
        raise ValidationError("保留的记录此后又被合并，请先撤销那次合并")
    latest = PersonMerge.objects.filter(keep=keep, undone_at__isnull=True).order_by("-merged_at", "-id").first()
    if latest is None or latest.pk != merge.pk:
        raise ValidationError("只能撤销该记录最近一次合并，请先撤销之后的合并")
    Rescue.objects.filter(pk__in=merge.rescue_ids, person=keep).update(person=duplicate)
    PersonPhoto.objects.filter(pk__in=merge.photo_ids, person=keep).update(person=duplicate)
    identity_taken = merge.duplicate_before.get("identity") == Identity.IDENTIFIED
    if identity_taken:
        _identity_restore(keep, merge.keep_before)
        keep.age_estimate = merge.keep_before.get("age_estimate")
    keep.description, keep.hometown = merge.keep_before["description"], merge.keep_before["hometown"]
    keep.save()
    duplicate.merged_into = None
    _identity_restore(duplicate, merge.duplicate_before)
    duplicate.save()
    merge.undone_by, merge.undone_at, merge.undo_reason = _name(actor), timezone.now(), reason
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    audit_record(actor=actor, action="homeless_rescue.person_unmerge", object_type="RescuedPerson", object_id=keep.pk,
                 scope_code=keep.street_id, changes={"duplicate": duplicate.pk, "merge": merge.pk, "reason": reason,
                                                     "rescues_moved_back": len(merge.rescue_ids)})
    return merge


@transaction.atomic
def photo_attach(*, actor: ACTOR, person: RescuedPerson, name: str, content: bytes) -> PersonPhoto:
    """A photo (PNG or JPEG by its first bytes, ≤ 5 MB), sealed at rest."""
    require(actor, "homeless_rescue.record", allow_job=True)
    _person_covers(actor, person)
    if person.merged_into_id:
        raise ValidationError("该记录已合并，请在保留的记录上传照片")
    mime, suffix = upload_type(content, what="照片", max_bytes=PHOTO_MAX_BYTES)
    digest = hashlib.sha256(content).hexdigest()
    token = secrets.token_hex(16)
    photo = PersonPhoto(person=person, token=token, original_name=f"受助人员{person.pk}照片.{suffix}",
                        content_type=mime, size=len(content), sha256=digest, uploaded_by=_name(actor))
    photo.file.save(f"{token}.bin", ContentFile(seal_bytes(content, f"homeless_rescue:{token}")), save=False)
    try:
        photo.save()
        audit_record(actor=actor, action="homeless_rescue.photo_attach", object_type="RescuedPerson",
                     object_id=person.pk, scope_code=person.street_id, changes={"file_type": suffix, "sha256": digest})
    except BaseException:
        photo.file.delete(save=False)
        raise
    return photo


def photo_download_record(*, actor: User, photo: PersonPhoto) -> None:
    """The audited read of a photo (the page and the API call it before serving)."""
    with transaction.atomic():
        audit_record(actor=actor, action="homeless_rescue.photo_download", object_type="RescuedPerson",
                     object_id=photo.person_id, scope_code=photo.person.street_id, changes={"sha256": photo.sha256})


def figures_export_record(*, actor: User, year: int) -> None:
    """The audited export of a year's figures (counts only, no person)."""
    require(actor, "homeless_rescue.view")
    with transaction.atomic():
        audit_record(actor=actor, action="homeless_rescue.figures_export", object_type="list",
                     object_id="流浪乞讨人员救助统计", changes={"year": year, "format": "xlsx"})


# --- campaigns ---------------------------------------------------------------------

@transaction.atomic
def warning_record(*, actor: ACTOR, kind: str, level: str, issued_at: dt.datetime, issuer: str,
                   note: str = "") -> WeatherWarning:
    """A weather warning entered by staff from the meteorological office's notice."""
    require(actor, "homeless_rescue.campaign", allow_job=True)
    if kind not in WarningKind.values:
        raise ValidationError("请选择预警种类")
    if level not in WarningLevel.values:
        raise ValidationError("请选择预警级别")
    issued_at = _moment_check(issued_at, "预警发布时间")
    warning = WeatherWarning.objects.create(kind=kind, level=level, issued_at=issued_at,
                                            issuer=_text(issuer, "发布单位", 64, required=True),
                                            note=_text(note, "说明", 200), entered_by=_name(actor))
    audit_record(actor=actor, action="homeless_rescue.warning_record", object_type="RescueWeatherWarning",
                 object_id=warning.pk, changes={"warning_kind": kind, "warning_level": level,
                                                "issued_at": issued_at.isoformat()})
    return warning


@transaction.atomic
def campaign_create(*, actor: ACTOR, name: str, kind: str, warning: WeatherWarning, starts_on: dt.date,
                    ends_on: dt.date | None = None) -> Campaign:
    """A campaign on a warning of its kind (寒冬送温暖 on 寒潮/低温/暴雪, heat on 高温),
    starting on or after the day the warning was issued (at most a month later)."""
    require(actor, "homeless_rescue.campaign", allow_job=True)
    if kind not in CampaignKind.values:
        raise ValidationError("请选择行动类型")
    if warning.kind not in CAMPAIGN_WARNINGS[CampaignKind(kind)]:
        raise ValidationError(f"“{CampaignKind(kind).label}”不能由{warning.get_kind_display()}预警触发")
    issued = timezone.localtime(warning.issued_at).date()
    day_check(starts_on, "开始日期", earliest=issued, latest=issued + dt.timedelta(days=31))
    if ends_on is not None:
        day_check(ends_on, "结束日期", earliest=starts_on, latest=starts_on + dt.timedelta(days=180))
    campaign = Campaign.objects.create(name=_text(name, "行动名称", 64, required=True), kind=kind, warning=warning,
                                       starts_on=starts_on, ends_on=ends_on, created_by=_name(actor))
    audit_record(actor=actor, action="homeless_rescue.campaign_create", object_type="RescueCampaign", object_id=campaign.pk,
                 changes={"name": campaign.name, "campaign_kind": kind, "warning": str(warning),
                          "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None})
    return campaign


@transaction.atomic
def campaign_close(*, actor: ACTOR, campaign: Campaign, ends_on: dt.date) -> Campaign:
    require(actor, "homeless_rescue.campaign", allow_job=True)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    day_check(ends_on, "结束日期", earliest=campaign.starts_on, latest=campaign.starts_on + dt.timedelta(days=180))
    last = campaign.shifts.order_by("-ends_at").first()
    if last is not None and timezone.localtime(last.starts_at).date() > ends_on:
        raise ValidationError("结束日期之后还有巡查班次")
    campaign.ends_on = ends_on
    campaign.save(update_fields=["ends_on"])
    audit_record(actor=actor, action="homeless_rescue.campaign_close", object_type="RescueCampaign", object_id=campaign.pk,
                 changes={"ends_on": ends_on.isoformat()})
    return campaign


@transaction.atomic
def shift_create(*, actor: ACTOR, campaign: Campaign, street: Division | str, starts_at: dt.datetime,
                 ends_at: dt.datetime, team: str) -> PatrolShift:
    """A town's patrol shift during the campaign (at most 24 hours, within its days)."""
    require(actor, "homeless_rescue.patrol", allow_job=True)
    street = _street(street)
    _covers(actor, street.code)
    for when in (starts_at, ends_at):
        if timezone.is_naive(when):
            raise ValidationError("巡查时间应含时区")
    if ends_at <= starts_at or ends_at - starts_at > dt.timedelta(hours=SHIFT_MAX_HOURS):
        raise ValidationError(f"巡查结束时间应晚于开始时间，且一个班次不超过{SHIFT_MAX_HOURS}小时")
    start_day = timezone.localtime(starts_at).date()
    if start_day < campaign.starts_on or (campaign.ends_on is not None and start_day > campaign.ends_on):
        raise ValidationError("巡查班次应在行动期间内")
    shift = PatrolShift.objects.create(campaign=campaign, street=street, starts_at=starts_at, ends_at=ends_at,
                                       team=_text(team, "巡查人员", 200, required=True), created_by=_name(actor))
    audit_record(actor=actor, action="homeless_rescue.shift_create", object_type="RescuePatrolShift", object_id=shift.pk,
                 scope_code=street.code, changes={"campaign": campaign.name, "street": street.name,
                                                  "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return shift


@transaction.atomic
def shift_report(*, actor: ACTOR, shift: PatrolShift, people_met: int, people_refused: int,
                 note: str = "") -> PatrolShift:
    """The shift's counts: people met ≥ people helped (rescues linked) + people who
    refused help after persuasion (救助自愿, 办法 第六条)."""
    require(actor, "homeless_rescue.patrol", allow_job=True)
    _covers(actor, shift.street_id)
    shift = PatrolShift.objects.select_for_update().get(pk=shift.pk)
    for value, label in ((people_met, "发现人数"), (people_refused, "拒绝救助人数")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            raise ValidationError(f"{label}应为0至{MAX_COUNT}之间的整数")
    helped = shift.rescues.count()
    if people_met < helped + people_refused:
        raise ValidationError(f"发现人数不能少于已登记救助的{helped}人与拒绝救助人数之和")
    shift.people_met, shift.people_refused, shift.note = people_met, people_refused, _text(note, "情况说明", 500)
    shift.save(update_fields=["people_met", "people_refused", "note"])
    audit_record(actor=actor, action="homeless_rescue.shift_report", object_type="RescuePatrolShift", object_id=shift.pk,
                 scope_code=shift.street_id, changes={"people_met": people_met, "people_refused": people_refused,
                                                      "people_helped": helped})
    return shift


__all__ = ["EARLIEST_DAY", "figures_export_record", "campaign_close", "campaign_create", "campaign_on", "coordinates_check",
           "follow_up_record", "outcome_record", "person_identify", "person_merge", "person_unmerge",
           "person_update", "photo_attach", "photo_download_record", "rescue_record", "service_give",
           "shift_create", "shift_report", "warning_record"]
