"""居家环境适老化改造: applications, the item catalogue, contractors, photos
and the yearly targets (issue 16, ADR 0034).

The seed: 2023 "完成 206 户居家环境适老化改造"; 2024 plan "完成300户居家环境
适老化改造" — rows of :class:`YearTarget`, with their sentences. REFERENCE
gives no item prices and no subsidy share: the catalogue's prices are seeded
as demo values (``price_basis`` says 演示) for the bureau to replace, and the
subsidy share is left unset (``None``) — a subsidy is refused until the bureau
sets it (ADR 0034 § subsidy).

Flow: 已申请 → 已评估 (items and quantities from the catalogue) → 已派单
(a contractor) → 已完工 (photos) → 已验收 (accepted items) → 已申请补贴 (a
one-off payment queued in the payments app, payee the elder). 不予改造 ends
an application before completion.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Household, Person


class CatalogueItem(models.Model):
    """One adaptation item (扶手, 防滑处理 …) with its unit price (fen) and the
    share of it the subsidy pays (percent; ``None`` = not configured)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("项目", max_length=64, unique=True)
    unit = models.CharField("单位", max_length=8)
    unit_price_fen = models.PositiveIntegerField("单价（分）")
    price_basis = models.CharField("价格依据", max_length=200)
    subsidy_percent = models.PositiveSmallIntegerField("补贴比例（%）", null=True, blank=True)
    subsidy_basis = models.CharField("补贴比例依据", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "适老化改造项目"
        verbose_name_plural = "适老化改造项目"
        constraints = [models.CheckConstraint(condition=Q(subsidy_percent__isnull=True) | Q(subsidy_percent__lte=100),
                                              name="adaptation_subsidy_percent_range")]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_price_input(self) -> str:
        """The unit price in yuan as a form shows it (``300.00``)."""
        return f"{self.unit_price_fen // 100}.{self.unit_price_fen % 100:02d}"


class Contractor(models.Model):
    name = models.CharField("施工单位", max_length=100)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    contact = models.CharField("联系人", max_length=64, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    active = models.BooleanField("可派单", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "施工单位"
        verbose_name_plural = "施工单位"

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    APPLIED = "applied", "已申请"
    ASSESSED = "assessed", "已评估"
    CONTRACTED = "contracted", "已派单"
    COMPLETED = "completed", "已完工"
    ACCEPTED = "accepted", "已验收"
    SUBSIDISED = "subsidised", "已申请补贴"
    REJECTED = "rejected", "不予改造"


class Application(models.Model):
    number = models.CharField("申请编号", max_length=20, unique=True)
    elder = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="老年人")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="家庭")
    address = models.CharField("改造地址", max_length=200)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField("申请日期")
    assessed_on = models.DateField("评估日期", null=True, blank=True)
    assessor = models.CharField("评估人", max_length=64, blank=True)
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="applications", verbose_name="施工单位")
    contracted_on = models.DateField("派单日期", null=True, blank=True)
    completed_on = models.DateField("完工日期", null=True, blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    accepted_by = models.CharField("验收人", max_length=64, blank=True)
    subsidy_fen = models.PositiveIntegerField("补贴金额（分）", null=True, blank=True)
    payment_reference = models.CharField("发放业务编号", max_length=40, blank=True)
    rejected_reason = models.CharField("不予改造原因", max_length=200, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = "适老化改造申请"
        verbose_name_plural = "适老化改造申请"
        indexes = [models.Index(fields=["street", "committee", "status"])]
        constraints = [models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]),
                                              name="adaptation_status_known")]

    def __str__(self) -> str:
        return self.number


class AssessmentLine(models.Model):
    """An item the assessment found needed; the unit price is the catalogue's
    at assessment time; ``accepted`` is set at acceptance."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="+", verbose_name="项目")
    quantity = models.PositiveSmallIntegerField("数量")
    unit_price_fen = models.PositiveIntegerField("单价（分）")
    accepted = models.BooleanField("验收合格", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "评估项目"
        verbose_name_plural = "评估项目"
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="adaptation_line_item_once"),
                       models.CheckConstraint(condition=Q(quantity__gte=1), name="adaptation_line_quantity")]

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen


def photo_upload_to(instance: CompletionPhoto, filename: str) -> str:
    return f"home_adaptations/photos/{instance.application.applied_on.year}/{filename}"


class CompletionPhoto(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to=photo_upload_to, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField("上传人", max_length=150)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "完工照片"
        verbose_name_plural = "完工照片"


class YearTarget(models.Model):
    """A year's target and/or reported figure, with the sentence it comes from."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    target_households = models.PositiveIntegerField("目标户数", null=True, blank=True)
    reported_done = models.PositiveIntegerField("报告完成户数", null=True, blank=True)
    source = models.CharField("出处", max_length=300)
    recorded_by = models.CharField("登记人", max_length=150, default="")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "适老化改造年度目标"
        verbose_name_plural = "适老化改造年度目标"

