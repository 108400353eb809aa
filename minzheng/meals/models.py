"""老年人助餐: subsidy rates, meal records, imports and monthly settlements
(issue 16; ADR 0032).

* :class:`SubsidyRate` — the subsidy per meal of a tier from a date on
  (REFERENCE § 10, Songjiang, ~2024-12, secondary): dated rows, never
  constants in code; the rate in force on the meal's day applies.
* :class:`MealRecord` — one meal of one elder at one canteen (a ``Facility``
  of kind 社区长者食堂 / 社区助餐点) on one day and meal time (堂食 / 送餐),
  with the subsidy decided when it is recorded: at most one subsidised meal
  per elder per day (database constraint), the rest recorded unsubsidised
  with the reason.
* :class:`MealImport` / :class:`QuarantinedRow` — a canteen's daily file
  (or the counter's entries), once per file content; bad rows kept with row
  number and reason.
* :class:`Settlement` — a canteen's month: counts, subsidy in fen, the late
  records of earlier months as adjustments, approval (maker-checker) and
  the payment request.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.care_facilities.models import Facility
from minzheng.registry.models import Person


class Tier(models.TextChoices):
    """The two tiers of REFERENCE § 10."""

    HIGH = "high", "4元档（65岁以上困难家庭或重残老人、80岁以上户籍老人）"
    BASIC = "basic", "2元档（其他65岁以上户籍老人）"


class Certainty(models.TextChoices):
    OFFICIAL = "official", "官方来源"
    SECONDARY = "secondary", "二手来源（尚未核实）"
    ASSUMPTION = "assumption", "假设（尚未核实）"


class SubsidyRate(models.Model):
    """The subsidy per subsidised meal of ``tier`` from ``valid_from`` on (until the
    next row of the tier). ``date_approximate``: the source gives only a month
    ("~2024-12"); ``valid_from`` is then the first of that month, and the page
    says so."""

    tier = models.CharField("补贴档次", max_length=8, choices=Tier.choices)
    valid_from = models.DateField("起始日期")
    date_approximate = models.BooleanField("起始日期为约数", default=False)
    amount_fen = models.PositiveIntegerField("每餐补贴（分）")
    source = models.CharField("依据", max_length=300)
    certainty = models.CharField("可靠程度", max_length=12, choices=Certainty.choices)
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["tier", "-valid_from"]
        verbose_name = "助餐补贴标准"
        verbose_name_plural = "助餐补贴标准"
        constraints = [
            models.UniqueConstraint(fields=["tier", "valid_from"], name="meal_rate_one_per_tier_day"),
            models.CheckConstraint(condition=Q(tier__in=["high", "basic"]), name="meal_rate_tier_known"),
        ]

    @property
    def verified(self) -> bool:
        return self.certainty == Certainty.OFFICIAL


class MealKind(models.TextChoices):
    DINE_IN = "dine_in", "堂食"
    DELIVERY = "delivery", "送餐"


class MealSlot(models.TextChoices):
    BREAKFAST = "breakfast", "早餐"
    LUNCH = "lunch", "午餐"
    DINNER = "dinner", "晚餐"


class ImportSource(models.TextChoices):
    FILE = "file", "每日文件导入"
    COUNTER = "counter", "窗口登记"


class MealImport(models.Model):
    """One file of one canteen (or the counter's entries of one canteen and
    day: ``source`` 窗口登记, no file). The same content twice is the same
    import (unique hash per canteen): nothing changes."""

    canteen = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", verbose_name="助餐点")
    source = models.CharField("来源", max_length=8, choices=ImportSource.choices, default=ImportSource.FILE)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    file_sha256 = models.CharField("文件摘要", max_length=64, blank=True)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    rows_recorded = models.PositiveIntegerField("登记行数", default=0)
    rows_repeated = models.PositiveIntegerField("已登记过的行数", default=0)
    rows_quarantined = models.PositiveIntegerField("有问题的行数", default=0)
    imported_by = models.CharField("导入人", max_length=150)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "助餐记录导入"
        verbose_name_plural = "助餐记录导入"
        constraints = [
            models.UniqueConstraint(fields=["canteen", "file_sha256"], condition=Q(source="file"),
                                    name="meal_import_once_per_file"),
        ]


class QuarantinedRow(models.Model):
    """A row of an import that could not be recorded, with its row number
    (the header is row 1) and the Chinese reason; the row as read."""

    meal_import = models.ForeignKey(MealImport, on_delete=models.CASCADE, related_name="quarantined",
                                    verbose_name="导入批次")
    row_number = models.PositiveIntegerField("行号")
    reason = models.CharField("原因", max_length=300)
    values = models.JSONField("原始内容", default=dict)

    class Meta:
        ordering = ["meal_import", "row_number"]
        verbose_name = "待处理数据行"
        verbose_name_plural = "待处理数据行"


class SettlementStatus(models.TextChoices):
    PREPARED = "prepared", "待审批"
    APPROVED = "approved", "已审批"
    PAYMENT_REQUESTED = "payment_requested", "已申请拨付"


class Settlement(models.Model):
    """A canteen's monthly settlement (月度结算). Made once, never edited: it
    covers the canteen's records of its month and before with an id up to
    ``last_record_id`` (the newest record when it was made, under the meals
    lock) that no earlier settlement of the canteen covers. A record of the
    month arriving later has a larger id: the next settlement takes it as an
    adjustment (``adjustments``: per earlier month, meals, subsidised meals
    and fen)."""

    canteen = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", verbose_name="助餐点")
    street = models.ForeignKey("core.Division", on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    month = models.CharField("结算月份", max_length=7)
    status = models.CharField("状态", max_length=20, choices=SettlementStatus.choices,
                              default=SettlementStatus.PREPARED)
    meals = models.PositiveIntegerField("用餐人次", default=0)
    subsidised_meals = models.PositiveIntegerField("补贴人次", default=0)
    subsidy_fen = models.BigIntegerField("本月补贴（分）", default=0)
    adjustment_meals = models.PositiveIntegerField("补报人次", default=0)
    adjustment_subsidised = models.PositiveIntegerField("补报补贴人次", default=0)
    adjustment_fen = models.BigIntegerField("补报补贴（分）", default=0)
    adjustments = models.JSONField("以前月份补报明细", default=list)
    anomalies = models.JSONField("不予补贴情况", default=dict)
    total_fen = models.BigIntegerField("应拨付（分）", default=0)
    prepared_by = models.CharField("结算人", max_length=150)
    prepared_at = models.DateTimeField("结算时间", auto_now_add=True)
    approved_by = models.CharField("审批人", max_length=150, blank=True)
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    payment_reference = models.CharField("拨付业务编号", max_length=100, blank=True)
    last_record_id = models.BigIntegerField("结算时最后一条记录编号", default=0)

    class Meta:
        ordering = ["-month", "canteen_id"]
        verbose_name = "助餐月度结算"
        verbose_name_plural = "助餐月度结算"
        constraints = [
            models.UniqueConstraint(fields=["canteen", "month"], name="meal_settlement_once_per_month"),
            models.CheckConstraint(condition=Q(total_fen=models.F("subsidy_fen") + models.F("adjustment_fen")),
                                   name="meal_settlement_total_adds_up"),
        ]

    def __str__(self) -> str:
        return f"{self.canteen} {self.month}"

    @property
    def payment_requested(self) -> bool:
        return self.status == SettlementStatus.PAYMENT_REQUESTED


class MealRecord(models.Model):
    """One meal. ``subsidy_fen`` is 0 with ``reason`` when not subsidised
    (当日已享受补贴, 已死亡, 未满65周岁, 非本市户籍, 参数缺失). Identity: one
    canteen, elder, day and meal time (a repeated row is the same meal).

    Never edited once written: a settlement covers the records up to its
    ``last_record_id`` (see :class:`Settlement`), so settling writes nothing
    here. Written in bulk (COPY): every reference is without a database
    foreign key and without an index of its own — the values come from the
    canteen row, the registry look-up, the rate table and the import that the
    same service read or created in the same transaction, and the ORM still
    refuses to delete a canteen or a person with meals (``PROTECT``). The
    deferred foreign-key checks at commit cost a third of the year's import
    on PostgreSQL, as for department feeds (ADR 0005); the identity, the one
    subsidised meal per day and (canteen, day) are the indexes kept (ADR 0032)."""

    id = models.BigAutoField(primary_key=True)
    canteen = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", db_index=False,
                                db_constraint=False, verbose_name="助餐点")
    street = models.ForeignKey("core.Division", on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                               db_constraint=False, verbose_name="街镇")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False,
                               db_constraint=False, verbose_name="老人")
    day = models.DateField("用餐日期")
    slot = models.CharField("餐次", max_length=10, choices=MealSlot.choices)
    kind = models.CharField("用餐方式", max_length=10, choices=MealKind.choices)
    subsidised = models.BooleanField("享受补贴", default=False)
    tier = models.CharField("补贴档次", max_length=8, choices=Tier.choices, blank=True)
    subsidy_fen = models.PositiveIntegerField("补贴（分）", default=0)
    rate = models.ForeignKey(SubsidyRate, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+",
                             db_index=False, db_constraint=False, verbose_name="补贴标准")
    reason = models.CharField("不予补贴原因", max_length=100, blank=True)
    meal_import = models.ForeignKey(MealImport, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                                    db_constraint=False, verbose_name="导入批次")

    class Meta:
        ordering = ["-day", "canteen_id", "id"]
        verbose_name = "助餐记录"
        verbose_name_plural = "助餐记录"
        constraints = [
            models.UniqueConstraint(fields=["canteen", "person", "day", "slot"], name="meal_record_identity"),
            models.UniqueConstraint(fields=["person", "day"], condition=Q(subsidised=True),
                                    name="meal_one_subsidised_per_person_day"),
            models.CheckConstraint(condition=Q(subsidised=True, subsidy_fen__gt=0) | Q(subsidised=False,
                                                                                       subsidy_fen=0),
                                   name="meal_subsidy_only_when_subsidised"),
        ]
        indexes = [
            models.Index(fields=["canteen", "day"], name="meal_canteen_day"),
        ]
