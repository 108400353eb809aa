"""Reads of 残疾人服务 (ADR 0037), each taking the user and scoped to the
user's jurisdiction (``core.scope``); outside it → 404.

Person records (certificates, rentals, applications, people served) are
scoped by where the person lives (street, committee). Places (service points,
rehabilitation sites, care-bed sites) belong to a town: a street sees its own,
a committee (or an advisor) those of its town. District figures (the
rehabilitation coverage of the 17 towns, the care-bed project) are aggregates
without personal data and are shown whole to everyone who may view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When

from minzheng.casework.models import Enrolment, EnrolmentStatus
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, restrict
from minzheng.disability_services.models import (
    AidRentalApplication,
    ApplicationStatus,
    BedOpening,
    CareBedProject,
    CareBedSite,
    CitedValue,
    CoverageTarget,
    RehabParticipant,
    RehabSite,
    RehabSiteStatus,
    Rental,
    ServicePoint,
    SiteStatus,
)
from minzheng.registry.models import DisabilityCertificate

VIEW = "disability_services.view"
# The programs that stop when the certificate lapses (REFERENCE § 6: "Both need a valid
# disability certificate"; 重残无业人员生活保障 needs one too — policy/programs).
CERTIFICATE_PROGRAMS = {
    "disability_living_subsidy": "困难残疾人生活补贴",
    "disability_care_subsidy": "重度残疾人护理补贴",
    "severe_disability_unemployed": "重残无业人员生活保障",
}
EXPIRY_WINDOW_DAYS = 90
"""Default window of the expiring list: a certificate is renewed at the federation
before it ends; three months leaves time to remind the holder before the next
month's subsidies stop. Staff choose 1–366 days on the page and in the API."""
EXPIRY_WINDOW_MAX = 366


class Validity:
    VALID, EXPIRED, NOT_YET = "valid", "expired", "not_yet"
    CHOICES = ((VALID, "有效"), (EXPIRED, "已过期"), (NOT_YET, "未生效"))
    LABELS = dict(CHOICES)


def _street_scoped(queryset: QuerySet, user: User, street_field: str = "street") -> QuerySet:
    """Town-level places: a street its own; a committee or an advisor its town's."""
    return restrict(queryset, user, street_field=f"{street_field}_id",
                    committee_field=f"{street_field}__children__code").distinct()


def streets_visible(user: User) -> QuerySet[Division]:
    return restrict(Division.objects.filter(level=DivisionLevel.STREET), user, street_field="code",
                    committee_field="children__code").distinct().order_by("code")


def all_streets() -> QuerySet[Division]:
    return Division.objects.filter(level=DivisionLevel.STREET).order_by("code")


# --- certificates ---------------------------------------------------------------------------

def validity_annotation(today: dt.date) -> Case:
    return Case(When(valid_from__gt=today, then=Value(Validity.NOT_YET)),
                When(valid_to__lt=today, then=Value(Validity.EXPIRED)),
                default=Value(Validity.VALID), output_field=CharField())


def certificates_visible(user: User, today: dt.date) -> QuerySet[DisabilityCertificate]:
    """The certificates of the people in ``user``'s jurisdiction, with ``validity`` on ``today``."""
    require(user, VIEW)
    qs = DisabilityCertificate.objects.filter(person__merged_into__isnull=True).select_related(
        "person", "person__street", "person__committee")
    return restrict(qs, user, street_field="person__street_id", committee_field="person__committee_id").annotate(
        validity=validity_annotation(today))


def _enrolled(program: str) -> Exists:
    return Exists(Enrolment.objects.filter(person_id=OuterRef("person_id"), program=program,
                                           status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED]))


def certificates_expiring(user: User, today: dt.date, days: int = EXPIRY_WINDOW_DAYS) -> QuerySet:
    """Certificates ending within ``days`` of ``today`` whose holder is alive and
    holds no other certificate valid after it (renewed ones drop out), with the
    certificate-bound enrolments that stop when it lapses (``enrolled_<program>``)."""
    days = max(1, min(int(days), EXPIRY_WINDOW_MAX))
    later = DisabilityCertificate.objects.filter(person_id=OuterRef("person_id")).exclude(pk=OuterRef("pk")).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("valid_to")))
    qs = certificates_visible(user, today).filter(
        valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=days), person__alive=True,
    ).exclude(Exists(later)).annotate(**{f"enrolled_{code}": _enrolled(code) for code in CERTIFICATE_PROGRAMS})
    return qs.order_by("valid_to", "id")


def expiring_with_enrolments(qs: QuerySet) -> QuerySet:
    any_enrolled = Q()
    for code in CERTIFICATE_PROGRAMS:
        any_enrolled |= Q(**{f"enrolled_{code}": True})
    return qs.filter(any_enrolled)


def enrolments_stopping(row) -> list[str]:
    return [label for code, label in CERTIFICATE_PROGRAMS.items() if getattr(row, f"enrolled_{code}", False)]


# --- rental: points, rentals, applications, parameters ------------------------------------------

