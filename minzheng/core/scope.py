"""Jurisdiction scoping: what part of the tree a staff member may see.

Every selector takes the acting user and narrows its queryset with
:func:`restrict`, so a street user sees only their street and a committee user
only their committee. Advisors see the committees of their scope; auditors and
bureau staff see the whole district.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from minzheng.core.models import DivisionLevel, Role, User


class OutOfScope(Exception):
    """The object exists but lies outside the acting user's jurisdiction."""


@dataclass(frozen=True)
class Scope:
    level: str  # district | street | committee | none
    code: str

    @classmethod
    def of(cls, user: User) -> Scope:
        if not user.is_authenticated or not user.is_active:
            return cls("none", "")
        if user.is_superuser and user.scope is None:
            return cls(DivisionLevel.DISTRICT, "")
        if user.scope is None:
            return cls("none", "")
        return cls(user.scope.level, user.scope.code)

    def covers(self, *, street_code: str | None, committee_code: str | None) -> bool:
        if self.level == DivisionLevel.DISTRICT:
            return True
        if self.level == DivisionLevel.STREET:
            return street_code == self.code
        if self.level == DivisionLevel.COMMITTEE:
            return committee_code == self.code
        return False


def restrict(
    queryset: QuerySet, user: User, *, street_field: str = "street_id", committee_field: str = "committee_id"
) -> QuerySet:
    """Filter ``queryset`` to the rows inside ``user``'s jurisdiction."""
    scope = Scope.of(user)
    if scope.level == DivisionLevel.DISTRICT:
        return queryset
    if scope.level == DivisionLevel.STREET:
        return queryset.filter(Q(**{street_field: scope.code}))
    if scope.level == DivisionLevel.COMMITTEE:
        return queryset.filter(Q(**{committee_field: scope.code}))
    return queryset.none()


def can_write(user: User) -> bool:
    """Auditors read everything and write nothing."""
    return user.is_authenticated and user.is_active and user.role != Role.AUDITOR


def require_write(user: User) -> None:
    if not can_write(user):
        raise PermissionDenied("审计督查账号只能查看，不能修改数据")


def can_reveal_id_number(user: User) -> bool:
    """Case-handling roles may reveal a full ID number (each reveal is audited)."""
    return user.is_authenticated and user.role in (Role.BUREAU, Role.STREET, Role.COMMITTEE)


def require_scope_covers(user: User, *, street_code: str | None, committee_code: str | None) -> None:
    if not Scope.of(user).covers(street_code=street_code, committee_code=committee_code):
        raise OutOfScope("对象不在您的辖区内")
