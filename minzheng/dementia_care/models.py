"""认知障碍友好社区: screening records, referrals and follow-up visits, the
screening tools and the yearly figures (issue 16, ADR 0034).

The seed (2023): "持续推进老年认知障碍友好社区建设，实现全区街镇全覆盖，完成风险
筛查 1.56 万人" — a :class:`YearFigure` row with its sentence.

Tools are data: a score range and, only where the tool's own published
scoring gives one, a cut-off for a positive screen (``cutoff`` with its
``cutoff_citation``). The risk level (低/中/高) is always the screener's
judgement: none of these tools defines three levels (ADR 0034 § screening).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class PositiveWhen(models.TextChoices):
    AT_LEAST = "at_least", "得分不低于界值为阳性"
    AT_MOST = "at_most", "得分不高于界值为阳性"


class ScreeningTool(models.Model):
    code = models.SlugField("代码", max_length=16, unique=True)
    name = models.CharField("量表", max_length=64, unique=True)
    score_min = models.PositiveSmallIntegerField("最低分")
    score_max = models.PositiveSmallIntegerField("最高分")
    cutoff = models.PositiveSmallIntegerField("阳性界值", null=True, blank=True)
    positive_when = models.CharField("界值方向", max_length=8, choices=PositiveWhen.choices, blank=True)
    cutoff_citation = models.CharField("界值出处", max_length=300, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "筛查量表"
        verbose_name_plural = "筛查量表"
        constraints = [
            models.CheckConstraint(condition=Q(score_min__lt=models.F("score_max")), name="screening_tool_range"),
            models.CheckConstraint(condition=Q(cutoff__isnull=True) | (~Q(positive_when="") & ~Q(cutoff_citation="")),
                                   name="screening_tool_cutoff_cited"),
        ]

    def __str__(self) -> str:
        return self.name

    def positive(self, score: int) -> bool | None:
        """Positive screen by the tool's published cut-off; ``None`` when it has none."""
        if self.cutoff is None:
            return None
        return score >= self.cutoff if self.positive_when == PositiveWhen.AT_LEAST else score <= self.cutoff


class RiskLevel(models.TextChoices):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"


class Screening(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="老年人")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    tool = models.ForeignKey(ScreeningTool, on_delete=models.PROTECT, related_name="+", verbose_name="量表")
    score = models.PositiveSmallIntegerField("得分")
    positive = models.BooleanField("按界值阳性", null=True, blank=True)
    screened_on = models.DateField("筛查日期", db_index=True)
    screener = models.CharField("筛查人", max_length=64)
    risk_level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices)
    referral_to = models.CharField("转介机构", max_length=100, blank=True)
    referred_on = models.DateField("转介日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-screened_on", "-id"]
        verbose_name = "认知障碍风险筛查"
        verbose_name_plural = "认知障碍风险筛查"
        indexes = [models.Index(fields=["street", "committee", "screened_on"])]
        constraints = [models.CheckConstraint(condition=Q(risk_level__in=["low", "medium", "high"]),
                                              name="screening_risk_known")]


class FollowUp(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField("随访日期")
    visitor = models.CharField("随访人", max_length=64)
    note = models.CharField("随访情况", max_length=300)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "随访记录"
        verbose_name_plural = "随访记录"


class YearFigure(models.Model):
    """A year's screening target and/or reported figure, with its sentence."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    target_screenings = models.PositiveIntegerField("目标筛查人数", null=True, blank=True)
    reported_screenings = models.PositiveIntegerField("报告筛查人数", null=True, blank=True)
    source = models.CharField("出处", max_length=300)

    class Meta:
        ordering = ["-year"]
        verbose_name = "认知障碍筛查年度目标"
        verbose_name_plural = "认知障碍筛查年度目标"
