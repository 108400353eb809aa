"""Starting, retrying and running jobs (ADR 0017).

* :func:`job_start` — from a page: checks the kind's permission and the
  parameters, records the job (refused if a job with the same lock key is
  active), queues it for the worker and audits ``job.start``, all in one
  transaction; the page redirects to the job's page at once.
* :func:`job_retry` — a failed job again, as a new job linked to it
  (``job.retry``); safe because the operations are idempotent.
* :func:`job_run_now` — from the command line: the same record and lock,
  run in this process with a progress reporter.
* :func:`jobs_run_queued` — run what is queued in this process (the test
  suite; the real worker is ``minzheng worker``).

The lock: ``Job.lock_key`` is unique among active jobs (a partial unique
constraint), so the database refuses a second start for the same key — two
requests at the same moment included. A job whose worker died would hold
its key for ever; an active job with no progress for
``MINZHENG_JOB_STALE_MINUTES`` (30) is marked interrupted when the next
start for its key comes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.selectors import SYSTEM_ACTORS
from minzheng.jobs import kinds
from minzheng.jobs.kinds import JobFailed, JobKind, Outcome, Progress
from minzheng.jobs.models import ACTIVE, Job, JobStatus, JobUpload, JobVia
from minzheng.jobs.progress import JobProgress, TerminalProgress, tee
from minzheng.jobs.running import execute
from minzheng.jobs.upload_retention import UploadPurge, retention_days, uploads_due, uploads_purge
from minzheng.jobs.uploads import (
    display_name,
    upload_description,
    upload_discard,
    upload_get,
    upload_open,
    upload_param,
    upload_store,
)


class JobRefused(ValidationError):
    """Another job with the same lock key is queued or running."""


def kind_register(kind: JobKind) -> None:
    """Declare a kind of job (called from an app's ``AppConfig.ready``)."""
    kinds.register(kind)


def actor_label(job: Job) -> str:
    if job.started_by_id and job.started_by is not None:
        return job.started_by.full_name.strip() or job.started_by.username
    return SYSTEM_ACTORS.get(job.started_by_name, "系统任务")


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=getattr(settings, "MINZHENG_JOB_STALE_MINUTES", 30))


def _release_stale(same_work: Q) -> None:
    """Mark active jobs of ``same_work`` (one lock key, or one kind without a
    lock) that have shown no progress for too long as interrupted."""
    cutoff = _stale_before()
    stale = Job.objects.filter(same_work, status__in=ACTIVE).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
    stale.update(status=JobStatus.FAILED, finished_at=timezone.now(),
                 error=f"作业中断：超过{getattr(settings, 'MINZHENG_JOB_STALE_MINUTES', 30)}分钟没有进展"
                       "（后台进程可能已停止或未启动），已自动结束。可以重试。")


def _refusal(kind: JobKind, params: dict[str, Any], key: str) -> JobRefused:
    active = Job.objects.filter(lock_key=key, status__in=ACTIVE).select_related("started_by").first()
    what = kind.lock_label(params)
    if active is None:  # it ended between the refusal and this look-up
        return JobRefused(f"{what}不能同时运行：刚才有一个同样的作业正在进行，请稍后再试。")
    when = timezone.localtime(active.created_at)
    return JobRefused(
        f"{what}不能同时运行：{kinds.label(active.kind)}（作业 {active.pk}，{actor_label(active)}"
        f"于 {when:%H:%M} 发起）{active.get_status_display()}。请等它结束后再试，进度可在该作业的页面查看。")


def _create(*, actor: User | str, kind: JobKind, params: dict[str, Any], via: str, status: str,
            retry_of: Job | None = None) -> Job:
    key = kind.lock_key(params)
    _release_stale(Q(lock_key=key) if key else Q(kind=kind.code, lock_key=""))
    now = timezone.now()
    try:
        with transaction.atomic():
            return Job.objects.create(
                kind=kind.code, params=params, status=status, via=via, lock_key=key,
                started_by=actor if isinstance(actor, User) else None,
                started_by_name=getattr(actor, "username", str(actor)), created_at=now, retry_of=retry_of,
                started_at=now if status == JobStatus.RUNNING else None,
                heartbeat_at=now if status == JobStatus.RUNNING else None)
    except IntegrityError as err:
        raise _refusal(kind, params, key) from err


