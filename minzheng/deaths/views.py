"""Pages of the death records (死亡登记, ADR 0023): the list (scoped, masked ID
numbers), the record with its sources, consequences and the family checklist
(page and PDF), and the window form 登记死亡（家属申报）. Thin views over
``selectors`` and ``services``; out of scope → 404, wrong role → 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.deaths import selectors, services
from minzheng.deaths.checklist import SECTION_STOPPED
from minzheng.deaths.checklist_pdf import checklist_pdf
from minzheng.deaths.filters import DeathRecordFilter
from minzheng.deaths.forms import WindowReportForm
from minzheng.deaths.models import SourceKind
from minzheng.deaths.tables import DeathRecordTable
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Person


class DeathRecordListView(StaffListView):
    """死亡登记: one row per deceased, every source on the record."""

    permission = "deaths.view"
    title = "死亡登记"
    export_name = "死亡登记清单"
    table_class = DeathRecordTable
    filterset_class = DeathRecordFilter
    template_name = "deaths/record_list.html"

    def rows(self):
        return selectors.death_records(self.request.user).prefetch_related("reports")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_report"] = can(self.request.user, "deaths.report")
        return context


record_list = DeathRecordListView.as_view()


def _sources(record) -> list[str]:
    labels = dict(SourceKind.choices)
    return list(dict.fromkeys(labels[r.source] for r in selectors.death_reports(record)))


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.death_record_get(request.user, pk)
    benefits_visible = can(request.user, "deaths.benefits_view")
    return render(request, "deaths/record_detail.html", {
        "record": record, "reports": selectors.death_reports(record),
        "sections": selectors.death_checklist(request.user, record),
        "benefits_visible": benefits_visible, "stopped_section": SECTION_STOPPED,
        "summary": record.consequences or {},
    })


@login_required
def checklist_download(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.death_record_get(request.user, pk)
    services.death_checklist_printed(actor=request.user, record=record)
    data = checklist_pdf(record, selectors.death_checklist(request.user, record),
                         benefits_visible=can(request.user, "deaths.benefits_view"), sources=_sources(record))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="death-checklist-{record.pk}.pdf"'
    return response


@login_required
def window_report(request: HttpRequest) -> HttpResponse:
    """登记死亡（家属申报）: the family reports a death at the window."""
    require(request.user, "deaths.report")
    today = timezone.localdate()
    form = WindowReportForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"source": SourceKind.FAMILY, "death_date": data["death_date"], "reference": data["reference"],
                  "place": data["place"], "reporter": data["reporter"], "note": data["note"], "today": today}
        try:
            if data.get("person"):
                try:
                    person = registry_selectors.person_get(request.user, data["person"])
                except Person.DoesNotExist as err:
                    raise ValidationError({"person": "请从列表中选择本辖区的人员"}) from err
                record = services.death_report_for_person(actor=request.user, person=person, **fields)
            else:
                record = services.death_report(actor=request.user, id_number=data["id_number"], name=data["name"],
                                               **fields)
        except ValidationError as err:
            if hasattr(err, "error_dict"):
                for field, errors in err.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                problems = list(err.messages)
        else:
            messages.success(request, f"已登记{record.name}的死亡信息（{record.get_status_display()}）")
            return redirect("deaths:record_detail", pk=record.pk)
    return render(request, "deaths/window_report.html", {"form": form, "problems": problems})
