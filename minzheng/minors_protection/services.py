"""Every write of 未成年人保护 (ADR 0036): the permission, the access rule,
validation, one transaction, one audit entry. Refusals are ``ValidationError``
in Chinese (``StateConflict`` when the case's state does not allow the step).

The flow: :func:`case_report` (接报; 法 第十一条 强制报告) → :func:`case_assess`
(评估, due by the urgency's deadline — the bureau's own setting) →
:func:`measure_record` / :func:`measure_outcome_record` (家访, 转介 …) →
:func:`case_close` with a reason. :func:`case_view_record` is the audited read:
every view of a case (page or API) writes who looked, at which case, for what;
:func:`case_view_refused_record` records a refused look at an existing case.

The audit trail names the case by its number, never the child.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bounds import EARLIEST_DAY, text_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import Division, DivisionLevel, Role, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, Scope
from minzheng.minors_protection import reference, selectors
from minzheng.minors_protection.models import (
    REFERRALS,
    AssessmentDeadline,
    Case,
    CaseAssignment,
    CaseStatus,
    CloseReason,
    ConcernKind,
    Measure,
    MeasureKind,
    OfficeMember,
    ReporterKind,
    RiskLevel,
    StaffPosition,
    Station,
    StationStaff,
    Urgency,
)
from minzheng.registry.models import Person

ADULT_AGE = 18  # 未成年人保护法 第二条: 未满十八周岁的公民
MAX_HOURS = 720  # a deadline of at most 30 days


def _name(actor: User | str) -> str:
    return actor if isinstance(actor, str) else actor.username


def _text(value: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}")
    return text_check(value, label, limit)


def _day(day: dt.date, label: str, *, earliest: dt.date, today: dt.date) -> dt.date:
    if day < max(earliest, EARLIEST_DAY):
        raise ValidationError(f"{label}不能早于 {max(earliest, EARLIEST_DAY).isoformat()}")
    if day > today:
        raise ValidationError(f"{label}不能晚于今天")
    return day


def _access(actor: User, case: Case) -> None:
    """The case's access rule for a write: role, then assignment or office membership (404 otherwise)."""
    require(actor, "minors.casework")
    if not selectors.may_see(actor, case):
        raise OutOfScope(selectors.NOT_FOUND)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def reference_seed_missing() -> None:
    """The concern kinds and deadlines if missing (a flushed test database, a fresh demo)."""
    from django.apps import apps

    with transaction.atomic():
        reference.seed(apps)


# --- the audited read ---------------------------------------------------------------------

@transaction.atomic
def case_view_record(*, actor: User, case: Case, what: str = "查阅个案") -> None:
    """One view of a case (page, API, export of its record): who, which case, what for."""
    require(actor, "minors.view")
    audit_record(actor=actor, action="minors.case_view", object_type="MinorsCase", object_id=case.pk,
                 scope_code=case.committee_id, changes={"case_number": case.number, "purpose": what[:40]})


@transaction.atomic
def case_view_refused_record(*, actor: User, case_id: int, what: str = "查阅个案") -> None:
    """A look at an existing case by someone who may not see it (answered 404)."""
    if selectors.case_exists(case_id):
        audit_record(actor=actor, action="minors.case_view_refused", object_type="MinorsCase", object_id=case_id,
                     changes={"purpose": what[:40]})


# --- report ---------------------------------------------------------------------------------

def _next_number(year: int) -> str:
    prefix = f"WB{year}-"
    last = (Case.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
            .first())
    return f"{prefix}{(int(last[len(prefix):]) + 1 if last else 1):04d}"


