"""Pages of 居家环境适老化改造 (ADR 0034): the list, a new application, one
application with its steps, the catalogue (items, contractors, targets) and
the progress by street. Reads scoped (outside → 404), writes via services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.audit import audit_record
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.home_adaptations import forms, selectors, services
from minzheng.home_adaptations.filters import ApplicationFilter
from minzheng.home_adaptations.models import CatalogueItem, CompletionPhoto, Status
from minzheng.home_adaptations.tables import ApplicationTable
from minzheng.registry.selectors import person_current_membership, person_get


class ApplicationListView(StaffListView):
    permission = "home_adaptations.view"
    title = "居家环境适老化改造"
    export_name = "适老化改造申请"
    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    template_name = "home_adaptations/application_list.html"

    def rows(self):
        return selectors.applications_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_apply"] = can(self.request.user, "home_adaptations.apply")
        return context


application_list = ApplicationListView.as_view()


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "home_adaptations.apply")
    form = bind_pickers(forms.ApplicationForm(request.POST or None, initial={"applied_on": timezone.localdate()}),
                        request.user)
    if request.method == "POST" and form.is_valid():
        try:
            elder = person_get(request.user, form.cleaned_data["elder"])
        except Http404:
            form.add_error("elder", "没有这个人员，或不在您的辖区内")
        else:
            membership = person_current_membership(elder)
            try:
                application = services.application_create(
                    actor=request.user, elder=elder, address=form.cleaned_data["address"],
                    household=membership.household if membership else None,
                    applied_on=form.cleaned_data["applied_on"])
            except ValidationError as err:
                form.add_error(None, error_text(err))
            else:
                messages.success(request, f"已登记申请 {application.number}")
                return redirect("home_adaptations:application_detail", application.pk)
    return render(request, "home_adaptations/application_form.html", {"form": form},
                  status=422 if form.errors else 200)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    lines = list(application.lines.select_related("item"))
    process = can(request.user, "home_adaptations.process")
    subsidy_preview, subsidy_problem = None, ""
    if application.status == Status.ACCEPTED:
        try:
            subsidy_preview = services.subsidy_amount(application)
        except ValidationError as err:
            subsidy_problem = error_text(err)
    payment = None
    if application.payment_reference:
        from minzheng.payments.services import one_off_status

        payment = one_off_status(services.PROGRAM, application.payment_reference)
    return render(request, "home_adaptations/application_detail.html", {
        "a": application, "lines": lines, "total_fen": sum(line.amount_fen for line in lines),
        "photos": application.photos.all(), "process": process,
        "subsidy": can(request.user, "home_adaptations.subsidy"), "subsidy_preview": subsidy_preview,
        "subsidy_problem": subsidy_problem, "payment": payment, "today": timezone.localdate(),
        "items": selectors.catalogue(active_only=True), "quantities": {line.item_id: line.quantity for line in lines},
        "contractors": selectors.contractors(active_only=True)})


def _date(request: HttpRequest, name: str = "on"):
    form = forms.DatedForm({"on": request.POST.get(name, "")})
    if not form.is_valid():
        raise ValidationError("请填写正确的日期")
    return form.cleaned_data["on"]


@login_required
@require_POST
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    user, post = request.user, request.POST

    def assess():
        lines = []
        for item in selectors.catalogue(active_only=True):
            raw = post.get(f"qty_{item.pk}", "").strip()
            if raw and raw != "0":
                if not (raw.isascii() and raw.isdigit()):
                    raise ValidationError(f"“{item.name}”的数量应为整数")
                lines.append((item, int(raw)))
        return services.assessment_record(actor=user, application=application, assessed_on=_date(request),
                                          assessor=post.get("assessor", ""), lines=lines)

    def contract():
        contractor = selectors.contractors(active_only=True).filter(pk=post.get("contractor") or 0).first()
        if contractor is None:
            raise ValidationError("请选择施工单位")
        return services.contractor_assign(actor=user, application=application, contractor=contractor,
                                          contracted_on=_date(request))

    def photo():
        upload = request.FILES.get("photo")
        if upload is None:
            raise ValidationError("请选择照片")
        if upload.size > services.PHOTO_MAX_BYTES:
            raise ValidationError("单张照片不能超过10MB")
        return services.photo_attach(actor=user, application=application, name=upload.name, content=upload.read())

    def accept():
        ids = [int(v) for v in post.getlist("line") if v.isascii() and v.isdigit()]
        return services.acceptance_record(actor=user, application=application, accepted_on=_date(request),
                                          accepted_by=post.get("accepted_by", ""), accepted_line_ids=ids)

    steps = {
        "assess": (assess, "已登记评估"), "contract": (contract, "已派单"), "photo": (photo, "已上传完工照片"),
        "complete": (lambda: services.completion_record(actor=user, application=application,
                                                        completed_on=_date(request)), "已登记完工"),
        "accept": (accept, "已验收"),
        "subsidy": (lambda: services.subsidy_request(actor=user, application=application), "已申请发放补贴"),
        "reject": (lambda: services.application_reject(actor=user, application=application,
                                                       reason=post.get("reason", "")), "已登记不予改造"),
    }
    if step not in steps:
        raise Http404("没有这个办理步骤")
    call, success = steps[step]
    attempt(request, call, success)
    return redirect("home_adaptations:application_detail", application.pk)


@login_required
def photo_download(request: HttpRequest, pk: int) -> FileResponse:
    photo = get_object_or_404(CompletionPhoto, pk=pk)
    application = selectors.application_get(request.user, photo.application_id)
    with transaction.atomic():
        audit_record(actor=request.user, action="home_adaptations.photo_download", object_type="Application",
                     object_id=application.pk, scope_code=application.committee_id, changes={"sha256": photo.sha256})
    return FileResponse(photo.file.open("rb"), filename=photo.original_name, content_type=photo.content_type)


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    require(request.user, "home_adaptations.view")
    return render(request, "home_adaptations/catalogue.html", {
        "items": selectors.catalogue(), "contractors": selectors.contractors(), "targets": selectors.year_targets(),
        "manage": can(request.user, "home_adaptations.catalogue"), "contractor_form": forms.ContractorForm(),
        "target_form": forms.TargetForm(initial={"year": timezone.localdate().year})})


@login_required
@require_POST
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "home_adaptations.catalogue")
    item = get_object_or_404(CatalogueItem, pk=pk)
    form = forms.ItemForm(request.POST)
    if form_valid(request, form):
        data = form.cleaned_data
        fen = int((data["unit_price"] * 100).to_integral_value())
        attempt(request, lambda: services.item_update(
            actor=request.user, item=item, unit_price_fen=fen, price_basis=data["price_basis"],
            subsidy_percent=data["subsidy_percent"], subsidy_basis=data["subsidy_basis"]), f"已保存“{item.name}”")
    return redirect("home_adaptations:catalogue")


@login_required
@require_POST
def contractor_add(request: HttpRequest) -> HttpResponse:
    require(request.user, "home_adaptations.catalogue")
    form = forms.ContractorForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.contractor_create(actor=request.user, **form.cleaned_data), "已登记施工单位")
    return redirect("home_adaptations:catalogue")


@login_required
@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    require(request.user, "home_adaptations.catalogue")
    form = forms.TargetForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.year_target_set(actor=request.user, **form.cleaned_data), "已保存年度目标")
    return redirect("home_adaptations:catalogue")


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    require(request.user, "home_adaptations.view")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    rows = selectors.progress_by_street(request.user, year)
    target = selectors.year_target(year)
    done = sum(r.done for r in rows)
    goal = target.target_households if target else None
    return render(request, "home_adaptations/progress.html", {
        "year": year, "rows": rows, "target": target, "done": done, "goal": goal,
        "share": None if not goal else round(Decimal(100 * done) / goal, 1),
        "applied": sum(r.applied for r in rows), "in_progress": sum(r.in_progress for r in rows),
        "targets": selectors.year_targets()})
