"""The registration matters as workflows (ADR 0039): 成立"一件事" (establishment
with the name check and the supervising unit's joint review), 变更登记,
有效期延续, 章程核准 and 注销登记 (with the liquidation report).

申请 (:func:`matter_apply`) → 受理 (:func:`matter_accept`: the kind's documents
complete; the deadline counts working days from here when the kind's time limit
is entered) → 业务主管单位审查 (:func:`matter_review`: the supervising unit's
opinion, recorded by the section — the seed's 联合审核) → 准予 or 不予
(:func:`matter_decide`: approval needs the supervising unit's agreement and
applies the matter to the register; a refusal needs its reasons; both give a
decision letter, :mod:`.letters`). Each step: permission, validation, one
transaction, an audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check, text_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.workdays import add_working_days
from minzheng.social_orgs import selectors, services
from minzheng.social_orgs.matter_rules import LIQUIDATION_REPORT, REQUIRED_DOCUMENTS, name_check
from minzheng.social_orgs.models import (
    Matter,
    MatterKind,
    MatterStatus,
    MatterTimeLimit,
    Organization,
    OrganizationChange,
    OrgStatus,
)

ACTOR = User | str
OPEN = (MatterStatus.SUBMITTED, MatterStatus.ACCEPTED, MatterStatus.REVIEWED)
# the facts an establishment proposes (the code and the registration date come with the approval)
ESTABLISHMENT_FIELDS = ("name", "kind", "legal_rep_name", "supervisor", "registered_capital_fen", "address",
                        "business_scope", "community")
# the facts a change may change (a new name goes through the name check too)
CHANGE_FIELDS = ("name", "legal_rep_name", "supervisor", "registered_capital_fen", "address", "business_scope")


def _who(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _audit(actor: ACTOR, action: str, matter: Matter, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, object_type="Matter", object_id=matter.pk,
                 changes={"matter_kind": matter.kind, **changes})


def time_limit(kind: str) -> MatterTimeLimit | None:
    """The kind's time limit in force (the latest entered), or None: 参数缺失."""
    return MatterTimeLimit.objects.filter(kind=kind).order_by("-entered_at", "-id").first()


def time_limit_enter(*, actor: ACTOR, kind: str, working_days: int, basis: str) -> MatterTimeLimit:
    """Staff enter a kind's time limit with the document it comes from."""
    require(actor, "social_orgs.manage", allow_job=True)
    if kind not in MatterKind.values:
        raise ValidationError("事项无效")
    if not 1 <= int(working_days) <= 250:
        raise ValidationError("办理时限应为1至250个工作日")
    basis = text_check(str(basis or "").strip(), "依据", 300)
    if not basis:
        raise ValidationError("请填写办理时限的依据（文件名称和条款）")
    with transaction.atomic():
        limit = MatterTimeLimit.objects.create(kind=kind, working_days=working_days, basis=basis,
                                               entered_by=_who(actor))
        audit_record(actor=actor, action="social_orgs.time_limit", object_type="MatterTimeLimit", object_id=limit.pk,
                     changes={"matter_kind": kind, "time_limit_days": working_days, "basis": basis})
    return limit


def _clean(proposed: dict[str, Any]) -> dict[str, Any]:
    """Plain values only (the API passes JSON): the capital a whole number of fen, texts as text."""
    out: dict[str, Any] = {}
    for key, value in proposed.items():
        if key == "registered_capital_fen":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValidationError("注册资金应为整数（分）")
            out[key] = value
        elif key == "community":
            out[key] = bool(value)
        elif key in ESTABLISHMENT_FIELDS or key in CHANGE_FIELDS:
            out[key] = "" if value is None else str(value).strip()
    return out


def _proposed(kind: str, organization: Organization | None, proposed: dict[str, Any], today: dt.date) -> dict:
    proposed = _clean(proposed)
    if kind == MatterKind.ESTABLISHMENT:
        values = {f: proposed.get(f) for f in ESTABLISHMENT_FIELDS}
        for f, label in (("name", "名称"), ("legal_rep_name", "拟任法定代表人"), ("supervisor", "业务主管单位"),
                         ("address", "住所"), ("business_scope", "业务范围")):
            values[f] = text_check(str(values.get(f) or "").strip(), label, 2000 if f == "business_scope" else 200)
            if not values[f]:
                raise ValidationError(f"请填写{label}")
        if values.get("kind") not in ("social_group", "service_institution", "foundation"):
            raise ValidationError("类型无效，应为社会团体、社会服务机构或基金会")
        capital = values.get("registered_capital_fen")
        if capital is not None and not 0 <= capital <= services.MAX_CAPITAL_FEN:
            raise ValidationError("注册资金应为0至10万亿元之间的金额")
        values["community"] = bool(values.get("community"))
        return values
    if kind == MatterKind.CHANGE:
        assert organization is not None
        values = {f: proposed[f] for f in CHANGE_FIELDS if f in proposed and proposed[f] not in (None, "")}
        values = {f: v for f, v in values.items() if getattr(organization, f) != v}
        capital = values.get("registered_capital_fen")
        if capital is not None and not 0 <= capital <= services.MAX_CAPITAL_FEN:
            raise ValidationError("注册资金应为0至10万亿元之间的金额")
        if not values:
            raise ValidationError("请填写要变更的登记事项（与现在登记的不同）")
        return values
    return {}


