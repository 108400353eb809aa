"""The API kernel: authentication (bearer tokens issued for a username and
password), the one error model every refusal is answered in, and the shared
parameter types (months, paging, record ids, coded choices)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from django.contrib.auth import authenticate
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from minzheng.core.errors import StateConflict
from minzheng.core.scope import OutOfScope
from minzheng.core.services import api_token_issue, api_token_user

# --- the error model -------------------------------------------------------------------

# Status → machine-readable code of the one error model (the Chinese text is in ``detail``).
ERROR_CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 422: "invalid", 429: "too_many_requests",
    500: "server_error",
}


class Problem(Schema):
    field: str = Field("", description="出错的字段（点分路径）；空：不针对某一字段")
    message: str = Field(description="中文说明")


class ApiError(Schema):
    """Every refusal of the API, whatever its status."""

    detail: str = Field(description="中文说明")
    code: str = Field(description="错误类别：" + "、".join(f"{c}（{s}）" for s, c in ERROR_CODES.items()))
    problems: list[Problem] = Field([], description="逐项的问题（输入有误、不能办理时）")


class ApiRefusal(HttpError):
    """An ``HttpError`` that also lists its problems (answered in the ``ApiError`` model)."""

    def __init__(self, status_code: int, message: str, problems: Iterable[dict] = ()) -> None:
        super().__init__(status_code, message)
        self.problems = list(problems)


def error_body(status: int, detail: str, problems: Iterable[dict] = ()) -> dict:
    return {"detail": detail, "code": ERROR_CODES.get(status, "error"),
            "problems": [{"field": p.get("field", ""), "message": p["message"]} for p in problems]}


def error_response(status: int, detail: str, problems: Iterable[dict] = ()) -> JsonResponse:
    response = JsonResponse(error_body(status, detail, problems), status=status,
                            json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


# Every operation may answer these (400: unreadable body or NUL characters; 401: no or
# bad token; 403: wrong role; 404: missing or outside the jurisdiction; 422: invalid input
# or a rule says no). Writes that depend on a record's state add 409.
COMMON_ERRORS = (400, 401, 403, 404, 422)


def responses(ok: Any, status: int = 200, *, conflict: bool = False, extra: Iterable[int] = ()) -> dict:
    """The ``response=`` of an operation: its success schema and the error model."""
    codes = set(COMMON_ERRORS) | set(extra) | ({409} if conflict else set())
    return {status: ok, **{code: ApiError for code in sorted(codes)}}


def error_responses(*, conflict: bool = False, extra: Iterable[int] = ()) -> dict:
    codes = set(COMMON_ERRORS) | set(extra) | ({409} if conflict else set())
    return {code: ApiError for code in sorted(codes)}


# --- shared parameter types --------------------------------------------------------------------

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
YEAR_PATTERN = r"^\d{4}$"
ID_MAX = 2**63 - 1  # the database's largest key; a larger number could not name a record
OFFSET_MAX = 10_000_000

Month = Annotated[str, Field(pattern=MONTH_PATTERN, description="月份（YYYY-MM）", examples=["2024-08"])]
Limit = Annotated[int, Query(ge=1, le=200, description="每页条数（1–200）")]
Offset = Annotated[int, Query(ge=0, le=OFFSET_MAX, description="跳过的条数")]
RecordId = Annotated[int, Field(ge=1, le=ID_MAX, description="记录编号")]


def path_id(description: str) -> Any:
    return Path(..., ge=1, le=ID_MAX, description=description)


def month_in_path(description: str = "月份（YYYY-MM）") -> Any:
    return Path(..., pattern=MONTH_PATTERN, description=description, examples=["2024-08"])


def month_query(description: str = "月份（YYYY-MM）；省略：不限", *, required: bool = False) -> Any:
    return Query(... if required else None, pattern=MONTH_PATTERN, description=description, examples=["2024-08"])


def coded(choices: Iterable[tuple[str, str]], what: str) -> Any:
    """A closed set of codes (an enum in the schema) described in Chinese: ``code：标签``."""
    pairs = [(str(value), str(label)) for value, label in choices]
    return Annotated[Literal[tuple(v for v, _ in pairs)],  # type: ignore[misc]
                     Field(description=f"{what}：" + "；".join(f"{v}：{label}" for v, label in pairs))]


# --- authentication ------------------------------------------------------------------------


class JobStartedOut(Schema):
    """A job queued by the request (HTTP 202): follow it at ``status_url``
    (``jobs.selectors.job_started`` fills it; ADR 0017)."""

    job_id: int = Field(description="作业编号")
    kind: str = Field(description="作业类型代码")
    kind_label: str = Field(description="作业类型")
    status: str = Field(description="作业状态代码（queued：排队中）")
    status_label: str = Field(description="作业状态")
    status_url: str = Field(description="查询作业进度和结果的接口地址（GET）")
    job_page: str = Field(description="作业页面（网页）")


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[override]
        user = api_token_user(token)
        if user is None:
            return None
        request.user = user
        return user


# Endpoints the staff pages call from the browser (pickers) accept the signed-in
# session as well as a bearer token.
STAFF_AUTH = [BearerAuth(), SessionAuth()]

router = Router(tags=["认证"])
picker_router = Router(tags=["选择器"])


class PickOption(Schema):
    value: str
    label: str
    detail: str = ""


class PickPage(Schema):
    results: list[PickOption]


@picker_router.get("/pick/committees", auth=STAFF_AUTH, response=responses(PickPage),
                   summary="选择居村委（按名称或代码，限本人辖区）", operation_id="core_pick_committees")
def pick_committees(request: HttpRequest, q: str = Query("", max_length=200, description="名称或代码")) -> dict:
    from minzheng.core.selectors import committees_search

    rows = committees_search(request.user, q[:40])
    return {"results": [
        {"value": d.code, "label": d.name, "detail": d.parent.name if d.parent else ""} for d in rows
    ]}


class TokenIn(Schema):
    username: str = Field(max_length=150, description="用户名")
    password: str = Field(max_length=4096, description="密码")


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: str


@router.post("/token", auth=None, response=responses(TokenOut, extra=(429,)),
             summary="用户名和密码换取访问令牌", operation_id="auth_token_issue",
             description="连续多次输错密码后该账号暂时锁定，锁定期间返回 429。")
def token(request: HttpRequest, payload: TokenIn) -> Any:
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Locked out (django-axes): answer in the API's error model, not the sign-in page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        return error_response(429, "登录失败次数过多，账号已暂时锁定，请稍后再试")
    if user is None or not user.is_active:
        raise HttpError(401, "用户名或密码错误，或账号已被暂时锁定")
    key, issued = api_token_issue(user=user)
    return TokenOut(token=key, expires_at=issued.expires_at.isoformat())


class TokenInfo(Schema):
    id: int
    username: str
    created_at: str
    expires_at: str
    revoked: bool


def _token_info(t: Any) -> dict:
    return {"id": t.pk, "username": t.user.username, "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat(), "revoked": t.revoked}


@router.get("/tokens", response=responses(list[TokenInfo]), operation_id="auth_token_list",
            summary="我的接口令牌（区民政局可按用户名查看他人的）")
def tokens(request: HttpRequest, username: str = Query("", max_length=150, description="用户名；空：本人")) -> list[dict]:
    from minzheng.core.models import ApiToken
    from minzheng.core.permissions import require

    qs = ApiToken.objects.select_related("user").order_by("-id")
    if username and username != request.user.username:
        call_service(lambda: require(request.user, "core.api_token_revoke_any"))
        qs = qs.filter(user__username=username)
    else:
        qs = qs.filter(user=request.user)
    return [_token_info(t) for t in qs[:100]]


@router.delete("/tokens/{token_id}", response=responses(TokenInfo), operation_id="auth_token_revoke",
               summary="吊销接口令牌（本人，或区民政局吊销任何人的）")
def token_revoke(request: HttpRequest, token_id: int = path_id("令牌编号")) -> dict:
    from minzheng.core.models import ApiToken
    from minzheng.core.services import api_token_revoke

    token = call_service(lambda: api_token_revoke(
        actor=request.user, token=ApiToken.objects.select_related("user").get(pk=token_id)))
    return _token_info(token)


def call_service(fn: Callable[[], Any]) -> Any:
    """Run a service or selector for an API endpoint, mapping refusals to HTTP:
    missing or out of scope → 404 (never the data), no right → 403, the
    record's state does not allow the step → 409, a rule broken → 422 with
    the Chinese reasons (each also listed in ``problems``)."""
    try:
        return fn()
    except (ObjectDoesNotExist, OutOfScope) as err:
        raise HttpError(404, "未找到该记录") from err
    except PermissionDenied as err:
        raise HttpError(403, str(err) or "无权办理") from err
    except ValidationError as err:
        raise refusal(err) from err


def refusal(err: ValidationError) -> ApiRefusal:
    """A service's ``ValidationError`` as the API answers it: 409 for a state conflict, else 422."""
    status = 409 if isinstance(err, StateConflict) else 422
    return ApiRefusal(status, "；".join(err.messages), [{"message": m} for m in err.messages])
