"""Department data pages: sources and templates, upload, file reports,
events, and one record. Thin views over ``selectors`` and ``importing``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core.file_import import ImportFileError
from minzheng.core.permissions import can, require
from minzheng.feeds import selectors, template_files
from minzheng.feeds.catalogue import source_get, sources
from minzheng.feeds.importing import feed_file_import
from minzheng.feeds.models import EventKind, FeedFile, FeedRecord

TEMPLATE_TYPES = {
    "xlsx": (template_files.template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (template_files.template_csv, "text/csv; charset=utf-8"),
    "json": (template_files.template_json, "application/json"),
}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, "feeds.view")
    return render(request, "feeds/index.html", {
        "sources": selectors.source_list(),
        "files": selectors.feed_file_list(request.user)[:10],
        "event_counts": selectors.feed_event_counts(request.user),
        "event_kinds": EventKind.choices,
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
    response["Content-Disposition"] = f'attachment; filename="feeds_{code}_template.{fmt}"'
    return response


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "feeds.import")
    upload_file = request.FILES.get("file")
    code = request.POST.get("source", "")
    if upload_file is None or code not in sources():
        messages.error(request, "请选择数据来源和要导入的文件")
        return redirect("feeds:index")
    try:
        result = feed_file_import(actor=request.user, source_code=code, filename=upload_file.name,
                                  content=upload_file.file, complete_extract=request.POST.get("complete") == "1")
    except (ImportFileError, ValidationError) as err:
        messages.error(request, "；".join(getattr(err, "messages", [str(err)])))
        return redirect("feeds:index")
    if result.already_imported:
        messages.info(request, "该文件此前已导入，本次未作任何改动")
    else:
        messages.success(request, f"已导入：有效 {result.file.good_rows} 行，错误 {result.file.bad_rows} 行")
    return redirect("feeds:file_detail", pk=result.file.pk)


@login_required
def file_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "feeds.view")
    source = request.GET.get("source", "")
    page = Paginator(selectors.feed_file_list(request.user, source), 30).get_page(request.GET.get("page"))
    return render(request, "feeds/file_list.html", {
        "page": page, "source": source, "sources": selectors.source_list(), "names": _source_names(),
    })


def _source_names() -> dict[str, str]:
    return {code: s.name for code, s in sources().items()}


@login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "feeds.view")
    try:
        feed_file = selectors.feed_file_get(request.user, pk)
    except FeedFile.DoesNotExist as err:
        raise Http404("未找到该文件") from err
    rows = Paginator(selectors.quarantined_rows(request.user, feed_file), 100).get_page(request.GET.get("page"))
    return render(request, "feeds/file_detail.html", {
        "file": feed_file, "source": source_get(feed_file.source), "page": rows,
        "district_level": selectors.can_see_quarantined_rows(request.user),
        "in_scope": selectors.feed_file_records_in_scope(request.user, feed_file),
    })


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "feeds.view")
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.feed_events_visible(request.user, kind), 50).get_page(request.GET.get("page"))
    return render(request, "feeds/event_list.html", {
        "page": page, "kind": kind, "kinds": EventKind.choices, "names": _source_names(),
    })


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
