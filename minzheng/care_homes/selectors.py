"""Reads of the care institutions, scoped (ADR 0010, ADR 0029).

Every read starts from ``facilities_visible(user)`` restricted to kind 养老院:
an operator sees the institutions linked to their account, a street its own,
the bureau and the auditor all; anything else is 404 (:class:`OutOfScope`).

Occupancy, the staff ratio and open incidents are computed here, for a date,
from the beds, the residents' admission and discharge dates and the staff's
hired and left dates — never typed in. A bed's ``in_service`` has no history:
the beds in service are today's (ADR 0029).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet

from minzheng.care_facilities.models import Facility, FacilityKind
from minzheng.care_facilities.selectors import facilities_visible, facility_get
from minzheng.care_homes.models import Bed, Incident, Post, Resident, Room, StaffMember
from minzheng.care_homes.oversight import oversight_columns
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope

# how far ahead the inbox lists residents whose assessment runs out (a reminder window, not a rule)
REASSESS_WINDOW_DAYS = 30


def institutions(user: User) -> QuerySet[Facility]:
    """The institutions (养老院) ``user`` may see."""
    require(user, "care_homes.view")
    return facilities_visible(user).filter(kind=FacilityKind.CARE_HOME)


def institution_get(user: User, pk: int) -> Facility:
    """One institution ``user`` may see, else 404 (another kind of facility too)."""
    require(user, "care_homes.view")
    facility = facility_get(user, pk)
    if facility.kind != FacilityKind.CARE_HOME:
        raise OutOfScope()
    return facility


def _in_scope(user: User, queryset: QuerySet, pk: int):
    row = queryset.filter(facility__in=institutions(user), pk=pk).first()
    if row is None:
        raise OutOfScope()
    return row


def resident_get(user: User, pk: int) -> Resident:
    return _in_scope(user, Resident.objects.select_related("facility", "bed__room"), pk)


def bed_get(user: User, pk: int) -> Bed:
    return _in_scope(user, Bed.objects.select_related("facility", "room"), pk)


def room_get(user: User, pk: int) -> Room:
    return _in_scope(user, Room.objects.select_related("facility"), pk)


def staff_get(user: User, pk: int) -> StaffMember:
    return _in_scope(user, StaffMember.objects.select_related("facility"), pk)


def incident_get(user: User, pk: int) -> Incident:
    return _in_scope(user, Incident.objects.select_related("facility", "resident", "reported_by"), pk)


def in_residence(on: dt.date) -> Q:
    """Residents living in on ``on``: admitted on or before, not discharged by then."""
    return Q(admitted_on__lte=on) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=on))


def residents_on(facility: Facility, on: dt.date) -> QuerySet[Resident]:
    return (Resident.objects.filter(in_residence(on), facility=facility).select_related("bed__room")
            .order_by("bed__room__number", "bed__number", "name"))


def residents_past(facility: Facility) -> QuerySet[Resident]:
    return Resident.objects.filter(facility=facility, discharged_on__isnull=False).order_by("-discharged_on", "-id")


def beds(facility: Facility) -> QuerySet[Bed]:
    return Bed.objects.filter(facility=facility).select_related("room").order_by("room__number", "number")


def free_beds(facility: Facility) -> QuerySet[Bed]:
    """Beds in service with no current resident."""
    taken = Resident.objects.filter(facility=facility, discharged_on__isnull=True, bed__isnull=False)
    return beds(facility).filter(in_service=True).exclude(pk__in=taken.values("bed_id"))


def staff(facility: Facility, on: dt.date) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(facility=facility).filter(employed(on))


def employed(on: dt.date) -> Q:
    return Q(hired_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


@dataclass(frozen=True)
class Occupancy:
    beds: int  # beds in service
    residents: int  # residents living in on the day

    @property
    def rate(self) -> Decimal | None:
        """Residents / beds in service, in %, one decimal; ``None`` without beds."""
        if not self.beds:
            return None
        return (Decimal(self.residents * 100) / self.beds).quantize(Decimal("0.1"), ROUND_HALF_UP)


def occupancy(facility_ids: list[int], on: dt.date) -> dict[int, Occupancy]:
    """Occupancy per institution on ``on`` (every id present; 0 beds is a real 0)."""
    bed_counts = dict(Bed.objects.filter(facility_id__in=facility_ids, in_service=True).values("facility_id")
                      .annotate(n=Count("pk")).values_list("facility_id", "n"))
    resident_counts = dict(Resident.objects.filter(in_residence(on), facility_id__in=facility_ids)
                           .values("facility_id").annotate(n=Count("pk")).values_list("facility_id", "n"))
    return {fid: Occupancy(bed_counts.get(fid, 0), resident_counts.get(fid, 0)) for fid in facility_ids}


@dataclass(frozen=True)
class StaffFigures:
    caregivers: int
    total: int
    residents: int

    @property
    def residents_per_caregiver(self) -> Decimal | None:
        """Residents per caregiver (护理员), one decimal; ``None`` when no caregiver is listed."""
        if not self.caregivers:
            return None
        return (Decimal(self.residents) / self.caregivers).quantize(Decimal("0.1"), ROUND_HALF_UP)


def staff_figures(facility_ids: list[int], on: dt.date, occ: dict[int, Occupancy] | None = None) -> dict[int, StaffFigures]:
    occ = occ if occ is not None else occupancy(facility_ids, on)
    rows = (StaffMember.objects.filter(employed(on), facility_id__in=facility_ids).values("facility_id")
            .annotate(n=Count("pk"), care=Count("pk", filter=Q(post=Post.CAREGIVER))))
    by = {r["facility_id"]: r for r in rows}
    return {fid: StaffFigures(by.get(fid, {}).get("care", 0), by.get(fid, {}).get("n", 0), occ[fid].residents)
            for fid in facility_ids}


def open_incidents(facility_ids: list[int]) -> dict[int, int]:
    return dict(Incident.objects.filter(facility_id__in=facility_ids, closed_on__isnull=True).values("facility_id")
                .annotate(n=Count("pk")).values_list("facility_id", "n"))


def incidents(user: User) -> QuerySet[Incident]:
    """Incidents of the institutions ``user`` may see, newest first."""
    return (Incident.objects.filter(facility__in=institutions(user))
            .select_related("facility", "resident").order_by("closed_on", "-occurred_at", "-id"))


@dataclass(frozen=True)
class OversightRow:
    facility: Facility
    occupancy: Occupancy
    staff: StaffFigures
    open_incidents: int
    columns: list[int | None]


def oversight_rows(user: User, on: dt.date) -> tuple[list[str], list[OversightRow]]:
    """云监管: one row per institution in scope (the oversight columns from the
    registered providers, ``None`` where none answers)."""
    require(user, "care_homes.oversee")
    facilities = list(institutions(user).order_by("street_id", "name"))
    ids = [f.pk for f in facilities]
    occ = occupancy(ids, on)
    st = staff_figures(ids, on, occ)
    inc = open_incidents(ids)
    columns = oversight_columns(user, ids)
    rows = [OversightRow(f, occ[f.pk], st[f.pk], inc.get(f.pk, 0), [values.get(f.pk) for _, values in columns])
            for f in facilities]
    return [label for label, _ in columns], rows


def by_street(user: User, on: dt.date) -> dict[str, dict]:
    """Institutions, beds in service and residents by street code (the dashboard)."""
    facilities = list(institutions(user).values_list("pk", "street_id"))
    occ = occupancy([pk for pk, _ in facilities], on)
    out: dict[str, dict] = defaultdict(lambda: {"institutions": 0, "beds": 0, "residents": 0})
    for pk, street in facilities:
        out[street]["institutions"] += 1
        out[street]["beds"] += occ[pk].beds
        out[street]["residents"] += occ[pk].residents
    return dict(out)


# --- the operator's inbox (workbench) ------------------------------------------------------

def incidents_open_todo(user: User) -> QuerySet[Incident]:
    """Open incidents of the operator's institutions."""
    return incidents(user).filter(closed_on__isnull=True)


def reassessments_due_todo(user: User, today: dt.date) -> QuerySet[Resident]:
    """Residents in residence whose assessment runs out within the window or
    has run out (``due_on``: the validity end), earliest first."""
    return (Resident.objects.filter(facility__in=institutions(user), discharged_on__isnull=True,
                                    reassess_due_on__lte=today + dt.timedelta(days=REASSESS_WINDOW_DAYS))
            .annotate(due_on=F("reassess_due_on")).select_related("facility").order_by("reassess_due_on", "id"))


def institutions_todo(user: User) -> QuerySet[Facility]:
    """The operator's own institutions (the inbox leads them there)."""
    return institutions(user).order_by("name")
