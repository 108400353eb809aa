"""Reads of the social-organization register, scoped (ADR 0010, ADR 0039).

The bureau's social-organization section (区民政局) and the auditor see every
organization of the district; an organization's own account (role 社会组织)
sees only the organization it is linked to (:class:`~.models.OrganizationAccount`);
every other organization answers 404 for it, like a missing one.
"""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.core.models import Role, User
from minzheng.core.scope import OutOfScope, restrict
from minzheng.social_orgs.models import Organization, OrganizationChange, PartyBuildingCheck


def is_organization_account(user: User) -> bool:
    return bool(user.is_authenticated and user.role == Role.ORGANIZATION and not user.is_superuser)


def organizations_visible(user: User) -> QuerySet[Organization]:
    """The organizations ``user`` may see."""
    queryset = Organization.objects.select_related("street", "committee")
    if is_organization_account(user):
        return queryset.filter(accounts__user=user)
    return restrict(queryset, user)


def organization_get(user: User, pk: int) -> Organization:
    """One organization ``user`` may see, else :class:`OutOfScope` (404)."""
    organization = organizations_visible(user).filter(pk=pk).first()
    if organization is None:
        raise OutOfScope()
    return organization


def own_organization(user: User) -> Organization | None:
    """The organization an organization account is linked to (None for staff or an unlinked account)."""
    if not is_organization_account(user):
        return None
    return organizations_visible(user).first()


def organization_history(user: User, organization: Organization) -> QuerySet[OrganizationChange]:
    organization_get(user, organization.pk)
    return organization.changes.all()


def organization_party_checks(user: User, organization: Organization) -> QuerySet[PartyBuildingCheck]:
    organization_get(user, organization.pk)
    return organization.party_checks.all()
