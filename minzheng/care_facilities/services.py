"""Every write of the facility register (ADR 0028): one transaction, the
permission (``care_facilities.manage``), the user's jurisdiction (the
facility's committee must be inside it), an audit entry each. Business
refusals are ``ValidationError`` with a Chinese message.

Public interface for the other elderly-care apps: :func:`facility_create`,
:func:`facility_update`, :func:`facility_status_set`,
:func:`facility_staff_link` / :func:`facility_staff_unlink`, :func:`check_uscc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.care_facilities.models import (
    Facility,
    FacilityKind,
    FacilityStaff,
    FacilityStatus,
    PlanTarget,
)
from minzheng.care_facilities.selectors import FACILITY_ROLES
from minzheng.core.audit import audit_record
from minzheng.core.credit_codes import uscc_check
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers

ACTOR = User | str

# 规划 → 在建 → 运营 → 停业: the order of the statuses and the date field of each
STATUS_ORDER = [FacilityStatus.PLANNED, FacilityStatus.BUILDING, FacilityStatus.OPERATING, FacilityStatus.CLOSED]
STATUS_DATE = {FacilityStatus.PLANNED: "planned_on", FacilityStatus.BUILDING: "building_since",
               FacilityStatus.OPERATING: "operating_since", FacilityStatus.CLOSED: "closed_on"}
DATE_LABEL = {"planned_on": "列入计划日期", "building_since": "开工日期", "operating_since": "运营日期",
              "closed_on": "停业日期", "smart_since": "建成智慧养老院日期",
              "internet_hospital_since": "接入互联网医院日期", "dementia_beds_since": "认知障碍照护床位投用日期"}

# the fields a create or an update may set (status and its dates go through facility_status_set
# on an existing facility; a new one may be registered in any status with its dates)
FACILITY_FIELDS = ("name", "kind", "committee", "address", "longitude", "latitude", "operator_name",
                   "operator_uscc", "beds", "dementia_beds", "area_m2", "opening_hours", "smart",
                   "internet_hospital", "smart_since", "internet_hospital_since", "dementia_beds_since", "note")
# the audit trail's keys (core.audit_labels: one label per key, across apps)
AUDIT_KEYS = {"name": "facility_name", "kind": "facility_kind", "status": "facility_status"}


def check_uscc(code: str) -> str:
    """The operator's unified social credit code, checked by
    :func:`minzheng.core.credit_codes.uscc_check` (GB 32100-2015, the position
    of a bad character named); empty stays empty (not recorded)."""
    code = (code or "").strip()
    return uscc_check(code, "运营单位统一社会信用代码") if code else ""


def _guard(actor: ACTOR, facility: Facility | None = None, action: str = "care_facilities.manage") -> None:
    """The permission, and (for a staff account) the facility's committee in scope.
    A plain-name actor is the operator (demo, command line)."""
    require(actor, action, allow_job=True)
    if facility is not None and not isinstance(actor, str):
        require_scope_covers(actor, street_code=facility.street_id, committee_code=facility.committee_id)


def _plain(value: Any) -> Any:
    if isinstance(value, Division):
        return value.code
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _audit(actor: ACTOR, action: str, facility: Facility, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, object_type="Facility", object_id=facility.pk,
                 scope_code=facility.committee_id, changes=changes)


def _not_future(values: Mapping[str, Any], today: dt.date) -> None:
    for field, label in DATE_LABEL.items():
        day = values.get(field)
        if day is not None and day > today:
            raise ValidationError(f"{label}（{day:%Y-%m-%d}）晚于今天，不能登记将来的日期")


def _check(values: dict[str, Any], today: dt.date) -> None:
    """Shape rules shared by create, update and import; normalises ``values`` in place."""
    values["name"] = str(values.get("name") or "").strip()
    if not values["name"]:
        raise ValidationError("请填写设施名称")
    if values.get("kind") not in FacilityKind.values:
        raise ValidationError("设施类型无效，应为：" + "、".join(FacilityKind.labels))
    committee = values.get("committee")
    if not isinstance(committee, Division) or committee.level != DivisionLevel.COMMITTEE:
        raise ValidationError("所在居村委应为本区的一个居委会或村委会")
    values["operator_uscc"] = check_uscc(values.get("operator_uscc", ""))
    for field, label in (("beds", "床位数"), ("dementia_beds", "认知障碍照护床位数")):
        if values.get(field) is not None and values[field] < 0:
            raise ValidationError(f"{label}不能为负数")
    if (values.get("beds") is not None and values.get("dementia_beds") is not None
            and values["dementia_beds"] > values["beds"]):
        raise ValidationError(f"认知障碍照护床位数（{values['dementia_beds']}）不能多于床位数（{values['beds']}）")
    if values.get("area_m2") is not None and values["area_m2"] <= 0:
        raise ValidationError("面积应大于0")
    if values.get("longitude") is not None and not (Decimal("-180") <= values["longitude"] <= Decimal("180")):
        raise ValidationError("经度应在-180至180之间")
    if values.get("latitude") is not None and not (Decimal("-90") <= values["latitude"] <= Decimal("90")):
        raise ValidationError("纬度应在-90至90之间")
    if (values.get("smart") or values.get("internet_hospital")) and values["kind"] != FacilityKind.CARE_HOME:
        raise ValidationError("“智慧养老院”和“养老院+互联网医院”只适用于养老院")
    if values.get("smart_since") and not values.get("smart"):
        raise ValidationError("填写了建成智慧养老院日期，请同时勾选“智慧养老院”")
    if values.get("internet_hospital_since") and not values.get("internet_hospital"):
        raise ValidationError("填写了接入互联网医院日期，请同时勾选“养老院+互联网医院”")
    if values.get("dementia_beds_since") and not values.get("dementia_beds"):
        raise ValidationError("填写了认知障碍照护床位投用日期，请同时填写认知障碍照护床位数")
    _not_future(values, today)


def _check_status_dates(values: Mapping[str, Any], status: str, today: dt.date) -> None:
    """The dates of a status path: the current status has its date, every date
    not later than the next, none in the future, none for a later status."""
    if status not in FacilityStatus.values:
        raise ValidationError("状态无效，应为规划、在建、运营或停业")
    _not_future(values, today)
    reached = STATUS_ORDER.index(FacilityStatus(status))
    current_field = STATUS_DATE[FacilityStatus(status)]
    if values.get(current_field) is None:
        raise ValidationError(f"状态为“{FacilityStatus(status).label}”，请填写{DATE_LABEL[current_field]}")
    for later in STATUS_ORDER[reached + 1:]:
        if values.get(STATUS_DATE[later]) is not None:
            raise ValidationError(f"状态为“{FacilityStatus(status).label}”的设施不应有{DATE_LABEL[STATUS_DATE[later]]}")
    previous: tuple[str, dt.date] | None = None
    for step in STATUS_ORDER[: reached + 1]:
        field = STATUS_DATE[step]
        day = values.get(field)
        if day is None:
            continue
        if previous is not None and day < previous[1]:
            raise ValidationError(f"{DATE_LABEL[field]}（{day:%Y-%m-%d}）早于{DATE_LABEL[previous[0]]}"
                                  f"（{previous[1]:%Y-%m-%d}）")
        previous = (field, day)


def _duplicate(values: Mapping[str, Any], exclude: int | None = None) -> None:
    same = Facility.objects.filter(committee=values["committee"], kind=values["kind"], name=values["name"])
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError(f"{values['committee'].name}已有名为“{values['name']}”的"
                              f"{FacilityKind(values['kind']).label}")


@transaction.atomic
def facility_create(*, actor: ACTOR, name: str, kind: str, committee: Division,
                    status: str = FacilityStatus.PLANNED, planned_on: dt.date | None = None,
                    building_since: dt.date | None = None, operating_since: dt.date | None = None,
                    closed_on: dt.date | None = None, today: dt.date | None = None, **fields: Any) -> Facility:
    """Register a facility in ``committee`` (its street is the committee's parent),
    in any status with the dates of the path so far (规划 needs 列入计划日期, …)."""
    today = today or timezone.localdate()
    require(actor, "care_facilities.manage", allow_job=True)
    unknown = set(fields) - set(FACILITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    values: dict[str, Any] = {"name": name, "kind": kind, "committee": committee} | fields
    _check(values, today)
    dates = {"planned_on": planned_on, "building_since": building_since, "operating_since": operating_since,
             "closed_on": closed_on}
    _check_status_dates(dates, status, today)
    facility = Facility(street_id=committee.parent_id, status=status, **dates, **values)
    _guard(actor, facility)
    _duplicate(values)
    facility.save()
    audit_record(actor=actor, action="care_facility.create", object_type="Facility", object_id=facility.pk,
                 scope_code=facility.committee_id,
                 changes={"facility_name": facility.name, "facility_kind": kind, "committee": committee.code,
                          "facility_status": status, "operator_uscc": facility.operator_uscc,
                          **{k: _plain(v) for k, v in dates.items() if v is not None}})
    return facility


@transaction.atomic
def facility_update(*, actor: ACTOR, facility: Facility, today: dt.date | None = None, **values: Any) -> Facility:
    """Change a facility's fields (not its status: :func:`facility_status_set`).
    Moving it to another committee: the new one must be in the user's scope too."""
    today = today or timezone.localdate()
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    _guard(actor, facility)
    unknown = set(values) - set(FACILITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    merged = {f: getattr(facility, f) for f in FACILITY_FIELDS} | values
    _check(merged, today)
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=merged["committee"].parent_id, committee_code=merged["committee"].code)
    _duplicate(merged, exclude=facility.pk)
    changes = {AUDIT_KEYS.get(f, f): [_plain(getattr(facility, f)), _plain(v)] for f, v in merged.items()
               if getattr(facility, f) != v}
    for f, v in merged.items():
        setattr(facility, f, v)
    facility.street_id = merged["committee"].parent_id
    facility.save()
    if changes:
        audit_record(actor=actor, action="care_facility.update", object_type="Facility", object_id=facility.pk,
                     scope_code=facility.committee_id, changes=changes)
    return facility


@transaction.atomic
def facility_status_set(*, actor: ACTOR, facility: Facility, status: str, on: dt.date,
                        today: dt.date | None = None) -> Facility:
    """Move a facility forward along 规划 → 在建 → 运营 → 停业 (a step may be
    skipped forward, e.g. a facility registered while planned opens without a
    recorded building date; never backwards), dated ``on``: not in the future,
    not before the date of the status it leaves."""
    today = today or timezone.localdate()
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    _guard(actor, facility)
    if status not in FacilityStatus.values:
        raise ValidationError("状态无效，应为规划、在建、运营或停业")
    old, new = FacilityStatus(facility.status), FacilityStatus(status)
    if STATUS_ORDER.index(new) <= STATUS_ORDER.index(old):
        raise ValidationError(f"状态只能向前推进（规划→在建→运营→停业），不能从“{old.label}”改为“{new.label}”")
    if on is None:
        raise ValidationError(f"请填写{DATE_LABEL[STATUS_DATE[new]]}")
    if on > today:
        raise ValidationError(f"{DATE_LABEL[STATUS_DATE[new]]}（{on:%Y-%m-%d}）晚于今天，不能登记将来的日期")
    for step in STATUS_ORDER[: STATUS_ORDER.index(old) + 1]:
        before = getattr(facility, STATUS_DATE[step])
        if before is not None and on < before:
            raise ValidationError(f"{DATE_LABEL[STATUS_DATE[new]]}（{on:%Y-%m-%d}）早于"
                                  f"{DATE_LABEL[STATUS_DATE[step]]}（{before:%Y-%m-%d}）")
    facility.status = new
    setattr(facility, STATUS_DATE[new], on)
    facility.save(update_fields=["status", STATUS_DATE[new], "updated_at"])
    audit_record(actor=actor, action="care_facility.status_set", object_type="Facility", object_id=facility.pk,
                 scope_code=facility.committee_id,
                 changes={"facility_status": [old.value, new.value], STATUS_DATE[new]: on.isoformat()})
    return facility


@transaction.atomic
def facility_staff_link(*, actor: ACTOR, facility: Facility, user: User) -> FacilityStaff:
    """Link a staff account (养老机构工作人员 or 助餐点工作人员) to a facility:
    from then on it sees this facility (and only its linked ones)."""
    _guard(actor, facility)
    if user.role not in FACILITY_ROLES:
        raise ValidationError("只能关联“养老机构工作人员”或“助餐点工作人员”角色的账号")
    if FacilityStaff.objects.filter(user=user, facility=facility).exists():
        raise ValidationError(f"账号{user.username}已关联{facility.name}")
    link = FacilityStaff.objects.create(user=user, facility=facility)
    audit_record(actor=actor, action="care_facility.staff_link", object_type="Facility", object_id=facility.pk,
                 scope_code=facility.committee_id, changes={"username": user.username})
    return link


@transaction.atomic
def facility_staff_unlink(*, actor: ACTOR, facility: Facility, user: User) -> None:
    _guard(actor, facility)
    deleted, _ = FacilityStaff.objects.filter(user=user, facility=facility).delete()
    if not deleted:
        raise ValidationError(f"账号{user.username}未关联{facility.name}")
    audit_record(actor=actor, action="care_facility.staff_unlink", object_type="Facility", object_id=facility.pk,
                 scope_code=facility.committee_id, changes={"username": user.username})


@transaction.atomic
def plan_target_set(*, actor: ACTOR, year: int, measure: str, target: int, source: str) -> PlanTarget:
    """Record (or correct) one target of a year's work plan, with the plan's sentence."""
    require(actor, "care_facilities.targets", allow_job=True)
    from minzheng.care_facilities.models import TargetMeasure

    if measure not in TargetMeasure.values:
        raise ValidationError("指标无效")
    if target is None or target <= 0:
        raise ValidationError("目标数应大于0")
    if not (2000 <= year <= 2100):
        raise ValidationError("年度无效")
    source = (source or "").strip()
    if not source:
        raise ValidationError("请填写依据（工作计划原文）")
    row, created = PlanTarget.objects.select_for_update().get_or_create(
        year=year, measure=measure, defaults={"target": target, "source": source})
    before = None if created else [row.target, row.source]
    if not created:
        row.target, row.source = target, source
        row.save(update_fields=["target", "source"])
    audit_record(actor=actor, action="care_facility.target_set", object_type="PlanTarget", object_id=row.pk,
                 changes={"year": year, "measure": measure, "target": [before[0] if before else None, target]})
    return row
