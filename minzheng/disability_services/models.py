"""残疾人服务 (issue 17, ADR 0037): the rehabilitation-aid community rental
subsidy, community mental-health rehabilitation and the care beds for
severely disabled people. Disability certificates themselves stay in the
registry (``registry.DisabilityCertificate``, imported from the disabled
persons' federation feed); this app only reads them.

The seed (2024 plan, 一(六)): "继续开展街镇康复辅具社区租赁服务工作……规范开展
康复辅具社区租赁服务补贴审核工作"; "扩大精神障碍社区康复服务范围，在原有5个街镇
试点基础上再增加7个街镇开展，年内达到70%街镇覆盖率……为2025年实现全覆盖打下坚实
基础"; "全力推进困难重度残疾人100张养护床位建设任务……力争8月底完成". The 2023
summary names the 5 pilot towns: 叶榭镇、九亭镇、泖港镇、岳阳街道、方松街道.

REFERENCE § 6 covers only the two subsidies (两项补贴); it gives no rental
subsidy rule. Its values are :class:`CitedValue` rows staff enter citing a
document; without one the subsidy is PARAMETER_MISSING (参数缺失), never zero.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person

# --- dated parameters of the rental subsidy -------------------------------------------


class ParameterKind(models.TextChoices):
    SHARE = "rental_share", "租金补贴比例（%）"
    CAP = "rental_monthly_cap", "每人每月补贴上限（分）"


class CitedValue(models.Model):
    """A value of the rental subsidy's rule entered by bureau staff, citing the
    document it comes from (name and number required) — the same pattern as
    ``funeral_subsidies.CitedValue``, kept per app (ADR 0037: apps do not share
    models; the two tables differ in their kinds and units).

    ``value`` is a percent (0–100) for :attr:`ParameterKind.SHARE` and fen for
    :attr:`ParameterKind.CAP`. In force from ``effective_from`` until the next
    value of the same kind."""

    kind = models.CharField("参数", max_length=24, choices=ParameterKind.choices)
    effective_from = models.DateField("起始日期")
    value = models.BigIntegerField("取值")
    document_name = models.CharField("依据文件名称", max_length=200)
    document_number = models.CharField("文号", max_length=100)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name = "康复辅具租赁补贴标准"
        verbose_name_plural = "康复辅具租赁补贴标准"
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="disability_cited_value_one_per_date"),
            models.CheckConstraint(condition=Q(value__gte=0), name="disability_cited_value_not_negative"),
        ]


# --- 康复辅具社区租赁 -----------------------------------------------------------------


class ServicePoint(models.Model):
    """A community rental service point (康复辅具社区租赁服务点) of a town."""

    name = models.CharField("服务点名称", max_length=100)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    address = models.CharField("地址", max_length=200)
    operator = models.CharField("租赁服务机构", max_length=100)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    opened_on = models.DateField("开始服务日期")
    closed_on = models.DateField("停止服务日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["street_id", "name"]
        verbose_name = "康复辅具租赁服务点"
        verbose_name_plural = "康复辅具租赁服务点"
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="disability_point_name_once")]

    def __str__(self) -> str:
        return self.name

    def open_on(self, day) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)


class DeviceCategory(models.TextChoices):
    WHEELCHAIR = "wheelchair", "轮椅"
    WALKER = "walker", "助行器"
    CARE_BED = "care_bed", "护理床"
    COMMODE = "commode", "坐便椅"
    BATH_CHAIR = "bath_chair", "洗澡椅"
    OTHER = "other", "其他辅具"


class Rental(models.Model):
    """A rental as the service point reports it: device, period, monthly rent.
    ``end_on`` empty while the device is still rented."""

    point = models.ForeignKey(ServicePoint, on_delete=models.PROTECT, related_name="rentals", verbose_name="服务点")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="租用人")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居住街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居住居村委")
    device_category = models.CharField("辅具类别", max_length=16, choices=DeviceCategory.choices)
    device_name = models.CharField("辅具名称型号", max_length=100)
    start_on = models.DateField("租用开始日期")
    end_on = models.DateField("租用结束日期", null=True, blank=True)
    monthly_rent_fen = models.PositiveIntegerField("月租金（分）")
    recorded_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = "康复辅具租赁记录"
        verbose_name_plural = "康复辅具租赁记录"
        indexes = [models.Index(fields=["street", "committee"])]
        constraints = [models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                                              name="disability_rental_period")]

    def __str__(self) -> str:
        return f"{self.device_name}（{self.start_on}）"


class ApplicantRelation(models.TextChoices):
    SELF = "self", "本人"
    FAMILY = "family", "家属"
    GUARDIAN = "guardian", "监护人"
    OTHER = "other", "其他代办人"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "待审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "不予补贴"
    PAID = "paid", "已申请发放"


class AidRentalApplication(models.Model):
    """An application for the rental subsidy of one rental, by the disabled
    person or by someone for them (``applicant_relation``)."""

    number = models.CharField("申请编号", max_length=20, unique=True)
    rental = models.ForeignKey(Rental, on_delete=models.PROTECT, related_name="applications", verbose_name="租赁记录")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="残疾人")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    applicant_name = models.CharField("申请人", max_length=64)
    applicant_relation = models.CharField("申请人与残疾人关系", max_length=12, choices=ApplicantRelation.choices)
    applied_on = models.DateField("申请日期")
    status = models.CharField("状态", max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    reviewed_by = models.CharField("审核人", max_length=150, blank=True)
    checks = models.JSONField("审核要点", default=list, blank=True)
    subsidy_fen = models.PositiveIntegerField("补贴金额（分）", null=True, blank=True)
    amount_basis = models.JSONField("金额依据", default=dict, blank=True)
    payment_reference = models.CharField("发放业务编号", max_length=40, blank=True)
    rejected_reason = models.CharField("不予补贴原因", max_length=200, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = "康复辅具租赁补贴申请"
        verbose_name_plural = "康复辅具租赁补贴申请"
        indexes = [models.Index(fields=["street", "committee", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=[s.value for s in ApplicationStatus]),
                                   name="disability_application_status_known"),
            models.UniqueConstraint(fields=["rental"], condition=~Q(status="rejected"),
                                    name="disability_application_one_per_rental"),
        ]

    def __str__(self) -> str:
        return self.number


# --- 精神障碍社区康复 ----------------------------------------------------------------


class RehabSite(models.Model):
    """A community mental-health rehabilitation site (精神障碍社区康复服务站点)."""

    name = models.CharField("站点名称", max_length=100)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    address = models.CharField("地址", max_length=200)
    operator = models.CharField("运营机构", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["street_id", "name"]
        verbose_name = "精神障碍社区康复站点"
        verbose_name_plural = "精神障碍社区康复站点"
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="disability_rehab_site_name_once")]

    def __str__(self) -> str:
        return self.name


class SiteStatus(models.TextChoices):
    PLANNED = "planned", "筹建中"
    WORKING = "working", "运行中"
    PAUSED = "paused", "暂停服务"
    CLOSED = "closed", "已停办"


class RehabSiteStatus(models.Model):
    """The site's status from ``effective_on`` until the next row (history kept)."""

    site = models.ForeignKey(RehabSite, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField("状态", max_length=12, choices=SiteStatus.choices)
    effective_on = models.DateField("生效日期")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site_id", "-effective_on"]
        verbose_name = "康复站点状态"
        verbose_name_plural = "康复站点状态"
        constraints = [models.UniqueConstraint(fields=["site", "effective_on"], name="disability_site_status_once")]


class RehabParticipant(models.Model):
    """A person served by a site, from enrolment to exit."""

    site = models.ForeignKey(RehabSite, on_delete=models.PROTECT, related_name="participants", verbose_name="站点")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="服务对象")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居住街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居住居村委")
    enrolled_on = models.DateField("纳入服务日期")
    exited_on = models.DateField("结束服务日期", null=True, blank=True)
    exit_reason = models.CharField("结束原因", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-enrolled_on", "-id"]
        verbose_name = "精神障碍社区康复服务对象"
        verbose_name_plural = "精神障碍社区康复服务对象"
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(exited_on__isnull=True),
                                    name="disability_participant_one_open"),
            models.CheckConstraint(condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("enrolled_on")),
                                   name="disability_participant_period"),
        ]


