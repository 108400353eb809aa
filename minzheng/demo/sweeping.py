"""Tomb-sweeping reservations in the demo district (ADR 0026), on the demo
cemeteries of ``demo.cemeteries``.

**Demo data and demo assumptions, not published figures**: one sweeping
area per open demo cemetery holding 300 people per slot (120 in a
columbarium); the visitors, their ID numbers and phones are synthetic; so are
the proxy orders and their photo (a small generated image).

From the policy (official, 2023): peak days 4/1–4/5 by reservation from 3/18
08:00; six 1.5-hour slots 07:00–16:00, seven on 清明 day; at most 4
companions; 2022 capped reservations at 50 % of capacity. The source does not
say where the seventh slot lies: **the demo assumes 16:00–17:30** (staff enter
it as data on the period's page). The 2023 cap is not given: the demo uses
2022's 50 %. 清明 and 冬至 days come from the solar terms
(``chinese_calendar.get_solar_terms``; 冬至 2026 falls on 12月22日 in Beijing
time). For 冬至 the demo assumes no cap (100 %), the same six slots on the five
days around it, and booking open four weeks before.

What is made:

* next 清明's peak (4/1–4/5; booking opens 3/18 08:00, so the API refuses
  with the opening time until then);
* this year's 冬至 peak with live reservations (through the services), one
  cancelled, and proxy orders (one done with a photo);
* the last 清明 (past) as history: reservations with arrivals, no-shows and
  cancellations, written with the bulk writer (a slot that has passed takes
  no reservation through the services) and one audit entry.

Volume scales with the demo persons (Songjiang: 1.9 M residents). Safe to run
again: nothing is done once a sweeping area exists.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from chinese_calendar import get_solar_terms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from minzheng.bookings.models import OCCUPYING, Booking, BookingParty, BookingStatus, Domain, Slot
from minzheng.cemeteries.models import Cemetery, CemeteryStatus
from minzheng.core.audit import audit_record
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number, mask_phone
from minzheng.demo.bulk_write import BulkWriter
from minzheng.registry.services import with_check_character
from minzheng.sweeping import services
from minzheng.sweeping.models import PeakKind, Reservation, SweepingArea, SweepingSlot

ACTOR = "demo-setup"
ACTION = "demo_data.sweeping"
SIX_SLOTS = "07:00-08:30\n08:30-10:00\n10:00-11:30\n11:30-13:00\n13:00-14:30\n14:30-16:00"
SEVENTH_SLOT = "16:00-17:30"  # demo assumption: the source does not say where the seventh slot lies
QINGMING_CAP = 50  # 2022's cap (the 2023 figure is not given)
CAPACITY = {True: 120, False: 300}  # people per slot: columbarium / cemetery (demo assumption)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("建国", "秀英", "国华", "丽娟", "志强", "美玲", "伟民", "桂芳", "海峰", "玉兰", "春生", "卫东")


def _term(year: int, name: str) -> dt.date:
    return next(day for day, term in get_solar_terms(dt.date(year, 1, 1), dt.date(year, 12, 31)) if term == name)


def _aware(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


class _People:
    """Synthetic visitors: valid check characters, no real person."""

    def __init__(self, rng: random.Random, start: int) -> None:
        self.rng, self.n = rng, start

    def next(self) -> tuple[str, str, str]:
        self.n += 1
        birth = dt.date(1945, 1, 1) + dt.timedelta(days=(self.n * 37) % 18000)
        number = with_check_character(f"310117{birth:%Y%m%d}{self.n % 1000:03d}")
        name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
        return name, number, f"139{self.n % 100000000:08d}"


def _qingming(*, bureau, year: int, title_suffix: str = "") -> object:
    day = _term(year, "清明")
    period = services.period_create(actor=bureau, kind=PeakKind.QINGMING, title=f"{year}年清明祭扫{title_suffix}",
                                    cemetery=None, booking_opens_at=_aware(dt.date(year, 3, 18)),
                                    cap_percent=QINGMING_CAP)
    for d in range(1, 6):
        date = dt.date(year, 4, d)
        seventh = date == day
        services.day_set(actor=bureau, period=period, date=date,
                         times=SIX_SLOTS + ("\n" + SEVENTH_SLOT if seventh else ""),
                         note="清明当日：7个时段（第7个时段为演示假设）" if seventh else "")
    services.period_generate_slots(actor=bureau, period=period)
    return period


def _photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 120), (225, 232, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((55, 25, 105, 105), fill=(150, 150, 150))  # a headstone
    draw.ellipse((62, 88, 98, 112), fill=(230, 200, 60))  # flowers
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png")


def _archive(period, people: _People, rng: random.Random, per_slot: int) -> dict[str, int]:
    """The past 清明's reservations, written with the bulk writer (statuses final)."""
    writer = BulkWriter()
    slots = list(SweepingSlot.objects.filter(period=period).select_related("slot", "cemetery").order_by("pk"))
    booking_id, party_id, reservation_id = (writer.next_id(m) for m in (Booking, BookingParty, Reservation))
    bookings: list[list] = [[] for _ in range(15)]
    parties: list[list] = [[] for _ in range(8)]
    reservations: list[list] = [[] for _ in range(14)]
    booked: dict[int, int] = {}
    counts = {"arrived": 0, "no_show": 0, "cancelled": 0}
    codes_taken: set[str] = set()
    for s in slots:
        slot = s.slot
        for _ in range(per_slot):
            companions = rng.choice((0, 1, 1, 2, 2, 3, 4))
            places = 1 + companions
            roll = rng.random()
            status = BookingStatus.ARRIVED if roll < 0.8 else BookingStatus.NO_SHOW if roll < 0.92 \
                else BookingStatus.CANCELLED
            if status in OCCUPYING and booked.get(slot.pk, 0) + places > slot.capacity:
                continue
            if status in OCCUPYING:
                booked[slot.pk] = booked.get(slot.pk, 0) + places
            counts[status] += 1
            name, number, phone = people.next()
            made_at = _aware(dt.date(slot.day.year, 3, 18), 9) + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 10))
            changed_at = slot.start + dt.timedelta(minutes=rng.randint(0, 60)) if status == BookingStatus.ARRIVED \
                else (_aware(slot.day + dt.timedelta(days=1), 2) if status == BookingStatus.NO_SHOW else made_at)
            code = services.new_code()
            while code in codes_taken:
                code = services.new_code()
            codes_taken.add(code)
            for column, value in zip(bookings, (
                    booking_id, slot.pk, slot.resource_id, Domain.TOMB_SWEEPING, status, places, None,
                    f"祭扫预约（{s.cemetery.name}）", encrypt(phone), mask_phone(phone), ACTOR,
                    writer.datetime(made_at), "cemetery" if status == BookingStatus.ARRIVED else ACTOR,
                    writer.datetime(changed_at), "家中有事" if status == BookingStatus.CANCELLED else ""), strict=True):
                column.append(value)
            for column, value in zip(parties, (party_id, booking_id, name, encrypt(number), blind_index(number),
                                               mask_id_number(number), Domain.TOMB_SWEEPING, False), strict=True):
                column.append(value)
            for column, value in zip(reservations, (
                    reservation_id, booking_id, s.pk, s.cemetery_id, slot.day.isoformat(), code, name,
                    mask_id_number(number), mask_phone(phone), companions,
                    writer.datetime(changed_at) if status == BookingStatus.ARRIVED else None,
                    "cemetery" if status == BookingStatus.ARRIVED else "", ACTOR, writer.datetime(made_at)),
                    strict=True):
                column.append(value)
            booking_id, party_id, reservation_id = booking_id + 1, party_id + 1, reservation_id + 1
    writer.write(Booking, ["id", "slot_id", "resource_id", "domain", "status", "places", "hold_expires_at",
                           "purpose", "contact_phone_enc", "contact_phone_masked", "created_by", "created_at",
                           "status_changed_by", "status_changed_at", "cancel_reason"], bookings)
    writer.write(BookingParty, ["id", "booking_id", "name", "id_number_enc", "id_number_index", "id_number_masked",
                                "domain", "active"], parties)
    writer.write(Reservation, ["id", "booking_id", "sweeping_slot_id", "cemetery_id", "day", "code", "name",
                               "id_number_masked", "phone_masked", "companions", "checked_in_at", "checked_in_by",
                               "created_by", "created_at"], reservations)
    for slot_id, n in booked.items():
        Slot.objects.filter(pk=slot_id).update(booked=n)
    writer.reset_sequences([Booking, BookingParty, Reservation])
    return counts


