"""The HTTP API at ``/api/v1`` (django-ninja; OpenAPI docs at ``/api/docs``).

Each domain contributes a router; authentication is a bearer token from
``POST /api/v1/auth/token``. Everything is scoped to the token's user.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from minzheng.casework.api import router as casework_router
from minzheng.core.api import BearerAuth, picker_router
from minzheng.core.api import router as auth_router
from minzheng.eligibility.api import router as eligibility_router
from minzheng.feeds.api import router as feeds_router
from minzheng.monitoring.api import router as monitoring_router
from minzheng.payments.api import router as payments_router
from minzheng.registry.api import router as registry_router
from minzheng.verification.api import router as verification_router

api = NinjaAPI(
    title="民政 Minzheng API",
    version="1",
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


# Pydantic error types → what a clerk reads. Anything else: "格式不正确".
_MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式不正确",
    "greater_than_equal": "数值太小",
    "greater_than": "数值太小",
    "less_than_equal": "数值太大",
    "less_than": "数值太大",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
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
        message = _MESSAGES.get(error.get("type", ""), "格式不正确")
        if error.get("type") in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            limit = next(iter((error.get("ctx") or {}).values()), None)
            message = f"{message}（界限 {limit}）" if limit is not None else message
        problems.append({"field": ".".join(location), "message": message})
    return api.create_response(request, {"error": "输入有误", "problems": problems}, status=422)


# One way to refuse (ADR 0010), also for refusals an endpoint does not catch
# itself: wrong role → 403, missing or outside the user's jurisdiction → 404
# (never saying which), both in the shape of ``HttpError`` ({"detail": …}).
@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权办理"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "未找到该记录"}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def does_not_exist(request: HttpRequest, exc: Exception) -> HttpResponse:
    return not_found(request, exc)