def matter_apply(*, actor: ACTOR, kind: str, applied_on: dt.date, today: dt.date,
                 organization: Organization | None = None, proposed: dict[str, Any] | None = None,
                 documents: list[str] | None = None) -> Matter:
    """Submit a matter. An organization's account applies for its own organization
    (another one is 404); an establishment is submitted at the bureau's window."""
    require(actor, "social_orgs.apply", allow_job=True)
    if kind not in MatterKind.values:
        raise ValidationError("事项无效，应为：" + "、".join(MatterKind.labels))
    day_check(applied_on, "申请日期", latest=today)
    proposed = dict(proposed or {})
    documents = [text_check(str(d).strip(), "材料名称", 100) for d in (documents or []) if str(d).strip()]
    if kind == MatterKind.ESTABLISHMENT:
        if not isinstance(actor, str) and selectors.is_organization_account(actor):
            raise ValidationError("成立登记由登记管理机关窗口受理，社会组织账号只能办理本组织的事项")
        organization = None
    else:
        if organization is None:
            raise ValidationError("请选择社会组织")
        if not isinstance(actor, str):
            organization = selectors.organization_get(actor, organization.pk)
        if organization.status != OrgStatus.NORMAL:
            raise ValidationError(f"该社会组织登记状态为“{organization.get_status_display()}”，不能办理此事项")
    values = _proposed(kind, organization, proposed, today)
    check = None
    if kind == MatterKind.ESTABLISHMENT or "name" in values:
        check = name_check(values["name"], exclude=organization.pk if organization else None)
        if check.refused:
            raise ValidationError("名称未通过审核：" + "；".join(check.problems()))
    with transaction.atomic():
        if organization is not None and Matter.objects.select_for_update().filter(
                organization=organization, kind=kind, status__in=OPEN).exists():
            raise ValidationError(f"该社会组织已有一件办理中的{MatterKind(kind).label}")
        stored = {k: v for k, v in values.items()}
        if check is not None:
            stored["name_check"] = check.as_json()
        matter = Matter.objects.create(kind=kind, organization=organization,
                                       name=values.get("name") or organization.name,  # type: ignore[union-attr]
                                       proposed=stored, documents=documents, applied_on=applied_on,
                                       applicant=_who(actor))
        _audit(actor, "social_orgs.matter_apply", matter, {"org_name": matter.name, "documents": len(documents)})
    return matter


def missing_documents(matter: Matter) -> list[str]:
    return [d for d in REQUIRED_DOCUMENTS[matter.kind] if d not in matter.documents]


def matter_documents_add(*, actor: ACTOR, matter: Matter, documents: list[str]) -> Matter:
    """Record further documents handed in (补正材料) before the decision."""
    require(actor, "social_orgs.apply", allow_job=True)
    if not isinstance(actor, str):
        matter = selectors.matter_get(actor, matter.pk)
    if matter.status not in OPEN:
        raise StateConflict("事项已办结，不能补充材料")
    added = [text_check(str(d).strip(), "材料名称", 100) for d in documents if str(d).strip()]
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        locked.documents = list(dict.fromkeys([*locked.documents, *added]))
        locked.save(update_fields=["documents"])
        _audit(actor, "social_orgs.matter_documents", locked, {"documents": len(locked.documents)})
    return locked


def matter_accept(*, actor: ACTOR, matter: Matter, on: dt.date, today: dt.date) -> Matter:
    """受理: the kind's documents complete; the deadline from the time limit in force."""
    require(actor, "social_orgs.decide", allow_job=True)
    day_check(on, "受理日期", earliest=matter.applied_on, latest=today)
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if locked.status != MatterStatus.SUBMITTED:
            raise StateConflict(f"事项状态为“{locked.get_status_display()}”，不能受理")
        missing = missing_documents(locked)
        if missing:
            raise ValidationError("材料不全，不能受理，缺少：" + "、".join(missing))
        limit = time_limit(locked.kind)
        locked.status, locked.accepted_on = MatterStatus.ACCEPTED, on
        locked.due_on = add_working_days(on, limit.working_days) if limit else None
        locked.save(update_fields=["status", "accepted_on", "due_on"])
        _audit(actor, "social_orgs.matter_accept", locked,
               {"matter_accepted_on": on.isoformat(),
                "matter_due_on": locked.due_on.isoformat() if locked.due_on else None})
    return locked


