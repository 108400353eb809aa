"""Writes of the funeral subsidies (免申即享: granted from the death record and
the person's status, without application; ADR 0027). Each write is one
transaction with an audit entry; every action is guarded by a permission.

The funeral home's port (stable, ADR 0027):

* :func:`basic_subsidy_assess` — may the deceased have the basic funeral
  service subsidy, why, what is missing, and the cap (None = PARAMETER_MISSING);
* :func:`basic_subsidy_settle` — the subsidy deducted at the funeral home's
  settlement: min(cap, actual basic cost), idempotent per order reference.

The registry calls :func:`grant_on_death` inside every recorded death's
transaction (``death_listener_register``): an eligible or undetermined person
gets a basic-subsidy grant at once, its amount fixed later at actual cost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
from minzheng.core.scope import require_scope_covers
from minzheng.funeral_subsidies import selectors
from minzheng.funeral_subsidies.amounts import (
    KindValue,
    kind_value,
    missing_reason,
    parameter_value,
)
from minzheng.funeral_subsidies.eligibility import basic_subsidy_eligibility
from minzheng.funeral_subsidies.models import (
    BURIAL_GRANT_KINDS,
    KIND_PARAMETERS,
    BurialKind,
    CitedValue,
    EcoBurial,
    Eligibility,
    Grant,
    GrantKind,
    GrantStatus,
    PaymentMethod,
)
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Person
from minzheng.registry.services import InvalidIdNumber, parse_id_number

BASIC_PENDING_REASON = "按实际费用补贴（最高额见金额依据）：待殡仪馆结算时抵扣，或家属在其他殡仪服务机构办理后凭票据核定"
CLOSED_STATUSES = (GrantStatus.DEDUCTED, GrantStatus.IN_BATCH, GrantStatus.PAID)


@dataclass(frozen=True)
class Assessment:
    """The basic subsidy for one deceased: ``eligible`` True / False / None
    (undetermined: ``missing`` names what is not known); ``cap_fen`` the cap in
    force on the death date (None = PARAMETER_MISSING)."""

    eligible: bool | None
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    cap_fen: int | None = None
    cap: KindValue | None = None

    @property
    def eligibility(self) -> str:
        return {True: Eligibility.ELIGIBLE, False: Eligibility.NOT_ELIGIBLE}.get(
            self.eligible, Eligibility.UNDETERMINED)  # type: ignore[arg-type]


def _actor_name(actor: Any) -> str:
    return str(getattr(actor, "username", None) or actor)


def _normalised(id_number: str) -> str:
    try:
        return parse_id_number(id_number).number
    except InvalidIdNumber as err:
        raise ValidationError(f"逝者身份证号码有误：{err}") from err


def _identity(person: Person | None, id_number: str) -> tuple[str, str, str]:
    """(encrypted, blind index, masked) of the deceased's ID number."""
    if person is not None and not id_number:
        return person.id_number_enc, person.id_number_index, person.id_number_masked
    number = _normalised(id_number)
    return encrypt(number), blind_index(number), mask_id_number(number)


def _registry_person(person: Person | None, index: str) -> Person | None:
    return person if person is not None else registry_selectors.person_by_id_index(index)


def _assess(person: Person | None, death_date: dt.date, *, dingqi_dingliang: bool | None = None,
            funeral_pay: bool | None = None) -> Assessment:
    facts = selectors.death_facts(person, death_date, dingqi_dingliang=dingqi_dingliang, funeral_pay=funeral_pay)
    outcome = basic_subsidy_eligibility(facts)
    cap = kind_value(GrantKind.BASIC, death_date)
    reasons = list(outcome.reasons)
    if cap is None and outcome.eligible is not False:
        reasons.append(missing_reason(GrantKind.BASIC))
    return Assessment(outcome.eligible, reasons, list(outcome.missing), None if cap is None else cap.fen, cap)


def basic_subsidy_assess(*, person: Person | None, id_number: str, death_date: dt.date) -> Assessment:
    """Whether the deceased qualifies for 基本殡葬服务补贴 at ``death_date``.

    ``person`` may be None for a deceased not in the registry (then looked up
    by ID number; unknown facts stay unknown). Facts staff confirmed on the
    deceased's basic grant (定期定量, social-insurance funeral pay) are used."""
    index = _identity(person, id_number)[1] if (id_number or person) else ""
    person = _registry_person(person, index)
    grant = selectors.basic_grant_for(index) if index else None
    return _assess(person, death_date, dingqi_dingliang=grant.dingqi_dingliang if grant else None,
                   funeral_pay=grant.funeral_pay if grant else None)


