"""Casework pages: application list, intake, case page with the user's next
steps, archive, letters, public notices, enrolments, re-review work list,
program settings and the holiday table.

Thin views: reads through ``selectors`` (scoped; out of scope → 404), writes
through the services; service errors become messages on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minzheng.casework import enrolments, forms, selectors, services
from minzheng.casework.actions import take_action
from minzheng.casework.deadlines import (
    deadlines_refresh,
    is_overdue,
    milestones,
    overall_basis,
    step_basis,
    total_days,
)
from minzheng.casework.filters import ApplicationFilter, EnrolmentFilter, RereviewFilter
from minzheng.casework.models import (
    Application,
    DocumentKind,
    Enrolment,
    EnrolmentStatus,
    Objection,
    ReReviewOutcome,
    SpotCheck,
    Status,
)
from minzheng.casework.notices import notice_pdf, notice_rows
from minzheng.casework.procedure_timings import citation, rules_name
from minzheng.casework.program_settings import (
    program_setting,
    program_setting_update,
    program_settings_all,
)
from minzheng.casework.rereview import rereview_record, rereview_work_list
from minzheng.casework.spot_checks import BASIS as SPOT_CHECK_BASIS
from minzheng.casework.spot_checks import review_queue, spot_check_draw, spot_check_record
from minzheng.casework.tables import ApplicationTable, EnrolmentTable, RereviewTable
from minzheng.casework.transitions import allowed_actions
from minzheng.core.bounds import day_parse
from minzheng.core.lists import StaffListView
from minzheng.core.models import Division
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.web_actions import attempt, error_text
from minzheng.core.workdays import holiday_year_record, known_years
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household, Person
from minzheng.verification import selectors as verification_selectors


def _today() -> dt.date:
    return dt.date.today()




def _application_or_404(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.application_get(request.user, pk)
    except Application.DoesNotExist as err:
        raise Http404("未找到该申请") from err


class ApplicationListView(StaffListView):
    """救助申请: every case in the user's jurisdiction, with counters, filters and export."""

    permission = "casework.view"
    title = "救助申请"
    export_name = "救助申请清单"
    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    template_name = "casework/application_list.html"

    def rows(self) -> QuerySet[Application]:
        return selectors.application_rows(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(counts=selectors.application_counts(self.request.user, today=_today()),
                       can_intake=can(self.request.user, "casework.intake"))
        return context


application_list = ApplicationListView.as_view()


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    """录入救助申请: pick the household (a search picker), then program, applicant and documents."""
    require(request.user, "casework.intake")
    household_id = request.POST.get("household") or request.GET.get("household")
    household = None
    if household_id:
        try:
            household = registry_selectors.household_get(request.user, int(household_id))
        except (Household.DoesNotExist, ValueError) as err:
            raise Http404("未找到该家庭") from err
    if household is None:
        choose = bind_pickers(forms.HouseholdChoiceForm(), request.user)
        return render(request, "casework/application_new.html", {"choose": choose})
    members = list(registry_selectors.household_members(household))
    form = forms.IntakeForm(request.POST or None, request.FILES or None, members=members,
                            initial={"household": household.pk})
    if request.method == "POST" and form.is_valid():
        try:
            applicant = registry_selectors.person_get(request.user, int(form.cleaned_data["applicant"]))
            kind = form.cleaned_data["document_kind"]
            for upload in request.FILES.getlist("documents"):
                if upload.size > services.MAX_DOCUMENT_BYTES:
                    raise ValidationError("单个文件不能超过20MB")
            documents = [services.DocumentUpload(kind, upload.name, upload.read())
                         for upload in request.FILES.getlist("documents")]
            application = services.application_intake(
                actor=request.user, household=household, applicant=applicant,
                program=form.cleaned_data["program"], note=form.cleaned_data["note"], documents=documents)
        except Person.DoesNotExist as err:
            raise Http404("未找到该人员") from err
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已录入申请 {application.number}")
            return redirect("casework:application_detail", pk=application.pk)
    return render(request, "casework/application_new.html", {"form": form, "household": household,
                                                             "members": members})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    today = _today()
    archive = selectors.application_archive(application)
    setting = program_setting(application.program)
    return render(request, "casework/application_detail.html", {
        "application": application, "archive": archive, "today": today,
        "overdue": is_overdue(application, today), "actions": allowed_actions(request.user, application, today),
        "setting": setting, "document_kinds": DocumentKind.choices,
        "step_basis": step_basis(application, setting), "overall_basis": overall_basis(application, setting),
        "total_days": total_days(application, setting), "rules_name": rules_name(application.program),
        "milestones": milestones(application, setting), "spot_check": application.spot_checks.first(),
        "can_spot_check": can(request.user, "casework.approve"),
        "can_write": can(request.user, "casework.document_attach"),
        "can_record_objection": can(request.user, "casework.objection_record")
        and application.status == Status.IN_NOTICE,
        "can_resolve_objection": can(request.user, "casework.objection_resolve"),
        "verification_choices": verification_selectors.accepted_results_for_household(application.household_id)[:10],
    })


@login_required
@require_POST
def application_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = _application_or_404(request, pk)
    attempt(request, lambda: take_action(actor=request.user, application=application, action=action,
                                          fields=request.POST.dict()), "已办理")
    return redirect("casework:application_detail", pk=pk)


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    uploads = request.FILES.getlist("documents")
    if not uploads:
        messages.error(request, "请选择要上传的文件")
    for upload in uploads:
        attempt(request, lambda u=upload: services.document_attach(
            actor=request.user, application=application, kind=request.POST.get("kind", ""), name=u.name,
            content=u.read()), f"已上传 {upload.name}")
    return redirect("casework:application_detail", pk=pk)


@login_required
def document_download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    application = _application_or_404(request, pk)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404("未找到该材料")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)


