"""The shared booking core (docs/adr/0021-booking-core.md): bookable resources,
their opening rules, time slots with a capacity, bookings and the people they
are for, and the notices sent about them.

Two rules are kept by the database itself, not by Python checks:

* **no overbooking** — ``Slot.booked`` moves only by an atomic conditional
  ``UPDATE`` (``services``), and the CHECK constraints ``0 <= booked <=
  capacity`` refuse anything else;
* **one active booking per ID number per domain** — a partial unique index
  on ``BookingParty(domain, id_number_index) WHERE active``; ``domain`` and
  ``active`` are copied onto the party row and kept in step by the services.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from minzheng.core.models import Division


class Domain(models.TextChoices):
    """The service a booking belongs to (the per-person limit is per domain)."""

    MARRIAGE = "marriage", "婚姻登记"
    TOMB_SWEEPING = "tomb_sweeping", "祭扫"
    FUNERAL = "funeral", "殡仪服务"


class ResourceKind(models.TextChoices):
    MARRIAGE_WINDOW = "marriage_window", "婚姻登记窗口"
    TOMB_AREA = "tomb_area", "祭扫区域"
    FUNERAL_HALL = "funeral_hall", "殡仪厅"


# Which domain each kind of resource serves (a kind belongs to exactly one).
KIND_DOMAIN = {
    ResourceKind.MARRIAGE_WINDOW: Domain.MARRIAGE,
    ResourceKind.TOMB_AREA: Domain.TOMB_SWEEPING,
    ResourceKind.FUNERAL_HALL: Domain.FUNERAL,
}

# Kinds open every day of the year unless closed (a funeral home and a
# cemetery work weekends and public holidays, 清明 above all); the other kinds
# follow the State Council's working days (ADR 0021, "Calendars").
EVERY_DAY_KINDS = frozenset({ResourceKind.TOMB_AREA, ResourceKind.FUNERAL_HALL})


class Resource(models.Model):
    """Something that is booked by time: a registration office's windows, a
    tomb-sweeping area, a funeral hall. Owned by a division: one owned by the
    district is the whole district's (every scope sees it); one owned by a
    street is seen only by that street and the district (``selectors``)."""

    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类型", max_length=20, choices=ResourceKind.choices)
    domain = models.CharField("业务", max_length=20, choices=Domain.choices)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="所属区划")
    # The owning street ("" when owned by the district); copied from ``division`` for scoping.
    street_code = models.CharField("所属街镇", max_length=9, blank=True, default="", db_index=True)
    active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.CharField("创建人", max_length=150)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "预约资源"
        verbose_name_plural = "预约资源"

    def __str__(self) -> str:
        return self.name


class SlotTemplate(models.Model):
    """One session of a resource's ordinary opening: on the listed weekdays,
    from ``day_start`` to ``day_end`` in slots of ``slot_minutes``, each for
    ``capacity`` bookings. A resource may have several (morning, afternoon).
    On a make-up working day or a special opening day every active session
    of the resource applies, whatever its weekdays (ADR 0021)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="templates")
    # ISO weekdays as digits, Monday = 1: "12345" is Monday to Friday.
    weekdays = models.CharField("开放星期", max_length=7)
    day_start = models.TimeField("开始时间")
    day_end = models.TimeField("结束时间")
    slot_minutes = models.PositiveSmallIntegerField("每个时段（分钟）")
    capacity = models.PositiveSmallIntegerField("每个时段可约数")
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["resource", "day_start"]
        verbose_name = "时段规则"
        verbose_name_plural = "时段规则"
        constraints = [
            models.CheckConstraint(condition=Q(day_end__gt=F("day_start")), name="bookings_template_end_after_start"),
            models.CheckConstraint(condition=Q(slot_minutes__gt=0), name="bookings_template_slot_positive"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="bookings_template_capacity_positive"),
        ]

    def weekday_numbers(self) -> set[int]:
        return {int(ch) for ch in self.weekdays}


class SpecialOpeningDay(models.Model):
    """A day the resource opens although it is not a working day (5月20日, 七夕 …), set by staff."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="special_days")
    date = models.DateField("日期")
    name = models.CharField("名称", max_length=40)
    created_by = models.CharField("设置人", max_length=150)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "特别开放日"
        verbose_name_plural = "特别开放日"
        constraints = [models.UniqueConstraint(fields=["resource", "date"], name="bookings_special_day_once")]


class Closure(models.Model):
    """The resource is closed from ``date_from`` to ``date_to`` (inclusive), for ``reason``."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="closures")
    date_from = models.DateField("起始日期")
    date_to = models.DateField("截止日期")
    reason = models.CharField("原因", max_length=200)
    created_by = models.CharField("设置人", max_length=150)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        ordering = ["date_from"]
        verbose_name = "暂停开放"
        verbose_name_plural = "暂停开放"
        constraints = [models.CheckConstraint(condition=Q(date_to__gte=F("date_from")),
                                              name="bookings_closure_dates_ordered")]


