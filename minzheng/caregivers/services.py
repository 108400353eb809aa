"""Every write of the caregiver register (ADR 0028): one transaction, the
permission (``caregivers.manage``), the employer inside what the user may see
(an institution's staff: only their own facilities), an audit entry each.
ID numbers validated with ``stdnum.cn.ric`` (the registry's parser) and stored
like the registry's: encrypted, blind index, masked copy (ADR 0002)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.care_facilities.models import Facility
from minzheng.care_facilities.selectors import facilities_visible
from minzheng.caregivers.models import (
    LEVEL_ORDER,
    Caregiver,
    CaregiverAward,
    CaregiverTraining,
    CertificateLevel,
)
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
from minzheng.core.scope import OutOfScope
from minzheng.registry.services import InvalidIdNumber, parse_id_number

ACTOR = User | str
UPDATE_FIELDS = ("name", "employer", "employed_since", "active", "left_on", "certificate_level",
                 "certificate_number", "certificate_issued_on", "note")


def _guard(actor: ACTOR, employer: Facility) -> None:
    require(actor, "caregivers.manage", allow_job=True)
    if not isinstance(actor, str) and not facilities_visible(actor).filter(pk=employer.pk).exists():
        raise OutOfScope("工作单位不在您的辖区内")


def _rank(level: str) -> int:
    return LEVEL_ORDER.index(CertificateLevel(level)) + 1 if level else 0


def _check(values: dict[str, Any], today: dt.date) -> None:
    values["name"] = str(values.get("name") or "").strip()
    if not values["name"]:
        raise ValidationError("请填写姓名")
    level = values.get("certificate_level") or ""
    if level and level not in CertificateLevel.values:
        raise ValidationError("等级证书应为初级、中级、高级、技师或高级技师")
    values["certificate_level"] = level
    values["certificate_number"] = str(values.get("certificate_number") or "").strip()
    if level and not values["certificate_number"]:
        raise ValidationError("持有等级证书的，请填写证书编号")
    if not level and (values["certificate_number"] or values.get("certificate_issued_on")):
        raise ValidationError("填写了证书编号或发证日期，请选择证书等级")
    for field, label in (("certificate_issued_on", "发证日期"), ("employed_since", "入职日期"), ("left_on", "离职日期")):
        day = values.get(field)
        if day is not None and day > today:
            raise ValidationError(f"{label}（{day:%Y-%m-%d}）晚于今天")
    if values.get("active", True) and values.get("left_on"):
        raise ValidationError("在职的护理员不应有离职日期")
    if not values.get("active", True) and not values.get("left_on"):
        raise ValidationError("离职的护理员请填写离职日期")


@transaction.atomic
def caregiver_create(*, actor: ACTOR, name: str, id_number: str, employer: Facility,
                     employed_since: dt.date | None = None, certificate_level: str = "", certificate_number: str = "",
                     certificate_issued_on: dt.date | None = None, note: str = "",
                     today: dt.date | None = None) -> Caregiver:
    today = today or timezone.localdate()
    _guard(actor, employer)
    try:
        facts = parse_id_number(id_number, today=today)
    except InvalidIdNumber as err:
        raise ValidationError(str(err)) from None
    values: dict[str, Any] = {"name": name, "employed_since": employed_since, "certificate_level": certificate_level,
                              "certificate_number": certificate_number,
                              "certificate_issued_on": certificate_issued_on, "active": True, "left_on": None}
    _check(values, today)
    index = blind_index(facts.number)
    if Caregiver.objects.filter(id_number_index=index).exists():
        raise ValidationError("该身份证号码的养老护理员已登记（一人只登记一次；换工作单位请修改其工作单位）")
    caregiver = Caregiver.objects.create(
        id_number_enc=encrypt(facts.number), id_number_index=index, id_number_masked=mask_id_number(facts.number),
        birth_date=facts.birth_date, sex=facts.sex, employer=employer, note=(note or "").strip(), **values)
    audit_record(actor=actor, action="caregiver.create", object_type="Caregiver", object_id=caregiver.pk,
                 scope_code=employer.committee_id,
                 changes={"name": caregiver.name, "id_number": caregiver.id_number_masked, "employer": employer.pk,
                          "certificate_level": caregiver.certificate_level})
    return caregiver


def _plain(value: Any) -> Any:
    if isinstance(value, Facility):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def caregiver_update(*, actor: ACTOR, caregiver: Caregiver, today: dt.date | None = None,
                     **values: Any) -> Caregiver:
    """Change a caregiver's record; a new employer must be one the user may see too."""
    today = today or timezone.localdate()
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    _guard(actor, caregiver.employer)
    unknown = set(values) - set(UPDATE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    merged = {f: getattr(caregiver, f) for f in UPDATE_FIELDS} | values
    _check(merged, today)
    if merged["employer"].pk != caregiver.employer_id:
        _guard(actor, merged["employer"])
    changes = {f: [_plain(getattr(caregiver, f)), _plain(v)] for f, v in merged.items() if getattr(caregiver, f) != v}
    for f, v in merged.items():
        setattr(caregiver, f, v)
    caregiver.save()
    if changes:
        audit_record(actor=actor, action="caregiver.update", object_type="Caregiver", object_id=caregiver.pk,
                     scope_code=caregiver.employer.committee_id, changes=changes)
    return caregiver


@transaction.atomic
def training_add(*, actor: ACTOR, caregiver: Caregiver, course: str, hours: int, started_on: dt.date,
                 ended_on: dt.date, resulting_level: str = "", certificate_number: str = "",
                 today: dt.date | None = None) -> CaregiverTraining:
    """Record a training; a resulting level above the caregiver's certificate
    becomes their certificate (issued on the training's last day, with its number)."""
    today = today or timezone.localdate()
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    _guard(actor, caregiver.employer)
    course = (course or "").strip()
    if not course:
        raise ValidationError("请填写培训课程")
    if hours is None or hours <= 0:
        raise ValidationError("学时应大于0")
    if started_on is None or ended_on is None:
        raise ValidationError("请填写培训起止日期")
    if ended_on < started_on:
        raise ValidationError("培训结束日期早于开始日期")
    if ended_on > today:
        raise ValidationError(f"培训结束日期（{ended_on:%Y-%m-%d}）晚于今天，培训结束后再登记")
    resulting_level = resulting_level or ""
    if resulting_level and resulting_level not in CertificateLevel.values:
        raise ValidationError("培训后取得等级应为初级、中级、高级、技师或高级技师")
    certificate_number = (certificate_number or "").strip()
    upgrade = bool(resulting_level) and _rank(resulting_level) > _rank(caregiver.certificate_level)
    if upgrade and not certificate_number:
        raise ValidationError("取得更高等级的，请填写新证书编号")
    training = CaregiverTraining.objects.create(caregiver=caregiver, course=course, hours=hours,
                                                started_on=started_on, ended_on=ended_on,
                                                resulting_level=resulting_level)
    changes: dict[str, Any] = {"course": course, "hours": hours, "started_on": started_on.isoformat(),
                               "ended_on": ended_on.isoformat(), "resulting_level": resulting_level}
    if upgrade:
        changes["certificate_level"] = [caregiver.certificate_level, resulting_level]
        caregiver.certificate_level = resulting_level
        caregiver.certificate_number = certificate_number
        caregiver.certificate_issued_on = ended_on
        caregiver.save(update_fields=["certificate_level", "certificate_number", "certificate_issued_on",
                                      "updated_at"])
    audit_record(actor=actor, action="caregiver.training_add", object_type="Caregiver", object_id=caregiver.pk,
                 scope_code=caregiver.employer.committee_id, changes=changes)
    return training


@transaction.atomic
def award_add(*, actor: ACTOR, caregiver: Caregiver, title: str, year: int, awarded_by: str = "",
              today: dt.date | None = None) -> CaregiverAward:
    today = today or timezone.localdate()
    _guard(actor, caregiver.employer)
    title = (title or "").strip()
    if not title:
        raise ValidationError("请填写荣誉名称（如：最美护理员）")
    if year is None or not (2000 <= year <= today.year):
        raise ValidationError(f"年度应在2000年至{today.year}年之间")
    award = CaregiverAward.objects.create(caregiver=caregiver, title=title, year=year,
                                          awarded_by=(awarded_by or "").strip())
    audit_record(actor=actor, action="caregiver.award_add", object_type="Caregiver", object_id=caregiver.pk,
                 scope_code=caregiver.employer.committee_id, changes={"award": title, "year": year})
    return award
