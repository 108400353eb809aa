"""Cemetery endpoints (mounted at /api/v1/cemeteries, ADR 0025): the register
with counts and eco share, one site with its sections, prices and caps in
force and its inspections, and the yearly inspection report. Scoped like the
pages: a street sees its own sites; another street's site is 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from minzheng.cemeteries import selectors
from minzheng.cemeteries.models import CemeteryKind, CemeteryStatus, PlotKind
from minzheng.cemeteries.selectors import Counts
from minzheng.cemeteries.yearly_report import yearly_report
from minzheng.core.api import Limit, Offset, call_service, coded, path_id, responses

router = Router(tags=["公墓和骨灰堂"])

KindCode = coded(CemeteryKind.choices, "类型")
StatusCode = coded(CemeteryStatus.choices, "状态")


class CountsOut(Schema):
    capacity: int = Field(description="容量")
    sold: int = Field(description="已售（已安排）")
    used: int = Field(description="已安葬")
    eco_sold: int = Field(description="节地生态葬式已售")
    eco_share_sold: float | None = Field(description="节地生态占已售（%）；没有已售时为空")
    eco_share_capacity: float | None = Field(description="节地生态占容量（%）；没有容量时为空")


class CemeteryOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    street: str = Field(description="所在街镇区划代码")
    street_name: str
    operator: str
    status: str
    status_label: str
    counts: CountsOut | None = Field(description="数量；尚未登记墓区时为空（未知，不是0）")


class CemeteryPage(Schema):
    count: int
    results: list[CemeteryOut]


class StockOut(Schema):
    section: str
    plot_kind: str
    plot_kind_label: str
    eco: bool = Field(description="节地生态葬式")
    capacity: int
    sold: int
    used: int


class PriceOut(Schema):
    plot_kind: str
    plot_kind_label: str
    price_fen: int | None = Field(description="今日执行的价格（分）；未定价为空")
    effective_from: dt.date | None
    cap_fen: int | None = Field(description="今日有效的最高限价（分）；未设或不适用为空")
    cap_citation: str | None
    over_cap: bool


class InspectionOut(Schema):
    id: int
    year: int
    inspected_on: dt.date
    outcome: str
    outcome_label: str
    rectifications: int
    verified: int
    overdue: int


class CemeteryDetailOut(CemeteryOut):
    address: str
    licence_number: str
    stocks: list[StockOut]
    prices: list[PriceOut]
    inspections: list[InspectionOut]


class ReportRowOut(Schema):
    cemetery_id: int
    name: str
    kind_label: str
    street_name: str
    outcome_label: str = Field(description="年检结论，或 未检查 / 不参加年检（规划中）")
    failed: int | None
    rectifications: int | None
    verified: int | None
    overdue: int | None
    counts: CountsOut | None


class ReportOut(Schema):
    year: int
    as_of: dt.date
    title: str
    rows: list[ReportRowOut]


def _counts(c: Counts | None) -> dict | None:
    if c is None:
        return None
    share = c.eco_share_sold
    cap_share = c.eco_share_capacity
    return {"capacity": c.capacity, "sold": c.sold, "used": c.used, "eco_sold": c.eco_sold,
            "eco_share_sold": None if share is None else float(share),
            "eco_share_capacity": None if cap_share is None else float(cap_share)}


def _site(site, counts: Counts | None) -> dict:
    return {"id": site.pk, "name": site.name, "kind": site.kind, "kind_label": CemeteryKind(site.kind).label,
            "street": site.street_id, "street_name": site.street.name, "operator": site.operator,
            "status": site.status, "status_label": CemeteryStatus(site.status).label, "counts": _counts(counts)}


@router.get("/cemeteries", response=responses(CemeteryPage), summary="公墓和骨灰堂（含数量和节地生态占比）",
            operation_id="cemeteries_list")
def cemetery_list(request: HttpRequest, kind: KindCode | None = Query(None), street: str | None = Query(
        None, pattern=r"^\d{9}$", description="所在街镇区划代码（9位）"), status: StatusCode | None = Query(None),
                  limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.cemeteries(request.user))
    if kind:
        rows = rows.filter(kind=kind)
    if street:
        rows = rows.filter(street_id=street)
    if status:
        rows = rows.filter(status=status)
    page = list(rows.order_by("street_id", "name")[offset: offset + limit])
    counts = selectors.counts_by_cemetery([s.pk for s in page])
    return {"count": rows.count(), "results": [_site(s, counts.get(s.pk)) for s in page]}


@router.get("/cemeteries/report/{year}", response=responses(ReportOut), summary="公墓年检年度报告",
            operation_id="cemeteries_report")
def report(request: HttpRequest, year: int = Path(..., ge=2000, le=2100, description="年度")) -> dict:
    today = timezone.localdate()
    data = call_service(lambda: yearly_report(request.user, year, today))
    return {"year": year, "as_of": today, "title": data.title, "rows": [{
        "cemetery_id": r.cemetery.pk, "name": r.cemetery.name, "kind_label": CemeteryKind(r.cemetery.kind).label,
        "street_name": r.cemetery.street.name, "outcome_label": r.outcome_text,
        "failed": r.summary.failed if r.summary else None,
        "rectifications": r.summary.rectifications if r.summary else None,
        "verified": r.summary.verified if r.summary else None, "overdue": r.summary.overdue if r.summary else None,
        "counts": _counts(r.counts)} for r in data.rows]}


@router.get("/cemeteries/{cemetery_id}", response=responses(CemeteryDetailOut),
            summary="公墓或骨灰堂详情（墓区数量、今日价格和限价、年检）", operation_id="cemeteries_detail")
def cemetery_detail(request: HttpRequest, cemetery_id: int = path_id("公墓编号")) -> dict:
    site = call_service(lambda: selectors.cemetery_get(request.user, cemetery_id))
    today = timezone.localdate()
    out = _site(site, selectors.counts_by_cemetery([site.pk]).get(site.pk))
    out.update(address=site.address, licence_number=site.licence_number, stocks=[{
        "section": s.section.name, "plot_kind": s.plot_kind, "plot_kind_label": PlotKind(s.plot_kind).label,
        "eco": s.is_eco, "capacity": s.capacity, "sold": s.sold, "used": s.used} for s in selectors.stocks(site)],
        prices=[{"plot_kind": line.plot_kind, "plot_kind_label": line.label,
                 "price_fen": line.price.price_fen if line.price else None,
                 "effective_from": line.price.effective_from if line.price else None,
                 "cap_fen": line.cap.cap_fen if line.cap else None,
                 "cap_citation": line.cap.citation if line.cap else None, "over_cap": line.over_cap}
                for line in selectors.price_lines(site, today)],
        inspections=[])
    for inspection in site.inspections.order_by("-year"):
        s = selectors.summary(inspection, today)
        out["inspections"].append({"id": inspection.pk, "year": inspection.year,
                                   "inspected_on": inspection.inspected_on, "outcome": s.outcome.value,
                                   "outcome_label": s.outcome_label, "rectifications": s.rectifications,
                                   "verified": s.verified, "overdue": s.overdue})
    return out
