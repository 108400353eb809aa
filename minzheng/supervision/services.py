"""Every write of 养老机构监管（双随机、一公开）(ADR 0030): one transaction, the
permission, the institution in the user's reach, an audit entry each.
Business refusals are ``ValidationError`` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from minzheng.care_facilities.models import Facility
from minzheng.care_facilities.selectors import facility_get
from minzheng.core.audit import audit_record
from minzheng.core.file_types import EVIDENCE_TYPES, PHOTO_TYPES, upload_type
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import SeparationOfDuties, require
from minzheng.core.workdays import add_working_days
from minzheng.supervision import selectors
from minzheng.supervision.draw import canonical, run_draw, snapshot_hash
from minzheng.supervision.models import (
    ChecklistCategory,
    ChecklistItem,
    ChecklistVersion,
    Decision,
    ExclusionReason,
    Inspection,
    InspectionStatus,
    Inspector,
    InspectorExclusion,
    InspectorKind,
    ItemOutcome,
    ItemRecord,
    OrderResponse,
    OrderStatus,
    Plan,
    PlanStatus,
    RectificationOrder,
)

ACTOR = User | str
SYSTEM = "system"


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _audit(actor: ACTOR, action: str, obj: Any, scope_code: str = "", changes: dict | None = None) -> None:
    audit_record(actor=actor, action=action, object_type=f"Supervision{type(obj).__name__}", object_id=obj.pk,
                 scope_code=scope_code, changes=changes or {})


def _facility_in_reach(actor: ACTOR, facility: Facility) -> None:
    """A staff account acts only on an institution it may see (else 404)."""
    if not isinstance(actor, str):
        facility_get(actor, facility.pk)


# --- checklists (data, versioned) --------------------------------------------------

@transaction.atomic
def checklist_version_create(*, actor: ACTOR, title: str, source: str,
                             items: list[tuple[str, str]]) -> ChecklistVersion:
    """A new version (number = last + 1) with ``items`` [(category, text)]; plans
    made with an older version keep it."""
    require(actor, "supervision.plan", allow_job=True)
    if not title.strip() or not source.strip():
        raise ValidationError("请填写检查表名称和依据")
    if not items:
        raise ValidationError("检查表至少要有一项检查内容")
    for category, text in items:
        if category not in ChecklistCategory.values:
            raise ValidationError("检查项类别应为消防安全、食品安全、服务质量或财务管理")
        if not text.strip():
            raise ValidationError("检查内容不能为空")
    last = ChecklistVersion.objects.order_by("-version").values_list("version", flat=True).first() or 0
    version = ChecklistVersion.objects.create(version=last + 1, title=title.strip(), source=source.strip(),
                                              created_by=_name(actor))
    ChecklistItem.objects.bulk_create([ChecklistItem(version=version, position=n, category=c, text=t.strip())
                                       for n, (c, t) in enumerate(items, start=1)])
    _audit(actor, "supervision.checklist_create", version, changes={"version": version.version,
                                                                    "item_count": len(items)})
    return version


# --- the inspector pool ----------------------------------------------------------

@transaction.atomic
def inspector_add(*, actor: ACTOR, name: str, kind: str, user: User | None = None,
                  organisation: str = "") -> Inspector:
    require(actor, "supervision.plan", allow_job=True)
    if kind not in InspectorKind.values:
        raise ValidationError("检查人员类型应为执法检查人员或外聘专家")
    name = name.strip() or (user.full_name if user else "")
    if not name:
        raise ValidationError("请填写检查人员姓名")
    if kind == InspectorKind.STAFF and user is None:
        raise ValidationError("执法检查人员应关联其工作账号")
    if user is not None and Inspector.objects.filter(user=user).exists():
        raise ValidationError(f"{name}已在检查人员名录库中")
    inspector = Inspector.objects.create(name=name, kind=kind, user=user, organisation=organisation.strip())
    _audit(actor, "supervision.inspector_add", inspector, changes={"inspector_kind": kind})
    return inspector


@transaction.atomic
def inspector_set_active(*, actor: ACTOR, inspector: Inspector, active: bool) -> Inspector:
    require(actor, "supervision.plan", allow_job=True)
    inspector.active = active
    inspector.save(update_fields=["active"])
    _audit(actor, "supervision.inspector_active", inspector, changes={"active": active})
    return inspector


@transaction.atomic
def exclusion_add(*, actor: ACTOR, inspector: Inspector, facility: Facility, reason: str,
                  note: str = "") -> InspectorExclusion:
    require(actor, "supervision.plan", allow_job=True)
    if reason not in ExclusionReason.values:
        raise ValidationError("回避原因应为曾在该机构任职或与该机构存在利害关系")
    if InspectorExclusion.objects.filter(inspector=inspector, facility=facility).exists():
        raise ValidationError(f"{inspector.name}与{facility.name}的回避关系已登记")
    exclusion = InspectorExclusion.objects.create(inspector=inspector, facility=facility, reason=reason,
                                                  note=note.strip())
    _audit(actor, "supervision.exclusion_add", exclusion, facility.street_id,
           {"inspector": inspector.pk, "facility": facility.pk, "exclusion_reason": reason})
    return exclusion


# --- plans and the draw ------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor: ACTOR, name: str, period_start: dt.date, period_end: dt.date,
                institutions_to_draw: int, inspectors_per_institution: int,
                checklist: ChecklistVersion, street: Division | None = None) -> Plan:
    require(actor, "supervision.plan", allow_job=True)
    if not name.strip():
        raise ValidationError("请填写计划名称")
    if period_end < period_start:
        raise ValidationError("检查期止不能早于检查期起")
    if street is not None and street.level != DivisionLevel.STREET:
        raise ValidationError("抽查范围应为全区或本区的一个街道或镇")
    if not institutions_to_draw or institutions_to_draw < 1:
        raise ValidationError("抽取机构数应至少为1")
    if not inspectors_per_institution or inspectors_per_institution < 1:
        raise ValidationError("每家机构检查人员数应至少为1")
    if not checklist.items.exists():
        raise ValidationError("所选检查表没有检查项")
    plan = Plan.objects.create(name=name.strip(), period_start=period_start, period_end=period_end, street=street,
                               institutions_to_draw=institutions_to_draw,
                               inspectors_per_institution=inspectors_per_institution, checklist=checklist,
                               created_by=actor if isinstance(actor, User) else None)
    _audit(actor, "supervision.plan_create", plan, street.code if street else "",
           {"plan_name": plan.name, "street": street.code if street else None,
            "institutions_to_draw": institutions_to_draw, "inspectors_per_institution": inspectors_per_institution,
            "checklist_version": checklist.version})
    return plan


def draw_preview(plan: Plan, seed: int) -> dict[str, Any]:
    """The draw over today's snapshot, without recording (the CLI without --record)."""
    return run_draw(selectors.draw_snapshot(plan), seed)


