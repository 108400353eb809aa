"""认知障碍友好社区: the endpoints (mounted at /api/v1, ADR 0034). Scoped like
the pages: another committee's or street's screening is 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import STAFF_AUTH, Limit, Offset, call_service, coded, path_id, responses
from minzheng.core.bounds import day_check
from minzheng.dementia_care import selectors, services
from minzheng.dementia_care.models import RiskLevel, Screening, ScreeningTool
from minzheng.registry.selectors import person_get

router = Router(tags=["认知障碍友好社区"], auth=STAFF_AUTH)

RiskCode = coded(RiskLevel.choices, "风险等级")


class DementiaScreeningOut(Schema):
    id: int
    name: str
    id_number_masked: str = Field(description="身份证号（脱敏）")
    street: str
    street_name: str
    committee: str
    tool: str
    score: int
    positive: bool | None = Field(description="按量表公开界值阳性；量表无界值为空")
    risk_level: str
    risk_level_label: str
    screened_on: dt.date
    screener: str
    referral_to: str
    referred_on: dt.date | None
    follow_ups: int


class DementiaScreeningPage(Schema):
    count: int
    results: list[DementiaScreeningOut]


class DementiaScreeningIn(Schema):
    person_id: int = Field(ge=1, description="人员编号")
    tool: str = Field(max_length=16, description="量表代码（ad8、mini_cog、mmse …）")
    score: int = Field(ge=0, le=999)
    screened_on: dt.date
    screener: str = Field(min_length=1, max_length=64)
    risk_level: RiskCode
    note: str = Field("", max_length=200)


class DementiaStreetOut(Schema):
    street: str
    street_name: str
    screenings: int
    persons: int
    positive: int
    high: int
    referred: int


class DementiaFiguresOut(Schema):
    year: int
    target_screenings: int | None
    reported_screenings: int | None
    source: str | None
    streets: list[DementiaStreetOut]


def _screening(s: Screening) -> dict:
    return {"id": s.pk, "name": s.person.name, "id_number_masked": s.person.id_number_masked, "street": s.street_id,
            "street_name": s.street.name, "committee": s.committee_id, "tool": s.tool.name, "score": s.score,
            "positive": s.positive, "risk_level": s.risk_level, "risk_level_label": s.get_risk_level_display(),
            "screened_on": s.screened_on, "screener": s.screener, "referral_to": s.referral_to,
            "referred_on": s.referred_on, "follow_ups": s.follow_ups.count()}


@router.get("/eldercare/dementia/screenings", response=responses(DementiaScreeningPage), operation_id="dementia_screenings",
            summary="认知障碍风险筛查记录")
def screening_list(request: HttpRequest, risk_level: RiskCode | None = Query(None),
                   limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.screenings_visible(request.user))
    if risk_level:
        rows = rows.filter(risk_level=risk_level)
    return {"count": rows.count(), "results": [_screening(s) for s in rows.order_by("-id")[offset: offset + limit]]}


@router.get("/eldercare/dementia/figures/{year}", response=responses(DementiaFiguresOut), operation_id="dementia_figures",
            summary="认知障碍风险筛查按街镇统计")
def figures(request: HttpRequest, year: int = Path(..., ge=2000, le=2100, description="年度")) -> dict:
    rows = call_service(lambda: selectors.counts_by_street(request.user, year))
    figure = selectors.year_figure(year)
    return {"year": year, "target_screenings": figure.target_screenings if figure else None,
            "reported_screenings": figure.reported_screenings if figure else None,
            "source": figure.source if figure else None,
            "streets": [{"street": r.street.code, "street_name": r.street.name, "screenings": r.screenings,
                         "persons": r.persons, "positive": r.positive, "high": r.high, "referred": r.referred}
                        for r in rows]}


@router.get("/eldercare/dementia/screenings/{screening_id}", response=responses(DementiaScreeningOut),
            operation_id="dementia_screening", summary="一条筛查记录")
def screening_detail(request: HttpRequest, screening_id: int = path_id("筛查记录编号")) -> dict:
    return _screening(call_service(lambda: selectors.screening_get(request.user, screening_id)))


@router.post("/eldercare/dementia/screenings", response=responses(DementiaScreeningOut, 201),
             operation_id="dementia_screening_record", summary="登记筛查（风险等级由筛查人判断）")
def screening_record(request: HttpRequest, payload: DementiaScreeningIn) -> Status:
    def run():
        person = person_get(request.user, payload.person_id)
        tool = ScreeningTool.objects.get(code=payload.tool)
        return services.screening_record(actor=request.user, person=person, tool=tool, score=payload.score,
                                         screened_on=day_check(payload.screened_on, "筛查日期"),
                                         screener=payload.screener, risk_level=payload.risk_level,
                                         note=payload.note)
    return Status(201, _screening(call_service(run)))