def _scope_fields(person: Person | None) -> dict[str, Any]:
    if person is None:
        return {"street_id": None, "committee_id": None}
    return {"street_id": person.street_id, "committee_id": person.committee_id}


def _apply_assessment(grant: Grant, assessment: Assessment) -> None:
    grant.eligibility = assessment.eligibility
    grant.reasons = assessment.reasons
    grant.missing = assessment.missing


def _audit(actor: Any, action: str, grant: Grant, **changes: Any) -> None:
    audit_record(actor=actor, action=action, object_type="FuneralGrant", object_id=grant.pk,
                 scope_code=grant.committee_id or grant.street_id or "", changes=changes)


def _basic_amount(cap: KindValue, cost_fen: int) -> tuple[int, dict]:
    amount = min(cap.fen, cost_fen)
    return amount, {**cap.basis(), "cost_fen": cost_fen, "rule": "按实际费用补贴，不超过最高额"}


# ---------------------------------------------------------------------------
# The registry's death listener: the basic grant at once (免申即享)


def grant_on_death(*, actor: Any, person: Person, death_date: dt.date) -> Grant | None:
    """Called by the registry inside a death's transaction: an eligible or
    undetermined deceased gets a basic-subsidy grant (待核定, the amount at
    actual cost comes later); a refused one gets none. Once per deceased."""
    if selectors.basic_grant_for(person.id_number_index) is not None:
        return None
    assessment = _assess(person, death_date)
    if assessment.eligible is False:
        return None
    grant = Grant(
        kind=GrantKind.BASIC, person=person, deceased_name=person.name, deceased_id_enc=person.id_number_enc,
        deceased_id_index=person.id_number_index, deceased_id_masked=person.id_number_masked,
        death_date=death_date, **_scope_fields(person), created_by=_actor_name(actor))
    _apply_assessment(grant, assessment)
    _price_basic(grant)
    grant.save()
    _audit(actor, "funeral_subsidies.grant_on_death", grant, grant_kind=grant.kind, eligibility=grant.eligibility,
           death_date=death_date)
    return grant


# ---------------------------------------------------------------------------
# The funeral home's settlement


@transaction.atomic
def basic_subsidy_settle(*, actor: Any, person: Person | None, id_number: str, name: str, death_date: dt.date,
                         basic_cost_fen: int, order_reference: str) -> Grant | None:
    """Record the basic subsidy deducted at the funeral home's settlement:
    amount = min(cap, actual basic cost), status 已抵扣, paid by deduction.

    Idempotent per ``order_reference`` (the same order returns its grant).
    Returns None when the deceased is not (or not yet) eligible — an
    undetermined deceased's cost is kept on their grant for staff to decide.
    When the cap is missing (PARAMETER_MISSING) the grant stays 待核定 with
    ``amount_fen`` None: the caller deducts only a grant whose status is 已抵扣."""
    require(actor, "funeral_subsidies.settle")
    order_reference = (order_reference or "").strip()
    if not order_reference:
        raise ValidationError("缺少殡仪馆结算单号")
    if not isinstance(basic_cost_fen, int) or isinstance(basic_cost_fen, bool) or basic_cost_fen < 0:
        raise ValidationError("基本殡葬服务费用应为不小于0的整数（分）")
    enc, index, masked = _identity(person, id_number)
    done = Grant.objects.filter(order_reference=order_reference).first()
    if done is not None:
        if done.deceased_id_index != index:
            raise StateConflict(f"结算单号 {order_reference} 已用于另一位逝者的补贴")
        return done
    person = _registry_person(person, index)
    grant = Grant.objects.select_for_update().filter(kind=GrantKind.BASIC, deceased_id_index=index).first()
    if grant is not None and grant.status in CLOSED_STATUSES:
        raise StateConflict(f"该逝者的基本殡葬服务补贴已{grant.get_status_display()}（{grant.order_reference or '家属账户'}），不能重复补贴")
    if grant is not None and grant.status == GrantStatus.REFUSED:
        return None
    assessment = _assess(person, death_date, dingqi_dingliang=grant.dingqi_dingliang if grant else None,
                         funeral_pay=grant.funeral_pay if grant else None)
    if assessment.eligible is False:
        return None
    if grant is None:
        grant = Grant(kind=GrantKind.BASIC, person=person, deceased_name=(name or "").strip()[:64] or (
            person.name if person else ""), deceased_id_enc=enc, deceased_id_index=index, deceased_id_masked=masked,
            **_scope_fields(person), created_by=_actor_name(actor))
    grant.death_date = death_date
    _apply_assessment(grant, assessment)
    grant.cost_fen = basic_cost_fen
    grant.cost_source = f"殡仪馆结算单 {order_reference}"
    if assessment.eligible is None:
        grant.status = GrantStatus.PENDING
        grant.status_reason = "资格待确认：殡仪馆结算时未抵扣，费用已记录，待核实后发放至家属账户"
        grant.save()
        _audit(actor, "funeral_subsidies.settle_undetermined", grant, cost_fen=basic_cost_fen,
               order_reference=order_reference)
        return None
    grant.order_reference = order_reference
    if assessment.cap is None:
        grant.status, grant.status_reason, grant.amount_fen = (GrantStatus.PENDING, missing_reason(GrantKind.BASIC),
                                                               None)
    else:
        grant.amount_fen, grant.amount_basis = _basic_amount(assessment.cap, basic_cost_fen)
        grant.status, grant.payment_method = GrantStatus.DEDUCTED, PaymentMethod.SETTLEMENT
        grant.status_reason = f"殡仪馆结算时抵扣（结算单 {order_reference}）"
    grant.save()
    _audit(actor, "funeral_subsidies.settle", grant, order_reference=order_reference, cost_fen=basic_cost_fen,
           amount_fen=grant.amount_fen, status=grant.status)
    return grant


