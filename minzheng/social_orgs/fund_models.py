"""Support funds for social organizations (扶持资金、公益创投, issue 18, ADR 0043).

The seed (2023 summary (四)): "修订出台《松江区促进社会组织高质量发展扶持办法》，推动
社会组织初创支持、专业支持、项目支持、评估奖励、'两会一中心'机构支持等扶持政策落地，
2023年发放扶持资金近60万元，惠及社会组织44家"; the 2024 points: "跟进好公益创投和专项
扶持项目取得实效".

A **call** (:class:`FundCall`, 公益创投大赛 or a round of 扶持资金) has its budget, the
maximum per project, the application window and its own scoring criteria
(:class:`FundCriterion`, weights summing to 100) — the call's own terms entered by
staff with the document they come from, not policy values. An organization applies
(:class:`FundApplication`); reviewers score each criterion (:class:`FundScore`, one
sheet per reviewer); staff award or refuse; the award is paid through the payments
app in instalments (:class:`FundInstalment`); the organization files its final
report (:class:`FundFinalReport`, 结项报告), which staff review.

Re-exported by :mod:`minzheng.social_orgs.models` (the app's models module).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.social_orgs.models import Organization


class FundKind(models.TextChoices):
    """The kinds of support the seed names: 公益创投 and the 扶持办法's 初创支持、专业支持、
    项目支持、评估奖励、'两会一中心'机构支持."""

    VENTURE = "venture", "公益创投"
    STARTUP = "startup", "初创支持"
    PROFESSIONAL = "professional", "专业支持"
    PROJECT = "project", "项目支持"
    GRADE_AWARD = "grade_award", "评估奖励"
    HUB = "hub", "“两会一中心”机构支持"


class FundCall(models.Model):
    """One call for applications (公益创投大赛 / a round of 扶持资金).

    Money in fen. ``first_instalment_percent``: the share of an award paid when it is
    awarded; the rest is paid once the final report is found 合格 (100: all at award).
    ``several_per_org``: an organization may file more than one application (default:
    one per organization per call). ``basis``: the document the call's terms come from."""

    kind = models.CharField("类别", max_length=16, choices=FundKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    basis = models.CharField("依据（文件名称和文号）", max_length=300)
    budget_fen = models.BigIntegerField("资金总额（分）")
    max_per_project_fen = models.BigIntegerField("单个项目资助上限（分）")
    opens_on = models.DateField("申报开始日期")
    closes_on = models.DateField("申报截止日期")
    several_per_org = models.BooleanField("允许同一组织申报多个项目", default=False)
    first_instalment_percent = models.PositiveSmallIntegerField("立项时拨付比例（%）")
    created_by = models.CharField("录入人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-opens_on", "-id"]
        verbose_name = "扶持资金项目申报"
        verbose_name_plural = "扶持资金项目申报"
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="socorg_fund_call_title_once_a_year"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in FundKind]), name="socorg_fund_kind_known"),
            models.CheckConstraint(condition=Q(budget_fen__gt=0, max_per_project_fen__gt=0,
                                               max_per_project_fen__lte=models.F("budget_fen")),
                                   name="socorg_fund_call_money"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="socorg_fund_call_window"),
            models.CheckConstraint(condition=Q(first_instalment_percent__gte=1, first_instalment_percent__lte=100),
                                   name="socorg_fund_call_first_share"),
        ]

    def __str__(self) -> str:
        return self.title


class FundCriterion(models.Model):
    """A scoring criterion of a call with its weight (the maximum points); a call's
    weights sum to 100."""

    call = models.ForeignKey(FundCall, on_delete=models.CASCADE, related_name="criteria", verbose_name="申报")
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("评分项目", max_length=100)
    weight = models.PositiveSmallIntegerField("分值")

    class Meta:
        ordering = ["call_id", "position"]
        verbose_name = "评分标准"
        verbose_name_plural = "评分标准"
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="socorg_fund_criterion_once"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="socorg_fund_weight_range"),
        ]


class ApplicationStatus(models.TextChoices):
    """已申报 → 已立项 (awarded) / 不予资助; an awarded project → 已结项 (final report
    合格) / 结项不合格."""

    SUBMITTED = "submitted", "已申报"
    AWARDED = "awarded", "已立项资助"
    REFUSED = "refused", "不予资助"
    COMPLETED = "completed", "已结项"
    FAILED = "failed", "结项不合格"


AWARDED_STATUSES = (ApplicationStatus.AWARDED, ApplicationStatus.COMPLETED, ApplicationStatus.FAILED)