def case_report(*, actor: User | str, child: Person, kinds: list[ConcernKind], urgency: str, description: str,
                reporter_kind: str, reporter_name: str = "", reported_at: dt.datetime | None = None,
                special_protection: bool = False, special_reason: str = "") -> Case:
    """接报: a report about a child of the registry in the reporter's jurisdiction.
    The case goes to the station of the child's street; the station's head
    (站长, with an account) is assigned as 主办. The reporter does not see the
    case afterwards unless assigned or an office member (ADR 0036 § access)."""
    require(actor, "minors.report", allow_job=True)
    now = timezone.now()
    reported_at = reported_at or now
    if not isinstance(actor, str) and not Scope.of(actor).covers(street_code=child.street_id,
                                                               committee_code=child.committee_id):
        raise OutOfScope("该未成年人不在您的辖区内")
    if reported_at > now + dt.timedelta(minutes=5):
        raise ValidationError("接报时间不能晚于现在")
    if reported_at.date() < EARLIEST_DAY:
        raise ValidationError(f"接报时间不能早于 {EARLIEST_DAY.isoformat()}")
    if child.merged_into_id:
        raise ValidationError("该人员记录已合并，请选择合并后的记录")
    if not child.alive:
        raise ValidationError("该人员已死亡，不能登记个案")
    if age_on(child.birth_date, timezone.localtime(reported_at).date()) >= ADULT_AGE:
        raise ValidationError("个案对象应为未满十八周岁的未成年人")
    if urgency not in Urgency.values:
        raise ValidationError("请选择紧急程度（紧急、较急或一般）")
    if reporter_kind not in ReporterKind.values:
        raise ValidationError("请选择报告人类别")
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        raise ValidationError("请至少选择一种情形")
    if any(not k.active for k in kinds):
        raise ValidationError("所选情形已停用")
    description = _text(description, "反映情况", 2000)
    reporter_name = _text(reporter_name, "报告人或单位", 100, required=False)
    special_reason = _text(special_reason, "特别保护理由", 200, required=special_protection)
    deadline = AssessmentDeadline.objects.filter(urgency=urgency).first()
    if deadline is None:
        raise ValidationError("该紧急程度的评估时限尚未设置，请区未保办先在“评估时限”中设置")
    station = Station.objects.filter(street_id=child.street_id, active=True).first()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    number=_next_number(timezone.localtime(reported_at).year), child=child, street_id=child.street_id,
                    committee_id=child.committee_id, station=station, reported_at=reported_at,
                    reporter_kind=reporter_kind, reporter_name=reporter_name, description=description,
                    urgency=urgency, deadline_hours=deadline.hours,
                    assessment_due_at=reported_at + dt.timedelta(hours=deadline.hours),
                    special_protection=special_protection, special_reason=special_reason if special_protection else "",
                    created_by=_name(actor))
                case.kinds.set(kinds)
                heads = []
                if station is not None:
                    heads = list(StationStaff.objects.filter(station=station, position=StaffPosition.HEAD, active=True,
                                                             user__isnull=False, user__is_active=True)
                                 .values_list("user_id", flat=True).distinct())
                CaseAssignment.objects.bulk_create([CaseAssignment(case=case, user_id=u, lead=True,
                                                                   assigned_by="接报自动指派（站长）") for u in heads])
                audit_record(actor=actor, action="minors.case_report", object_type="MinorsCase", object_id=case.pk,
                             scope_code=case.committee_id,
                             changes={"case_number": case.number, "urgency": urgency, "reporter_kind": reporter_kind,
                                      "kinds": [k.label for k in kinds], "special_protection": special_protection,
                                      "assessment_due_at": timezone.localtime(case.assessment_due_at).isoformat(
                                          timespec="minutes"), "assigned": len(heads)})
                return case
        except IntegrityError:
            continue  # two reports took the same number at once: take the next
    raise ValidationError("个案编号生成冲突，请重试")


# --- assignment -------------------------------------------------------------------------------

@transaction.atomic
def case_assign(*, actor: User, case: Case, user: User, lead: bool = False) -> CaseAssignment:
    """The office assigns a staff account to the case (grants it access)."""
    require(actor, "minors.assign")
    if not selectors.is_office_member(actor):
        raise OutOfScope(selectors.NOT_FOUND)
    case = _locked(case)
    if case.status == CaseStatus.CLOSED:
        raise StateConflict("个案已结案，不能再指派")
    if not selectors.assignable_users(case).filter(pk=user.pk).exists():
        raise ValidationError("只能指派辖区覆盖该未成年人所在居村委的民政、街镇、居村委工作人员，或本工作站在岗工作人员")
    if CaseAssignment.objects.filter(case=case, user=user, ended_at__isnull=True).exists():
        raise StateConflict("该工作人员已指派到本个案")
    assignment = CaseAssignment.objects.create(case=case, user=user, lead=lead, assigned_by=_name(actor))
    audit_record(actor=actor, action="minors.case_assign", object_type="MinorsCase", object_id=case.pk,
                 scope_code=case.committee_id, changes={"case_number": case.number, "staff_user": user.username, "lead": lead})
    return assignment


@transaction.atomic
def case_unassign(*, actor: User, assignment: CaseAssignment) -> CaseAssignment:
    """The office ends an assignment (the account loses access to the case)."""
    require(actor, "minors.assign")
    if not selectors.is_office_member(actor):
        raise OutOfScope(selectors.NOT_FOUND)
    if assignment.ended_at is not None:
        raise StateConflict("该指派已结束")
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    audit_record(actor=actor, action="minors.case_unassign", object_type="MinorsCase", object_id=assignment.case_id,
                 changes={"case_number": assignment.case.number, "staff_user": assignment.user.username})
    return assignment


