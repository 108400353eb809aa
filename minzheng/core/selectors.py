"""Reads of the audit trail (bureau and auditors see the whole district)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from minzheng.core.models import AuditEntry, Division, DivisionLevel, User
from minzheng.core.scope import ADVISOR, Scope, restrict


def audit_entries(
    user: User, *, actor: str = "", action: str = "", object_id: str = "", date_from: str = "", date_to: str = ""
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all().order_by("-id")
    scope = Scope.of(user)
    if scope.level == "none":
        return qs.none()
    if scope.level != "district":
        qs = qs.filter(scope_code__startswith=scope.code)
    if actor:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_id:
        qs = qs.filter(object_id=object_id)
    for value, lookup in ((date_from, "created_at__date__gte"), (date_to, "created_at__date__lte")):
        if value:
            try:
                qs = qs.filter(**{lookup: dt.date.fromisoformat(value)})
            except ValueError:
                continue
    return qs


SYSTEM_ACTORS = {"cli": "命令行任务", "test": "系统任务", "demo-setup": "演示数据准备", "demo_data": "演示数据生成",
                 "migration": "系统升级迁移", "bench": "基准测试",
                 "jobs-purge": "定时清理作业上传文件"}


def staff_signature(username: str) -> str:
    """How a record's actor (stored as the account name) is named to people:
    the staff member's name and post, a system job's description, never the
    account name itself."""
    user = User.objects.filter(username=username).only("full_name", "post").first()
    if user is not None:
        return user.signature
    return SYSTEM_ACTORS.get(username, "系统任务")


def committees_search(user: User, q: str = "", limit: int = 20) -> list[Division]:
    """Residents' and village committees inside the user's jurisdiction whose
    name or code contains ``q`` (for the committee picker)."""
    qs = Division.objects.filter(level=DivisionLevel.COMMITTEE, active=True)
    scope = Scope.of(user)
    if scope.level == DivisionLevel.STREET:
        qs = qs.filter(parent_id=scope.code)
    elif scope.level == DivisionLevel.COMMITTEE:
        qs = qs.filter(code=scope.code)
    elif scope.level == ADVISOR:
        qs = qs.filter(code__in=sorted(scope.committees))
    elif scope.level != DivisionLevel.DISTRICT:
        return []
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return list(qs.select_related("parent").order_by("code")[:limit])


def streets_visible(user: User) -> QuerySet[Division]:
    """Streets (街镇) inside the user's jurisdiction, for the lists' street filter."""
    return restrict(Division.objects.filter(level=DivisionLevel.STREET, active=True), user,
                    street_field="code", committee_field="children__code").distinct().order_by("code")
