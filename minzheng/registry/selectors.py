"""Reads of the population registry, always scoped to the acting user.

A record outside the user's jurisdiction is indistinguishable from a missing
one: ``person_get`` and ``household_get`` raise ``DoesNotExist`` for both,
so views answer 404 either way.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from minzheng.core.models import User
from minzheng.core.scope import restrict
from minzheng.registry.models import (
    VISIBLE,
    CareNeedsAssessment,
    DisabilityCertificate,
    Household,
    HouseholdAssetFact,
    HouseholdMembership,
    ImportRun,
    MaritalStatusRecord,
    Person,
    PersonIncomeFact,
    PersonMerge,
    Relation,
)
from minzheng.registry.person_search import persons_matching, query_problem

COUNT_LIMIT = 1000  # searches count their matches up to this many ("超过 1,000 人")


def persons_visible(user: User) -> QuerySet[Person]:
    """All persons in the user's scope (merged duplicates excluded)."""
    return restrict(Person.objects.filter(merged_into__isnull=True), user)


def person_search(user: User, q: str = "") -> QuerySet[Person]:
    """Search by Chinese name (a surname or two characters: prefix; three or
    more: contains), pinyin initials or full pinyin (prefix), a complete ID
    number (the blind index) or its first 6–14 digits (``person_search``
    module, ADR 0020). A query ``person_search_problem`` refuses finds nobody."""
    return person_matching(persons_visible(user).select_related("committee", "street"), q)


def person_search_problem(q: str) -> str | None:
    """The Chinese message for a search query that is refused (15–17 digits:
    the masked ID copy no longer keeps them, ADR 0002/0020), else None."""
    return query_problem(q)


