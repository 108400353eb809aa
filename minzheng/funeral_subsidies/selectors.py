"""Reads of the funeral subsidies, scoped (``funeral_subsidies.view``): street
staff see the grants of their street's deceased; a deceased not in the registry
has no street, so only district staff see that grant.

``death_facts`` reads what the platform knows of a deceased at the death date:
hukou and 优抚 from the registry, and the listed programs (低保、特困、支出型贫困)
from casework enrolments covering the death month — the person's own
(person-level) or their household's at the death date (household-level).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from minzheng.casework.models import Enrolment
from minzheng.core.models import User
from minzheng.core.months import month_of
from minzheng.core.permissions import require
from minzheng.core.scope import restrict
from minzheng.funeral_subsidies.eligibility import ENROLMENT_GROUPS, DeathFacts
from minzheng.funeral_subsidies.models import CitedValue, EcoBurial, Grant, GrantKind, GrantStatus
from minzheng.registry.models import HouseholdMembership, Person


def enrolments_in_month(person: Person, death_date: dt.date) -> frozenset[str]:
    """The listed programs (casework ``EnrolledProgram`` codes dibao,
    extreme_poverty, expense_poverty) covering the death month: an enrolment
    started on or before the month and not ended before it (a suspended
    enrolment still counts: 暂停发放 does not end the status)."""
    month = month_of(death_date)
    households = HouseholdMembership.objects.filter(person=person, start_date__lte=death_date).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=death_date)).values("household_id")
    covering = Q(start_month__lte=month) & (Q(end_month="") | Q(end_month__gte=month))
    rows = Enrolment.objects.filter(covering, program__in=ENROLMENT_GROUPS).filter(
        Q(person=person) | Q(person__isnull=True, household_id__in=households))
    return frozenset(rows.values_list("program", flat=True))


def death_facts(person: Person | None, death_date: dt.date, *, dingqi_dingliang: bool | None = None,
                funeral_pay: bool | None = None) -> DeathFacts:
    """What the platform knows of the deceased at ``death_date`` (None = unknown)."""
    if person is None:
        return DeathFacts(hukou_shanghai=None, youfu=None, enrolments=None, dingqi_dingliang=dingqi_dingliang,
                          funeral_pay=funeral_pay)
    return DeathFacts(hukou_shanghai=person.hukou_shanghai, youfu=person.youfu,
                      enrolments=enrolments_in_month(person, death_date), dingqi_dingliang=dingqi_dingliang,
                      funeral_pay=funeral_pay)


def grants_visible(user: User) -> QuerySet[Grant]:
    require(user, "funeral_subsidies.view")
    return restrict(Grant.objects.all(), user).select_related("street", "payee", "burial")


def grant_get(user: User, pk: int) -> Grant:
    return grants_visible(user).get(pk=pk)


def grants_in_payment(user: User) -> QuerySet[Grant]:
    """The visible grants sent to payment and not yet paid (their status follows the payment's)."""
    return grants_visible(user).exclude(payment_reference="").filter(
        status__in=(GrantStatus.TO_PAY, GrantStatus.IN_BATCH))


def grants_of_deceased(*, person: Person | None = None, id_number_index: str = "") -> QuerySet[Grant]:
    """Every grant of one deceased (unscoped: for the death record's checklist,
    which its caller has already scoped)."""
    if person is not None:
        return Grant.objects.filter(Q(person=person) | Q(deceased_id_index=person.id_number_index)).order_by("id")
    return Grant.objects.filter(deceased_id_index=id_number_index).order_by("id")


def basic_grant_for(id_number_index: str) -> Grant | None:
    return Grant.objects.filter(kind=GrantKind.BASIC, deceased_id_index=id_number_index).first()


def burials_visible(user: User) -> QuerySet[EcoBurial]:
    require(user, "funeral_subsidies.view")
    return restrict(EcoBurial.objects.all(), user)


def cited_values(user: User) -> QuerySet[CitedValue]:
    require(user, "funeral_subsidies.view")
    return CitedValue.objects.all()


def status_counts(user: User) -> dict[str, int]:
    from django.db.models import Count

    rows = grants_visible(user).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
