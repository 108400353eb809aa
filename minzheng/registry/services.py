"""Writes to the population registry. Each service validates first, runs in
one transaction and appends an audit entry (docs/architecture.md, "Conventions").

Messages in ``ValidationError`` are Chinese sentences meant for staff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, decrypt, encrypt, mask_id_number, mask_phone
from minzheng.core.scope import require_scope_covers

# ID-number checks are part of the registry's public interface (ADR 0009).
from minzheng.registry.id_numbers import InvalidIdNumber as InvalidIdNumber
from minzheng.registry.id_numbers import parse_id_number as parse_id_number
from minzheng.registry.id_numbers import with_check_character as with_check_character
from minzheng.registry.models import (
    CareAssessmentSource,
    CareNeedsAssessment,
    DisabilityCertificate,
    Employment,
    FactOrigin,
    Household,
    HouseholdAssetFact,
    HouseholdMembership,
    MaritalStatus,
    MaritalStatusRecord,
    Person,
    PersonIncomeFact,
    PersonMerge,
    Relation,
    ResidenceChange,
    declared_income,
)
from minzheng.registry.person_validation import disability_validate, person_validate, problems_error
from minzheng.registry.pinyin import name_keys as name_keys  # also offered to the demo generator

# Port (docs/architecture.md, "Ports"): apps above the registry that must act on a
# recorded death (the marriage office marks the surviving spouse widowed) register a
# callable ``(actor, person, death_date)``; it runs inside the death's transaction.
_DEATH_LISTENERS: list[Any] = []


def death_listener_register(listener: Any) -> None:
    """Register ``listener(actor=…, person=…, death_date=…)``, called after every
    recorded death in the same transaction (``AppConfig.ready``; once per listener)."""
    if listener not in _DEATH_LISTENERS:
        _DEATH_LISTENERS.append(listener)


def _death_recorded(actor: Any, person: Person, death_date: dt.date) -> None:
    for listener in _DEATH_LISTENERS:
        listener(actor=actor, person=person, death_date=death_date)


PERSON_FLAG_FIELDS = (
    "able_to_work", "unemployment_insurance", "unemployment_subsidy", "youfu", "orphan", "unsupported_child",
    "in_institution", "has_able_supporter",
)
PERSON_EDITABLE_FIELDS = ("name", "hukou_shanghai", "employment", *PERSON_FLAG_FIELDS)


def committee_by_code(code: str) -> Division:
    committee = Division.objects.filter(code=code, level=DivisionLevel.COMMITTEE).first()
    if committee is None:
        raise ValidationError(f"居村委代码 {code} 不存在")
    return committee


def duplicate_refusal_message(existing: Person) -> str:
    return (
        f"身份证号码 {existing.id_number_masked} 已登记为“{existing.name}”（人员编号 {existing.pk}），"
        "同一身份证号码不能重复登记"
    )


@transaction.atomic
def person_create(
    *,
    actor: User,
    name: str,
    id_number: str,
    committee_code: str,
    phone: str = "",
    hukou_shanghai: bool = True,
    hukou_street_code: str | None = None,
    employment: str = Employment.NOT_IN_LABOUR,
    monthly_income_fen: int = 0,
    pension_fen: int = 0,
    **flags: bool,
) -> Person:
    """Register a person. One person per ID number: a second record is refused.

    The facts are checked by ``person_validate``, the import's own check.
    The declared monthly income and pension become the person's first income
    fact (``declared``, holding from birth: registration carries no start
    date; later changes are new dated facts). An employed person's income is
    earned income, anyone else's other income (docs/adr/0011)."""
    require(actor, "registry.write")
    facts, problems = person_validate(
        name=name, id_number=id_number, committee_code=committee_code, phone=phone, hukou_shanghai=hukou_shanghai,
        hukou_street_code=hukou_street_code, employment=employment, monthly_income=monthly_income_fen,
        pension=pension_fen)
    if facts is None:
        raise problems_error(problems)
    committee = facts.committee
    require_scope_covers(actor, street_code=committee.street_code, committee_code=committee.code)
    index = blind_index(facts.id_number)
    existing = Person.objects.filter(id_number_index=index).first()
    if existing is not None:
        raise ValidationError(duplicate_refusal_message(existing))
    unknown = set(flags) - set(PERSON_FLAG_FIELDS)
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
    pinyin_full, initials = name_keys(facts.name)
    person = Person(
        name=facts.name, name_pinyin=pinyin_full, name_initials=initials,
        id_number_enc=encrypt(facts.id_number), id_number_index=index,
        id_number_masked=mask_id_number(facts.id_number), birth_date=facts.birth_date, sex=facts.sex,
        phone_enc=encrypt(facts.phone), hukou_shanghai=facts.hukou_shanghai,
        hukou_street_id=facts.hukou_street_code, street_id=committee.street_code, committee=committee,
        employment=facts.employment, **flags,
    )
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as err:  # a concurrent insert of the same number
        raise ValidationError(f"身份证号码 {person.id_number_masked} 已登记，不能重复登记") from err
    PersonIncomeFact.objects.create(
        person=person, valid_from=person.birth_date, **declared_income(facts.employment, facts.monthly_income_fen),
        pension_fen=facts.pension_fen, origin=FactOrigin.DECLARED, evidence_label="登记时申报", recorded_by=actor.username)
    audit_record(
        actor=actor, action="person.create", object_type="Person", object_id=person.pk,
        scope_code=committee.code,
        changes={"name": facts.name, "id_number": person.id_number_masked, "committee": committee.code,
                 "phone": mask_phone(phone) if phone else ""},
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, **changes: Any) -> Person:
    """Change a person's editable facts; the audit entry lists old → new."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    unknown = set(changes) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"这些字段不能在此修改：{', '.join(sorted(unknown))}")
    diff: dict[str, list[Any]] = {}
    for field, value in changes.items():
        old = getattr(person, field)
        if old != value:
            diff[field] = [old, value]
            setattr(person, field, value)
    if "name" in diff:
        person.name_pinyin, person.name_initials = name_keys(person.name)
    if diff:
        person.full_clean(exclude=["hukou_street", "merged_into"])
        person.save()
        audit_record(actor=actor, action="person.update", object_type="Person", object_id=person.pk,
                     scope_code=person.committee_id, changes=diff)
    return person


@transaction.atomic
def person_reveal_id_number(*, actor: User, person: Person, purpose: str = "") -> str:
    """Return the full ID number; the viewing itself is audited."""
    require(actor, "registry.reveal_id_number")
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    audit_record(actor=actor, action="person.reveal_id_number", object_type="Person", object_id=person.pk,
                 scope_code=person.committee_id, changes={"id_number": person.id_number_masked, "purpose": purpose})
    return decrypt(person.id_number_enc)


@transaction.atomic
def person_record_death(*, actor: User, person: Person, death_date: dt.date) -> Person:
    """Record a death: the person leaves their household on that date."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    if not person.alive:
        raise ValidationError(f"{person.name} 已于 {person.death_date} 登记死亡")
    if death_date > dt.date.today() or death_date < person.birth_date:
        raise ValidationError("死亡日期不能晚于今天或早于出生日期")
    person.alive = False
    person.death_date = death_date
    person.save(update_fields=["alive", "death_date", "updated_at"])
    HouseholdMembership.objects.filter(person=person, end_date__isnull=True).update(
        end_date=death_date, end_reason="死亡"
    )
    audit_record(actor=actor, action="person.record_death", object_type="Person", object_id=person.pk,
                 scope_code=person.committee_id, changes={"death_date": death_date})
    _death_recorded(actor, person, death_date)
    return person


