"""Reads of the audit trail (bureau and auditors see the whole district)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from minzheng.core.models import AuditEntry, User
from minzheng.core.scope import Scope


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
