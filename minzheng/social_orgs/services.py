"""Every write of the social-organization register (ADR 0039): the permission
(``social_orgs.manage``), validation first, one transaction, one audit entry.
Business refusals are ``ValidationError`` with a Chinese sentence.

* :func:`organization_register` — a new organization (its registration is the
  first line of its history; 党建三同步: the party-building situation at
  registration is recorded when given);
* :func:`organization_update` — changed fields, each a dated history line
  (old → new) with its reason;
* :func:`organization_status_set` — 撤销 / 注销 / 吊销 (or back to 正常 after a
  court or review decision), dated, with the reason;
* :func:`party_check_record` — 党建三同步 at registration, inspection, evaluation;
* :func:`account_link` / :func:`account_unlink` — an organization's account.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check, text_check
from minzheng.core.credit_codes import uscc_check
from minzheng.core.models import Division, DivisionLevel, Role, User
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
from minzheng.registry.services import InvalidIdNumber, parse_id_number
from minzheng.social_orgs import matter_rules
from minzheng.social_orgs.models import (
    CHANGE_FIELD_LABELS,
    Organization,
    OrganizationAccount,
    OrganizationChange,
    OrgKind,
    OrgStatus,
    PartyBuildingCheck,
    PartyStage,
    PartyStatus,
)
from policy.money import format_fen

ACTOR = User | str
# public: the documents each registration matter needs (matter_rules; the demo's matters use it)
REQUIRED_DOCUMENTS = matter_rules.REQUIRED_DOCUMENTS
EARLIEST_REGISTRATION = dt.date(1949, 10, 1)
MAX_CAPITAL_FEN = 10**15  # 10 trillion yuan: above any real fund, below BIGINT

# the register's fields a registration or a change may set → their Chinese names (history, messages)
FIELD_LABELS = {k: v for k, v in CHANGE_FIELD_LABELS.items() if k not in ("registration", "status")}


def _actor_name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _text(values: dict[str, Any], field: str, limit: int, *, required: bool) -> None:
    value = str(values.get(field) or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{FIELD_LABELS[field]}")
    values[field] = text_check(value, FIELD_LABELS[field], limit)


def _committee(value: Any) -> Division | None:
    if value in (None, ""):
        return None
    if isinstance(value, Division):
        committee = value
    else:
        committee = Division.objects.filter(code=str(value), level=DivisionLevel.COMMITTEE).first()
    if committee is None or committee.level != DivisionLevel.COMMITTEE:
        raise ValidationError("所在居村委应为本区的一个居委会或村委会")
    return committee


def _check(values: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Shape rules shared by registration, change and import; returns the model's values."""
    for field, limit, required in (("name", 100, True), ("legal_rep_name", 64, True), ("supervisor", 100, True),
                                   ("address", 200, True), ("business_scope", 2000, True)):
        _text(values, field, limit, required=required)
    if values.get("kind") not in OrgKind.values:
        raise ValidationError("类型无效，应为：" + "、".join(OrgKind.labels))
    values["uscc"] = uscc_check(values.get("uscc", ""))
    capital = values.get("registered_capital_fen")
    if capital is not None and not 0 <= capital <= MAX_CAPITAL_FEN:
        raise ValidationError("注册资金应为0至10万亿元之间的金额")
    day = values.get("registered_on")
    if not isinstance(day, dt.date):
        raise ValidationError("请填写成立登记日期")
    day_check(day, "成立登记日期", earliest=EARLIEST_REGISTRATION, latest=today)
    party = values.get("party_status") or ""
    if party and party not in PartyStatus.values:
        raise ValidationError("党组织建立情况无效，应为：" + "、".join(PartyStatus.labels))
    values["party_status"] = party
    values["community"] = bool(values.get("community"))
    committee = _committee(values.get("committee"))
    values["committee"] = committee
    values["street"] = committee.parent if committee is not None else None
    return values


