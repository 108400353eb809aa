"""养老机构监管（双随机、一公开）: the records (issue 15, ADR 0030).

An inspection plan (检查计划) draws, at random and reproducibly, the care
institutions (养老院, :class:`~minzheng.care_facilities.models.Facility` of kind
``care_home`` that are operating) of its scope and the inspectors for each from
the pool (双随机); the inspectors record each checklist item, a finding set
becomes a rectification order (整改通知) with a deadline in working days, the
operator answers with evidence and the inspector accepts or sends it back; the
bureau approves the plan's results (maker-checker) and the results of the
institutions are published without login (一公开).

Checklists are data and versioned: a plan keeps the version it was made with;
a new version never changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.care_facilities.models import Facility
from minzheng.core.models import Division


class ChecklistCategory(models.TextChoices):
    FIRE = "fire", "消防安全"
    FOOD = "food", "食品安全"
    SERVICE = "service", "服务质量"
    FINANCE = "finance", "财务管理"


class ChecklistVersion(models.Model):
    """One version of the checklist (检查表); never edited once a plan uses it."""

    version = models.PositiveSmallIntegerField("版本号", unique=True)
    title = models.CharField("名称", max_length=100)
    source = models.CharField("依据", max_length=300)
    created_by = models.CharField("建立人", max_length=150)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = "监管检查表"
        verbose_name_plural = "监管检查表"

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="items",
                                verbose_name="检查表")
    position = models.PositiveSmallIntegerField("序号")
    category = models.CharField("类别", max_length=16, choices=ChecklistCategory.choices)
    text = models.CharField("检查内容", max_length=300)

    class Meta:
        ordering = ["version_id", "position", "id"]
        verbose_name = "监管检查项"
        verbose_name_plural = "监管检查项"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="supervision_item_position_unique"),
            models.CheckConstraint(condition=models.Q(category__in=[c.value for c in ChecklistCategory]),
                                   name="supervision_item_category_known"),
        ]

    def __str__(self) -> str:
        return self.text


class InspectorKind(models.TextChoices):
    STAFF = "staff", "执法检查人员"
    EXPERT = "expert", "外聘专家"


class Inspector(models.Model):
    """One member of the inspector pool (检查人员名录库): a staff account or a
    named external expert."""

    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类型", max_length=8, choices=InspectorKind.choices)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="supervision_inspector", verbose_name="账号")
    organisation = models.CharField("单位", max_length=100, blank=True)
    active = models.BooleanField("在库", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "检查人员"
        verbose_name_plural = "检查人员"
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in InspectorKind]),
                                              name="supervision_inspector_kind_known")]

    def __str__(self) -> str:
        return self.name


class ExclusionReason(models.TextChoices):
    WORKED = "worked", "曾在该机构任职"
    RELATED = "related", "与该机构存在利害关系"


class InspectorExclusion(models.Model):
    """An institution the inspector must not inspect (回避)."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="exclusions",
                                  verbose_name="检查人员")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+", verbose_name="机构")
    reason = models.CharField("回避原因", max_length=8, choices=ExclusionReason.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"
        constraints = [models.UniqueConstraint(fields=["inspector", "facility"], name="supervision_exclusion_unique")]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "待抽取"
    DRAWN = "drawn", "已抽取，检查中"
    SUBMITTED = "submitted", "结果待审核"
    APPROVED = "approved", "结果已审核公开"


class Plan(models.Model):
    """An inspection plan for a period. ``street`` empty: the whole district.
    The draw is recorded once: seed, the canonical snapshot it ran over, its
    sha256 and the result (ADR 0030)."""

    name = models.CharField("计划名称", max_length=100)
    period_start = models.DateField("检查期起")
    period_end = models.DateField("检查期止")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="抽查范围（街镇；空为全区）")
    institutions_to_draw = models.PositiveSmallIntegerField("抽取机构数")
    inspectors_per_institution = models.PositiveSmallIntegerField("每家机构检查人员数")
    checklist = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="plans",
                                  verbose_name="检查表版本")
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   verbose_name="制定人")
    created_at = models.DateTimeField("制定时间", auto_now_add=True)
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    snapshot = models.TextField("抽取快照（规范化JSON）", blank=True)
    snapshot_sha256 = models.CharField("快照SHA-256", max_length=64, blank=True)
    draw = models.JSONField("抽取结果", null=True, blank=True)
    drawn_by = models.CharField("抽取人", max_length=150, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="提交人")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="审核人")
    approved_at = models.DateTimeField("审核公开时间", null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = "双随机检查计划"
        verbose_name_plural = "双随机检查计划"
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="supervision_plan_period"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in PlanStatus]),
                                   name="supervision_plan_status_known"),
            models.CheckConstraint(condition=models.Q(institutions_to_draw__gte=1)
                                   & models.Q(inspectors_per_institution__gte=1), name="supervision_plan_counts"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_name(self) -> str:
        return self.street.name if self.street_id else "全区"


class InspectionStatus(models.TextChoices):
    PENDING = "pending", "待检查"
    DONE = "done", "已检查"


class Inspection(models.Model):
    """The inspection of one drawn institution under one plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="inspections", verbose_name="计划")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="supervision_inspections",
                                 verbose_name="机构")
    inspectors = models.ManyToManyField(Inspector, related_name="inspections", verbose_name="检查人员")
    status = models.CharField("状态", max_length=8, choices=InspectionStatus.choices, default=InspectionStatus.PENDING)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    recorded_by = models.CharField("录入人", max_length=150, blank=True)

    class Meta:
        ordering = ["plan_id", "facility__street_id", "facility__name"]
        verbose_name = "监管检查"
        verbose_name_plural = "监管检查"
        constraints = [models.UniqueConstraint(fields=["plan", "facility"], name="supervision_inspection_unique")]

    def __str__(self) -> str:
        return f"{self.facility.name}（{self.plan.name}）"


class ItemOutcome(models.TextChoices):
    PASS = "pass", "合格"
    ISSUE = "issue", "发现问题"


def photo_upload_to(instance: ItemRecord, filename: str) -> str:
    return f"supervision/photos/{instance.inspection.plan_id}/{filename}"


class ItemRecord(models.Model):
    """The result of one checklist item in one inspection; 发现问题 needs a note
    and may carry a photo."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="records",
                                   verbose_name="检查")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name="检查项")
    outcome = models.CharField("结果", max_length=8, choices=ItemOutcome.choices)
    note = models.CharField("问题说明", max_length=300, blank=True)
    photo = models.FileField("照片", upload_to=photo_upload_to, max_length=200, blank=True)
    photo_type = models.CharField("照片类型", max_length=32, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["item__position"]
        verbose_name = "检查项结果"
        verbose_name_plural = "检查项结果"
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="supervision_record_unique"),
            models.CheckConstraint(condition=models.Q(outcome__in=[o.value for o in ItemOutcome]),
                                   name="supervision_record_outcome_known"),
            models.CheckConstraint(condition=models.Q(outcome="pass") | ~models.Q(note=""),
                                   name="supervision_record_issue_noted"),
        ]


