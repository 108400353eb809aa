"""Reads of the zombie-organization work, scoped (ADR 0010, ADR 0042): the section and the
auditor see every organization's records and cases; an organization's account only its own
(any other answers 404 like a missing one); other roles have no right (403 before this)."""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.core.models import DivisionLevel, User
from minzheng.core.scope import OutOfScope, Scope
from minzheng.social_orgs.models import ContactAttempt, OrgActivity, ZombieCase
from minzheng.social_orgs.selectors import is_organization_account


def _scoped(queryset: QuerySet, user: User) -> QuerySet:
    if is_organization_account(user):
        return queryset.filter(organization__accounts__user=user)
    if Scope.of(user).level == DivisionLevel.DISTRICT:
        return queryset
    return queryset.none()


def cases_visible(user: User) -> QuerySet[ZombieCase]:
    return _scoped(ZombieCase.objects.select_related("organization"), user)


def case_get(user: User, pk: int) -> ZombieCase:
    case = cases_visible(user).filter(pk=pk).first()
    if case is None:
        raise OutOfScope()
    return case


def activities_visible(user: User) -> QuerySet[OrgActivity]:
    return _scoped(OrgActivity.objects.select_related("organization"), user)


def attempts_visible(user: User) -> QuerySet[ContactAttempt]:
    """Contact attempts are the section's working records: an organization does not see them."""
    if is_organization_account(user):
        return ContactAttempt.objects.none()
    return _scoped(ContactAttempt.objects.select_related("organization"), user)
