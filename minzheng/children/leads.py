"""Who the data suggest for the register (摸底排查的“政策找人”, seed 2024 plan
一(六): "完善儿童福利领域‘政策找人’机制"), ADR 0035 § leads.

A child is a living, unmerged registry person under 18 on the day. Parents
are read from the co-resident household (the registry has no parent link):
a child recorded as 子女 of the head has the head and the head's spouse as
parents; a child recorded as 孙子女 has the members recorded as 子女 and
儿媳女婿. Memberships ended by death count (a dead parent left the household on
the death date). This is an approximation the leads are checked against.

* a parent dead (the registry's death fields; the deaths app's record cited
  when there is one) → 散居孤儿 if every known parent is dead, else 家庭监护
  缺失或不当;
* a parent with a valid disability certificate of grade 1–2 (重度) →
  事实无人抚养 if every known parent is dead or severely disabled, else 家庭监护缺失或不当;
* the child's own valid certificate → 重病重残儿童;
* a child in a household with an active dibao or low-income enrolment → 低保、低收入家庭儿童.

Imprisonment: no source in ``minzheng.feeds.catalogue`` carries it (the 15
department sources are HR, tax, housing fund, property, vehicles, banks,
securities, market, medical, disability, police hukou, cremation), so staff
record such a lead themselves (``services.lead_report``).

A child already on the register in the suggested category gives no lead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q

from minzheng.casework.models import Enrolment, EnrolmentStatus
from minzheng.children.models import CategorySpell
from minzheng.deaths.models import DeathRecord
from minzheng.registry.models import DisabilityCertificate, HouseholdMembership, Person, Relation

POOR_PROGRAMS = ("dibao", "low_income")
SEVERE_GRADES = (1, 2)


@dataclass(frozen=True)
class Candidate:
    person: Person
    kind: str
    source_ref: str
    category: str  # a Category code
    detail: str


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _valid_certs(person_ids: set[int], day: dt.date) -> dict[int, DisabilityCertificate]:
    rows = DisabilityCertificate.objects.filter(person_id__in=person_ids, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("grade")
    out: dict[int, DisabilityCertificate] = {}
    for cert in rows:
        out.setdefault(cert.person_id, cert)
    return out


def candidates(day: dt.date) -> Iterator[Candidate]:
    children = {p.pk: p for p in Person.objects.filter(alive=True, merged_into__isnull=True,
                                                      birth_date__gt=_years_before(day, 18), birth_date__lte=day)}
    if not children:
        return
    current = {m.person_id: m for m in HouseholdMembership.objects.filter(person_id__in=children, end_date__isnull=True)}
    households = {m.household_id for m in current.values()}
    members: dict[int, list[HouseholdMembership]] = defaultdict(list)
    for m in (HouseholdMembership.objects.filter(household_id__in=households)
              .filter(Q(end_date__isnull=True) | Q(end_reason="死亡")).select_related("person")):
        members[m.household_id].append(m)
    parents: dict[int, list[Person]] = {}
    for pid, m in current.items():
        if m.relation == Relation.CHILD:
            roles = (Relation.HEAD, Relation.SPOUSE)
        elif m.relation == Relation.GRANDCHILD:
            roles = (Relation.CHILD, Relation.CHILD_IN_LAW)
        else:
            continue
        parents[pid] = [x.person for x in members[m.household_id] if x.relation in roles and x.person_id != pid]
    parent_ids = {p.pk for ps in parents.values() for p in ps}
    certs = _valid_certs(parent_ids | set(children), day)
    death_records = dict(DeathRecord.objects.filter(person_id__in=parent_ids).values_list("person_id", "id"))
    registered = defaultdict(set)
    for person_id, code in CategorySpell.objects.filter(
            child__person_id__in=children, ended_on__isnull=True, child__ended_on__isnull=True).values_list(
            "child__person_id", "category__code"):
        registered[person_id].add(code)

    def wanted(pid: int, code: str) -> bool:
        return code not in registered[pid]

    for pid, ps in parents.items():
        child = children[pid]
        dead = [p for p in ps if not p.alive]
        severe = [p for p in ps if p.alive and p.pk in certs and certs[p.pk].grade in SEVERE_GRADES]
        known = len(ps)
        if dead:
            code = "orphan" if known >= 1 and len(dead) == known else (
                "unsupported" if len(dead) + len(severe) == known else "guardianship")
            for p in dead:
                ref = f"death:{death_records[p.pk]}" if p.pk in death_records else f"person:{p.pk}"
                if wanted(pid, code):
                    yield Candidate(child, "parent_death", ref, code,
                                    f"父母一方（{p.name}）已于{p.death_date or '（日期不详）'}死亡")
        if severe:
            code = "unsupported" if len(dead) + len(severe) == known else "guardianship"
            for p in severe:
                cert = certs[p.pk]
                if wanted(pid, code):
                    yield Candidate(child, "parent_disability", f"cert:{cert.pk}", code,
                                    f"父母一方（{p.name}）持{cert.get_kind_display()}{cert.grade}级残疾人证")
    for pid, cert in certs.items():
        if pid in children and wanted(pid, "ill_disabled"):
            yield Candidate(children[pid], "child_disability", f"cert:{cert.pk}", "ill_disabled",
                            f"儿童本人持{cert.get_kind_display()}{cert.grade}级残疾人证")
    poor = dict(Enrolment.objects.filter(program__in=POOR_PROGRAMS, status=EnrolmentStatus.ACTIVE,
                                         household_id__in=households).values_list("household_id", "id"))
    for pid, m in current.items():
        if m.household_id in poor and wanted(pid, "poor"):
            yield Candidate(children[pid], "poor_household", f"enrolment:{poor[m.household_id]}", "poor",
                            "所在家庭在低保或低收入保障中")
