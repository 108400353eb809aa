"""A payable grant goes to the payments app's one-off batches: requested for
the chosen family member (with an account), batched, and its status follows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minzheng.funeral_subsidies import services
from minzheng.funeral_subsidies.models import Grant, GrantStatus
from minzheng.payments.models import OneOffPayment, OneOffStatus
from minzheng.payments.services import account_register, one_off_batch_create
from minzheng.registry.services import person_record_death

from .conftest import DEATH

pytestmark = pytest.mark.django_db


@pytest.fixture
def payable(users, make_person):
    deceased = make_person(youfu=True)
    payee = make_person(name="张家属")
    person_record_death(actor=users["bureau"], person=deceased, death_date=DEATH)
    grant = services.grant_enter_receipts(actor=users["bureau"], grant=Grant.objects.get(person=deceased),
                                          cost_fen=72_000, note="外区殡仪馆 票据号 0002")
    return services.grant_choose_payee(actor=users["bureau"], grant=grant, payee=payee)


def test_payee_without_an_account_is_refused(users, payable):
    with pytest.raises(ValidationError, match="代发账户"):
        services.grant_send_to_payment(actor=users["bureau"], grant=payable)


def test_one_off_request_then_batch_then_status(users, payable):
    account_register(actor=users["bureau"], person=payable.payee, bank_name="上海农商银行", holder_name="张家属",
                     number="6228480000000000017")
    grant = services.grant_send_to_payment(actor=users["bureau"], grant=payable)
    payment = OneOffPayment.objects.get(reference=grant.payment_reference)
    assert payment.program == "funeral_basic" and payment.amount_fen == 72_000
    assert payment.payee == payable.payee and payment.beneficiary == payable.person
    assert payment.status == OneOffStatus.QUEUED and grant.status == GrantStatus.TO_PAY
    with pytest.raises(ValidationError):  # sent once
        services.grant_send_to_payment(actor=users["bureau"], grant=grant)
    batch = one_off_batch_create(actor=users["bureau"], program="funeral_basic", month="2026-04")
    assert batch is not None
    assert services.grants_payment_sync(actor=users["bureau"], grants=[grant]) == 1
    grant.refresh_from_db()
    assert grant.status == GrantStatus.IN_BATCH and batch.number in grant.status_reason
    assert services.grants_payment_sync(actor=users["bureau"], grants=[grant]) == 0
