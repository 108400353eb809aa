"""Registry pages: the home page (the registry overview), person search and
detail, households, duplicates, import.

Thin views: reads through ``selectors`` (scoped), writes through ``services``.
A record outside the user's scope answers 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core.bounds import day_parse, max_upload_bytes
from minzheng.core.file_import import Problem
from minzheng.core.lists import BoundedPaginator, StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.spreadsheets import SafeCsvWriter
from minzheng.jobs.services import job_start, upload_discard, upload_store
from minzheng.registry import declaration_form, importing, selectors, services
from minzheng.registry.filters import HouseholdFilter, PersonFilter
from minzheng.registry.jobs import REGISTRY_IMPORT
from minzheng.registry.models import CARE_LEVELS, Household, ImportRun, Person
from minzheng.registry.tables import HouseholdTable, PersonTable
from minzheng.registry.templatetags.registry_labels import household_head


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/home.html", {"counts": selectors.registry_counts(request.user)})


class PersonListView(StaffListView):
    """人员查询: search by name, pinyin, initials or ID number, with filters and export."""

    permission = "registry.view"
    title = "人员查询"
    export_name = "人员清单"
    table_class = PersonTable
    filterset_class = PersonFilter
    template_name = "registry/person_list.html"
    # a surname matches hundreds of thousands of persons: count up to a bound (ADR 0020)
    table_pagination = {"paginator_class": BoundedPaginator}

    def rows(self) -> QuerySet[Person]:
        return selectors.person_search(self.request.user)


person_list = PersonListView.as_view()


def _person_or_404(request: HttpRequest, pk: int) -> Person:
    try:
        return selectors.person_get(request.user, pk)
    except Person.DoesNotExist as err:
        raise Http404("未找到该人员") from err


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    return render(request, "registry/person_detail.html", {
        "person": person,
        "membership": selectors.person_current_membership(person),
        "disabilities": selectors.person_disabilities(person),
        "history": selectors.person_household_history(person),
        "can_reveal": can(request.user, "registry.reveal_id_number"),
        "income": selectors.income_in_force(person, dt.date.today()),
        "income_history": selectors.person_income_history(person)[:24],
        "merges": selectors.person_merges(person),
        "can_merge": can(request.user, "registry.merge"),
        "marital_statuses": selectors.marital_status_history(person),
        "care_assessments": selectors.care_assessment_history(person)[:24],
        "care_levels": CARE_LEVELS,
        "can_write": can(request.user, "registry.write"),
    })


@login_required
@require_POST
def person_care_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """登记照护需求评估 from the person page (``services.care_assessment_record``)."""
    require(request.user, "registry.write")
    person = _person_or_404(request, pk)
    try:
        level = request.POST.get("level", "")
        if not level.isdigit():
            raise ValidationError("请选择照护等级（1至6级）")
        assessed_on = day_parse(request.POST.get("assessed_on", ""), "评估日期")
        assessment = services.care_assessment_record(
            actor=request.user, person=person, level=int(level), assessed_on=assessed_on,
            assessor_org=request.POST.get("assessor_org", ""))
        messages.success(request, f"已登记照护需求评估：{assessment}")
    except ValidationError as err:
        messages.error(request, "；".join(getattr(err, "messages", [str(err)])))
    return redirect("registry:person_detail", pk=person.pk)


@login_required
@require_POST
def person_unmerge(request: HttpRequest, pk: int, merge_id: int) -> HttpResponse:
    """撤销合并 from the kept record's page (``services.person_unmerge``)."""
    require(request.user, "registry.merge")
    person = _person_or_404(request, pk)
    merge = selectors.person_merges(person).filter(pk=merge_id).first()
    if merge is None:
        raise Http404("未找到该合并记录")
    try:
        duplicate = services.person_unmerge(actor=request.user, merge=merge, reason=request.POST.get("reason", ""))
        messages.success(request, f"已撤销合并：{duplicate.name}（{duplicate.id_number_masked}）恢复为单独的记录")
    except ValidationError as err:
        messages.error(request, "；".join(getattr(err, "messages", [str(err)])))
    return redirect("registry:person_detail", pk=person.pk)


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "registry.reveal_id_number")
    person = _person_or_404(request, pk)
    number = services.person_reveal_id_number(actor=request.user, person=person, purpose="工作人员查看")
    return HttpResponse(f'<span class="id-full">{number}</span>')


class HouseholdListView(StaffListView):
    permission = "registry.view"
    title = "共同生活家庭"
    export_name = "家庭清单"
    table_class = HouseholdTable
    filterset_class = HouseholdFilter
    template_name = "registry/household_list.html"

    def rows(self) -> QuerySet[Household]:
        return selectors.prefetch_heads(selectors.household_list(self.request.user))