# ---------------------------------------------------------------------------
# Eco-burials (节地生态安葬): sea burial priced per urn; tree, wall and lawn
# burial wait for a cited value (参数缺失)

BURIAL_PAYMENT = {GrantKind.SEA_FAMILY: PaymentMethod.FAMILY_ACCOUNT, GrantKind.SEA_BOAT: PaymentMethod.BOAT_OPERATOR,
                  GrantKind.TREE: PaymentMethod.FAMILY_ACCOUNT, GrantKind.WALL: PaymentMethod.FAMILY_ACCOUNT,
                  GrantKind.LAWN: PaymentMethod.FAMILY_ACCOUNT}


def _price_burial_grant(grant: Grant, on: dt.date) -> None:
    """Amount = value per urn × urns (value in force on the burial date), or
    待核定 with 参数缺失 when there is none."""
    value = kind_value(grant.kind, on)
    if value is None:
        grant.amount_fen, grant.amount_basis = None, {}
        grant.status, grant.status_reason = GrantStatus.PENDING, missing_reason(grant.kind)
        return
    grant.amount_fen = value.fen * grant.urns
    grant.amount_basis = {**value.basis(), "urns": grant.urns, "rule": "每具骨灰补贴标准 × 骨灰数"}
    if grant.payment_method == PaymentMethod.BOAT_OPERATOR:
        grant.status = GrantStatus.ASSESSED
        grant.status_reason = f"应与船舶单位{('（' + grant.burial.operator_name + '）') if grant.burial and grant.burial.operator_name else ''}结算"
    else:
        grant.status = GrantStatus.TO_PAY
        grant.status_reason = "待发放至家属账户" if grant.payee_id else "待发放：请选择家属收款人"