# --- assessment, measures, closure ------------------------------------------------------------------

@transaction.atomic
def case_assess(*, actor: User, case: Case, risk_level: str, assessment: str, plan: str = "",
                special_protection: bool | None = None, special_reason: str = "",
                assessed_at: dt.datetime | None = None) -> Case:
    """评估: the risk, the opinion and the plan (一人一方案 for a special-protection
    case, the seed: 为其中6人建立了“一人一方案”)."""
    _access(actor, case)
    case = _locked(case)
    if case.status != CaseStatus.REPORTED:
        raise StateConflict("该个案已评估" if case.status == CaseStatus.ASSESSED else "个案已结案")
    now = timezone.now()
    assessed_at = assessed_at or now
    if assessed_at > now + dt.timedelta(minutes=5):
        raise ValidationError("评估时间不能晚于现在")
    if assessed_at < case.reported_at:
        raise ValidationError("评估时间不能早于接报时间")
    if risk_level not in RiskLevel.values:
        raise ValidationError("请选择风险等级")
    case.assessment = _text(assessment, "评估意见", 2000)
    case.plan = _text(plan, "一人一方案", 2000, required=False)
    if special_protection is not None:
        case.special_protection = special_protection
        case.special_reason = _text(special_reason or case.special_reason, "特别保护理由", 200,
                                    required=special_protection) if special_protection else ""
    if case.special_protection and not case.plan:
        raise ValidationError("特别保护的个案应制定“一人一方案”")
    case.risk_level, case.assessed_at, case.assessed_by = risk_level, assessed_at, _name(actor)
    case.status = CaseStatus.ASSESSED
    case.save(update_fields=["assessment", "plan", "special_protection", "special_reason", "risk_level",
                             "assessed_at", "assessed_by", "status"])
    audit_record(actor=actor, action="minors.case_assess", object_type="MinorsCase", object_id=case.pk,
                 scope_code=case.committee_id,
                 changes={"case_number": case.number, "risk_level": risk_level, "special_protection": case.special_protection,
                          "on_time": assessed_at <= case.assessment_due_at})
    return case


@transaction.atomic
def special_protection_set(*, actor: User, case: Case, special: bool, reason: str = "") -> Case:
    """特别保护 (《松江区未成年人特别保护工作细则》, the seed) on or off, with the reason."""
    _access(actor, case)
    case = _locked(case)
    if case.status == CaseStatus.CLOSED:
        raise StateConflict("个案已结案")
    reason = _text(reason, "特别保护理由", 200, required=special)
    if special and case.status == CaseStatus.ASSESSED and not case.plan:
        raise ValidationError("特别保护的个案应制定“一人一方案”：请先在评估中填写方案")
    case.special_protection, case.special_reason = special, reason if special else ""
    case.save(update_fields=["special_protection", "special_reason"])
    audit_record(actor=actor, action="minors.special_protection", object_type="MinorsCase", object_id=case.pk,
                 scope_code=case.committee_id, changes={"case_number": case.number, "special_protection": special})
    return case


@transaction.atomic
def measure_record(*, actor: User, case: Case, kind: str, taken_on: dt.date, detail: str, agency: str = "",
                   today: dt.date | None = None) -> Measure:
    """A measure after the assessment: a family visit, a referral (the receiving
    body named), medical care, shelter (临时监护: 法 第九十二条) …"""
    _access(actor, case)
    case = _locked(case)
    if case.status == CaseStatus.REPORTED:
        raise StateConflict("请先完成评估，再登记干预措施")
    if case.status == CaseStatus.CLOSED:
        raise StateConflict("个案已结案，不能再登记干预措施")
    if kind not in MeasureKind.values:
        raise ValidationError("请选择措施类别")
    today = today or timezone.localdate()
    _day(taken_on, "措施日期", earliest=timezone.localtime(case.reported_at).date(), today=today)
    agency = _text(agency, "接收单位", 100, required=kind in REFERRALS)
    measure = Measure.objects.create(case=case, kind=kind, taken_on=taken_on, agency=agency,
                                     detail=_text(detail, "具体情况", 1000), recorded_by=_name(actor))
    audit_record(actor=actor, action="minors.measure_record", object_type="MinorsMeasure", object_id=measure.pk,
                 scope_code=case.committee_id,
                 changes={"case_number": case.number, "measure_kind": kind, "taken_on": taken_on.isoformat(),
                          "agency": agency})
    return measure


