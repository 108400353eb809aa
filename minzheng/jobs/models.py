"""A job: one long operation started by someone, with its progress and outcome.

The queue row itself is django-tasks-db's ``DBTaskResult`` (``task_id``);
this record is what staff see: kind, who started it and when, parameters,
stage and counts, status, duration, the result summary or the error in
Chinese, and a link to what it produced.

Two runs that must not overlap (the same month's batch or monitoring run)
share a ``lock_key``; a partial unique constraint allows one *active*
(queued or running) job per key, so the database refuses the second start
whatever process or server it comes from (ADR 0017).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobVia(models.TextChoices):
    WORKER = "worker", "后台进程"
    COMMAND = "command", "命令行（同步运行）"
    API = "api", "接口（同步运行）"


class Job(models.Model):
    kind = models.CharField("作业类型", max_length=40)
    params = models.JSONField("参数", default=dict)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    via = models.CharField("运行方式", max_length=10, choices=JobVia.choices, default=JobVia.WORKER)
    lock_key = models.CharField("互斥键", max_length=100, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="发起人")
    started_by_name = models.CharField("发起人账号", max_length=150)
    scope_code = models.CharField("所涉辖区", max_length=12, blank=True)  # "" = the whole district
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    stage = models.CharField("当前阶段", max_length=100, blank=True)
    done = models.PositiveBigIntegerField("已完成", null=True, blank=True)
    total = models.PositiveBigIntegerField("总数", null=True, blank=True)
    summary = models.TextField("结果", blank=True)
    error = models.TextField("错误", blank=True)
    result_url = models.CharField("结果链接", max_length=300, blank=True)
    result_label = models.CharField("结果链接文字", max_length=60, blank=True)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="retries",
                                 verbose_name="重试自")
    task_id = models.CharField("队列编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "后台作业"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at"], name="job_recent_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["lock_key"], condition=Q(status__in=["queued", "running"]) & ~Q(lock_key=""),
                name="job_one_active_per_lock_key",
            ),
        ]

    def __str__(self) -> str:
        return f"作业 {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def duration(self) -> dt.timedelta | None:
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at


def _upload_path(instance: JobUpload, filename: str) -> str:
    # A random name: the uploaded file's own name (which may carry a person's
    # name or ID number) is kept in the row, never in the path or the logs.
    return f"job_uploads/{timezone.now():%Y/%m}/{instance.token}.bin"


class JobUpload(models.Model):
    """A file uploaded for a job (an import): stored sealed before the job is
    queued, since a job's parameters are JSON (ADR 0017). The job refers to it
    by number; the file is removed once the job that used it has succeeded."""

    token = models.CharField("存储编号", max_length=32, unique=True)
    file = models.FileField("文件", upload_to=_upload_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    size_bytes = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    discarded_at = models.DateTimeField("文件删除时间", null=True, blank=True)

    class Meta:
        verbose_name = "作业上传文件"

    def __str__(self) -> str:
        return f"上传文件 {self.pk}"
