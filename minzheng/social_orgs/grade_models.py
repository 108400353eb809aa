"""社会组织等级评估 (evaluation grades, issue 18, ADR 0041): the models.

REFERENCE § 13: "Evaluation grades 5A-1A, valid 5 years (民政部令第39号). Eligible
to apply after 2 full years registered. Excluded: missed last year's annual
inspection, last year 不合格 or two consecutive 基本合格, under penalty or
investigation." The seed (2023 summary): "获得评估等级 276 家，获得评估等级率达
34%"; the 2024 plan: "社会组织等级评估奖励" as a 免申即享 (no-application) item.

Imported by :mod:`.models` (the app's models module) so Django registers them.
Score thresholds are in no reference: the grade is the evaluation committee's
decision, entered by staff; the experts' scores are kept as its evidence.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.social_orgs.models import Organization


class Grade(models.TextChoices):
    """评估等级 (民政部令第39号): 5A (highest) to 1A."""

    A5 = "5a", "5A级"
    A4 = "4a", "4A级"
    A3 = "3a", "3A级"
    A2 = "2a", "2A级"
    A1 = "1a", "1A级"


class ApplicationStatus(models.TextChoices):
    """申报 → 资格审查 (符合 or 不符合申报条件) → 专家评分 → 评估委员会审定."""

    ELIGIBLE = "eligible", "已受理（符合申报条件）"
    EXCLUDED = "excluded", "不符合申报条件"
    SCORED = "scored", "专家评分中"
    GRADED = "graded", "已评定等级"
    NOT_GRADED = "not_graded", "不予评定等级"


class Exclusion(models.TextChoices):
    """Why an organization may not apply (REFERENCE § 13), one code per rule."""

    NOT_IN_BUSINESS = "not_in_business", "登记状态不是正常"
    TOO_YOUNG = "too_young", "成立登记未满两年"
    MISSED_INSPECTION = "missed_inspection", "未参加上一年度年检"
    UNQUALIFIED = "unqualified", "上一年度年检不合格"
    BASIC_TWICE = "basic_twice", "连续两年年检基本合格"
    PENALTY = "penalty", "正在接受行政处罚"
    INVESTIGATION = "investigation", "正在被立案调查"


class EvaluationRound(models.Model):
    """One year's evaluation (评估年度): the window in which organizations apply."""

    year = models.PositiveSmallIntegerField("评估年度", unique=True)
    opens_on = models.DateField("申报开始日期")
    closes_on = models.DateField("申报截止日期")
    note = models.CharField("说明（通知文号）", max_length=300, blank=True)
    created_by = models.CharField("创建人", max_length=150)

    class Meta:
        ordering = ["-year"]
        verbose_name = "社会组织评估年度"
        verbose_name_plural = "社会组织评估年度"
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="socorg_round_window")]

    def __str__(self) -> str:
        return f"{self.year}年度社会组织等级评估"


class EvaluationApplication(models.Model):
    """An organization's application in a round, with the eligibility found when
    it applied (``exclusions``: a list of ``{"code", "label", "evidence"}``; empty
    = eligible), the evaluation committee's decision and the grade it gave."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="applications",
                              verbose_name="评估年度")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="evaluations",
                                     verbose_name="社会组织")
    applied_on = models.DateField("申报日期")
    applicant = models.CharField("申报人", max_length=150)
    status = models.CharField("状态", max_length=16, choices=ApplicationStatus.choices)
    exclusions = models.JSONField("不符合申报条件的情形", default=list, blank=True)
    grade = models.CharField("评定等级", max_length=4, choices=Grade.choices, blank=True)
    decided_on = models.DateField("审定日期", null=True, blank=True)
    decision_basis = models.CharField("审定依据（评估委员会审定意见）", max_length=300, blank=True)
    decided_by = models.CharField("录入人", max_length=150, blank=True)

    class Meta:
        ordering = ["-round__year", "organization__name"]
        verbose_name = "社会组织等级评估申报"
        verbose_name_plural = "社会组织等级评估申报"
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="socorg_eval_once_per_round"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in ApplicationStatus]),
                                   name="socorg_eval_status_known"),
            models.CheckConstraint(condition=Q(grade="") | Q(grade__in=[g.value for g in Grade]),
                                   name="socorg_eval_grade_known"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}（{self.round.year}年度评估）"


class ExpertScore(models.Model):
    """One expert's total score of an application (out of 1000, the evaluation
    index's full mark) — evidence for the committee's decision, not a rule."""

    application = models.ForeignKey(EvaluationApplication, on_delete=models.CASCADE, related_name="scores",
                                    verbose_name="评估申报")
    expert = models.CharField("评估专家", max_length=64)
    score = models.PositiveSmallIntegerField("评分（满分1000分）")
    scored_on = models.DateField("评分日期")
    note = models.CharField("评分意见", max_length=500, blank=True)
    recorded_by = models.CharField("录入人", max_length=150)

    class Meta:
        ordering = ["application_id", "expert"]
        verbose_name = "评估专家评分"
        verbose_name_plural = "评估专家评分"
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="socorg_score_once_per_expert"),
            models.CheckConstraint(condition=Q(score__lte=1000), name="socorg_score_range"),
        ]


class OrganizationGrade(models.Model):
    """A confirmed grade: valid from ``valid_from`` through ``valid_until`` (five
    years, the day before the fifth anniversary). A later grade of the same
    organization ends it (``superseded_on``: the day before the new one)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="grades",
                                     verbose_name="社会组织")
    application = models.OneToOneField(EvaluationApplication, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="confirmed_grade", verbose_name="评估申报")
    grade = models.CharField("评估等级", max_length=4, choices=Grade.choices)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    superseded_on = models.DateField("被新等级取代日期", null=True, blank=True)
    basis = models.CharField("审定依据", max_length=300)
    confirmed_by = models.CharField("确认人", max_length=150)

    class Meta:
        ordering = ["valid_until", "organization_id"]
        verbose_name = "社会组织评估等级"
        verbose_name_plural = "社会组织评估等级"
        constraints = [
            models.CheckConstraint(condition=Q(grade__in=[g.value for g in Grade]), name="socorg_grade_known"),
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="socorg_grade_period"),
        ]
        indexes = [models.Index(fields=["valid_until"], name="socorg_grade_until")]


class SanctionKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    INVESTIGATION = "investigation", "立案调查"


class SanctionRecord(models.Model):
    """A penalty or an investigation staff record (with the decision's number),
    dated: it excludes the organization from applying while it runs — from
    ``started_on`` through ``ended_on`` (empty: still running)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sanctions",
                                     verbose_name="社会组织")
    kind = models.CharField("类别", max_length=16, choices=SanctionKind.choices)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    document = models.CharField("决定书或立案文号", max_length=100)
    description = models.CharField("事由", max_length=500)
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = "社会组织行政处罚和立案调查"
        verbose_name_plural = "社会组织行政处罚和立案调查"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in SanctionKind]),
                                   name="socorg_sanction_kind_known"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="socorg_sanction_period"),
        ]


class RewardParameter(models.Model):
    """The reward amount of a grade (分), entered by bureau staff citing its
    document (name and number required), in force from ``effective_from`` until
    the next value of the same grade — the CitedValue pattern (ADR 0037). No
    value in force: the reward is 参数缺失 (PARAMETER_MISSING), never 0."""

    grade = models.CharField("评估等级", max_length=4, choices=Grade.choices)
    effective_from = models.DateField("起始日期")
    amount_fen = models.BigIntegerField("奖励金额（分）")
    document_name = models.CharField("依据文件名称", max_length=200)
    document_number = models.CharField("文号", max_length=100)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["grade", "-effective_from"]
        verbose_name = "社会组织等级评估奖励标准"
        verbose_name_plural = "社会组织等级评估奖励标准"
        constraints = [
            models.UniqueConstraint(fields=["grade", "effective_from"], name="socorg_reward_param_one_per_date"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="socorg_reward_param_positive"),
        ]


class RewardStatus(models.TextChoices):
    MISSING = "missing", "参数缺失"
    COMPUTED = "computed", "待申请拨付"
    REQUESTED = "requested", "已申请拨付"


class GradeReward(models.Model):
    """The reward of a confirmed grade (免申即享: created when the grade is
    confirmed, nobody applies). ``amount_fen`` None while 参数缺失."""

    grade = models.OneToOneField(OrganizationGrade, on_delete=models.PROTECT, related_name="reward",
                                 verbose_name="评估等级")
    status = models.CharField("状态", max_length=16, choices=RewardStatus.choices)
    amount_fen = models.BigIntegerField("奖励金额（分）", null=True, blank=True)
    parameter = models.ForeignKey(RewardParameter, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="rewards", verbose_name="奖励标准")
    computed_on = models.DateField("计算日期", null=True, blank=True)
    payment_reference = models.CharField("拨付业务编号", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "社会组织等级评估奖励"
        verbose_name_plural = "社会组织等级评估奖励"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=[s.value for s in RewardStatus]),
                                   name="socorg_reward_status_known"),
            models.CheckConstraint(condition=Q(status="missing", amount_fen__isnull=True)
                                   | Q(amount_fen__gt=0, parameter__isnull=False) & ~Q(status="missing"),
                                   name="socorg_reward_amount_when_known"),
        ]