@transaction.atomic
def eco_burial_record(*, actor: Any, kind: str, burial_date: dt.date, person: Person | None, name: str,
                      id_number: str, urns: int, payee: Person | None = None, operator_name: str = "",
                      death_date: dt.date | None = None, note: str = "") -> EcoBurial:
    """Record a sea, tree, wall or lawn burial and grant its subsidies at once
    (免申即享): sea burial = per urn to the family (paid to the payee's
    account) + per urn owed to the boat operator; tree/wall/lawn = per urn to
    the family once a cited value exists (待核定, 参数缺失 until then)."""
    require(actor, "funeral_subsidies.manage")
    if kind not in BurialKind.values:
        raise ValidationError("请选择安葬方式")
    if not isinstance(urns, int) or isinstance(urns, bool) or not 1 <= urns <= 50:
        raise ValidationError("骨灰数应为1至50之间的整数")
    if burial_date > dt.date.today():
        raise ValidationError("安葬日期不能晚于今天")
    enc, index, masked = _identity(person, id_number)
    person = _registry_person(person, index)
    if person is not None:
        require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    if payee is not None:
        _check_payee(payee, index)
    display_name = (person.name if person else (name or "").strip())[:64]
    if not display_name:
        raise ValidationError("请填写逝者姓名")
    burial = EcoBurial.objects.create(
        kind=kind, burial_date=burial_date, urns=urns, payee=payee, operator_name=operator_name.strip()[:100],
        note=note.strip()[:200], person=person, deceased_name=display_name, deceased_id_enc=enc,
        deceased_id_index=index, deceased_id_masked=masked,
        death_date=death_date or (person.death_date if person else None), **_scope_fields(person),
        recorded_by=_actor_name(actor))
    label = BurialKind(kind).label
    for grant_kind in BURIAL_GRANT_KINDS[kind]:
        grant = Grant(kind=grant_kind, burial=burial, person=person, deceased_name=display_name,
                      deceased_id_enc=enc, deceased_id_index=index, deceased_id_masked=masked,
                      death_date=burial.death_date, **_scope_fields(person), urns=urns,
                      reasons=[f"{burial_date:%Y年%m月%d日}{label}（{urns}具骨灰），节地生态安葬补贴免申即享"],
                      payment_method=BURIAL_PAYMENT[grant_kind],
                      payee=payee if BURIAL_PAYMENT[grant_kind] == PaymentMethod.FAMILY_ACCOUNT else None,
                      created_by=_actor_name(actor))
        _price_burial_grant(grant, burial_date)
        grant.save()
        _audit(actor, "funeral_subsidies.burial_record", grant,
               grant_kind=grant.kind, urns=urns, amount_fen=grant.amount_fen, status=grant.status)
    return burial


# ---------------------------------------------------------------------------
# Staff actions on a grant (funeral_subsidies.manage)


def _locked(actor: Any, grant: Grant) -> Grant:
    require(actor, "funeral_subsidies.manage")
    if grant.street_id:
        require_scope_covers(actor, street_code=grant.street_id, committee_code=grant.committee_id)
    return Grant.objects.select_for_update().get(pk=grant.pk)


def _not_closed(grant: Grant) -> None:
    if grant.status in (*CLOSED_STATUSES, GrantStatus.REFUSED):
        raise StateConflict(f"该补贴已{grant.get_status_display()}，不能再修改")


def _price_basic(grant: Grant) -> None:
    """The basic grant's status from its eligibility and cost (amount at actual cost)."""
    if grant.eligibility == Eligibility.NOT_ELIGIBLE:
        grant.status, grant.status_reason, grant.amount_fen = GrantStatus.REFUSED, "；".join(grant.reasons), None
        return
    if grant.eligibility == Eligibility.UNDETERMINED:
        grant.status, grant.amount_fen = GrantStatus.PENDING, None
        grant.status_reason = "资格待确认：缺少" + "、".join(grant.missing)
        return
    cap = kind_value(GrantKind.BASIC, grant.death_date) if grant.death_date else None
    if cap is None:
        grant.status, grant.status_reason, grant.amount_fen = (GrantStatus.PENDING, missing_reason(GrantKind.BASIC),
                                                               None)
        return
    if grant.cost_fen is None:
        grant.status, grant.status_reason, grant.amount_fen = GrantStatus.PENDING, BASIC_PENDING_REASON, None
        grant.amount_basis = cap.basis()
        return
    grant.amount_fen, grant.amount_basis = _basic_amount(cap, grant.cost_fen)
    grant.payment_method = PaymentMethod.FAMILY_ACCOUNT
    grant.status = GrantStatus.TO_PAY
    grant.status_reason = "待发放至家属账户" if grant.payee_id else "待发放：请选择家属收款人"


