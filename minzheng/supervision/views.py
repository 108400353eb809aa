"""Pages of 养老机构监管（双随机、一公开）(ADR 0030). Thin views over
``selectors`` and ``services``: reads scoped (out of scope → 404), actions
guarded (wrong role → 403), broken rules shown as messages. The public page
(一公开) needs no login and shows only approved plans' entity results."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.care_facilities.models import Facility, FacilityKind
from minzheng.core.audit import audit_record
from minzheng.core.lists import StaffListView
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt
from minzheng.supervision import selectors, services
from minzheng.supervision.draw import draw_json
from minzheng.supervision.filters import OrderFilter
from minzheng.supervision.models import (
    ChecklistVersion,
    ExclusionReason,
    InspectionStatus,
    Inspector,
    InspectorKind,
    ItemOutcome,
    ItemRecord,
    OrderResponse,
    OrderStatus,
)
from minzheng.supervision.tables import OrderTable


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "supervision.view")
    today = timezone.localdate()
    if can(request.user, "supervision.plan"):  # the bureau's page load escalates overdue orders (once each)
        services.orders_escalate(actor=services.SYSTEM, today=today)
    plans = [(p, selectors.plan_counts(p, today)) for p in selectors.plans_visible(request.user)]
    escalated = selectors.orders_visible(request.user).filter(escalated_at__isnull=False).exclude(
        status=OrderStatus.ACCEPTED)
    return render(request, "supervision/plan_list.html", {
        "plans": plans, "escalated": escalated, "today": today, "may_plan": can(request.user, "supervision.plan")})


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "supervision.plan")
    versions = ChecklistVersion.objects.all()
    streets = Division.objects.filter(level=DivisionLevel.STREET).order_by("code")
    if request.method == "POST":
        p = request.POST
        start, end = _date(p.get("period_start")), _date(p.get("period_end"))
        version = versions.filter(pk=_int(p.get("checklist"))).first()
        street = streets.filter(code=p.get("street", "")).first() if p.get("street") else None
        if start is None or end is None or version is None:
            messages.error(request, "请填写检查期起止日期并选择检查表版本")
        else:
            created: list = []
            if attempt(request, lambda: created.append(services.plan_create(
                    actor=request.user, name=p.get("name", ""), period_start=start, period_end=end,
                    institutions_to_draw=_int(p.get("institutions_to_draw")) or 0,
                    inspectors_per_institution=_int(p.get("inspectors_per_institution")) or 0,
                    checklist=version, street=street)), "已制定检查计划"):
                return redirect("supervision:plan_detail", created[0].pk)
    return render(request, "supervision/plan_form.html", {"versions": versions, "streets": streets,
                                                          "post": request.POST})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "supervision.view")
    plan = selectors.plan_get(request.user, pk)
    today = timezone.localdate()
    inspections = selectors.inspections_visible(request.user).filter(plan=plan).prefetch_related("inspectors")
    return render(request, "supervision/plan_detail.html", {
        "plan": plan, "counts": selectors.plan_counts(plan, today), "inspections": inspections, "today": today,
        "draw_text": draw_json(plan.draw) if plan.draw else "", "may_plan": can(request.user, "supervision.plan"),
        "may_approve": can(request.user, "supervision.approve"),
        "in_scope": selectors.institutions_in_scope(plan).count(),
        "pool": Inspector.objects.filter(active=True).count()})


@login_required
@require_POST
def plan_draw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    seed = _int(request.POST.get("seed", "").strip())
    if request.POST.get("seed", "").strip() == "":
        seed = secrets.randbelow(10 ** 9)  # a fresh public seed, recorded with the draw
    if seed is None:
        messages.error(request, "随机种子应为整数")
    else:
        attempt(request, lambda: services.draw_record(actor=request.user, plan=plan, seed=seed),
                f"已抽取并记录（随机种子{seed}）")
    return redirect("supervision:plan_detail", plan.pk)


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    attempt(request, lambda: services.plan_submit(actor=request.user, plan=plan), "已提交结果审核")
    return redirect("supervision:plan_detail", plan.pk)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    attempt(request, lambda: services.plan_approve(actor=request.user, plan=plan), "已审核，检查结果已公开")
    return redirect("supervision:plan_detail", plan.pk)


def _may_view_inspection(user: User) -> None:
    if not (can(user, "supervision.view") or can(user, "supervision.respond")):
        require(user, "supervision.view")


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_view_inspection(request.user)
    inspection = selectors.inspection_get(request.user, pk)
    records = {r.item_id: r for r in inspection.records.all()}
    items = [(item, records.get(item.pk)) for item in inspection.plan.checklist.items.all()]
    order = getattr(inspection, "order", None)
    today = timezone.localdate()
    inspect = can(request.user, "supervision.inspect") and inspection.plan.status == "drawn"
    return render(request, "supervision/inspection_detail.html", {
        "inspection": inspection, "plan": inspection.plan, "items": items, "order": order, "today": today,
        "responses": order.responses.all() if order else [], "inspect": inspect,
        "editable": inspect and inspection.status == InspectionStatus.PENDING,
        "respond": can(request.user, "supervision.respond"),
        "inspectors": inspection.inspectors.all() if can(request.user, "supervision.view") else [],
        "outcomes": ItemOutcome.choices, "overdue": order is not None and order.is_overdue(today)})


@login_required
@require_POST
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(request.user, pk)
    results, photos = {}, {}
    for item in inspection.plan.checklist.items.all():
        value = request.POST.get(f"outcome-{item.pk}", "")
        if value:
            results[item.pk] = (value, request.POST.get(f"note-{item.pk}", "")[:300])
        upload = request.FILES.get(f"photo-{item.pk}")
        if upload is not None:
            if upload.size > services.MAX_BYTES:
                messages.error(request, "照片不能超过10MB")
                return redirect("supervision:inspection_detail", inspection.pk)
            photos[item.pk] = upload.read()
    attempt(request, lambda: services.inspection_record(actor=request.user, inspection=inspection,
                                                        results=results, photos=photos), "已保存检查结果")
    return redirect("supervision:inspection_detail", inspection.pk)


@login_required
@require_POST
def inspection_complete(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(request.user, pk)
    on = _date(request.POST.get("inspected_on"))
    if on is None:
        messages.error(request, "请填写检查日期")
    else:
        attempt(request, lambda: services.inspection_complete(actor=request.user, inspection=inspection,
                                                              inspected_on=on), "已完成检查")
    return redirect("supervision:inspection_detail", inspection.pk)


@login_required
@require_POST
def order_issue(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(request.user, pk)
    attempt(request, lambda: services.order_issue(
        actor=request.user, inspection=inspection, requirement=request.POST.get("requirement", ""),
        working_days=_int(request.POST.get("working_days")) or 0), "已下达整改通知")
    return redirect("supervision:inspection_detail", inspection.pk)


@login_required
@require_POST
def order_respond(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    upload = request.FILES.get("evidence")
    if upload is not None and upload.size > services.MAX_BYTES:
        messages.error(request, "佐证材料不能超过10MB")
    else:
        attempt(request, lambda: services.order_respond(
            actor=request.user, order=order, text=request.POST.get("text", ""),
            evidence_name=upload.name if upload else "", evidence=upload.read() if upload else None),
            "已反馈整改情况，等待验证")
    return redirect("supervision:inspection_detail", order.inspection_id)


@login_required
@require_POST
def order_verify(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    accepted = request.POST.get("decision") == "accept"
    attempt(request, lambda: services.order_verify(actor=request.user, order=order, accepted=accepted,
                                                   note=request.POST.get("note", "")),
            "已验证通过" if accepted else "已退回机构重新整改")
    return redirect("supervision:inspection_detail", order.inspection_id)


class OrderListView(StaffListView):
    """整改通知: filters by institution, street, status and overdue; Excel export.
    Staff of an institution see only their own institution's orders (the selector)."""

    title = "整改通知"
    export_name = "养老机构整改通知"
    table_class = OrderTable
    filterset_class = OrderFilter

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _may_view_inspection(request.user)
        return super().dispatch(request, *args, **kwargs)

    def rows(self):
        return selectors.orders_visible(self.request.user)


