"""Reads of 流浪乞讨人员救助, scoped to the user's jurisdiction (ADR 0038).

A rescue belongs to the street where the person was found; a street sees its
rescues, and the persons it recorded or rescued (with all their rescues' history,
so a repeat rescue in another town is recognised). Outside → 404. Campaigns are
district-wide (every reader sees them); a street sees its own shifts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, restrict
from minzheng.homeless_rescue.models import (
    Campaign,
    FinderKind,
    Outcome,
    PatrolShift,
    PersonMerge,
    PersonPhoto,
    Rescue,
    RescuedPerson,
    ServiceKind,
    WeatherWarning,
    YearReport,
)

VIEW = "homeless_rescue.view"


def _restrict(qs: QuerySet, user: User, street_field: str = "street_id") -> QuerySet:
    # committees and advisors hold no right here; their scope matches no street code
    return restrict(qs, user, street_field=street_field, committee_field=street_field)


def rescues_visible(user: User) -> QuerySet[Rescue]:
    require(user, VIEW)
    return _restrict(Rescue.objects.select_related("person", "street", "finder_kind", "campaign", "shift"), user)


def rescue_get(user: User, pk: int) -> Rescue:
    try:
        return rescues_visible(user).get(pk=pk)
    except Rescue.DoesNotExist:
        raise OutOfScope("没有这条救助记录，或不在您的辖区内") from None


def persons_visible(user: User, *, merged: bool = False) -> QuerySet[RescuedPerson]:
    """Persons recorded in or rescued in the user's streets (merged-away records only with ``merged``)."""
    require(user, VIEW)
    qs = RescuedPerson.objects.select_related("street", "registry_person")
    if not merged:
        qs = qs.filter(merged_into__isnull=True)
    own = _restrict(RescuedPerson.objects.all(), user).values("pk")
    rescued = _restrict(Rescue.objects.all(), user).values("person_id")
    return qs.filter(Q(pk__in=own) | Q(pk__in=rescued))


def person_get(user: User, pk: int) -> RescuedPerson:
    try:
        return persons_visible(user, merged=True).get(pk=pk)
    except RescuedPerson.DoesNotExist:
        raise OutOfScope("没有这个受助人员，或不在您的辖区内") from None


def person_rescues(person: RescuedPerson) -> QuerySet[Rescue]:
    return person.rescues.select_related("street", "finder_kind", "campaign").order_by("-found_at", "-id")


def person_merges(person: RescuedPerson) -> QuerySet[PersonMerge]:
    return PersonMerge.objects.filter(Q(keep=person) | Q(duplicate=person)).select_related("keep", "duplicate")


def photo_get(user: User, pk: int) -> PersonPhoto:
    photo = PersonPhoto.objects.select_related("person").filter(pk=pk).first()
    if photo is None:
        raise OutOfScope("没有这张照片")
    person_get(user, photo.person_id)
    return photo


def finder_kinds() -> QuerySet[FinderKind]:
    return FinderKind.objects.filter(active=True)


def service_kinds() -> QuerySet[ServiceKind]:
    return ServiceKind.objects.filter(active=True)


def warnings() -> QuerySet[WeatherWarning]:
    return WeatherWarning.objects.all()


def campaigns_visible(user: User) -> QuerySet[Campaign]:
    require(user, VIEW)
    return Campaign.objects.select_related("warning")


def campaign_get(user: User, pk: int) -> Campaign:
    try:
        return campaigns_visible(user).get(pk=pk)
    except Campaign.DoesNotExist:
        raise OutOfScope("没有这个专项行动") from None


def campaign_shifts(user: User, campaign: Campaign) -> QuerySet[PatrolShift]:
    return (_restrict(campaign.shifts.select_related("street"), user)
            .annotate(helped=Count("rescues")).order_by("-starts_at", "-id"))


def shift_get(user: User, pk: int) -> PatrolShift:
    require(user, VIEW)
    try:
        return _restrict(PatrolShift.objects.select_related("campaign", "street"), user).get(pk=pk)
    except PatrolShift.DoesNotExist:
        raise OutOfScope("没有这个巡查班次，或不在您的辖区内") from None


def shifts_open_for(user: User, day: dt.date) -> QuerySet[PatrolShift]:
    """Shifts the user's streets hold on ``day`` (the rescue form offers them)."""
    require(user, VIEW)
    return _restrict(PatrolShift.objects.select_related("street", "campaign"), user).filter(
        starts_at__date__lte=day, ends_at__date__gte=day)


