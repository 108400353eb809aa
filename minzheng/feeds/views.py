"""Department data pages: sources and templates, upload, file reports,
events, and one record. Thin views over ``selectors`` and ``importing``."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from minzheng.core.bounds import upload_check
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.feeds import selectors, template_files
from minzheng.feeds.catalogue import source_get, sources
from minzheng.feeds.filters import FeedEventFilter, FeedFileFilter, source_choices
from minzheng.feeds.jobs import FEEDS_IMPORT
from minzheng.feeds.models import EventKind, FeedEvent, FeedFile, FeedRecord
from minzheng.feeds.tables import FeedEventTable, FeedFileTable, QuarantinedRowTable
from minzheng.jobs.services import job_start, upload_discard, upload_store

TEMPLATE_TYPES = {
    "xlsx": (template_files.template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (template_files.template_csv, "text/csv; charset=utf-8"),
    "json": (template_files.template_json, "application/json"),
}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, "feeds.view")
    counts = selectors.feed_event_counts(request.user)
    coverage = selectors.source_coverage(request.user)
    files = selectors.feed_file_list(request.user)[:10]
    if selectors.can_see_district_counts(request.user):
        table = FeedFileTable(files, orderable=False, exclude=("duplicate_rows", "in_scope_records"))
    else:
        table = FeedFileTable(files, orderable=False, exclude=FeedFileTable.DISTRICT_COLUMNS)
    return render(request, "feeds/index.html", {
        "sources": [(s, coverage.get(s.code)) for s in selectors.source_list()],
        "source_choices": source_choices(),
        "recent_files": table,
        "event_kinds": [(value, label, counts.get(value, 0)) for value, label in EventKind.choices],
        "can_import": can(request.user, "feeds.import"),
    })


@login_required
def template_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    require(request.user, "feeds.view")
    try:
        source = source_get(code)
        writer, content_type = TEMPLATE_TYPES[fmt]
    except KeyError as err:
        raise Http404("没有这个模板") from err
    response = HttpResponse(writer(source), content_type=content_type)
    # A Chinese file name (RFC 6266 filename*): never the source's code.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{source.name}模板.{fmt}')}"
    return response


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Store the file and queue the import as a background job (ADR 0017); the
    page answers at once with the job's page, which shows progress and links to
    the file's report when done."""
    require(request.user, "feeds.import")
    upload_file = request.FILES.get("file")
    code = request.POST.get("source", "")
    if upload_file is None or code not in sources():
        messages.error(request, "请选择数据来源和要导入的文件")
        return redirect("feeds:index")
    try:
        upload_check(upload_file)  # before reading it
    except ValidationError as err:
        messages.error(request, "；".join(err.messages))
        return redirect("feeds:index")
    stored = upload_store(actor=request.user, name=upload_file.name, content=upload_file.read())
    try:
        job = job_start(actor=request.user, kind=FEEDS_IMPORT.code,
                        params={"source": code, "upload": stored.pk, "complete": request.POST.get("complete") == "1"})
    except ValidationError as err:
        upload_discard(stored)
        messages.error(request, "；".join(err.messages))
        return redirect("feeds:index")
    messages.success(request, f"文件已上传，正在后台校验并导入（作业 {job.pk}），本页显示进度。")
    return redirect("jobs:detail", pk=job.pk)


class FeedFileListView(StaffListView):
    permission = "feeds.view"
    title = "部门数据文件"
    export_name = "部门数据文件"
    table_class = FeedFileTable
    filterset_class = FeedFileFilter
    crumbs = (("部门数据", reverse_lazy("feeds:index")),)

    def rows(self) -> QuerySet[FeedFile]:
        return selectors.feed_file_list(self.request.user)

    def get_table_kwargs(self) -> dict:
        if selectors.can_see_district_counts(self.request.user):
            return {"exclude": ("in_scope_records",)}
        return {"exclude": FeedFileTable.DISTRICT_COLUMNS}


file_list = FeedFileListView.as_view()


@login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "feeds.view")
    try:
        feed_file = selectors.feed_file_get(request.user, pk)
    except FeedFile.DoesNotExist as err:
        raise Http404("未找到该文件") from err
    rows = QuarantinedRowTable(selectors.quarantined_rows(request.user, feed_file))
    RequestConfig(request, paginate={"per_page": 50}).configure(rows)
    return render(request, "feeds/file_detail.html", {
        "file": feed_file, "source": source_get(feed_file.source), "rows": rows,
        "district_level": selectors.can_see_quarantined_rows(request.user),
        "in_scope": selectors.feed_file_records_in_scope(request.user, feed_file),
    })


class FeedEventListView(StaffListView):
    permission = "feeds.view"
    title = "部门数据事件"
    export_name = "部门数据事件"
    table_class = FeedEventTable
    filterset_class = FeedEventFilter
    crumbs = (("部门数据", reverse_lazy("feeds:index")),)

    def rows(self) -> QuerySet[FeedEvent]:
        return selectors.feed_events_visible(self.request.user)


event_list = FeedEventListView.as_view()


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # committee staff open the records their verifications used (selectors.feed_record_get)
    if not can(request.user, "verification.view"):
        require(request.user, "feeds.view")
    try:
        record = selectors.feed_record_get(request.user, pk)
    except FeedRecord.DoesNotExist as err:
        raise Http404("未找到该记录") from err
    source = source_get(record.source)
    fields = [(c.header, c.type, record.data.get(c.field, "")) for c in source.columns if c.field != "id_number"]
    return render(request, "feeds/record_detail.html", {"record": record, "source": source, "fields": fields})
