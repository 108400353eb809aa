"""Sea burial: 3,000 per urn to the family and 1,600 per urn owed to the boat
operator; tree/wall/lawn burial: 待核定 with 参数缺失 until a value citing its
document exists, then priced when staff re-assess. Staff actions on grants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import make_id_number
from minzheng.core.permissions import NotPermitted
from minzheng.funeral_subsidies import services
from minzheng.funeral_subsidies.amounts import kind_value
from minzheng.funeral_subsidies.models import (
    Eligibility,
    Grant,
    GrantKind,
    GrantStatus,
    PaymentMethod,
)
from minzheng.registry.services import person_record_death

from .conftest import DEATH

pytestmark = pytest.mark.django_db
BURIED = dt.date(2026, 4, 2)


def test_sea_burial_per_urn_family_and_boat(users, make_person):
    payee = make_person(name="王家属")
    burial = services.eco_burial_record(actor=users["bureau"], kind="sea", burial_date=BURIED, person=None,
                                        name="王老先生", id_number=make_id_number(dt.date(1938, 2, 2)), urns=2,
                                        payee=payee, operator_name="演示海葬船舶公司")
    family = burial.grants.get(kind=GrantKind.SEA_FAMILY)
    boat = burial.grants.get(kind=GrantKind.SEA_BOAT)
    assert family.amount_fen == 2 * 300_000 and family.payment_method == PaymentMethod.FAMILY_ACCOUNT
    assert family.status == GrantStatus.TO_PAY and family.payee == payee
    assert boat.amount_fen == 2 * 160_000 and boat.payment_method == PaymentMethod.BOAT_OPERATOR
    assert boat.status == GrantStatus.ASSESSED and boat.payee is None
    assert family.amount_basis["sureness"] == "assumption" and family.amount_basis["verified"] is False
    settled = services.grant_mark_operator_settled(actor=users["bureau"], grant=boat, note="付款凭证 HZ-001")
    assert settled.status == GrantStatus.PAID


@pytest.mark.parametrize("kind", ["tree", "wall", "lawn"])
def test_unknown_eco_burial_amounts_wait_for_a_cited_value(users, kind):
    burial = services.eco_burial_record(actor=users["bureau"], kind=kind, burial_date=BURIED, person=None,
                                        name="李老太", id_number=make_id_number(dt.date(1935, 3, 3), male=False),
                                        urns=1)
    grant = burial.grants.get()
    assert grant.amount_fen is None and grant.status == GrantStatus.PENDING
    assert grant.status_reason.startswith("参数缺失：")
    assert kind_value(kind, BURIED) is None
    with pytest.raises(ValidationError):  # no document number, no value
        services.cited_value_enter(actor=users["bureau"], kind=kind, effective_from=dt.date(2026, 1, 1),
                                   amount_fen=100_000, document_name="某通知", document_number="")
    services.cited_value_enter(actor=users["bureau"], kind=kind, effective_from=dt.date(2026, 1, 1),
                               amount_fen=100_000, document_name="松江区节地生态安葬奖补办法（演示）",
                               document_number="松民规〔2026〕1号")
    assert Grant.objects.get(pk=grant.pk).amount_fen is None  # priced only when staff re-assess
    priced = services.grant_reassess(actor=users["bureau"], grant=grant)
    assert priced.amount_fen == 100_000 and priced.status == GrantStatus.TO_PAY
    assert priced.amount_basis["origin"] == "工作人员录入" and priced.amount_basis["verified"] is False
    assert "松民规〔2026〕1号" in priced.amount_basis["reference"]


def test_a_cited_value_cannot_override_the_parameter_files(users):
    with pytest.raises(ValidationError, match="参数文件已有"):
        services.cited_value_enter(actor=users["bureau"], kind="sea_family", effective_from=dt.date(2026, 1, 1),
                                   amount_fen=1, document_name="x", document_number="y")


def test_a_cited_value_after_the_burial_date_does_not_price_it(users):
    burial = services.eco_burial_record(actor=users["bureau"], kind="tree", burial_date=BURIED, person=None,
                                        name="李老太", id_number=make_id_number(dt.date(1935, 3, 3), male=False),
                                        urns=1)
    services.cited_value_enter(actor=users["bureau"], kind="tree", effective_from=dt.date(2026, 5, 1),
                               amount_fen=100_000, document_name="x办法", document_number="y号")
    grant = services.grant_reassess(actor=users["bureau"], grant=burial.grants.get())
    assert grant.amount_fen is None and grant.status == GrantStatus.PENDING


def test_street_staff_may_not_record_burials(users):
    with pytest.raises(NotPermitted):
        services.eco_burial_record(actor=users["street"], kind="sea", burial_date=BURIED, person=None, name="x",
                                   id_number=make_id_number(dt.date(1938, 2, 2)), urns=1)


def test_funeral_elsewhere_receipts_then_family_account(users, make_person):
    deceased = make_person(youfu=True)
    payee = make_person(name="张家属")
    person_record_death(actor=users["bureau"], person=deceased, death_date=DEATH)
    grant = Grant.objects.get(person=deceased)
    grant = services.grant_enter_receipts(actor=users["bureau"], grant=grant, cost_fen=150_000,
                                          note="外区殡仪馆 票据号 0001")
    assert grant.amount_fen == 98_000 and grant.status == GrantStatus.TO_PAY
    assert grant.payment_method == PaymentMethod.FAMILY_ACCOUNT
    grant = services.grant_choose_payee(actor=users["bureau"], grant=grant, payee=payee)
    assert grant.payee == payee
    with pytest.raises(ValidationError):
        services.grant_choose_payee(actor=users["bureau"], grant=grant, payee=deceased)


def test_confirmed_facts_decide_an_undetermined_grant(users, make_person):
    deceased = make_person()
    person_record_death(actor=users["bureau"], person=deceased, death_date=DEATH)
    grant = Grant.objects.get(person=deceased)
    assert grant.eligibility == Eligibility.UNDETERMINED
    with pytest.raises(ValidationError):  # evidence required
        services.grant_confirm_facts(actor=users["bureau"], grant=grant, dingqi_dingliang=False, funeral_pay=True,
                                     note="")
    refused = services.grant_confirm_facts(actor=users["bureau"], grant=grant, dingqi_dingliang=False,
                                           funeral_pay=True, note="社保中心答复：已领取丧葬补助金")
    assert refused.eligibility == Eligibility.NOT_ELIGIBLE and refused.status == GrantStatus.REFUSED

    other = make_person(name="赵六")
    person_record_death(actor=users["bureau"], person=other, death_date=DEATH)
    grant = services.grant_confirm_facts(actor=users["bureau"], grant=Grant.objects.get(person=other),
                                         dingqi_dingliang=None, funeral_pay=False, note="社保中心答复：未参保")
    assert grant.eligibility == Eligibility.ELIGIBLE and grant.status == GrantStatus.PENDING
    assert "逝者未享受社会保险丧葬补助金（经核实）" in grant.reasons


def test_refuse_with_reason_and_no_change_after(users, make_person):
    deceased = make_person(youfu=True)
    person_record_death(actor=users["bureau"], person=deceased, death_date=DEATH)
    grant = services.grant_refuse(actor=users["bureau"], grant=Grant.objects.get(person=deceased),
                                  reason="家属放弃补贴")
    assert grant.status == GrantStatus.REFUSED and grant.status_reason == "家属放弃补贴"
    with pytest.raises(ValidationError):
        services.grant_enter_receipts(actor=users["bureau"], grant=grant, cost_fen=1, note="x")


def test_street_staff_outside_scope_cannot_see_the_grant(users, make_person):
    from minzheng.funeral_subsidies import selectors

    deceased = make_person(youfu=True, committee="310117102201")
    person_record_death(actor=users["bureau"], person=deceased, death_date=DEATH)
    assert not selectors.grants_visible(users["street"]).exists()
    assert selectors.grants_visible(users["other_street"]).count() == 1