@transaction.atomic
def grant_reassess(*, actor: Any, grant: Grant) -> Grant:
    """Re-assess a grant not yet paid: the basic subsidy from the person's status
    and the confirmed facts; a burial subsidy from the value now in force (a
    cited value entered since prices a 参数缺失 grant)."""
    grant = _locked(actor, grant)
    _not_closed(grant)
    before = (grant.status, grant.amount_fen)
    if grant.kind == GrantKind.BASIC:
        if grant.death_date is None:
            raise ValidationError("缺少死亡日期，无法核定")
        _apply_assessment(grant, _assess(grant.person, grant.death_date, dingqi_dingliang=grant.dingqi_dingliang,
                                         funeral_pay=grant.funeral_pay))
        _price_basic(grant)
    else:
        _price_burial_grant(grant, grant.burial.burial_date if grant.burial else grant.created_at.date())
    grant.save()
    _audit(actor, "funeral_subsidies.grant_reassess", grant, status=[before[0], grant.status],
           amount_fen=[before[1], grant.amount_fen])
    return grant


@transaction.atomic
def grant_confirm_facts(*, actor: Any, grant: Grant, dingqi_dingliang: bool | None, funeral_pay: bool | None,
                        note: str) -> Grant:
    """Record what staff verified of the facts the platform does not hold
    (定期定量; social-insurance funeral pay), with the evidence, and re-assess."""
    grant = _locked(actor, grant)
    _not_closed(grant)
    if grant.kind != GrantKind.BASIC:
        raise ValidationError("只有基本殡葬服务补贴需要核实这些情况")
    if not (note or "").strip():
        raise ValidationError("请说明核实依据（如：社保部门答复、家属提供的证明）")
    grant.dingqi_dingliang, grant.funeral_pay, grant.facts_note = dingqi_dingliang, funeral_pay, note.strip()[:200]
    grant.save(update_fields=["dingqi_dingliang", "funeral_pay", "facts_note"])
    audit_record(actor=actor, action="funeral_subsidies.facts_confirm", object_type="FuneralGrant", object_id=grant.pk,
                 scope_code=grant.committee_id or grant.street_id or "",
                 changes={"dingqi_dingliang": dingqi_dingliang, "funeral_pay": funeral_pay, "note": grant.facts_note})
    return grant_reassess(actor=actor, grant=grant)


@transaction.atomic
def grant_enter_receipts(*, actor: Any, grant: Grant, cost_fen: int, note: str) -> Grant:
    """The funeral was held elsewhere: staff enter the receipts' basic-service
    cost; the amount = min(cap, cost), paid to a family member's account."""
    grant = _locked(actor, grant)
    _not_closed(grant)
    if grant.kind != GrantKind.BASIC:
        raise ValidationError("只有基本殡葬服务补贴按票据核定")
    if not isinstance(cost_fen, int) or isinstance(cost_fen, bool) or cost_fen <= 0:
        raise ValidationError("票据金额应大于0")
    if not (note or "").strip():
        raise ValidationError("请填写票据说明（殡仪服务机构、票据号）")
    grant.cost_fen, grant.cost_source = cost_fen, f"票据：{note.strip()[:190]}"
    _price_basic(grant)
    grant.save()
    _audit(actor, "funeral_subsidies.receipts_enter", grant, cost_fen=cost_fen, amount_fen=grant.amount_fen,
           status=grant.status, note=grant.cost_source)
    return grant


def _check_payee(payee: Person, deceased_index: str) -> None:
    if payee.id_number_index == deceased_index:
        raise ValidationError("收款人不能是逝者本人")
    if not payee.alive:
        raise ValidationError(f"{payee.name} 已登记死亡，不能作为收款人")


@transaction.atomic
def grant_choose_payee(*, actor: Any, grant: Grant, payee: Person) -> Grant:
    """The family member (a registry person with an account) who receives a
    grant paid to the family's account."""
    grant = _locked(actor, grant)
    _not_closed(grant)
    if grant.payment_method not in ("", PaymentMethod.FAMILY_ACCOUNT):
        raise ValidationError(f"该补贴{grant.get_payment_method_display()}，无需家属收款人")
    _check_payee(payee, grant.deceased_id_index)
    grant.payee = payee
    if grant.status == GrantStatus.TO_PAY:
        grant.status_reason = "待发放至家属账户"
    grant.save(update_fields=["payee", "status_reason", "updated_at"])
    _audit(actor, "funeral_subsidies.payee_choose", grant, payee=payee.id_number_masked)
    return grant