def _queue(actor: User, kind: JobKind, params: dict[str, Any], *, action: str, retry_of: Job | None) -> Job:
    from minzheng.jobs.tasks import run_job

    with transaction.atomic():
        job = _create(actor=actor, kind=kind, params=params, via=JobVia.WORKER, status=JobStatus.QUEUED,
                      retry_of=retry_of)
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
        changes: dict[str, Any] = {"kind": kind.code, "params": kind.describe(params)}
        if retry_of is not None:
            changes["retry_of"] = retry_of.pk
        audit_record(actor=actor, action=action, object_type="Job", object_id=job.pk, scope_code=job.scope_code,
                     changes=changes)
    return job


def job_start(*, actor: User, kind: str, params: dict[str, Any]) -> Job:
    """Queue a job of ``kind`` (see the module docstring). Raises ``JobRefused``
    (a ``ValidationError`` in Chinese) when the same work is already active."""
    job_kind = kinds.get(kind)
    require(actor, job_kind.permission)
    return _queue(actor, job_kind, job_kind.clean(params), action="job.start", retry_of=None)


def job_retry(*, actor: User, job: Job) -> Job:
    """Run a failed job again with the same parameters, as a new job."""
    job_kind = kinds.get(job.kind)
    require(actor, job_kind.permission)
    if job.status != JobStatus.FAILED:
        raise ValidationError("只有失败的作业可以重试")
    _require_upload_kept(job)
    return _queue(actor, job_kind, job_kind.clean(dict(job.params)), action="job.retry", retry_of=job)


def _require_upload_kept(job: Job) -> None:
    """A job that read an upload can be retried only while the file is stored
    (it is deleted ``MINZHENG_JOB_UPLOAD_RETENTION_DAYS`` after the failure)."""
    if "upload" not in job.params:
        return
    upload = JobUpload.objects.filter(pk=upload_param(job.params)).first()
    if upload is None or upload.discarded_at is not None:
        when = f"已于{timezone.localtime(upload.discarded_at):%Y年%m月%d日}" if upload and upload.discarded_at else "已"
        raise ValidationError(f"该作业上传的文件{when}删除（失败作业的文件保留{retention_days()}天），"
                              "不能重试，请重新上传文件。")


def job_run_now(*, actor: User | str, kind: str, params: dict[str, Any], progress: Progress | None = None,
                via: str = JobVia.COMMAND) -> tuple[Job, Outcome]:
    """Run a job in this process (the command line; the API's synchronous
    call): recorded and locked like a queued job, audited ``job.start``,
    progress to the record and to ``progress``."""
    job_kind = kinds.get(kind)
    require(actor, job_kind.permission, allow_job=True)
    params = job_kind.clean(params)
    with transaction.atomic():
        job = _create(actor=actor, kind=job_kind, params=params, via=via, status=JobStatus.RUNNING)
        audit_record(actor=actor, action="job.start", object_type="Job", object_id=job.pk,
                     changes={"kind": job_kind.code, "params": job_kind.describe(params)})
    return job, execute(job, tee(JobProgress(job.pk), progress))


def jobs_run_queued(*, max_jobs: int | None = None) -> int:
    """Run the queued tasks in this process, one after another, as the worker
    would (django-tasks-db's worker loop, without its signal handling and sleeps).
    Returns how many ran. For the test suite and one-off use."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=max_jobs, worker_id="in-process", excluded_queue_names=[])
    ran = 0
    while max_jobs is None or ran < max_jobs:
        with transaction.atomic():
            task_result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if task_result is None:
                break
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
    return ran


__all__ = ["JobFailed", "JobKind", "JobProgress", "JobRefused", "Outcome", "Progress", "TerminalProgress", "actor_label", "job_retry", "job_run_now", "job_start",
           "jobs_run_queued", "kind_register", "display_name", "upload_discard", "upload_get", "upload_open", "upload_description", "upload_param",
           "upload_store", "UploadPurge", "retention_days", "uploads_due", "uploads_purge"]
