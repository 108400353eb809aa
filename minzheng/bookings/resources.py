"""Resources and their opening rules (bureau staff, ``bookings.manage``), and
slot generation from the rules (ADR 0021).

Every function is one transaction with one audit entry. Slot generation is
idempotent: a slot is identified by (resource, start); running it again for
the same days creates nothing and never touches an existing slot, booked or not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.bookings.access import require_resource_covered
from minzheng.bookings.models import (
    ACTIVE,
    KIND_DOMAIN,
    Booking,
    Closure,
    Resource,
    ResourceKind,
    Slot,
    SlotTemplate,
    SpecialOpeningDay,
)
from minzheng.bookings.opening_days import opening_days
from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.permissions import require

MAX_GENERATION_DAYS = 366  # one call covers at most a year of days
_ACTOR_NAME_LENGTH = 150


def _actor_name(actor) -> str:
    return (actor if isinstance(actor, str) else actor.username)[:_ACTOR_NAME_LENGTH]


def _manage(actor, resource: Resource | None = None) -> None:
    require(actor, "bookings.manage", allow_job=True)
    if resource is not None:
        require_resource_covered(actor, resource)


def _clean_name(text: str, what: str, max_length: int) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError(f"请填写{what}")
    if len(cleaned) > max_length:
        raise ValidationError(f"{what}不能超过{max_length}个字")
    return cleaned


@transaction.atomic
def resource_create(*, actor, name: str, kind: str, division: Division, note: str = "") -> Resource:
    """A new bookable resource; its domain follows from its kind."""
    _manage(actor)
    if kind not in ResourceKind.values:
        raise ValidationError("请从列表中选择资源类型")
    if division.level == DivisionLevel.COMMITTEE:
        raise ValidationError("预约资源只能属于区或街镇")
    resource = Resource.objects.create(
        name=_clean_name(name, "资源名称", 64), kind=kind, domain=KIND_DOMAIN[ResourceKind(kind)],
        division=division, street_code=division.street_code or "", note=(note or "").strip()[:200],
        created_by=_actor_name(actor))
    audit_record(actor=actor, action="bookings.resource.create", object_type="Resource", object_id=resource.pk,
                 scope_code=division.code, changes={"resource_name": resource.name, "resource_kind": kind, "division": division.code})
    return resource


@transaction.atomic
def resource_update(*, actor, resource: Resource, name: str, active: bool, note: str = "") -> Resource:
    _manage(actor, resource)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    before = {"resource_name": resource.name, "active": resource.active, "note": resource.note}
    resource.name, resource.active = _clean_name(name, "资源名称", 64), bool(active)
    resource.note = (note or "").strip()[:200]
    resource.save(update_fields=["name", "active", "note"])
    after = {"resource_name": resource.name, "active": resource.active, "note": resource.note}
    audit_record(actor=actor, action="bookings.resource.update", object_type="Resource", object_id=resource.pk,
                 scope_code=resource.division_id,
                 changes={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    return resource


def _clean_weekdays(weekdays: str) -> str:
    digits = sorted(set((weekdays or "").replace(",", "").replace(" ", "")))
    if not digits or any(d not in "1234567" for d in digits):
        raise ValidationError("请选择开放的星期（星期一至星期日）")
    return "".join(digits)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@transaction.atomic
def template_add(*, actor, resource: Resource, weekdays: str, day_start: dt.time, day_end: dt.time,
                 slot_minutes: int, capacity: int) -> SlotTemplate:
    """Add one opening session (e.g. 9:00–11:30 in 30-minute slots, 6 bookings each)."""
    _manage(actor, resource)
    days = _clean_weekdays(weekdays)
    if day_start is None or day_end is None or day_end <= day_start:
        raise ValidationError("结束时间须晚于开始时间")
    if not isinstance(slot_minutes, int) or not 5 <= slot_minutes <= 480:
        raise ValidationError("每个时段应为5至480分钟")
    if _minutes(day_end) - _minutes(day_start) < slot_minutes:
        raise ValidationError("开始至结束时间不足一个时段")
    if not isinstance(capacity, int) or not 1 <= capacity <= 999:
        raise ValidationError("每个时段可约数应为1至999")
    template = SlotTemplate.objects.create(resource=resource, weekdays=days, day_start=day_start, day_end=day_end,
                                           slot_minutes=slot_minutes, capacity=capacity)
    audit_record(actor=actor, action="bookings.template.add", object_type="Resource", object_id=resource.pk,
                 scope_code=resource.division_id,
                 changes={"weekdays": days, "day_start": day_start, "day_end": day_end,
                          "slot_minutes": slot_minutes, "capacity": capacity})
    return template


@transaction.atomic
def template_deactivate(*, actor, template: SlotTemplate) -> SlotTemplate:
    """Stop generating slots from a session (existing slots stay as they are)."""
    _manage(actor, template.resource)
    SlotTemplate.objects.filter(pk=template.pk).update(active=False)
    template.active = False
    audit_record(actor=actor, action="bookings.template.deactivate", object_type="Resource",
                 object_id=template.resource_id, scope_code=template.resource.division_id,
                 changes={"weekdays": template.weekdays, "day_start": template.day_start,
                          "day_end": template.day_end})
    return template


@transaction.atomic
def special_day_add(*, actor, resource: Resource, date: dt.date, name: str) -> SpecialOpeningDay:
    """Open ``resource`` on ``date`` even if it is not a working day (5月20日, 七夕 …)."""
    _manage(actor, resource)
    if date is None:
        raise ValidationError("请填写日期")
    if SpecialOpeningDay.objects.filter(resource=resource, date=date).exists():
        raise ValidationError(f"{date:%Y年%m月%d日}已是特别开放日")
    special = SpecialOpeningDay.objects.create(resource=resource, date=date, name=_clean_name(name, "名称", 40),
                                               created_by=_actor_name(actor))
    audit_record(actor=actor, action="bookings.special_day.add", object_type="Resource", object_id=resource.pk,
                 scope_code=resource.division_id, changes={"date": date, "day_name": special.name})
    return special


def _active_bookings_between(resource: Resource, date_from: dt.date, date_to: dt.date) -> int:
    return Booking.objects.filter(resource=resource, status__in=ACTIVE,
                                  slot__day__range=(date_from, date_to)).count()


@transaction.atomic
def special_day_remove(*, actor, special: SpecialOpeningDay) -> int:
    """Remove a special opening day; returns the active bookings on it (staff
    must cancel and notify them: the day no longer takes new bookings)."""
    _manage(actor, special.resource)
    affected = _active_bookings_between(special.resource, special.date, special.date)
    audit_record(actor=actor, action="bookings.special_day.remove", object_type="Resource",
                 object_id=special.resource_id, scope_code=special.resource.division_id,
                 changes={"date": special.date, "day_name": special.name, "bookings": affected})
    special.delete()
    return affected


@dataclass(frozen=True)
class ClosureResult:
    closure: Closure
    active_bookings: int  # bookings in the period that staff must cancel and notify


@transaction.atomic
def closure_add(*, actor, resource: Resource, date_from: dt.date, date_to: dt.date, reason: str) -> ClosureResult:
    """Close ``resource`` from ``date_from`` to ``date_to``: no new bookings on
    those days. Existing bookings are not cancelled silently: their number is
    returned so staff cancel them (with a notice) one by one."""
    _manage(actor, resource)
    if date_from is None or date_to is None:
        raise ValidationError("请填写暂停开放的起止日期")
    if date_to < date_from:
        raise ValidationError("截止日期不能早于起始日期")
    closure = Closure.objects.create(resource=resource, date_from=date_from, date_to=date_to,
                                     reason=_clean_name(reason, "暂停开放原因", 200), created_by=_actor_name(actor))
    affected = _active_bookings_between(resource, date_from, date_to)
    audit_record(actor=actor, action="bookings.closure.add", object_type="Resource", object_id=resource.pk,
                 scope_code=resource.division_id,
                 changes={"period_start": date_from, "period_end": date_to, "reason": closure.reason,
                          "bookings": affected})
    return ClosureResult(closure, affected)


@transaction.atomic
def closure_remove(*, actor, closure: Closure) -> None:
    _manage(actor, closure.resource)
    audit_record(actor=actor, action="bookings.closure.remove", object_type="Resource",
                 object_id=closure.resource_id, scope_code=closure.resource.division_id,
                 changes={"period_start": closure.date_from, "period_end": closure.date_to,
                          "reason": closure.reason})
    closure.delete()


@dataclass(frozen=True)
class GenerationResult:
    created: int
    existing: int
    open_days: int
    closed_days: int


def _starts(day: dt.date, template: SlotTemplate) -> list[tuple[dt.datetime, dt.datetime]]:
    tz = timezone.get_current_timezone()
    step = dt.timedelta(minutes=template.slot_minutes)
    start = dt.datetime.combine(day, template.day_start, tzinfo=tz)
    close = dt.datetime.combine(day, template.day_end, tzinfo=tz)
    slots = []
    while start + step <= close:
        slots.append((start, start + step))
        start += step
    return slots


@transaction.atomic
def generate_slots(resource: Resource, date_from: dt.date, date_to: dt.date, actor) -> GenerationResult:
    """Create the slots of ``resource`` from ``date_from`` to ``date_to``
    (inclusive) from its active sessions, on its open days (``opening_days``).

    Idempotent: existing slots are neither changed nor duplicated. A year
    missing from the holiday table refuses the whole call before anything is
    created (``HolidayArrangementMissing``, naming the year)."""
    _manage(actor, resource)
    if date_from is None or date_to is None:
        raise ValidationError("请填写生成时段的起止日期")
    if date_to < date_from:
        raise ValidationError("截止日期不能早于起始日期")
    if (date_to - date_from).days + 1 > MAX_GENERATION_DAYS:
        raise ValidationError(f"一次最多生成{MAX_GENERATION_DAYS}天的时段")
    if not resource.active:
        raise ValidationError("该预约资源已停用，不能生成时段")
    templates = list(resource.templates.filter(active=True))
    if not templates:
        raise ValidationError("该资源尚未设置开放时段规则，请先添加时段规则")
    days = opening_days(resource, date_from, date_to)  # raises for an unrecorded year: nothing created
    existing = set(Slot.objects.filter(resource=resource, day__range=(date_from, date_to))
                   .values_list("start", flat=True))
    wanted: dict[dt.datetime, Slot] = {}
    for day in days:
        for template in day.templates(templates):
            for start, end in _starts(day.day, template):
                if start in existing or start in wanted:
                    continue
                wanted[start] = Slot(resource=resource, day=day.day, start=start, end=end,
                                     capacity=template.capacity)
    Slot.objects.bulk_create(wanted.values())
    result = GenerationResult(created=len(wanted), existing=len(existing),
                              open_days=sum(d.open for d in days), closed_days=sum(not d.open for d in days))
    audit_record(actor=actor, action="bookings.slots.generate", object_type="Resource", object_id=resource.pk,
                 scope_code=resource.division_id,
                 changes={"period_start": date_from, "period_end": date_to, "created": result.created,
                          "existing": result.existing})
    return result


@dataclass(frozen=True)
class DaySlotsResult:
    created: list[Slot]
    existing: int


@transaction.atomic
def slots_create_for_day(resource: Resource, day: dt.date, times: list[tuple[dt.time, dt.time]], capacity: int,
                         actor) -> DaySlotsResult:
    """Create the slots of ``resource`` on ``day`` from explicit start/end
    times, each for ``capacity`` places — for plans the weekly sessions
    cannot express (a tomb-sweeping peak day with one more slot on 清明,
    ADR 0026). Idempotent like :func:`generate_slots`: a slot is identified by
    (resource, start); an existing one is neither changed nor duplicated.
    Refused on a day the resource is closed (``opening_days``)."""
    _manage(actor, resource)
    if day is None:
        raise ValidationError("请填写日期")
    if not resource.active:
        raise ValidationError("该预约资源已停用，不能生成时段")
    if not isinstance(capacity, int) or not 1 <= capacity <= 32767:
        raise ValidationError("每个时段可约数应为1至32767")
    if not times:
        raise ValidationError("请至少设置一个时段")
    opening = opening_days(resource, day, day)[0]
    if not opening.open:
        raise ValidationError(f"{resource.name}{day:%Y年%m月%d日}不开放（{opening.reason}）")
    tz = timezone.get_current_timezone()
    spans = sorted((dt.datetime.combine(day, start, tzinfo=tz), dt.datetime.combine(day, end, tzinfo=tz))
                   for start, end in times)
    for (start, end), following in zip(spans, [*spans[1:], None], strict=True):
        if end <= start:
            raise ValidationError(f"时段{start:%H:%M}的结束时间须晚于开始时间")
        if following is not None and following[0] < end:
            raise ValidationError(f"时段{start:%H:%M}—{end:%H:%M}与{following[0]:%H:%M}开始的时段重叠")
    existing = set(Slot.objects.filter(resource=resource, day=day).values_list("start", flat=True))
    created = Slot.objects.bulk_create([Slot(resource=resource, day=day, start=start, end=end, capacity=capacity)
                                        for start, end in spans if start not in existing])
    audit_record(actor=actor, action="bookings.slots.create_for_day", object_type="Resource", object_id=resource.pk,
                 scope_code=resource.division_id,
                 changes={"date": day, "created": len(created), "existing": len(existing), "capacity": capacity})
    return DaySlotsResult(created=created, existing=len(existing))