class OrderStatus(models.TextChoices):
    OPEN = "open", "待整改"
    RESPONDED = "responded", "已反馈待验证"
    ACCEPTED = "accepted", "整改完成"


class RectificationOrder(models.Model):
    """整改通知: one per inspection with findings; deadline = ``working_days``
    working days after ``issued_on`` (core.workdays). Overdue: past the deadline
    and not accepted; escalated to the bureau once (``escalated_at``)."""

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="order",
                                      verbose_name="检查")
    requirement = models.TextField("整改要求")
    issued_on = models.DateField("下达日期")
    working_days = models.PositiveSmallIntegerField("整改期限（工作日）")
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=12, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    issued_by = models.CharField("下达人", max_length=150)
    closed_on = models.DateField("验证通过日期", null=True, blank=True)
    escalated_at = models.DateTimeField("逾期上报时间", null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = "整改通知"
        verbose_name_plural = "整改通知"
        constraints = [models.CheckConstraint(condition=models.Q(status__in=[s.value for s in OrderStatus]),
                                              name="supervision_order_status_known")]

    def is_overdue(self, today) -> bool:
        return self.status != OrderStatus.ACCEPTED and self.deadline < today


class Decision(models.TextChoices):
    PENDING = "pending", "待验证"
    ACCEPTED = "accepted", "验证通过"
    REJECTED = "rejected", "退回重新整改"


def evidence_upload_to(instance: OrderResponse, filename: str) -> str:
    return f"supervision/evidence/{instance.order_id}/{filename}"


class OrderResponse(models.Model):
    """The operator's answer to an order (整改反馈) with evidence, and the
    inspector's verification of it."""

    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="responses",
                              verbose_name="整改通知")
    text = models.TextField("整改情况")
    evidence = models.FileField("佐证材料", upload_to=evidence_upload_to, max_length=200, blank=True)
    evidence_name = models.CharField("文件名", max_length=255, blank=True)
    evidence_type = models.CharField("文件类型", max_length=32, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    responded_by = models.CharField("反馈人", max_length=150)
    responded_at = models.DateTimeField("反馈时间", auto_now_add=True)
    decision = models.CharField("验证结论", max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decision_note = models.CharField("验证意见", max_length=300, blank=True)
    decided_by = models.CharField("验证人", max_length=150, blank=True)
    decided_at = models.DateTimeField("验证时间", null=True, blank=True)

    class Meta:
        ordering = ["responded_at", "id"]
        verbose_name = "整改反馈"
        verbose_name_plural = "整改反馈"
