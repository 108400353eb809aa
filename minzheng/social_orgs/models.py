"""The register of social organizations (社会组织登记管理, issue 18, ADR 0039).

The seed (2023 summary (四)): "全区社会组织共 823 家，其中社会团体 148 家、社会
服务机构（民办非企业单位）675 家"; registration, change, renewal, charter and
deregistration are the registration office's matters, and "党建三同步" asks for
the party-building requirement at registration, annual inspection and
evaluation. REFERENCE § 14: the unified social credit code (GB 32100-2015).

Public interface: :class:`Organization`, :class:`OrgKind`, :class:`OrgStatus`,
:class:`OrganizationChange`, :class:`PartyBuildingCheck`,
:class:`OrganizationAccount` and the selectors in :mod:`.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.core.models import Division


class OrgKind(models.TextChoices):
    """The three kinds of the 社会组织登记管理 regulations."""

    SOCIAL_GROUP = "social_group", "社会团体"
    SERVICE_INSTITUTION = "service_institution", "社会服务机构"
    FOUNDATION = "foundation", "基金会"


class OrgStatus(models.TextChoices):
    """正常; 撤销 (the office revokes the registration, e.g. a zombie organization);
    注销 (the organization deregisters after liquidation); 吊销 (certificate revoked
    as a penalty). Only 正常 is an organization in business."""

    NORMAL = "normal", "正常"
    REVOKED = "revoked", "撤销"
    DEREGISTERED = "deregistered", "注销"
    CANCELLED = "cancelled", "吊销"


class PartyStatus(models.TextChoices):
    """党组织建立情况 (what 党建三同步 records at each stage)."""

    SEPARATE = "separate", "单独建立党组织"
    JOINT = "joint", "联合建立党组织"
    INSTRUCTOR = "instructor", "未建党组织，已选派党建工作指导员"
    NONE = "none", "未建立党组织"


class PartyStage(models.TextChoices):
    """党建三同步: registration, annual inspection, evaluation."""

    REGISTRATION = "registration", "登记"
    INSPECTION = "inspection", "年检"
    EVALUATION = "evaluation", "评估"


class Organization(models.Model):
    """One registered social organization.

    The legal representative's ID number is encrypted with a blind index and
    shown masked (ADR 0002). ``registered_capital_fen`` (注册资金/开办资金/原始
    基金) is ``None`` when not recorded, never 0. ``street``/``committee``: where
    its registered address lies (optional: registration is a district matter,
    the place serves the figures by street)."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=24, choices=OrgKind.choices)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    legal_rep_name = models.CharField("法定代表人", max_length=64)
    legal_rep_id_enc = models.TextField("法定代表人身份证号（密文）", blank=True)
    legal_rep_id_index = models.CharField("法定代表人身份证号索引", max_length=64, blank=True, db_index=True)
    legal_rep_id_masked = models.CharField("法定代表人身份证号（脱敏）", max_length=18, blank=True)
    supervisor = models.CharField("业务主管单位（行业管理部门）", max_length=100)
    registered_capital_fen = models.BigIntegerField("注册资金（分）", null=True, blank=True)
    address = models.CharField("住所", max_length=200)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="所在街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="所在居村委")
    business_scope = models.TextField("业务范围")
    registered_on = models.DateField("成立登记日期")
    status = models.CharField("登记状态", max_length=16, choices=OrgStatus.choices, default=OrgStatus.NORMAL)
    status_on = models.DateField("状态变更日期", null=True, blank=True)
    status_reason = models.CharField("状态变更原因", max_length=500, blank=True)
    party_status = models.CharField("党组织建立情况", max_length=16, choices=PartyStatus.choices, blank=True)
    community = models.BooleanField("社区社会组织", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "社会组织"
        verbose_name_plural = "社会组织"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in OrgKind]), name="socorg_kind_known"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in OrgStatus]),
                                   name="socorg_status_known"),
            models.CheckConstraint(condition=models.Q(registered_capital_fen__isnull=True)
                                   | models.Q(registered_capital_fen__gte=0), name="socorg_capital_not_negative"),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="socorg_kind_status")]

    def __str__(self) -> str:
        return self.name


# the history's lines: registered facts (old → new) and events; their Chinese names
CHANGE_FIELD_LABELS = {
    "registration": "成立登记", "status": "登记状态",
    "name": "名称", "kind": "类型", "uscc": "统一社会信用代码", "legal_rep_name": "法定代表人",
    "legal_rep_id": "法定代表人身份证号", "supervisor": "业务主管单位（行业管理部门）",
    "registered_capital_fen": "注册资金", "address": "住所", "committee": "所在居村委",
    "business_scope": "业务范围", "registered_on": "成立登记日期", "party_status": "党组织建立情况",
    "community": "社区社会组织",
    "renewal": "有效期延续（换发登记证书）", "charter": "章程核准",
}


