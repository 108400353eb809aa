"""The sector dashboard of social organizations (社会组织工作台, ADR 0044): the board
``"social_orgs"`` of ``core.street_dashboards`` with three sections by street, and
the headline figures and the committee breakdown of one street for the page.

* 在业社会组织: organizations in business (正常) per kind, by the street of their
  registered address; those whose place was not recorded (registration is a
  district matter, the place is optional: ADR 0039) are one row **未登记地址** —
  never spread over the streets, never dropped.
* 本年登记事项: the matters applied for this year, by the street of their
  organization (an establishment not yet approved has none: 未登记地址).
* 年报参检率: for the report year in hand (last year), due / filed / rate by street
  (the same reading of "due" as the filing-rate page, :mod:`.annual_reports`).

Every figure is read through the scoped selectors; a provider never writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.street_dashboards import StreetFigures
from minzheng.social_orgs import selectors
from minzheng.social_orgs.models import AnnualReport, MatterStatus, OrgKind, OrgStatus
from minzheng.social_orgs.reminders import report_year

BOARD = "social_orgs"
UNPLACED = "未登记地址"  # the row key (and label) of organizations whose place is not recorded
OPEN = (MatterStatus.SUBMITTED, MatterStatus.ACCEPTED, MatterStatus.REVIEWED)


def _key(code: str | None) -> str:
    return code or UNPLACED


def _streets(rows: dict[str, list], width: int) -> dict[str, list]:
    """Every street of the district appears (0 is a real count here: no organization
    there), the unplaced row only when it has organizations."""
    for code in Division.objects.filter(level=DivisionLevel.STREET).values_list("code", flat=True):
        rows.setdefault(code, [0] * width)
    return rows


def _percent(filed: int, due: int) -> str:
    return "—" if not due else f"{filed * 100 / due:.1f}%"


def in_business(user: User, today: dt.date) -> StreetFigures:
    kinds = list(OrgKind)
    rows: dict[str, list] = {}
    counts = (selectors.organizations_visible(user).filter(status=OrgStatus.NORMAL).values("street_id", "kind")
              .order_by().annotate(n=Count("id")))
    for r in counts:
        row = rows.setdefault(_key(r["street_id"]), [0] * (len(kinds) + 1))
        row[kinds.index(OrgKind(r["kind"]))] += r["n"]
        row[-1] += r["n"]
    rows = _streets(rows, len(kinds) + 1)
    totals = [sum(v[i] for v in rows.values()) for i in range(len(kinds) + 1)]
    return StreetFigures(title=f"在业社会组织（截至{today:%Y年%-m月%-d日}，按住所所在街镇和类型）",
                         columns=[*(k.label for k in kinds), "合计（家）"], rows=rows, totals=totals,
                         link="social_orgs:list",
                         note="登记状态为“正常”的社会组织；住所未登记街镇、居村委的计入“未登记地址”。")


def matters_this_year(user: User, today: dt.date) -> StreetFigures:
    rows = {_key(r["organization__street_id"]): [r["n"], r["approved"], r["refused"], r["open"]] for r in
            selectors.matters_visible(user).filter(applied_on__year=today.year).values("organization__street_id")
            .order_by().annotate(n=Count("id"), approved=Count("id", filter=Q(status=MatterStatus.APPROVED)),
                                 refused=Count("id", filter=Q(status=MatterStatus.REFUSED)),
                                 open=Count("id", filter=Q(status__in=OPEN)))}
    rows = _streets(rows, 4)
    totals = [sum(v[i] for v in rows.values()) for i in range(4)]
    return StreetFigures(title=f"{today.year}年登记事项（按社会组织所在街镇）",
                         columns=["申请（件）", "准予", "不予", "办理中"], rows=rows, totals=totals,
                         link="social_orgs:figures",
                         note="本年申请的成立、变更、有效期延续、章程核准、注销登记；尚未准予的成立登记计入“未登记地址”。")


def filing_by_street(user: User, today: dt.date) -> StreetFigures:
    year = report_year(today)
    due = selectors.due_organizations(year).filter(pk__in=selectors.organizations_visible(user).values("pk"))
    filed = AnnualReport.objects.filter(year=year).values("organization_id")
    counts: dict[str, list[int]] = {}
    for r in due.values("street_id").order_by().annotate(n=Count("id"), filed=Count("id", filter=Q(pk__in=filed))):
        counts[_key(r["street_id"])] = [r["n"], r["filed"]]
    for code in Division.objects.filter(level=DivisionLevel.STREET).values_list("code", flat=True):
        counts.setdefault(code, [0, 0])
    rows = {k: [d, f, _percent(f, d)] for k, (d, f) in counts.items()}
    due_total, filed_total = sum(d for d, _ in counts.values()), sum(f for _, f in counts.values())
    return StreetFigures(title=f"{year}年度报告参检率（按街镇）", columns=["应参检（家）", "已参检（家）", "参检率"],
                         rows=rows, totals=[due_total, filed_total, _percent(filed_total, due_total)],
                         link="social_orgs:filing_rate",
                         note="应参检：报告年度开始前成立、年末仍存续；没有应参检组织的街镇参检率显示“—”。")


@dataclass(frozen=True)
class Headline:
    in_business: int
    by_kind: list[tuple[str, int]]
    matters_applied: int
    matters_open: int
    year: int
    due: int
    filed: int

    @property
    def rate(self) -> str:
        return _percent(self.filed, self.due)


def headline(user: User, today: dt.date) -> Headline:
    """The cards at the top: organizations in business (and per kind), this year's matters,
    the filing rate of the report year in hand — the district totals of the sections."""
    business = in_business(user, today).totals or []
    matters = matters_this_year(user, today).totals or []
    filing = filing_by_street(user, today).totals or []
    return Headline(in_business=business[-1], by_kind=list(zip(OrgKind.labels, business[:-1], strict=True)),
                    matters_applied=matters[0], matters_open=matters[3], year=report_year(today),
                    due=filing[0], filed=filing[1])


def committees_of(user: User, street: Division) -> list[tuple[str, list[int]]]:
    """One street's organizations in business per committee and kind (those placed in
    the street; none are 'unplaced' at this level: the committee is what places them)."""
    kinds = list(OrgKind)
    names = dict(Division.objects.filter(parent=street, level=DivisionLevel.COMMITTEE).values_list("code", "name"))
    rows = {code: [0] * (len(kinds) + 1) for code in names}
    for r in (selectors.organizations_visible(user).filter(status=OrgStatus.NORMAL, street=street)
              .values("committee_id", "kind").order_by().annotate(n=Count("id"))):
        row = rows.setdefault(r["committee_id"], [0] * (len(kinds) + 1))
        row[kinds.index(OrgKind(r["kind"]))] += r["n"]
        row[-1] += r["n"]
    return [(names.get(code, code), values) for code, values in sorted(rows.items())]