@transaction.atomic
def sweeping_seed(*, bureau, cemetery_staff, today: dt.date, persons: int, seed: int = 2024) -> str:
    """Create (once) the demo's sweeping areas, peaks, reservations and proxy
    orders; returns what was done, in Chinese."""
    if SweepingArea.objects.exists():
        return "\n祭扫预约：演示数据已存在，未重复生成"
    sites = list(Cemetery.objects.filter(status=CemeteryStatus.OPEN).order_by("name"))
    if not sites:
        return "\n祭扫预约：没有在营的演示公墓，未生成"
    rng = random.Random(seed)
    people = _People(rng, start=seed % 1000)
    for site in sites:
        services.area_create(actor=bureau, cemetery=site, name="祭扫区", physical_capacity=CAPACITY[site.is_columbarium])
    lines = [f"\n祭扫预约：{len(sites)}个公墓各登记祭扫区1个（每个时段可容纳人数为演示假设）"]

    # next 清明 (booking opens 3/18 08:00)
    next_year = today.year if today <= _term(today.year, "清明") else today.year + 1
    upcoming = _qingming(bureau=bureau, year=next_year)
    lines.append(f"  {upcoming.title}：4月1日至5日，{next_year}年3月18日8:00开始预约，上限50%，"
                 f"清明当日7个时段（第7个时段16:00—17:30为演示假设）")

    # this year's 冬至, live
    solstice = _term(today.year, "冬至")
    winter = services.period_create(actor=bureau, kind=PeakKind.WINTER_SOLSTICE, title=f"{today.year}年冬至祭扫",
                                    cemetery=None, booking_opens_at=_aware(solstice - dt.timedelta(days=28)))
    for offset in range(-2, 3):
        services.day_set(actor=bureau, period=winter, date=solstice + dt.timedelta(days=offset), times=SIX_SLOTS,
                         note="冬至当日" if offset == 0 else "")
    services.period_generate_slots(actor=bureau, period=winter)
    live = cancelled = 0
    now = timezone.now()
    if winter.booking_opens_at <= now:
        open_slots = list(SweepingSlot.objects.filter(period=winter, slot__start__gt=now).order_by("pk"))
        wanted = min(len(open_slots), max(12, persons // 500))
        made = []
        for s in rng.sample(open_slots, wanted) if open_slots else []:
            name, number, phone = people.next()
            made.append(services.reserve(actor=cemetery_staff, slot_id=s.slot_id, name=name, id_number=number,
                                         phone=phone, companions=rng.choice((0, 1, 2, 3, 4))))
        if made:
            services.cancel(actor=cemetery_staff, reservation=made[-1], reason="家属行程有变（演示）")
            cancelled = 1
        live = len(made)
    lines.append(f"  {winter.title}：{solstice - dt.timedelta(days=2):%m月%d日}至{solstice + dt.timedelta(days=2):%m月%d日}"
                 f"（冬至{solstice:%m月%d日}），演示预约{live}笔（其中{cancelled}笔已取消）")

    # the last 清明, past: history with arrivals and no-shows
    last_year = today.year if today > _term(today.year, "清明") + dt.timedelta(days=1) else today.year - 1
    past = _qingming(bureau=bureau, year=last_year)
    counts = _archive(past, people, rng, per_slot=max(2, persons // 2000))
    audit_record(actor=ACTOR, action=ACTION, object_type="DemoData", object_id="sweeping",
                 changes={"seed": seed, "title": past.title, **counts})
    lines.append(f"  {past.title}（历史）：已入园{counts['arrived']}笔、未到场{counts['no_show']}笔、"
                 f"已取消{counts['cancelled']}笔")

    # proxy orders (代客祭扫)
    service_day = max(today, solstice - dt.timedelta(days=2))
    orders = []
    for i, site in enumerate(sites[:3]):
        name, _number, phone = people.next()
        orders.append(services.proxy_order_create(
            actor=cemetery_staff, cemetery=site, deceased_name=f"{name[0]}老先生", grave_location=f"祭扫区{i + 3}排{i + 8}号",
            service_date=today if i == 0 else service_day, services=["clean", "flowers"] + (["letter"] if i else []),
            family_name=name, family_phone=phone, message="家人在外地，拜托代为祭扫（演示）"))
    services.proxy_order_complete(actor=cemetery_staff, order=orders[0], note="已清扫墓碑、献花（演示）",
                                  photos=[_photo()])
    lines.append(f"  代客祭扫：演示订单{len(orders)}个（1个已完成并附照片）")
    return "\n".join(lines)
