"""Progress of a year's work-plan targets, computed from the register (ADR 0028).

How a facility counts for year Y:

* a "new facilities of kind K" target: facilities of kind K whose 运营日期
  (``operating_since``) falls in Y — built and opened that year; a facility
  closed later still counts for the year it opened. 在建 and 规划 facilities of
  that kind are shown beside it (the pipeline), never counted as done;
* 智慧养老院: 养老院 with ``smart`` whose 建成智慧养老院日期 falls in Y;
* 养老院+互联网医院: 养老院 with ``internet_hospital`` whose 接入日期 falls in Y;
* 认知障碍照护床位: the sum of ``dementia_beds`` of facilities whose 床位投用日期
  falls in Y (the register keeps one figure per facility, not a bed history);
* 培训中级以上护理员: not the register's — the caregivers app tracks it.

A facility with the date missing is not counted (not zero: it is listed as
"日期未录入" so the gap shows). Progress is per street and for the district,
over the facilities the user may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from minzheng.care_facilities.models import (
    MEASURE_KIND,
    Facility,
    FacilityKind,
    FacilityStatus,
    PlanTarget,
    TargetMeasure,
)
from minzheng.care_facilities.selectors import facilities_visible
from minzheng.core.models import User

FACILITY_MEASURES = [m for m in TargetMeasure if m != TargetMeasure.CAREGIVERS_TRAINED]


@dataclass
class Progress:
    target: PlanTarget
    done: int = 0
    by_street: dict[str, int] = field(default_factory=dict)
    building: int | None = None  # the pipeline (new-facility measures only)
    planned: int | None = None
    undated: int = 0  # facilities that would count but lack the date

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.target.target) if self.target.target else 0

    @property
    def met(self) -> bool:
        return self.done >= self.target.target


def _measured(measure: str, year: int, rows: QuerySet[Facility]) -> tuple[QuerySet[Facility], str | None, Q]:
    """(the facilities the measure counts in ``year``, the field summed or None for a count,
    the filter of those that would count but have no date)."""
    if measure in MEASURE_KIND:
        kind = rows.filter(kind=MEASURE_KIND[TargetMeasure(measure)])
        return (kind.filter(operating_since__year=year), None,
                Q(kind=MEASURE_KIND[TargetMeasure(measure)], status__in=[FacilityStatus.OPERATING,
                                                                          FacilityStatus.CLOSED],
                  operating_since__isnull=True))
    care = rows.filter(kind=FacilityKind.CARE_HOME)
    if measure == TargetMeasure.SMART_CARE_HOMES:
        return care.filter(smart=True, smart_since__year=year), None, Q(kind=FacilityKind.CARE_HOME, smart=True,
                                                                         smart_since__isnull=True)
    if measure == TargetMeasure.INTERNET_HOSPITAL:
        return (care.filter(internet_hospital=True, internet_hospital_since__year=year), None,
                Q(kind=FacilityKind.CARE_HOME, internet_hospital=True, internet_hospital_since__isnull=True))
    if measure == TargetMeasure.DEMENTIA_BEDS:
        return (rows.filter(dementia_beds_since__year=year), "dementia_beds",
                Q(dementia_beds__gt=0, dementia_beds_since__isnull=True))
    raise ValueError(measure)


def targets_progress(user: User, year: int) -> list[Progress]:
    """Every facility target of ``year`` with its progress over the facilities ``user`` may see."""
    rows = facilities_visible(user)
    out = []
    for target in PlanTarget.objects.filter(year=year, measure__in=FACILITY_MEASURES).order_by("id"):
        counted, summed, undated = _measured(target.measure, year, rows)
        by_street: dict[str, int] = defaultdict(int)
        if summed is None:
            for street, n in counted.order_by().values_list("street_id").annotate(n=Count("id")):
                by_street[street] = n
        else:
            for street, n in counted.order_by().values_list("street_id").annotate(n=Sum(summed)):
                by_street[street] = n or 0
        progress = Progress(target=target, done=sum(by_street.values()), by_street=dict(by_street),
                            undated=rows.filter(undated).count())
        if target.measure in MEASURE_KIND:
            kind = rows.filter(kind=MEASURE_KIND[TargetMeasure(target.measure)])
            progress.building = kind.filter(status=FacilityStatus.BUILDING).count()
            progress.planned = kind.filter(status=FacilityStatus.PLANNED).count()
        out.append(progress)
    return out


def target_years() -> list[int]:
    return sorted(set(PlanTarget.objects.values_list("year", flat=True)), reverse=True)
