"""The caregiver figures (ADR 0028), computed from the records, never stored:

* **certified share** (等级证持证率; the seed: "全区养老护理员等级证持证率提高至
  88.1%"): caregivers in post (``active``) holding a skill-level certificate of
  any level, over all caregivers in post — per employer, per street and for
  the district (over what the user may see). No caregiver: no share (``None``,
  shown as 无数据), never 0 %;
* **trained to intermediate or above** in year Y (the 2024 target "培训297名中级
  以上技能等级护理员", a PlanTarget row of measure ``caregivers_trained``):
  distinct caregivers with a training that ended in Y with a resulting level
  of 中级 or above (in post or not: the training happened).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.care_facilities.models import PlanTarget, TargetMeasure
from minzheng.caregivers.models import INTERMEDIATE_OR_ABOVE, CaregiverTraining
from minzheng.caregivers.selectors import caregivers_visible
from minzheng.core.models import User


@dataclass(frozen=True)
class Share:
    certified: int
    total: int

    @property
    def percent(self) -> float | None:
        return None if not self.total else round(100 * self.certified / self.total, 1)

    @property
    def text(self) -> str:
        return "无数据" if self.percent is None else f"{self.percent}%"


def _shares(user: User, key: str) -> dict:
    rows = (caregivers_visible(user).filter(active=True).order_by().values(key)
            .annotate(total=Count("id"), certified=Count("id", filter=~Q(certificate_level=""))))
    return {r[key]: Share(r["certified"], r["total"]) for r in rows}


def share_by_employer(user: User) -> dict[int, Share]:
    return _shares(user, "employer_id")


def share_by_street(user: User) -> dict[str, Share]:
    return _shares(user, "employer__street_id")


def share_total(user: User) -> Share:
    shares = share_by_street(user).values()
    return Share(sum(s.certified for s in shares), sum(s.total for s in shares))


@dataclass(frozen=True)
class TrainedProgress:
    year: int
    target: PlanTarget | None
    done: int
    by_street: dict[str, int]

    @property
    def percent(self) -> int | None:
        return None if self.target is None else round(100 * self.done / self.target.target)


def trained_progress(user: User, year: int) -> TrainedProgress:
    trainings = CaregiverTraining.objects.filter(caregiver__in=caregivers_visible(user).values("pk"),
                                                 ended_on__year=year, resulting_level__in=INTERMEDIATE_OR_ABOVE)
    by_street = dict(trainings.order_by().values_list("caregiver__employer__street_id")
                     .annotate(n=Count("caregiver_id", distinct=True)))
    done = trainings.values("caregiver_id").distinct().count()
    target = PlanTarget.objects.filter(year=year, measure=TargetMeasure.CAREGIVERS_TRAINED).first()
    return TrainedProgress(year=year, target=target, done=done, by_street=by_street)


def dashboard_figures(user: User, today: dt.date) -> StreetFigures:
    """The caregivers' section of the elderly-care dashboard, per street."""
    shares = share_by_street(user)
    trained = trained_progress(user, today.year)
    streets = sorted(set(shares) | set(trained.by_street))
    rows = {}
    for street in streets:
        s = shares.get(street)
        rows[street] = [s.total if s else 0, s.certified if s else 0, s.text if s else "无数据",
                        trained.by_street.get(street, 0)]
    total = share_total(user)
    target = f"（目标{trained.target.target}）" if trained.target else "（未设目标）"
    return StreetFigures(
        title="养老护理员", columns=["在职护理员", "持等级证书", "持证率", f"{today.year}年培训中级以上{target}"],
        rows=rows, totals=[total.total, total.certified, total.text, trained.done], link="caregivers:list",
        note="持证率：在职护理员中持有任一等级证书的比例；培训中级以上：当年结束、取得中级及以上等级的培训人数（每人计一次）。")
