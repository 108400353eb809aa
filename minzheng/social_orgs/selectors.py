"""Reads of the social-organization register, scoped (ADR 0010, ADR 0039).

The bureau's social-organization section (区民政局) and the auditor see every
organization of the district; an organization's own account (role 社会组织)
sees only the organization it is linked to (:class:`~.models.OrganizationAccount`);
every other organization answers 404 for it, like a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from minzheng.core.models import DivisionLevel, Role, User
from minzheng.core.scope import OutOfScope, Scope, restrict
from minzheng.social_orgs.models import (
    AnnualReport,
    EventStatus,
    MajorEvent,
    Matter,
    MatterKind,
    MatterStatus,
    Organization,
    OrganizationChange,
    OrgStatus,
    PartyBuildingCheck,
    ReportReminder,
)


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


def matters_visible(user: User) -> QuerySet[Matter]:
    """Registration matters: all for the section and the auditor; an organization's
    account only its own organization's (an establishment has none until approved)."""
    queryset = Matter.objects.select_related("organization")
    if is_organization_account(user):
        return queryset.filter(organization__accounts__user=user)
    if Scope.of(user).level == DivisionLevel.DISTRICT:
        return queryset
    return queryset.none()


def matter_get(user: User, pk: int) -> Matter:
    matter = matters_visible(user).filter(pk=pk).first()
    if matter is None:
        raise OutOfScope()
    return matter


@dataclass(frozen=True)
class MatterCount:
    kind: str
    label: str
    organizations: int  # 家: distinct organizations with an approved matter of the kind in the year
    approved: int
    refused: int
    open: int


def matter_counts(user: User, year: int) -> list[MatterCount]:
    """The year's registration matters in the seed's terms ("新成立 29 家，注销登记 21 家，变更登记
    142 家，有效期延续 295 家，章程核准 186 家"): organizations with an approved matter of each
    kind decided in the year; refusals and open matters beside them."""
    rows = matters_visible(user)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    decided = rows.filter(decided_on__range=(start, end)).values("kind").annotate(
        organizations=Count("organization", filter=Q(status=MatterStatus.APPROVED), distinct=True),
        approved=Count("id", filter=Q(status=MatterStatus.APPROVED)),
        refused=Count("id", filter=Q(status=MatterStatus.REFUSED)))
    by_kind = {r["kind"]: r for r in decided}
    open_by_kind = dict(rows.filter(status__in=[MatterStatus.SUBMITTED, MatterStatus.ACCEPTED, MatterStatus.REVIEWED],
                                    applied_on__lte=end).values_list("kind").annotate(n=Count("id")))
    return [MatterCount(kind, label, by_kind.get(kind, {}).get("organizations", 0),
                        by_kind.get(kind, {}).get("approved", 0), by_kind.get(kind, {}).get("refused", 0),
                        open_by_kind.get(kind, 0)) for kind, label in MatterKind.choices]


def reports_visible(user: User) -> QuerySet[AnnualReport]:
    """Annual reports: all for the section and the auditor; an organization's own otherwise."""
    queryset = AnnualReport.objects.select_related("organization")
    if is_organization_account(user):
        return queryset.filter(organization__accounts__user=user)
    if Scope.of(user).level == DivisionLevel.DISTRICT:
        return queryset
    return queryset.none()


def report_get(user: User, pk: int) -> AnnualReport:
    report = reports_visible(user).filter(pk=pk).first()
    if report is None:
        raise OutOfScope()
    return report


def due_organizations(year: int) -> QuerySet[Organization]:
    """The organizations due to report for ``year`` (年检应参检): registered before ``year``
    began and still in being at its end (正常, or deregistered/revoked after it). One
    registered during ``year`` first reports for the next year (ADR 0039: our reading)."""
    return Organization.objects.filter(registered_on__lt=dt.date(year, 1, 1)).filter(
        Q(status=OrgStatus.NORMAL) | Q(status_on__gt=dt.date(year, 12, 31)))


def filing_rate(user: User, year: int):
    """参检率 for ``year`` by kind and supervising unit (:func:`.annual_reports.filing_rate`)."""
    from minzheng.social_orgs.annual_reports import filing_rate as rate

    return rate(user, year)


# --- major-event reports and reminders (ADR 0044) ----------------------------------------


def events_visible(user: User) -> QuerySet[MajorEvent]:
    """重大事项报告: all for the section and the auditor; an organization's account its own only."""
    queryset = MajorEvent.objects.select_related("organization")
    if is_organization_account(user):
        return queryset.filter(organization__accounts__user=user)
    if Scope.of(user).level == DivisionLevel.DISTRICT:
        return queryset
    return queryset.none()


def event_get(user: User, pk: int) -> MajorEvent:
    event = events_visible(user).filter(pk=pk).first()
    if event is None:
        raise OutOfScope()
    return event


def events_to_supplement(user: User) -> QuerySet[MajorEvent]:
    """An organization's reports the section sent back (需补充): its to-do."""
    return events_visible(user).filter(status=EventStatus.SUPPLEMENT)


def reminders_visible(user: User) -> QuerySet[ReportReminder]:
    """催报记录: all for the section and the auditor; an organization's account its own only."""
    queryset = ReportReminder.objects.select_related("organization")
    if is_organization_account(user):
        return queryset.filter(organization__accounts__user=user)
    if Scope.of(user).level == DivisionLevel.DISTRICT:
        return queryset
    return queryset.none()


def reminders_open(user: User) -> QuerySet[ReportReminder]:
    """The reminders of reports still not filed (the organization's to-do): once the
    report of the year is filed, its reminders leave the inbox."""
    filed = AnnualReport.objects.filter(organization=OuterRef("organization"), year=OuterRef("year"))
    return reminders_visible(user).exclude(Exists(filed))


def unfiled_organizations(user: User | None, year: int) -> QuerySet[Organization]:
    """Organizations due for ``year``, in business, not filed (:func:`.reminders.unfiled`)."""
    from minzheng.social_orgs.reminders import unfiled

    return unfiled(user, year)