@transaction.atomic
def disability_certificate_add(
    *, actor: User, person: Person, grade: int, kind: str, valid_from: dt.date,
    valid_to: dt.date | None = None, number: str = "",
) -> DisabilityCertificate:
    """Record a disability certificate (grade 1-4, kind from the seven kinds)."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    _, problems = disability_validate(grade=grade, kind=kind, valid_from=valid_from, valid_to=valid_to)
    if problems:
        raise problems_error(problems)
    cert = DisabilityCertificate.objects.create(
        person=person, grade=grade, kind=kind, valid_from=valid_from, valid_to=valid_to, number=number
    )
    audit_record(actor=actor, action="disability.add", object_type="Person", object_id=person.pk,
                 scope_code=person.committee_id,
                 changes={"grade": grade, "kind": kind, "valid_from": valid_from, "valid_to": valid_to})
    return cert


CARE_ASSESSOR_MAX = 100


@transaction.atomic
def care_assessment_record(
    *, actor: User, person: Person, level: int, assessed_on: dt.date, assessor_org: str,
    source: str = CareAssessmentSource.ENTERED,
) -> CareNeedsAssessment:
    """Record a care-needs assessment (老年照护统一需求评估, 照护等级 1-6) as a new
    row; earlier assessments stay as history and the latest on or before a
    day is the one in force (REFERENCE §10, docs/adr/0031-elderly-care-subsidy.md).
    Scoped to the person's committee; audited."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 6:
        raise ValidationError("照护等级应为 1 至 6 级")
    if not isinstance(assessed_on, dt.date):
        raise ValidationError("请填写评估日期")
    day_check(assessed_on, "评估日期", latest=timezone.localdate())
    if assessed_on < person.birth_date:
        raise ValidationError("评估日期不能早于出生日期")
    if person.merged_into_id is not None:
        raise ValidationError("该记录已合并到另一人员，请在保留的记录上登记")
    assessor_org = (assessor_org or "").strip()
    if not assessor_org:
        raise ValidationError("请填写评估机构")
    if len(assessor_org) > CARE_ASSESSOR_MAX:
        raise ValidationError(f"评估机构名称不能超过{CARE_ASSESSOR_MAX}个字")
    if source not in CareAssessmentSource.values:
        raise ValidationError(f"来源“{source}”无效")
    assessment = CareNeedsAssessment.objects.create(
        person=person, level=level, assessed_on=assessed_on, assessor_org=assessor_org, source=source,
        recorded_by=actor.username)
    audit_record(actor=actor, action="person.care_assessment_record", object_type="Person", object_id=person.pk,
                 scope_code=person.committee_id,
                 changes={"assessment": assessment.pk, "level": level, "assessed_on": assessed_on,
                          "assessor_org": assessor_org, "source": source})
    return assessment