class OrganizationChange(models.Model):
    """One dated line of an organization's history: its registration, each
    changed field (old → new), each status change. Never edited; the register
    shows the latest values, this table how they came to be."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="changes",
                                     verbose_name="社会组织")
    changed_on = models.DateField("变更日期")
    field = models.CharField("变更事项", max_length=32)
    old_value = models.TextField("变更前", blank=True)
    new_value = models.TextField("变更后", blank=True)
    reason = models.CharField("依据或原因", max_length=500, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["organization_id", "-changed_on", "-id"]
        verbose_name = "社会组织变更记录"
        verbose_name_plural = "社会组织变更记录"
        indexes = [models.Index(fields=["organization", "changed_on"], name="socorg_change_org_day")]

    @property
    def field_label(self) -> str:
        return CHANGE_FIELD_LABELS.get(self.field, "其他事项")


class PartyBuildingCheck(models.Model):
    """党建三同步: what the party-building situation was at a registration, an
    annual inspection or an evaluation (dated)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="party_checks",
                                     verbose_name="社会组织")
    stage = models.CharField("环节", max_length=16, choices=PartyStage.choices)
    checked_on = models.DateField("日期")
    party_status = models.CharField("党组织建立情况", max_length=16, choices=PartyStatus.choices)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["organization_id", "-checked_on", "-id"]
        verbose_name = "党建三同步记录"
        verbose_name_plural = "党建三同步记录"
        constraints = [
            models.CheckConstraint(condition=models.Q(stage__in=[s.value for s in PartyStage]),
                                   name="socorg_party_stage_known"),
        ]


