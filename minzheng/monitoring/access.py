"""Who sees and works on which monitoring records.

Street, committee, bureau and auditor accounts see their jurisdiction
(``core.scope``). A community assistance advisor sees the committees they are
assigned to (``AdvisorAssignment``, open), inside their own scope; an advisor
with no assignment sees nothing (ADR 0007). That limit is applied by
``core.scope`` itself (``Scope``/``restrict``), which learns the assignments
from :func:`advisor_committees` (registered in ``apps.py``); this module only
adds the monitoring roles. Out of scope is indistinguishable from missing (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from minzheng.core.models import Role, User
from minzheng.core.scope import OutOfScope, Scope, require_write, restrict
from minzheng.monitoring.models import AdvisorAssignment

FIELD_ROLES = (Role.ADVISOR, Role.COMMITTEE, Role.STREET, Role.BUREAU)


def advisor_committees(user: User) -> list[str]:
    """An advisor's open assignments: the provider ``core.scope`` asks."""
    return list(AdvisorAssignment.objects.filter(advisor_id=user.pk, ended_on__isnull=True)
                .values_list("committee_id", flat=True))


def visible(queryset: QuerySet, user: User) -> QuerySet:
    """``queryset`` (with ``street``/``committee``) narrowed to what ``user``
    may see (advisors: their assigned committees, by ``core.scope``)."""
    return restrict(queryset, user)


def covers(user: User, *, street_code: str, committee_code: str) -> bool:
    return Scope.of(user).covers(street_code=street_code, committee_code=committee_code)


def require_field_work(user: User, *, street_code: str, committee_code: str) -> None:
    """Advisors (their committees), committee, street and bureau staff (their scope) do field work."""
    require_write(user)
    if not covers(user, street_code=street_code, committee_code=committee_code):
        raise OutOfScope("对象不在您的辖区内")
    if user.role not in FIELD_ROLES and not user.is_superuser:
        raise PermissionDenied("您的账号不能办理此项工作")


def require_manager(user: User, *, street_code: str, committee_code: str) -> None:
    """Street and bureau staff decide exits and assign advisors."""
    require_write(user)
    if not covers(user, street_code=street_code, committee_code=committee_code):
        raise OutOfScope("对象不在您的辖区内")
    if user.role not in (Role.STREET, Role.BUREAU) and not user.is_superuser:
        raise PermissionDenied("此项工作应由街镇或区民政局工作人员办理")