@transaction.atomic
def measure_outcome_record(*, actor: User, measure: Measure, outcome: str, outcome_on: dt.date,
                           today: dt.date | None = None) -> Measure:
    case = measure.case
    _access(actor, case)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if case.status == CaseStatus.CLOSED:
        raise StateConflict("个案已结案")
    if measure.outcome_on is not None:
        raise StateConflict("该措施已登记结果")
    _day(outcome_on, "结果日期", earliest=measure.taken_on, today=today or timezone.localdate())
    measure.outcome, measure.outcome_on = _text(outcome, "结果", 1000), outcome_on
    measure.save(update_fields=["outcome", "outcome_on"])
    audit_record(actor=actor, action="minors.measure_outcome", object_type="MinorsMeasure", object_id=measure.pk,
                 scope_code=case.committee_id,
                 changes={"case_number": case.number, "measure_kind": measure.kind, "outcome_on": outcome_on.isoformat()})
    return measure


@transaction.atomic
def case_close(*, actor: User, case: Case, reason: str, closed_on: dt.date, note: str = "",
               today: dt.date | None = None) -> Case:
    """结案 with a reason: after the assessment, every measure with its outcome,
    at least one measure unless the report proved unfounded."""
    _access(actor, case)
    case = _locked(case)
    if case.status == CaseStatus.REPORTED:
        raise StateConflict("请先完成评估，再结案")
    if case.status == CaseStatus.CLOSED:
        raise StateConflict("个案已结案")
    if reason not in CloseReason.values:
        raise ValidationError("请选择结案原因")
    today = today or timezone.localdate()
    assert case.assessed_at is not None
    _day(closed_on, "结案日期", earliest=timezone.localtime(case.assessed_at).date(), today=today)
    note = _text(note, "结案说明", 300, required=reason == CloseReason.OTHER)
    measures = list(case.measures.all())
    if not measures and reason != CloseReason.UNFOUNDED:
        raise ValidationError("尚未登记任何干预措施；经评估情况不属实的，请选择该结案原因")
    pending = [m for m in measures if m.outcome_on is None]
    if pending:
        raise ValidationError("以下措施尚未登记结果：" + "、".join(f"{m.get_kind_display()}（{m.taken_on:%Y-%m-%d}）"
                                                           for m in pending))
    if any(m.outcome_on and m.outcome_on > closed_on for m in measures):
        raise ValidationError("结案日期不能早于措施结果日期")
    case.status, case.closed_on, case.close_reason, case.close_note = CaseStatus.CLOSED, closed_on, reason, note
    case.save(update_fields=["status", "closed_on", "close_reason", "close_note"])
    audit_record(actor=actor, action="minors.case_close", object_type="MinorsCase", object_id=case.pk,
                 scope_code=case.committee_id,
                 changes={"case_number": case.number, "close_reason": reason, "case_closed_on": closed_on.isoformat()})
    return case


# --- the office, the deadlines, stations ------------------------------------------------------

@transaction.atomic
def office_member_add(*, actor: User | str, user: User) -> OfficeMember:
    """A bureau account joins the district protection office (sees every case)."""
    require(actor, "minors.office_manage", allow_job=True)
    if user.role != Role.BUREAU or not user.is_active:
        raise ValidationError("区未保办成员应为在职的区民政局工作人员账号")
    if OfficeMember.objects.filter(user=user, ended_at__isnull=True).exists():
        raise StateConflict("该工作人员已是区未保办成员")
    member = OfficeMember.objects.create(user=user, added_by=_name(actor))
    audit_record(actor=actor, action="minors.office_member_add", object_type="MinorsOfficeMember",
                 object_id=member.pk, changes={"staff_user": user.username})
    return member


@transaction.atomic
def office_member_end(*, actor: User | str, member: OfficeMember) -> OfficeMember:
    require(actor, "minors.office_manage", allow_job=True)
    if member.ended_at is not None:
        raise StateConflict("该成员已移出")
    member.ended_at, member.ended_by = timezone.now(), _name(actor)
    member.save(update_fields=["ended_at", "ended_by"])
    audit_record(actor=actor, action="minors.office_member_end", object_type="MinorsOfficeMember",
                 object_id=member.pk, changes={"staff_user": member.user.username})
    return member