def person_matching(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """``qs`` narrowed to the persons matching ``q`` (as ``person_search``),
    in an indexed order; for the person list's search box."""
    return persons_matching(qs, q)


def bounded_count(qs: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """(number of rows, True) up to ``limit`` (``COUNT_LIMIT``); (``limit``,
    False) beyond it — a search never counts a whole surname's hundreds of
    thousands of rows."""
    limit = COUNT_LIMIT if limit is None else limit
    n = qs.order_by()[: limit + 1].count()
    return (n, True) if n <= limit else (limit, False)


def person_get(user: User, pk: int) -> Person:
    return persons_visible(user).select_related("committee", "street", "hukou_street").get(pk=pk)


def person_current_membership(person: Person) -> HouseholdMembership | None:
    return (
        HouseholdMembership.objects.filter(person=person, end_date__isnull=True)
        .select_related("household", "household__committee")
        .first()
    )


def person_disabilities(person: Person) -> QuerySet[DisabilityCertificate]:
    return DisabilityCertificate.objects.filter(person=person).order_by("-valid_from")


def person_valid_disability(person: Person, on: dt.date) -> DisabilityCertificate | None:
    """The most severe certificate valid on ``on``."""
    return (
        person_disabilities(person)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("grade")
        .first()
    )


def households_visible(user: User) -> QuerySet[Household]:
    return restrict(Household.objects.filter(archived=False), user)


def household_search(user: User, q: str, limit: int = 20) -> list[Household]:
    """Households with a current member matching ``q`` (name, pinyin, initials
    or an exact ID number, as ``person_search``), heads prefetched for display."""
    if not (q or "").strip():
        return []
    persons = person_search(user, q).values("pk")[: limit * 3]
    ids = list(
        HouseholdMembership.objects.filter(person__in=persons, end_date__isnull=True, household__archived=False)
        .values_list("household_id", flat=True).distinct()[:limit]
    )
    qs = households_visible(user).filter(pk__in=ids).select_related("committee", "street").annotate(
        member_count=Count("memberships", filter=Q(memberships__end_date__isnull=True))
    )
    return list(prefetch_heads(qs).order_by("pk"))


def household_list(user: User, committee_code: str | None = None) -> QuerySet[Household]:
    qs = households_visible(user).select_related("committee", "street")
    if committee_code:
        qs = qs.filter(committee_id=committee_code)
    return qs.annotate(
        member_count=Count("memberships", filter=Q(memberships__end_date__isnull=True))
    ).order_by("id")


def prefetch_heads(qs: QuerySet, path: str = "") -> QuerySet:
    """Fetch each household's current head with the list (one more query in all,
    not one per row), for the household chip: ``prefetch_heads(applications, "household")``."""
    lookup = f"{path}__memberships" if path else "memberships"
    heads = HouseholdMembership.objects.filter(end_date__isnull=True, relation=Relation.HEAD).select_related("person")
    return qs.prefetch_related(Prefetch(lookup, queryset=heads, to_attr="current_heads"))


def household_heads(household: Household) -> list[HouseholdMembership]:
    """The household's current head(s) of household: prefetched if the list did so, else read now."""
    cached = household.__dict__.get("current_heads")
    if cached is not None:
        return list(cached)
    return list(
        HouseholdMembership.objects.filter(household=household, end_date__isnull=True, relation=Relation.HEAD)
        .select_related("person")[:1]
    )


def household_get(user: User, pk: int) -> Household:
    return restrict(Household.objects.all(), user).select_related("committee", "street").get(pk=pk)


def household_members(household: Household, *, current_only: bool = True) -> QuerySet[HouseholdMembership]:
    qs = HouseholdMembership.objects.filter(household=household).select_related("person")
    if current_only:
        qs = qs.filter(end_date__isnull=True)
    return qs.order_by("end_date", "start_date", "id")


def household_history(household: Household) -> QuerySet[HouseholdMembership]:
    return household_members(household, current_only=False).exclude(end_date__isnull=True)


def person_household_history(person: Person) -> QuerySet[HouseholdMembership]:
    return HouseholdMembership.objects.filter(person=person).select_related("household").order_by("-start_date")


def duplicate_candidates(user: User) -> list[list[Person]]:
    """Groups of persons with the same name and birth date (possible duplicates)."""
    keys = (
        persons_visible(user)
        .values("name", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("name", "birth_date")[:200]
    )
    groups: list[list[Person]] = []
    for key in keys:
        groups.append(
            list(
                persons_visible(user)
                .filter(name=key["name"], birth_date=key["birth_date"])
                .select_related("committee")
                .order_by("id")
            )
        )
    return groups


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def registry_counts(user: User, *, today: dt.date | None = None) -> dict[str, int]:
    """Key counts for the home page, in the user's scope."""
    today = today or dt.date.today()
    persons = persons_visible(user)
    alive = persons.filter(alive=True)
    cutoff_60 = years_before(today, 60)
    cutoff_65 = years_before(today, 65)
    disabled_ids = DisabilityCertificate.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today), valid_from__lte=today
    ).values("person_id")
    return {
        "persons": alive.count(),
        "households": households_visible(user).count(),
        "hukou": alive.filter(hukou_shanghai=True).count(),
        "aged_60_plus": alive.filter(birth_date__lte=cutoff_60).count(),
        "hukou_65_plus": alive.filter(hukou_shanghai=True, birth_date__lte=cutoff_65).count(),
        "disabled": alive.filter(id__in=disabled_ids).count(),
        "deaths": persons.filter(alive=False).count(),
    }


# ---------------------------------------------------------------------------
# Dated economic facts: the fact in force on a day is the one with the latest
# ``valid_from`` on or before it (ties: the later recorded). The monthly work
# reads them on the 1st of the month (``registry.columnar``).


def income_in_force(person: Person, on: dt.date) -> PersonIncomeFact | None:
    """The person's income fact in force on ``on`` (None: nothing known)."""
    return person.income_facts.filter(valid_from__lte=on).order_by("-valid_from", "-id").first()


def assets_in_force(household: Household, on: dt.date) -> HouseholdAssetFact | None:
    """The household's asset fact in force on ``on`` (None: nothing known)."""
    return household.asset_facts.filter(valid_from__lte=on).order_by("-valid_from", "-id").first()


def care_assessment_history(person: Person) -> QuerySet[CareNeedsAssessment]:
    """The person's care-needs assessments, latest first (history is kept)."""
    return person.care_assessments.order_by("-assessed_on", "-id")


def care_assessment_in_force(person: Person, on: dt.date) -> CareNeedsAssessment | None:
    """The assessment in force on ``on``: the latest dated on or before it
    (ties: the later recorded); no validity period (REFERENCE §10 gives none)."""
    return care_assessment_history(person).filter(assessed_on__lte=on).first()


def person_income_history(person: Person) -> QuerySet[PersonIncomeFact]:
    return person.income_facts.order_by("-valid_from", "-id")


def household_asset_history(household: Household) -> QuerySet[HouseholdAssetFact]:
    return household.asset_facts.order_by("-valid_from", "-id")


def person_merges(person: Person) -> QuerySet[PersonMerge]:
    """Merges into ``person`` that stand (not undone), newest first."""
    return PersonMerge.objects.filter(keep=person, undone_at__isnull=True).select_related("duplicate",
                                                                                          "duplicate__committee") \
        .order_by("-merged_at")


# --- the to-do inbox (workbench) ---------------------------------------------

def imports_with_rejected_rows(user: User, *, days: int = 30) -> QuerySet:
    """The user's own registry imports of the last ``days`` days that left rows
    rejected (to correct and import again)."""
    from django.utils import timezone

    from minzheng.registry.models import ImportRun

    since = timezone.now() - dt.timedelta(days=days)
    return ImportRun.objects.filter(actor=user.username, rejected_rows__gt=0, created_at__gte=since).order_by("-id")


def import_run_get(user: User, pk: int) -> ImportRun:
    """One registry import's record: the district level (and the auditor) sees
    every import, anyone else only their own (an import's rows may lie in
    several streets, so it is not shown by jurisdiction)."""
    from minzheng.core.permissions import can
    from minzheng.core.scope import Scope

    runs = ImportRun.objects.all()
    if not (Scope.of(user).level == "district" or can(user, "core.audit_view")):
        runs = runs.filter(actor=user.username)
    return runs.get(pk=pk)


def person_by_id_index(id_number_index: str) -> Person | None:
    """The registry person holding the ID number whose blind index is given
    (not merged away), or ``None`` when the number is not in the registry.
    Unscoped: the marriage office matches parties registered anywhere."""
    return Person.objects.filter(VISIBLE, id_number_index=id_number_index).first()


def marital_status_in_force(person: Person, on: dt.date) -> MaritalStatusRecord | None:
    """The marital status record in force on ``on`` (latest ``since`` on or before
    it), or ``None`` when none is recorded: unknown, not 未婚."""
    return person.marital_statuses.filter(since__lte=on).order_by("-since", "-id").first()


def marital_status_history(person: Person) -> QuerySet[MaritalStatusRecord]:
    return person.marital_statuses.order_by("-since", "-id")