def streets_visible(user: User) -> QuerySet[Division]:
    return restrict(Division.objects.filter(level=DivisionLevel.STREET), user, street_field="code",
                    committee_field="code").order_by("code")


@dataclass
class CampaignFigures:
    campaign: Campaign
    shifts: int
    people_met: int | None
    people_refused: int | None
    rescues: int
    returned_home: int


@dataclass
class YearFigures:
    year: int
    streets: list[Division]
    months: list[int] = field(default_factory=lambda: list(range(1, 13)))
    by_street_month: dict[str, list[int]] = field(default_factory=dict)
    by_month: list[int] = field(default_factory=list)
    by_street: dict[str, int] = field(default_factory=dict)
    total: int = 0
    persons: int = 0
    repeat_persons: int = 0
    unidentified: int = 0
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    finders: list[tuple[str, int]] = field(default_factory=list)
    services: list[tuple[str, str, int]] = field(default_factory=list)
    in_campaigns: int = 0
    campaigns: list[CampaignFigures] = field(default_factory=list)
    reported: YearReport | None = None

    @property
    def returned_home(self) -> int:
        return dict(self.outcomes).get(Outcome.RETURNED_HOME.label, 0)


def year_figures(user: User, year: int) -> YearFigures:
    """The year's rescues (人次) by month and town, persons, outcomes (返乡 = 情暖归途),
    sources, services and the campaigns' figures; with the bureau's reported count."""
    rescues = rescues_visible(user).filter(found_at__year=year)
    streets = list(streets_visible(user))
    figures = YearFigures(year=year, streets=streets)
    figures.by_street_month = {s.code: [0] * 12 for s in streets}
    for row in rescues.annotate(m=ExtractMonth("found_at")).values("street_id", "m").order_by().annotate(n=Count("id")):
        figures.by_street_month.setdefault(row["street_id"], [0] * 12)[row["m"] - 1] += row["n"]
    figures.by_month = [sum(v[i] for v in figures.by_street_month.values()) for i in range(12)]
    figures.by_street = {code: sum(v) for code, v in figures.by_street_month.items()}
    figures.total = sum(figures.by_month)
    per_person = Counter(dict(rescues.values("person_id").order_by().annotate(n=Count("id")).values_list("person_id", "n")))
    figures.persons = len(per_person)
    figures.repeat_persons = sum(1 for n in per_person.values() if n > 1)
    figures.unidentified = rescues.filter(person__identity="pending").values("person_id").distinct().count()
    outcome_counts = dict(rescues.values("outcome").order_by().annotate(n=Count("id")).values_list("outcome", "n"))
    figures.outcomes = [(label, outcome_counts.get(code, 0)) for code, label in Outcome.choices]
    finder_counts = dict(rescues.values("finder_kind").order_by().annotate(n=Count("id"))
                         .values_list("finder_kind", "n"))
    figures.finders = [(k.label, finder_counts.get(k.pk, 0)) for k in FinderKind.objects.all()]
    service_sums = dict(rescues.values("services__kind").order_by().annotate(q=Sum("services__quantity"))
                        .values_list("services__kind", "q"))
    figures.services = [(k.label, k.unit, service_sums.get(k.pk) or 0) for k in ServiceKind.objects.all()]
    figures.in_campaigns = rescues.filter(campaign__isnull=False).count()
    for campaign in campaigns_visible(user).filter(starts_on__year__lte=year).filter(
            Q(starts_on__year=year) | Q(ends_on__year__gte=year) | Q(ends_on__isnull=True)).order_by("starts_on"):
        shifts = _restrict(campaign.shifts.all(), user)
        sums = shifts.aggregate(met=Sum("people_met"), refused=Sum("people_refused"))
        linked = _restrict(campaign.rescues.all(), user)
        figures.campaigns.append(CampaignFigures(
            campaign, shifts.count(), sums["met"], sums["refused"], linked.count(),
            linked.filter(outcome=Outcome.RETURNED_HOME).count()))
    figures.reported = YearReport.objects.filter(year=year).first()
    return figures


def rescues_in_care(user: User) -> QuerySet[Rescue]:
    """Rescues without an outcome yet, oldest first (the street's to-do)."""
    return rescues_visible(user).filter(outcome=Outcome.IN_CARE).order_by("found_at", "id")
