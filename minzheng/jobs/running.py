"""Running one job: the kind's work with a progress reporter, then its
outcome or its error recorded on the job.

The error users read is Chinese: a broken rule (``ValidationError``) or a
refusal (``PermissionDenied``) says what it says; anything else says that
the run failed and that the details are in the log under the job's number.
The precise error and traceback go to the log (logger ``minzheng.jobs``) and,
for a worker run, to the task's queue row.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from minzheng.jobs import kinds
from minzheng.jobs.kinds import JobFailed, Outcome, Progress
from minzheng.jobs.models import Job, JobStatus

logger = logging.getLogger("minzheng.jobs")


def error_text(job: Job, err: BaseException) -> str:
    if isinstance(err, ValidationError):
        return "；".join(err.messages)
    if isinstance(err, PermissionDenied) and str(err):
        return str(err)
    return (f"{kinds.label(job.kind)}运行出错，未能完成。详细原因已记入系统日志（作业编号 {job.pk}）。"
            "本作业可以重试；如果再次失败，请联系系统管理员。")


def execute(job: Job, progress: Progress) -> Outcome:
    """Run ``job`` (already marked running) and record how it ended; re-raises a failure."""
    kind = kinds.get(job.kind)
    actor = job.started_by if job.started_by_id else job.started_by_name
    try:
        outcome = kind.run(actor, dict(job.params), progress)
    except BaseException as err:
        logger.exception("job %s (%s, %s) failed", job.pk, job.kind, job.params)
        now = timezone.now()
        link = {"result_url": err.url, "result_label": err.link_label} if isinstance(err, JobFailed) else {}
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, finished_at=now, heartbeat_at=now,
                                             error=error_text(job, err), **link)
        raise
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, finished_at=now, heartbeat_at=now, stage="完成", summary=outcome.summary,
        result_url=outcome.url, result_label=outcome.link_label)
    logger.info("job %s (%s) finished: %s", job.pk, job.kind, outcome.summary)
    return outcome