@transaction.atomic
def grant_refuse(*, actor: Any, grant: Grant, reason: str) -> Grant:
    """不予补贴, with the reason (shown to the family)."""
    grant = _locked(actor, grant)
    _not_closed(grant)
    if not (reason or "").strip():
        raise ValidationError("请填写不予补贴的原因")
    before = grant.status
    grant.status, grant.status_reason, grant.amount_fen = GrantStatus.REFUSED, reason.strip()[:300], None
    grant.save(update_fields=["status", "status_reason", "amount_fen", "updated_at"])
    _audit(actor, "funeral_subsidies.grant_refuse", grant, status=[before, grant.status], reason=grant.status_reason)
    return grant


@transaction.atomic
def grant_mark_operator_settled(*, actor: Any, grant: Grant, note: str) -> Grant:
    """The boat-and-insurance part was settled with the boat operator (outside the platform)."""
    grant = _locked(actor, grant)
    if grant.payment_method != PaymentMethod.BOAT_OPERATOR or grant.status != GrantStatus.ASSESSED:
        raise StateConflict("只有已核定、与船舶单位结算的补贴可以登记结算")
    if not (note or "").strip():
        raise ValidationError("请填写结算凭证（如付款凭证号）")
    grant.status, grant.status_reason = GrantStatus.PAID, f"已与船舶单位结算：{note.strip()[:180]}"
    grant.save(update_fields=["status", "status_reason", "updated_at"])
    _audit(actor, "funeral_subsidies.operator_settled", grant, note=grant.status_reason)
    return grant


# ---------------------------------------------------------------------------
# Staff-entered cited values (where the parameter files have none)


@transaction.atomic
def cited_value_enter(*, actor: Any, kind: str, effective_from: dt.date, amount_fen: int, document_name: str,
                      document_number: str) -> CitedValue:
    """A subsidy amount with its document's name and number (both required),
    for a kind and date the parameter files leave without a value. Grants
    waiting for it are priced when staff re-assess them."""
    require(actor, "funeral_subsidies.manage")
    if kind not in GrantKind.values:
        raise ValidationError("请选择补贴类别")
    document_name, document_number = (document_name or "").strip(), (document_number or "").strip()
    if not document_name or not document_number:
        raise ValidationError("请填写依据文件的名称和文号：没有出处的金额不能录入")
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise ValidationError("金额应大于0")
    in_files = parameter_value(kind, effective_from)
    if in_files is not None:
        raise ValidationError(f"政策参数文件已有{GrantKind(kind).label}自{in_files.effective:%Y年%m月%d日}起的取值，"
                              "无需录入；如需修订请更新参数文件")
    if CitedValue.objects.filter(kind=kind, effective_from=effective_from).exists():
        raise StateConflict("该补贴类别在该日期已录入金额")
    row = CitedValue.objects.create(kind=kind, effective_from=effective_from, amount_fen=amount_fen,
                                    document_name=document_name[:200], document_number=document_number[:100],
                                    entered_by=_actor_name(actor))
    audit_record(actor=actor, action="funeral_subsidies.cited_value_enter", object_type="FuneralCitedValue",
                 object_id=row.pk, changes={"grant_kind": kind, "effective_from": effective_from,
                                            "amount_fen": amount_fen, "document_name": row.document_name,
                                            "document_number": row.document_number})
    return row


def kinds_without_values(on: dt.date) -> list[str]:
    """The kinds whose amount is missing on ``on`` (for the parameter page)."""
    return [kind for kind in KIND_PARAMETERS if kind_value(kind, on) is None]


# ---------------------------------------------------------------------------
# Payment through the payments app's one-off batches (ADR 0008, 2026-12-01):
# one one-off program per kind paid to the family; the reference is the grant's.

PAYMENT_PROGRAMS: dict[str, str] = {
    GrantKind.BASIC: "funeral_basic",
    GrantKind.SEA_FAMILY: "funeral_sea_burial",
    GrantKind.TREE: "funeral_tree_burial",
    GrantKind.WALL: "funeral_wall_burial",
    GrantKind.LAWN: "funeral_lawn_burial",
}


def payment_programs_register() -> None:
    """Register the one-off programs with the payments app (``AppConfig.ready``)."""
    from minzheng.payments.services import one_off_program_register

    for kind, code in PAYMENT_PROGRAMS.items():
        one_off_program_register(code, GrantKind(kind).label)


def _payment_reference(grant: Grant) -> str:
    return f"殡葬补贴-{grant.pk}"


