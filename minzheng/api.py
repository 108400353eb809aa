"""The HTTP API at ``/api/v1`` (django-ninja; OpenAPI docs at ``/api/docs``).

Each domain contributes a router; authentication is a bearer token from
``POST /api/v1/auth/token``. Everything is scoped to the token's user.

Every answer under ``/api/`` is JSON: successes in each operation's schema,
every refusal in one error model (``core.api.ApiError``: ``detail`` in
Chinese, ``code``, ``problems``) — also for unknown paths (404), a method an
operation does not take (405), a lock-out (429) and an unhandled error (500).
"""

import functools
import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.log import log_response
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from minzheng.bookings.api import router as bookings_router
from minzheng.care_facilities.api import router as care_facilities_router
from minzheng.care_homes.api import router as care_homes_router
from minzheng.caregivers.api import router as caregivers_router
from minzheng.casework.api import router as casework_router
from minzheng.cemeteries.api import router as cemeteries_router
from minzheng.charity.api import router as charity_router
from minzheng.children.api import router as children_router
from minzheng.core.api import BearerAuth, error_response, picker_router
from minzheng.core.api import router as auth_router
from minzheng.deaths.api import router as deaths_router
from minzheng.dementia_care.api import router as dementia_care_router
from minzheng.disability_services.api import router as disability_services_router
from minzheng.elder_alerts.api import router as elder_alerts_router
from minzheng.eligibility.api import router as eligibility_router
from minzheng.feeds.api import router as feeds_router
from minzheng.funeral.api import router as funeral_router
from minzheng.funeral_subsidies.api import router as funeral_subsidies_router
from minzheng.hardship_visits.api import router as hardship_visits_router
from minzheng.home_adaptations.api import router as home_adaptations_router
from minzheng.homeless_rescue.api import router as homeless_rescue_router
from minzheng.jobs.api import router as jobs_router
from minzheng.marriage.api import router as marriage_router
from minzheng.marriage.statistics_api import router as marriage_statistics_router
from minzheng.meals.api import router as meals_router
from minzheng.minors_protection.api import router as minors_protection_router
from minzheng.monitoring.api import router as monitoring_router
from minzheng.payments.api import router as payments_router
from minzheng.registry.api import router as registry_router
from minzheng.social_orgs.api import router as social_orgs_router
from minzheng.social_orgs.zombie_api import router as social_orgs_zombie_router
from minzheng.supervision.api import router as supervision_router
from minzheng.sweeping.api import router as sweeping_router
from minzheng.verification.api import router as verification_router

logger = logging.getLogger("django.request")