@transaction.atomic
def draw_record(*, actor: ACTOR, plan: Plan, seed: int) -> Plan:
    """Record the plan's draw, once: seed, canonical snapshot, its sha256, the
    result; creates one pending inspection per drawn institution."""
    require(actor, "supervision.plan", allow_job=True)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.draw is not None:
        raise ValidationError("本计划已抽取，抽取结果不能更改")
    if seed is None or not (0 <= seed < 2 ** 63):
        raise ValidationError("随机种子应为0至2^63-1之间的整数")
    snapshot = selectors.draw_snapshot(plan)
    result = run_draw(snapshot, seed)
    text = canonical(snapshot)
    plan.seed, plan.snapshot, plan.snapshot_sha256, plan.draw = seed, text, snapshot_hash(text), result
    plan.drawn_by, plan.drawn_at, plan.status = _name(actor), timezone.now(), PlanStatus.DRAWN
    plan.save()
    inspectors = {i.pk: i for i in Inspector.objects.all()}
    for row in result["assignments"]:
        inspection = Inspection.objects.create(plan=plan, facility_id=row["institution"])
        inspection.inspectors.set([inspectors[i] for i in row["inspectors"]])
    _audit(actor, "supervision.draw_record", plan, plan.street_id or "",
           {"seed": seed, "snapshot_sha256": plan.snapshot_sha256,
            "institutions": [r["institution"] for r in result["assignments"]]})
    return plan