class CoverageTarget(models.Model):
    """The year's target share of towns with a working site, with its sentence."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    percent = models.PositiveSmallIntegerField("目标覆盖率（%）")
    source = models.CharField("出处", max_length=300)
    recorded_by = models.CharField("登记人", max_length=150, default="")

    class Meta:
        ordering = ["-year"]
        verbose_name = "精神障碍社区康复覆盖率目标"
        verbose_name_plural = "精神障碍社区康复覆盖率目标"
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="disability_target_percent")]


# --- 重度残疾人照护床位 ----------------------------------------------------------------


class CareBedProject(models.Model):
    """A care-bed project (e.g. the 2024 实事项目: 100 beds by the end of August)."""

    name = models.CharField("项目名称", max_length=100, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    target_beds = models.PositiveIntegerField("目标床位数")
    due_on = models.DateField("完成期限", null=True, blank=True)
    source = models.CharField("出处", max_length=300)
    recorded_by = models.CharField("登记人", max_length=150, default="")

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = "重度残疾人照护床位项目"
        verbose_name_plural = "重度残疾人照护床位项目"

    def __str__(self) -> str:
        return self.name


class CareBedSite(models.Model):
    project = models.ForeignKey(CareBedProject, on_delete=models.PROTECT, related_name="sites", verbose_name="项目")
    name = models.CharField("机构（照护单元）名称", max_length=100)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    address = models.CharField("地址", max_length=200)
    planned_beds = models.PositiveIntegerField("计划床位数")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["street_id", "name"]
        verbose_name = "照护床位点"
        verbose_name_plural = "照护床位点"
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="disability_bed_site_once")]

    def __str__(self) -> str:
        return self.name


class BedOpening(models.Model):
    """Beds of a site put into use on a day."""

    site = models.ForeignKey(CareBedSite, on_delete=models.CASCADE, related_name="openings", verbose_name="床位点")
    opened_on = models.DateField("投用日期")
    beds = models.PositiveIntegerField("投用床位数")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = "照护床位投用记录"
        verbose_name_plural = "照护床位投用记录"
        constraints = [models.CheckConstraint(condition=Q(beds__gte=1), name="disability_bed_opening_positive")]
