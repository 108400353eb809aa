"""Applications for social assistance, their review steps, public notice,
decisions, and the resulting enrolments (纳入保障) with their exits.

History is kept as rows: every step of a case is a ``CaseStep``, every change
of an enrolment an ``EnrolmentEvent``; nothing is overwritten silently.
Each scoped record carries ``street`` and ``committee`` (copied from the
household at intake) so ``core.scope.restrict`` applies directly.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.core.models import Division, User
from minzheng.registry.models import Household, Person
from policy import PROGRAMS


def _program_choices(name: str, wanted) -> type[models.TextChoices]:
    return models.TextChoices(name, [(p.id.upper(), (p.id, p.label)) for p in PROGRAMS.values() if wanted(p)],
                              module=__name__)


# The programs people apply for (``Program.applications``): ids, labels and
# order are the policy engine's definitions (``policy.PROGRAMS``).
Program = _program_choices("Program", lambda p: p.applications)
# The programs with enrolments: applied for, or enrolled automatically (免申即享).
EnrolledProgram = _program_choices("EnrolledProgram", lambda p: p.enrolled)


class ApprovalLevel(models.TextChoices):
    STREET = "street", "街镇审批"
    DISTRICT = "district", "区民政局审批"


class Status(models.TextChoices):
    APPLIED = "applied", "已申请"
    ACCEPTED = "accepted", "已受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    VERIFIED = "verified", "已核对"
    VISITED = "visited", "已入户调查"
    STREET_REVIEWED = "street_reviewed", "街镇已审核"
    IN_NOTICE = "in_notice", "公示中"
    APPROVAL_RECORDED = "approval_recorded", "已审批"
    APPROVED = "approved", "决定批准"
    DENIED = "denied", "决定不予批准"
    ENROLLED = "enrolled", "已纳入保障"
    WITHDRAWN = "withdrawn", "已撤回"


CLOSED_STATUSES = (Status.NOT_ACCEPTED, Status.DENIED, Status.ENROLLED, Status.WITHDRAWN)


class ProgramSetting(models.Model):
    """Per-program configuration: who approves, the notice period, the
    deadline of each step in working days, and the re-review intervals.
    Defaults, and the article of the national rules each official value
    comes from (REFERENCE §15), are in ``procedure_timings.py``; see
    docs/adr/0015-national-procedure-timings.md. The bureau may change them.
    An empty optional deadline means the rules give none for the program."""

    program = models.CharField("救助项目", max_length=32, choices=Program.choices, primary_key=True)
    approval_level = models.CharField("审批层级", max_length=16, choices=ApprovalLevel.choices)
    notice_days = models.PositiveSmallIntegerField("公示天数（自然日）", default=7)
    accept_days = models.PositiveSmallIntegerField("受理期限（工作日）")
    survey_start_days = models.PositiveSmallIntegerField("启动家庭经济状况调查期限（自受理起，工作日）",
                                                         null=True, blank=True)
    street_opinion_days = models.PositiveSmallIntegerField("调查并提出初审意见期限（自受理起，工作日）",
                                                           null=True, blank=True)
    verify_days = models.PositiveSmallIntegerField("核对期限（工作日）")
    visit_days = models.PositiveSmallIntegerField("入户调查期限（工作日）")
    review_days = models.PositiveSmallIntegerField("街镇审核期限（工作日）")
    post_days = models.PositiveSmallIntegerField("张榜公示期限（工作日）")
    approve_days = models.PositiveSmallIntegerField("审批期限（公示期满后，工作日）")
    decide_days = models.PositiveSmallIntegerField("作出决定期限（工作日）")
    total_days = models.PositiveSmallIntegerField("总时限（自受理起，工作日）", null=True, blank=True)
    extended_total_days = models.PositiveSmallIntegerField("延长后总时限（自受理起，工作日）", null=True, blank=True)
    rereview_months_able = models.PositiveSmallIntegerField("复核间隔：收入不固定或有劳动能力成员（月）")
    rereview_months_stable = models.PositiveSmallIntegerField("复核间隔：收入状况稳定（月）")
    basis = models.TextField("依据与说明", blank=True)
    verified = models.BooleanField("已核实", default=False)

    class Meta:
        verbose_name = "救助项目设置"
        verbose_name_plural = "救助项目设置"


class Application(models.Model):
    """One application for one program by one household (and applicant)."""

    program = models.CharField("救助项目", max_length=32, choices=Program.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="申请人")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    note = models.TextField("申请事由", blank=True)
    due_on = models.DateField("当前环节期限", null=True, blank=True, db_index=True)
    due_action = models.CharField("当前待办环节", max_length=24, blank=True)
    deadline_note = models.CharField("期限说明", max_length=200, blank=True)
    overall_due_on = models.DateField("总时限", null=True, blank=True)
    extended_on = models.DateField("延长审核期限日期", null=True, blank=True)
    extension_reason = models.TextField("延长审核期限理由", blank=True)
    verification_reference = models.CharField("核对编号", max_length=64, blank=True)
    verification_result = models.ForeignKey(
        "verification.VerificationResult", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="认定的核对结果")
    street_opinion = models.BooleanField("街镇审核意见（同意）", null=True, blank=True)
    approval_agrees = models.BooleanField("审批意见（同意）", null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "救助申请"
        verbose_name_plural = "救助申请"
        indexes = [
            models.Index(fields=["street", "committee", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "applicant", "program"],
                condition=~Q(status__in=["not_accepted", "denied", "enrolled", "withdrawn"]),
                name="one_open_application_per_program",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_program_display()}"

    @property
    def number(self) -> str:
        """Case number shown to staff and on letters: 申-<year>-<id>."""
        return f"申{self.applied_on.year}-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class CaseStep(models.Model):
    """One step taken on a case (a row of its history, never changed)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField("环节", max_length=24)
    label = models.CharField("环节名称", max_length=32)
    from_status = models.CharField("原状态", max_length=24, blank=True)
    to_status = models.CharField("新状态", max_length=24)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField("办理人", max_length=150)
    acted_on = models.DateField("办理日期")
    was_due_on = models.DateField("该环节期限", null=True, blank=True)
    reasons = models.TextField("意见/理由", blank=True)
    data = models.JSONField("其他内容", default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"

    @property
    def late(self) -> bool:
        return self.was_due_on is not None and self.acted_on > self.was_due_on


class DocumentKind(models.TextChoices):
    APPLICATION_FORM = "申请书", "申请书"
    IDENTITY = "身份证明", "身份证明"
    INCOME = "收入证明", "收入证明"
    AUTHORISATION = "授权书", "授权书"
    OTHER = "其他", "其他"


class CaseDocument(models.Model):
    """An uploaded document of a case (kept; never deleted)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("材料类型", max_length=8, choices=DocumentKind.choices)
    file = models.FileField("文件", upload_to="casework/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField("上传人", max_length=150)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"


class HomeVisit(models.Model):
    """A home visit (入户调查) by committee staff, with its findings."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("调查日期")
    visitors = models.CharField("调查人员", max_length=200)
    findings = models.TextField("调查情况")
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "入户调查"
        verbose_name_plural = "入户调查"


class Notice(models.Model):
    """The public notice (公示) of a proposed beneficiary in their committee."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="notice")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示截止（含当日）")
    proposed_amount_fen = models.BigIntegerField("拟保障金额（分/月）", null=True, blank=True)
    household_size = models.PositiveSmallIntegerField("家庭人口")
    posted_by = models.CharField("张榜人", max_length=150)
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        indexes = [models.Index(fields=["committee", "ends_on"])]


class Objection(models.Model):
    """An objection (异议) received during the notice, and its resolution."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField("收到日期")
    raised_by = models.CharField("异议人", max_length=64, blank=True, help_text="可匿名")
    content = models.TextField("异议内容")
    recorded_by = models.CharField("登记人", max_length=150)
    resolved_on = models.DateField("处理日期", null=True, blank=True)
    upheld = models.BooleanField("异议成立", null=True, blank=True)
    resolution = models.TextField("处理结果", blank=True)
    resolved_by = models.CharField("处理人", max_length=150, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "异议"
        verbose_name_plural = "异议"

    @property
    def resolved(self) -> bool:
        return self.resolved_on is not None


class Outcome(models.TextChoices):
    APPROVE = "approve", "批准"
    DENY = "deny", "不予批准"
    REJECT = "reject", "不予受理"


class DecisionLetter(models.Model):
    """A decision letter (决定书) as issued: its PDF is stored, never regenerated."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    number = models.CharField("文号", max_length=64, unique=True)
    outcome = models.CharField("决定", max_length=8, choices=Outcome.choices)
    reasons = models.TextField("理由")
    issuer = models.CharField("作出决定机关", max_length=64)
    issued_on = models.DateField("决定日期")
    monthly_amount_fen = models.BigIntegerField("月保障金额（分）", null=True, blank=True)
    start_month = models.CharField("起始月份", max_length=7, blank=True)
    file = models.FileField("决定书", upload_to="casework/letters/%Y/")
    created_by = models.CharField("经办人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "决定书"
        verbose_name_plural = "决定书"


class SpotCheckDraw(models.Model):
    """A draw of files for the district's in-person spot check (入户抽查) before
    confirming extreme-poverty support (《特困人员认定办法》第十六条: at least
    30%). The population is the district's review queue at the time of the
    draw (``population``: application ids, sorted); ``random.Random(seed)``
    picks ceil(30%) of it, so the draw is reproduced from the recorded seed."""

    program = models.CharField("救助项目", max_length=32, choices=Program.choices)
    seed = models.BigIntegerField("随机种子")
    share_percent = models.PositiveSmallIntegerField("抽查比例（%）")
    population = models.JSONField("待确认案卷（申请编号）", default=list)
    population_sha256 = models.CharField("案卷清单哈希", max_length=64)
    drawn_on = models.DateField("抽取日期")
    created_by = models.CharField("抽取人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "认定抽查"
        verbose_name_plural = "认定抽查"


class SpotCheck(models.Model):
    """One file in a draw: drawn (to be checked in person) or not, and the check."""

    draw = models.ForeignKey(SpotCheckDraw, on_delete=models.PROTECT, related_name="checks")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="spot_checks")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    drawn = models.BooleanField("抽中")
    checked_on = models.DateField("抽查日期", null=True, blank=True)
    findings = models.TextField("抽查情况", blank=True)
    checked_by = models.CharField("抽查人", max_length=150, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "抽查案卷"
        verbose_name_plural = "抽查案卷"
        constraints = [models.UniqueConstraint(fields=["application"], name="one_spot_check_per_application")]


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "保障中"
    SUSPENDED = "suspended", "暂停"
    TERMINATED = "terminated", "终止"


class EnrolmentSource(models.TextChoices):
    APPLICATION = "application", "申请审批"
    AUTO = "auto", "免申即享"
    OTHER = "other", "其他"


class Enrolment(models.Model):
    """A household's or person's enrolment in a program (纳入保障).

    ``start_month``/``end_month`` are ``YYYY-MM``; ``end_month`` is the last
    month with benefit (empty while open). The monthly amount is the engine's
    at decision time (``amount_basis`` records month, rules and parameters).
    """

    program = models.CharField("救助项目", max_length=32, choices=EnrolledProgram.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    start_month = models.CharField("起始月份", max_length=7)
    end_month = models.CharField("终止月份（最后享受月）", max_length=7, blank=True)
    status = models.CharField("状态", max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    status_reason = models.CharField("状态原因", max_length=200, blank=True)
    status_effective_month = models.CharField("状态生效月份", max_length=7, blank=True)
    source = models.CharField("来源", max_length=16, choices=EnrolmentSource.choices)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="enrolments")
    monthly_amount_fen = models.BigIntegerField("月保障金额（分）", default=0)
    amount_basis = models.JSONField("金额依据", default=dict, blank=True)
    has_able_member = models.BooleanField("有劳动能力成员", default=True)
    next_review_on = models.DateField("下次复核日期", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "保障对象"
        verbose_name_plural = "保障对象"
        indexes = [models.Index(fields=["street", "committee", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(household__isnull=False) | Q(person__isnull=False),
                                   name="enrolment_has_household_or_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_program_display()} {self.start_month}"


ENROLMENT_EVENT_LABELS = {"enrolled": "纳入保障", "suspended": "暂停发放", "resumed": "恢复发放",
                          "terminated": "终止保障", "reviewed": "定期复核", "member_died": "家庭成员死亡",
                          "rescheduled": "调整复核日期"}


class EnrolmentEvent(models.Model):
    """One change of an enrolment: enrolled, suspended, resumed, terminated, reviewed."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=16)
    effective_month = models.CharField("生效月份", max_length=7, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    actor_name = models.CharField("办理人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    @property
    def kind_label(self) -> str:
        """The event's one Chinese name (a code is never shown)."""
        return ENROLMENT_EVENT_LABELS.get(self.kind, "其他变动")


class OverpaymentStatus(models.TextChoices):
    OPEN = "open", "待追缴"
    RECOVERED = "recovered", "已追回"
    WAIVED = "waived", "已核销"


class OverpaymentCase(models.Model):
    """Months paid after benefits should have stopped (e.g. after a death),
    for the payments ledger to turn into recovery entries (追缴)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="overpayments")
    program = models.CharField("救助项目", max_length=32, choices=EnrolledProgram.choices)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    months = models.JSONField("多发月份", default=list)
    amount_fen = models.BigIntegerField("多发金额（分）")
    reason = models.CharField("原因", max_length=200)
    status = models.CharField("状态", max_length=16, choices=OverpaymentStatus.choices, default=OverpaymentStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "多发待追缴"
        verbose_name_plural = "多发待追缴"


class ReReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "继续保障"
    TERMINATE = "terminate", "停止保障"


class ReReview(models.Model):
    """A periodic re-review (复核) of an enrolment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="rereviews")
    reviewed_on = models.DateField("复核日期")
    outcome = models.CharField("复核结论", max_length=16, choices=ReReviewOutcome.choices)
    findings = models.TextField("复核情况")
    recorded_by = models.CharField("复核人", max_length=150)
    next_review_on = models.DateField("下次复核日期", null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
