"""Reads of the evaluation grades (ADR 0041), scoped like the register (ADR 0039):
the section and the auditor see every organization's, an organization's own
account only its own (any other is 404); street and committee staff none.

* :func:`applications_visible` / :func:`application_get`;
* :func:`grades_visible`, :func:`current_grade`, :func:`valid_grades` — a grade is
  valid on a day from ``valid_from`` through ``valid_until`` unless a later grade
  ended it (``superseded_on``);
* :func:`expiring` (valid today, last day within N days) and :func:`expired`
  (the organization's latest grade ran out, no new one), organizations in business;
* :func:`graded_share` — organizations in business with a valid grade / in business,
  by kind (the seed: "获得评估等级 276 家，获得评估等级率达 34%").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from minzheng.core.models import DivisionLevel, User
from minzheng.core.scope import OutOfScope, Scope
from minzheng.social_orgs.grade_models import (
    EvaluationApplication,
    EvaluationRound,
    GradeReward,
    OrganizationGrade,
    RewardParameter,
    SanctionRecord,
)
from minzheng.social_orgs.models import Organization, OrgKind, OrgStatus
from minzheng.social_orgs.selectors import is_organization_account


def _scoped(user: User, queryset: QuerySet, path: str) -> QuerySet:
    if is_organization_account(user):
        return queryset.filter(**{f"{path}accounts__user": user})
    if Scope.of(user).level == DivisionLevel.DISTRICT:
        return queryset
    return queryset.none()


def rounds() -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.all()


def open_rounds(on: dt.date) -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.filter(opens_on__lte=on, closes_on__gte=on)


def applications_visible(user: User) -> QuerySet[EvaluationApplication]:
    return _scoped(user, EvaluationApplication.objects.select_related("organization", "round"), "organization__")


def application_get(user: User, pk: int) -> EvaluationApplication:
    application = applications_visible(user).filter(pk=pk).first()
    if application is None:
        raise OutOfScope()
    return application


def valid_on(on: dt.date) -> Q:
    """The grades valid on ``on`` (as a filter)."""
    return (Q(valid_from__lte=on, valid_until__gte=on)
            & (Q(superseded_on__isnull=True) | Q(superseded_on__gte=on)))


def grades_visible(user: User) -> QuerySet[OrganizationGrade]:
    return _scoped(user, OrganizationGrade.objects.select_related("organization"), "organization__")


def valid_grades(on: dt.date) -> QuerySet[OrganizationGrade]:
    return OrganizationGrade.objects.filter(valid_on(on))


def current_grade(organization: Organization, on: dt.date) -> OrganizationGrade | None:
    return valid_grades(on).filter(organization=organization).order_by("-valid_from").first()


def expiring(user: User, on: dt.date, days: int) -> QuerySet[OrganizationGrade]:
    """Grades of organizations in business valid on ``on`` whose last day is within ``days`` days."""
    return grades_visible(user).filter(valid_on(on), superseded_on__isnull=True,
                                       valid_until__lte=on + dt.timedelta(days=days),
                                       organization__status=OrgStatus.NORMAL)


def expired(user: User, on: dt.date) -> QuerySet[OrganizationGrade]:
    """The latest grade of an organization in business, run out before ``on`` (not renewed)."""
    return grades_visible(user).filter(superseded_on__isnull=True, valid_until__lt=on,
                                       organization__status=OrgStatus.NORMAL)


@dataclass(frozen=True)
class ShareRow:
    label: str
    in_business: int
    graded: int

    @property
    def percent(self) -> str:
        return "—" if not self.in_business else f"{self.graded * 100 / self.in_business:.1f}%"


def graded_share(user: User, on: dt.date) -> list[ShareRow]:
    """获得评估等级率 on ``on``: the total first, then by kind."""
    in_business = _scoped(user, Organization.objects.filter(status=OrgStatus.NORMAL), "")
    graded_ids = set(valid_grades(on).values_list("organization_id", flat=True))
    rows = list(in_business.values_list("pk", "kind"))
    total = ShareRow("全区", len(rows), sum(1 for pk, _ in rows if pk in graded_ids))
    return [total] + [ShareRow(label, sum(1 for _, k in rows if k == kind),
                               sum(1 for pk, k in rows if k == kind and pk in graded_ids))
                      for kind, label in OrgKind.choices]


def sanctions_visible(user: User) -> QuerySet[SanctionRecord]:
    return _scoped(user, SanctionRecord.objects.select_related("organization"), "organization__")


def rewards_visible(user: User) -> QuerySet[GradeReward]:
    return _scoped(user, GradeReward.objects.select_related("grade__organization", "parameter"),
                   "grade__organization__")


def reward_get(user: User, pk: int) -> GradeReward:
    reward = rewards_visible(user).filter(pk=pk).first()
    if reward is None:
        raise OutOfScope()
    return reward


def reward_parameters() -> QuerySet[RewardParameter]:
    return RewardParameter.objects.all()