def _current_membership(person: Person) -> HouseholdMembership | None:
    return HouseholdMembership.objects.filter(person=person, end_date__isnull=True).select_related("household").first()


def _check_can_join(person: Person) -> None:
    current = _current_membership(person)
    if current is not None:
        raise ValidationError(
            f"{person.name} 目前是家庭 {current.household_id} 的成员，一个人同一时间只能属于一个共同生活家庭，"
            "请先办理迁出"
        )
    if not person.alive:
        raise ValidationError(f"{person.name} 已登记死亡，不能加入家庭")
    if person.merged_into_id is not None:
        raise ValidationError(f"{person.name} 的记录已合并，请使用合并后的记录")


@transaction.atomic
def household_create(
    *, actor: User, head: Person, address: str, committee_code: str | None = None,
    start_date: dt.date | None = None, monetary_assets_fen: int = 0, private_cars: int = 0,
    homes: int = 1, medical_oop_12m_fen: int = 0,
) -> Household:
    """Create a co-resident household with ``head`` as its first member (本人).
    The declared assets become its first asset fact, holding from ``start_date``."""
    require(actor, "registry.write")
    committee = committee_by_code(committee_code) if committee_code else head.committee
    require_scope_covers(actor, street_code=committee.street_code, committee_code=committee.code)
    if not address.strip():
        raise ValidationError("居住地址不能为空")
    if min(monetary_assets_fen, private_cars, homes, medical_oop_12m_fen) < 0:
        raise ValidationError("财产和医疗费用不能为负数")
    _check_can_join(head)
    household = Household.objects.create(
        street_id=committee.street_code, committee=committee, address=address.strip(),
    )
    membership = HouseholdMembership.objects.create(
        household=household, person=head, relation=Relation.HEAD, start_date=start_date or dt.date.today()
    )
    HouseholdAssetFact.objects.create(
        household=household, valid_from=membership.start_date, monetary_assets_fen=monetary_assets_fen,
        securities_fen=0, private_cars=private_cars, homes=homes, medical_oop_12m_fen=medical_oop_12m_fen,
        origin=FactOrigin.DECLARED, evidence_label="登记时申报", recorded_by=actor.username)
    _follow_household(head, committee)
    audit_record(actor=actor, action="household.create", object_type="Household", object_id=household.pk,
                 scope_code=committee.code, changes={"head": head.pk, "address": household.address})
    return household


