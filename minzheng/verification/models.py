"""Household economic-status verification (居民家庭经济状况核对).

A request names a co-resident household and a purpose; the residents'
signed authorisations are recorded with the scanned document; each
computation is kept (a recomputation adds a new result, history stays), with
every figure linked to the department records it came from; the report is a
stored PDF.
"""

from __future__ import annotations

from django.db import models

from minzheng.core.models import Division
from minzheng.feeds.models import FeedRecord
from minzheng.registry.models import Household, Person


class Purpose(models.TextChoices):
    """The purposes the 2023 summary lists (生活、医疗、两项补贴、教育、养老服务补贴、住房、困难农户)."""

    DIBAO = "dibao", "最低生活保障（生活救助）"
    MEDICAL = "medical", "医疗救助"
    DISABILITY_SUBSIDIES = "disability_subsidies", "残疾人两项补贴"
    EDUCATION = "education", "教育救助"
    ELDERLY_CARE = "elderly_care_subsidy", "养老服务补贴"
    HOUSING = "housing", "住房保障"
    RURAL_HARDSHIP = "rural_hardship", "困难农户帮扶"


class Status(models.TextChoices):
    AWAITING_AUTHORISATION = "awaiting_authorisation", "待授权"
    AUTHORISED = "authorised", "待核对"
    INCOMPLETE = "incomplete", "待部门回复"
    COMPUTED = "computed", "已核对"
    ACCEPTED = "accepted", "已认定"
    REPORTED = "reported", "已出具报告"
    WITHDRAWN = "withdrawn", "已撤回"


class Outcome(models.TextChoices):
    BELOW_DIBAO = "below_dibao", "收入低于低保标准，财产符合规定"
    BELOW_LOW_INCOME = "below_low_income", "收入低于低收入标准，财产符合规定"
    ABOVE_LINES = "above_lines", "收入或财产超过规定标准"
    UNDETERMINED = "undetermined", "无法判断（缺少政策参数）"
    INCOMPLETE = "incomplete", "部门数据不完整，不能得出结论"


class VerificationRequest(models.Model):
    """One verification commission (核对委托) for a household and a purpose."""

    reference = models.CharField("核对编号", max_length=20, unique=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    purpose = models.CharField("核对用途", max_length=32, choices=Purpose.choices)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    status = models.CharField("状态", max_length=32, choices=Status.choices,
                              default=Status.AWAITING_AUTHORISATION, db_index=True)
    note = models.CharField("备注", max_length=200, blank=True)
    requested_by = models.CharField("委托人", max_length=150)
    created_at = models.DateTimeField("委托时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "核对委托"
        verbose_name_plural = "核对委托"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["street", "committee", "status"], name="verif_request_scope_status")]

    def __str__(self) -> str:
        return self.reference


def authorisation_upload_to(instance: Authorisation, filename: str) -> str:
    return f"verification/authorisations/{instance.request.reference}/{filename}"


