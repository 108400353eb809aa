"""A household declares its income and assets (at intake or on a change):
every member and every figure, in one transaction, as dated declared facts."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.registry.models import FactOrigin
from minzheng.registry.selectors import assets_in_force, income_in_force
from minzheng.registry.services import household_add_member, household_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(users, make_person):
    head = make_person("孙立", dt.date(1975, 1, 1))
    son = make_person("孙小", dt.date(2005, 1, 1))
    h = household_create(actor=users["bureau"], head=head, address="谷阳北路5号", start_date=dt.date(2020, 1, 1))
    household_add_member(actor=users["bureau"], household=h, person=son, relation="子女", start_date=dt.date(2020, 1, 1))
    return h, head, son


def _form(head, son, **changes):
    data = {"valid_from": "2025-10-08", "evidence": "申请书", f"earned_{head.pk}": "3,200.50", f"pension_{head.pk}": "0",
            f"other_{head.pk}": "0", f"earned_{son.pk}": "0", f"pension_{son.pk}": "0", f"other_{son.pk}": "150",
            "monetary_assets": "12000", "securities": "0", "private_cars": "0", "homes": "1", "medical_oop_12m": "0"}
    return data | changes


def test_a_declaration_records_every_member_and_the_assets(client, users, household):
    h, head, son = household
    client.force_login(users["committee"])
    response = client.post(f"/registry/households/{h.pk}/declare/", _form(head, son))
    assert response.status_code == 302
    fact = income_in_force(head, dt.date(2025, 10, 8))
    assert (fact.earned_fen, fact.origin, fact.evidence_label) == (320_050, FactOrigin.DECLARED, "申请书")
    assert income_in_force(son, dt.date(2025, 10, 8)).other_fen == 15_000
    assert assets_in_force(h, dt.date(2025, 10, 8)).monetary_assets_fen == 1_200_000
    # the earlier declaration stays as history
    assert income_in_force(head, dt.date(2025, 10, 7)).earned_fen == 0


def test_a_blank_or_bad_field_is_an_error_and_nothing_is_written(client, users, household):
    h, head, son = household
    client.force_login(users["committee"])
    page = client.post(f"/registry/households/{h.pk}/declare/",
                       _form(head, son, **{f"other_{son.pk}": "", "monetary_assets": "-5", "homes": "x"}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "孙小其他收入：请填写（没有请填0）" in text and "货币财产（元）：金额不能为负数" in text
    assert "住房（套）：应为0至999的整数" in text
    assert head.income_facts.count() == 1 and h.asset_facts.count() == 1


def test_roles_and_scope(client, users, household):
    h, head, son = household
    client.force_login(users["auditor"])
    assert client.get(f"/registry/households/{h.pk}/declare/").status_code == 403
    client.force_login(users["other_street"])
    assert client.get(f"/registry/households/{h.pk}/declare/").status_code == 404


def test_the_form_keeps_what_was_typed_after_an_error(client, users, household):
    h, head, son = household
    client.force_login(users["committee"])
    assert "登记申报" in client.get(f"/registry/households/{h.pk}/declare/").content.decode()
    text = client.post(f"/registry/households/{h.pk}/declare/", _form(head, son, homes="x")).content.decode()
    assert 'value="3,200.50"' in text and 'value="12000"' in text
