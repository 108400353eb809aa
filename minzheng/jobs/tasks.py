"""The one task the worker runs: a queued job, by its number (``django_tasks``)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from minzheng.jobs.models import Job, JobStatus
from minzheng.jobs.progress import JobProgress
from minzheng.jobs.running import execute

logger = logging.getLogger("minzheng.jobs")


@task()
def run_job(job_id: int) -> dict[str, object]:
    """Claim the job if it is still queued (a job ended meanwhile — e.g. marked
    interrupted — is skipped), run it and return its outcome for the queue row."""
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, stage="开始运行"):
        logger.warning("job %s is no longer queued; skipped", job_id)
        return {"job": job_id, "skipped": True}
    job = Job.objects.get(pk=job_id)
    outcome = execute(job, JobProgress(job.pk))
    return {"job": job_id, "summary": outcome.summary}
