"""Policy endpoints: evaluate one household; list parameters; batch runs."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from minzheng.core.api import call_service
from minzheng.core.permissions import require
from minzheng.eligibility import selectors, services
from minzheng.eligibility.evaluation import evaluate_payload
from policy import InputError

router = Router(tags=["政策测算"])


EVALUATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["month", "household"],
            "properties": {"month": {"type": "string", "example": "2024-08"}, "cpi": {"type": "object"},
                           "household": {"type": "object"}, "trace": {"type": "boolean"}},
        }}},
    }
}


def _problem(field: str, message: str) -> Status:
    return Status(422, {"error": "输入有误", "problems": [{"field": field, "message": message}]})


@router.post("/policy/evaluate", summary="计算一户家庭当月各项政策的资格、金额和理由",
             response={200: dict, 422: dict}, openapi_extra=EVALUATE_BODY)
def evaluate(request: HttpRequest) -> Any:
    """Body: the engine's household JSON (see policy/README.md), plus optional
    ``"trace": true`` for the full dependency tree. Bad input → 422 listing
    every problem."""
    try:
        body = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _problem("", "请求体不是有效的 JSON")
    if not isinstance(body, dict):
        return _problem("", "请求体应为 JSON 对象")
    trace = body.pop("trace", False)
    if not isinstance(trace, bool):
        return _problem("trace", "应为 true 或 false")
    try:
        return evaluate_payload(body, trace=trace)
    except InputError as err:
        return Status(422, {"error": "输入有误", "problems": err.problems})


@router.get("/policy/parameters", response=list[dict], summary="全部政策参数及其时间线、依据和核实状态")
def parameters(request: HttpRequest) -> list[dict]:
    return selectors.parameter_catalogue()


@router.get("/policy/runs/{month}", response=dict, summary="某月批量测算结果汇总（按辖区）")
def run_summary(request: HttpRequest, month: str) -> dict:
    summary = selectors.run_summary(request.user, month)
    if summary is None:
        raise HttpError(404, f"{month} 没有批量测算结果")
    return summary


@router.get("/households/{household_id}/decisions", response=dict, summary="某户某月已存储的决定")
def household_decisions(request: HttpRequest, household_id: int, month: str) -> dict:
    found = selectors.household_decisions(request.user, household_id, month)
    if found is None:
        raise HttpError(404, "未找到该家庭或该月没有批量测算结果")
    return found


class CpiIn(Schema):
    all_yoy_pct: str
    food_yoy_pct: str
    source: str = ""


@router.put("/policy/cpi/{month}", response=dict, summary="录入或更正某月CPI涨幅（区民政局）")
def cpi_put(request: HttpRequest, month: str, payload: CpiIn) -> dict:
    require(request.user, "eligibility.parameters_manage")
    record = call_service(lambda: services.cpi_record(actor=request.user, month=month, all_yoy_pct=payload.all_yoy_pct,
                                                      food_yoy_pct=payload.food_yoy_pct, source=payload.source))
    return {"month": record.month, **record.as_policy_input()}