def _id_facts(id_number: str) -> dict[str, str]:
    """The legal representative's ID number: checked (stdnum.cn.ric through the registry's
    parser), encrypted, blind-indexed, masked. Empty: not recorded."""
    text = str(id_number or "").strip()
    if not text:
        return {"legal_rep_id_enc": "", "legal_rep_id_index": "", "legal_rep_id_masked": ""}
    try:
        number = parse_id_number(text).number
    except InvalidIdNumber as err:
        raise ValidationError(f"法定代表人{err}") from None
    return {"legal_rep_id_enc": encrypt(number), "legal_rep_id_index": blind_index(number),
            "legal_rep_id_masked": mask_id_number(number)}


def _unique(values: dict[str, Any], exclude: int | None = None) -> None:
    others = Organization.objects.exclude(pk=exclude) if exclude else Organization.objects.all()
    if others.filter(uscc=values["uscc"]).exists():
        raise ValidationError(f"统一社会信用代码{values['uscc']}已登记在另一个社会组织名下")
    if others.filter(name=values["name"]).exists():
        raise ValidationError(f"名称“{values['name']}”已被登记")


def _shown(field: str, value: Any) -> str:
    """A value as the history shows it (labels, yuan, codes of places)."""
    if value is None or value == "":
        return ""
    if field == "kind":
        return OrgKind(value).label
    if field == "party_status":
        return PartyStatus(value).label
    if field == "status":
        return OrgStatus(value).label
    if field == "registered_capital_fen":
        return f"{format_fen(value)}元"
    if field == "committee":
        return value.name if isinstance(value, Division) else str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _audit_value(value: Any) -> Any:
    if isinstance(value, Division):
        return value.code
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


MODEL_FIELDS = ("name", "kind", "uscc", "legal_rep_name", "supervisor", "registered_capital_fen", "address",
                "committee", "street", "business_scope", "registered_on", "party_status", "community")


def organization_register(*, actor: ACTOR, today: dt.date, legal_rep_id: str = "", reason: str = "",
                          status: str = OrgStatus.NORMAL, status_on: dt.date | None = None,
                          status_reason: str = "", **values: Any) -> Organization:
    """Register an organization (a registration approved, or an existing one taken over
    from the bureau's register: ``status`` may then be 撤销/注销/吊销 with its date)."""
    require(actor, "social_orgs.manage", allow_job=True)
    values = _check(dict(values), today)
    ids = _id_facts(legal_rep_id)
    if status not in OrgStatus.values:
        raise ValidationError("登记状态无效，应为：" + "、".join(OrgStatus.labels))
    if status != OrgStatus.NORMAL:
        if status_on is None:
            raise ValidationError(f"登记状态为“{OrgStatus(status).label}”时请填写状态变更日期")
        day_check(status_on, "状态变更日期", earliest=values["registered_on"], latest=today)
    with transaction.atomic():
        _unique(values)
        organization = Organization.objects.create(
            **{f: values[f] for f in MODEL_FIELDS}, **ids, status=status,
            status_on=status_on if status != OrgStatus.NORMAL else None,
            status_reason=text_check(str(status_reason or "").strip(), "状态变更原因", 500))
        who = _actor_name(actor)
        OrganizationChange.objects.create(organization=organization, changed_on=organization.registered_on,
                                          field="registration", new_value=organization.name,
                                          reason=text_check(str(reason or "").strip(), "依据或原因", 500)
                                          or "成立登记", recorded_by=who)
        if status != OrgStatus.NORMAL:
            OrganizationChange.objects.create(organization=organization, changed_on=status_on, field="status",
                                              old_value=OrgStatus.NORMAL.label, new_value=OrgStatus(status).label,
                                              reason=organization.status_reason, recorded_by=who)
        if organization.party_status:
            PartyBuildingCheck.objects.create(organization=organization, stage=PartyStage.REGISTRATION,
                                              checked_on=organization.registered_on,
                                              party_status=organization.party_status, note="登记时")
        audit_record(actor=actor, action="social_orgs.register", object_type="Organization",
                     object_id=organization.pk,
                     changes={"org_name": organization.name, "org_kind": organization.kind,
                              "uscc": organization.uscc, "org_status": organization.status,
                              "legal_rep_id": organization.legal_rep_id_masked})
    return organization


