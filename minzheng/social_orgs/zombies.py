"""Detecting zombie organizations (僵尸型社会组织, REFERENCE § 13: 民发〔2021〕63号), ADR 0042.

An organization in being on the as-of date is flagged for any one of:

* ``missed_reports`` — the last two report years that ended before the as-of date were both
  due (ADR 0039 § 8: registered before the year began) and no report for them had been filed
  by the as-of date (the report year has ended and none filed: REFERENCE and the seed name no
  filing deadline, ADR 0042). The evidence lists the whole run of missed years back from the
  latest, from :data:`RECORDS_FROM` on (earlier years are unknown, not missed);
* ``never_active`` — the first year after registration (``registered_on`` to the day before
  the first anniversary) is over and there is no activity in it: no activity record dated in
  it and no annual report of the year holding the anniversary with activities > 0. Concluded
  only for organizations registered on or after :data:`RECORDS_FROM`;
* ``no_charter_activity`` — more than the period staff entered (:class:`InactivityPeriod`,
  cited) has passed since the last in-charter activity (a record marked in-charter, or the
  last day of a report year with activities > 0), or since registration / :data:`RECORDS_FROM`
  when there is none. While no period is in force the reason is **undetermined** (参数缺失);
* ``unreachable`` — the latest visit at the registered address and the latest call to the
  legal representative (staff records, up to the as-of date) both failed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q, QuerySet

from minzheng.social_orgs.models import (
    AnnualReport,
    ContactAttempt,
    ContactKind,
    InactivityPeriod,
    OrgActivity,
    Organization,
    OrgStatus,
)

RECORDS_FROM = dt.date(2022, 1, 1)
"""The day from which this register holds annual reports (report year 2022 on) and activity
records; before it, an absence is unknown, not proven (ADR 0042). A fact of the data, not a
policy value."""


class Reason(models.TextChoices):
    """The four situations of 民发〔2021〕63号 (stable codes for machines, labels for people)."""

    MISSED_REPORTS = "missed_reports", "连续两年未参加年检（年度报告）"
    NEVER_ACTIVE = "never_active", "成立后一年内未开展活动"
    NO_CHARTER_ACTIVITY = "no_charter_activity", "长期未开展章程规定的业务活动"
    UNREACHABLE = "unreachable", "登记住所和法定代表人均无法取得联系"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, the day clamped to the month's end (01-31 + 1 → 02-28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_anniversary(registered_on: dt.date) -> dt.date:
    return add_months(registered_on, 12)


@dataclass(frozen=True)
class Flag:
    reason: str
    evidence: str  # one Chinese sentence, as pages and PDFs show it
    facts: dict  # the same as plain values (years, dates, days), for the API

    @property
    def label(self) -> str:
        return Reason(self.reason).label


@dataclass
class Finding:
    organization: Organization
    flags: list[Flag] = field(default_factory=list)
    undetermined: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [f.reason for f in self.flags]


def period_in_force(as_of: dt.date) -> InactivityPeriod | None:
    """The long-period parameter in force on ``as_of`` (the latest entry effective by then), or None."""
    return InactivityPeriod.objects.filter(effective_from__lte=as_of).order_by("-effective_from").first()


def in_being(as_of: dt.date) -> Q:
    """Registered by ``as_of`` and not revoked/deregistered/cancelled by then."""
    return Q(registered_on__lte=as_of) & (Q(status=OrgStatus.NORMAL) | Q(status_on__gt=as_of))


def _missed(org: Organization, filed: set[int], as_of: dt.date) -> Flag | None:
    last = as_of.year - 1  # the latest report year that has ended
    run: list[int] = []
    year = last
    while year >= max(RECORDS_FROM.year, org.registered_on.year + 1) and year not in filed:
        run.append(year)
        year -= 1
    if len(run) < 2 or run[0] != last:
        return None
    years = sorted(run)
    shown = "、".join(str(y) for y in years)
    return Flag(Reason.MISSED_REPORTS, f"{shown}年度应报送年度报告，截至{as_of:%Y-%m-%d}均未报送", {"years": years})


def _never_active(org: Organization, dates: list[dt.date], report_activity: dict[int, int],
                  as_of: dt.date) -> Flag | None:
    if org.registered_on < RECORDS_FROM:
        return None
    anniversary = first_anniversary(org.registered_on)
    if as_of < anniversary:
        return None  # the first year is not over yet
    if any(org.registered_on <= d < anniversary for d in dates):
        return None
    if report_activity.get(anniversary.year, 0) > 0:
        return None  # the report of the year holding the anniversary shows activity (date unknown: counted)
    last_day = anniversary - dt.timedelta(days=1)
    return Flag(Reason.NEVER_ACTIVE,
                f"{org.registered_on:%Y-%m-%d}成立，成立后一年内（至{last_day:%Y-%m-%d}）没有活动记录",
                {"registered_on": org.registered_on.isoformat(), "first_year_ends": last_day.isoformat(),
                 "days_since_registration": (as_of - org.registered_on).days})


def _no_charter_activity(org: Organization, charter_dates: list[dt.date], report_activity: dict[int, int],
                         period: InactivityPeriod, as_of: dt.date) -> Flag | None:
    candidates = [d for d in charter_dates if d <= as_of]
    candidates += [dt.date(y, 12, 31) for y, n in report_activity.items() if n > 0 and dt.date(y, 12, 31) <= as_of]
    last = max(candidates) if candidates else None
    since = last or max(org.registered_on, RECORDS_FROM)
    if as_of <= add_months(since, period.months):
        return None
    basis = f"（期限{period.months}个月，依据{period.document_name}{period.document_number}）"
    what = f"最近一次章程规定的业务活动在{last:%Y-%m-%d}" if last else (
        f"自{since:%Y-%m-%d}起没有章程规定的业务活动记录")
    return Flag(Reason.NO_CHARTER_ACTIVITY, f"{what}，至{as_of:%Y-%m-%d}已{(as_of - since).days}天{basis}",
                {"last_activity_on": last.isoformat() if last else None, "since": since.isoformat(),
                 "days_without_activity": (as_of - since).days, "period_months": period.months})


def _unreachable(attempts: list[ContactAttempt]) -> Flag | None:
    latest: dict[str, ContactAttempt] = {}
    for attempt in attempts:  # newest first
        latest.setdefault(attempt.kind, attempt)
    visit, call = latest.get(ContactKind.ADDRESS_VISIT), latest.get(ContactKind.LEGAL_REP_CALL)
    if visit is None or call is None or visit.reached or call.reached:
        return None
    return Flag(Reason.UNREACHABLE,
                f"{visit.tried_on:%Y-%m-%d}登记住所实地走访未取得联系（{visit.outcome}）；"
                f"{call.tried_on:%Y-%m-%d}联系法定代表人未取得联系（{call.outcome}）",
                {"address_visit_on": visit.tried_on.isoformat(), "address_visit_outcome": visit.outcome,
                 "legal_rep_call_on": call.tried_on.isoformat(), "legal_rep_call_outcome": call.outcome})


def detect(organizations: QuerySet[Organization], as_of: dt.date, *, include_clear: bool = False) -> list[Finding]:
    """The findings for ``organizations`` (already scoped) in being on ``as_of``: those with at
    least one flag (or every one with ``include_clear``), in name order. A handful of queries."""
    orgs = list(organizations.filter(in_being(as_of)).order_by("name"))
    ids = [o.pk for o in orgs]
    filed: dict[int, set[int]] = defaultdict(set)
    report_activity: dict[int, dict[int, int]] = defaultdict(dict)
    for org_id, year, activities in AnnualReport.objects.filter(
            organization_id__in=ids, filed_on__lte=as_of).values_list("organization_id", "year", "activities"):
        filed[org_id].add(year)
        report_activity[org_id][year] = activities
    dates: dict[int, list[dt.date]] = defaultdict(list)
    charter: dict[int, list[dt.date]] = defaultdict(list)
    for org_id, held_on, in_charter in OrgActivity.objects.filter(
            organization_id__in=ids, held_on__lte=as_of).values_list("organization_id", "held_on", "in_charter"):
        dates[org_id].append(held_on)
        if in_charter:
            charter[org_id].append(held_on)
    attempts: dict[int, list[ContactAttempt]] = defaultdict(list)
    for attempt in ContactAttempt.objects.filter(organization_id__in=ids, tried_on__lte=as_of).order_by(
            "-tried_on", "-id"):
        attempts[attempt.organization_id].append(attempt)
    period = period_in_force(as_of)
    findings = []
    for org in orgs:
        finding = Finding(org)
        flags = [_missed(org, filed[org.pk], as_of),
                 _never_active(org, dates[org.pk], report_activity[org.pk], as_of),
                 _no_charter_activity(org, charter[org.pk], report_activity[org.pk], period, as_of)
                 if period is not None else None,
                 _unreachable(attempts[org.pk])]
        finding.flags = [f for f in flags if f is not None]
        if period is None:
            finding.undetermined.append(Reason.NO_CHARTER_ACTIVITY)
        if finding.flags or include_clear:
            findings.append(finding)
    return findings


def finding_for(organization: Organization, as_of: dt.date) -> Finding:
    """One organization's finding (flags may be empty)."""
    found = detect(Organization.objects.filter(pk=organization.pk), as_of, include_clear=True)
    return found[0] if found else Finding(organization)
