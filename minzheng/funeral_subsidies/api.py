"""Funeral-subsidy endpoints (mounted at /api/v1/funeral-subsidies): the grants
(scoped like the pages: ``funeral_subsidies.view``; ID numbers masked) and the
basic subsidy's assessment of a registry person on a death date
(``funeral_subsidies.view`` and the person in the user's jurisdiction; the
funeral home asks through the service port instead, ADR 0027). Refusals are 4xx with a
Chinese ``detail``: 403 wrong role, 404 outside the jurisdiction."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from minzheng.core.api import Limit, Offset, call_service, coded, path_id, responses
from minzheng.core.bounds import day_check
from minzheng.core.permissions import require
from minzheng.funeral_subsidies import selectors, services
from minzheng.funeral_subsidies.models import Grant, GrantKind, GrantStatus
from minzheng.registry import selectors as registry_selectors

router = Router(tags=["殡葬补贴"])

KindCode = coded(GrantKind.choices, "补贴类别")
StatusCode = coded(GrantStatus.choices, "补贴状态")


class FuneralGrantOut(Schema):
    id: int
    kind: str
    kind_label: str
    deceased_name: str
    deceased_id_number_masked: str
    death_date: dt.date | None
    street: str | None = Field(description="街镇；空：逝者不在人口库")
    eligibility: str
    eligibility_label: str
    reasons: list[str] = Field(description="补贴理由（中文）")
    missing: list[str] = Field(description="尚不能确定时缺少的信息（中文）")
    amount_fen: int | None = Field(description="补贴金额（分）；空：尚未核定（按实际费用待定或参数缺失），不是零")
    cost_fen: int | None = Field(description="基本殡葬服务实际费用（分）；空：未知")
    amount_verified: bool | None = Field(description="所用标准是否已核实；false 时显示“此参数尚未核实”；空：尚无标准")
    payment_method: str
    payment_method_label: str
    status: str
    status_label: str
    status_reason: str
    urns: int


class FuneralGrantPage(Schema):
    count: int
    results: list[FuneralGrantOut]


class FuneralAssessmentOut(Schema):
    person_id: int
    death_date: dt.date
    eligible: bool | None = Field(description="true 符合；false 不符合；空：尚不能确定（见 missing）")
    reasons: list[str]
    missing: list[str]
    cap_fen: int | None = Field(description="补贴最高额（分）；空：参数缺失（PARAMETER_MISSING）")
    cap_verified: bool | None = Field(description="最高额是否已核实；空：参数缺失")


def _grant(g: Grant) -> dict:
    basis = g.amount_basis or {}
    return {"id": g.pk, "kind": g.kind, "kind_label": g.get_kind_display(), "deceased_name": g.deceased_name,
            "deceased_id_number_masked": g.deceased_id_masked, "death_date": g.death_date,
            "street": g.street.name if g.street_id else None, "eligibility": g.eligibility,
            "eligibility_label": g.get_eligibility_display(), "reasons": list(g.reasons), "missing": list(g.missing),
            "amount_fen": g.amount_fen, "cost_fen": g.cost_fen,
            "amount_verified": basis.get("verified") if basis else None, "payment_method": g.payment_method,
            "payment_method_label": g.get_payment_method_display() or "待定", "status": g.status,
            "status_label": g.get_status_display(), "status_reason": g.status_reason, "urns": g.urns}


@router.get("/funeral-subsidies/grants", response=responses(FuneralGrantPage), summary="殡葬补贴（免申即享；身份证号脱敏）",
            operation_id="funeral_subsidies_grant_list")
def grant_list(request: HttpRequest, kind: KindCode | None = None, status: StatusCode | None = None,
               limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.grants_visible(request.user))
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_grant(g) for g in rows[offset : offset + limit]]}


@router.get("/funeral-subsidies/grants/{grant_id}", response=responses(FuneralGrantOut), summary="一笔殡葬补贴",
            operation_id="funeral_subsidies_grant_detail")
def grant_detail(request: HttpRequest, grant_id: int = path_id("补贴编号")) -> dict:
    return _grant(call_service(lambda: selectors.grant_get(request.user, grant_id)))


@router.get("/funeral-subsidies/assess", response=responses(FuneralAssessmentOut),
            summary="基本殡葬服务补贴资格（人口库人员、死亡日期）", operation_id="funeral_subsidies_assess",
            description="按死亡日期的户籍、优抚和低保、特困、因病支出型贫困保障判断；平台没有的信息（定期定量、"
                        "社会保险丧葬补助金）列在 missing 中，此时 eligible 为空，不按“不符合”处理。")
def assess(request: HttpRequest, person_id: int = Query(..., ge=1, le=2**63 - 1, description="人员编号"),
           death_date: dt.date = Query(..., description="死亡日期（YYYY-MM-DD）")) -> dict:
    require(request.user, "funeral_subsidies.view")
    day = call_service(lambda: day_check(death_date, "死亡日期"))
    person = call_service(lambda: registry_selectors.person_get(request.user, person_id))
    a = services.basic_subsidy_assess(person=person, id_number="", death_date=day)
    return {"person_id": person.pk, "death_date": day, "eligible": a.eligible, "reasons": a.reasons,
            "missing": a.missing, "cap_fen": a.cap_fen, "cap_verified": a.cap.verified if a.cap else None}
