"""One entry point for the UI and the API to take a step by name: parses
the submitted fields (strings from a form or JSON values) and calls the
matching service. Field errors are ``ValidationError`` in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from minzheng.casework import services
from minzheng.casework.models import Application
from minzheng.core.bounds import day_check
from minzheng.core.models import User

_TRUE = {True, "1", "true", "yes", "on", "agree", "同意"}
_FALSE = {False, "0", "false", "no", "off", "disagree", "不同意"}


def _bool(fields: dict, name: str, label: str) -> bool:
    value = fields.get(name)
    if not isinstance(value, bool | int | str):  # a list or object from JSON is not hashable
        raise ValidationError(f"请选择{label}（同意或不同意）")
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError(f"请选择{label}（同意或不同意）")


def _date(fields: dict, name: str, label: str, default: dt.date | None = None) -> dt.date:
    value = fields.get(name)
    if value in (None, ""):
        if default is None:
            raise ValidationError(f"请填写{label}")
        return default
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValidationError(f"{label}应为日期（YYYY-MM-DD）")
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError as err:
        raise ValidationError(f"{label}“{value[:20]}”不是有效日期（YYYY-MM-DD）") from err
    return day_check(day, label)


def _text(fields: dict, name: str) -> str:
    value = fields.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ValidationError(f"“{name}”应为文字")
    return str(value)


def take_action(*, actor: User, application: Application, action: str, fields: dict[str, Any],
                on: dt.date | None = None) -> Any:
    """Dispatch ``action`` with ``fields`` to its service."""
    on = on or dt.date.today()
    common = {"actor": actor, "application": application, "on": on}
    if action == "accept":
        return services.application_accept(**common, note=_text(fields, "note"))
    if action == "reject":
        return services.application_reject(**common, reasons=_text(fields, "reasons"))
    if action == "verify":
        return services.application_verify(**common, verification_reference=_text(fields, "verification_reference"),
                                           summary=_text(fields, "reasons"))
    if action == "visit":
        return services.application_visit(**common, visited_on=_date(fields, "visited_on", "调查日期", on),
                                          visitors=_text(fields, "visitors"), findings=_text(fields, "findings"))
    if action == "street_review":
        return services.application_street_review(**common, agree=_bool(fields, "agree", "审核意见"),
                                                  reasons=_text(fields, "reasons"))
    if action == "post_notice":
        return services.application_post_notice(**common, starts_on=_date(fields, "starts_on", "公示开始日期", on))
    if action == "approve":
        return services.application_approve(**common, agree=_bool(fields, "agree", "审批意见"),
                                            reasons=_text(fields, "reasons"))
    if action == "decide":
        return services.application_decide(**common, reasons=_text(fields, "reasons"))
    if action == "extend":
        return services.application_extend(**common, reasons=_text(fields, "reasons"))
    if action == "withdraw":
        return services.application_withdraw(**common, reasons=_text(fields, "reasons"))
    raise ValidationError(f"未知的办理环节：{action}")
