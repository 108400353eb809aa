"""Count the seed's 2023 figures on the registry, with the rules written out here.

This is a deliberately small stand-in for the policy engine (``policy/``),
used to calibrate and test the generator. Rules (the parameter files under policy/parameters/, summarised in docs/policy-sources.md):

* dibao: a co-resident household on the 1st of the month with ≥ 1
  Shanghai-hukou member, per-capita income (the income facts in force, as
  ``registry.columnar`` reads them for the policy batch) **<** the standard; monetary assets ≤
  30,000 yuan × members (3+ members) or 33,000 × members (1-2); no car;
  ≤ 1 home. Persons counted = its hukou members, less extreme-poverty persons.
* low-income: the same with per-capita income < 2 × standard, not dibao.
* elderly allowance: living hukou persons aged 65+ on the month's last day.
* severe-disability-unemployed: living hukou persons aged 16-59 with a valid
  certificate of grade 1-2, or grade 3 智力/精神, and not employed.
* children in difficulty: living hukou children under 18 who are orphans,
  unsupported children, hold a disability certificate, or live in a dibao or
  low-income household.
* extreme poverty (reported only): living hukou persons aged 60+, under 16 or
  severely disabled, unable to work, with no income, pension or able supporter.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
from django.db.models import Q

from minzheng.registry.columnar import RegistryColumns, registry_columns
from minzheng.registry.models import Employment, HouseholdMembership, Person

DIBAO_STANDARD_YUAN = (  # REFERENCE § 1
    (dt.date(2023, 7, 1), 1510), (dt.date(2024, 7, 1), 1595), (dt.date(2025, 7, 1), 1650),
)
SEED_2023 = {  # 2023 work summary (seed/000_f8f8b0c8ce1c27ca.txt)
    "dibao_persons": 3995, "low_income_persons": 1715, "elderly_allowance": 172_100,
    "severe_disability_unemployed": 2029, "children_in_difficulty": 1762, "scattered_orphans": 7,
    "unsupported_children": 95, "extreme_poverty": 80,
}
CALIBRATION_MONTH = dt.date(2025, 8, 1)


def dibao_standard(month: dt.date) -> int:
    value = None
    for start, yuan in DIBAO_STANDARD_YUAN:
        if month >= start:
            value = yuan
    if value is None:
        raise ValueError(f"no dibao standard known for {month:%Y-%m}")
    return value


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _poor_households(cols: RegistryColumns, standard_fen: int, month: dt.date) -> tuple[dict[int, int], dict[int, int]]:
    """Household id → hukou members, for dibao and low-income households."""
    members = cols.household_members()
    # counted income, as the engine tests it: employed members' wages less the
    # earned-income disregard (REFERENCE §1); unknown counted income is not poor
    income, unknown = cols.household_counted_income_fen(month)
    hukou = np.bincount(cols.person_household_index, weights=cols.hukou_shanghai,
                        minlength=cols.households).astype(np.int64)
    limit = np.where(members >= 3, 30_000, 33_000) * 100 * members
    passes = ((hukou > 0) & (cols.private_cars == 0) & (cols.homes <= 1) & (cols.monetary_assets_fen <= limit)
              & ~cols.facts_missing & ~unknown)
    dibao_mask = passes & (income < standard_fen * members)
    low_mask = passes & ~dibao_mask & (income < 2 * standard_fen * members)
    ids = cols.household_id.tolist()
    counts = hukou.tolist()
    dibao = {ids[i]: counts[i] for i in np.flatnonzero(dibao_mask).tolist()}
    low = {ids[i]: counts[i] for i in np.flatnonzero(low_mask).tolist()}
    return dibao, low


def _ids_in_households(household_ids, person_filter: Q) -> set[int]:
    ids = list(household_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found.update(
            HouseholdMembership.objects.filter(
                end_date__isnull=True, household_id__in=ids[start:start + 500]
            ).filter(person_filter).values_list("person_id", flat=True)
        )
    return found


def calibration_counts(month: dt.date = CALIBRATION_MONTH) -> dict[str, int]:
    """The seed's figures measured on the current registry for ``month``."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    standard_fen = dibao_standard(first) * 100
    living_hukou = Q(alive=True, hukou_shanghai=True)
    severe_cert = (
        Q(disabilities__valid_from__lte=last)
        & (Q(disabilities__valid_to__isnull=True) | Q(disabilities__valid_to__gte=first))
        & (Q(disabilities__grade__lte=2) | Q(disabilities__grade=3, disabilities__kind__in=("智力", "精神")))
    )
    any_cert = Q(disabilities__valid_from__lte=last) & (
        Q(disabilities__valid_to__isnull=True) | Q(disabilities__valid_to__gte=first)
    )
    born_65 = _years_before(last, 65)
    adult_from, adult_to = _years_before(last, 60), _years_before(last, 16)  # 16 ≤ age ≤ 59
    child_after = _years_before(last, 18)  # under 18 on the last day

    cols = registry_columns(first)
    no_income = set(cols.person_id[cols.monthly_income_fen == 0].tolist())
    extreme = no_income & set(
        Person.objects.filter(living_hukou, able_to_work=False, has_able_supporter=False,
                              orphan=False, unsupported_child=False)
        .filter(Q(birth_date__lte=_years_before(last, 60)) | Q(birth_date__gt=_years_before(last, 16)) | severe_cert)
        .values_list("id", flat=True).distinct()
    )
    dibao, low = _poor_households(cols, standard_fen, first)
    dibao_members = _ids_in_households(dibao, Q(person__hukou_shanghai=True, person__alive=True))
    child_q = Q(person__hukou_shanghai=True, person__alive=True, person__birth_date__gt=child_after)
    poor_children = _ids_in_households([*dibao, *low], child_q)
    children = Person.objects.filter(living_hukou, birth_date__gt=child_after)
    flagged = set(children.filter(Q(orphan=True) | Q(unsupported_child=True)).values_list("id", flat=True))
    disabled_children = set(children.filter(any_cert).values_list("id", flat=True).distinct())
    return {
        "dibao_persons": len(dibao_members - extreme),
        "low_income_persons": sum(low.values()),
        "elderly_allowance": Person.objects.filter(living_hukou, birth_date__lte=born_65).count(),
        "severe_disability_unemployed": Person.objects.filter(
            living_hukou, birth_date__gt=adult_from, birth_date__lte=adult_to
        ).filter(severe_cert).exclude(employment=Employment.EMPLOYED).values("id").distinct().count(),
        "children_in_difficulty": len(flagged | disabled_children | poor_children),
        "scattered_orphans": children.filter(orphan=True).count(),
        "unsupported_children": children.filter(unsupported_child=True).count(),
        "extreme_poverty": len(extreme),
    }


def scaled(counts: dict[str, int], persons: int, target: int = 1_900_000) -> dict[str, float]:
    """Counts scaled from ``persons`` generated to the seed's ~1.9 million residents."""
    return {key: value * target / persons for key, value in counts.items()}
