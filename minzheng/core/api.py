"""Authentication for the API: bearer tokens issued for a username and password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from minzheng.core.scope import OutOfScope
from minzheng.core.services import api_token_issue, api_token_user


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


@picker_router.get("/pick/committees", auth=STAFF_AUTH, response=PickPage,
                   summary="选择居村委（按名称或代码，限本人辖区）")
def pick_committees(request: HttpRequest, q: str = "") -> dict:
    from minzheng.core.selectors import committees_search

    rows = committees_search(request.user, q[:40])
    return {"results": [
        {"value": d.code, "label": d.name, "detail": d.parent.name if d.parent else ""} for d in rows
    ]}


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: str


@router.post("/token", auth=None, response=TokenOut, summary="用户名和密码换取访问令牌")
def token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    user = authenticate(request, username=payload.username, password=payload.password)
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


@router.get("/tokens", response=list[TokenInfo], summary="我的接口令牌（区民政局可按用户名查看他人的）")
def tokens(request: HttpRequest, username: str = "") -> list[dict]:
    from minzheng.core.models import ApiToken
    from minzheng.core.permissions import require

    qs = ApiToken.objects.select_related("user").order_by("-id")
    if username and username != request.user.username:
        call_service(lambda: require(request.user, "core.api_token_revoke_any"))
        qs = qs.filter(user__username=username)
    else:
        qs = qs.filter(user=request.user)
    return [_token_info(t) for t in qs[:100]]


@router.delete("/tokens/{token_id}", response=TokenInfo, summary="吊销接口令牌（本人，或区民政局吊销任何人的）")
def token_revoke(request: HttpRequest, token_id: int) -> dict:
    from minzheng.core.models import ApiToken
    from minzheng.core.services import api_token_revoke

    token = call_service(lambda: api_token_revoke(
        actor=request.user, token=ApiToken.objects.select_related("user").get(pk=token_id)))
    return _token_info(token)


def call_service(fn: Callable[[], Any]) -> Any:
    """Run a service or selector for an API endpoint, mapping refusals to HTTP:
    missing or out of scope → 404 (never the data), no right → 403, a rule
    broken → 422 with the Chinese reasons."""
    try:
        return fn()
    except (ObjectDoesNotExist, OutOfScope) as err:
        raise HttpError(404, "未找到该记录") from err
    except PermissionDenied as err:
        raise HttpError(403, str(err) or "无权办理") from err
    except ValidationError as err:
        raise HttpError(422, "；".join(err.messages)) from err