@login_required
def letter_download(request: HttpRequest, pk: int, letter_id: int) -> FileResponse:
    application = _application_or_404(request, pk)
    letter = application.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404("未找到该决定书")
    kind = "不予受理通知书" if letter.outcome == "reject" else "决定书"
    return FileResponse(letter.file.open("rb"), content_type="application/pdf",
                        filename=f"{kind}-{application.number}.pdf")


@login_required
def application_archive(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    return render(request, "casework/application_archive.html", {
        "application": application, "archive": selectors.application_archive(application)})


@login_required
@require_POST
def objection_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = forms.ObjectionForm(request.POST)
    if form.is_valid():
        attempt(request, lambda: services.objection_record(actor=request.user, application=application,
                                                            **form.cleaned_data), "已登记异议")
    else:
        messages.error(request, "请填写异议内容和收到日期")
    return redirect("casework:application_detail", pk=pk)


@login_required
@require_POST
def objection_resolve(request: HttpRequest, objection_id: int) -> HttpResponse:
    try:
        objection = selectors.objection_get(request.user, objection_id)
    except Objection.DoesNotExist as err:
        raise Http404("未找到该异议") from err
    form = forms.ObjectionResolveForm(request.POST)
    if form.is_valid():
        attempt(request, lambda: services.objection_resolve(
            actor=request.user, objection=objection, upheld=form.cleaned_data["upheld"] == "1",
            resolution=form.cleaned_data["resolution"]), "已处理异议")
    else:
        messages.error(request, "请填写处理结果")
    return redirect("casework:application_detail", pk=objection.application_id)


# --- public notices ------------------------------------------------------------

def _notice_date(request: HttpRequest) -> dt.date:
    """The day asked for (``?on=``), within ``core.bounds``; otherwise today."""
    try:
        return day_parse(request.GET.get("on", ""), "日期")
    except ValidationError:
        return _today()


@login_required
def notice_index(request: HttpRequest) -> HttpResponse:
    on = _notice_date(request)
    return render(request, "casework/notice_index.html", {
        "rows": selectors.notice_committees(request.user, on=on), "on": on})


def _committee_or_404(request: HttpRequest, code: str) -> Division:
    try:
        return selectors.committee_get(request.user, code)
    except Division.DoesNotExist as err:
        raise Http404("未找到该居村委") from err


@login_required
def notice_committee(request: HttpRequest, code: str) -> HttpResponse:
    committee = _committee_or_404(request, code)
    on = _notice_date(request)
    rows = notice_rows(selectors.committee_notices(request.user, committee, on=on))
    return render(request, "casework/notice_committee.html", {"committee": committee, "rows": rows, "on": on})


@login_required
def notice_committee_pdf(request: HttpRequest, code: str) -> HttpResponse:
    committee = _committee_or_404(request, code)
    on = _notice_date(request)
    rows = notice_rows(selectors.committee_notices(request.user, committee, on=on))
    response = HttpResponse(notice_pdf(committee=committee, street=committee.parent, rows=rows, on=on),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{committee.code}-{on:%Y%m%d}.pdf"'
    return response


# --- enrolments and re-review ------------------------------------------------------

class EnrolmentListView(StaffListView):
    """保障对象: enrolments in the user's jurisdiction, with the open overpayment cases underneath."""

    permission = "casework.view"
    title = "保障对象"
    export_name = "保障对象清单"
    table_class = EnrolmentTable
    filterset_class = EnrolmentFilter
    template_name = "casework/enrolment_list.html"

    def rows(self) -> QuerySet[Enrolment]:
        return selectors.enrolment_rows(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = selectors.enrolment_counts(self.request.user)
        context.update(counts=[(value, label, counts.get(value, 0)) for value, label in EnrolmentStatus.choices],
                       overpayments=selectors.overpayments_visible(self.request.user)[:50])
        return context


enrolment_list = EnrolmentListView.as_view()


def _enrolment_or_404(request: HttpRequest, pk: int) -> Enrolment:
    try:
        return selectors.enrolment_get(request.user, pk)
    except Enrolment.DoesNotExist as err:
        raise Http404("未找到该保障对象") from err


@login_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_or_404(request, pk)
    return render(request, "casework/enrolment_detail.html", {
        "enrolment": enrolment, "events": enrolment.events.all(), "rereviews": enrolment.rereviews.all(),
        "overpayments": enrolment.overpayments.all(), "today": _today(),
        "can_manage": can(request.user, "casework.enrolment_manage"),
        "outcomes": ReReviewOutcome.choices,
    })


@login_required
@require_POST
def enrolment_change(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    enrolment = _enrolment_or_404(request, pk)
    reason = request.POST.get("reason", "")
    month = request.POST.get("effective_month", "")
    services_by_change = {"suspend": (enrolments.enrolment_suspend, "已暂停"),
                          "resume": (enrolments.enrolment_resume, "已恢复"),
                          "terminate": (enrolments.enrolment_terminate, "已终止")}
    if change == "rereview":
        attempt(request, lambda: rereview_record(actor=request.user, enrolment=enrolment,
                                                  outcome=request.POST.get("outcome", ""),
                                                  findings=request.POST.get("findings", "")), "已记录复核")
    elif change in services_by_change:
        service, done = services_by_change[change]
        attempt(request, lambda: service(actor=request.user, enrolment=enrolment, reason=reason,
                                          effective_month=month), done)
    else:
        raise Http404("未知操作")
    return redirect("casework:enrolment_detail", pk=pk)


class RereviewListView(StaffListView):
    """复核工作清单: active enrolments due for re-review within 30 days or overdue."""

    permission = "casework.view"
    title = "复核工作清单"
    export_name = "复核工作清单"
    table_class = RereviewTable
    filterset_class = RereviewFilter
    template_name = "casework/rereview_list.html"

    def rows(self) -> QuerySet[Enrolment]:
        return registry_selectors.prefetch_heads(rereview_work_list(self.request.user, today=_today()), "household")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = self.rows()
        context.update(due=rows.count(), overdue=rows.filter(next_review_on__lt=_today()).count())
        return context


rereview_list = RereviewListView.as_view()


# --- configuration --------------------------------------------------------------

@login_required
def program_settings(request: HttpRequest) -> HttpResponse:
    is_bureau = can(request.user, "casework.settings_manage")
    if request.method == "POST":
        require(request.user, "casework.settings_manage")
        form = forms.ProgramSettingForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            program = data.pop("program")
            attempt(request, lambda: program_setting_update(actor=request.user, program=program, **data),
                     "已保存")
        else:
            messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else '设置'}：{'；'.join(v)}"
                                             for k, v in form.errors.items()))
        return redirect("casework:program_settings")
    settings = program_settings_all()
    setting_forms = [(s, forms.ProgramSettingForm(initial=model_to_dict(s), auto_id=f"{s.program}-%s"))
                     for s in settings] if is_bureau else []
    rows = [(s, [(f, getattr(s, f), citation(s.program, f, getattr(s, f))) for f in TIMING_COLUMNS])
            for s in settings]
    return render(request, "casework/program_settings.html", {
        "settings": settings, "rows": rows, "columns": [TIMING_COLUMN_LABELS[f] for f in TIMING_COLUMNS],
        "is_bureau": is_bureau, "setting_forms": setting_forms})


TIMING_COLUMNS = ("notice_days", "accept_days", "survey_start_days", "verify_days", "visit_days", "review_days",
                  "street_opinion_days", "post_days", "approve_days", "decide_days", "total_days",
                  "extended_total_days", "rereview_months_able", "rereview_months_stable")
TIMING_COLUMN_LABELS = {
    "notice_days": "公示（天）", "accept_days": "受理", "survey_start_days": "启动调查", "verify_days": "核对",
    "visit_days": "入户", "review_days": "审核", "street_opinion_days": "调查及初审意见", "post_days": "张榜",
    "approve_days": "审批/确认", "decide_days": "决定书", "total_days": "总时限", "extended_total_days": "延长后",
    "rereview_months_able": "复核：不固定/有劳力（月）", "rereview_months_stable": "复核：稳定（月）",
}


# --- extreme-poverty spot check (特困人员认定办法第十六条) ------------------------

@login_required
def spot_checks(request: HttpRequest) -> HttpResponse:
    """认定抽查: the queue of extreme-poverty files awaiting confirmation, the
    draw (≥ 30%, seeded) and the drawn files for the in-person check."""
    require(request.user, "casework.view")
    today = _today()
    if request.method == "POST":
        attempt(request, lambda: spot_check_draw(actor=request.user, on=today), "已抽取")
        return redirect("casework:spot_checks")
    draws = selectors.spot_check_draws(request.user)[:20]
    return render(request, "casework/spot_checks.html", {
        "queue": review_queue(request.user, on=today).select_related("applicant", "committee"),
        "draws": draws, "basis": SPOT_CHECK_BASIS, "can_draw": can(request.user, "casework.approve"),
    })


@login_required
@require_POST
def spot_check_check(request: HttpRequest, check_id: int) -> HttpResponse:
    try:
        check = selectors.spot_check_get(request.user, check_id)
    except SpotCheck.DoesNotExist as err:
        raise Http404("未找到该抽查案卷") from err
    attempt(request, lambda: spot_check_record(actor=request.user, check=check,
                                                findings=request.POST.get("findings", "")), "已登记入户抽查")
    return redirect("casework:application_detail", pk=check.application_id)


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    is_bureau = can(request.user, "core.holidays_manage")
    form = forms.HolidayYearForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "core.holidays_manage")
        if form.is_valid():
            data = form.cleaned_data
            if attempt(request, lambda: holiday_year_record(
                    actor=request.user, year=data["year"], source=data["source"], holidays=data["holidays"],
                    workdays=data["workdays"], replace=data["replace"]), f"已录入{data['year']}年节假日安排"):
                fixed = deadlines_refresh(actor=request.user)
                if fixed:
                    messages.success(request, f"已重新计算 {fixed} 件申请的期限")
                return redirect(reverse("casework:holidays"))
    return render(request, "casework/holidays.html", {"years": known_years(), "form": form,
                                                      "is_bureau": is_bureau})
