"""Writes of the advisors' workspace: advisor assignments, lead outcomes,
home visits (with attachments), task results, exit-review decisions,
hardship labels and service records. Each validates first, runs in one
transaction and appends one audit entry. The monitor run itself is in
``monitor_runs``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from minzheng.casework.models import Application
from minzheng.casework.services import enrolment_terminate
from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import Division, DivisionLevel, Role, User
from minzheng.core.months import month_of, month_shift
from minzheng.core.permissions import require, require_in_scope
from minzheng.core.scope import Scope
from minzheng.monitoring.models import (
    AdvisorAssignment,
    ExitReview,
    ExitStatus,
    FollowUpTask,
    HardshipLabel,
    HardshipLabelKind,
    HomeVisitRecord,
    Lead,
    LeadOutcome,
    LeadStatus,
    ServiceKind,
    ServiceRecord,
    TaskStatus,
    VisitAttachment,
)

# The monthly run (monitor_runs.py) is part of monitoring's public interface (ADR 0009).
from minzheng.monitoring.monitor_runs import monitor_escalate as monitor_escalate
from minzheng.monitoring.monitor_runs import monitor_run_month as monitor_run_month
from minzheng.registry.models import Household, Person

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def _name(actor: User) -> str:
    return actor.username


def _not_future(day: dt.date, what: str, today: dt.date) -> None:
    """Field work is dated from 2000-01-01 (``core.bounds.EARLIEST_DAY``) to today."""
    day_check(day, what, latest=None)
    if day > today:
        raise ValidationError(f"{what}不能晚于今天")


# --- advisor assignments --------------------------------------------------------

@transaction.atomic
def advisor_assignment_create(*, actor: User, advisor: User, committee: Division,
                              on: dt.date | None = None) -> AdvisorAssignment:
    """Assign a community assistance advisor to a committee inside the advisor's scope."""
    if committee.level != DivisionLevel.COMMITTEE:
        raise ValidationError("只能指派到居委会或村委会")
    require(actor, "monitoring.manage")
    require_in_scope(actor, street_code=committee.street_code or "", committee_code=committee.code)
    if advisor.role != Role.ADVISOR:
        raise ValidationError(f"{advisor.full_name or advisor.username} 不是社区救助顾问账号")
    if not Scope.jurisdiction(advisor).covers(street_code=committee.street_code, committee_code=committee.code):
        raise ValidationError(f"{committee.name}不在该救助顾问的辖区内")
    if AdvisorAssignment.objects.filter(advisor=advisor, committee=committee, ended_on__isnull=True).exists():
        raise ValidationError(f"该救助顾问已联系{committee.name}")
    assignment = AdvisorAssignment.objects.create(
        advisor=advisor, committee=committee, street_id=committee.street_code, assigned_on=on or dt.date.today(),
        assigned_by=_name(actor))
    audit_record(actor=actor, action="advisor_assignment.create", object_type="AdvisorAssignment",
                 object_id=assignment.pk, scope_code=committee.code,
                 changes={"advisor": advisor.username, "committee": committee.code})
    return assignment


@transaction.atomic
def advisor_assignment_end(*, actor: User, assignment: AdvisorAssignment, on: dt.date | None = None) -> None:
    """End an assignment (the row is kept)."""
    require(actor, "monitoring.manage")
    require_in_scope(actor, street_code=assignment.street_id, committee_code=assignment.committee_id)
    if assignment.ended_on is not None:
        raise ValidationError("该联系关系已结束")
    assignment.ended_on = on or dt.date.today()
    assignment.save(update_fields=["ended_on"])
    audit_record(actor=actor, action="advisor_assignment.end", object_type="AdvisorAssignment",
                 object_id=assignment.pk, scope_code=assignment.committee_id, changes={"ended_on": assignment.ended_on})


# --- leads and tasks ------------------------------------------------------------------

