"""Every write of the zombie-organization work (僵尸型社会组织清理整治, ADR 0042): the permission,
the organization's scope (an organization's account: its own only), validation first, one
transaction, one audit entry. Refusals are ``ValidationError`` (``StateConflict`` when the
case's step does not allow it: HTTP 409).

* :func:`activity_record` — an activity (date, description, in-charter or not, evidence), by
  the section or by the organization itself;
* :func:`contact_record` — a contact attempt by staff (address visit / legal representative call);
* :func:`period_enter` — the "long period" in months with the document it comes from;
* the clean-up case: :func:`case_open` (from a current flag) → :func:`case_notify`
  (限期整改通知书, with the deadline) → :func:`case_rectify` or, after the deadline,
  :func:`case_revoke` (撤销登记 through the register's status service, with its history line).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check, text_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.social_orgs import selectors, services, zombies
from minzheng.social_orgs.models import (
    OPEN_CASE_STATUSES,
    ActivitySource,
    CaseStatus,
    ContactAttempt,
    ContactKind,
    InactivityPeriod,
    OrgActivity,
    Organization,
    OrgStatus,
    ZombieCase,
)

ACTOR = User | str
MAX_MONTHS = 120


def _who(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _scoped(actor: ACTOR, organization: Organization) -> Organization:
    """The organization as ``actor`` may see it (an organization's account: its own, else 404)."""
    return organization if isinstance(actor, str) else selectors.organization_get(actor, organization.pk)


def _required(value: object, label: str, limit: int) -> str:
    text = text_check(str(value or "").strip(), label, limit)
    if not text:
        raise ValidationError(f"请填写{label}")
    return text


def activity_record(*, actor: ACTOR, organization: Organization, held_on: dt.date, description: str,
                    in_charter: bool | None, evidence: str, today: dt.date) -> OrgActivity:
    """An activity the organization held (ADR 0042: what counts as activity)."""
    require(actor, "social_orgs.activity_record", allow_job=True)
    organization = _scoped(actor, organization)
    if in_charter is None:
        raise ValidationError("请选择该活动是否属于章程规定的业务活动")
    day_check(held_on, "活动日期", earliest=organization.registered_on, latest=today)
    description = _required(description, "活动内容", 500)
    evidence = _required(evidence, "佐证材料（如活动通知、签到表、照片、报道）", 300)
    source = ActivitySource.ORGANIZATION if (not isinstance(actor, str)
                                             and selectors.is_organization_account(actor)) else ActivitySource.STAFF
    with transaction.atomic():
        activity = OrgActivity.objects.create(organization=organization, held_on=held_on, description=description,
                                              in_charter=bool(in_charter), evidence=evidence, source=source,
                                              recorded_by=_who(actor))
        audit_record(actor=actor, action="social_orgs.activity_record", object_type="OrgActivity",
                     object_id=activity.pk, changes={"org_name": organization.name, "held_on": held_on.isoformat(),
                                                     "in_charter": activity.in_charter})
    return activity


def contact_record(*, actor: ACTOR, organization: Organization, kind: str, tried_on: dt.date, reached: bool | None,
                   outcome: str, today: dt.date) -> ContactAttempt:
    """A contact attempt staff made: a visit at the registered address or a call to the legal representative."""
    require(actor, "social_orgs.zombies_manage", allow_job=True)
    organization = _scoped(actor, organization)
    if kind not in ContactKind.values:
        raise ValidationError("联系方式应为：" + "、".join(ContactKind.labels))
    if reached is None:
        raise ValidationError("请选择是否取得联系")
    day_check(tried_on, "联系日期", earliest=organization.registered_on, latest=today)
    outcome = _required(outcome, "联系情况", 500)
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(organization=organization, kind=kind, tried_on=tried_on,
                                                reached=bool(reached), outcome=outcome, recorded_by=_who(actor))
        audit_record(actor=actor, action="social_orgs.contact_record", object_type="ContactAttempt",
                     object_id=attempt.pk, changes={"org_name": organization.name, "contact_kind": kind,
                                                    "tried_on": tried_on.isoformat(), "reached": attempt.reached})
    return attempt


def period_enter(*, actor: ACTOR, months: int | None, effective_from: dt.date, document_name: str,
                 document_number: str) -> InactivityPeriod:
    """The "long period" of 长期未开展章程规定的业务活动, in months, citing its document."""
    require(actor, "social_orgs.zombies_manage", allow_job=True)
    if months is None or isinstance(months, bool) or not 1 <= int(months) <= MAX_MONTHS:
        raise ValidationError(f"期限应为1至{MAX_MONTHS}个月")
    day_check(effective_from, "起始日期")
    document_name = _required(document_name, "依据文件名称", 200)
    document_number = _required(document_number, "文号", 100)
    with transaction.atomic():
        if InactivityPeriod.objects.filter(effective_from=effective_from).exists():
            raise ValidationError(f"{effective_from:%Y-%m-%d}起的期限已录入，请选择另一个起始日期")
        period = InactivityPeriod.objects.create(months=int(months), effective_from=effective_from,
                                                 document_name=document_name, document_number=document_number,
                                                 entered_by=_who(actor))
        audit_record(actor=actor, action="social_orgs.inactivity_period", object_type="InactivityPeriod",
                     object_id=period.pk, changes={"months": period.months,
                                                   "effective_from": effective_from.isoformat(),
                                                   "document_name": document_name,
                                                   "document_number": document_number})
    return period


def case_open(*, actor: ACTOR, organization: Organization, today: dt.date) -> ZombieCase:
    """Open a clean-up case from the organization's flags found today (kept with their evidence)."""
    require(actor, "social_orgs.zombies_manage", allow_job=True)
    organization = _scoped(actor, organization)
    if organization.status != OrgStatus.NORMAL:
        raise StateConflict(f"该社会组织登记状态为“{organization.get_status_display()}”，不能立案清理整治")
    finding = zombies.finding_for(organization, today)
    if not finding.flags:
        raise ValidationError(f"截至{today:%Y-%m-%d}，该社会组织没有僵尸型社会组织认定情形，不能立案")
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if ZombieCase.objects.filter(organization=organization, status__in=OPEN_CASE_STATUSES).exists():
            raise StateConflict("该社会组织已有未办结的清理整治案件，不能重复立案")
        try:
            with transaction.atomic():
                case = ZombieCase.objects.create(
                    organization=organization, opened_on=today, reasons=finding.reasons,
                    evidence=[{"reason": f.reason, "label": f.label, "evidence": f.evidence} for f in finding.flags],
                    opened_by=_who(actor))
        except IntegrityError as err:
            raise StateConflict("该社会组织已有未办结的清理整治案件，不能重复立案") from err
        audit_record(actor=actor, action="social_orgs.zombie_open", object_type="ZombieCase", object_id=case.pk,
                     changes={"org_name": organization.name, "reasons": finding.reasons})
    return case


def _locked(case: ZombieCase, *allowed: str) -> ZombieCase:
    locked = ZombieCase.objects.select_for_update().select_related("organization").get(pk=case.pk)
    if locked.status not in allowed:
        raise StateConflict(f"案件状态为“{locked.get_status_display()}”，不能办理这一步")
    return locked


def case_notify(*, actor: ACTOR, case: ZombieCase, notice_on: dt.date, deadline: dt.date, requirements: str,
                today: dt.date) -> ZombieCase:
    """The notice (限期整改通知书): its date (not before the case, not after today), the
    requirements and the deadline (after the notice date). The number is given in order."""
    require(actor, "social_orgs.zombies_manage", allow_job=True)
    _scoped(actor, case.organization)
    day_check(notice_on, "通知日期", earliest=case.opened_on, latest=today)
    day_check(deadline, "整改期限")
    if deadline <= notice_on:
        raise ValidationError("整改期限应晚于通知日期")
    requirements = _required(requirements, "整改要求", 2000)
    with transaction.atomic():
        locked = _locked(case, CaseStatus.OPEN)
        sequence = ZombieCase.objects.filter(notice_on__year=notice_on.year).exclude(notice_number="").count() + 1
        locked.notice_number = f"松民社整〔{notice_on.year}〕{sequence}号"
        locked.notice_on, locked.deadline, locked.notice_requirements = notice_on, deadline, requirements
        locked.status = CaseStatus.NOTIFIED
        locked.save()
        audit_record(actor=actor, action="social_orgs.zombie_notice", object_type="ZombieCase", object_id=locked.pk,
                     changes={"org_name": locked.organization.name, "notice_number": locked.notice_number,
                              "notice_on": notice_on.isoformat(), "deadline": deadline.isoformat()})
    return locked


def case_rectify(*, actor: ACTOR, case: ZombieCase, on: dt.date, rectification: str, today: dt.date) -> ZombieCase:
    """Rectified (已整改): what the organization did (e.g. filed the missing reports, held
    activities, was reached); only after the notice. Closes the case."""
    require(actor, "social_orgs.zombies_manage", allow_job=True)
    _scoped(actor, case.organization)
    rectification = _required(rectification, "整改情况", 2000)
    with transaction.atomic():
        locked = _locked(case, CaseStatus.NOTIFIED)
        day_check(on, "整改完成日期", earliest=locked.notice_on or locked.opened_on, latest=today)
        locked.status, locked.rectified_on, locked.rectification = CaseStatus.RECTIFIED, on, rectification
        locked.closed_by = _who(actor)
        locked.save()
        audit_record(actor=actor, action="social_orgs.zombie_rectified", object_type="ZombieCase",
                     object_id=locked.pk, changes={"org_name": locked.organization.name,
                                                   "rectified_on": on.isoformat(), "reason": rectification})
    return locked


def case_revoke(*, actor: ACTOR, case: ZombieCase, on: dt.date, reason: str, today: dt.date) -> ZombieCase:
    """撤销登记 after the deadline passed without rectification: the register's status becomes
    撤销 (``services.organization_status_set``: dated, with the reason and a history line);
    the public notice (撤销登记公告) is then available. Not on or before the deadline."""
    require(actor, "social_orgs.zombies_manage", allow_job=True)
    _scoped(actor, case.organization)
    reason = _required(reason, "撤销登记决定（文号和理由）", 400)
    with transaction.atomic():
        locked = _locked(case, CaseStatus.NOTIFIED)
        if locked.deadline is None or on <= locked.deadline:
            raise StateConflict(f"整改期限（{locked.deadline or '未定'}）届满前不能撤销登记")
        day_check(on, "撤销登记日期", earliest=locked.deadline, latest=today)
        services.organization_status_set(actor=actor, organization=locked.organization, status=OrgStatus.REVOKED,
                                         on=on, reason=f"僵尸型社会组织清理整治，逾期未整改：{reason}", today=today)
        locked.status, locked.revoked_on, locked.revoke_reason = CaseStatus.REVOKED, on, reason
        locked.closed_by = _who(actor)
        locked.save()
        audit_record(actor=actor, action="social_orgs.zombie_revoke", object_type="ZombieCase", object_id=locked.pk,
                     changes={"org_name": locked.organization.name, "revoked_on": on.isoformat(), "reason": reason})
    return locked
