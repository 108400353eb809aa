"""Which jobs a user may see, and a job's progress as the page polls it.

A user sees the jobs they started, and the jobs of every kind they may
start themselves (the kind's permission, e.g. ``monitoring.run``); the
auditor (``core.audit_view``) sees every job. A job about part of the
district (``scope_code``) is shown only within that jurisdiction; the
kinds so far are district-wide (``scope_code`` empty). Outside that → 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from minzheng.core.models import User
from minzheng.core.permissions import can, require
from minzheng.core.scope import Scope
from minzheng.jobs import kinds
from minzheng.jobs.models import Job


def jobs_visible(user: User) -> QuerySet[Job]:
    jobs = Job.objects.select_related("started_by")
    if getattr(user, "is_superuser", False) or can(user, "core.audit_view"):
        return jobs.all()
    mine = [k.code for k in kinds.all_kinds() if can(user, k.permission)]
    scope = Scope.of(user)
    in_scope = Q(scope_code="") | Q(scope_code__startswith=scope.code) if scope.code else Q()
    return jobs.filter(Q(started_by=user) | (Q(kind__in=mine) & in_scope))


def job_get(user: User, pk: int) -> Job:
    return jobs_visible(user).get(pk=pk)


def job_followed(user: User, pk: int) -> Job:
    """A job as its page, its status and the API show it: to whoever started
    it (a street clerk who may import follows their own import without
    ``jobs.view``), otherwise ``jobs.view`` is needed (``NotPermitted``, 403)
    and the job must be visible (``jobs_visible``; else ``Job.DoesNotExist``, 404)."""
    if not Job.objects.filter(pk=pk, started_by_id=user.pk).exists():
        require(user, "jobs.view")
    return job_get(user, pk)


def job_percent(job: Job) -> int | None:
    """Share done in whole percent, or None when the job reports no counts."""
    if job.status == "succeeded":
        return 100
    if job.done is None or not job.total:
        return None
    return max(0, min(100, int(job.done * 100 // job.total)))


def duration_text(job: Job) -> str:
    duration = job.duration
    if duration is None:
        return "尚未开始"
    seconds = int(duration.total_seconds())
    if seconds < 60:
        return f"{seconds} 秒"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} 分 {seconds} 秒"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} 小时 {minutes} 分"


def job_state(job: Job) -> dict[str, Any]:
    """What the job page polls (``/jobs/<id>/status.json``): Chinese texts only."""
    return {
        "status": job.status, "status_label": job.get_status_display(), "active": job.is_active,
        "stage": job.stage, "done": job.done, "total": job.total, "percent": job_percent(job),
        "duration": duration_text(job), "summary": job.summary, "error": job.error,
        "result_url": job.result_url, "result_label": job.result_label,
    }


def describe(job: Job) -> str:
    try:
        return kinds.get(job.kind).describe(job.params)
    except KeyError:
        return "—"


def job_started(job: Job) -> dict[str, Any]:
    """What an API endpoint that queues a job answers (HTTP 202): the job's
    number, its state in Chinese and where to follow it (``/api/v1/jobs/<id>``,
    the job's page)."""
    return {"job_id": job.pk, "kind": job.kind, "kind_label": kinds.label(job.kind), "status": job.status,
            "status_label": job.get_status_display(), "status_url": f"/api/v1/jobs/{job.pk}",
            "job_page": f"/jobs/{job.pk}/"}