def matter_review(*, actor: ACTOR, matter: Matter, agrees: bool, opinion: str, on: dt.date,
                  today: dt.date) -> Matter:
    """业务主管单位（行业管理部门）审查: its opinion, recorded with the date."""
    require(actor, "social_orgs.decide", allow_job=True)
    opinion = text_check(str(opinion or "").strip(), "审查意见", 2000)
    if not opinion:
        raise ValidationError("请填写业务主管单位的审查意见")
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if locked.status != MatterStatus.ACCEPTED:
            raise StateConflict(f"事项状态为“{locked.get_status_display()}”，受理后才能登记审查意见")
        day_check(on, "审查日期", earliest=locked.accepted_on or locked.applied_on, latest=today)
        locked.status, locked.reviewed_on = MatterStatus.REVIEWED, on
        locked.review_opinion = ("同意：" if agrees else "不同意：") + opinion
        locked.proposed = {**locked.proposed, "supervisor_agrees": bool(agrees)}
        locked.save(update_fields=["status", "reviewed_on", "review_opinion", "proposed"])
        _audit(actor, "social_orgs.matter_review", locked, {"agrees": bool(agrees), "reviewed_on": on.isoformat()})
    return locked


def matter_decide(*, actor: ACTOR, matter: Matter, approve: bool, reason: str, on: dt.date, today: dt.date,
                  uscc: str = "") -> Matter:
    """准予 (after the supervising unit agreed; the matter applied to the register) or
    不予 (with reasons, at any open step)."""
    require(actor, "social_orgs.decide", allow_job=True)
    reason = text_check(str(reason or "").strip(), "决定理由", 2000)
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if locked.status not in OPEN:
            raise StateConflict("事项已办结")
        day_check(on, "决定日期", earliest=locked.applied_on, latest=today)
        if not approve:
            if not reason:
                raise ValidationError("不予登记（核准）须写明理由")
            locked.status = MatterStatus.REFUSED
        else:
            if locked.status != MatterStatus.REVIEWED:
                raise StateConflict("须先受理并登记业务主管单位的审查意见，才能准予")
            if not locked.proposed.get("supervisor_agrees"):
                raise ValidationError("业务主管单位不同意，不能准予；请作出不予决定并写明理由")
            _apply(actor, locked, on, today, uscc)
            locked.status = MatterStatus.APPROVED
        locked.decided_on, locked.decision_reason, locked.decided_by = on, reason, _who(actor)
        locked.save()
        _audit(actor, "social_orgs.matter_decide", locked,
               {"matter_status": locked.status, "decided_on": on.isoformat(), "reason": reason})
    return locked


def _apply(actor: ACTOR, matter: Matter, on: dt.date, today: dt.date, uscc: str) -> None:
    """An approved matter's effect on the register (inside the decision's transaction)."""
    values = {k: v for k, v in matter.proposed.items() if k not in ("name_check", "supervisor_agrees")}
    label = f"{MatterKind(matter.kind).label}（事项编号{matter.pk}）"
    if matter.kind == MatterKind.ESTABLISHMENT:
        if not str(uscc or "").strip():
            raise ValidationError("准予成立登记须填写赋予的统一社会信用代码")
        matter.organization = services.organization_register(actor=actor, today=today, uscc=uscc, registered_on=on,
                                                             reason=label, **values)
        return
    organization = matter.organization
    assert organization is not None
    if matter.kind == MatterKind.CHANGE:
        services.organization_update(actor=actor, organization=organization, changed_on=on, reason=label,
                                     today=today, **values)
    elif matter.kind == MatterKind.DEREGISTRATION:
        if LIQUIDATION_REPORT not in matter.documents:
            raise ValidationError("注销登记须有清算报告")
        services.organization_status_set(actor=actor, organization=organization, status=OrgStatus.DEREGISTERED,
                                         on=on, reason=f"{label}，清算报告已备案", today=today)
    else:
        OrganizationChange.objects.create(organization=organization, changed_on=on, field=matter.kind,
                                          new_value=MatterKind(matter.kind).label, reason=label,
                                          recorded_by=_who(actor))