class OrganizationAccount(models.Model):
    """An organization's account (role 社会组织): it sees only the organization
    linked here (ADR 0010 scoping: any other is 404). One organization per
    account; an organization may have several accounts."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_org_link",
                                verbose_name="账号")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="accounts",
                                     verbose_name="社会组织")
    since = models.DateField("起始日期", auto_now_add=True)

    class Meta:
        verbose_name = "社会组织账号"
        verbose_name_plural = "社会组织账号"


class MatterKind(models.TextChoices):
    """The registration matters the seed counts for 2023 ("新成立 29 家，注销登记 21 家，
    变更登记 142 家，有效期延续 295 家，章程核准 186 家")."""

    ESTABLISHMENT = "establishment", "成立登记"
    CHANGE = "change", "变更登记"
    RENEWAL = "renewal", "有效期延续"
    CHARTER = "charter", "章程核准"
    DEREGISTRATION = "deregistration", "注销登记"


class MatterStatus(models.TextChoices):
    """申请 → 受理 → 业务主管单位审查 → 准予 / 不予 (or 退回 at acceptance)."""

    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    REVIEWED = "reviewed", "业务主管单位已审查"
    APPROVED = "approved", "准予"
    REFUSED = "refused", "不予"


class Matter(models.Model):
    """One registration matter (成立"一件事", 变更, 有效期延续, 章程核准, 注销).

    ``proposed`` holds what the matter asks for (an establishment: the new
    organization's facts; a change: the fields and their new values), as plain
    JSON values; ``documents``: the names of the documents handed in (checked
    against the kind's list at acceptance, :mod:`.matter_rules`). The deadline
    (``due_on``) counts working days from acceptance (``core.workdays``) when the
    kind's time limit has been entered (:class:`MatterTimeLimit`), else it is
    unknown (参数缺失), never guessed."""

    kind = models.CharField("事项", max_length=16, choices=MatterKind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="matters", verbose_name="社会组织")
    name = models.CharField("名称（拟）", max_length=100)
    proposed = models.JSONField("申请事项内容", default=dict, blank=True)
    documents = models.JSONField("已提交材料", default=list, blank=True)
    applied_on = models.DateField("申请日期")
    applicant = models.CharField("申请人（经办人）", max_length=150)
    status = models.CharField("办理状态", max_length=16, choices=MatterStatus.choices,
                              default=MatterStatus.SUBMITTED)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    due_on = models.DateField("办理期限", null=True, blank=True)
    review_opinion = models.TextField("业务主管单位审查意见", blank=True)
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    decided_by = models.CharField("决定人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = "社会组织登记事项"
        verbose_name_plural = "社会组织登记事项"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in MatterKind]),
                                   name="socorg_matter_kind_known"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in MatterStatus]),
                                   name="socorg_matter_status_known"),
            models.CheckConstraint(condition=models.Q(kind="establishment") | models.Q(organization__isnull=False),
                                   name="socorg_matter_has_organization"),
        ]
        indexes = [models.Index(fields=["kind", "status", "decided_on"], name="socorg_matter_kind_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


class MatterTimeLimit(models.Model):
    """The time limit of a kind of matter in working days, as staff entered it with
    the document it comes from (the issue gives none: until entered, deadlines are
    unknown — 参数缺失 — rather than invented). The latest entry of a kind applies."""

    kind = models.CharField("事项", max_length=16, choices=MatterKind.choices)
    working_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    basis = models.CharField("依据（文件名称和条款）", max_length=300)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-entered_at", "-id"]
        verbose_name = "登记事项办理时限"
        verbose_name_plural = "登记事项办理时限"
        constraints = [models.CheckConstraint(condition=models.Q(working_days__gte=1, working_days__lte=250),
                                              name="socorg_time_limit_range")]


class ForbiddenWord(models.Model):
    """A word an organization's name may not contain (名称审核), kept as data by the
    section, with the reason (e.g. 《社会组织名称管理办法》's rule it applies)."""

    word = models.CharField("禁用字词", max_length=30, unique=True)
    reason = models.CharField("原因", max_length=300)

    class Meta:
        ordering = ["word"]
        verbose_name = "名称禁用字词"
        verbose_name_plural = "名称禁用字词"


class ReportStatus(models.TextChoices):
    FILED = "filed", "已提交"
    REVIEWED = "reviewed", "已审查"


class Conclusion(models.TextChoices):
    """年检结论 (REFERENCE § 13 uses them for the grading exclusions)."""

    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


class AnnualReport(models.Model):
    """One organization's annual report for ``year`` (年度报告/年度检查), filed online by
    the organization and reviewed by the section: 合格 / 基本合格 / 不合格 with reasons.
    Money in fen; every figure is required when filing (missing is not zero)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="annual_reports",
                                     verbose_name="社会组织")
    year = models.PositiveSmallIntegerField("报告年度")
    income_fen = models.BigIntegerField("本年收入（分）")
    expense_fen = models.BigIntegerField("本年支出（分）")
    net_assets_fen = models.BigIntegerField("年末净资产（分）")
    activities = models.PositiveIntegerField("开展活动（次）")
    activities_summary = models.TextField("业务活动情况")
    staff = models.PositiveIntegerField("专职工作人员（人）")
    volunteers = models.PositiveIntegerField("志愿者（人）")
    major_events = models.TextField("重大事项报告情况", blank=True)
    party_status = models.CharField("党组织建立情况", max_length=16, choices=PartyStatus.choices)
    party_members = models.PositiveIntegerField("党员人数")
    status = models.CharField("状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.FILED)
    filed_on = models.DateField("提交日期")
    filed_by = models.CharField("填报人", max_length=150)
    conclusion = models.CharField("年检结论", max_length=16, choices=Conclusion.choices, blank=True)
    review_reasons = models.TextField("审查意见", blank=True)
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    reviewed_by = models.CharField("审查人", max_length=150, blank=True)

    class Meta:
        ordering = ["-year", "organization_id"]
        verbose_name = "社会组织年度报告"
        verbose_name_plural = "社会组织年度报告"
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="socorg_report_once_a_year"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in ReportStatus]),
                                   name="socorg_report_status_known"),
            models.CheckConstraint(condition=models.Q(income_fen__gte=0, expense_fen__gte=0),
                                   name="socorg_report_money_not_negative"),
        ]
        indexes = [models.Index(fields=["year", "status"], name="socorg_report_year_status")]


# ---- 僵尸型社会组织 (zombie organizations, REFERENCE § 13, ADR 0042) ----------------------------


class ActivitySource(models.TextChoices):
    STAFF = "staff", "登记管理机关录入"
    ORGANIZATION = "organization", "社会组织自行填报"


class OrgActivity(models.Model):
    """One activity an organization held (ADR 0042: what counts as activity), dated, with
    its description, whether it lies within the charter's business scope (章程规定的业务
    活动) and the evidence (佐证材料); entered by the section or by the organization itself."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="activities",
                                     verbose_name="社会组织")
    held_on = models.DateField("活动日期")
    description = models.CharField("活动内容", max_length=500)
    in_charter = models.BooleanField("属于章程规定的业务活动")
    evidence = models.CharField("佐证材料", max_length=300)
    source = models.CharField("来源", max_length=16, choices=ActivitySource.choices)
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["organization_id", "-held_on", "-id"]
        verbose_name = "社会组织活动记录"
        verbose_name_plural = "社会组织活动记录"
        constraints = [models.CheckConstraint(condition=models.Q(source__in=[s.value for s in ActivitySource]),
                                              name="socorg_activity_source_known")]
        indexes = [models.Index(fields=["organization", "held_on"], name="socorg_activity_org_day")]