def organization_update(*, actor: ACTOR, organization: Organization, changed_on: dt.date, reason: str,
                        today: dt.date, legal_rep_id: str | None = None, **values: Any) -> list[OrganizationChange]:
    """Change registered facts; each changed field is one dated history line. ``legal_rep_id``
    None or empty keeps the recorded number (it is never shown in full to compare)."""
    require(actor, "social_orgs.manage", allow_job=True)
    reason = text_check(str(reason or "").strip(), "依据或原因", 500)
    if not reason:
        raise ValidationError("请填写变更的依据或原因（如变更登记的核准文号）")
    day_check(changed_on, "变更日期", earliest=organization.registered_on, latest=today)
    current = {f: getattr(organization, f) for f in MODEL_FIELDS}
    merged = _check({**current, **values}, today)
    ids = _id_facts(legal_rep_id) if legal_rep_id else None
    who = _actor_name(actor)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        _unique(merged, exclude=locked.pk)
        lines: list[OrganizationChange] = []
        changed: dict[str, list[Any]] = {}
        for field in MODEL_FIELDS:
            if field == "street":
                continue
            old, new = getattr(locked, field), merged[field]
            if old != new:
                lines.append(OrganizationChange(organization=locked, changed_on=changed_on, field=field,
                                                old_value=_shown(field, old), new_value=_shown(field, new),
                                                reason=reason, recorded_by=who))
                changed[field] = [_audit_value(old), _audit_value(new)]
                setattr(locked, field, new)
        locked.street = merged["street"]
        if ids is not None and ids["legal_rep_id_index"] != locked.legal_rep_id_index:
            lines.append(OrganizationChange(organization=locked, changed_on=changed_on, field="legal_rep_id",
                                            old_value=locked.legal_rep_id_masked,
                                            new_value=ids["legal_rep_id_masked"], reason=reason, recorded_by=who))
            changed["legal_rep_id"] = [locked.legal_rep_id_masked, ids["legal_rep_id_masked"]]
            for key, value in ids.items():
                setattr(locked, key, value)
        if not lines:
            raise ValidationError("没有改动任何登记事项")
        locked.save()
        OrganizationChange.objects.bulk_create(lines)
        audit_record(actor=actor, action="social_orgs.update", object_type="Organization", object_id=locked.pk,
                     changes={**{("org_name" if k == "name" else "org_kind" if k == "kind" else k): v
                                 for k, v in changed.items()}, "reason": reason})
    organization.refresh_from_db()
    return lines


def organization_status_set(*, actor: ACTOR, organization: Organization, status: str, on: dt.date, reason: str,
                            today: dt.date) -> Organization:
    """撤销 / 注销 / 吊销 (dated, with the reason); back to 正常 only with a reason (a review
    or court decision that set the revocation aside)."""
    require(actor, "social_orgs.manage", allow_job=True)
    if status not in OrgStatus.values:
        raise ValidationError("登记状态无效，应为：" + "、".join(OrgStatus.labels))
    reason = text_check(str(reason or "").strip(), "状态变更原因", 500)
    if not reason:
        raise ValidationError("请填写状态变更原因（如注销登记的清算报告、撤销登记的决定文号）")
    day_check(on, "状态变更日期", earliest=organization.registered_on, latest=today)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.status == status:
            raise ValidationError(f"该社会组织已是“{OrgStatus(status).label}”状态")
        if locked.status_on and on < locked.status_on:
            raise ValidationError(f"状态变更日期不能早于上一次状态变更（{locked.status_on:%Y-%m-%d}）")
        old = locked.status
        locked.status, locked.status_on, locked.status_reason = status, on, reason
        locked.save(update_fields=["status", "status_on", "status_reason", "updated_at"])
        OrganizationChange.objects.create(organization=locked, changed_on=on, field="status",
                                          old_value=OrgStatus(old).label, new_value=OrgStatus(status).label,
                                          reason=reason, recorded_by=_actor_name(actor))
        audit_record(actor=actor, action="social_orgs.status_set", object_type="Organization", object_id=locked.pk,
                     changes={"org_status": [old, status], "status_on": on.isoformat(), "reason": reason})
    organization.refresh_from_db()
    return organization


