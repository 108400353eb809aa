"""Reads of the cemetery register, scoped (ADR 0025).

A street/town account sees the cemeteries of its street; district accounts
(bureau, auditor, the cemeteries' staff 公墓工作人员 whose scope is the district)
see all. Out of scope → 404 (:class:`~minzheng.core.scope.OutOfScope`).

``cemeteries(user)`` and ``cemetery_get(user, pk)`` are public interfaces (the
sweeping helper builds reservations per cemetery): keep them stable.
"""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.cemeteries.models import Cemetery
from minzheng.core.models import DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, Scope


def scoped(qs: QuerySet, user: User, *, street_field: str = "street_id") -> QuerySet:
    """``qs`` narrowed to ``user``'s jurisdiction: the district sees all, a street
    its own street, anybody else (committee, advisor, no scope) nothing."""
    scope = Scope.of(user)
    if scope.level == DivisionLevel.DISTRICT:
        return qs
    if scope.level == DivisionLevel.STREET:
        return qs.filter(**{street_field: scope.code})
    return qs.none()


def cemeteries(user: User) -> QuerySet[Cemetery]:
    """Every cemetery and columbarium ``user`` may see (``cemeteries.view``)."""
    require(user, "cemeteries.view")
    return scoped(Cemetery.objects.select_related("street"), user)


def cemetery_get(user: User, pk: int) -> Cemetery:
    """One cemetery; missing or outside the user's jurisdiction → 404."""
    try:
        return cemeteries(user).get(pk=pk)
    except Cemetery.DoesNotExist:
        raise OutOfScope("没有这个公墓或骨灰堂，或不在您的辖区内") from None
