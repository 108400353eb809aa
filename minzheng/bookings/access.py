"""Whose resources a staff member sees (ADR 0021, "Scope").

A resource owned by the district (``street_code`` empty: the marriage
registration office, a district cemetery) serves the whole district: every
staff member with a scope sees it. A resource owned by a street is seen by
that street (and its committees) and by the district.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from minzheng.bookings.models import Resource
from minzheng.core.models import DivisionLevel
from minzheng.core.scope import OutOfScope, Scope


def visible_resources(queryset: QuerySet, user, *, prefix: str = "") -> QuerySet:
    """Narrow ``queryset`` (of resources, or of rows reached by ``prefix``, e.g. ``"resource__"``)."""
    if isinstance(user, str):  # a command or job: the whole district
        return queryset
    scope = Scope.of(user)
    if scope.level == DivisionLevel.DISTRICT:
        return queryset
    if scope.level == "none":
        return queryset.none()
    district_owned = Q(**{f"{prefix}street_code": ""})
    return queryset.filter(district_owned | Q(**{f"{prefix}street_code": scope.code[:9]}))


def resource_covered(user, resource: Resource) -> bool:
    if isinstance(user, str):
        return True
    scope = Scope.of(user)
    if scope.level == "none":
        return False
    if scope.level == DivisionLevel.DISTRICT or not resource.street_code:
        return True
    return scope.code[:9] == resource.street_code


def require_resource_covered(user, resource: Resource) -> None:
    """Refuse with :class:`OutOfScope` (404) outside ``user``'s jurisdiction."""
    if not resource_covered(user, resource):
        raise OutOfScope("对象不在您的辖区内")