def draw_verify(plan: Plan) -> list[str]:
    """Re-run the recorded draw; the discrepancies (empty: it is what was recorded)."""
    if plan.draw is None:
        return ["本计划尚未抽取"]
    problems = []
    if snapshot_hash(plan.snapshot) != plan.snapshot_sha256:
        problems.append("记录的快照与其SHA-256不符")
    again = run_draw(json.loads(plan.snapshot), plan.seed)
    if again != plan.draw:
        problems.append("按记录的快照和种子重新抽取，结果与记录不一致")
    return problems


# --- inspections -------------------------------------------------------------------

def _inspect_guard(actor: ACTOR, inspection: Inspection) -> None:
    require(actor, "supervision.inspect", allow_job=True)
    _facility_in_reach(actor, inspection.facility)
    status = Plan.objects.filter(pk=inspection.plan_id).values_list("status", flat=True).first()
    if status != PlanStatus.DRAWN:
        raise ValidationError("计划的结果已提交审核，不能再修改检查记录")


MAX_BYTES = 10 * 1024 * 1024


def _file_type(content: bytes, types, what: str) -> tuple[str, str]:
    return upload_type(content, what=what, max_bytes=MAX_BYTES, types=types)


@transaction.atomic
def inspection_record(*, actor: ACTOR, inspection: Inspection, results: Mapping[int, tuple[str, str]],
                      photos: Mapping[int, bytes] | None = None) -> int:
    """Record (or correct) items: ``{item id: (outcome, note)}``; 发现问题 needs a
    note; ``photos`` {item id: bytes} (PNG or JPEG) for items found 发现问题."""
    _inspect_guard(actor, inspection)
    if inspection.status == InspectionStatus.DONE:
        raise ValidationError("本次检查已完成，不能再修改")
    items = {i.pk: i for i in inspection.plan.checklist.items.all()}
    existing = {r.item_id: r for r in inspection.records.select_for_update()}
    changed = []
    for item_id, (outcome, note) in results.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError("检查项不属于本计划的检查表")
        if outcome not in ItemOutcome.values:
            raise ValidationError(f"“{item.text}”的结果应为合格或发现问题")
        note = (note or "").strip()[:300]
        if outcome == ItemOutcome.ISSUE and not note:
            raise ValidationError(f"“{item.text}”发现问题，请说明问题")
        if outcome == ItemOutcome.PASS:
            note = ""
        row = existing.get(item_id) or ItemRecord(inspection=inspection, item=item)
        if row.pk and (row.outcome, row.note) == (outcome, note):
            continue
        row.outcome, row.note = outcome, note
        row.save()
        existing[item_id] = row
        changed.append(f"检查项{item.position}：{ItemOutcome(outcome).label}")
    for item_id, content in (photos or {}).items():
        row = existing.get(item_id)
        if row is None or row.outcome != ItemOutcome.ISSUE:
            raise ValidationError("只有发现问题的检查项需要上传照片")
        mime, suffix = _file_type(content, PHOTO_TYPES, "照片")
        digest = hashlib.sha256(content).hexdigest()
        row.photo.save(f"{inspection.pk}-{item_id}-{digest[:16]}.{suffix}", ContentFile(content), save=False)
        row.photo_type, row.photo_sha256 = mime, digest
        row.save()
        changed.append(f"检查项{items[item_id].position}：上传照片")
    if changed:
        _audit(actor, "supervision.inspection_record", inspection, inspection.facility.street_id,
               {"results": changed})
    return len(changed)


