"""Jurisdiction scoping: what part of the tree a staff member may see.

Every selector takes the acting user and narrows its queryset with
:func:`restrict`, so a street user sees only their street and a committee user
only their committee. A community assistance advisor sees only the committees
they are currently assigned to (within their own scope; none assigned → nothing).
Auditors and bureau staff see the whole district.

Advisor assignments are kept by the monitoring app, which registers them here
with :func:`register_advisor_committees` (core does not import higher apps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from minzheng.core.models import DivisionLevel, Role, User


class OutOfScope(Http404):
    """The object exists but lies outside the acting user's jurisdiction.
    Answered exactly like a missing record (404), on pages and in the API."""


ADVISOR = "advisor"
_advisor_committees: Callable[[User], Iterable[str]] | None = None


def register_advisor_committees(provider: Callable[[User], Iterable[str]]) -> None:
    """Tell core how to find an advisor's currently assigned committee codes."""
    global _advisor_committees
    _advisor_committees = provider


def _assigned_committees(user: User) -> frozenset[str]:
    cached = getattr(user, "_minzheng_advisor_committees", None)
    if cached is None:
        cached = frozenset(_advisor_committees(user)) if _advisor_committees is not None else frozenset()
        user._minzheng_advisor_committees = cached  # type: ignore[attr-defined]
    return cached


@dataclass(frozen=True)
class Scope:
    level: str  # district | street | committee | advisor | none
    code: str
    committees: frozenset[str] = field(default_factory=frozenset)  # advisors: assigned committees

    @classmethod
    def of(cls, user: User) -> Scope:
        if not user.is_authenticated or not user.is_active:
            return cls("none", "")
        if user.is_superuser and user.scope is None:
            return cls(DivisionLevel.DISTRICT, "")
        if user.scope is None:
            return cls("none", "")
        if user.role == Role.ADVISOR:
            inside = user.scope.code
            return cls(ADVISOR, inside, frozenset(c for c in _assigned_committees(user) if c.startswith(inside)))
        return cls(user.scope.level, user.scope.code)

    @classmethod
    def jurisdiction(cls, user: User) -> Scope:
        """The account's own place in the tree, ignoring advisor assignments
        (what an advisor may be assigned to)."""
        if user.scope is None:
            return cls("none", "")
        return cls(user.scope.level, user.scope.code)

    def covers(self, *, street_code: str | None, committee_code: str | None) -> bool:
        if self.level == DivisionLevel.DISTRICT:
            return True
        if self.level == ADVISOR:
            return committee_code in self.committees
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
    if scope.level == ADVISOR:
        return queryset.filter(Q(**{f"{committee_field}__in": sorted(scope.committees)}))
    return queryset.none()


def require_scope_covers(user: User, *, street_code: str | None, committee_code: str | None) -> None:
    if not Scope.of(user).covers(street_code=street_code, committee_code=committee_code):
        raise OutOfScope("对象不在您的辖区内")