class ContactKind(models.TextChoices):
    ADDRESS_VISIT = "address_visit", "登记住所实地走访"
    LEGAL_REP_CALL = "legal_rep_call", "联系法定代表人"


class ContactAttempt(models.Model):
    """A contact attempt staff made (ADR 0042): a visit at the registered address or a call to
    the legal representative, dated, reached or not, with what happened."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contact_attempts",
                                     verbose_name="社会组织")
    kind = models.CharField("联系方式", max_length=16, choices=ContactKind.choices)
    tried_on = models.DateField("联系日期")
    reached = models.BooleanField("取得联系")
    outcome = models.CharField("联系情况", max_length=500)
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["organization_id", "-tried_on", "-id"]
        verbose_name = "社会组织联系记录"
        verbose_name_plural = "社会组织联系记录"
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in ContactKind]),
                                              name="socorg_contact_kind_known")]


class InactivityPeriod(models.Model):
    """“长期未开展章程规定的活动”: the period in months, as staff entered it citing the document
    (name and number). In force from ``effective_from`` until the next entry; while none is in
    force that reason is not concluded (参数缺失), never a default."""

    months = models.PositiveSmallIntegerField("期限（月）")
    effective_from = models.DateField("起始日期", unique=True)
    document_name = models.CharField("依据文件名称", max_length=200)
    document_number = models.CharField("文号", max_length=100)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "长期未开展活动期限"
        verbose_name_plural = "长期未开展活动期限"
        constraints = [models.CheckConstraint(condition=models.Q(months__gte=1, months__lte=120),
                                              name="socorg_inactivity_months_range")]


class CaseStatus(models.TextChoices):
    """清理整治: 立案 → 已发限期整改通知 → 已整改 or 已撤销登记."""

    OPEN = "open", "已立案"
    NOTIFIED = "notified", "已发限期整改通知"
    RECTIFIED = "rectified", "已整改"
    REVOKED = "revoked", "已撤销登记"


OPEN_CASE_STATUSES = [CaseStatus.OPEN.value, CaseStatus.NOTIFIED.value]


class ZombieCase(models.Model):
    """A clean-up case (僵尸型社会组织清理整治) opened from a detection: the reasons and their
    evidence as found that day (kept as they were), the notice (限期整改通知书) with its
    deadline, and the end: rectified (with what) or the registration revoked (撤销登记, with
    its public notice 撤销登记公告). One open case per organization."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="zombie_cases",
                                     verbose_name="社会组织")
    opened_on = models.DateField("立案日期")
    reasons = models.JSONField("认定情形", default=list)
    evidence = models.JSONField("认定依据", default=list)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    notice_number = models.CharField("通知书文号", max_length=50, blank=True)
    notice_on = models.DateField("通知日期", null=True, blank=True)
    notice_requirements = models.TextField("整改要求", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectification = models.TextField("整改情况", blank=True)
    revoked_on = models.DateField("撤销登记日期", null=True, blank=True)
    revoke_reason = models.CharField("撤销登记决定（文号和理由）", max_length=500, blank=True)
    opened_by = models.CharField("立案人", max_length=150)
    closed_by = models.CharField("办结人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = "僵尸型社会组织清理整治案件"
        verbose_name_plural = "僵尸型社会组织清理整治案件"
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in CaseStatus]),
                                   name="socorg_case_status_known"),
            models.UniqueConstraint(fields=["organization"], condition=models.Q(status__in=OPEN_CASE_STATUSES),
                                    name="socorg_case_one_open_per_org"),
            models.CheckConstraint(condition=models.Q(deadline__isnull=True) | models.Q(deadline__gt=models.F("notice_on")),
                                   name="socorg_case_deadline_after_notice"),
        ]

    def __str__(self) -> str:
        return f"清理整治：{self.organization}"