@transaction.atomic
def inspection_complete(*, actor: ACTOR, inspection: Inspection, inspected_on: dt.date) -> Inspection:
    _inspect_guard(actor, inspection)
    if inspection.status == InspectionStatus.DONE:
        raise ValidationError("本次检查已完成")
    plan = inspection.plan
    if not plan.period_start <= inspected_on <= plan.period_end:
        raise ValidationError(f"检查日期应在计划的检查期内（{plan.period_start}至{plan.period_end}）")
    if inspected_on > timezone.localdate():
        raise ValidationError("检查日期不能晚于今天")
    missing = plan.checklist.items.exclude(pk__in=inspection.records.values("item_id")).count()
    if missing:
        raise ValidationError(f"还有{missing}项未检查，请逐项记录后再完成检查")
    inspection.status, inspection.inspected_on, inspection.recorded_by = (InspectionStatus.DONE, inspected_on,
                                                                          _name(actor))
    inspection.save(update_fields=["status", "inspected_on", "recorded_by"])
    _audit(actor, "supervision.inspection_complete", inspection, inspection.facility.street_id,
           {"inspected_on": inspected_on.isoformat(),
            "issues": inspection.records.filter(outcome=ItemOutcome.ISSUE).count()})
    return inspection


# --- rectification ---------------------------------------------------------------

@transaction.atomic
def order_issue(*, actor: ACTOR, inspection: Inspection, requirement: str, working_days: int,
                issued_on: dt.date | None = None) -> RectificationOrder:
    """整改通知 for the inspection's findings; deadline = the ``working_days``-th
    working day after ``issued_on`` (holidays respected; a year without a
    recorded arrangement is refused, core.workdays)."""
    _inspect_guard(actor, inspection)
    if inspection.status != InspectionStatus.DONE:
        raise ValidationError("请先完成检查，再下达整改通知")
    if not inspection.records.filter(outcome=ItemOutcome.ISSUE).exists():
        raise ValidationError("本次检查没有发现问题，无需整改")
    if RectificationOrder.objects.filter(inspection=inspection).exists():
        raise ValidationError("本次检查已下达整改通知")
    if not requirement.strip():
        raise ValidationError("请填写整改要求")
    if not working_days or not 1 <= working_days <= 90:
        raise ValidationError("整改期限应为1至90个工作日")
    issued_on = issued_on or timezone.localdate()
    if inspection.inspected_on and issued_on < inspection.inspected_on:
        raise ValidationError("下达日期不能早于检查日期")
    deadline = add_working_days(issued_on, working_days)
    order = RectificationOrder.objects.create(inspection=inspection, requirement=requirement.strip(),
                                              issued_on=issued_on, working_days=working_days, deadline=deadline,
                                              issued_by=_name(actor))
    _audit(actor, "supervision.order_issue", order, inspection.facility.street_id,
           {"supervision_inspection": inspection.pk, "working_days": working_days, "deadline": deadline.isoformat()})
    return order


@transaction.atomic
def order_respond(*, actor: ACTOR, order: RectificationOrder, text: str, evidence_name: str = "",
                  evidence: bytes | None = None) -> OrderResponse:
    """The operator reports the rectification with evidence (awaits verification)."""
    require(actor, "supervision.respond", allow_job=True)
    _facility_in_reach(actor, order.inspection.facility)
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.OPEN:
        raise ValidationError("整改通知当前不需要反馈（已反馈待验证或已整改完成）")
    if not text.strip():
        raise ValidationError("请说明整改情况")
    if not evidence:
        raise ValidationError("请上传整改佐证材料")
    mime, suffix = _file_type(evidence, EVIDENCE_TYPES, "佐证材料")
    digest = hashlib.sha256(evidence).hexdigest()
    response = OrderResponse(order=order, text=text.strip(), responded_by=_name(actor),
                             evidence_name=(evidence_name or f"佐证材料.{suffix}")[:255], evidence_type=mime,
                             evidence_sha256=digest)
    response.evidence.save(f"{order.pk}-{digest[:16]}.{suffix}", ContentFile(evidence), save=False)
    response.save()
    order.status = OrderStatus.RESPONDED
    order.save(update_fields=["status"])
    _audit(actor, "supervision.order_respond", response, order.inspection.facility.street_id,
           {"order": order.pk, "file_type": suffix, "sha256": digest})
    return response