household_list = HouseholdListView.as_view()


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        household = selectors.household_get(request.user, pk)
    except Household.DoesNotExist as err:
        raise Http404("未找到该家庭") from err
    today = dt.date.today()
    members = list(selectors.household_members(household))
    return render(request, "registry/household_detail.html", {
        "household": household, "head": household_head(household), "members": members,
        "member_rows": [(m, selectors.income_in_force(m.person, today)) for m in members],
        "history": selectors.household_history(household),
        "assets": selectors.assets_in_force(household, today),
        "asset_history": selectors.household_asset_history(household)[:24],
        "can_declare": can(request.user, "registry.write"),
        "moves": household.moves.select_related("from_committee", "to_committee").order_by("-moved_on"),
    })


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/duplicates.html", {
        "groups": selectors.duplicate_candidates(request.user), "can_write": can(request.user, "registry.merge"),
    })


@login_required
@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    require(request.user, "registry.merge")
    try:
        keep = selectors.person_get(request.user, int(request.POST["keep"]))
        duplicate = selectors.person_get(request.user, int(request.POST["duplicate"]))
    except (KeyError, ValueError, Person.DoesNotExist) as err:
        raise Http404("未找到要合并的人员") from err
    try:
        services.person_merge(actor=request.user, keep=keep, duplicate=duplicate,
                              reason=request.POST.get("reason", ""))
        messages.success(request, f"已将 {duplicate.name}（{duplicate.id_number_masked}）合并到 {keep.name}（{keep.id_number_masked}）")
    except ValidationError as err:
        messages.error(request, "；".join(getattr(err, "messages", [str(err)])))
    return redirect("registry:duplicates")


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is stored (sealed) and a background job validates and
    imports it (ADR 0017); the page answers at once with the job's page."""
    context: dict = {"columns": importing.COLUMNS, "can_write": can(request.user, "registry.import")}
    if request.method == "POST":
        require(request.user, "registry.import")
        upload = request.FILES.get("file")
        if upload is None:
            context["file_error"] = "请选择要导入的文件"
        elif upload.size > max_upload_bytes():  # checked before reading it
            context["file_error"] = f"文件过大：不能超过 {max_upload_bytes() // (1024 * 1024)} MB"
        elif Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            context["file_error"] = "只支持 .csv 或 .xlsx 文件"
        else:
            skip_bad = request.POST.get("skip_bad") == "1"
            stored = upload_store(actor=request.user, name=upload.name, content=upload.read())
            try:
                job = job_start(actor=request.user, kind=REGISTRY_IMPORT.code,
                                params={"upload": stored.pk, "skip_bad": skip_bad})
            except ValidationError as err:
                upload_discard(stored)
                context["file_error"] = "；".join(err.messages)
            else:
                messages.success(request, f"文件已上传，正在后台校验并导入（作业 {job.pk}），本页显示进度。")
                return redirect("jobs:detail", pk=job.pk)
    return render(request, "registry/import.html", context)


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's result: counts and every problem (row, column, Chinese reason)."""
    require(request.user, "registry.import")
    try:
        run = selectors.import_run_get(request.user, pk)
    except ImportRun.DoesNotExist as err:
        raise Http404("未找到该导入记录") from err
    return render(request, "registry/import_run.html", {
        "run": run, "problems": [Problem(**p) for p in run.problems],
        "rejected_total": run.rejected_rows, "committed": run.mode == "skip_bad" or not run.rejected_rows,
    })


@login_required
def import_run_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's rejected rows with their reasons, as CSV (UTF-8 with BOM, for Excel)."""
    require(request.user, "registry.import")
    try:
        run = selectors.import_run_get(request.user, pk)
    except ImportRun.DoesNotExist as err:
        raise Http404("未找到该导入记录") from err
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(["行号", "列", "问题"])
    for p in run.problems:
        writer.writerow([p["row"], p["column"], p["message"]])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'导入错误行清单{run.pk}.csv')}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            importing.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("模板格式只有 csv 和 xlsx")
    # The file name a person sees is Chinese (RFC 6266 filename*), never a project name.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'人员和家庭导入模板.{fmt}')}"
    return response


@login_required
def household_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """申报收入和财产: the household's own figures, e.g. at intake or when it reports a change."""
    require(request.user, "registry.write")
    try:
        household = selectors.household_get(request.user, pk)
    except Household.DoesNotExist as err:
        raise Http404("未找到该家庭") from err
    members = list(selectors.household_members(household))
    errors: dict[str, str] = {}
    if request.method == "POST":
        incomes, assets, errors = declaration_form.read(request.POST, members)
        valid_from = declaration_form.read_date(request.POST, errors)
        if not errors:
            try:
                services.household_declaration_record(
                    actor=request.user, household=household, valid_from=valid_from, incomes=incomes,
                    evidence_label=request.POST.get("evidence", ""), **assets)
            except ValidationError as err:
                errors = {"": "；".join(err.messages)}
            else:
                messages.success(request, f"已登记家庭申报的收入和财产（自{valid_from:%Y年%m月%d日}起）")
                return redirect("registry:household_detail", pk=household.pk)
    today = dt.date.today()
    return render(request, "registry/household_declare.html", {
        "household": household, "head": household_head(household), "errors": errors,
        "rows": declaration_form.member_rows(members, request.POST, errors, today),
        "asset_inputs": declaration_form.asset_inputs(request.POST, errors),
        "assets": selectors.assets_in_force(household, today), "post": request.POST, "today": today.isoformat(),
    })