def points_visible(user: User) -> QuerySet[ServicePoint]:
    require(user, VIEW)
    return _street_scoped(ServicePoint.objects.select_related("street"), user)


def point_get(user: User, pk: int) -> ServicePoint:
    point = points_visible(user).filter(pk=pk).first()
    if point is None:
        raise OutOfScope("没有这个服务点，或不在您的辖区内")
    return point


def rentals_visible(user: User) -> QuerySet[Rental]:
    require(user, VIEW)
    return restrict(Rental.objects.select_related("point", "person", "street", "committee"), user)


def rental_get(user: User, pk: int) -> Rental:
    rental = rentals_visible(user).filter(pk=pk).first()
    if rental is None:
        raise OutOfScope("没有这个租赁记录，或不在您的辖区内")
    return rental


def applications_visible(user: User) -> QuerySet[AidRentalApplication]:
    require(user, VIEW)
    return restrict(AidRentalApplication.objects.select_related("person", "street", "committee", "rental",
                                                                "rental__point"), user)


def application_get(user: User, pk: int) -> AidRentalApplication:
    application = applications_visible(user).filter(pk=pk).first()
    if application is None:
        raise OutOfScope("没有这个补贴申请，或不在您的辖区内")
    return application


def applications_todo(user: User) -> QuerySet[AidRentalApplication]:
    """The inbox's section: applications waiting for review (oldest first)."""
    return applications_visible(user).filter(status=ApplicationStatus.APPLIED).order_by("applied_on", "id")


def cited_values() -> QuerySet[CitedValue]:
    return CitedValue.objects.all()


# --- 精神障碍社区康复 ------------------------------------------------------------------------

def rehab_sites_visible(user: User) -> QuerySet[RehabSite]:
    require(user, VIEW)
    return _street_scoped(RehabSite.objects.select_related("street"), user)


def rehab_site_get(user: User, pk: int) -> RehabSite:
    site = rehab_sites_visible(user).filter(pk=pk).first()
    if site is None:
        raise OutOfScope("没有这个康复站点，或不在您的辖区内")
    return site


def site_statuses_on(day: dt.date, site_ids: list[int] | None = None) -> dict[int, RehabSiteStatus]:
    """Each site's status row in force on ``day`` (sites without one are absent)."""
    rows = RehabSiteStatus.objects.filter(effective_on__lte=day).order_by("site_id", "-effective_on")
    if site_ids is not None:
        rows = rows.filter(site_id__in=site_ids)
    current: dict[int, RehabSiteStatus] = {}
    for row in rows:
        current.setdefault(row.site_id, row)
    return current


def participants_visible(user: User) -> QuerySet[RehabParticipant]:
    """People served: a street sees those at its sites and those living in it;
    a committee those living in it."""
    require(user, VIEW)
    qs = RehabParticipant.objects.select_related("site", "site__street", "person", "street", "committee")
    lives = restrict(qs, user)
    at_sites = _street_scoped(qs, user, street_field="site__street")
    return qs.filter(Q(pk__in=lives.values("pk")) | Q(pk__in=at_sites.values("pk")))


def participant_get(user: User, pk: int) -> RehabParticipant:
    row = participants_visible(user).filter(pk=pk).first()
    if row is None:
        raise OutOfScope("没有这个服务对象，或不在您的辖区内")
    return row


def coverage_target(year: int) -> CoverageTarget | None:
    """The target in force in ``year``: the latest set for that year or before
    (after 2025's 全覆盖 the target stays 100% until the bureau sets another)."""
    return CoverageTarget.objects.filter(year__lte=year).order_by("-year").first()


@dataclass
class StreetCoverage:
    street: Division
    sites: int = 0
    working: int = 0
    served: int = 0
    site_names: list[str] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return self.working > 0