def _json_not_allowed(view: Any) -> Any:
    """A method the path does not take: 405 in the error model, with ``Allow``."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = error_response(405, f"该地址不支持 {request.method} 方法（可用：{allowed}）")
            response["Allow"] = allowed
        return response

    return wrapped


def _unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    return error_response(404, "接口地址不存在")


class MinzhengAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # ``<app>_<function>``: payments_batch_approve, registry_persons, …
        app = operation.view_func.__module__.split(".")[1]
        name = operation.view_func.__name__
        return name if name.startswith(f"{app}_") else f"{app}_{name}"

    def _get_urls(self) -> list:
        patterns = super()._get_urls()
        for pattern in patterns:
            if hasattr(pattern, "callback"):
                pattern.callback = _json_not_allowed(pattern.callback)
        patterns.append(re_path(r"^(?P<path>.*)$", _unknown_path, name="unknown"))
        return patterns


api = MinzhengAPI(
    title="民政 Minzheng API",
    version="1",
    description=(
        "区民政局业务平台接口。用 `POST /api/v1/auth/token` 换取访问令牌，在请求头中写 "
        "`Authorization: Bearer <令牌>`。数据限于令牌所属用户的辖区；辖区外的记录与不存在的记录同样返回 404。"
        "所有错误都以同一格式返回：`{\"detail\": 中文说明, \"code\": 错误类别, \"problems\": [{\"field\", \"message\"}]}`。"
    ),
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=login_required,  # the API documentation is for signed-in staff
    openapi_url="/v1/openapi.json",
    auth=BearerAuth(),
)
api.add_router("/v1/auth", auth_router)
api.add_router("/v1", picker_router)
api.add_router("/v1", registry_router)
api.add_router("/v1", eligibility_router)
api.add_router("/v1", feeds_router)
api.add_router("/v1", casework_router)
api.add_router("/v1", verification_router)
api.add_router("/v1", monitoring_router)
api.add_router("/v1", payments_router)
api.add_router("/v1", marriage_router)
api.add_router("/v1", bookings_router)
api.add_router("/v1", deaths_router)
api.add_router("/v1", cemeteries_router)
api.add_router("/v1", sweeping_router)  # tomb sweeping (ADR 0026)
# elderly care (养老服务, issues 15 and 16)
api.add_router("/v1", care_facilities_router)
api.add_router("/v1", care_homes_router)
api.add_router("/v1", supervision_router)
api.add_router("/v1", caregivers_router)
api.add_router("/v1", meals_router)
api.add_router("/v1", elder_alerts_router)
api.add_router("/v1", hardship_visits_router)
api.add_router("/v1", children_router)
api.add_router("/v1", homeless_rescue_router)
api.add_router("/v1", home_adaptations_router)
api.add_router("/v1", dementia_care_router)
api.add_router("/v1", disability_services_router)
api.add_router("/v1", charity_router)  # charity supermarkets and welfare lottery (ADR 0040)
api.add_router("/v1", social_orgs_router)  # social organizations (ADR 0039)
api.add_router("/v1", social_orgs_zombie_router)  # zombie organizations (ADR 0042)
api.add_router("/v1", jobs_router)
api.add_router("/v1", marriage_statistics_router)  # the registry office's statistics (ADR 0022)
api.add_router("/v1", funeral_router)  # funeral services, 白事管家 (ADR 0024)
api.add_router("/v1", funeral_subsidies_router)  # funeral and burial subsidies (ADR 0027)
api.add_router("/v1", minors_protection_router)  # 未成年人保护 (ADR 0036): cases for assigned staff and the office only


# Pydantic error types → what a clerk reads. Anything else: "格式不正确".
_MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_long": "文字太长",
    "string_too_short": "文字太短",
    "string_pattern_mismatch": "格式不正确",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式不正确",
    "greater_than_equal": "数值太小",
    "greater_than": "数值太小",
    "less_than_equal": "数值太大",
    "less_than": "数值太大",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "extra_forbidden": "未知字段",
    "enum": "取值无效",
    "literal_error": "取值无效",
}


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Request validation errors in Chinese, each naming its field (HTTP 422)."""
    problems = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        kind = error.get("type", "")
        message = _MESSAGES.get(kind, "格式不正确")
        if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            limit = next(iter((error.get("ctx") or {}).values()), None)
            message = f"{message}（界限 {limit}）" if limit is not None else message
        elif kind == "string_pattern_mismatch" and location and location[-1] in ("month", "effective_month"):
            message = "月份格式应为 YYYY-MM"
        elif kind in ("literal_error", "enum"):
            expected = (error.get("ctx") or {}).get("expected")
            message = f"{message}（可选：{expected}）" if expected else message
        problems.append({"field": ".".join(location), "message": message})
    return error_response(422, "输入有误", problems)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(401, "请先登录：缺少访问令牌，或令牌无效、已过期、已吊销")


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(429, "请求过于频繁，请稍后再试")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc.message)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "请求体不是有效的 JSON"
    return error_response(exc.status_code, detail, getattr(exc, "problems", ()))


# One way to refuse (ADR 0010), also for refusals an endpoint does not catch
# itself: wrong role → 403, missing or outside the user's jurisdiction → 404
# (never saying which).
@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, str(exc) or "无权办理")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "未找到该记录")


@api.exception_handler(ObjectDoesNotExist)
def does_not_exist(request: HttpRequest, exc: Exception) -> HttpResponse:
    return not_found(request, exc)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """An unhandled error: logged like Django logs one (path only, never the
    query string or the body), answered in the error model."""
    response = error_response(500, "系统出错，本次操作没有完成；错误已记录，请稍后重试")
    log_response("%s: %s", "Internal Server Error", request.path, response=response, request=request, exception=exc)
    return response
