"""未成年人保护: protection stations, the district office, cases (ADR 0036).

The seed (2023 summary (二)三): "认真履行本区未成年人保护委员会办公室职责，在全区
未保工作站实现街镇全覆盖的基础上，进一步推进提质增能 … 出台《松江区未成年人特别
保护工作细则》 … 严格落实未成年人安全保护突发事件应急处置机制。2023年共上报
未成年人意外事件16起 … 确定特殊未成年人15人，为其中6人建立了“一人一方案”，
开展个案协调工作"; 2024 points: "落实检察官兼任未保站副主任".

The law: 未成年人保护法 (2020修订) 第八十一条 — 乡镇人民政府和街道办事处应当设立
未成年人保护工作站或者指定专门人员; 第十一条 — 发现未成年人受到侵害、面临危险
的强制报告; 第九十二条、第九十三条 — 民政部门的临时监护.

Who sees a case: only the staff assigned to it (:class:`CaseAssignment`) and the
members of the district protection office (:class:`OfficeMember`, kept by a
bureau user with ``minors.office_manage``); nobody else, whatever their role
or jurisdiction (ADR 0036 § access). Every view is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class Station(models.Model):
    """A street's or town's 未成年人保护工作站 (one per street: 法 第八十一条;
    the seed: 街镇全覆盖, 17个街镇未成年人保护工作站)."""

    street = models.OneToOneField(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    name = models.CharField("名称", max_length=80)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    established_on = models.DateField("设立日期", null=True, blank=True)
    active = models.BooleanField("运行中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["street_id"]
        verbose_name = "未成年人保护工作站"
        verbose_name_plural = "未成年人保护工作站"

    def __str__(self) -> str:
        return self.name


class StaffPosition(models.TextChoices):
    HEAD = "head", "站长"
    DEPUTY_PROSECUTOR = "deputy_prosecutor", "副站长（检察官兼任）"
    DEPUTY = "deputy", "副站长"
    WORKER = "worker", "专职工作人员"
    SOCIAL_WORKER = "social_worker", "社工"


class StationStaff(models.Model):
    """A station's staff member: a staff account (may be assigned cases) or a
    named person without one (the prosecutor serving as deputy head, 2024 points)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="staff", verbose_name="工作站")
    name = models.CharField("姓名", max_length=64)
    position = models.CharField("职务", max_length=20, choices=StaffPosition.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="工作人员账号")
    phone = models.CharField("联系电话", max_length=32, blank=True)
    active = models.BooleanField("在岗", default=True)
    joined_on = models.DateField("到岗日期")
    left_on = models.DateField("离岗日期", null=True, blank=True)

    class Meta:
        ordering = ["station_id", "position", "name"]
        verbose_name = "工作站工作人员"
        verbose_name_plural = "工作站工作人员"
        constraints = [
            models.UniqueConstraint(fields=["station", "user"], condition=Q(user__isnull=False, active=True),
                                    name="minors_staff_once_per_station"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_position_display()}）"


class OfficeMember(models.Model):
    """A member of the district protection office (区未成年人保护委员会办公室, set up in
    the bureau): sees every case. Ended, never deleted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="工作人员账号")
    added_by = models.CharField("添加人", max_length=150)
    added_at = models.DateTimeField("添加时间", auto_now_add=True)
    ended_at = models.DateTimeField("移出时间", null=True, blank=True)
    ended_by = models.CharField("移出人", max_length=150, blank=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name = "区未保办成员"
        verbose_name_plural = "区未保办成员"
        constraints = [models.UniqueConstraint(fields=["user"], condition=Q(ended_at__isnull=True),
                                               name="minors_office_member_once")]


class ConcernKind(models.Model):
    """A kind of concern reported (家庭暴力, 监护缺失 …): data, seeded and kept by
    the bureau. ``mandatory_report`` marks the situations of 强制报告 (法 第十一条)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    label = models.CharField("情形", max_length=40, unique=True)
    mandatory_report = models.BooleanField("强制报告情形", default=False)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "个案情形"
        verbose_name_plural = "个案情形"

    def __str__(self) -> str:
        return self.label


class Urgency(models.TextChoices):
    URGENT = "urgent", "紧急"
    HIGH = "high", "较急"
    NORMAL = "normal", "一般"


class AssessmentDeadline(models.Model):
    """How long after the report the assessment is due, per urgency. Neither the
    seed nor REFERENCE gives a time: the numbers are the bureau's own working
    setting (``bureau_setting``), shown as such and never as law (ADR 0036)."""

    urgency = models.CharField("紧急程度", max_length=8, choices=Urgency.choices, unique=True)
    hours = models.PositiveIntegerField("评估时限（小时）")
    basis = models.CharField("依据", max_length=300)
    bureau_setting = models.BooleanField("本局工作设定（非法定时限）", default=True)
    updated_by = models.CharField("修改人", max_length=150, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["hours"]
        verbose_name = "评估时限"
        verbose_name_plural = "评估时限"
        constraints = [models.CheckConstraint(condition=Q(hours__gte=1) & Q(hours__lte=720),
                                              name="minors_deadline_hours_range")]


class ReporterKind(models.TextChoices):
    COMMITTEE = "committee", "居村委工作人员"
    SCHOOL = "school", "学校或幼儿园"
    MEDICAL = "medical", "医疗机构"
    POLICE = "police", "公安机关"
    FAMILY = "family", "家长或亲属"
    CHILD = "child", "未成年人本人"
    PUBLIC = "public", "邻居或群众"
    HOTLINE = "hotline", "热线（12345等）"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    REPORTED = "reported", "已接报（待评估）"
    ASSESSED = "assessed", "已评估（干预中）"
    CLOSED = "closed", "已结案"


class RiskLevel(models.TextChoices):
    HIGH = "high", "高风险"
    MEDIUM = "medium", "中风险"
    LOW = "low", "低风险"


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", "风险已消除"
    GUARDIANSHIP = "guardianship", "监护已落实或已安置"
    JUDICIAL = "judicial", "已移交司法机关处理"
    ADULT = "adult", "已满十八周岁"
    MOVED = "moved", "迁出本区（已移交当地）"
    DIED = "died", "死亡"
    UNFOUNDED = "unfounded", "经评估情况不属实"
    OTHER = "other", "其他"


class Case(models.Model):
    """One child's protection case: report → assessment → measures → closure.
    ``street``/``committee`` are the child's at the report; ``assessment_due_at``
    = reported + the urgency's hours in force at the report (``deadline_hours``)."""

    number = models.CharField("个案编号", max_length=16, unique=True)
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="未成年人")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
                                verbose_name="工作站")
    reported_at = models.DateTimeField("接报时间")
    reporter_kind = models.CharField("报告人类别", max_length=12, choices=ReporterKind.choices)
    reporter_name = models.CharField("报告人或单位", max_length=100, blank=True)
    description = models.TextField("反映情况")
    kinds = models.ManyToManyField(ConcernKind, related_name="cases", verbose_name="情形")
    urgency = models.CharField("紧急程度", max_length=8, choices=Urgency.choices)
    deadline_hours = models.PositiveIntegerField("评估时限（小时）")
    assessment_due_at = models.DateTimeField("评估期限", db_index=True)
    special_protection = models.BooleanField("特别保护", default=False)
    special_reason = models.CharField("特别保护理由", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.REPORTED)
    assessed_at = models.DateTimeField("评估时间", null=True, blank=True)
    assessed_by = models.CharField("评估人", max_length=150, blank=True)
    risk_level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices, blank=True)
    assessment = models.TextField("评估意见", blank=True)
    plan = models.TextField("一人一方案", blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    close_reason = models.CharField("结案原因", max_length=14, choices=CloseReason.choices, blank=True)
    close_note = models.CharField("结案说明", max_length=300, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = "未成年人保护个案"
        verbose_name_plural = "未成年人保护个案"
        indexes = [models.Index(fields=["street", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_on__isnull=False, assessed_at__isnull=False)
                                   & ~Q(close_reason=""), name="minors_case_closed_has_reason"),
            models.CheckConstraint(condition=Q(status="reported") | Q(assessed_at__isnull=False),
                                   name="minors_case_assessed_has_time"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseAssignment(models.Model):
    """A staff account assigned to a case (主办 or 协办): it may see and work the
    case while the assignment lasts."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments", verbose_name="个案")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="工作人员")
    lead = models.BooleanField("主办", default=False)
    assigned_by = models.CharField("指派人", max_length=150)
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-lead", "assigned_at", "id"]
        verbose_name = "个案指派"
        verbose_name_plural = "个案指派"
        constraints = [models.UniqueConstraint(fields=["case", "user"], condition=Q(ended_at__isnull=True),
                                               name="minors_assignment_once")]


class MeasureKind(models.TextChoices):
    FAMILY_VISIT = "family_visit", "家访"
    POLICE = "police", "转介公安机关"
    EDUCATION = "education", "转介教育部门"
    COURT = "court", "转介法院或检察院"
    MEDICAL = "medical", "医疗救治"
    SHELTER = "shelter", "临时庇护（临时监护）"
    COUNSELLING = "counselling", "心理疏导"
    GUARDIANSHIP = "guardianship", "监护指导"
    OTHER = "other", "其他"


# Referrals to another body: the receiving body (``agency``) must be named.
REFERRALS = frozenset({MeasureKind.POLICE, MeasureKind.EDUCATION, MeasureKind.COURT, MeasureKind.MEDICAL,
                       MeasureKind.SHELTER})


class Measure(models.Model):
    """One measure taken on a case (a family visit, a referral …), with its
    date, and its outcome once known."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures", verbose_name="个案")
    kind = models.CharField("措施", max_length=14, choices=MeasureKind.choices)
    taken_on = models.DateField("日期")
    agency = models.CharField("接收单位", max_length=100, blank=True)
    detail = models.TextField("具体情况")
    outcome = models.TextField("结果", blank=True)
    outcome_on = models.DateField("结果日期", null=True, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = "干预措施"
        verbose_name_plural = "干预措施"
        constraints = [models.CheckConstraint(condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("taken_on")),
                                              name="minors_measure_outcome_after")]

    @property
    def done(self) -> bool:
        return self.outcome_on is not None
