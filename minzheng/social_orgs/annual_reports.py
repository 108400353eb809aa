"""The annual report / inspection (年报年检, ADR 0039).

The seed: "规范开展年度检查（年度报告），全区应参检社会组织804家，参检数745家，参检率
为92.7%" and "严格落实社会组织登记、年检、评估'党建三同步'".

* Who is due for report year Y (:func:`.selectors.due_organizations`): organizations
  registered before Y began and still in being at the end of Y (正常, or
  deregistered/revoked after Y). An organization registered during Y files from
  Y + 1 — our reading (ADR 0039), kept in one function.
* Filing (:func:`report_file`): the organization's account (or the section for it)
  files once per year, Y before the current year, every figure given and bounded;
  a party organization needs at least three members (中国共产党章程 art. 30:
  "企业、农村、机关……社会组织……凡是有正式党员三人以上的，都应当成立党的基层组织").
* Review (:func:`report_review`): 合格, 基本合格 or 不合格; the last two with reasons.
  The review records the party-building situation at inspection (党建三同步).
* The filing rate (:func:`filing_rate`): filed / due, by kind and by supervising unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import text_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.social_orgs import selectors, services
from minzheng.social_orgs.models import (
    AnnualReport,
    Conclusion,
    Organization,
    OrgKind,
    OrgStatus,
    PartyStage,
    PartyStatus,
    ReportStatus,
)

ACTOR = User | str
MAX_FEN = services.MAX_CAPITAL_FEN
MAX_COUNT = 1_000_000


def _whole(value, label: str, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    if value is None or value == "":
        raise ValidationError(f"请填写{label}")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ValidationError(f"{label}应在{minimum}至{maximum}之间")
    return number


def report_file(*, actor: ACTOR, organization: Organization, year: int, today: dt.date,
                income_fen: int | None, expense_fen: int | None, net_assets_fen: int | None,
                activities: int | None, activities_summary: str, staff: int | None, volunteers: int | None,
                major_events: str = "", party_status: str = "", party_members: int | None = None) -> AnnualReport:
    """File ``organization``'s report for ``year`` (validated; once a year)."""
    require(actor, "social_orgs.report_file", allow_job=True)
    if not isinstance(actor, str):
        organization = selectors.organization_get(actor, organization.pk)
    if not 2000 <= int(year) < today.year:
        raise ValidationError(f"报告年度应为{today.year - 1}年或以前（本年度结束后才能填报）")
    if organization.registered_on >= dt.date(year, 1, 1):
        raise ValidationError(f"该社会组织于{organization.registered_on:%Y年%m月%d日}成立，不需报送{year}年度报告")
    if organization.status != OrgStatus.NORMAL:
        raise ValidationError(f"该社会组织登记状态为“{organization.get_status_display()}”，不能报送年度报告")
    values = {
        "income_fen": _whole(income_fen, "本年收入", maximum=MAX_FEN),
        "expense_fen": _whole(expense_fen, "本年支出", maximum=MAX_FEN),
        "net_assets_fen": _whole(net_assets_fen, "年末净资产", minimum=-MAX_FEN, maximum=MAX_FEN),
        "activities": _whole(activities, "开展活动次数"),
        "staff": _whole(staff, "专职工作人员人数"), "volunteers": _whole(volunteers, "志愿者人数"),
        "party_members": _whole(party_members, "党员人数"),
    }
    summary = text_check(str(activities_summary or "").strip(), "业务活动情况", 5000)
    if not summary:
        raise ValidationError("请填写业务活动情况")
    events = text_check(str(major_events or "").strip(), "重大事项报告情况", 5000)
    if party_status not in PartyStatus.values:
        raise ValidationError("请选择党组织建立情况")
    if party_status == PartyStatus.SEPARATE and values["party_members"] < 3:
        raise ValidationError("单独建立党组织须有正式党员三人以上（中国共产党章程第三十条），请核对党员人数或党组织建立情况")
    if party_status == PartyStatus.NONE and values["party_members"] >= 3:
        raise ValidationError("党员三人以上的应当建立党组织（中国共产党章程第三十条），请核对党组织建立情况")
    with transaction.atomic():
        if AnnualReport.objects.select_for_update().filter(organization=organization, year=year).exists():
            raise StateConflict(f"{year}年度报告已提交，不能重复提交")
        report = AnnualReport.objects.create(
            organization=organization, year=year, **values, activities_summary=summary, major_events=events,
            party_status=party_status, filed_on=today, filed_by=actor if isinstance(actor, str) else actor.username)
        audit_record(actor=actor, action="social_orgs.report_file", object_type="AnnualReport", object_id=report.pk,
                     changes={"org_name": organization.name, "year": year})
    return report


def report_review(*, actor: ACTOR, report: AnnualReport, conclusion: str, reasons: str, on: dt.date,
                  today: dt.date) -> AnnualReport:
    """年检结论: 合格, or 基本合格 / 不合格 with reasons; records 党建三同步 at inspection."""
    require(actor, "social_orgs.report_review", allow_job=True)
    if conclusion not in Conclusion.values:
        raise ValidationError("年检结论应为合格、基本合格或不合格")
    reasons = text_check(str(reasons or "").strip(), "审查意见", 2000)
    if conclusion != Conclusion.QUALIFIED and not reasons:
        raise ValidationError(f"年检结论为“{Conclusion(conclusion).label}”时须写明理由")
    if not report.filed_on <= on <= today:
        raise ValidationError("审查日期应在提交日期和今天之间")
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().select_related("organization").get(pk=report.pk)
        if locked.status == ReportStatus.REVIEWED:
            raise StateConflict("该年度报告已审查")
        locked.status, locked.conclusion, locked.review_reasons = ReportStatus.REVIEWED, conclusion, reasons
        locked.reviewed_on, locked.reviewed_by = on, actor if isinstance(actor, str) else actor.username
        locked.save()
        services.party_check_record(actor=actor, organization=locked.organization, stage=PartyStage.INSPECTION,
                                    checked_on=on, party_status=locked.party_status,
                                    note=f"{locked.year}年度检查", today=today)
        audit_record(actor=actor, action="social_orgs.report_review", object_type="AnnualReport",
                     object_id=locked.pk, changes={"year": locked.year, "conclusion": conclusion, "reason": reasons})
    return locked


@dataclass(frozen=True)
class RateRow:
    label: str
    due: int
    filed: int

    @property
    def percent(self) -> str:
        return "—" if not self.due else f"{self.filed * 100 / self.due:.1f}%"


def filing_rate(user: User, year: int) -> dict[str, list[RateRow]]:
    """参检率 for ``year``: the total, by kind and by supervising unit (filed among the due)."""
    require(user, "social_orgs.figures")
    due = selectors.due_organizations(year)
    filed_ids = set(AnnualReport.objects.filter(year=year, organization__in=due).values_list("organization_id",
                                                                                               flat=True))
    rows = list(due.values_list("pk", "kind", "supervisor"))
    total = RateRow("全区", len(rows), sum(1 for r in rows if r[0] in filed_ids))
    by_kind = [RateRow(label, sum(1 for r in rows if r[1] == kind), sum(1 for r in rows if r[1] == kind
                                                                       and r[0] in filed_ids))
               for kind, label in OrgKind.choices]
    supervisors = sorted({r[2] for r in rows})
    by_supervisor = [RateRow(s, sum(1 for r in rows if r[2] == s), sum(1 for r in rows if r[2] == s and r[0] in filed_ids))
                     for s in supervisors]
    return {"total": [total], "kind": by_kind, "supervisor": by_supervisor}
