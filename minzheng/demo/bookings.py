"""The demo district's marriage registration office as a bookable resource
(``bookings``), with slots for the coming four weeks and two sample bookings.

**Demo assumptions, not published figures**: 松江区婚姻登记处 with 2
registration windows, 30-minute slots from 9:00 to 11:30 and from 13:30 to
16:30 on working days, 6 couples per slot (shared by the two windows). The
bureau sets the real opening rules, special days (5月20日, 七夕 …) and
closures on the resource's settings page.

Slots are generated only as far as the holiday table reaches: a day in a year
whose holiday arrangement is not recorded is never guessed open (the
loader says up to which day it generated). Safe to run again: the resource is
found by name, slot generation is idempotent, the sample bookings are made once.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from minzheng.bookings.models import Booking, Resource, ResourceKind, Slot
from minzheng.bookings.services import book, generate_slots, resource_create, template_add
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.workdays import known_years
from minzheng.registry.services import with_check_character

OFFICE = "松江区婚姻登记处"
WEEKS = 4
SESSIONS = ((dt.time(9, 0), dt.time(11, 30)), (dt.time(13, 30), dt.time(16, 30)))
SLOT_MINUTES = 30
COUPLES_PER_SLOT = 6
ACTOR = "demo-setup"
# Synthetic couples for the two sample bookings (valid check characters; no real person).
SAMPLE_COUPLES = ((("王建明", "31011719930412091"), ("赵丽华", "31011719940923092")),
                  (("钱伟", "31011719900101093"), ("孙丽", "31011719911111094")))


def _office() -> Resource:
    found = Resource.objects.filter(name=OFFICE, kind=ResourceKind.MARRIAGE_WINDOW).first()
    if found is not None:
        return found
    district = Division.objects.get(level=DivisionLevel.DISTRICT)
    office = resource_create(actor=ACTOR, name=OFFICE, kind=ResourceKind.MARRIAGE_WINDOW, division=district,
                             note="演示设置：2个登记窗口，每30分钟一个时段，每个时段可约6对（演示假设，非公布数据）")
    for start, end in SESSIONS:
        template_add(actor=ACTOR, resource=office, weekdays="12345", day_start=start, day_end=end,
                     slot_minutes=SLOT_MINUTES, capacity=COUPLES_PER_SLOT)
    return office


def bookings_seed(*, today: dt.date | None = None) -> str:
    """Create (once) the office, generate its slots for the coming weeks, and
    make two sample bookings; returns what was done, in Chinese."""
    today = today or timezone.localdate()
    office = _office()
    last = today + dt.timedelta(days=7 * WEEKS - 1)
    known = set(known_years())
    end = last
    while end >= today and end.year not in known:
        end = dt.date(end.year - 1, 12, 31)
    if end < today:
        return f"\n{OFFICE}：{today.year}年节假日安排尚未录入，未生成预约时段"
    result = generate_slots(office, today, end, ACTOR)
    lines = [f"\n{OFFICE}：新建预约时段 {result.created} 个（{today:%Y-%m-%d} 至 {end:%Y-%m-%d}，"
             f"开放 {result.open_days} 天；窗口数、时段和每段6对为演示假设）"]
    if end < last:
        lines.append(f"  {end.year + 1}年节假日安排尚未录入，{end + dt.timedelta(days=1):%Y-%m-%d} 起未生成时段")
    if not Booking.objects.filter(resource=office).exists():
        now = timezone.now()
        upcoming = Slot.objects.filter(resource=office, start__gt=now + dt.timedelta(hours=1)).order_by("start")
        made = 0
        for couple, slot in zip(SAMPLE_COUPLES, upcoming[:2], strict=False):
            book(slot, parties=[(name, with_check_character(first17)) for name, first17 in couple],
                 purpose="结婚登记（演示）", actor=ACTOR)
            made += 1
        lines.append(f"  演示预约 {made} 个（虚构人员）")
    return "\n".join(lines)
