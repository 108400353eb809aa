"""Policy endpoints: evaluate one household; list parameters; batch runs."""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from minzheng.core.api import (
    ApiRefusal,
    Month,
    call_service,
    month_in_path,
    month_query,
    path_id,
    responses,
)
from minzheng.core.permissions import require
from minzheng.eligibility import selectors, services
from minzheng.eligibility.evaluation import evaluate_payload
from policy import InputError

router = Router(tags=["政策测算"])

YUAN_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
Yuan = Annotated[str, Field(pattern=YUAN_PATTERN, description="金额（元，最多两位小数）", examples=["800"])]


# --- the engine's household JSON (policy/README.md): documented here, validated by the engine ------

class EvaluateDisabilityIn(Schema):
    grade: int = Field(ge=1, le=4, description="残疾等级（1–4）")
    kind: str = Field(description="残疾类别（如：肢体、视力、听力、言语、智力、精神、多重）")


class EvaluateCareAssessmentIn(Schema):
    level: int = Field(ge=1, le=6, description="照护等级（老年照护统一需求评估，1–6级）")
    assessed_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$",
                             description="评估日期（YYYY-MM-DD）；评估自该日后的首个1日所在月份起计（当日为1日则当月起计）")


class EvaluateMemberIn(Schema):
    """收入二选一：只填月收入（monthly_income_yuan；就业成员的月收入视为劳动收入，其他成员视为其他收入），
    或同时填劳动收入（earned_income_yuan）和其他收入（other_income_yuan，含养老金）；两种方式同时填写是输入错误。
    就业成员的劳动收入扣除就业人员收入豁免额后计入（豁免额见政策参数；某月没有豁免额时，有就业成员劳动收入的家庭低保和低收入结果为参数缺失）。"""

    id: str = Field(max_length=64, description="成员标识（本次请求内唯一）")
    birth_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="出生日期（YYYY-MM-DD）")
    monthly_income_yuan: Yuan | None = Field(
        None, description="月收入（元）：全部收入；与劳动收入/其他收入二选一。就业成员的月收入视为劳动收入")
    earned_income_yuan: Yuan | None = Field(
        None, description="月劳动收入（元）：工资、经营所得；须与其他收入同时填写，不能与月收入同时填写")
    other_income_yuan: Yuan | None = Field(
        None, description="月其他收入（元）：养老金、失业保险金等，全额计入；须与劳动收入同时填写")
    disability: EvaluateDisabilityIn | None = None
    care_assessment: EvaluateCareAssessmentIn | None = Field(
        None, description="最近一次照护需求评估（养老服务补贴按照护等级和低保/低收入家庭状况发放）；未评估则省略")
    hukou_shanghai: bool = True
    employed: bool = Field(False, description="就业（劳动收入适用就业人员收入豁免）")
    in_school: bool = Field(False, description="全日制在校学生（分类施保：与16周岁以下未成年人同按分类施保标准）")
    able_to_work: bool = False
    has_able_supporter: bool = False
    orphan: bool = False
    unsupported_child: bool = False
    in_institution: bool = False
    unemployment_insurance: bool = Field(False, description="领取失业保险金")
    unemployment_subsidy: bool = Field(False, description="领取失业补助金（价格临时补贴放宽期间的补贴对象）")
    youfu: bool = Field(False, description="优抚对象")


class EvaluateHouseholdIn(Schema):
    id: str = Field(max_length=64, description="家庭标识")
    monetary_assets_yuan: Yuan
    private_cars: int = Field(ge=0, le=100)
    homes: int = Field(ge=0, le=100)
    medical_out_of_pocket_12m_yuan: Yuan | None = None
    members: list[EvaluateMemberIn] = Field(min_length=1, max_length=50)


class EvaluateCpiIn(Schema):
    all_yoy_pct: float = Field(ge=-50, le=100, description="居民消费价格指数同比涨幅（%）")
    food_yoy_pct: float = Field(ge=-50, le=100, description="食品价格指数同比涨幅（%）")


class EvaluateIn(Schema):
    """One household for the engine (policy/README.md). The engine validates the
    whole body and lists every problem at once (422)."""

    month: Month
    cpi: EvaluateCpiIn | None = Field(None, description="上月（测算月份的前一个月）CPI涨幅，触发本月价格临时补贴；"
                                                        "省略则用已录入的上月CPI")
    household: EvaluateHouseholdIn
    trace: bool = Field(False, description="是否返回计算依据（各结果的根节点编号和共享的计算依据节点表）")