class Slot(models.Model):
    """One bookable time slot. ``booked`` counts the places taken by holds
    and bookings that still occupy the slot; it only moves through the
    services' conditional ``UPDATE`` and never leaves ``0..capacity``."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="slots")
    day = models.DateField("日期")
    start = models.DateTimeField("开始")
    end = models.DateTimeField("结束")
    capacity = models.PositiveSmallIntegerField("可约数")
    booked = models.IntegerField("已约数", default=0)

    class Meta:
        ordering = ["start", "resource"]
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        constraints = [
            models.UniqueConstraint(fields=["resource", "start"], name="bookings_slot_once"),
            models.CheckConstraint(condition=Q(booked__gte=0), name="bookings_slot_booked_not_negative"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="bookings_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="bookings_slot_end_after_start"),
        ]
        indexes = [models.Index(fields=["resource", "day"], name="bookings_slot_resource_day")]

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class BookingStatus(models.TextChoices):
    HELD = "held", "暂留"
    CONFIRMED = "confirmed", "已确认"
    CANCELLED = "cancelled", "已取消"
    ARRIVED = "arrived", "已到场"
    NO_SHOW = "no_show", "未到场"
    EXPIRED = "expired", "已过期"


# Statuses that occupy a place in the slot (cancelling and expiry give it back).
OCCUPYING = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.ARRIVED, BookingStatus.NO_SHOW)
# Statuses that count against the per-person limit (an upcoming appointment).
ACTIVE = (BookingStatus.HELD, BookingStatus.CONFIRMED)


class Booking(models.Model):
    """A hold or a booking of ``places`` places in one slot. A hold
    (``暂留``) lapses at ``hold_expires_at`` unless confirmed."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    domain = models.CharField("业务", max_length=20, choices=Domain.choices)
    status = models.CharField("状态", max_length=12, choices=BookingStatus.choices, default=BookingStatus.HELD)
    places = models.PositiveSmallIntegerField("占用名额", default=1)
    hold_expires_at = models.DateTimeField("暂留截止", null=True, blank=True)
    purpose = models.CharField("事项", max_length=200)
    contact_phone_enc = models.TextField("联系电话（密文）", blank=True)
    contact_phone_masked = models.CharField("联系电话（脱敏）", max_length=20, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    status_changed_by = models.CharField("状态变更人", max_length=150, blank=True)
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    class Meta:
        ordering = ["slot__start", "id"]
        verbose_name = "预约"
        verbose_name_plural = "预约"
        indexes = [models.Index(fields=["status", "hold_expires_at"], name="bookings_booking_status_expiry")]
        constraints = [
            models.CheckConstraint(condition=Q(places__gt=0), name="bookings_booking_places_positive"),
            models.CheckConstraint(condition=~Q(status="held") | Q(hold_expires_at__isnull=False),
                                   name="bookings_hold_has_expiry"),
        ]

    def __str__(self) -> str:
        return f"预约 {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class BookingParty(models.Model):
    """A person the booking is for (both parties of a marriage registration).

    The ID number is stored as registry.Person stores it: encrypted, with a
    keyed blind index and a masked copy (core.personal_data, ADR 0002).
    ``domain`` and ``active`` are copies of the booking's, kept in step by the
    services, so that the partial unique index enforces one active booking
    per ID number per domain."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField("姓名", max_length=64)
    id_number_enc = models.TextField("身份证号（密文）")
    id_number_index = models.CharField("身份证号索引", max_length=40)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    domain = models.CharField("业务", max_length=20, choices=Domain.choices)
    active = models.BooleanField("有效预约", default=True)

    class Meta:
        ordering = ["booking", "id"]
        verbose_name = "预约人"
        verbose_name_plural = "预约人"
        constraints = [
            models.UniqueConstraint(fields=["domain", "id_number_index"], condition=Q(active=True),
                                    name="bookings_one_active_booking_per_person"),
        ]
        indexes = [models.Index(fields=["id_number_index"], name="bookings_party_id_index")]


class NoticeKind(models.TextChoices):
    CONFIRMATION = "confirmation", "确认"
    CANCELLATION = "cancellation", "取消"
    REMINDER = "reminder", "提醒"


class NoticeChannel(models.TextChoices):
    SMS = "sms", "短信"


class SenderStatus(models.TextChoices):
    RECORDED = "recorded", "已记录（未接入短信平台）"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    NO_RECIPIENT = "no_recipient", "未发送（无联系电话）"


class Notice(models.Model):
    """A notice about a booking, as handed to the notice sender, with its answer."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("类型", max_length=16, choices=NoticeKind.choices)
    channel = models.CharField("渠道", max_length=8, choices=NoticeChannel.choices, default=NoticeChannel.SMS)
    text = models.TextField("内容")
    recipient_masked = models.CharField("接收号码（脱敏）", max_length=20, blank=True)
    sent_at = models.DateTimeField("发送时间")
    sender_status = models.CharField("发送状态", max_length=16, choices=SenderStatus.choices)
    sender_reference = models.CharField("发送回执", max_length=64, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = "预约通知"
        verbose_name_plural = "预约通知"