class FundApplication(models.Model):
    """One organization's application to a call (申报项目)."""

    call = models.ForeignKey(FundCall, on_delete=models.PROTECT, related_name="applications", verbose_name="申报")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="fund_applications",
                                     verbose_name="社会组织")
    project_name = models.CharField("项目名称", max_length=100)
    summary = models.TextField("项目简介")
    requested_fen = models.BigIntegerField("申请金额（分）")
    filed_on = models.DateField("申报日期")
    filed_by = models.CharField("申报人", max_length=150)
    status = models.CharField("状态", max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    awarded_fen = models.BigIntegerField("资助金额（分）", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.CharField("决定人", max_length=150, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = "扶持资金申报项目"
        verbose_name_plural = "扶持资金申报项目"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=[s.value for s in ApplicationStatus]),
                                   name="socorg_fund_app_status_known"),
            models.CheckConstraint(condition=Q(requested_fen__gt=0), name="socorg_fund_app_requested_positive"),
            models.CheckConstraint(condition=Q(awarded_fen__isnull=True)
                                   | Q(awarded_fen__gt=0, awarded_fen__lte=models.F("requested_fen")),
                                   name="socorg_fund_app_award_within_request"),
        ]
        indexes = [models.Index(fields=["call", "status"], name="socorg_fund_app_call_status")]

    def __str__(self) -> str:
        return self.project_name


class FundScore(models.Model):
    """One reviewer's points for one criterion of an application (0 … the weight). A
    reviewer scores every criterion at once (a score sheet); the application's score
    is the mean of the reviewers' totals."""

    application = models.ForeignKey(FundApplication, on_delete=models.CASCADE, related_name="scores",
                                    verbose_name="申报项目")
    criterion = models.ForeignKey(FundCriterion, on_delete=models.PROTECT, related_name="scores",
                                  verbose_name="评分项目")
    reviewer = models.CharField("评审专家", max_length=64)
    points = models.PositiveSmallIntegerField("得分")
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "reviewer", "criterion__position"]
        verbose_name = "评审评分"
        verbose_name_plural = "评审评分"
        constraints = [models.UniqueConstraint(fields=["application", "criterion", "reviewer"],
                                               name="socorg_fund_score_once")]


class FundInstalment(models.Model):
    """One instalment of an award, requested from the payments app (program
    ``social_org_fund``, reference ``扶持资金-<id>``); whether it
    was paid is the payments app's answer (``one_off_status``)."""

    application = models.ForeignKey(FundApplication, on_delete=models.PROTECT, related_name="instalments",
                                    verbose_name="申报项目")
    seq = models.PositiveSmallIntegerField("期次")
    amount_fen = models.BigIntegerField("金额（分）")
    reference = models.CharField("发放业务编号", max_length=100, blank=True)
    requested_on = models.DateField("申请拨付日期")
    requested_by = models.CharField("申请人", max_length=150)

    class Meta:
        ordering = ["application_id", "seq"]
        verbose_name = "扶持资金拨付"
        verbose_name_plural = "扶持资金拨付"
        constraints = [
            models.UniqueConstraint(fields=["application", "seq"], name="socorg_fund_instalment_once"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="socorg_fund_instalment_positive"),
            models.CheckConstraint(condition=Q(seq__in=[1, 2]), name="socorg_fund_instalment_seq"),
        ]


class ReportConclusion(models.TextChoices):
    QUALIFIED = "qualified", "合格"
    UNQUALIFIED = "unqualified", "不合格"


class FundFinalReport(models.Model):
    """The final report (结项报告) of an awarded project: outcomes and spending, filed by
    the organization (or staff for it), reviewed by staff (合格 / 不合格 with reasons)."""

    application = models.OneToOneField(FundApplication, on_delete=models.PROTECT, related_name="final_report",
                                       verbose_name="申报项目")
    outcomes = models.TextField("项目成效")
    beneficiaries = models.PositiveIntegerField("服务人次")
    spent_fen = models.BigIntegerField("资金使用（分）")
    spending_note = models.TextField("资金使用说明")
    filed_on = models.DateField("提交日期")
    filed_by = models.CharField("提交人", max_length=150)
    conclusion = models.CharField("验收结论", max_length=16, choices=ReportConclusion.choices, blank=True)
    review_reasons = models.TextField("验收意见", blank=True)
    reviewed_on = models.DateField("验收日期", null=True, blank=True)
    reviewed_by = models.CharField("验收人", max_length=150, blank=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = "扶持资金项目结项报告"
        verbose_name_plural = "扶持资金项目结项报告"
        constraints = [models.CheckConstraint(condition=Q(spent_fen__gte=0), name="socorg_fund_report_spent")]
