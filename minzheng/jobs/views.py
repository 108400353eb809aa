"""Jobs pages: the list (who started what, when, parameters, duration,
outcome), a job's page with a live progress bar (``static/js/job-progress.js``
polls ``status.json``), and retrying a failed job.

Reads through ``selectors`` (a job the user may not see answers 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can
from minzheng.core.web_actions import error_text
from minzheng.jobs import filters, kinds, selectors, services, tables
from minzheng.jobs.models import Job

CRUMBS = (("后台作业", "/jobs/"),)


class JobListView(StaffListView):
    permission = "jobs.view"
    title = "后台作业"
    export_name = "后台作业"
    table_class = tables.JobTable
    filterset_class = filters.JobFilter
    template_name = "jobs/job_list.html"

    def rows(self):
        return selectors.jobs_visible(self.request.user)


job_list = JobListView.as_view()


def _job(request: HttpRequest, pk: int) -> Job:
    try:
        return selectors.job_get(request.user, pk)
    except Job.DoesNotExist as err:
        raise Http404("未找到该作业") from err


def _followed(request: HttpRequest, pk: int) -> Job:
    """``jobs.view`` — or the job is the user's own (``selectors.job_followed``)."""
    try:
        return selectors.job_followed(request.user, pk)
    except Job.DoesNotExist as err:
        raise Http404("未找到该作业") from err


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _followed(request, pk)
    try:
        may_retry = can(request.user, kinds.get(job.kind).permission)
    except KeyError:
        may_retry = False
    return render(request, "jobs/job_detail.html", {
        "job": job, "kind_label": kinds.label(job.kind), "params_text": selectors.describe(job),
        "started_by": services.actor_label(job), "state": selectors.job_state(job),
        "retries": list(job.retries.order_by("id")), "can_retry": may_retry and job.status == "failed",
    })


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(selectors.job_state(_followed(request, pk)), json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        retry = services.job_retry(actor=request.user, job=job)
    except ValidationError as err:
        messages.error(request, error_text(err))
        return redirect("jobs:detail", pk=job.pk)
    messages.success(request, f"已重新开始：作业 {retry.pk}")
    return redirect("jobs:detail", pk=retry.pk)