def party_check_record(*, actor: ACTOR, organization: Organization, stage: str, checked_on: dt.date,
                       party_status: str, note: str = "", today: dt.date) -> PartyBuildingCheck:
    """党建三同步: the party-building situation found at a stage; it also becomes the
    register's current 党组织建立情况 (a history line when it changed)."""
    require(actor, "social_orgs.manage", allow_job=True)
    if stage not in PartyStage.values:
        raise ValidationError("环节无效，应为登记、年检或评估")
    if party_status not in PartyStatus.values:
        raise ValidationError("党组织建立情况无效，应为：" + "、".join(PartyStatus.labels))
    day_check(checked_on, "日期", earliest=organization.registered_on, latest=today)
    note = text_check(str(note or "").strip(), "说明", 500)
    with transaction.atomic():
        check = PartyBuildingCheck.objects.create(organization=organization, stage=stage, checked_on=checked_on,
                                                  party_status=party_status, note=note)
        if organization.party_status != party_status:
            OrganizationChange.objects.create(
                organization=organization, changed_on=checked_on, field="party_status",
                old_value=_shown("party_status", organization.party_status),
                new_value=PartyStatus(party_status).label,
                reason=f"党建三同步（{PartyStage(stage).label}）", recorded_by=_actor_name(actor))
            Organization.objects.filter(pk=organization.pk).update(party_status=party_status)
            organization.party_status = party_status
        audit_record(actor=actor, action="social_orgs.party_check", object_type="Organization",
                     object_id=organization.pk, changes={"party_stage": stage, "party_status": party_status,
                                                         "checked_on": checked_on.isoformat()})
    return check


def account_link(*, actor: ACTOR, organization: Organization, user: User) -> OrganizationAccount:
    """Link an account of role 社会组织 to its organization (one organization per account)."""
    require(actor, "social_orgs.manage", allow_job=True)
    if user.role != Role.ORGANIZATION:
        raise ValidationError(f"账号{user.username}的角色是“{user.get_role_display()}”，只能关联“社会组织”角色的账号")
    with transaction.atomic():
        existing = OrganizationAccount.objects.select_for_update().filter(user=user).first()
        if existing is not None:
            if existing.organization_id == organization.pk:
                raise ValidationError(f"账号{user.username}已关联本组织")
            raise ValidationError(f"账号{user.username}已关联“{existing.organization.name}”，请先取消关联")
        link = OrganizationAccount.objects.create(user=user, organization=organization)
        audit_record(actor=actor, action="social_orgs.account_link", object_type="Organization",
                     object_id=organization.pk, changes={"username": user.username})
    return link


def account_unlink(*, actor: ACTOR, organization: Organization, user: User) -> None:
    require(actor, "social_orgs.manage", allow_job=True)
    with transaction.atomic():
        deleted, _ = OrganizationAccount.objects.filter(user=user, organization=organization).delete()
        if not deleted:
            raise ValidationError(f"账号{user.username}没有关联本组织")
        audit_record(actor=actor, action="social_orgs.account_unlink", object_type="Organization",
                     object_id=organization.pk, changes={"username": user.username})


# Major-event reports and reminders (ADR 0044): their writes, public here for other apps (the demo).
from minzheng.social_orgs.major_events import event_report, event_review, event_supplement  # noqa: E402
from minzheng.social_orgs.reminders import reminder_send, reminders_send_all  # noqa: E402

__all__ = ["event_report", "event_review", "event_supplement", "reminder_send", "reminders_send_all"]
