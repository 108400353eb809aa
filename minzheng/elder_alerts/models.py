"""一键通和居家安全监测 (issue 16; decisions: docs/adr/0033-emergency-calls-and-sensor-alerts.md).

The seed's 养老服务 chapter: "一键通" emergency-call devices for every elder, and
for elders living alone (独居) smart water meters (智能水表) and gas alarms
(燃气报警器). The records:

* :class:`CallDevice` — a 一键通 terminal of one elder (a registry person);
  :class:`Call` — one call from the call centre's feed (time, kind, dispatch,
  arrival, resolution); :class:`CallThreshold` — per call kind, how many minutes
  until a responder should be there (data: the overdue list).
* :class:`SensorDevice` — a water meter or a gas alarm of one elder;
  :class:`SensorReading` — one reading or alarm event from the feed, unique per
  device and time (a feed imported twice changes nothing).
* :class:`AlertRule` — the rules as data (gas alarm, no water use for N daytime
  hours, device offline), each with its Chinese label, thresholds and response
  deadline; :class:`Alert` — what a scan found, unique per rule + device +
  window (in the database); :class:`AlertTask` — the visit (or maintenance) task
  it opens for the elder's committee, with its deadline and outcome.

Devices and calls are scoped by the elder's current committee (``person``);
a task keeps the committee it was opened for.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class DeviceStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    STOPPED = "stopped", "停用"
    FAULTY = "faulty", "故障"


class CallDevice(models.Model):
    """A 一键通 terminal installed for one elder."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="老人")
    number = models.CharField("终端编号", max_length=32, unique=True)
    installed_on = models.DateField("安装日期")
    status = models.CharField("状态", max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.IN_USE)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "一键通终端"
        verbose_name_plural = "一键通终端"
        constraints = [models.CheckConstraint(condition=Q(status__in=[s.value for s in DeviceStatus]),
                                              name="elder_call_device_status_known")]

    def __str__(self) -> str:
        return self.number


class CallKind(models.TextChoices):
    EMERGENCY = "emergency", "紧急求助"
    MEDICAL = "medical", "医疗"
    CONSULT = "consult", "咨询"
    CHAT = "chat", "聊天"


class Responder(models.TextChoices):
    FAMILY = "family", "家属"
    COMMITTEE = "committee", "居委"
    AMBULANCE = "ambulance", "120"


class Call(models.Model):
    """One call of the call centre's feed, unique per device and time.
    Response time = ``arrived_at − called_at`` (ADR 0033)."""

    device = models.ForeignKey(CallDevice, on_delete=models.PROTECT, related_name="calls", verbose_name="终端")
    called_at = models.DateTimeField("呼叫时间")
    kind = models.CharField("呼叫类型", max_length=16, choices=CallKind.choices)
    responder = models.CharField("派单对象", max_length=16, choices=Responder.choices, blank=True)
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    arrived_at = models.DateTimeField("到达时间", null=True, blank=True)
    resolved_at = models.DateTimeField("处置完成时间", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-called_at"]
        verbose_name = "一键通呼叫"
        verbose_name_plural = "一键通呼叫"
        constraints = [
            models.UniqueConstraint(fields=["device", "called_at"], name="elder_call_unique_device_time"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in CallKind]), name="elder_call_kind_known"),
            models.CheckConstraint(condition=Q(arrived_at__isnull=True) | Q(arrived_at__gte=models.F("called_at")),
                                   name="elder_call_arrival_after_call"),
        ]

    @property
    def response_minutes(self) -> float | None:
        if self.arrived_at is None:
            return None
        return (self.arrived_at - self.called_at).total_seconds() / 60


class CallThreshold(models.Model):
    """Per call kind: the minutes within which a responder should arrive
    (``None``: no visit expected, e.g. 咨询, 聊天). Data, editable; ADR 0033."""

    kind = models.CharField("呼叫类型", max_length=16, choices=CallKind.choices, unique=True)
    arrive_within_minutes = models.PositiveIntegerField("应到达时限（分钟）", null=True, blank=True)
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = "呼叫响应时限"
        verbose_name_plural = "呼叫响应时限"


