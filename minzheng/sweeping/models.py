"""Tomb-sweeping reservations at 清明 and 冬至 and proxy sweeping (代客祭扫),
on the shared booking core (docs/adr/0026-tomb-sweeping.md, ADR 0021).

* :class:`SweepingArea` — a cemetery's sweeping area: a ``bookings.Resource``
  of kind 祭扫区域 with the number of people it holds per slot (physical
  capacity).
* :class:`PeakPeriod` — a peak (清明, 冬至, other) for one cemetery or all,
  its booking opening time and its cap as a percentage of the physical
  capacity (2022: 50 %); :class:`PeakDay` — one day of it with the slot plan
  the staff set (six 1.5-hour slots 07:00–16:00, seven on 清明 day).
* :class:`SweepingSlot` — a ``bookings.Slot`` created for a peak day of an
  area, capacity = floor(physical × cap %) people.
* :class:`Reservation` — a ``bookings.Booking`` (places = 1 + companions:
  capacity counts people) with its reservation code, checked at the gate.
* :class:`ProxyOrder` / :class:`ProxyPhoto` — 代客祭扫: an order, the service
  recorded by the cemetery's staff with photos.

No overbooking is the booking core's: ``Slot.booked`` moves only by a
conditional UPDATE and CHECK constraints keep it within the capacity.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.bookings.models import Booking, Resource, Slot
from minzheng.cemeteries.models import Cemetery

MAX_COMPANIONS = 4  # 2023: "每位预约人可携带不超过4名同行人员"


class SweepingArea(models.Model):
    """A sweeping area of a cemetery, bookable by time (its ``resource``)."""

    cemetery = models.ForeignKey(Cemetery, on_delete=models.PROTECT, related_name="+", verbose_name="公墓")
    resource = models.OneToOneField(Resource, on_delete=models.PROTECT, related_name="+", verbose_name="预约资源")
    name = models.CharField("祭扫区域", max_length=64)
    physical_capacity = models.PositiveIntegerField("每个时段可容纳人数")
    active = models.BooleanField("启用", default=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["cemetery_id", "name"]
        verbose_name = "祭扫区域"
        verbose_name_plural = "祭扫区域"
        constraints = [
            models.UniqueConstraint(fields=["cemetery", "name"], name="sweeping_area_name_once"),
            models.CheckConstraint(condition=Q(physical_capacity__gt=0), name="sweeping_area_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.cemetery.name} {self.name}"


class PeakKind(models.TextChoices):
    QINGMING = "qingming", "清明"
    WINTER_SOLSTICE = "winter_solstice", "冬至"
    OTHER = "other", "其他"


class PeakPeriod(models.Model):
    """A peak of tomb sweeping by reservation, for one cemetery or (``cemetery``
    empty) all cemeteries with sweeping areas."""

    kind = models.CharField("祭扫高峰", max_length=20, choices=PeakKind.choices)
    title = models.CharField("名称", max_length=64)
    cemetery = models.ForeignKey(Cemetery, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="公墓（空：全部公墓）")
    booking_opens_at = models.DateTimeField("开始预约时间")
    cap_percent = models.PositiveSmallIntegerField("预约上限（占可容纳人数的百分比）", default=100)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-booking_opens_at", "id"]
        verbose_name = "祭扫高峰期"
        verbose_name_plural = "祭扫高峰期"
        constraints = [
            models.CheckConstraint(condition=Q(cap_percent__gte=1) & Q(cap_percent__lte=100),
                                   name="sweeping_period_cap_percent_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def capacity_for(self, physical: int) -> int:
        """floor(physical × cap %) people per slot."""
        return physical * self.cap_percent // 100


class PeakDay(models.Model):
    """One day of a peak with its slot plan: ``times`` is a list of
    ``["HH:MM", "HH:MM"]`` pairs entered by the staff."""

    period = models.ForeignKey(PeakPeriod, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期")
    times = models.JSONField("时段安排", default=list)
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "祭扫高峰日"
        verbose_name_plural = "祭扫高峰日"
        constraints = [models.UniqueConstraint(fields=["period", "date"], name="sweeping_peak_day_once")]

    def times_text(self) -> str:
        return "、".join(f"{a}—{b}" for a, b in self.times)


class SweepingSlot(models.Model):
    """A booking-core slot created for a peak day of an area."""

    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="+", verbose_name="预约时段")
    area = models.ForeignKey(SweepingArea, on_delete=models.PROTECT, related_name="slots", verbose_name="祭扫区域")
    period = models.ForeignKey(PeakPeriod, on_delete=models.PROTECT, related_name="slots", verbose_name="祭扫高峰期")
    cemetery = models.ForeignKey(Cemetery, on_delete=models.PROTECT, related_name="+", verbose_name="公墓")
    day = models.DateField("日期")
    physical_capacity = models.PositiveIntegerField("可容纳人数")

    class Meta:
        ordering = ["day", "slot__start", "area"]
        verbose_name = "祭扫时段"
        verbose_name_plural = "祭扫时段"
        indexes = [models.Index(fields=["cemetery", "day"], name="sweeping_slot_cemetery_day")]


class Reservation(models.Model):
    """A tomb-sweeping reservation: the booking core's booking (places =
    1 + companions) and the code shown on the confirmation page and checked
    at the gate."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="+", verbose_name="预约")
    sweeping_slot = models.ForeignKey(SweepingSlot, on_delete=models.PROTECT, related_name="reservations",
                                      verbose_name="祭扫时段")
    cemetery = models.ForeignKey(Cemetery, on_delete=models.PROTECT, related_name="+", verbose_name="公墓")
    day = models.DateField("日期")
    code = models.CharField("预约码", max_length=12, unique=True)
    name = models.CharField("预约人", max_length=64)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    phone_masked = models.CharField("联系电话（脱敏）", max_length=20)
    companions = models.PositiveSmallIntegerField("同行人数", default=0)
    checked_in_at = models.DateTimeField("入园核验时间", null=True, blank=True)
    checked_in_by = models.CharField("核验人", max_length=150, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        verbose_name = "祭扫预约"
        verbose_name_plural = "祭扫预约"
        indexes = [models.Index(fields=["cemetery", "day"], name="sweeping_res_cemetery_day")]
        constraints = [
            models.CheckConstraint(condition=Q(companions__lte=MAX_COMPANIONS), name="sweeping_companions_at_most_4"),
        ]

    def __str__(self) -> str:
        return f"祭扫预约 {self.code}"

    @property
    def people(self) -> int:
        return 1 + self.companions


class ProxyService(models.TextChoices):
    CLEAN = "clean", "清扫墓碑"
    FLOWERS = "flowers", "献花"
    LETTER = "letter", "代读家书"
    REPAINT = "repaint", "描红字迹"
    OFFERING = "offering", "敬献祭品"


class ProxyStatus(models.TextChoices):
    ACCEPTED = "accepted", "已受理"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class ProxyOrder(models.Model):
    """代客祭扫: the cemetery's staff sweep a grave for a family that cannot come."""

    code = models.CharField("订单号", max_length=12, unique=True)
    cemetery = models.ForeignKey(Cemetery, on_delete=models.PROTECT, related_name="+", verbose_name="公墓")
    deceased_name = models.CharField("逝者姓名", max_length=64)
    grave_location = models.CharField("墓位位置", max_length=100)
    service_date = models.DateField("祭扫日期")
    services = models.JSONField("服务项目", default=list)
    family_name = models.CharField("家属姓名", max_length=64)
    family_phone_enc = models.TextField("家属电话（密文）")
    family_phone_masked = models.CharField("家属电话（脱敏）", max_length=20)
    message = models.CharField("家属嘱托", max_length=500, blank=True)
    status = models.CharField("状态", max_length=12, choices=ProxyStatus.choices, default=ProxyStatus.ACCEPTED)
    service_note = models.CharField("服务记录", max_length=500, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    created_by = models.CharField("受理人", max_length=150)
    created_at = models.DateTimeField("受理时间", auto_now_add=True)
    done_by = models.CharField("服务人", max_length=150, blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-service_date", "-id"]
        verbose_name = "代客祭扫订单"
        verbose_name_plural = "代客祭扫订单"
        indexes = [models.Index(fields=["cemetery", "service_date"], name="sweeping_proxy_cemetery_day")]

    def __str__(self) -> str:
        return f"代客祭扫 {self.code}"

    def service_labels(self) -> str:
        return "、".join(ProxyService(s).label for s in self.services if s in ProxyService.values)


class ProxyPhoto(models.Model):
    """A photo of a proxy service (JPEG or PNG, checked by content, at most
    ``services.MAX_PHOTO_BYTES``), stored under MEDIA and served only through
    a page that checks the permission and the scope."""

    order = models.ForeignKey(ProxyOrder, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to="sweeping/proxy/%Y/%m/")
    content_type = models.CharField("类型", max_length=20)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("文件指纹", max_length=64)
    uploaded_by = models.CharField("上传人", max_length=150)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "代客祭扫照片"
        verbose_name_plural = "代客祭扫照片"
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="sweeping_photo_not_empty")]


__all__ = [
    "MAX_COMPANIONS", "PeakDay", "PeakKind", "PeakPeriod", "ProxyOrder", "ProxyPhoto", "ProxyService", "ProxyStatus",
    "Reservation", "SweepingArea", "SweepingSlot",
]
