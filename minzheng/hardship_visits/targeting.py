"""Who meets which visit category on a day (ADR 0034 § rules). Reads only.

The rules, from the registry and the enrolments (never from a form):

* 独居 (``living_alone``): the elder's current household (家庭成员关系 not ended)
  has no other current member.
* 孤寡 (``no_spouse_no_child``): the marital status in force is 未婚, 离婚 or
  丧偶 (a *recorded* status: without a record the status is unknown and the
  elder is not classified 孤寡 — never presumed), and the registry links no
  child: the elder was never 本人 of a household with a member recorded as 子女
  or 儿媳、女婿, and was never recorded as 父母 or 祖父母 of a household's head.
  Children the registry does not know of (living elsewhere, outside the
  district) are not seen: the committee ends such an entry by correcting the
  registry, not here.
* 残疾 (``disabled``): a disability certificate valid on the day (any grade).
  失能 assessments (长护险) are not in the registry: not derived.
* 在保 (``enrolled``): an enrolment of one of the category's programs that is
  保障中 in the day's month (casework's public selector); a household
  enrolment covers its current members.

Everybody: alive, not merged into another record, at least the category's
``min_age`` on the day, and not living in an institution (机构集中供养: they
are cared for there, not at home).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from minzheng.casework.selectors import enrolments_for_payment
from minzheng.hardship_visits.models import CategoryRule, VisitCategory
from minzheng.registry.models import (
    VISIBLE,
    DisabilityCertificate,
    HouseholdMembership,
    MaritalStatus,
    MaritalStatusRecord,
    Person,
    Relation,
)
from minzheng.registry.selectors import years_before

NO_SPOUSE = (MaritalStatus.UNMARRIED, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED)
CHILD_RELATIONS = (Relation.CHILD, Relation.CHILD_IN_LAW)
PARENT_RELATIONS = (Relation.PARENT, Relation.GRANDPARENT)


@dataclass(frozen=True)
class Elder:
    person_id: int
    birth_date: dt.date
    street_id: str
    committee_id: str


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def elders_query(day: dt.date, min_age: int):
    """Alive, visible, not in an institution, ``min_age`` or older on ``day``."""
    return Person.objects.filter(VISIBLE, alive=True, in_institution=False, birth_date__lte=years_before(day, min_age))


def elders(day: dt.date, min_age: int) -> dict[int, Elder]:
    rows = elders_query(day, min_age).values_list("id", "birth_date", "street_id", "committee_id")
    return {pid: Elder(pid, birth, street, committee) for pid, birth, street, committee in rows}


def _living_alone(ids) -> set[int]:
    current = HouseholdMembership.objects.filter(end_date__isnull=True)
    theirs = current.filter(person_id__in=ids).values("household_id")
    sizes = dict(current.filter(household_id__in=theirs).values("household_id").order_by()
                 .annotate(n=Count("id")).values_list("household_id", "n"))
    return {pid for pid, hh in current.filter(person_id__in=ids).values_list("person_id", "household_id")
            if sizes.get(hh) == 1}


def _no_spouse(ids, day: dt.date) -> set[int]:
    latest: dict[int, str] = {}
    for pid, status in (MaritalStatusRecord.objects.filter(person_id__in=ids, since__lte=day)
                        .order_by("person_id", "since", "id").values_list("person_id", "status")):
        latest[pid] = status  # the last one in (since, id) order is in force
    return {pid for pid, status in latest.items() if status in NO_SPOUSE}


def _with_children(ids) -> set[int]:
    headed = HouseholdMembership.objects.filter(person_id__in=ids, relation=Relation.HEAD)
    head_of = defaultdict(set)
    for pid, hh in headed.values_list("person_id", "household_id"):
        head_of[hh].add(pid)
    linked = set()
    for hh in (HouseholdMembership.objects.filter(household_id__in=headed.values("household_id"),
                                                  relation__in=CHILD_RELATIONS)
               .values_list("household_id", flat=True).distinct()):
        linked |= head_of[hh]
    linked |= set(HouseholdMembership.objects.filter(person_id__in=ids, relation__in=PARENT_RELATIONS)
                  .values_list("person_id", flat=True))
    return linked


def _disabled(ids, day: dt.date) -> set[int]:
    return set(DisabilityCertificate.objects.filter(person_id__in=ids, valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
               .values_list("person_id", flat=True))


def _enrolled(programs: list[str], day: dt.date) -> set[int]:
    month = day.strftime("%Y-%m")
    persons, households = set(), set()
    for program in programs:
        for row in enrolments_for_payment(program, month, month):
            if row["status"] != "active":
                continue
            if any(start <= month and (not end or month < end) for start, end in row["suspended"]):
                continue
            if row["person_id"]:
                persons.add(row["person_id"])
            if row["household_id"]:
                households.add(row["household_id"])
    if households:
        persons |= set(HouseholdMembership.objects.filter(household_id__in=households, end_date__isnull=True)
                       .values_list("person_id", flat=True))
    return persons


def matches(day: dt.date, categories: list[VisitCategory]) -> tuple[dict[int, Elder], dict[int, set[int]]]:
    """(the elders considered, person id → ids of the categories met on ``day``)."""
    if not categories:
        return {}, {}
    youngest = min(c.min_age for c in categories)
    pool = elders(day, youngest)
    ids = elders_query(day, youngest).values("id")  # a subquery: no long IN lists
    cache: dict[str, set[int]] = {}

    def rule_set(category: VisitCategory) -> set[int]:
        if category.rule == CategoryRule.LIVING_ALONE:
            if "alone" not in cache:
                cache["alone"] = _living_alone(ids)
            return cache["alone"]
        if category.rule == CategoryRule.NO_SPOUSE_NO_CHILD:
            if "gugua" not in cache:
                cache["gugua"] = _no_spouse(ids, day) - _with_children(ids)
            return cache["gugua"]
        if category.rule == CategoryRule.DISABLED:
            if "disabled" not in cache:
                cache["disabled"] = _disabled(ids, day)
            return cache["disabled"]
        if category.rule == CategoryRule.ENROLLED:
            return _enrolled(list(category.programs or []), day)
        return set()

    met: dict[int, set[int]] = defaultdict(set)
    for category in categories:
        for pid in rule_set(category):
            if pid in pool and age_on(pool[pid].birth_date, day) >= category.min_age:
                met[pid].add(category.pk)
    return pool, dict(met)
