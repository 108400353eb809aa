"""``GET /api/v1/marriage/statistics?year=YYYY``: the registry office's
statistics in the report's terms — the same service as the page and the
Excel download (``marriage.statistics``). Mounted in ``minzheng/api.py``
beside the app's other router; scoped to the token user's office; refusals
in the API's error model (403 wrong role, 422 a year that is not valid or
not yet come, in Chinese)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from minzheng.core.api import YEAR_PATTERN, call_service, responses
from minzheng.marriage.statistics import (
    CROSS_FIGURES,
    CROSS_WORD,
    FIGURES,
    SHARE_WORD,
    headline,
    marriage_statistics,
)

router = Router(tags=["婚姻登记"])


class StatisticsRowOut(Schema):
    label: str = Field(description="期间（如“6月”“全年”“6月至12月（同期）”）")
    first: str = Field(description="起始日期")
    last: str = Field(description="截止日期（当年截至今天）")
    marriages: int | None = Field(description="结婚登记（对）；尚未到的月份为空")
    divorce_applications: int | None = Field(description="离婚申请（对）")
    divorces: int | None = Field(description="离婚登记（对）")
    reissues: int | None = Field(description="补发婚姻证书（张）")
    marriages_cross: int | None = Field(description="跨省结婚登记（对）；试点（2023年6月1日）前为空：不适用")
    marriages_same_period: int | None = Field(description="同期（试点起）结婚登记（对），比例的分母")
    marriages_cross_share: str | None = Field(description="跨省结婚登记占同期结婚登记的比例（%，两位小数）；无登记时为空")
    divorce_applications_cross: int | None = Field(description="跨省离婚申请（对）")
    divorce_applications_same_period: int | None = Field(description="同期离婚申请（对）")
    divorce_applications_cross_share: str | None = Field(description="跨省离婚申请占同期离婚申请的比例（%）")
    divorces_cross: int | None = Field(description="跨省离婚登记（对）")
    divorces_same_period: int | None = Field(description="同期离婚登记（对）")
    divorces_cross_share: str | None = Field(description="跨省离婚登记占同期离婚登记的比例（%）")


class ColumnOut(Schema):
    key: str
    label: str


class StatisticsOut(Schema):
    year: int
    office: str = Field(description="登记机关")
    title: str
    headline: str = Field(description="年度报告口径的一句话")
    cross_rule: str = Field(description="跨省统计口径")
    columns: list[ColumnOut] = Field(description="各字段的中文名称")
    months: list[StatisticsRowOut]
    total: StatisticsRowOut
    cross_period: StatisticsRowOut | None = Field(description="试点起的同期合计；试点前的年度为空")


def _columns() -> list[dict]:
    columns = []
    for f in FIGURES:
        columns.append({"key": f.key, "label": f.label})
    for f in CROSS_FIGURES:
        columns += [{"key": f"{f.key}_cross", "label": CROSS_WORD[f.key]},
                    {"key": f"{f.key}_same_period", "label": f"同期{f.label}"},
                    {"key": f"{f.key}_cross_share", "label": f"{SHARE_WORD[f.key]}（%）"}]
    return columns


@router.get("/marriage/statistics", response=responses(StatisticsOut), operation_id="marriage_statistics",
            summary="婚姻登记统计（按月：结婚登记、离婚申请、离婚登记、补发婚姻证书，跨省及占同期比例）")
def marriage_statistics_api(request: HttpRequest,
                            year: str = Query(..., pattern=YEAR_PATTERN, description="年度（YYYY）")) -> dict:
    stats = call_service(lambda: marriage_statistics(request.user, year))
    return {"year": stats.year, "office": stats.office_label, "title": stats.title, "headline": headline(stats),
            "cross_rule": stats.cross_rule, "columns": _columns(),
            "months": [m.as_json() for m in stats.months], "total": stats.total.as_json(),
            "cross_period": stats.cross_period.as_json() if stats.cross_period else None}
