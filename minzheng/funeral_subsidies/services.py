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
from minzheng.funeral_subsidies import selectors
from minzheng.funeral_subsidies.amounts import (
    KindValue,
    kind_value,
    missing_reason,
)
from minzheng.funeral_subsidies.eligibility import basic_subsidy_eligibility
from minzheng.funeral_subsidies.models import (
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
    grant = Grant.objects.create(
        kind=GrantKind.BASIC, person=person, deceased_name=person.name, deceased_id_enc=person.id_number_enc,
        deceased_id_index=person.id_number_index, deceased_id_masked=person.id_number_masked,
        death_date=death_date, **_scope_fields(person), eligibility=assessment.eligibility,
        reasons=assessment.reasons, missing=assessment.missing, status=GrantStatus.PENDING,
        status_reason=BASIC_PENDING_REASON if assessment.cap else missing_reason(GrantKind.BASIC),
        amount_basis=assessment.cap.basis() if assessment.cap else {}, created_by=_actor_name(actor))
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