def _follow_household(person: Person, committee: Division) -> None:
    if person.committee_id != committee.code:
        person.committee = committee
        person.street_id = committee.street_code
        person.save(update_fields=["committee", "street", "updated_at"])


@transaction.atomic
def household_add_member(
    *, actor: User, household: Household, person: Person, relation: str, start_date: dt.date | None = None
) -> HouseholdMembership:
    """Add a person to a household. A person belongs to at most one at a time."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=household.street_id, committee_code=household.committee_id)
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    if relation not in Relation.values or relation == Relation.HEAD:
        raise ValidationError(f"与户主关系“{relation}”无效")
    if household.archived:
        raise ValidationError("该家庭已撤销")
    _check_can_join(person)
    try:
        with transaction.atomic():
            membership = HouseholdMembership.objects.create(
                household=household, person=person, relation=relation, start_date=start_date or dt.date.today()
            )
    except IntegrityError as err:
        raise ValidationError(f"{person.name} 已是另一家庭的成员") from err
    _follow_household(person, household.committee)
    audit_record(actor=actor, action="household.add_member", object_type="Household", object_id=household.pk,
                 scope_code=household.committee_id,
                 changes={"person": person.pk, "id_number": person.id_number_masked, "relation": relation})
    return membership


@transaction.atomic
def household_remove_member(
    *, actor: User, household: Household, person: Person, end_date: dt.date | None = None, reason: str = "迁出"
) -> HouseholdMembership:
    """End a membership (kept as history). The head cannot leave while others stay."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=household.street_id, committee_code=household.committee_id)
    membership = HouseholdMembership.objects.filter(household=household, person=person, end_date__isnull=True).first()
    if membership is None:
        raise ValidationError(f"{person.name} 不是该家庭的现有成员")
    others = HouseholdMembership.objects.filter(household=household, end_date__isnull=True).exclude(person=person)
    if membership.relation == Relation.HEAD and others.exists():
        raise ValidationError("户主不能在其他成员仍在时迁出，请先变更户主")
    membership.end_date = end_date or dt.date.today()
    if membership.end_date < membership.start_date:
        raise ValidationError("离开日期不能早于加入日期")
    membership.end_reason = reason
    membership.save(update_fields=["end_date", "end_reason"])
    audit_record(actor=actor, action="household.remove_member", object_type="Household", object_id=household.pk,
                 scope_code=household.committee_id, changes={"person": person.pk, "reason": reason})
    return membership


