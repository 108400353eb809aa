"""How long a stored job upload is kept (ADR 0017, "Stored uploads: retention").

A job's upload (an import file: persons with their ID numbers, sealed) is
deleted when its job succeeds. A failed job keeps it so that the job can be
retried — but not for ever: ``MINZHENG_JOB_UPLOAD_RETENTION_DAYS`` (30, in
the settings and nowhere else) after the last failure of the jobs that used
it, ``uploads_purge`` deletes the file. The rule, for each upload still on
the server:

* a queued or running job uses it → kept (whatever its age);
* the jobs that used it have all ended, the last of them longer ago than the
  retention → deleted;
* no job uses it (its job could not be queued, e.g. refused by a lock) and it
  was uploaded longer ago than the retention → deleted.

The row stays as the record (name, size, digest, who uploaded it, when the
file was deleted); each deletion is audited ``job.upload_purge`` in its own
transaction. A retry of a job whose file is gone is refused at once, asking
for the file again (``services.job_retry``). ``minzheng jobs purge-uploads``
runs this daily (docs/deploy.md); ``--dry-run`` lists without deleting.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.jobs.models import ACTIVE, Job, JobUpload

logger = logging.getLogger("minzheng.jobs")
PURGE_ACTOR = "jobs-purge"


@dataclass(frozen=True)
class UploadPurge:
    """One upload due for deletion (or deleted): its jobs and why it is due."""

    upload_id: int
    size_bytes: int
    uploaded_at: dt.datetime
    jobs: tuple[int, ...]
    last_ended_at: dt.datetime | None  # None: no job used it


def retention_days() -> int:
    return int(settings.MINZHENG_JOB_UPLOAD_RETENTION_DAYS)


def _jobs_of(upload: JobUpload) -> list[Job]:
    return list(Job.objects.filter(params__upload=upload.pk).order_by("id"))


def _due(upload: JobUpload, cutoff: dt.datetime) -> UploadPurge | None:
    jobs = _jobs_of(upload)
    if any(job.status in ACTIVE for job in jobs):
        return None
    ended = [job.finished_at or job.created_at for job in jobs]
    last = max(ended) if ended else None
    if (last if last is not None else upload.uploaded_at) >= cutoff:
        return None
    return UploadPurge(upload.pk, upload.size_bytes, upload.uploaded_at, tuple(job.pk for job in jobs), last)


def uploads_due(*, now: dt.datetime | None = None) -> list[UploadPurge]:
    """Uploads still stored whose retention has passed (see the module docstring)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    # an upload younger than the retention cannot have ended its jobs before the cutoff
    candidates = JobUpload.objects.filter(discarded_at__isnull=True, uploaded_at__lt=cutoff).order_by("id")
    return [due for upload in candidates if (due := _due(upload, cutoff)) is not None]


def uploads_purge(*, actor: User | str = PURGE_ACTOR, now: dt.datetime | None = None,
                  dry_run: bool = False) -> list[UploadPurge]:
    """Delete the files of ``uploads_due``; one transaction and one audit entry
    per upload (the row is locked and the rule checked again, so a retry that
    started meanwhile keeps its file). ``dry_run``: only list them."""
    now = now or timezone.now()
    due = uploads_due(now=now)
    if dry_run:
        return due
    cutoff = now - dt.timedelta(days=retention_days())
    purged = []
    for item in due:
        with transaction.atomic():
            upload = JobUpload.objects.select_for_update().filter(pk=item.upload_id, discarded_at__isnull=True).first()
            again = _due(upload, cutoff) if upload is not None else None
            if again is None:
                continue
            upload.file.delete(save=False)
            upload.discarded_at = now
            upload.save(update_fields=["file", "discarded_at"])
            audit_record(actor=actor, action="job.upload_purge", object_type="JobUpload", object_id=upload.pk,
                         changes={"jobs": list(again.jobs), "size_bytes": again.size_bytes,
                                  "last_ended_at": again.last_ended_at.isoformat() if again.last_ended_at else None,
                                  "retention_days": retention_days()})
        logger.info("job upload %s purged (jobs %s)", upload.pk, list(again.jobs))
        purged.append(again)
    return purged
