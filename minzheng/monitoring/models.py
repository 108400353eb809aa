"""Low-income population dynamic monitoring (低收入人口动态监测) and "policy
finds people" (政策找人): the monthly monitor run and what it produces —
leads, the edge watch list, exit reviews, no-application notices and risk
follow-up tasks — plus the advisors' workspace (assignments, home visits,
hardship labels, service records).

Every scoped record carries ``street`` and ``committee`` so
``core.scope.restrict`` applies directly. Rows made by the run are unique on
their natural key, so running a month again creates nothing new (ADR 0007).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.casework.models import Application, Enrolment
from minzheng.core.models import Division, User
from minzheng.eligibility.models import DecisionRun
from minzheng.registry.models import Household, Person


class MonitorRun(models.Model):
    """One monitor run for a month: the policy batch it used and what it created."""

    month = models.CharField("月份", max_length=7, db_index=True)
    decision_run = models.ForeignKey(DecisionRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name="批量测算批次")
    actor = models.CharField("执行人", max_length=150)
    run_on = models.DateField("执行日期")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField("新建数量", default=dict)
    timings = models.JSONField("用时", default=dict)

    class Meta:
        ordering = ["-id"]
        verbose_name = "动态监测运行"
        verbose_name_plural = "动态监测运行"


class AdvisorAssignment(models.Model):
    """A community assistance advisor (社区救助顾问) covering a committee.

    An advisor may cover several committees; a committee may have several
    advisors. Ending an assignment keeps the row (``ended_on``)."""

    advisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="advisor_assignments",
                                verbose_name="救助顾问")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    assigned_on = models.DateField("起始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    assigned_by = models.CharField("指派人", max_length=150)

    class Meta:
        ordering = ["committee_id", "advisor_id"]
        verbose_name = "救助顾问联系居村"
        verbose_name_plural = "救助顾问联系居村"
        constraints = [
            models.UniqueConstraint(fields=["advisor", "committee"], condition=Q(ended_on__isnull=True),
                                    name="one_open_assignment_per_advisor_committee"),
        ]


class LeadStatus(models.TextChoices):
    OPEN = "open", "待跟进"
    CLOSED = "closed", "已办结"


class LeadOutcome(models.TextChoices):
    APPLIED = "applied", "已引导申请"
    NOT_NEEDED = "not_needed", "经核实无需救助"
    DECLINED = "declined", "本人拒绝"
    UNREACHABLE = "unreachable", "无法联系"


class Lead(models.Model):
    """政策找人线索: the engine finds a household or person eligible for a
    program they neither receive nor have applied for.

    ``target_key`` is ``h<household id>`` (household-level programs) or
    ``p<person id>``; one lead per program, target and month."""

    monitor_run = models.ForeignKey(MonitorRun, on_delete=models.PROTECT, related_name="leads")
    decision_run = models.ForeignKey(DecisionRun, on_delete=models.PROTECT, related_name="+")
    month = models.CharField("月份", max_length=7)
    program = models.CharField("救助项目", max_length=32)
    target_key = models.CharField(max_length=24)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="人员")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    amount_fen = models.BigIntegerField("测算金额（分/月）")
    reason_mask = models.BigIntegerField("理由位图")
    status = models.CharField("状态", max_length=8, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    due_on = models.DateField("跟进期限", null=True, blank=True)
    deadline_note = models.CharField("期限说明", max_length=200, blank=True)
    first_action_on = models.DateField("首次走访日期", null=True, blank=True)
    escalated = models.BooleanField("已上报街镇", default=False)
    escalated_on = models.DateField("上报日期", null=True, blank=True)
    outcome = models.CharField("跟进结果", max_length=16, choices=LeadOutcome.choices, blank=True)
    outcome_reason = models.TextField("结果说明", blank=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="对应申请")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.CharField("办结人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "政策找人线索"
        verbose_name_plural = "政策找人线索"
        constraints = [
            models.UniqueConstraint(fields=["program", "target_key", "month"], name="one_lead_per_target_month"),
        ]
        indexes = [
            models.Index(fields=["street", "committee", "status"]),
            models.Index(fields=["program", "target_key"]),
            models.Index(fields=["status", "due_on"]),
        ]


class EdgeBand(models.TextChoices):
    DIBAO = "dibao_edge", "低保边缘（略高于低保标准）"
    LOW_INCOME = "low_income_edge", "低收入边缘（略高于低保标准2倍）"


class EdgeHousehold(models.Model):
    """A household whose per-capita income is just above a line (边缘监测名单)."""

    monitor_run = models.ForeignKey(MonitorRun, on_delete=models.PROTECT, related_name="edges")
    month = models.CharField("月份", max_length=7)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    band = models.CharField("类别", max_length=16, choices=EdgeBand.choices)
    members = models.PositiveSmallIntegerField("家庭人口")
    per_capita_income_fen = models.BigIntegerField("人均月收入（分）")
    line_fen = models.BigIntegerField("对应标准（分/月）")
    margin_pct = models.PositiveSmallIntegerField("监测幅度（%）")

    class Meta:
        ordering = ["per_capita_income_fen", "household_id"]
        verbose_name = "边缘家庭"
        verbose_name_plural = "边缘家庭"
        constraints = [
            models.UniqueConstraint(fields=["month", "household", "band"], name="one_edge_entry_per_month_band"),
        ]
        indexes = [models.Index(fields=["month", "street", "committee"])]


class ExitKind(models.TextChoices):
    INELIGIBLE = "ineligible", "测算不再符合条件"
    NOT_IN_REGISTRY = "not_in_registry", "当月不在测算范围（筛查条件不符或不在人口库家庭中）"
    MOVED_OUT = "moved_out", "迁出本区"


class ExitStatus(models.TextChoices):
    OPEN = "open", "待核实"
    EXITED = "exited", "已终止保障"
    KEPT = "kept", "核实后继续保障"


class ExitReview(models.Model):
    """应退尽退: an enrolment the engine no longer finds eligible, for the street to check."""

    monitor_run = models.ForeignKey(MonitorRun, on_delete=models.PROTECT, related_name="exits")
    decision_run = models.ForeignKey(DecisionRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+", verbose_name="保障记录")
    month = models.CharField("月份", max_length=7)
    program = models.CharField("救助项目", max_length=32)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    kind = models.CharField("原因类别", max_length=16, choices=ExitKind.choices)
    reason_mask = models.BigIntegerField("理由位图", default=0)
    status = models.CharField("状态", max_length=8, choices=ExitStatus.choices, default=ExitStatus.OPEN)
    due_on = models.DateField("核实期限", null=True, blank=True)
    deadline_note = models.CharField("期限说明", max_length=200, blank=True)
    resolution = models.TextField("核实情况", blank=True)
    resolved_on = models.DateField("处理日期", null=True, blank=True)
    resolved_by = models.CharField("处理人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "应退尽退核实"
        verbose_name_plural = "应退尽退核实"
        constraints = [models.UniqueConstraint(fields=["enrolment", "month"], name="one_exit_review_per_month")]
        indexes = [models.Index(fields=["street", "committee", "status"])]


class AutoEnrolmentNotice(models.Model):
    """免申即享告知: the notice that a person was enrolled from the data,
    without an application (one per automatic enrolment)."""

    monitor_run = models.ForeignKey(MonitorRun, on_delete=models.PROTECT, related_name="notices")
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="+", verbose_name="保障记录")
    program = models.CharField("救助项目", max_length=32)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="人员",
                               db_constraint=False)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    start_month = models.CharField("起始月份", max_length=7)
    monthly_amount_fen = models.BigIntegerField("月金额（分）")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        verbose_name = "免申即享告知"
        verbose_name_plural = "免申即享告知"
        indexes = [models.Index(fields=["street", "committee"])]


class TaskKind(models.TextChoices):
    LARGE_MEDICAL_BILL = "large_medical_bill", "大额医疗支出"
    DISABILITY_NEW = "disability_new", "新办残疾人证"
    DISABILITY_CHANGED = "disability_changed", "残疾等级变化"
    EARNER_DEATH = "earner_death", "家庭有收入成员死亡"
    JOB_LOSS = "job_loss", "失业"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待跟进"
    DONE = "done", "已完成"


class FollowUpTask(models.Model):
    """A risk signal from department data (``feeds.FeedEvent``) to follow up
    by the committee's advisor (大数据+铁脚板). One task per event."""

    monitor_run = models.ForeignKey(MonitorRun, on_delete=models.PROTECT, related_name="tasks")
    feed_event_id = models.BigIntegerField("部门数据事件", unique=True)
    kind = models.CharField("风险类型", max_length=24, choices=TaskKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    event_date = models.DateField("事件日期")
    status = models.CharField("状态", max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    due_on = models.DateField("跟进期限", null=True, blank=True)
    deadline_note = models.CharField("期限说明", max_length=200, blank=True)
    first_action_on = models.DateField("首次走访日期", null=True, blank=True)
    escalated = models.BooleanField("已上报街镇", default=False)
    escalated_on = models.DateField("上报日期", null=True, blank=True)
    result = models.TextField("跟进情况", blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.CharField("完成人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "风险跟进任务"
        verbose_name_plural = "风险跟进任务"
        indexes = [models.Index(fields=["street", "committee", "status"]), models.Index(fields=["status", "due_on"])]


class HomeVisitRecord(models.Model):
    """A home visit by an advisor or committee staff (走访), for a lead, a task or a household."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    task = models.ForeignKey(FollowUpTask, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人员", max_length=200)
    findings = models.TextField("走访情况")
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"


class VisitAttachment(models.Model):
    """A photo or document of a home visit (kept; never deleted)."""

    visit = models.ForeignKey(HomeVisitRecord, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to="monitoring/visits/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField("上传人", max_length=150)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class HardshipLabelKind(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", "独居老人"
    SERIOUS_ILLNESS = "serious_illness", "重病患者"
    DISABILITY = "disability", "残疾"
    UNEMPLOYED = "unemployed", "失业"
    SINGLE_PARENT = "single_parent", "单亲家庭"
    CHILD_IN_DIFFICULTY = "child_in_difficulty", "困境儿童"
    EDGE_HOUSEHOLD = "edge_household", "低保边缘"
    SUDDEN_HARDSHIP = "sudden_hardship", "突发困难"
    OTHER = "other", "其他"


class HardshipLabel(models.Model):
    """困难对象标签 set by an advisor on a household (or one member). Removal keeps the row."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    label = models.CharField("标签", max_length=24, choices=HardshipLabelKind.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    added_on = models.DateField("标注日期")
    added_by = models.CharField("标注人", max_length=150)
    removed_on = models.DateField("取消日期", null=True, blank=True)
    removed_by = models.CharField("取消人", max_length=150, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "困难对象标签"
        verbose_name_plural = "困难对象标签"


class ServiceKind(models.TextChoices):
    REFERRAL = "referral", "转介"
    MATERIAL = "material", "物资帮扶"
    TEMPORARY_ASSISTANCE = "temporary_assistance", "临时救助"
    CARE = "care", "心理慰藉与关爱"
    POLICY_ADVICE = "policy_advice", "政策宣传解读"
    APPLICATION_HELP = "application_help", "代办帮办申请"
    OTHER = "other", "其他"


class ServiceRecord(models.Model):
    """A service given to a household (服务类救助): referral, help, advice."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, null=True, blank=True, related_name="services")
    task = models.ForeignKey(FollowUpTask, on_delete=models.PROTECT, null=True, blank=True, related_name="services")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("服务类型", max_length=24, choices=ServiceKind.choices)
    served_on = models.DateField("服务日期")
    provider = models.CharField("服务提供方", max_length=100, blank=True)
    description = models.TextField("服务内容")
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"


class DeathStop(models.Model):
    """A death the monitor run has handled: casework's ``enrolment_stop_for_death``
    was called once for the person (their benefits stop from the month after
    death; overpaid months become an ``OverpaymentCase``)."""

    monitor_run = models.ForeignKey(MonitorRun, on_delete=models.PROTECT, related_name="death_stops")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    death_date = models.DateField("死亡日期")
    overpayment_cases = models.PositiveSmallIntegerField("多发待追缴（件）", default=0)
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "死亡停发"
        verbose_name_plural = "死亡停发"
