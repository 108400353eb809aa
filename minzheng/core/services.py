"""Writes for the core domain: jurisdiction tree, staff accounts, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.models import ApiToken, Division, DivisionKind, DivisionLevel, Role, User
from minzheng.core.permissions import can

TREE_DIR = Path(__file__).resolve().parent / "divisions"


@transaction.atomic
def division_load_tree(*, actor: object = None, path: Path | None = None) -> int:
    """Load a district and its streets/towns from a tree file (idempotent).

    The file is data (``core/divisions/<district>.json``) so another district
    loads the same way. Returns the number of divisions created or updated.
    """
    tree = json.loads((path or TREE_DIR / "songjiang.json").read_text(encoding="utf-8"))
    district = tree["district"]
    count = 0
    root, created = Division.objects.update_or_create(
        code=district["code"],
        defaults={"name": district["name"], "level": DivisionLevel.DISTRICT, "kind": district["kind"], "parent": None},
    )
    count += 1
    for street in tree["streets"]:
        if not street["code"].startswith(root.code) or len(street["code"]) != 9:
            raise ValidationError(f"街镇代码 {street['code']} 不属于 {root.name}（{root.code}）")
        Division.objects.update_or_create(
            code=street["code"],
            defaults={"name": street["name"], "level": DivisionLevel.STREET, "kind": street["kind"], "parent": root},
        )
        count += 1
    audit_record(
        actor=actor, action="division.load_tree", object_type="Division", object_id=root.code,
        scope_code=root.code, changes={"divisions": count, "source": tree.get("source", "")},
    )
    return count


@transaction.atomic
def committee_create(*, actor: object, street: Division, code: str, name: str, village: bool) -> Division:
    """Create a residents' (居委会) or village (村委会) committee under a street."""
    if street.level != DivisionLevel.STREET:
        raise ValidationError("居村委必须建在街镇之下")
    if len(code) != 12 or not code.isdigit() or not code.startswith(street.code):
        raise ValidationError(f"居村委代码应为以 {street.code} 开头的12位数字")
    if Division.objects.filter(code=code).exists():
        raise ValidationError(f"区划代码 {code} 已存在")
    committee = Division.objects.create(
        code=code, name=name, level=DivisionLevel.COMMITTEE,
        kind=DivisionKind.VILLAGE if village else DivisionKind.RESIDENTS, parent=street,
    )
    audit_record(actor=actor, action="division.create", object_type="Division", object_id=code,
                 scope_code=code, changes={"name": name, "kind": committee.kind})
    return committee


def _validate_role_scope(role: str, scope: Division) -> None:
    if role not in Role.values:
        raise ValidationError(f"未知角色 {role}，可选：{', '.join(Role.values)}")
    if role in (Role.BUREAU, Role.AUDITOR) and scope.level != DivisionLevel.DISTRICT:
        raise ValidationError("区民政局和审计督查账号的辖区必须是区")
    if role == Role.STREET and scope.level != DivisionLevel.STREET:
        raise ValidationError("街镇账号的辖区必须是街镇")
    if role == Role.COMMITTEE and scope.level != DivisionLevel.COMMITTEE:
        raise ValidationError("居村委账号的辖区必须是居村委")
    if role == Role.ADVISOR and scope.level == DivisionLevel.DISTRICT:
        raise ValidationError("社区救助顾问的辖区应是街镇或居村委")


@transaction.atomic
def user_create(
    *, actor: object, username: str, password: str, role: str, scope_code: str, full_name: str = "", post: str = "",
) -> User:
    """Create a staff account with a role and a scope (a division code)."""
    try:
        scope = Division.objects.get(code=scope_code)
    except Division.DoesNotExist as err:
        raise ValidationError(f"辖区代码 {scope_code} 不存在") from err
    _validate_role_scope(role, scope)
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名 {username} 已存在")
    user = User(username=username, role=role, scope=scope, full_name=full_name.strip()[:64], post=post.strip()[:100], is_staff=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user.create", object_type="User", object_id=user.pk,
                 scope_code=scope.code, changes={"username": username, "role": role, "scope": scope.code})
    return user


@transaction.atomic
def user_ensure(*, actor: object, username: str, password: str, role: str, scope_code: str, full_name: str = "",
                post: str = "") -> User:
    """Create the account if missing (used by ``make run`` demo accounts)."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return user_create(actor=actor, username=username, password=password, role=role,
                       scope_code=scope_code, full_name=full_name, post=post)


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _password_stamp(user: User) -> str:
    """A keyed digest of the user's current password hash (never the hash itself)."""
    return hmac.new(settings.SECRET_KEY.encode(), f"api-token|{user.pk}|{user.password}".encode(),
                    hashlib.sha256).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Issue a bearer token; the plain key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=_hash_key(key), expires_at=timezone.now() + settings.MINZHENG_API_TOKEN_TTL,
        password_stamp=_password_stamp(user),
    )
    audit_record(actor=user, action="api_token.issue", object_type="ApiToken", object_id=token.pk,
                 scope_code=user.scope_id or "", changes={"expires_at": token.expires_at.isoformat()})
    return key, token


def api_token_user(key: str) -> User | None:
    """The active user behind a bearer key, or None (expired, revoked, unknown)."""
    token = (
        ApiToken.objects.select_related("user", "user__scope")
        .filter(key_hash=_hash_key(key), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not hmac.compare_digest(token.password_stamp, _password_stamp(token.user)):
        return None  # the password changed after the token was issued
    return token.user


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner may, and bureau staff may revoke anyone's
    (``core.api_token_revoke_any``). Out of reach → 404, not 403."""
    if token.user_id != actor.pk and not can(actor, "core.api_token_revoke_any"):
        raise ApiToken.DoesNotExist
    if not token.revoked:
        token.revoked, token.revoked_by = True, actor.username
        token.save(update_fields=["revoked", "revoked_by"])
        audit_record(actor=actor, action="api_token.revoke", object_type="ApiToken", object_id=token.pk,
                     scope_code=token.user.scope_id or "", changes={"owner": token.user.username})
    return token
