"""Every write of 认知障碍风险筛查 (ADR 0034): one transaction, the permission,
the jurisdiction, an audit entry; refusals in Chinese."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.dementia_care.models import FollowUp, RiskLevel, Screening, ScreeningTool, YearFigure
from minzheng.registry.models import Person

ACTOR = User | str
ELDER_AGE = 60  # 《老年人权益保障法》第二条：老年人是指六十周岁以上的公民


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _covers(actor: ACTOR, street: str, committee: str) -> None:
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=street, committee_code=committee)


@transaction.atomic
def screening_record(*, actor: ACTOR, person: Person, tool: ScreeningTool, score: int, screened_on: dt.date,
                     screener: str, risk_level: str, note: str = "", today: dt.date | None = None) -> Screening:
    """A screening: the score within the tool's range; the positive flag from
    the tool's cited cut-off (none → unknown); the risk level as the screener
    judged it."""
    require(actor, "dementia_care.record", allow_job=True)
    _covers(actor, person.street_id, person.committee_id)
    today = today or timezone.localdate()
    if not person.alive or person.merged_into_id:
        raise ValidationError("该人员已死亡或记录已合并，不能登记筛查")
    if screened_on > today:
        raise ValidationError("筛查日期不能晚于今天")
    birth = person.birth_date
    if screened_on.year - birth.year - ((screened_on.month, screened_on.day) < (birth.month, birth.day)) < ELDER_AGE:
        raise ValidationError("认知障碍风险筛查的对象为60周岁以上老年人")
    if not tool.active:
        raise ValidationError(f"量表“{tool.name}”已停用")
    if isinstance(score, bool) or not isinstance(score, int) or not tool.score_min <= score <= tool.score_max:
        raise ValidationError(f"{tool.name}的得分应在{tool.score_min}至{tool.score_max}分之间")
    if risk_level not in RiskLevel.values:
        raise ValidationError("风险等级应为低、中或高")
    if not screener.strip():
        raise ValidationError("请填写筛查人")
    screening = Screening.objects.create(
        person=person, street_id=person.street_id, committee_id=person.committee_id, tool=tool, score=score,
        positive=tool.positive(score), screened_on=screened_on, screener=screener.strip()[:64],
        risk_level=risk_level, note=note.strip()[:200], recorded_by=_name(actor))
    audit_record(actor=actor, action="dementia_care.screen", object_type="Screening", object_id=screening.pk,
                 scope_code=person.committee_id,
                 changes={"person": person.pk, "tool": tool.name, "score": score, "risk_level": risk_level,
                          "screened_on": screened_on.isoformat()})
    return screening


@transaction.atomic
def referral_record(*, actor: ACTOR, screening: Screening, referral_to: str, referred_on: dt.date) -> Screening:
    require(actor, "dementia_care.record", allow_job=True)
    _covers(actor, screening.street_id, screening.committee_id)
    if not referral_to.strip():
        raise ValidationError("请填写转介机构")
    if referred_on < screening.screened_on or referred_on > timezone.localdate():
        raise ValidationError("转介日期应在筛查日期和今天之间")
    screening.referral_to, screening.referred_on = referral_to.strip()[:100], referred_on
    screening.save(update_fields=["referral_to", "referred_on"])
    audit_record(actor=actor, action="dementia_care.refer", object_type="Screening", object_id=screening.pk,
                 scope_code=screening.committee_id,
                 changes={"referral_to": screening.referral_to, "referred_on": referred_on.isoformat()})
    return screening


@transaction.atomic
def follow_up_record(*, actor: ACTOR, screening: Screening, visited_on: dt.date, visitor: str,
                     note: str) -> FollowUp:
    require(actor, "dementia_care.record", allow_job=True)
    _covers(actor, screening.street_id, screening.committee_id)
    if visited_on < screening.screened_on or visited_on > timezone.localdate():
        raise ValidationError("随访日期应在筛查日期和今天之间")
    if not visitor.strip() or not note.strip():
        raise ValidationError("请填写随访人和随访情况")
    follow_up = FollowUp.objects.create(screening=screening, visited_on=visited_on, visitor=visitor.strip()[:64],
                                        note=note.strip()[:300], recorded_by=_name(actor))
    audit_record(actor=actor, action="dementia_care.follow_up", object_type="FollowUp", object_id=follow_up.pk,
                 scope_code=screening.committee_id,
                 changes={"screening": screening.pk, "visited_on": visited_on.isoformat()})
    return follow_up


@transaction.atomic
def year_figure_set(*, actor: ACTOR, year: int, target_screenings: int | None, reported_screenings: int | None,
                    source: str) -> YearFigure:
    require(actor, "dementia_care.manage", allow_job=True)
    if not 2000 <= year <= 2100:
        raise ValidationError("年度不正确")
    if not source.strip():
        raise ValidationError("请填写出处（文件名称和原文）")
    row, _ = YearFigure.objects.update_or_create(year=year, defaults={
        "target_screenings": target_screenings, "reported_screenings": reported_screenings,
        "source": source.strip()[:300]})
    audit_record(actor=actor, action="dementia_care.target_set", object_type="YearFigure", object_id=row.pk,
                 changes={"year": year, "target": target_screenings, "reported": reported_screenings})
    return row