@dataclass
class Coverage:
    day: dt.date
    rows: list[StreetCoverage]
    covered: int
    towns: int
    target: CoverageTarget | None

    @property
    def percent(self) -> Decimal | None:
        return round(Decimal(100 * self.covered) / self.towns, 1) if self.towns else None

    @property
    def target_towns(self) -> int | None:
        """Towns needed for the target (70% of 17 → 12: rounded up)."""
        if self.target is None:
            return None
        return -(-self.target.percent * self.towns // 100)

    @property
    def met(self) -> bool | None:
        return None if self.target_towns is None else self.covered >= self.target_towns


def rehab_coverage(user: User, day: dt.date) -> Coverage:
    """Towns with a site working on ``day`` / all towns (17), against the year's
    target, live from the sites' status rows (seed 2024: 5 pilot towns → 70%)."""
    require(user, VIEW)
    streets = list(all_streets())
    by_street = {s.code: StreetCoverage(s) for s in streets}
    sites = list(RehabSite.objects.all())
    statuses = site_statuses_on(day)
    for site in sites:
        row = by_street.get(site.street_id)
        if row is None:
            continue
        row.sites += 1
        status = statuses.get(site.pk)
        if status is not None and status.status == SiteStatus.WORKING:
            row.working += 1
            row.site_names.append(site.name)
    served = (RehabParticipant.objects.filter(enrolled_on__lte=day).filter(Q(exited_on__isnull=True)
                                                                          | Q(exited_on__gt=day))
              .values("site__street_id").order_by().annotate(n=Count("id")))
    for item in served:
        if item["site__street_id"] in by_street:
            by_street[item["site__street_id"]].served = item["n"]
    rows = list(by_street.values())
    return Coverage(day=day, rows=rows, covered=sum(1 for r in rows if r.covered), towns=len(rows),
                    target=coverage_target(day.year))


def coverage_rows_visible(user: User, coverage: Coverage) -> list[StreetCoverage]:
    visible = set(streets_visible(user).values_list("code", flat=True))
    return [r for r in coverage.rows if r.street.code in visible]


# --- 重度残疾人照护床位 ---------------------------------------------------------------------

def care_bed_projects(user: User) -> QuerySet[CareBedProject]:
    require(user, VIEW)
    return CareBedProject.objects.all()


def care_bed_project_get(user: User, pk: int) -> CareBedProject:
    project = care_bed_projects(user).filter(pk=pk).first()
    if project is None:
        raise OutOfScope("没有这个项目")
    return project


def care_bed_site_get(user: User, pk: int) -> CareBedSite:
    require(user, VIEW)
    site = CareBedSite.objects.select_related("project", "street").filter(pk=pk).first()
    if site is None:
        raise OutOfScope("没有这个床位点")
    return site


@dataclass
class BedProgress:
    project: CareBedProject
    day: dt.date
    opened: int
    planned: int
    sites: list[dict]
    timeline: list[tuple[dt.date, int, int]]  # (day, beds opened that day, cumulative)

    @property
    def percent(self) -> Decimal:
        return round(Decimal(100 * self.opened) / self.project.target_beds, 1)


def care_bed_progress(user: User, project: CareBedProject, day: dt.date) -> BedProgress:
    """Beds opened by ``day`` against the target, per site and over time."""
    require(user, VIEW)
    sites = list(project.sites.select_related("street"))
    opened = dict(BedOpening.objects.filter(site__project=project, opened_on__lte=day).values("site_id")
                  .order_by().annotate(n=Sum("beds")).values_list("site_id", "n"))
    timeline, total = [], 0
    for opened_on, beds in (BedOpening.objects.filter(site__project=project, opened_on__lte=day)
                            .values("opened_on").order_by("opened_on").annotate(n=Sum("beds"))
                            .values_list("opened_on", "n")):
        total += beds
        timeline.append((opened_on, beds, total))
    rows = [{"site": s, "planned": s.planned_beds, "opened": opened.get(s.pk, 0)} for s in sites]
    return BedProgress(project=project, day=day, opened=sum(opened.values()),
                       planned=sum(s.planned_beds for s in sites), sites=rows, timeline=timeline)


# --- the overview by street -------------------------------------------------------------------

@dataclass
class StreetFigures:
    street: Division
    certificates: int = 0
    expiring: int = 0
    points: int = 0
    rentals_open: int = 0
    applications_open: int = 0
    rehab_working: int = 0
    served: int = 0
    beds_opened: int = 0


def overview_by_street(user: User, today: dt.date, days: int = EXPIRY_WINDOW_DAYS) -> list[StreetFigures]:
    """The overview's figures per street in ``user``'s scope."""
    rows = {s.code: StreetFigures(s) for s in streets_visible(user)}

    def put(attr: str, pairs) -> None:
        for code, n in pairs:
            if code in rows:
                setattr(rows[code], attr, n)

    valid = certificates_visible(user, today).filter(validity=Validity.VALID)
    put("certificates", valid.values("person__street_id").order_by().annotate(n=Count("id"))
        .values_list("person__street_id", "n"))
    put("expiring", certificates_expiring(user, today, days).order_by().values("person__street_id")
        .annotate(n=Count("id", distinct=True)).values_list("person__street_id", "n"))
    put("points", points_visible(user).filter(opened_on__lte=today).filter(Q(closed_on__isnull=True)
                                                                          | Q(closed_on__gte=today))
        .order_by().values("street_id").annotate(n=Count("id")).values_list("street_id", "n"))
    put("rentals_open", rentals_visible(user).filter(end_on__isnull=True).order_by().values("street_id")
        .annotate(n=Count("id")).values_list("street_id", "n"))
    put("applications_open", applications_visible(user).filter(status=ApplicationStatus.APPLIED).order_by()
        .values("street_id").annotate(n=Count("id")).values_list("street_id", "n"))
    coverage = rehab_coverage(user, today)
    put("rehab_working", [(r.street.code, r.working) for r in coverage.rows])
    put("served", [(r.street.code, r.served) for r in coverage.rows])
    put("beds_opened", BedOpening.objects.filter(opened_on__lte=today).values("site__street_id").order_by()
        .annotate(n=Sum("beds")).values_list("site__street_id", "n"))
    return list(rows.values())
