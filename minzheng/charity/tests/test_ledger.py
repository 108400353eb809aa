"""The stock ledger: donations in, distributions out, reversals; the stock never
negative (service and database), the books always balance; refusals in Chinese;
monthly figures (ADR 0040)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from minzheng.charity import selectors, services
from minzheng.charity.models import Distribution, Donation, Reversal, Stock, StockEntry
from minzheng.charity.tests.conftest import TODAY
from minzheng.core.models import AuditEntry
from minzheng.core.scope import OutOfScope

pytestmark = pytest.mark.django_db


def _give(users, market, person, item, quantity, day=dt.date(2026, 3, 5), actor="committee"):
    return services.distribution_record(actor=users[actor], supermarket=market, person=person, given_on=day,
                                        lines=[(item, quantity)], today=TODAY)


def _stock(market, item) -> int:
    return Stock.objects.get(supermarket=market, item=item).quantity


def test_donation_in_distribution_out_and_the_books_balance(users, markets, rice, make_person):
    ours = markets["ours"]
    person = make_person("王阿婆", dt.date(1945, 1, 1))
    _give(users, ours, person, rice, 8)
    _give(users, ours, person, rice, 12)
    assert _stock(ours, rice) == 0
    entries = list(StockEntry.objects.filter(supermarket=ours).order_by("id").values_list("change", "balance"))
    assert entries == [(20, 20), (-8, 12), (-12, 0)]
    assert selectors.ledger_imbalances() == []
    assert AuditEntry.objects.filter(action="charity.distribution_record").count() == 2


def test_a_distribution_larger_than_the_stock_is_refused_and_writes_nothing(users, markets, rice, make_person):
    ours = markets["ours"]
    person = make_person("李老伯", dt.date(1940, 1, 1))
    _give(users, ours, person, rice, 19)
    with pytest.raises(ValidationError) as err:
        _give(users, ours, person, rice, 2)
    assert err.value.messages == ["“大米”库存不足：现有1袋，需要2袋"]
    assert _stock(ours, rice) == 1
    assert Distribution.objects.count() == 1 and StockEntry.objects.count() == 2
    _give(users, ours, person, rice, 1)  # exactly the stock: allowed, ends at zero
    assert _stock(ours, rice) == 0


def test_an_item_never_held_cannot_be_given(users, markets, rice, make_person):
    from minzheng.charity.models import Item

    oil = Item.objects.create(name="食用油", unit="桶")
    with pytest.raises(ValidationError, match="“食用油”库存不足：现有0桶"):
        _give(users, markets["ours"], make_person(), oil, 1)
    assert not Stock.objects.filter(item=oil).exists()


def test_the_database_refuses_a_negative_stock_even_without_the_service(rice, markets):
    stock = Stock.objects.get(supermarket=markets["ours"], item=rice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(quantity=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockEntry.objects.create(supermarket=markets["ours"], item=rice, day=TODAY, kind="distribution",
                                  change=-21, balance=-1, recorded_by="x")


def test_reversals_are_entries_not_edits(users, markets, rice, make_person):
    ours = markets["ours"]
    person = make_person("赵阿姨", dt.date(1950, 1, 1))
    given = _give(users, ours, person, rice, 15)
    donation = Donation.objects.get()
    with pytest.raises(ValidationError, match="“大米”库存不足：现有5袋，需要20袋"):
        services.donation_reverse(actor=users["committee"], donation=donation, reason="重复登记", today=TODAY)
    services.distribution_reverse(actor=users["committee"], distribution=given, reason="登记错了人", today=TODAY)
    assert _stock(ours, rice) == 20
    with pytest.raises(ValidationError, match="该发放已冲正"):
        services.distribution_reverse(actor=users["committee"], distribution=given, reason="再来", today=TODAY)
    services.donation_reverse(actor=users["committee"], donation=donation, reason="重复登记", today=TODAY)
    assert _stock(ours, rice) == 0
    kinds = list(StockEntry.objects.order_by("id").values_list("kind", "change", "balance"))
    assert kinds == [("donation", 20, 20), ("distribution", -15, 5), ("distribution_reversal", 15, 20),
                     ("donation_reversal", -20, 0)]
    given.refresh_from_db()
    assert given.lines.get().quantity == 15  # the record itself is untouched
    assert Reversal.objects.count() == 2 and selectors.ledger_imbalances() == []
    with pytest.raises(ValidationError, match="冲正原因"):
        services.donation_reverse(actor=users["committee"], donation=donation, reason=" ", today=TODAY)


def test_money_donations_and_donors(users, markets):
    ours = markets["ours"]
    gift = services.donation_record(actor=users["street"], supermarket=ours, kind="money", donor_kind="anonymous",
                                    donor_name="", received_on=dt.date(2026, 4, 1), amount_fen=50000, today=TODAY)
    assert gift.donor_name == "" and not StockEntry.objects.exists()
    with pytest.raises(ValidationError, match="请填写捐赠方名称"):
        services.donation_record(actor=users["street"], supermarket=ours, kind="money", donor_kind="person",
                                 donor_name="", received_on=dt.date(2026, 4, 1), amount_fen=100, today=TODAY)
    with pytest.raises(ValidationError, match="大于0的捐赠金额"):
        services.donation_record(actor=users["street"], supermarket=ours, kind="money", donor_kind="anonymous",
                                 donor_name="", received_on=dt.date(2026, 4, 1), amount_fen=0, today=TODAY)
    with pytest.raises(ValidationError, match="不能晚于"):
        services.donation_record(actor=users["street"], supermarket=ours, kind="money", donor_kind="anonymous",
                                 donor_name="", received_on=TODAY + dt.timedelta(days=1), amount_fen=1, today=TODAY)


def test_receipt_numbers_are_unique_per_supermarket(users, markets, rice):
    with pytest.raises(ValidationError, match="票据号“JZ-001”已登记过"):
        services.donation_record(actor=users["committee"], supermarket=markets["ours"], kind="goods",
                                 donor_kind="anonymous", donor_name="", received_on=dt.date(2026, 3, 3),
                                 receipt_no="JZ-001", lines=[services.GoodsLine("大米", 1)], today=TODAY)


def test_a_new_item_needs_its_unit_and_quantities_are_bounded(users, markets):
    with pytest.raises(ValidationError, match="单位"):
        services.donation_record(actor=users["committee"], supermarket=markets["ours"], kind="goods",
                                 donor_kind="anonymous", donor_name="", received_on=dt.date(2026, 3, 3),
                                 lines=[services.GoodsLine("毛毯", 3)], today=TODAY)
    with pytest.raises(ValidationError, match="数量应为1至"):
        services.donation_record(actor=users["committee"], supermarket=markets["ours"], kind="goods",
                                 donor_kind="anonymous", donor_name="", received_on=dt.date(2026, 3, 3),
                                 lines=[services.GoodsLine("毛毯", 10**12, "条")], today=TODAY)


def test_scope_and_roles(users, markets, rice, make_person):
    theirs = markets["theirs"]
    with pytest.raises(OutOfScope):
        services.donation_record(actor=users["committee"], supermarket=theirs, kind="money", donor_kind="anonymous",
                                 donor_name="", received_on=dt.date(2026, 3, 3), amount_fen=100, today=TODAY)
    with pytest.raises(OutOfScope):
        selectors.supermarket_get(users["other_street"], markets["ours"].pk)
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(NotPermitted):
        services.supermarket_register(actor=users["committee"], name="新超市", operator="某", street_code="310117001",
                                      address="x", opened_on=dt.date(2021, 1, 1), today=TODAY)
    with pytest.raises(OutOfScope):
        services.supermarket_register(actor=users["street"], name="泗泾新超市", operator="某",
                                      street_code="310117102", address="x", opened_on=dt.date(2021, 1, 1), today=TODAY)


def test_a_suspended_supermarket_records_nothing_new(users, markets, rice, make_person):
    ours = markets["ours"]
    services.supermarket_status_set(actor=users["street"], supermarket=ours, status="suspended", reason="装修")
    with pytest.raises(ValidationError, match="暂停"):
        _give(users, ours, make_person(), rice, 1)


def test_monthly_figures_by_supermarket_and_street(users, markets, rice, make_person):
    ours = markets["ours"]
    a, b = make_person("甲", dt.date(1950, 1, 1)), make_person("乙", dt.date(1951, 1, 1))
    _give(users, ours, a, rice, 2, day=dt.date(2026, 3, 5))
    _give(users, ours, a, rice, 3, day=dt.date(2026, 3, 20))
    _give(users, ours, b, rice, 4, day=dt.date(2026, 4, 2))
    wrong = _give(users, ours, b, rice, 1, day=dt.date(2026, 4, 3))
    services.distribution_reverse(actor=users["committee"], distribution=wrong, reason="误登", today=TODAY)
    services.donation_record(actor=users["committee"], supermarket=ours, kind="money", donor_kind="person",
                             donor_name="张先生", received_on=dt.date(2026, 3, 9), amount_fen=20000, today=TODAY)
    rows = {r.key: r for r in selectors.monthly_figures(users["bureau"], 2026)}
    row = rows[str(ours.pk)]
    march, april = row.months["2026-03"], row.months["2026-04"]
    assert (march.donations, march.money_fen, march.goods_in) == (2, 20000, 20)
    assert (march.distributions, march.goods_out, march.persons) == (2, 5, 1)
    assert (april.distributions, april.goods_out, april.persons) == (1, 4, 1)
    assert (row.total.distributions, row.total.persons) == (3, 2)
    streets = {r.key: r for r in selectors.monthly_figures(users["bureau"], 2026, by="street")}
    assert streets["310117001"].total.goods_out == 9 and streets["310117102"].total.distributions == 0
    assert [r.key for r in selectors.monthly_figures(users["committee"], 2026)] == [str(ours.pk)]


def test_a_beneficiary_outside_the_jurisdiction_is_not_found(users, markets, rice, make_person):
    from minzheng.registry.models import Person

    elsewhere = make_person("外街居民", dt.date(1950, 1, 1), committee="310117102201")
    with pytest.raises(Person.DoesNotExist):
        _give(users, markets["ours"], elsewhere, rice, 1)
    assert not Distribution.objects.exists()
