"""Jobs endpoint (mounted at /api/v1): a background job's state, for an API
client that started one (e.g. ``POST /payments/batches/run`` answers 202 with
the job's number and this address, ADR 0017).

Scoped like the job's page (``selectors.job_followed``): the user who started
the job, or ``jobs.view`` and the job visible to them; another user's job
outside that answers 404, a role without ``jobs.view`` 403. Every code comes
with its Chinese label (``status_label``, ``kind_label``); ``stage``,
``summary`` and ``error`` are Chinese texts.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from minzheng.core.api import call_service, coded, path_id, responses
from minzheng.jobs import kinds, selectors
from minzheng.jobs.models import Job, JobStatus, JobVia
from minzheng.jobs.services import actor_label

router = Router(tags=["后台作业"])

JobStatusCode = coded(JobStatus.choices, "作业状态")
JobViaCode = coded(JobVia.choices, "运行方式")


class JobResultOut(Schema):
    summary: str = Field(description="结果说明（中文）；未结束或失败时为空")
    page: str = Field(description="作业产物的页面地址（如发放批次、下载、问题清单）；没有时为空")
    page_label: str = Field(description="该链接的文字")


class JobOut(Schema):
    id: int
    kind: str = Field(description="作业类型代码")
    kind_label: str = Field(description="作业类型")
    status: JobStatusCode  # type: ignore[valid-type]
    status_label: str = Field(description="状态：" + "、".join(label for _, label in JobStatus.choices))
    active: bool = Field(description="排队中或运行中")
    via: JobViaCode  # type: ignore[valid-type]
    via_label: str
    params: str = Field(description="参数（中文说明）")
    started_by: str = Field(description="发起人")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    duration: str = Field(description="用时（中文）")
    stage: str = Field(description="当前阶段（中文）")
    done: int | None = Field(description="当前阶段已完成的数量；不计数时为 null")
    total: int | None = Field(description="当前阶段的总数；不计数时为 null")
    percent: int | None = Field(description="完成百分比；不计数时为 null")
    result: JobResultOut
    error: str = Field(description="失败原因（中文）；未失败时为空")
    retry_of: int | None = Field(description="本作业重试的失败作业编号")
    job_page: str = Field(description="作业页面（网页）")


def job_out(job: Job) -> dict:
    """A job as the API answers it (also the body of a 202 that started one)."""
    state = selectors.job_state(job)
    return {
        "id": job.pk, "kind": job.kind, "kind_label": kinds.label(job.kind), "status": job.status,
        "status_label": state["status_label"], "active": state["active"], "via": job.via,
        "via_label": job.get_via_display(), "params": selectors.describe(job), "started_by": actor_label(job),
        "created_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at,
        "duration": state["duration"], "stage": job.stage, "done": job.done, "total": job.total,
        "percent": state["percent"],
        "result": {"summary": job.summary, "page": job.result_url, "page_label": job.result_label},
        "error": job.error, "retry_of": job.retry_of_id, "job_page": f"/jobs/{job.pk}/",
    }


@router.get("/jobs/{job_id}", response=responses(JobOut), operation_id="jobs_job_detail",
            summary="后台作业的状态、进度和结果",
            description="发起人本人，或有“查看后台作业”权限且可见该作业的用户；其他情况返回 403 或 404。"
                        "作业进行中请每隔几秒查询一次，`active` 为 false 时作业已结束。")
def job_detail(request: HttpRequest, job_id: int = path_id("作业编号")) -> dict:
    return job_out(call_service(lambda: selectors.job_followed(request.user, job_id)))