@transaction.atomic
def lead_close(*, actor: User, lead: Lead, outcome: str, reason: str = "", application: Application | None = None,
               on: dt.date | None = None) -> Lead:
    """Record a lead's outcome: applied (with the application, if already
    taken), not needed, declined or unreachable (these three need a reason)."""
    require(actor, "monitoring.field_work")
    require_in_scope(actor, street_code=lead.street_id, committee_code=lead.committee_id)
    on = on or dt.date.today()
    _not_future(on, "办结日期", dt.date.today())
    if lead.status != LeadStatus.OPEN:
        raise StateConflict("该线索已办结")
    if outcome not in LeadOutcome.values:
        raise ValidationError(f"跟进结果“{outcome}”无效")
    reason = reason.strip()
    if outcome != LeadOutcome.APPLIED and not reason:
        raise ValidationError("请填写原因")
    if application is not None:
        if application.household_id != lead.household_id or application.program != lead.program:
            raise ValidationError("所选申请与线索的家庭或救助项目不一致")
    lead.status, lead.outcome, lead.outcome_reason = LeadStatus.CLOSED, outcome, reason
    lead.application, lead.closed_on, lead.closed_by = application, on, _name(actor)
    lead.save(update_fields=["status", "outcome", "outcome_reason", "application", "closed_on", "closed_by"])
    audit_record(actor=actor, action="lead.close", object_type="Lead", object_id=lead.pk,
                 scope_code=lead.committee_id,
                 changes={"outcome": outcome, "reason": reason, "application": application.pk if application else None})
    return lead


@transaction.atomic
def task_complete(*, actor: User, task: FollowUpTask, result: str, on: dt.date | None = None) -> FollowUpTask:
    """Close a follow-up task with what was found and done."""
    require(actor, "monitoring.field_work")
    require_in_scope(actor, street_code=task.street_id, committee_code=task.committee_id)
    on = on or dt.date.today()
    _not_future(on, "完成日期", dt.date.today())
    if task.status != TaskStatus.OPEN:
        raise StateConflict("该任务已完成")
    if not result.strip():
        raise ValidationError("请填写跟进情况")
    task.status, task.result, task.done_on, task.done_by = TaskStatus.DONE, result.strip(), on, _name(actor)
    task.save(update_fields=["status", "result", "done_on", "done_by"])
    audit_record(actor=actor, action="task.complete", object_type="FollowUpTask", object_id=task.pk,
                 scope_code=task.committee_id, changes={"result": task.result})
    return task


# --- home visits -------------------------------------------------------------------

@transaction.atomic
def visit_record(*, actor: User, household: Household, visited_on: dt.date, visitors: str, findings: str,
                 person: Person | None = None, lead: Lead | None = None, task: FollowUpTask | None = None,
                 attachments: Sequence[UploadedFile] = ()) -> HomeVisitRecord:
    """Record a home visit (走访) with its findings and attachments. A visit
    for a lead or task counts as acting on it (no escalation from then on)."""
    require(actor, "monitoring.field_work")
    require_in_scope(actor, street_code=household.street_id, committee_code=household.committee_id)
    _not_future(visited_on, "走访日期", dt.date.today())
    if not visitors.strip() or not findings.strip():
        raise ValidationError("请填写走访人员和走访情况")
    for item, what in ((lead, "线索"), (task, "任务")):
        if item is not None and item.household_id not in (None, household.pk):
            raise ValidationError(f"{what}不属于该家庭")
    for upload in attachments:
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(f"附件“{upload.name}”超过 10 MB")
    visit = HomeVisitRecord.objects.create(
        household=household, person=person, lead=lead, task=task, street_id=household.street_id,
        committee_id=household.committee_id, visited_on=visited_on, visitors=visitors.strip(),
        findings=findings.strip(), recorded_by=_name(actor))
    for upload in attachments:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        VisitAttachment.objects.create(visit=visit, file=upload, original_name=upload.name, size=upload.size,
                                       sha256=digest.hexdigest(), uploaded_by=_name(actor))
    for item in (lead, task):
        if item is not None and item.first_action_on is None:
            item.first_action_on = visited_on
            item.save(update_fields=["first_action_on"])
    audit_record(actor=actor, action="visit.record", object_type="HomeVisitRecord", object_id=visit.pk,
                 scope_code=household.committee_id,
                 changes={"household": household.pk, "lead": lead.pk if lead else None,
                          "task": task.pk if task else None, "visited_on": visited_on,
                          "attachments": len(attachments)})
    return visit


# --- exit reviews ---------------------------------------------------------------------