def _inline(schema: dict) -> dict:
    """The model's JSON schema with its ``$defs`` inlined (for an OpenAPI request body)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(dict(defs[node["$ref"].rsplit("/", 1)[-1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


EVALUATE_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": _inline(EvaluateIn.model_json_schema())}}}}


class ReasonOut(Schema):
    code: str
    text: str


class ProgramResultOut(Schema):
    program: str = Field(description="项目代码")
    person: str | None = Field(description="个人项目：成员标识；家庭项目：null")
    eligible: bool
    amount_yuan: str
    reasons: list[ReasonOut]
    parameters: list[dict[str, Any]] = Field(description="用到的政策参数及其取值")
    trace: str | None = Field(None, description="计算依据的根节点编号，即 trace_nodes 中的键（trace 为 true 时）")


class EvaluateOut(Schema):
    month: str
    household: str
    parameter_set: str
    rules_version: str
    results: list[ProgramResultOut]
    trace_nodes: dict[str, dict[str, Any]] | None = Field(
        None, description="计算依据节点表：节点编号 → 取值、说明、所用参数、查表行和输入节点编号（trace 为 true 时）")


def _problem(field: str, message: str) -> ApiRefusal:
    return ApiRefusal(422, "输入有误", [{"field": field, "message": message}])


@router.post("/policy/evaluate", summary="计算一户家庭当月各项政策的资格、金额和理由",
             response=responses(EvaluateOut), openapi_extra=EVALUATE_BODY, operation_id="eligibility_evaluate",
             exclude_unset=True)
def evaluate(request: HttpRequest) -> Any:
    """Body: the engine's household JSON (see policy/README.md), plus optional
    ``"trace": true`` for the trace: each result's root node id and one shared
    ``trace_nodes`` table (policy/README.md "Trace"). Bad input → 422 listing
    every problem."""
    try:
        body = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise _problem("", "请求体不是有效的 JSON") from err
    if not isinstance(body, dict):
        raise _problem("", "请求体应为 JSON 对象")
    trace = body.pop("trace", False)
    if not isinstance(trace, bool):
        raise _problem("trace", "应为 true 或 false")
    try:
        return evaluate_payload(body, trace=trace)
    except InputError as err:
        raise ApiRefusal(422, "输入有误", err.problems) from err
    except (ValueError, TypeError, OverflowError, ArithmeticError) as err:
        # What the engine's checks let through but cannot compute (absurd figures).
        raise _problem("", "输入的数值无法计算，请检查金额、日期和CPI") from err


class TimelineEntryOut(Schema):
    effective: str
    value: Any
    ends: bool
    value_text: str
    sureness: str | None
    sureness_label: str
    verified: bool | None
    source: str | None
    note: str | None


class ParameterOut(Schema):
    name: str
    description: str
    unit: str
    unit_label: str
    reference: str | None
    verified: bool | None
    timeline: list[TimelineEntryOut]


@router.get("/policy/parameters", response=responses(list[ParameterOut]), operation_id="eligibility_parameters",
            summary="全部政策参数及其时间线、依据和核实状态")
def parameters(request: HttpRequest) -> list[dict]:
    return selectors.parameter_catalogue()


class RunProgramOut(Schema):
    program: str
    label: str
    eligible: int
    households: int
    amount_fen: int


class RunCpiOut(Schema):
    all_yoy_pct: str = Field(description="居民消费价格指数同比涨幅（%）")
    food_yoy_pct: str = Field(description="食品价格指数同比涨幅（%）")


class RunSummaryOut(Schema):
    month: str
    run: int
    parameter_set: str
    rules_version: str
    finished_at: str | None
    cpi_month: str | None = Field(description="价格临时补贴所用CPI数据的月份（测算月份的上月）；"
                                              "null 表示该批次早于记录此项的版本，未记录")
    cpi: RunCpiOut | None = Field(description="本批次所用的CPI涨幅；null 表示未录入")
    cpi_text: str = Field(description="所用CPI数据的说明（中文）")
    programs: list[RunProgramOut]


@router.get("/policy/runs/{month}", response=responses(RunSummaryOut), operation_id="eligibility_run_summary",
            summary="某月批量测算结果汇总（按辖区）")
def run_summary(request: HttpRequest, month: str = month_in_path()) -> dict:
    summary = selectors.run_summary(request.user, month)
    if summary is None:
        raise HttpError(404, f"{month} 没有批量测算结果")
    return summary


class DecisionOut(Schema):
    program: str
    label: str
    person: int | None
    eligible: bool
    amount_fen: int
    reasons: list[ReasonOut]


class HouseholdDecisionsOut(Schema):
    month: str
    household: int
    run: int
    parameter_set: str
    rules_version: str
    decisions: list[DecisionOut]


@router.get("/households/{household_id}/decisions", response=responses(HouseholdDecisionsOut),
            operation_id="eligibility_household_decisions", summary="某户某月已存储的决定")
def household_decisions(request: HttpRequest, household_id: int = path_id("家庭编号"),
                        month: str = month_query("月份（YYYY-MM）", required=True)) -> dict:
    found = selectors.household_decisions(request.user, household_id, month)
    if found is None:
        raise HttpError(404, "未找到该家庭或该月没有批量测算结果")
    return found


PCT_PATTERN = r"^-?\d{1,3}(\.\d{1,2})?$"


class CpiIn(Schema):
    all_yoy_pct: str = Field(pattern=PCT_PATTERN, description="居民消费价格指数同比涨幅（%）", examples=["1.2"])
    food_yoy_pct: str = Field(pattern=PCT_PATTERN, description="食品价格指数同比涨幅（%）", examples=["2.0"])
    source: str = Field("", max_length=200, description="数据来源")


class CpiOut(Schema):
    month: str
    all_yoy_pct: str
    food_yoy_pct: str


@router.put("/policy/cpi/{month}", response=responses(CpiOut), operation_id="eligibility_cpi_put",
            summary="录入或更正某月CPI涨幅（区民政局）")
def cpi_put(request: HttpRequest, payload: CpiIn, month: str = month_in_path()) -> dict:
    require(request.user, "eligibility.parameters_manage")
    record = call_service(lambda: services.cpi_record(actor=request.user, month=month, all_yoy_pct=payload.all_yoy_pct,
                                                      food_yoy_pct=payload.food_yoy_pct, source=payload.source))
    return {"month": record.month, **record.as_policy_input()}
