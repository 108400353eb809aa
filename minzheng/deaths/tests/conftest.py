"""Deaths fixtures: a funeral-home account, an elderly widow-to-be with a
dibao enrolment, her husband (a registered marriage), and a paid month in the
payments ledger (models written directly: the ledger's own tests cover how
batches come to be approved)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from conftest import make_id_number
from minzheng.casework.models import Enrolment
from minzheng.core.models import Role
from minzheng.core.personal_data import blind_index, encrypt
from minzheng.core.services import user_create
from minzheng.payments.models import PayeeAccount, PaymentBatch, PaymentLine
from minzheng.registry import services as registry

D = dt.date


@pytest.fixture
def funeral(users):
    return user_create(actor="test", username="funeral", password="pass-12345", role=Role.FUNERAL_HOME,
                       scope_code="310117", full_name="赵敏")


@pytest.fixture
def registrar(users):
    return user_create(actor="test", username="registrar", password="pass-12345", role=Role.REGISTRAR,
                       scope_code="310117", full_name="王丽")


@pytest.fixture
def couple(users, registrar, make_person):
    """陈国强 (b. 1944) and 林秀兰 (b. 1947), married at the district office in 2020
    (marriage services), one household in 谷阳居委会; he receives dibao
    (person-level enrolment) from 2025-10."""
    from minzheng.marriage.services import PartyInput, marriage_register

    husband_number = make_id_number(D(1944, 2, 3), male=True)
    wife_number = make_id_number(D(1947, 6, 8), male=False)
    husband = registry.person_create(actor=users["bureau"], name="陈国强", id_number=husband_number,
                                     committee_code="310117001001")
    wife = registry.person_create(actor=users["bureau"], name="林秀兰", id_number=wife_number,
                                  committee_code="310117001001")
    household = registry.household_create(actor=users["bureau"], head=husband, address="谷阳北路12号",
                                          start_date=D(2000, 1, 1))
    registry.household_add_member(actor=users["bureau"], household=household, person=wife, relation="配偶",
                                  start_date=D(2000, 1, 1))
    marriage_register(actor=registrar, registered_on=D(2020, 5, 6),
                      first=PartyInput(name="陈国强", id_number=husband_number, domicile_province="31",
                                       signed_no_spouse=True, signed_no_kinship=True),
                      second=PartyInput(name="林秀兰", id_number=wife_number, domicile_province="31",
                                        signed_no_spouse=True, signed_no_kinship=True))
    enrolment = Enrolment.objects.create(program="dibao", person=husband, household=household,
                                         street_id="310117001", committee_id="310117001001", start_month="2025-10",
                                         source="other", monthly_amount_fen=135000)
    return SimpleNamespace(husband=husband, husband_number=husband_number, wife=wife, household=household,
                           enrolment=enrolment)


@pytest.fixture
def paid(couple):
    """Mark ``month`` as paid to the husband's enrolment by a batch in ``status``: exported
    (the bank file went out: paid) by default; an approved batch not yet exported can
    still hold the line (payments' death listener)."""
    account = PayeeAccount.objects.create(person=couple.husband, bank_name="演示银行", holder_name="陈国强",
                                          number_enc=encrypt("6222000000000001"),
                                          number_index=blind_index("6222000000000001"),
                                          number_masked="6222********0001", recorded_by="test")

    def _paid(month: str, fen: int = 135000, status: str = "exported") -> PaymentLine:
        batch = PaymentBatch.objects.create(number=f"T{month}", program="dibao", month=month, status=status,
                                            prepared_by="test")
        return PaymentLine.objects.create(
            batch=batch, seq=1, kind="regular", program="dibao", benefit_month=month, beneficiary=f"p{couple.husband.pk}",
            person=couple.husband, street_id="310117001", committee_id="310117001001", account=account,
            payee_name="陈国强", bank_name="演示银行", account_masked=account.number_masked, amount_fen=fen,
            city_fen=fen, district_fen=0, amount_basis="enrolment", enrolment_id=couple.enrolment.pk)

    return _paid

