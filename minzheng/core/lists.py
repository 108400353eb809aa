"""Every staff list is built the same way (docs/adr/0012-design-system.md):
a django-tables2 table for sorting and paging, a django-filter filter set,
and an Excel export of exactly what the filters select.

A list view names its permission, a title, the file name of its export and
a selector that returns the rows the user may see (reads are scoped by the
selector, never by the view). Exports:

- carry only what the table shows (ID numbers masked, labels not codes);
- neutralise text that a spreadsheet would run as a formula (a leading
  ``= + - @`` or tab/CR gets an apostrophe, OWASP "CSV injection");
- are written to the audit log (who exported which list, with which filters,
  how many rows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import django_tables2 as tables
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2.export import ExportMixin, TableExport
from django_tables2.views import SingleTableMixin

from minzheng.core.audit import audit_record
from minzheng.core.permissions import require
from minzheng.core.pickers import bind_pickers
from minzheng.core.spreadsheets import neutralise_formula

EXPORT_ROW_LIMIT = 50_000


class SafeTableExport(TableExport):
    """django-tables2's export with formula-looking text neutralised."""

    def table_to_dataset(self, table: Any, exclude_columns: Any, dataset_kwargs: Any = None) -> Any:
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        rows = [tuple(neutralise_formula(v) for v in row) for row in dataset]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        return dataset

    def response(self, filename: str | None = None) -> HttpResponse:
        response = HttpResponse(content_type=self.content_type())
        response.write(self.export())
        if filename:
            # RFC 6266: a Chinese file name needs filename*=UTF-8''…
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


class StaffTable(tables.Table):
    """Base table: Tabler styling, Chinese empty text, export-friendly."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped"}
        empty_text = "暂无记录"
        template_name = "tables/table.html"


class BoundedPaginator(Paginator):
    """Pages that count the rows only up to ``limit`` (one ``COUNT`` over at
    most ``limit + 1`` rows): a search for a common surname matches hundreds of
    thousands of persons, and counting them all on every search costs more
    than listing the first page. Beyond the bound the page says "超过 N 条"
    (``count_exact`` False) and offers the pages up to the bound only."""

    limit = 1000
    count_exact = True

    @property
    def count(self) -> int:  # type: ignore[override]
        cached = self.__dict__.get("_bounded_count")
        if cached is None:
            rows = getattr(getattr(self.object_list, "data", None), "data", self.object_list)
            if isinstance(rows, QuerySet):
                n = rows.order_by()[: self.limit + 1].count()
                self.count_exact = n <= self.limit
                cached = min(n, self.limit)
            else:
                cached = len(self.object_list)
            self.__dict__["_bounded_count"] = cached
        return cached


class StaffListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """A list page: permission, scoped rows, filters, sorting, paging and Excel export."""

    permission: str | None = None
    title: str = ""
    export_name: str = ""
    export_class = SafeTableExport
    export_formats = (TableExport.XLSX,)
    template_name = "tables/list_page.html"
    paginate_by = 30
    strict = True  # an invalid filter value shows its error and no rows (never every row)
    crumbs: tuple[tuple[str, str], ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and self.permission:
            require(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)

    def rows(self) -> Any:  # pragma: no cover - every list defines it
        raise NotImplementedError

    def get_queryset(self) -> Any:
        return self.rows()

    def get_filterset(self, filterset_class: Any) -> Any:
        filterset = super().get_filterset(filterset_class)
        bind_pickers(filterset.form, self.request.user)
        return filterset

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Any, Any, Any, bool]:
        """The table pages the rows (django-tables2); ListView paging them too
        would count them a second time (one more COUNT query per page)."""
        return None, None, queryset, False

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.export_name or self.title}-{timezone.localdate():%Y%m%d}.{export_format}"

    def get_table_pagination(self, table: Any) -> Any:
        if self.request.GET.get(self.export_trigger_param):
            return False
        return super().get_table_pagination(table)

    def create_export(self, export_format: str) -> HttpResponse:
        table = self.get_table(**self.get_table_kwargs())
        rows = len(table.rows)
        if rows > EXPORT_ROW_LIMIT:
            from django.contrib import messages
            from django.shortcuts import redirect

            messages.error(self.request, f"导出超过 {EXPORT_ROW_LIMIT:,} 行（本次 {rows:,} 行），请先用筛选条件缩小范围。")
            query = self.request.GET.copy()
            query.pop(self.export_trigger_param, None)
            return redirect(f"{self.request.path}?{query.urlencode()}")
        filters = {k: v for k, v in self.request.GET.items() if k not in (self.export_trigger_param, "page", "sort")}
        with transaction.atomic():
            audit_record(actor=self.request.user, action="core.list.export", object_type="list",
                         object_id=self.export_name or self.title,
                         changes={"filters": filters, "rows": rows, "format": export_format})
        exporter = self.export_class(export_format=export_format, table=table,
                                     exclude_columns=self.exclude_columns,
                                     dataset_kwargs={"title": (self.export_name or self.title)[:31]})
        return exporter.response(filename=self.get_export_filename(export_format))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, crumbs=self.crumbs, export_formats=self.export_formats,
                       export_param=self.export_trigger_param, today=dt.date.today())
        return context