class Authorisation(models.Model):
    """A household member's signed authorisation (授权书) to query their data."""

    request = models.ForeignKey(VerificationRequest, on_delete=models.PROTECT, related_name="authorisations")
    signed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="签署人")
    signed_on = models.DateField("签署日期")
    document = models.FileField("授权书扫描件", upload_to=authorisation_upload_to)
    document_sha256 = models.CharField("扫描件SHA-256", max_length=64)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "核对授权书"
        verbose_name_plural = "核对授权书"
        ordering = ["signed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "signed_by"], name="one_authorisation_per_member")]


class VerificationResult(models.Model):
    """One computation: the month, the 12-month window, the household figures,
    the lines compared and the outcome. Money in integer fen."""

    request = models.ForeignKey(VerificationRequest, on_delete=models.PROTECT, related_name="results")
    computed_at = models.DateTimeField("核对时间", auto_now_add=True)
    computed_by = models.CharField("核对人", max_length=150)
    as_of = models.DateField("核对日期")
    window_start = models.DateField("收入期间起")
    window_end = models.DateField("收入期间止")
    household_size = models.PositiveSmallIntegerField("家庭人数")
    monthly_income_fen = models.BigIntegerField("家庭月均收入（分）")
    per_capita_income_fen = models.BigIntegerField("人均月收入（分）")
    monetary_assets_fen = models.BigIntegerField("货币财产（分）")
    homes = models.PositiveSmallIntegerField("住房套数")
    vehicles = models.PositiveSmallIntegerField("机动车辆")
    medical_out_of_pocket_fen = models.BigIntegerField("近12个月医疗自负（分）", default=0)
    lines = models.JSONField("比较标准（参数及出处）", default=list)
    findings = models.JSONField("核对发现", default=list)
    outcome = models.CharField("核对结论", max_length=32, choices=Outcome.choices)
    securities_fen = models.BigIntegerField("证券（分）", default=0)
    member_income = models.JSONField("成员月均收入（分，按类别）", default=dict)
    missing_replies = models.JSONField("尚未回复的部门数据", default=list)
    exceptions = models.JSONField("经说明的例外", default=list)
    declared = models.JSONField("人口库登记（申报）数据", default=dict)
    differences = models.JSONField("与申报数据的较大差异", default=list)
    accepted_by = models.CharField("认定人", max_length=150, blank=True)
    accepted_at = models.DateTimeField("认定时间", null=True, blank=True)
    facts_valid_from = models.DateField("认定数据起始日期", null=True, blank=True)

    class Meta:
        verbose_name = "核对结果"
        verbose_name_plural = "核对结果"
        ordering = ["-computed_at", "-id"]


class ReplyException(models.Model):
    """A documented exception for a department reply that has not arrived
    (e.g. confirmed by telephone, letter to follow): staff give the reason;
    the report states it. ``person`` null: for every member."""

    request = models.ForeignKey(VerificationRequest, on_delete=models.PROTECT, related_name="reply_exceptions")
    source = models.CharField("数据来源", max_length=32)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="成员")
    reason = models.CharField("说明", max_length=300)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门回复例外说明"
        verbose_name_plural = "部门回复例外说明"
        ordering = ["recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "source", "person"],
                                               name="one_reply_exception_per_source_member")]


class FigureKind(models.TextChoices):
    INCOME = "income", "收入"
    DEPOSIT = "deposit", "银行存款"
    SECURITY = "security", "证券"
    BUSINESS = "business", "市场主体出资"
    HOME = "home", "住房"
    VEHICLE = "vehicle", "机动车"
    MEDICAL = "medical", "医疗自负"
    REFERENCE = "reference", "参考信息"


class Figure(models.Model):
    """One figure of a result (a member's average income, a household asset)
    with the department records it was computed from."""

    result = models.ForeignKey(VerificationResult, on_delete=models.CASCADE, related_name="figures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=FigureKind.choices)
    label = models.CharField("说明", max_length=200)
    amount_fen = models.BigIntegerField("金额（分）", default=0)
    count = models.PositiveIntegerField("数量", default=0)
    records = models.ManyToManyField(FeedRecord, related_name="+", verbose_name="来源记录")

    class Meta:
        verbose_name = "核对数据项"
        verbose_name_plural = "核对数据项"
        ordering = ["id"]


def report_upload_to(instance: VerificationReport, filename: str) -> str:
    return f"verification/reports/{instance.result.request.reference}/{filename}"


class VerificationReport(models.Model):
    """The Chinese PDF report of one result, stored."""

    result = models.ForeignKey(VerificationResult, on_delete=models.PROTECT, related_name="reports")
    pdf = models.FileField("报告PDF", upload_to=report_upload_to)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64)
    generated_at = models.DateTimeField("出具时间", auto_now_add=True)
    generated_by = models.CharField("出具人", max_length=150)

    class Meta:
        verbose_name = "核对报告"
        verbose_name_plural = "核对报告"
        ordering = ["-generated_at", "-id"]
