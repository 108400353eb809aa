"""Daily files (quarantine, the same file twice), monthly settlements
(idempotence, late files as next month's adjustments, approval) and scope."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.permissions import SeparationOfDuties
from minzheng.core.scope import OutOfScope
from minzheng.meals.models import (
    MealImport,
    MealRecord,
    QuarantinedRow,
    Settlement,
    SettlementStatus,
)
from minzheng.meals.services import (
    meal_file_import,
    settlement_approve,
    settlement_run,
    settlements_run_all,
)
from minzheng.meals.tests.conftest import csv_file

pytestmark = pytest.mark.django_db


def _import(canteen, rows, actor="test", name="day.csv"):
    return meal_file_import(actor=actor, canteen_id=canteen.pk, stream=csv_file(rows), file_name=name)


def test_bad_rows_are_quarantined_with_row_and_reason(canteens, elder):
    from minzheng.registry.services import with_check_character

    a = elder(birth=dt.date(1950, 1, 1))
    stranger = with_check_character("31011719500101099")
    meal_import, created = _import(canteens[0], [
        (a, "", "2025-03-03", "午餐", "堂食"),
        (stranger, "查无此人", "2025-03-03", "午餐", "堂食"),
        ("12345", "某某", "2025-03-03", "午餐", "堂食"),
        (a, "", "2025-13-01", "午餐", "堂食"),
        (a, "", "2025-03-04", "夜宵", "堂食"),
        (a, "冒名", "2025-03-05", "午餐", "堂食"),
    ])
    assert created and meal_import.rows_total == 6 and meal_import.rows_recorded == 1
    rows = {q.row_number: q.reason for q in QuarantinedRow.objects.filter(meal_import=meal_import)}
    assert set(rows) == {3, 4, 5, 6, 7}
    assert "人口库中没有" in rows[3] and "身份证号" in rows[4] and "用餐日期" in rows[5]
    assert "餐次" in rows[6] and "姓名" in rows[7]
    assert all(stranger not in json.dumps(q.values, ensure_ascii=False)
               for q in QuarantinedRow.objects.all())


def test_the_same_file_twice_changes_nothing(canteens, elder):
    a, b = elder(birth=dt.date(1950, 1, 1)), elder("陈老伯", birth=dt.date(1940, 1, 1))
    rows = [(a, "", "2025-03-03", "午餐", "堂食"), (b, "", "2025-03-03", "午餐", "送餐")]
    first, created = _import(canteens[0], rows)
    again, created_again = _import(canteens[0], rows)
    assert created and not created_again and again.pk == first.pk
    assert MealRecord.objects.count() == 2 and MealImport.objects.count() == 1
    # the same rows in another file (another name, a row added) are not recorded twice
    other, _ = _import(canteens[0], [*rows, (a, "", "2025-03-04", "午餐", "堂食")], name="day2.csv")
    assert other.rows_repeated == 2 and other.rows_recorded == 1 and MealRecord.objects.count() == 3


def test_xlsx_and_json_files(canteens, elder):
    from openpyxl import Workbook

    from minzheng.meals.daily_files import HEADERS, template_xlsx

    assert template_xlsx()[:2] == b"PK"
    a = elder(birth=dt.date(1950, 1, 1))
    book = Workbook()
    book.active.append(list(HEADERS))
    book.active.append([a.id_number, a.name, dt.date(2025, 3, 3), "午餐", "堂食"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    meal_file_import(actor="test", canteen_id=canteens[0].pk, stream=out, file_name="d.xlsx")
    data = [{"身份证号": a.id_number, "姓名": a.name, "用餐日期": "2025-03-04", "餐次": "午餐", "用餐方式": "送餐"}]
    meal_file_import(actor="test", canteen_id=canteens[0].pk, stream=io.BytesIO(json.dumps(data).encode()),
                     file_name="d.json")
    assert MealRecord.objects.filter(person=a).count() == 2


def test_settlement_is_made_once_and_late_records_go_to_the_next_month(canteens, elder):
    a, b = elder(birth=dt.date(1950, 1, 1)), elder("陈老伯", birth=dt.date(1940, 1, 1))
    _import(canteens[0], [(a, "", "2025-03-03", "午餐", "堂食"), (a, "", "2025-03-03", "晚餐", "堂食"),
                          (b, "", "2025-03-04", "午餐", "送餐"), (b, "", "2025-04-01", "午餐", "堂食")])
    march, created = settlement_run(actor="street-officer", canteen_id=canteens[0].pk, month="2025-03")
    assert created and (march.meals, march.subsidised_meals, march.subsidy_fen) == (3, 2, 600)
    assert march.anomalies == {"当日已享受一次助餐补贴": 1} and march.total_fen == 600
    again, created_again = settlement_run(actor="street-officer", canteen_id=canteens[0].pk, month="2025-03")
    assert not created_again and again.pk == march.pk
    assert settlements_run_all(actor="x", month="2025-03") == {"canteens": 2, "settled": 1, "already_settled": 1}
    # a late file for March
    _import(canteens[0], [(a, "", "2025-03-20", "午餐", "堂食")], name="late.csv")
    march.refresh_from_db()
    assert (march.meals, march.subsidy_fen) == (3, 600)
    april, _ = settlement_run(actor="street-officer", canteen_id=canteens[0].pk, month="2025-04")
    assert (april.meals, april.subsidy_fen) == (1, 400)
    assert april.adjustments == [{"month": "2025-03", "meals": 1, "subsidised": 1, "fen": 200}]
    assert (april.adjustment_fen, april.total_fen) == (200, 600)
    from minzheng.meals.selectors import settlement_records

    assert [r.day for r in settlement_records(april)] == [dt.date(2025, 3, 20), dt.date(2025, 4, 1)]
    assert len(settlement_records(march)) == 3
    may, _ = settlement_run(actor="street-officer", canteen_id=canteens[0].pk, month="2025-05")
    assert (may.meals, may.adjustment_meals, may.total_fen) == (0, 0, 0)


def test_current_month_cannot_be_settled(canteens):
    from django.utils import timezone

    with pytest.raises(ValidationError, match="尚未结束"):
        settlement_run(actor="x", canteen_id=canteens[0].pk, month=f"{timezone.localdate():%Y-%m}")


def test_approval_is_maker_checker(canteens, users):
    settlement, _ = settlement_run(actor=users["bureau"], canteen_id=canteens[0].pk, month="2025-03")
    with pytest.raises(SeparationOfDuties):
        settlement_approve(actor=users["bureau"], settlement_id=settlement.pk)
    from minzheng.core.models import Role
    from minzheng.core.services import user_create

    checker = user_create(actor="test", username="checker", password="pass-12345", role=Role.BUREAU,
                          scope_code="310117")
    approved = settlement_approve(actor=checker, settlement_id=settlement.pk)
    assert approved.status == SettlementStatus.APPROVED and approved.approved_by == "checker"


def test_canteen_staff_see_only_their_canteen(canteens, canteen_user, elder):
    from minzheng.core.permissions import NotPermitted

    a = elder(birth=dt.date(1950, 1, 1))
    with pytest.raises(OutOfScope):
        meal_file_import(actor=canteen_user, canteen_id=canteens[1].pk,
                         stream=csv_file([(a, "", "2025-03-03", "午餐", "堂食")]), file_name="x.csv")
    meal_file_import(actor=canteen_user, canteen_id=canteens[0].pk,
                     stream=csv_file([(a, "", "2025-03-03", "午餐", "堂食")]), file_name="x.csv")
    with pytest.raises(NotPermitted):
        settlement_run(actor=canteen_user, canteen_id=canteens[0].pk, month="2025-03")
    assert Settlement.objects.count() == 0


def test_approved_settlement_is_paid_to_the_canteen_operator_through_payments(canteens, users, elder):
    from minzheng.core.models import Role
    from minzheng.core.services import user_create
    from minzheng.meals.services import settlement_payment_request
    from minzheng.payments.models import LineKind, OneOffPayment, OneOffStatus, PaymentLine
    from minzheng.payments.services import one_off_batch_create

    canteen = canteens[0]
    canteen.operator_name, canteen.operator_uscc = "演示餐饮管理有限公司", "91310117MA1J3E4A21"
    canteen.save()
    a = elder(birth=dt.date(1940, 1, 1))
    _import(canteen, [(a, "", "2025-03-03", "午餐", "堂食")])
    settlement, _ = settlement_run(actor=users["street"], canteen_id=canteen.pk, month="2025-03")
    with pytest.raises(ValidationError, match="审批后"):
        settlement_payment_request(actor=users["bureau"], settlement_id=settlement.pk, bank_name="农业银行",
                                   account_number="6228480012345678901")
    settlement_approve(actor=users["bureau"], settlement_id=settlement.pk)
    paid = settlement_payment_request(actor=users["bureau"], settlement_id=settlement.pk, bank_name="农业银行",
                                      account_number="6228480012345678901")
    assert paid.status == SettlementStatus.PAYMENT_REQUESTED
    again = settlement_payment_request(actor=users["bureau"], settlement_id=settlement.pk, bank_name="农业银行",
                                       account_number="6228480012345678901")
    assert again.payment_reference == paid.payment_reference and OneOffPayment.objects.count() == 1
    request = OneOffPayment.objects.get()
    assert (request.payee_id, request.payee_organisation.name, request.amount_fen) == (None, "演示餐饮管理有限公司", 400)
    preparer = user_create(actor="test", username="preparer", password="pass-12345", role=Role.BUREAU,
                           scope_code="310117")
    batch = one_off_batch_create(actor=preparer, program="meal_subsidy", month="2025-04")
    line = PaymentLine.objects.get(batch=batch)
    assert (line.kind, line.person_id, line.account_id, line.organisation_id) == (
        LineKind.ONE_OFF, None, None, request.payee_organisation_id)
    assert line.payee_name == "演示餐饮管理有限公司" and line.amount_fen == 400
    request.refresh_from_db()
    assert request.status == OneOffStatus.BATCHED


def test_uncovered_ranges_are_exactly_the_records_no_settlement_covers():
    """The day ranges with id floors used by the settlement query (``_uncovered``)
    select the same records as the definition: of the month or before, not
    covered by any earlier settlement (its month or before, id up to its
    watermark) — for random histories of settlements and late records."""
    import random

    from minzheng.meals.rules import month_last
    from minzheng.meals.services import _uncovered

    rng = random.Random(32)
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    for _ in range(300):
        settled = [(rng.choice(months), rng.randint(1, 400)) for _ in range(rng.randint(0, 6))]
        month = rng.choice(months)
        ranges = _uncovered(settled, month)
        for _ in range(60):
            day = dt.date(2025, rng.randint(1, 12), rng.randint(1, 28))
            record_id = rng.randint(1, 450)
            expected = day <= month_last(month) and not any(
                day <= month_last(m) and record_id <= last for m, last in settled)
            found = any((first is None or day >= first) and day <= last and record_id > floor
                        for first, last, floor in ranges)
            assert found == expected, (settled, month, day, record_id, ranges)