@transaction.atomic
def exit_review_resolve(*, actor: User, review: ExitReview, exit_benefit: bool, resolution: str,
                        effective_month: str = "", on: dt.date | None = None) -> ExitReview:
    """The street's decision on an exit review: stop the benefit (through
    casework's ``enrolment_terminate``, default from the month after the
    decision) or keep it, with what was found."""
    require(actor, "monitoring.manage")
    require_in_scope(actor, street_code=review.street_id, committee_code=review.committee_id)
    if review.status != ExitStatus.OPEN:
        raise StateConflict("该核实已处理")
    if not resolution.strip():
        raise ValidationError("请填写核实情况")
    on = on or dt.date.today()
    if exit_benefit:
        effective = effective_month or month_shift(month_of(on), 1)
        enrolment_terminate(actor=actor, enrolment=review.enrolment, reason=f"应退尽退核实：{resolution.strip()}",
                            effective_month=effective)
    review.status = ExitStatus.EXITED if exit_benefit else ExitStatus.KEPT
    review.resolution, review.resolved_on, review.resolved_by = resolution.strip(), on, _name(actor)
    review.save(update_fields=["status", "resolution", "resolved_on", "resolved_by"])
    audit_record(actor=actor, action="exit_review.resolve", object_type="ExitReview", object_id=review.pk,
                 scope_code=review.committee_id, changes={"status": review.status, "resolution": review.resolution})
    return review


# --- labels and service records ---------------------------------------------------------

@transaction.atomic
def label_add(*, actor: User, household: Household, label: str, note: str = "",
              person: Person | None = None) -> HardshipLabel:
    """Put a hardship label (困难对象标签) on a household or one member."""
    require(actor, "monitoring.field_work")
    require_in_scope(actor, street_code=household.street_id, committee_code=household.committee_id)
    if label not in HardshipLabelKind.values:
        raise ValidationError(f"标签“{label}”无效")
    if HardshipLabel.objects.filter(household=household, person=person, label=label, removed_on__isnull=True).exists():
        raise StateConflict("该标签已存在")
    item = HardshipLabel.objects.create(household=household, person=person, label=label, note=note.strip(),
                                        street_id=household.street_id, committee_id=household.committee_id,
                                        added_on=dt.date.today(), added_by=_name(actor))
    audit_record(actor=actor, action="label.add", object_type="HardshipLabel", object_id=item.pk,
                 scope_code=household.committee_id, changes={"household": household.pk, "label": label})
    return item


@transaction.atomic
def label_remove(*, actor: User, label: HardshipLabel) -> HardshipLabel:
    """Take a label off (the row stays with the removal date)."""
    require(actor, "monitoring.field_work")
    require_in_scope(actor, street_code=label.street_id, committee_code=label.committee_id)
    if label.removed_on is not None:
        raise StateConflict("该标签已取消")
    label.removed_on, label.removed_by = dt.date.today(), _name(actor)
    label.save(update_fields=["removed_on", "removed_by"])
    audit_record(actor=actor, action="label.remove", object_type="HardshipLabel", object_id=label.pk,
                 scope_code=label.committee_id, changes={"label": label.label})
    return label


@transaction.atomic
def service_record_add(*, actor: User, household: Household, kind: str, served_on: dt.date, description: str,
                       provider: str = "", person: Person | None = None, lead: Lead | None = None,
                       task: FollowUpTask | None = None) -> ServiceRecord:
    """Record a service given (referral, material help, care, advice …)."""
    require(actor, "monitoring.field_work")
    require_in_scope(actor, street_code=household.street_id, committee_code=household.committee_id)
    if kind not in ServiceKind.values:
        raise ValidationError(f"服务类型“{kind}”无效")
    _not_future(served_on, "服务日期", dt.date.today())
    if not description.strip():
        raise ValidationError("请填写服务内容")
    record = ServiceRecord.objects.create(
        household=household, person=person, lead=lead, task=task, street_id=household.street_id,
        committee_id=household.committee_id, kind=kind, served_on=served_on, provider=provider.strip(),
        description=description.strip(), recorded_by=_name(actor))
    audit_record(actor=actor, action="service_record.add", object_type="ServiceRecord", object_id=record.pk,
                 scope_code=household.committee_id, changes={"household": household.pk, "kind": kind})
    return record