order_list = OrderListView.as_view()


@login_required
def photo_download(request: HttpRequest, pk: int) -> FileResponse:
    _may_view_inspection(request.user)
    record = ItemRecord.objects.filter(pk=pk).select_related("inspection").first()
    if record is None or not record.photo:
        raise Http404("未找到该记录")
    selectors.inspection_get(request.user, record.inspection_id)
    return _file(request, record.photo, f"检查照片-{record.pk}.{record.photo.name.rsplit('.', 1)[-1]}",
                 record.photo_type, record.inspection.facility.street_id, "SupervisionItemRecord", record.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    _may_view_inspection(request.user)
    response = OrderResponse.objects.filter(pk=pk).select_related("order").first()
    if response is None or not response.evidence:
        raise Http404("未找到该记录")
    order = selectors.order_get(request.user, response.order_id)
    return _file(request, response.evidence, response.evidence_name, response.evidence_type,
                 order.inspection.facility.street_id, "SupervisionOrderResponse", response.pk)


def _file(request, field, filename, content_type, scope_code, object_type, object_id) -> FileResponse:
    with transaction.atomic():
        audit_record(actor=request.user, action="supervision.file_download", object_type=object_type,
                     object_id=object_id, scope_code=scope_code)
    return FileResponse(field.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


@login_required
def inspectors(request: HttpRequest) -> HttpResponse:
    """检查人员名录库 and exclusions (回避)."""
    require(request.user, "supervision.view")
    may_plan = can(request.user, "supervision.plan")
    care_homes = Facility.objects.filter(kind=FacilityKind.CARE_HOME).order_by("street_id", "name")
    if request.method == "POST":
        require(request.user, "supervision.plan")
        p = request.POST
        if p.get("form") == "exclusion":
            inspector = Inspector.objects.filter(pk=_int(p.get("inspector"))).first()
            facility = care_homes.filter(pk=_int(p.get("facility"))).first()
            if inspector is None or facility is None:
                messages.error(request, "请选择检查人员和机构")
            else:
                attempt(request, lambda: services.exclusion_add(actor=request.user, inspector=inspector,
                                                                facility=facility, reason=p.get("reason", ""),
                                                                note=p.get("note", "")), "已登记回避关系")
        else:
            user = User.objects.filter(username=p.get("username", "").strip()).first() if p.get("username") else None
            if p.get("username") and user is None:
                messages.error(request, "没有该工作账号")
            else:
                attempt(request, lambda: services.inspector_add(actor=request.user, name=p.get("name", ""),
                                                                kind=p.get("kind", ""), user=user,
                                                                organisation=p.get("organisation", "")),
                        "已登记检查人员")
        return redirect("supervision:inspectors")
    pool = Inspector.objects.prefetch_related("exclusions__facility")
    return render(request, "supervision/inspectors.html", {
        "pool": pool, "may_plan": may_plan, "kinds": InspectorKind.choices, "reasons": ExclusionReason.choices,
        "care_homes": care_homes})


@login_required
def checklists(request: HttpRequest) -> HttpResponse:
    require(request.user, "supervision.view")
    return render(request, "supervision/checklists.html", {
        "versions": ChecklistVersion.objects.prefetch_related("items")})


def public(request: HttpRequest) -> HttpResponse:
    """一公开: approved plans' results, no login, no personal data (ADR 0030)."""
    rows = selectors.public_rows()
    plans: dict[int, dict] = {}
    for row in rows:
        plans.setdefault(row.plan.pk, {"plan": row.plan, "rows": []})["rows"].append(row)
    response = render(request, "supervision/public.html", {"plans": list(plans.values())})
    response["Cache-Control"] = "public, max-age=300"
    return response
