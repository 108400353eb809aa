"""Who sees and works on which monitoring records.

Street, committee, bureau and auditor accounts see their jurisdiction
(``core.scope``). A community assistance advisor sees the committees they are
assigned to (``AdvisorAssignment``, open), inside their own scope; an advisor
with no assignment sees nothing (ADR 0007). That limit is applied by
``core.scope`` itself (``Scope``/``restrict``), which learns the assignments
from :func:`advisor_committees` (registered in ``apps.py``); this module only
adds the advisors' assignments. Who may do what is ``monitoring.*`` in
``core.permissions``. Out of scope is indistinguishable from missing (404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.core.models import User
from minzheng.core.scope import Scope, restrict
from minzheng.monitoring.models import AdvisorAssignment


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