class EventKind(models.TextChoices):
    """重大事项 an organization reports (ADR 0044: our list, drawn from the common
    practice of registration offices' 重大事项报告 rules; 其他 for anything else)."""

    MAJOR_ACTIVITY = "major_activity", "举办重大活动"
    ELECTION = "election", "换届选举"
    LEADER_CHANGE = "leader_change", "负责人变动"
    FOREIGN_DONATION = "foreign_donation", "接受境外捐赠或资助"
    FOREIGN_COOPERATION = "foreign_cooperation", "对外合作交流"
    LARGE_FUNDS = "large_funds", "大额资金往来"
    EMERGENCY = "emergency", "重大突发事件或诉讼"
    OTHER = "other", "其他"


class EventStatus(models.TextChoices):
    """已报告 (waiting for the section) → 已知悉 (closed), 需补充 (back to the organization,
    which supplements: 已报告 again) or 不予认可 (closed, with reasons)."""

    REPORTED = "reported", "已报告（待审查）"
    ACKNOWLEDGED = "acknowledged", "已知悉"
    SUPPLEMENT = "supplement", "需补充"
    NOT_ACCEPTED = "not_accepted", "不予认可"


class MajorEvent(models.Model):
    """One 重大事项报告 of an organization (ADR 0044), filed by its own account or
    by the section on its behalf, reviewed by the section. ``attachments``: the
    names of the documents handed in (the files stay with the organization, as
    for registration matters). ``amount_fen``: the sum involved — required for the
    kinds about money (境外捐赠、大额资金往来), ``None`` otherwise when not given."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="major_events",
                                     verbose_name="社会组织")
    kind = models.CharField("事项类别", max_length=24, choices=EventKind.choices)
    title = models.CharField("事项名称", max_length=100)
    event_on = models.DateField("事项日期")
    description = models.TextField("事项内容")
    amount_fen = models.BigIntegerField("涉及金额（分）", null=True, blank=True)
    attachments = models.JSONField("附件（材料名称）", default=list, blank=True)
    reported_on = models.DateField("报告日期")
    reported_by = models.CharField("报告人", max_length=150)
    status = models.CharField("状态", max_length=16, choices=EventStatus.choices, default=EventStatus.REPORTED)
    review_reasons = models.TextField("审查意见", blank=True)
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    reviewed_by = models.CharField("审查人", max_length=150, blank=True)
    supplement = models.TextField("补充说明", blank=True)
    supplemented_on = models.DateField("补充日期", null=True, blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = "社会组织重大事项报告"
        verbose_name_plural = "社会组织重大事项报告"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in EventKind]),
                                   name="socorg_event_kind_known"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in EventStatus]),
                                   name="socorg_event_status_known"),
            models.CheckConstraint(condition=models.Q(amount_fen__isnull=True) | models.Q(amount_fen__gte=0),
                                   name="socorg_event_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "reported_on"], name="socorg_event_status_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class ReminderChannel(models.TextChoices):
    """站内: shown on the organization account's home page; 短信登记: an SMS the section
    sent outside the platform, recorded here."""

    IN_APP = "in_app", "站内提醒"
    SMS = "sms", "短信（登记）"


class ReportReminder(models.Model):
    """催报: a reminder to an organization that has not filed its annual report for
    ``year`` (ADR 0044). At most one per organization, year and day."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="report_reminders",
                                     verbose_name="社会组织")
    year = models.PositiveSmallIntegerField("报告年度")
    sent_on = models.DateField("催报日期")
    channel = models.CharField("方式", max_length=8, choices=ReminderChannel.choices)
    sent_by = models.CharField("催报人", max_length=150)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = "社会组织年度报告催报记录"
        verbose_name_plural = "社会组织年度报告催报记录"
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "sent_on"], name="socorg_reminder_once_a_day"),
            models.CheckConstraint(condition=models.Q(channel__in=[c.value for c in ReminderChannel]),
                                   name="socorg_reminder_channel_known"),
        ]


# evaluation grades (社会组织等级评估, ADR 0041) and support funds (扶持资金、公益创投, ADR 0043) live
# in their own modules; imported here so Django registers them (and re-exported)
from minzheng.social_orgs.fund_models import (  # noqa: E402, F401
    AWARDED_STATUSES,
    ApplicationStatus,
    FundApplication,
    FundCall,
    FundCriterion,
    FundFinalReport,
    FundInstalment,
    FundKind,
    FundScore,
    ReportConclusion,
)
from minzheng.social_orgs.grade_models import (  # noqa: E402, F401
    EvaluationApplication,
    EvaluationRound,
    ExpertScore,
    GradeReward,
    OrganizationGrade,
    RewardParameter,
    SanctionRecord,
)
