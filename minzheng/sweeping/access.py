"""Whose cemeteries a staff member sees (ADR 0026, as ADR 0025 scopes the
register): a district account (the bureau, the auditor, the cemeteries' staff
公墓工作人员 whose scope is the district) sees every cemetery; a street/town
account the cemeteries of its street; anybody else none. A command or job
(an actor given as a name) sees all. Out of scope → 404 (``OutOfScope``)."""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.cemeteries.models import Cemetery
from minzheng.core.models import DivisionLevel
from minzheng.core.scope import OutOfScope, Scope


def visible_cemeteries(user) -> QuerySet[Cemetery]:
    qs = Cemetery.objects.select_related("street").order_by("name")
    if isinstance(user, str):
        return qs
    scope = Scope.of(user)
    if scope.level == DivisionLevel.DISTRICT:
        return qs
    if scope.level == DivisionLevel.STREET:
        return qs.filter(street_id=scope.code)
    return qs.none()


def scoped(qs: QuerySet, user, *, field: str = "cemetery") -> QuerySet:
    """``qs`` (rows with a cemetery, reached by ``field``) narrowed to ``user``'s cemeteries."""
    if isinstance(user, str):
        return qs
    scope = Scope.of(user)
    if scope.level == DivisionLevel.DISTRICT:
        return qs
    if scope.level == DivisionLevel.STREET:
        return qs.filter(**{f"{field}__street_id": scope.code})
    return qs.none()


def require_cemetery_covered(user, cemetery: Cemetery) -> None:
    if not visible_cemeteries(user).filter(pk=cemetery.pk).exists():
        raise OutOfScope("没有这个公墓，或不在您的辖区内")
