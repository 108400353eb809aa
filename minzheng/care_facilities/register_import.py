from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from minzheng.care_facilities import services
from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.core.audit import audit_record
from minzheng.core.file_import import Problem
from minzheng.core.permissions import require
from minzheng.core.register_sheets import Column, columns_of, row_values, sheet_body
from minzheng.core.register_sheets import template_xlsx as sheet_template

MAX_ROWS = 5000

# header → (field, kind); kind: text | kind | status | committee | date | int | decimal | bool
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("名称", "name", "text"), ("类型", "kind", "kind"), ("居村委代码", "committee", "committee"),
    ("地址", "address", "text"), ("经度", "longitude", "decimal"), ("纬度", "latitude", "decimal"),
    ("运营单位", "operator_name", "text"), ("运营单位统一社会信用代码", "operator_uscc", "text"),
    ("状态", "status", "status"), ("列入计划日期", "planned_on", "date"), ("开工日期", "building_since", "date"),
    ("运营日期", "operating_since", "date"), ("停业日期", "closed_on", "date"), ("床位数", "beds", "int"),
    ("认知障碍照护床位数", "dementia_beds", "int"), ("认知障碍照护床位投用日期", "dementia_beds_since", "date"),
    ("面积（平方米）", "area_m2", "decimal"), ("开放时间", "opening_hours", "text"),
    ("智慧养老院", "smart", "bool"), ("建成智慧养老院日期", "smart_since", "date"),
    ("养老院+互联网医院", "internet_hospital", "bool"), ("接入互联网医院日期", "internet_hospital_since", "date"),
    ("备注", "note", "text"),
)
REQUIRED = ("名称", "类型", "居村委代码", "状态")
SHEET_COLUMNS: tuple[Column, ...] = columns_of(COLUMNS, {"kind": FacilityKind, "status": FacilityStatus})


@dataclass
class ImportResult:
    created: list[Facility] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def template_xlsx() -> bytes:
    """The import template: the headers, and a 说明 sheet listing the allowed values."""
    return sheet_template("养老服务设施", SHEET_COLUMNS, (
        ["必填列", "、".join(REQUIRED)],
        ["类型", "、".join(FacilityKind.labels)],
        ["状态", "、".join(FacilityStatus.labels) + "（状态对应的日期必填：规划—列入计划日期，在建—开工日期，运营—运营日期，停业—停业日期）"],
        ["居村委代码", "12位区划代码，须在您的辖区内"],
        ["日期", "YYYY-MM-DD，不能晚于今天"],
        ["是/否列", "填“是”或留空"],
        ["统一社会信用代码", "18位，系统校验校验位"],
    ))


def facilities_import(*, actor, filename: str, data: bytes, today: dt.date) -> ImportResult:
    """Read the file and register every good row; quarantine the bad ones."""
    require(actor, "care_facilities.manage", allow_job=True)
    headers, body = sheet_body(filename, data, SHEET_COLUMNS, REQUIRED, MAX_ROWS)
    result = ImportResult(rows=len(body))
    with transaction.atomic():
        for number, row in body:
            values, problem = row_values(number, headers, row, SHEET_COLUMNS, REQUIRED)
            if problem is None:
                try:
                    result.created.append(services.facility_create(actor=actor, today=today, **values))
                except ValidationError as err:
                    problem = Problem(number, "整行", "；".join(err.messages))
                except Http404:
                    problem = Problem(number, "居村委代码", "该居村委不在您的辖区内")
            if problem is not None:
                result.problems.append(problem)
        audit_record(actor=actor, action="care_facility.import", object_type="ImportRun", object_id=filename[:100],
                     changes={"file": filename[:100], "rows": result.rows, "good": len(result.created),
                              "bad": len(result.problems)})
    return result