@transaction.atomic
def household_move(
    *, actor: User, household: Household, to_committee_code: str, to_address: str,
    moved_on: dt.date | None = None, reason: str = "",
) -> ResidenceChange:
    """Move a household to a new address/committee; the old one stays in history."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=household.street_id, committee_code=household.committee_id)
    target = committee_by_code(to_committee_code)
    if not to_address.strip():
        raise ValidationError("新地址不能为空")
    change = ResidenceChange.objects.create(
        household=household, moved_on=moved_on or dt.date.today(), from_committee_id=household.committee_id,
        to_committee=target, from_address=household.address, to_address=to_address.strip(), reason=reason,
    )
    household.committee = target
    household.street_id = target.street_code
    household.address = to_address.strip()
    household.save(update_fields=["committee", "street", "address", "updated_at"])
    Person.objects.filter(memberships__household=household, memberships__end_date__isnull=True).update(
        committee=target, street_id=target.street_code
    )
    audit_record(actor=actor, action="household.move", object_type="Household", object_id=household.pk,
                 scope_code=change.from_committee_id,
                 changes={"from": change.from_committee_id, "to": target.code, "reason": reason})
    return change


def _person_state(person: Person) -> dict:
    """What the audit keeps of a record at a merge: enough to see why, nothing
    more (the ID number masked)."""
    current = HouseholdMembership.objects.filter(person=person, end_date__isnull=True).first()
    return {"id": person.pk, "name": person.name, "birth_date": person.birth_date,
            "id_number": person.id_number_masked, "committee": person.committee_id,
            "household": current.household_id if current else None, "alive": person.alive}


MERGE_REASON_MIN = 10


@transaction.atomic
def person_merge(*, actor: User, keep: Person, duplicate: Person, reason: str = "") -> Person:
    """Merge a duplicate record into ``keep`` (bureau and street staff only,
    ``registry.merge``). The two must match on the evidence shown — the same
    name and birth date — or the merge must give a documented reason (at
    least ten characters, e.g. the certificate that proves it). Certificates
    move over; the duplicate leaves its household and points to ``keep``;
    nothing is deleted, what moved is recorded (``PersonMerge``) so that
    ``person_unmerge`` can undo it, and the audit entry keeps both records' state."""
    require(actor, "registry.merge")
    for person in (keep, duplicate):
        require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    if keep.pk == duplicate.pk:
        raise ValidationError("不能把记录合并到自身")
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise ValidationError("已合并的记录不能再次合并")
    reason = (reason or "").strip()
    same = keep.name == duplicate.name and keep.birth_date == duplicate.birth_date
    if not same and len(reason) < MERGE_REASON_MIN:
        raise ValidationError(
            f"两条记录的姓名或出生日期不一致（{keep.name} {keep.birth_date}；{duplicate.name} {duplicate.birth_date}），"
            f"请填写合并依据（不少于{MERGE_REASON_MIN}个字，如据以认定为同一人的证件）")
    before = {"keep": _person_state(keep), "duplicate": _person_state(duplicate)}
    certificate_ids = list(DisabilityCertificate.objects.filter(person=duplicate).values_list("pk", flat=True))
    DisabilityCertificate.objects.filter(pk__in=certificate_ids).update(person=keep)
    membership_ids = list(HouseholdMembership.objects.filter(person=duplicate, end_date__isnull=True)
                          .values_list("pk", flat=True))
    HouseholdMembership.objects.filter(pk__in=membership_ids).update(end_date=dt.date.today(),
                                                                     end_reason="重复记录合并")
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge = PersonMerge.objects.create(keep=keep, duplicate=duplicate, reason=reason,
                                       certificate_ids=certificate_ids, membership_ids=membership_ids,
                                       merged_by=actor.username)
    audit_record(actor=actor, action="person.merge", object_type="Person", object_id=keep.pk,
                 scope_code=keep.committee_id,
                 changes={"merge": merge.pk, "duplicate": duplicate.pk, "duplicate_id_number": duplicate.id_number_masked,
                          "certificates_moved": len(certificate_ids), "memberships_ended": len(membership_ids),
                          "same_name_and_birth_date": same, "reason": reason, "before": before})
    return keep


@transaction.atomic
def person_unmerge(*, actor: User, merge: PersonMerge, reason: str) -> Person:
    """Undo a merge: the duplicate record is a person again, its certificates
    go back and the household memberships the merge ended are current again
    (unless the person has joined another household since)."""
    require(actor, "registry.merge")
    for person in (merge.keep, merge.duplicate):
        require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError("该合并已撤销")
    if not (reason or "").strip():
        raise ValidationError("请填写撤销原因")
    duplicate = Person.objects.select_for_update().get(pk=merge.duplicate_id)
    DisabilityCertificate.objects.filter(pk__in=merge.certificate_ids, person_id=merge.keep_id).update(
        person=duplicate)
    reopened = 0
    if not HouseholdMembership.objects.filter(person=duplicate, end_date__isnull=True).exists():
        reopened = HouseholdMembership.objects.filter(pk__in=merge.membership_ids, end_reason="重复记录合并").update(
            end_date=None, end_reason="")
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge.undone_by, merge.undone_at, merge.undo_reason = actor.username, timezone.now(), reason.strip()[:200]
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    audit_record(actor=actor, action="person.unmerge", object_type="Person", object_id=duplicate.pk,
                 scope_code=duplicate.committee_id,
                 changes={"merge": merge.pk, "keep": merge.keep_id, "certificates_returned": len(merge.certificate_ids),
                          "memberships_reopened": reopened, "reason": reason.strip(),
                          "after": {"keep": _person_state(merge.keep), "duplicate": _person_state(duplicate)}})
    return duplicate