def payee_has_account(payee: Person) -> bool:
    from minzheng.payments.models import AccountStatus, PayeeAccount

    return PayeeAccount.objects.filter(person=payee, status=AccountStatus.ACTIVE).exists()


@transaction.atomic
def grant_send_to_payment(*, actor: Any, grant: Grant) -> Grant:
    """Request the one-off payment of a 待发放 grant to the chosen family
    member's account; it is then paid in the payments app's one-off batch."""
    from minzheng.payments.services import one_off_request

    grant = _locked(actor, grant)
    if grant.status != GrantStatus.TO_PAY or grant.payment_method != PaymentMethod.FAMILY_ACCOUNT:
        raise StateConflict(f"该补贴{grant.get_status_display()}，不能纳入发放")
    if grant.payment_reference:
        raise StateConflict("该补贴已提交发放")
    if grant.amount_fen is None or grant.amount_fen <= 0:
        raise ValidationError("补贴金额尚未核定，不能发放")
    if grant.payee is None:
        raise ValidationError("请先选择家属收款人")
    if not payee_has_account(grant.payee):
        raise ValidationError(f"收款人{grant.payee.name}没有有效的代发账户，请先在资金模块登记代发账户")
    died = f"（{grant.death_date:%Y年%m月%d日}死亡）" if grant.death_date else ""
    payment = one_off_request(actor=actor, program=PAYMENT_PROGRAMS[grant.kind], payee=grant.payee,
                              amount_fen=grant.amount_fen, reference=_payment_reference(grant),
                              reason=f"{grant.get_kind_display()}：逝者{grant.deceased_name}{died}",
                              beneficiary=grant.person)
    grant.payment_reference = payment.reference
    grant.status_reason = "已提交发放，待纳入一次性补贴发放批次"
    grant.save(update_fields=["payment_reference", "status_reason", "updated_at"])
    _audit(actor, "funeral_subsidies.payment_send", grant, payment_reference=payment.reference,
           amount_fen=grant.amount_fen, payee=grant.payee.id_number_masked)
    return grant


def payment_of(grant: Grant) -> Any:
    """The payments app's request for the grant (status, batch), or None."""
    from minzheng.payments.services import one_off_status

    if not grant.payment_reference or grant.kind not in PAYMENT_PROGRAMS:
        return None
    return one_off_status(PAYMENT_PROGRAMS[grant.kind], grant.payment_reference)


def _status_from_payment(payment: Any) -> tuple[str, str, bool]:
    """(grant status, reason, keep the reference) for the payment's status."""
    from minzheng.payments.models import OneOffStatus

    if payment.status == OneOffStatus.BATCHED:
        number = payment.line.batch.number if payment.line is not None else ""
        return GrantStatus.IN_BATCH, f"已纳入发放批次 {number}".strip(), True
    if payment.status == OneOffStatus.PAID:
        return GrantStatus.PAID, "已发放至家属账户", True
    if payment.status == OneOffStatus.RETURNED:
        return GrantStatus.TO_PAY, "银行退回，待重新发放（请核对收款人账户）", True
    if payment.status == OneOffStatus.CANCELLED:
        return GrantStatus.TO_PAY, "发放申请已撤销，可重新提交", False
    return GrantStatus.TO_PAY, "已提交发放，待纳入一次性补贴发放批次", True


@transaction.atomic
def grants_payment_sync(*, actor: Any, grants: list[Grant]) -> int:
    """Bring the grants sent to payment up to the payments app's status
    (待发放 → 已纳入发放批次 → 已发放; returned or cancelled → 待发放). Returns
    how many changed (each change audited)."""
    changed = 0
    for grant in grants:
        if not grant.payment_reference or grant.status not in (GrantStatus.TO_PAY, GrantStatus.IN_BATCH):
            continue
        payment = payment_of(grant)
        if payment is None:
            continue
        status, reason, keep = _status_from_payment(payment)
        if (status, reason, keep) == (grant.status, grant.status_reason, True):
            continue
        before = grant.status
        grant.status, grant.status_reason = status, reason
        if not keep:
            grant.payment_reference = ""
        grant.save(update_fields=["status", "status_reason", "payment_reference", "updated_at"])
        _audit(actor, "funeral_subsidies.payment_sync", grant, status=[before, status])
        changed += 1
    return changed
