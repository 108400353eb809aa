"""The demo's tomb sweeping (minzheng.demo.sweeping): once; next 清明 with seven
slots on 清明 day and 50 % of the capacity, booking not yet open; this year's
冬至 with live reservations; the last 清明's arrivals and no-shows agree with
the booking core's counters; a proxy order done with a photo; fast."""

from __future__ import annotations

import datetime as dt
import time

from django.db.models import Sum
from django.utils import timezone

from minzheng.bookings.models import OCCUPYING, Booking, Slot
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.cemeteries import cemeteries_seed
from minzheng.demo.sweeping import sweeping_seed
from minzheng.sweeping import statistics
from minzheng.sweeping.models import PeakKind, PeakPeriod, ProxyOrder, Reservation, SweepingSlot


def test_demo_sweeping(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = user_create(actor="test", username="cemetery", password="pass-12345", role=Role.CEMETERY,
                        scope_code="310117")
    today = timezone.localdate()
    cemeteries_seed(bureau=users["bureau"], today=today)
    started = time.perf_counter()
    message = sweeping_seed(bureau=users["bureau"], cemetery_staff=staff, today=today, persons=2000)
    assert time.perf_counter() - started < 6, "the demo must stay fast"
    assert "祭扫预约" in message
    assert sweeping_seed(bureau=users["bureau"], cemetery_staff=staff, today=today, persons=2000).endswith("未重复生成")

    qingming = PeakPeriod.objects.filter(kind=PeakKind.QINGMING).order_by("-booking_opens_at").first()
    assert qingming.cap_percent == 50 and qingming.booking_opens_at > timezone.now()
    plans = {d.date: len(d.times) for d in qingming.days.all()}
    assert sorted(plans.values()) == [6, 6, 6, 6, 7]
    slot = SweepingSlot.objects.filter(period=qingming).select_related("slot").first()
    assert slot.slot.capacity == slot.physical_capacity // 2

    # the past 清明: counters agree with the bookings; arrivals and no-shows in the figures
    past = PeakPeriod.objects.filter(kind=PeakKind.QINGMING).order_by("booking_opens_at").first()
    for s in SweepingSlot.objects.filter(period=past).select_related("slot"):
        taken = Booking.objects.filter(slot=s.slot, status__in=OCCUPYING).aggregate(n=Sum("places"))["n"] or 0
        assert Slot.objects.get(pk=s.slot_id).booked == taken <= s.slot.capacity
    days = sorted(past.days.values_list("date", flat=True))
    rows = statistics.figures(users["bureau"], days[0], days[-1])
    totals = statistics.totals(rows)
    assert totals["arrived"] > 0 and totals["no_show"] > 0 and totals["pending"] == 0
    assert Reservation.objects.filter(day__in=days).count() == totals["reserved"] + totals["cancelled"]

    assert ProxyOrder.objects.filter(status="done", photos__isnull=False).exists()
    winter = PeakPeriod.objects.get(kind=PeakKind.WINTER_SOLSTICE)
    if winter.booking_opens_at <= timezone.now() and winter.days.filter(date__gt=today).exists():
        assert Reservation.objects.filter(sweeping_slot__period=winter).count() >= 12
    assert dt.date(2026, 12, 22) in {d for d in winter.days.values_list("date", flat=True)} or today.year != 2026