@transaction.atomic
def deadline_set(*, actor: User | str, urgency: str, hours: int, basis: str = "") -> AssessmentDeadline:
    """The bureau's assessment deadline for an urgency (1–720 hours). Applies to
    cases reported afterwards; a case keeps the deadline it was reported under."""
    require(actor, "minors.settings", allow_job=True)
    if urgency not in Urgency.values:
        raise ValidationError("请选择紧急程度")
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
        raise ValidationError(f"评估时限应为1至{MAX_HOURS}小时")
    basis = _text(basis, "依据", 300, required=False) or reference.BUREAU_SETTING
    deadline, _ = AssessmentDeadline.objects.get_or_create(urgency=urgency, defaults={"hours": hours, "basis": basis})
    before = deadline.hours
    deadline.hours, deadline.basis, deadline.bureau_setting, deadline.updated_by = hours, basis, True, _name(actor)
    deadline.save()
    audit_record(actor=actor, action="minors.deadline_set", object_type="MinorsDeadline", object_id=deadline.pk,
                 changes={"urgency": urgency, "deadline_hours": [before, hours]})
    return deadline


@transaction.atomic
def station_create(*, actor: User | str, street: Division, name: str, address: str = "", phone: str = "",
                   established_on: dt.date | None = None) -> Station:
    """A street's 未成年人保护工作站 (one per street, 法 第八十一条)."""
    require(actor, "minors.stations_manage", allow_job=True)
    if street.level != DivisionLevel.STREET:
        raise ValidationError("工作站应设在街镇")
    if not isinstance(actor, str) and not Scope.of(actor).covers(street_code=street.code, committee_code=None):
        raise OutOfScope("该街镇不在您的辖区内")
    if Station.objects.filter(street=street).exists():
        raise StateConflict("该街镇已设立未成年人保护工作站")
    if established_on is not None:
        _day(established_on, "设立日期", earliest=EARLIEST_DAY, today=timezone.localdate())
    station = Station.objects.create(street=street, name=_text(name, "名称", 80),
                                     address=_text(address, "地址", 200, required=False),
                                     phone=_text(phone, "联系电话", 32, required=False), established_on=established_on)
    audit_record(actor=actor, action="minors.station_create", object_type="MinorsStation", object_id=station.pk,
                 scope_code=street.code, changes={"station_name": station.name})
    return station


@transaction.atomic
def station_staff_add(*, actor: User | str, station: Station, name: str, position: str, user: User | None = None,
                      phone: str = "", joined_on: dt.date | None = None) -> StationStaff:
    """A staff member of the station; with an account, it must be a street account of
    the station's street or a committee account of one of its committees."""
    require(actor, "minors.stations_manage", allow_job=True)
    if not isinstance(actor, str) and not Scope.of(actor).covers(street_code=station.street_id, committee_code=None):
        raise OutOfScope("该工作站不在您的辖区内")
    if position not in StaffPosition.values:
        raise ValidationError("请选择职务")
    today = timezone.localdate()
    joined_on = _day(joined_on or today, "到岗日期", earliest=EARLIEST_DAY, today=today)
    if user is not None:
        scope = user.scope_id or ""
        if not user.is_active or user.role not in (Role.STREET, Role.COMMITTEE) or not scope.startswith(station.street_id):
            raise ValidationError("工作人员账号应为本街镇或其居村委的在职工作人员账号")
        if StationStaff.objects.filter(station=station, user=user, active=True).exists():
            raise StateConflict("该账号已是本工作站工作人员")
        name = name or user.full_name or user.username
    staff = StationStaff.objects.create(station=station, name=_text(name, "姓名", 64), position=position, user=user,
                                        phone=_text(phone, "联系电话", 32, required=False), joined_on=joined_on)
    audit_record(actor=actor, action="minors.station_staff_add", object_type="MinorsStationStaff", object_id=staff.pk,
                 scope_code=station.street_id, changes={"name": staff.name, "position": position,
                                                        "staff_user": user.username if user else None})
    return staff


@transaction.atomic
def station_staff_end(*, actor: User | str, staff: StationStaff, today: dt.date | None = None) -> StationStaff:
    require(actor, "minors.stations_manage", allow_job=True)
    if not isinstance(actor, str) and not Scope.of(actor).covers(street_code=staff.station.street_id,
                                                               committee_code=None):
        raise OutOfScope("该工作站不在您的辖区内")
    if not staff.active:
        raise StateConflict("该工作人员已离岗")
    staff.active, staff.left_on = False, today or timezone.localdate()
    staff.save(update_fields=["active", "left_on"])
    audit_record(actor=actor, action="minors.station_staff_end", object_type="MinorsStationStaff", object_id=staff.pk,
                 scope_code=staff.station.street_id, changes={"name": staff.name})
    return staff