class SensorKind(models.TextChoices):
    WATER_METER = "water_meter", "智能水表"
    GAS_ALARM = "gas_alarm", "燃气报警器"


class SensorDevice(models.Model):
    """A smart water meter or gas alarm at an elder's home. ``quiet_hours``: this
    elder's N for the no-water rule (empty: the rule's default)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="老人")
    kind = models.CharField("设备类型", max_length=16, choices=SensorKind.choices)
    number = models.CharField("设备编号", max_length=32, unique=True)
    installed_on = models.DateField("安装日期")
    status = models.CharField("状态", max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.IN_USE)
    quiet_hours = models.PositiveSmallIntegerField("无用水提醒时长（白天小时）", null=True, blank=True,
                                                   help_text="为空时按规则的默认时长")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "居家安全监测设备"
        verbose_name_plural = "居家安全监测设备"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in SensorKind]),
                                   name="elder_sensor_kind_known"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in DeviceStatus]),
                                   name="elder_sensor_status_known"),
            models.CheckConstraint(condition=Q(quiet_hours__isnull=True) | Q(quiet_hours__gte=1),
                                   name="elder_sensor_quiet_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class SensorReading(models.Model):
    """One reading of the feed: a water meter's litres used since its previous
    reading (``litres``), or a gas alarm's heartbeat (``alarm`` false) or alarm
    (``alarm`` true). Unique per device and time (ADR 0033)."""

    device = models.ForeignKey(SensorDevice, on_delete=models.CASCADE, related_name="readings",
                               verbose_name="设备")
    at = models.DateTimeField("时间")
    litres = models.BigIntegerField("用水量（升）", null=True, blank=True)
    alarm = models.BooleanField("报警", default=False)

    class Meta:
        verbose_name = "监测数据"
        verbose_name_plural = "监测数据"
        constraints = [models.UniqueConstraint(fields=["device", "at"], name="elder_reading_unique_device_time")]


class RuleCode(models.TextChoices):
    GAS_ALARM = "gas_alarm", "燃气报警"
    WATER_QUIET = "water_quiet", "白天长时间无用水"
    DEVICE_OFFLINE = "device_offline", "设备离线"


class TaskKind(models.TextChoices):
    VISIT = "visit", "上门查看"
    MAINTENANCE = "maintenance", "设备维护"


class AlertRule(models.Model):
    """A rule as data (seeded by migration 0002, edited by the bureau).

    * ``hours``: the water rule's default N (daytime hours without use), the
      offline rule's hours without any reading; unused by the gas rule.
    * ``day_start``/``day_end``: what counts as daytime for the water rule
      (only the daytime part of a quiet spell counts; ADR 0033).
    * ``response_minutes``: the task's deadline after the alert.
    """

    code = models.CharField("规则", max_length=32, choices=RuleCode.choices, unique=True)
    label = models.CharField("名称", max_length=100)
    enabled = models.BooleanField("启用", default=True)
    hours = models.PositiveSmallIntegerField("时长（小时）", null=True, blank=True)
    day_start = models.TimeField("白天开始", null=True, blank=True)
    day_end = models.TimeField("白天结束", null=True, blank=True)
    response_minutes = models.PositiveIntegerField("处置时限（分钟）")
    task_kind = models.CharField("任务类型", max_length=16, choices=TaskKind.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "提醒规则"
        verbose_name_plural = "提醒规则"
        constraints = [
            models.CheckConstraint(condition=Q(day_start__isnull=True) | Q(day_end__isnull=True)
                                   | Q(day_start__lt=models.F("day_end")), name="elder_rule_day_in_order"),
            models.CheckConstraint(condition=Q(response_minutes__gte=1), name="elder_rule_response_positive"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def response_text(self) -> str:
        m = self.response_minutes
        return f"{m // 60}小时" if m % 60 == 0 and m >= 60 else f"{m}分钟"


class Alert(models.Model):
    """What a scan found: one per rule + device + window (``window_start``: the
    alarm's time, the last water use, the last reading before the silence) —
    enforced by the database, so a second scan creates nothing."""

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts", verbose_name="规则")
    device = models.ForeignKey(SensorDevice, on_delete=models.PROTECT, related_name="alerts", verbose_name="设备")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="老人")
    window_start = models.DateTimeField("起始时间")
    triggered_at = models.DateTimeField("触发时间")
    detail = models.CharField("说明", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-triggered_at"]
        verbose_name = "居家安全提醒"
        verbose_name_plural = "居家安全提醒"
        constraints = [models.UniqueConstraint(fields=["rule", "device", "window_start"],
                                               name="elder_alert_unique_rule_device_window")]


class TaskStatus(models.TextChoices):
    OPEN = "open", "待处置"
    CLOSED = "closed", "已办结"


class Outcome(models.TextChoices):
    SAFE = "safe", "平安"
    NEEDED_HELP = "needed_help", "需要帮助"
    HOSPITAL = "hospital", "送医"
    FALSE_ALARM = "false_alarm", "误报"
    REPAIRED = "repaired", "设备已修复"


VISIT_OUTCOMES = (Outcome.SAFE, Outcome.NEEDED_HELP, Outcome.HOSPITAL, Outcome.FALSE_ALARM)


class AlertTask(models.Model):
    """The task an alert opens for the elder's committee: a visit (gas, water)
    or a maintenance task (offline device); due ``response_minutes`` after the
    alert was triggered; closed with an outcome (误报 needs its cause)."""

    alert = models.OneToOneField(Alert, on_delete=models.PROTECT, related_name="task", verbose_name="提醒")
    kind = models.CharField("任务类型", max_length=16, choices=TaskKind.choices)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    due_at = models.DateTimeField("处置期限")
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    outcome = models.CharField("处置结果", max_length=16, choices=Outcome.choices, blank=True)
    cause = models.CharField("误报原因", max_length=200, blank=True)
    note = models.CharField("情况说明", max_length=500, blank=True)
    visited_at = models.DateTimeField("到场时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.CharField("办结人", max_length=150, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = "提醒处置任务"
        verbose_name_plural = "提醒处置任务"
        constraints = [
            models.CheckConstraint(condition=Q(status=TaskStatus.OPEN, outcome="")
                                   | Q(status=TaskStatus.CLOSED) & ~Q(outcome=""), name="elder_task_outcome_when_closed"),
            models.CheckConstraint(condition=~Q(outcome=Outcome.FALSE_ALARM) | ~Q(cause=""),
                                   name="elder_task_false_alarm_has_cause"),
        ]

    def is_overdue(self, now: dt.datetime) -> bool:
        if self.status == TaskStatus.OPEN:
            return now > self.due_at
        return self.visited_at is not None and self.visited_at > self.due_at


class FeedKind(models.TextChoices):
    CALLS = "calls", "一键通呼叫记录"
    SENSORS = "sensors", "监测设备数据"


class FeedImport(models.Model):
    """One feed file imported: counts, and the quarantined rows with row number
    and reason (``problems``); the good rows are kept, a row already present
    (same device and time) changes nothing."""

    kind = models.CharField("数据类型", max_length=16, choices=FeedKind.choices)
    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件摘要", max_length=64)
    actor = models.CharField("导入人", max_length=150)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    imported_rows = models.PositiveIntegerField("新增", default=0)
    updated_rows = models.PositiveIntegerField("补充", default=0)
    unchanged_rows = models.PositiveIntegerField("已有（未变）", default=0)
    rejected_rows = models.PositiveIntegerField("隔离", default=0)
    problems = models.JSONField("问题行", default=list)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "数据导入记录"
        verbose_name_plural = "数据导入记录"
