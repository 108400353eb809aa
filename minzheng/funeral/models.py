"""Funeral services of a funeral home (殡仪馆) — the 「白事管家」 one-stop
online platform (docs/adr/0024-funeral-services.md).

* The **service catalogue**: :class:`ServiceItem` (category, unit, whether it
  is one of the listed items of the basic funeral subsidy —
  :class:`BasicService`) with **dated prices** (:class:`ItemPrice`: a price
  takes effect from a date; an order uses the price in force on its date).
  Prices are the funeral home's data entered by its staff, in fen.
* **Farewell halls** (:class:`FuneralHall`): a bookable resource of the shared
  booking core (``bookings.Resource`` of kind 殡仪厅, ADR 0021) with its size
  and the catalogue item charged per hour.
* **Orders** (:class:`FuneralOrder`), one per deceased: number (a gap-free
  series per home and year), the deceased (ID number encrypted, blind index,
  masked — ADR 0002), the family contact (phone encrypted and masked), the
  channel (网上（白事管家）/ 窗口 / 电话), the status, the lines
  (:class:`OrderLine`: item, quantity, unit price fixed at ordering, amount),
  the farewell-hall booking, every change of the lines
  (:class:`OrderChange`: who, when, why), the settlement (total, the basic
  funeral subsidy deducted and why, payable) and the payment.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class FuneralHome(models.Model):
    """A funeral home (殡仪馆) of the district; the district has one (松江区殡仪馆),
    the model allows more. ``code`` starts its order numbers."""

    name = models.CharField("名称", max_length=64, unique=True)
    code = models.CharField("订单编号前缀", max_length=12, unique=True)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="所属区划")
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "殡仪馆"
        verbose_name_plural = "殡仪馆"

    def __str__(self) -> str:
        return self.name


class Category(models.TextChoices):
    TRANSPORT = "transport", "遗体接运"
    REFRIGERATION = "refrigeration", "遗体冷藏"
    CARE = "care", "遗体整容与防腐"
    HALL = "hall", "告别厅"
    CREMATION = "cremation", "火化"
    URN = "urn", "骨灰盒"
    ASH_STORAGE = "ash_storage", "骨灰寄存"
    GOODS = "goods", "殡葬用品"
    OTHER = "other", "其他服务"


class Unit(models.TextChoices):
    TRIP = "trip", "次"
    DAY = "day", "天"
    HOUR = "hour", "小时"
    PIECE = "piece", "个"
    SET = "set", "套"
    YEAR = "year", "年"


class BasicService(models.TextChoices):
    """The listed items of the basic funeral subsidy (基本殡葬服务, 沪民规〔2017〕5号;
    REFERENCE §11): body transport, refrigeration up to 5 days, flat-furnace
    cremation, ash storage up to 1 year."""

    TRANSPORT = "transport", "遗体接运"
    REFRIGERATION = "refrigeration", "遗体冷藏（5天以内）"
    CREMATION = "cremation", "平板炉火化"
    ASH_STORAGE = "ash_storage", "骨灰寄存（1年以内）"


# How many units of each basic item count towards the basic cost (None: no limit listed).
BASIC_LIMITS: dict[str, tuple[int | None, str]] = {
    BasicService.TRANSPORT: (None, ""),
    BasicService.REFRIGERATION: (5, "天"),
    BasicService.CREMATION: (None, ""),
    BasicService.ASH_STORAGE: (1, "年"),
}


class HallSize(models.TextChoices):
    SMALL = "small", "小厅"
    MEDIUM = "medium", "中厅"
    LARGE = "large", "大厅"


class ServiceItem(models.Model):
    """One item of the catalogue (遗体接运、遗体冷藏、告别厅、火化、骨灰盒 …)."""

    home = models.ForeignKey(FuneralHome, on_delete=models.PROTECT, related_name="items", verbose_name="殡仪馆")
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    name = models.CharField("项目名称", max_length=64)
    unit = models.CharField("计价单位", max_length=8, choices=Unit.choices)
    basic = models.CharField("基本殡葬服务项目", max_length=16, choices=BasicService.choices, blank=True, default="")
    hall_size = models.CharField("告别厅规格", max_length=8, choices=HallSize.choices, blank=True, default="")
    active = models.BooleanField("在售", default=True)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    created_by = models.CharField("创建人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["home", "category", "name"]
        verbose_name = "服务项目"
        verbose_name_plural = "服务项目"
        constraints = [models.UniqueConstraint(fields=["home", "name"], name="funeral_item_name_once")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_unit_display()}）"


class ItemPrice(models.Model):
    """A price of an item from ``effective_from`` on, until the next one."""

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="prices")
    effective_from = models.DateField("生效日期")
    price_fen = models.PositiveIntegerField("单价（分）")
    note = models.CharField("调价说明", max_length=200, blank=True, default="")
    created_by = models.CharField("录入人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-effective_from"]
        verbose_name = "项目价格"
        verbose_name_plural = "项目价格"
        constraints = [models.UniqueConstraint(fields=["item", "effective_from"], name="funeral_price_once_per_day")]


class FuneralHall(models.Model):
    """A farewell hall (告别厅): a booking-core resource, its size and the item charged per hour."""

    home = models.ForeignKey(FuneralHome, on_delete=models.PROTECT, related_name="halls", verbose_name="殡仪馆")
    resource = models.OneToOneField("bookings.Resource", on_delete=models.PROTECT, related_name="+",
                                    verbose_name="预约资源")
    size = models.CharField("规格", max_length=8, choices=HallSize.choices)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+", verbose_name="计价项目")

    class Meta:
        ordering = ["home", "resource__name"]
        verbose_name = "告别厅"
        verbose_name_plural = "告别厅"

    def __str__(self) -> str:
        return self.resource.name


class Channel(models.TextChoices):
    ONLINE = "online", "网上（白事管家）"
    WINDOW = "window", "窗口"
    PHONE = "phone", "电话"


class OrderStatus(models.TextChoices):
    PLACED = "placed", "已下单"
    IN_SERVICE = "in_service", "服务中"
    SETTLED = "settled", "已结算"
    CANCELLED = "cancelled", "已取消"


OPEN_STATUSES = (OrderStatus.PLACED, OrderStatus.IN_SERVICE)


class Relation(models.TextChoices):
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    SIBLING = "sibling", "兄弟姐妹"
    RELATIVE = "relative", "其他亲属"
    OTHER = "other", "其他（单位、朋友等）"


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", "未付"
    PAID = "paid", "已付"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "现金"
    CARD = "card", "银行卡"
    TRANSFER = "transfer", "银行转账"
    MOBILE = "mobile", "移动支付"
    NONE_DUE = "none_due", "无需付款（补贴后应付为零）"


class FuneralOrder(models.Model):
    """One deceased's funeral services at a home (殡仪服务订单)."""

    home = models.ForeignKey(FuneralHome, on_delete=models.PROTECT, related_name="orders", verbose_name="殡仪馆")
    number = models.CharField("订单编号", max_length=32, unique=True)
    ordered_on = models.DateField("下单日期", db_index=True)
    channel = models.CharField("受理渠道", max_length=8, choices=Channel.choices)
    status = models.CharField("状态", max_length=12, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    # the deceased (逝者)
    deceased_name = models.CharField("逝者姓名", max_length=64)
    deceased_id_enc = models.TextField("逝者身份证号（密文）")
    deceased_id_index = models.CharField("逝者身份证号索引", max_length=40, db_index=True)
    deceased_id_masked = models.CharField("逝者身份证号（脱敏）", max_length=18)
    death_date = models.DateField("死亡日期")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="人口库人员")
    # the family contact (家属联系人)
    contact_name = models.CharField("联系人姓名", max_length=64)
    contact_relation = models.CharField("与逝者关系", max_length=12, choices=Relation.choices)
    contact_phone_enc = models.TextField("联系电话（密文）")
    contact_phone_masked = models.CharField("联系电话（脱敏）", max_length=16)
    # the farewell hall (a booking of the booking core)
    hall_booking = models.OneToOneField("bookings.Booking", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name="告别厅预约")
    # 火化完成 and the death report
    cremated_on = models.DateField("火化日期", null=True, blank=True)
    # the death record (deaths app, ADR 0023) the cremation was reported to
    death_record = models.ForeignKey("deaths.DeathRecord", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="死亡登记")
    # settlement (结算): None until settled
    settled_on = models.DateField("结算日期", null=True, blank=True, db_index=True)
    settled_by = models.CharField("结算人", max_length=150, blank=True, default="")
    total_fen = models.PositiveIntegerField("费用合计（分）", null=True, blank=True)
    basic_cost_fen = models.PositiveIntegerField("基本殡葬服务费用（分）", null=True, blank=True)
    subsidy_fen = models.PositiveIntegerField("基本殡葬服务补贴抵扣（分）", null=True, blank=True)
    subsidy_reason = models.CharField("补贴抵扣说明", max_length=400, blank=True, default="")
    subsidy_grant_ref = models.CharField("补贴发放记录", max_length=40, blank=True, default="")
    payable_fen = models.PositiveIntegerField("应付金额（分）", null=True, blank=True)
    payment_status = models.CharField("付款状态", max_length=8, choices=PaymentStatus.choices,
                                      default=PaymentStatus.UNPAID)
    payment_method = models.CharField("付款方式", max_length=12, choices=PaymentMethod.choices, blank=True, default="")
    paid_at = models.DateTimeField("付款时间", null=True, blank=True)
    cancelled_on = models.DateField("取消日期", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True, default="")
    created_by = models.CharField("受理人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ordered_on", "-id"]
        verbose_name = "殡仪服务订单"
        verbose_name_plural = "殡仪服务订单"
        indexes = [models.Index(fields=["home", "ordered_on"], name="funeral_order_home_day")]
        constraints = [
            # one open or settled order per deceased per home (a cancelled one may be placed again)
            models.UniqueConstraint(fields=["home", "deceased_id_index"], condition=~Q(status="cancelled"),
                                    name="funeral_order_one_per_deceased"),
            models.CheckConstraint(condition=Q(payable_fen__isnull=True) | Q(total_fen__isnull=False),
                                   name="funeral_order_payable_after_total"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OrderLine(models.Model):
    """An item of an order: quantity × the unit price fixed when it was ordered."""

    order = models.ForeignKey(FuneralOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+", verbose_name="服务项目")
    quantity = models.PositiveIntegerField("数量")
    unit_price_fen = models.PositiveIntegerField("单价（分）")
    amount_fen = models.PositiveIntegerField("金额（分）")
    # the farewell-hall line belongs to the hall booking (removed with it)
    for_hall = models.BooleanField("告别厅预约", default=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "订单项目"
        verbose_name_plural = "订单项目"
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="funeral_line_quantity_positive"),
            models.CheckConstraint(condition=Q(amount_fen=F("quantity") * F("unit_price_fen")),
                                   name="funeral_line_amount_is_quantity_times_price"),
        ]


class ChangeKind(models.TextChoices):
    ADD = "add", "新增项目"
    QUANTITY = "quantity", "修改数量"
    REMOVE = "remove", "删除项目"
    HALL_BOOK = "hall_book", "预约告别厅"
    HALL_CANCEL = "hall_cancel", "取消告别厅预约"


class OrderChange(models.Model):
    """A change of an order's items after it was placed: who, when, why."""

    order = models.ForeignKey(FuneralOrder, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("变更类型", max_length=12, choices=ChangeKind.choices)
    item_name = models.CharField("项目", max_length=80)
    quantity_before = models.PositiveIntegerField("原数量", null=True, blank=True)
    quantity_after = models.PositiveIntegerField("新数量", null=True, blank=True)
    amount_change_fen = models.IntegerField("金额变化（分）")
    reason = models.CharField("变更原因", max_length=200)
    changed_by = models.CharField("变更人", max_length=150)
    changed_at = models.DateTimeField("变更时间", auto_now_add=True)

    class Meta:
        ordering = ["order", "changed_at", "id"]
        verbose_name = "订单变更"
        verbose_name_plural = "订单变更"


class OrderCounter(models.Model):
    """The last number issued per series (``FH310117-2026``): incremented under a
    row lock in the order's own transaction, so numbers have no gaps."""

    key = models.CharField(max_length=32, primary_key=True)
    last = models.PositiveIntegerField(default=0)
