"""Reads of the facility register, scoped (ADR 0010).

Bureau, street, committee and auditor accounts see the facilities of their
jurisdiction; a facility's own staff (养老机构工作人员, 助餐点工作人员) see only
the facilities they are linked to (:class:`~.models.FacilityStaff`); every
other facility is 404 for them, like a missing one.
"""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.care_facilities.models import Facility
from minzheng.core.models import Role, User
from minzheng.core.scope import OutOfScope, restrict

FACILITY_ROLES = (Role.CARE_OPERATOR, Role.CANTEEN)


def facilities_visible(user: User) -> QuerySet[Facility]:
    """The facilities ``user`` may see."""
    queryset = Facility.objects.select_related("street", "committee")
    if user.is_authenticated and user.role in FACILITY_ROLES and not user.is_superuser:
        return queryset.filter(staff_accounts__user=user)
    return restrict(queryset, user)


def facility_get(user: User, pk: int) -> Facility:
    """One facility ``user`` may see, else :class:`OutOfScope` (404)."""
    facility = facilities_visible(user).filter(pk=pk).first()
    if facility is None:
        raise OutOfScope()
    return facility


def plan_progress(user: User, year: int):
    """The facility targets of ``year`` with their progress over what ``user`` may see
    (:func:`.progress.targets_progress`; ADR 0028 defines how a facility counts)."""
    from minzheng.care_facilities.progress import targets_progress

    return targets_progress(user, year)


def coverage_by_street(user: User, today):
    """Operating facilities against the elders 60+ per street (:func:`.coverage.street_coverage`)."""
    from minzheng.care_facilities.coverage import street_coverage

    return street_coverage(user, today)
