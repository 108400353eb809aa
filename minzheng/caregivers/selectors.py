"""Reads of the caregiver register, scoped (ADR 0010, 0028): a caregiver is seen
by whoever may see their employer (``facilities_visible``): a street its own
streets' facilities, an institution's staff only their linked facilities.
Anything else is 404."""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.care_facilities.selectors import facilities_visible
from minzheng.caregivers.models import Caregiver
from minzheng.core.models import User
from minzheng.core.scope import OutOfScope


def caregivers_visible(user: User) -> QuerySet[Caregiver]:
    return Caregiver.objects.select_related("employer", "employer__street").filter(
        employer__in=facilities_visible(user).values("pk"))


def caregiver_get(user: User, pk: int) -> Caregiver:
    caregiver = caregivers_visible(user).filter(pk=pk).first()
    if caregiver is None:
        raise OutOfScope()
    return caregiver


def certified_share_by_employer(user: User):
    """Certified share (持证率) per employer id, over what ``user`` may see (:mod:`.figures`)."""
    from minzheng.caregivers.figures import share_by_employer

    return share_by_employer(user)


def certified_share_total(user: User):
    from minzheng.caregivers.figures import share_total

    return share_total(user)


def trained_intermediate_progress(user: User, year: int):
    """Caregivers trained to 中级 or above in ``year`` against that year's target row."""
    from minzheng.caregivers.figures import trained_progress

    return trained_progress(user, year)