@transaction.atomic
def person_record_death_from_source(
    *, actor: User, person: Person, death_date: dt.date, source: str, source_name: str,
    file_name: str, file_sha256: str, record_id: int,
) -> bool:
    """Record a death reported by department data (public security hukou
    cancellation, the bureau's cremation records): the person leaves their
    household on that date, like ``person_record_death``, and the audit entry
    names the data source as provenance.

    Department data covers the whole district, so this is a bureau action
    (no street scope check). A person already recorded dead is left as is and
    ``False`` is returned; the first recorded death date stands.
    """
    require(actor, "registry.write")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.alive:
        return False
    if death_date < person.birth_date:
        raise ValidationError(f"死亡日期 {death_date} 早于出生日期，未登记死亡")
    person.alive = False
    person.death_date = death_date
    person.save(update_fields=["alive", "death_date", "updated_at"])
    HouseholdMembership.objects.filter(person=person, end_date__isnull=True).update(
        end_date=death_date, end_reason="死亡"
    )
    audit_record(actor=actor, action="person.record_death", object_type="Person", object_id=person.pk,
                 scope_code=person.committee_id,
                 changes={"death_date": death_date, "source": source, "source_name": source_name,
                          "file": file_name, "file_sha256": file_sha256, "record": record_id})
    _death_recorded(actor, person, death_date)
    return True


# ---------------------------------------------------------------------------
# Marital status (婚姻状况): a dated history written by the marriage registry office


@transaction.atomic
def person_marital_status_record(
    *, actor: User | str, person: Person, status: str, since: dt.date, source: str, reference: str = "",
) -> MaritalStatusRecord:
    """Record that ``person``'s marital status is ``status`` from ``since``, on the
    basis named by ``source`` (a Chinese sentence such as 结婚登记（证书 J310117-2026-000001）).
    A new row: the history is kept. The marriage office calls it inside its own
    registration, divorce and widowing transactions (any district office may
    register a resident of any street, so no street scope check)."""
    require(actor, "registry.marital_status", allow_job=True)
    if status not in MaritalStatus.values:
        raise ValidationError(f"未知的婚姻状况：{str(status)[:20]}")
    if not source.strip():
        raise ValidationError("请写明婚姻状况变化的依据")
    if since < person.birth_date:
        raise ValidationError(f"婚姻状况起始日期 {since} 早于出生日期")
    record = MaritalStatusRecord.objects.create(
        person=person, status=status, since=since, source=source.strip()[:100], reference=reference[:40],
        recorded_by=actor if isinstance(actor, str) else actor.username)
    audit_record(actor=actor, action="person.marital_status_record", object_type="Person", object_id=person.pk,
                 scope_code=person.committee_id,
                 changes={"marital_status": status, "valid_from": since, "source": record.source})
    return record


# ---------------------------------------------------------------------------
# Dated economic facts (docs/adr/0011-economic-facts.md)


def _checked_fen(label: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label}应为以分计的整数")
    if value < 0:
        raise ValidationError(f"{label}不能为负数")
    if value > 10**15:
        raise ValidationError(f"{label}超出合理范围")
    return value


def _check_origin(origin: str, evidence_kind: str, evidence_id: str) -> None:
    if origin not in FactOrigin.values:
        raise ValidationError(f"来源“{origin}”无效")
    if origin != FactOrigin.DECLARED and not (evidence_kind and evidence_id):
        raise ValidationError("经核对认定或来自部门数据的收入、财产必须注明依据记录")