@transaction.atomic
def order_verify(*, actor: ACTOR, order: RectificationOrder, accepted: bool, note: str = "",
                 on: dt.date | None = None) -> RectificationOrder:
    """The inspector accepts the rectification (closed) or sends it back to the operator."""
    require(actor, "supervision.inspect", allow_job=True)
    _facility_in_reach(actor, order.inspection.facility)
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.RESPONDED:
        raise ValidationError("机构尚未反馈整改情况，不能验证")
    if not accepted and not note.strip():
        raise ValidationError("退回重新整改，请说明理由")
    response = order.responses.filter(decision=Decision.PENDING).last()
    response.decision = Decision.ACCEPTED if accepted else Decision.REJECTED
    response.decision_note, response.decided_by, response.decided_at = note.strip()[:300], _name(actor), timezone.now()
    response.save()
    if accepted:
        order.status, order.closed_on = OrderStatus.ACCEPTED, on or timezone.localdate()
    else:
        order.status = OrderStatus.OPEN
    order.save(update_fields=["status", "closed_on"])
    _audit(actor, "supervision.order_verify", order, order.inspection.facility.street_id,
           {"decision": response.decision})
    return order


@transaction.atomic
def orders_escalate(*, actor: ACTOR = SYSTEM, today: dt.date | None = None) -> int:
    """逾期上报: every overdue order not yet escalated is escalated once to the
    bureau (``escalated_at`` set once, audited). Idempotent."""
    require(actor, "supervision.inspect", allow_job=True)
    today = today or timezone.localdate()
    due = (RectificationOrder.objects.select_for_update().select_related("inspection__facility")
           .filter(deadline__lt=today, escalated_at__isnull=True).exclude(status=OrderStatus.ACCEPTED))
    count = 0
    now = timezone.now()
    for order in due:
        order.escalated_at = now
        order.save(update_fields=["escalated_at"])
        _audit(actor, "supervision.order_escalate", order, order.inspection.facility.street_id,
               {"deadline": order.deadline.isoformat(), "facility": order.inspection.facility_id})
        count += 1
    return count


# --- results: submit, approve (maker-checker), publish ----------------------------

@transaction.atomic
def plan_submit(*, actor: User, plan: Plan) -> Plan:
    require(actor, "supervision.plan")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAWN:
        raise ValidationError("只有已抽取、检查中的计划才能提交结果审核")
    inspections = list(plan.inspections.all())
    pending = [i for i in inspections if i.status != InspectionStatus.DONE]
    if pending:
        raise ValidationError(f"还有{len(pending)}家机构未完成检查")
    without_order = [i.facility.name for i in plan.inspections.filter(records__outcome=ItemOutcome.ISSUE,
                                                                      order__isnull=True).distinct()]
    if without_order:
        raise ValidationError(f"{'、'.join(without_order)}发现问题但尚未下达整改通知")
    plan.status, plan.submitted_by, plan.submitted_at = PlanStatus.SUBMITTED, actor, timezone.now()
    plan.save(update_fields=["status", "submitted_by", "submitted_at"])
    _audit(actor, "supervision.plan_submit", plan, plan.street_id or "", {"inspection_count": len(inspections)})
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: Plan) -> Plan:
    """Approve the results and publish them (一公开). Maker-checker: neither the
    plan's preparer nor the one who submitted the results may approve."""
    require(actor, "supervision.approve")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError("计划结果尚未提交审核")
    if actor.pk in (plan.created_by_id, plan.submitted_by_id):
        raise SeparationOfDuties("制定计划或提交结果的人员不能审核本计划的结果，请由另一位工作人员审核")
    plan.status, plan.approved_by, plan.approved_at = PlanStatus.APPROVED, actor, timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    _audit(actor, "supervision.plan_approve", plan, plan.street_id or "", {"plan_name": plan.name})
    return plan
