"""Meal imports and settlements as background jobs (``jobs``, ADR 0017; ADR 0032):
导入助餐记录 and 助餐月度结算.

* ``meals_import``: the page stores the file (``upload_store``) and queues
  this job with the canteen; it runs ``services.meal_file_import`` as the
  staff member who started it (same file again → nothing changes, so a retry
  is safe). One import per canteen at a time (lock key).
* ``meals_settle``: every canteen in the actor's sight for a month
  (``services.settlements_run_all``; a settled canteen is left as it is, so
  a retry is safe). One settlement run per month at a time.

The command line runs the services directly (``minzheng meals import``,
``minzheng meals settle``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from minzheng.core.file_import import ImportFileError
from minzheng.core.months import month_label, month_parse
from minzheng.jobs.services import (
    JobKind,
    Outcome,
    Progress,
    upload_description,
    upload_discard,
    upload_get,
    upload_open,
    upload_param,
)
from minzheng.meals.services import meal_file_import, settlements_run_all

IMPORT = "meals_import"
SETTLE = "meals_settle"


def _import_clean(params: dict[str, Any]) -> dict[str, Any]:
    try:
        canteen = int(params.get("canteen", 0))
    except (TypeError, ValueError) as err:
        raise ValidationError("请选择助餐点") from err
    if canteen <= 0:
        raise ValidationError("请选择助餐点")
    return {"canteen": canteen, "upload": upload_param(params)}


def _import_describe(params: dict[str, Any]) -> str:
    return f"助餐点编号：{params['canteen']}；文件：{upload_description(params['upload'])}"


def _import_run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    upload = upload_get(params["upload"])
    try:
        meal_import, created = meal_file_import(actor=actor, canteen_id=params["canteen"],
                                                stream=upload_open(upload), file_name=upload.original_name,
                                                progress=progress)
    except ImportFileError as err:
        raise ValidationError(str(err)) from err
    upload_discard(upload)
    url = reverse("meals:import_detail", args=[meal_import.pk])
    if not created:
        return Outcome(summary="该文件此前已导入，本次未作任何改动", url=url, link_label="查看该次导入",
                       value=meal_import)
    return Outcome(summary=f"已导入：共 {meal_import.rows_total} 行，登记 {meal_import.rows_recorded} 行，"
                           f"已登记过 {meal_import.rows_repeated} 行，有问题 {meal_import.rows_quarantined} 行",
                   url=url, link_label="查看导入结果和问题行", value=meal_import)


def _settle_clean(params: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"month": month_parse(str(params.get("month", "")))}
    except (ValueError, TypeError) as err:
        raise ValidationError("结算月份格式应为 YYYY-MM") from err


def _settle_run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    result = settlements_run_all(actor=actor, month=params["month"], progress=progress)
    return Outcome(summary=f"{month_label(params['month'])}：{result['canteens']} 个助餐点，新结算 {result['settled']} 个，"
                           f"此前已结算 {result['already_settled']} 个（未改动）",
                   url=reverse("meals:settlements") + f"?month={params['month']}", link_label="查看结算",
                   value=result)


MEALS_IMPORT = JobKind(
    code=IMPORT, label="导入助餐记录", permission="meals.record", run=_import_run, clean=_import_clean,
    describe=_import_describe, lock_key=lambda params: f"meals:import:{params['canteen']}",
    lock_label=lambda params: "同一助餐点的两次导入")
MEALS_SETTLE = JobKind(
    code=SETTLE, label="助餐月度结算", permission="meals.settle", run=_settle_run, clean=_settle_clean,
    describe=lambda params: f"结算月份：{month_label(params['month'])}",
    lock_key=lambda params: f"meals:settle:{params['month']}",
    lock_label=lambda params: f"{month_label(params['month'])}的助餐结算")