@transaction.atomic
def person_income_record(
    *, actor: User, person: Person, valid_from: dt.date, earned_fen: int, pension_fen: int, other_fen: int,
    origin: str = FactOrigin.DECLARED, evidence_kind: str = "", evidence_id: str = "", evidence_label: str = "",
) -> PersonIncomeFact:
    """Record a person's monthly income by kind from ``valid_from`` (a new
    row; earlier facts stay as history). Declared facts need no evidence;
    verified and feed-derived ones name the record they rest on."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    _check_origin(origin, evidence_kind, evidence_id)
    if valid_from < person.birth_date:
        raise ValidationError("收入的起始日期不能早于出生日期")
    fact = PersonIncomeFact.objects.create(
        person=person, valid_from=valid_from, earned_fen=_checked_fen("劳动收入", earned_fen),
        pension_fen=_checked_fen("养老金", pension_fen), other_fen=_checked_fen("其他收入", other_fen),
        origin=origin, evidence_kind=evidence_kind, evidence_id=str(evidence_id)[:64],
        evidence_label=evidence_label[:200], recorded_by=actor.username)
    audit_record(actor=actor, action="person.income_record", object_type="Person", object_id=person.pk,
                 scope_code=person.committee_id,
                 changes={"fact": fact.pk, "valid_from": valid_from, "earned_fen": earned_fen,
                          "pension_fen": pension_fen, "other_fen": other_fen, "origin": origin,
                          "evidence": (evidence_label or f"{evidence_kind}:{evidence_id}") if evidence_kind else ""})
    return fact


@transaction.atomic
def household_assets_record(
    *, actor: User, household: Household, valid_from: dt.date, monetary_assets_fen: int, private_cars: int,
    homes: int, medical_oop_12m_fen: int, securities_fen: int = 0, origin: str = FactOrigin.DECLARED,
    evidence_kind: str = "", evidence_id: str = "", evidence_label: str = "",
) -> HouseholdAssetFact:
    """Record a household's assets from ``valid_from`` (a new row, history kept)."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=household.street_id, committee_code=household.committee_id)
    _check_origin(origin, evidence_kind, evidence_id)
    for label, count in (("机动车辆", private_cars), ("住房套数", homes)):
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 999:
            raise ValidationError(f"{label}应为0至999的整数")
    fact = HouseholdAssetFact.objects.create(
        household=household, valid_from=valid_from,
        monetary_assets_fen=_checked_fen("货币财产", monetary_assets_fen),
        securities_fen=_checked_fen("证券", securities_fen), private_cars=private_cars, homes=homes,
        medical_oop_12m_fen=_checked_fen("医疗自负费用", medical_oop_12m_fen), origin=origin,
        evidence_kind=evidence_kind, evidence_id=str(evidence_id)[:64], evidence_label=evidence_label[:200],
        recorded_by=actor.username)
    audit_record(actor=actor, action="household.assets_record", object_type="Household", object_id=household.pk,
                 scope_code=household.committee_id,
                 changes={"fact": fact.pk, "valid_from": valid_from, "monetary_assets_fen": monetary_assets_fen,
                          "securities_fen": securities_fen, "private_cars": private_cars, "homes": homes,
                          "medical_oop_12m_fen": medical_oop_12m_fen, "origin": origin,
                          "evidence": (evidence_label or f"{evidence_kind}:{evidence_id}") if evidence_kind else ""})
    return fact


@transaction.atomic
def household_declaration_record(
    *, actor: User, household: Household, valid_from: dt.date, incomes: dict[int, dict[str, int]],
    monetary_assets_fen: int, securities_fen: int, private_cars: int, homes: int, medical_oop_12m_fen: int,
    evidence_label: str,
) -> None:
    """A household's own declaration of its members' income and its assets
    (at intake, or when it reports a change) — every current member's income
    and the household's assets in one transaction, holding from
    ``valid_from``. ``incomes`` maps each current member's id to
    ``earned_fen``/``pension_fen``/``other_fen``; a member left out is an
    error, not a zero. A verification later confirms or corrects it."""
    require(actor, "registry.write")
    require_scope_covers(actor, street_code=household.street_id, committee_code=household.committee_id)
    members = {m.person_id: m.person for m in
               HouseholdMembership.objects.filter(household=household, end_date__isnull=True).select_related("person")}
    if not members:
        raise ValidationError("该家庭没有现有成员")
    missing = [p.name for pk, p in members.items() if pk not in incomes]
    if missing:
        raise ValidationError(f"请填写每位成员的收入（可填0）：{'、'.join(missing)}")
    if set(incomes) - set(members):
        raise ValidationError("只能申报该家庭现有成员的收入")
    if valid_from > dt.date.today():
        raise ValidationError("申报的起始日期不能晚于今天")
    day_check(valid_from, "申报的起始日期", latest=None)
    label = evidence_label.strip()[:200] or "家庭申报"
    for pk, parts in incomes.items():
        person_income_record(actor=actor, person=members[pk], valid_from=valid_from, evidence_label=label, **parts)
    household_assets_record(actor=actor, household=household, valid_from=valid_from,
                            monetary_assets_fen=monetary_assets_fen, securities_fen=securities_fen,
                            private_cars=private_cars, homes=homes, medical_oop_12m_fen=medical_oop_12m_fen,
                            evidence_label=label)
