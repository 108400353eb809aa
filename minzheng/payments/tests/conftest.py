"""Payments fixtures: a small district with a dibao household (谷阳), a
single elderly man (张泾村, elderly allowance) and a dibao person in 乐都;
stored decisions for Aug–Oct 2025; synthetic accounts; three bureau staff
(maker, checker, approver)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from minzheng.casework.models import Enrolment
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.eligibility.services import decision_run_month
from minzheng.payments.accounts import accounts_synthesise
from minzheng.payments.bank_files import batch_export
from minzheng.payments.batches import batch_approve, batch_review, batch_run
from minzheng.registry import services as registry

SINCE = dt.date(2020, 1, 1)
MONTHS = ("2025-08", "2025-09", "2025-10")


@pytest.fixture
def staff(users):
    extra = {name: user_create(actor="test", username=name, password="pass-12345", role=Role.BUREAU,
                               scope_code="310117") for name in ("checker", "approver")}
    return {**users, **extra}


@pytest.fixture
def town(staff, make_person):
    bureau = staff["bureau"]
    poor = make_person("贫困甲", dt.date(1975, 3, 1), monthly_income_fen=40000)
    h_poor = registry.household_create(actor=bureau, head=poor, address="谷阳路1号", monetary_assets_fen=500000,
                                      start_date=SINCE)
    old = make_person("老人乙", dt.date(1950, 8, 31), committee="310117102201", pension_fen=450000)
    h_old = registry.household_create(actor=bureau, head=old, address="张泾村1组", start_date=SINCE)
    lone = make_person("独居丙", dt.date(1970, 1, 1), committee="310117001002", monthly_income_fen=10000)
    h_lone = registry.household_create(actor=bureau, head=lone, address="乐都路2号", start_date=SINCE)
    for month in MONTHS:
        decision_run_month(actor="test", month=month)
    accounts_synthesise(actor="test", seed="test")
    dibao_poor = Enrolment.objects.create(program="dibao", household=h_poor, street_id="310117001",
                                          committee_id="310117001001", start_month="2025-08", source="application",
                                          monthly_amount_fen=125000)
    dibao_lone = Enrolment.objects.create(program="dibao", household=h_lone, street_id="310117001",
                                          committee_id="310117001002", start_month="2025-08", source="application",
                                          monthly_amount_fen=155000)
    return SimpleNamespace(poor=poor, h_poor=h_poor, old=old, h_old=h_old, lone=lone, h_lone=h_lone,
                           dibao_poor=dibao_poor, dibao_lone=dibao_lone)


def approve(staff, batch):
    """Maker (bureau) → checker → approver."""
    batch_review(actor=staff["checker"], batch=batch)
    return batch_approve(actor=staff["approver"], batch=batch)


@pytest.fixture
def paid_month(staff, town):
    """Run, approve and export a program's month; returns the batch."""
    def _paid(program: str = "dibao", month: str = "2025-08"):
        batch = batch_run(actor=staff["bureau"], program=program, month=month).batch
        approve(staff, batch)
        batch_export(actor=staff["bureau"], batch=batch)
        batch.refresh_from_db()
        return batch
    return _paid
