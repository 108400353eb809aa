"""The subsidy rules on each record (REFERENCE § 10; ADR 0032)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.meals.models import MealRecord, SubsidyRate, Tier
from minzheng.meals.rules import (
    REASON_DEAD,
    REASON_HUKOU,
    REASON_PARAMETER,
    REASON_REPEAT,
    REASON_YOUNG,
    age_on,
)
from minzheng.meals.services import meal_counter_record, meal_file_import, rate_add
from minzheng.meals.tests.conftest import csv_file

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 10)


def _import(canteen, rows, actor="test"):
    return meal_file_import(actor=actor, canteen_id=canteen.pk, stream=csv_file(rows), file_name="day.csv")


def test_rates_are_seeded_as_dated_unverified_rows():
    rates = {r.tier: r for r in SubsidyRate.objects.all()}
    assert rates[Tier.HIGH].amount_fen == 400 and rates[Tier.BASIC].amount_fen == 200
    assert rates[Tier.HIGH].valid_from == dt.date(2024, 12, 1) and rates[Tier.HIGH].date_approximate
    assert not rates[Tier.HIGH].verified


def test_second_meal_same_day_is_recorded_unsubsidised(canteens, elder):
    a = elder(birth=dt.date(1950, 1, 1))
    _import(canteens[0], [(a, "", DAY, "午餐", "堂食"), (a, "", DAY, "晚餐", "送餐")])
    _import(canteens[1], [(a, "", DAY, "早餐", "堂食")])  # another canteen, same day
    records = list(MealRecord.objects.filter(person=a).order_by("id"))
    assert [r.subsidised for r in records] == [True, False, False]
    assert records[0].subsidy_fen == 200 and records[0].tier == Tier.BASIC
    assert [r.reason for r in records[1:]] == [REASON_REPEAT, REASON_REPEAT]


def test_no_subsidy_on_or_after_death(canteens, elder, users):
    from minzheng.registry.services import person_record_death

    a = elder(birth=dt.date(1940, 1, 1))
    person_record_death(actor=users["bureau"], person=a, death_date=DAY)
    _import(canteens[0], [(a, "", DAY - dt.timedelta(days=1), "午餐", "堂食"), (a, "", DAY, "午餐", "堂食")])
    before, after = MealRecord.objects.filter(person=a).order_by("day")
    assert before.subsidised and before.subsidy_fen == 400
    assert not after.subsidised and after.subsidy_fen == 0 and after.reason == REASON_DEAD


def test_not_eligible_recorded_with_reason(canteens, elder):
    young = elder("李阿姨", birth=dt.date(1965, 1, 1))
    outsider = elder("赵老伯", birth=dt.date(1940, 1, 1), hukou_shanghai=False)
    _import(canteens[0], [(young, "", DAY, "午餐", "堂食"), (outsider, "", DAY, "午餐", "堂食")])
    assert MealRecord.objects.get(person=young).reason == REASON_YOUNG
    assert MealRecord.objects.get(person=outsider).reason == REASON_HUKOU
    assert not MealRecord.objects.filter(subsidised=True).exists()


def test_tier_follows_age_on_the_meals_day(canteens, elder):
    turns_65 = elder("钱阿婆", birth=dt.date(1960, 3, 10))
    turns_80 = elder("孙老伯", birth=dt.date(1945, 3, 10))
    eve = DAY - dt.timedelta(days=1)
    _import(canteens[0], [(turns_65, "", eve, "午餐", "堂食"), (turns_65, "", DAY, "午餐", "堂食"),
                          (turns_80, "", eve, "午餐", "堂食"), (turns_80, "", DAY, "午餐", "堂食")])
    r65 = list(MealRecord.objects.filter(person=turns_65).order_by("day"))
    r80 = list(MealRecord.objects.filter(person=turns_80).order_by("day"))
    assert [(r.subsidised, r.subsidy_fen) for r in r65] == [(False, 0), (True, 200)]
    assert r65[0].reason == REASON_YOUNG
    assert [(r.tier, r.subsidy_fen) for r in r80] == [(Tier.BASIC, 200), (Tier.HIGH, 400)]


def test_age_on_counts_completed_years():
    assert age_on(dt.date(1960, 3, 10), dt.date(2025, 3, 9)) == 64
    assert age_on(dt.date(1960, 3, 10), dt.date(2025, 3, 10)) == 65
    assert age_on(dt.date(1960, 2, 29), dt.date(2025, 2, 28)) == 64


def test_assistance_status_and_severe_disability_give_the_high_tier(canteens, elder, users):
    from minzheng.casework.models import Enrolment, EnrolmentSource
    from minzheng.registry.services import disability_certificate_add

    dibao = elder("周阿婆", birth=dt.date(1955, 1, 1))
    Enrolment.objects.create(program="extreme_poverty", person=dibao, street_id=dibao.street_id,
                             committee_id=dibao.committee_id, start_month="2025-03", source=EnrolmentSource.OTHER)
    disabled = elder("吴老伯", birth=dt.date(1955, 1, 1))
    disability_certificate_add(actor=users["bureau"], person=disabled, grade=2, kind="肢体",
                               valid_from=dt.date(2025, 3, 10))
    eve = DAY - dt.timedelta(days=1)
    _import(canteens[0], [(dibao, "", dt.date(2025, 2, 28), "午餐", "堂食"), (dibao, "", DAY, "午餐", "堂食"),
                          (disabled, "", eve, "午餐", "堂食"), (disabled, "", DAY, "午餐", "堂食")])
    assert [r.subsidy_fen for r in MealRecord.objects.filter(person=dibao).order_by("day")] == [200, 400]
    assert [r.subsidy_fen for r in MealRecord.objects.filter(person=disabled).order_by("day")] == [200, 400]


def test_parameter_change_mid_month_applies_by_day(canteens, elder, users):
    a = elder(birth=dt.date(1950, 1, 1))
    rate_add(actor=users["bureau"], tier=Tier.BASIC, valid_from=dt.date(2025, 3, 16), amount_fen=300,
             source="测试：新的区级通知", certainty="assumption")
    _import(canteens[0], [(a, "", dt.date(2025, 3, 15), "午餐", "堂食"), (a, "", dt.date(2025, 3, 16), "午餐", "堂食")])
    assert [r.subsidy_fen for r in MealRecord.objects.filter(person=a).order_by("day")] == [200, 300]


def test_no_rate_before_the_first_row_is_parameter_missing(canteens, elder):
    a = elder(birth=dt.date(1950, 1, 1))
    _import(canteens[0], [(a, "", dt.date(2024, 11, 30), "午餐", "堂食")])
    record = MealRecord.objects.get(person=a)
    assert not record.subsidised and record.reason == REASON_PARAMETER and record.tier == Tier.BASIC


def test_counter_entry_and_its_refusal(canteens, canteen_user, elder):
    from django.core.exceptions import ValidationError

    a = elder(birth=dt.date(1950, 1, 1))
    record = meal_counter_record(actor=canteen_user, canteen_id=canteens[0].pk, id_number=a.id_number, name=a.name,
                                 day=DAY, slot="lunch", kind="dine_in")
    assert record.subsidised and record.meal_import.source == "counter"
    assert meal_counter_record(actor=canteen_user, canteen_id=canteens[0].pk, id_number=a.id_number, name=a.name,
                               day=DAY, slot="lunch", kind="dine_in") is None
    with pytest.raises(ValidationError, match="姓名"):
        meal_counter_record(actor=canteen_user, canteen_id=canteens[0].pk, id_number=a.id_number, name="别人",
                            day=DAY, slot="dinner", kind="dine_in")
    assert MealRecord.objects.count() == 1
    assert not record.meal_import.quarantined.exists()


def test_the_rules_on_arrays_decide_as_the_rules_row_by_row():
    """``decide_many`` (the import's path, whole arrays) gives the tier, rate
    and reason of ``decide`` (one elder, one day) for random elders and days:
    birthdays around the day (29 February too), deaths, hukou, assistance and
    disability ranges, and a rate change mid-month."""
    import random

    import numpy as np

    from minzheng.meals.rules import FactColumns, PersonFacts, RateTable, decide, decide_many

    rates = RateTable([
        SubsidyRate(pk=1, tier=Tier.HIGH, valid_from=dt.date(2024, 12, 1), amount_fen=400),
        SubsidyRate(pk=2, tier=Tier.BASIC, valid_from=dt.date(2024, 12, 1), amount_fen=200),
        SubsidyRate(pk=3, tier=Tier.BASIC, valid_from=dt.date(2025, 3, 16), amount_fen=300),
    ])
    rng = random.Random(16)
    start = dt.date(2024, 11, 1)

    def some_day() -> dt.date:
        return start + dt.timedelta(days=rng.randint(0, 240))

    facts = {}
    for pk in range(1, 201):
        birth = rng.choice([dt.date(1960, 2, 29), dt.date(1945, 3, 10), dt.date(1960, 3, 10)]) if pk % 5 == 0 \
            else dt.date(rng.randint(1935, 1965), rng.randint(1, 12), rng.randint(1, 28))
        died = some_day() if pk % 7 == 0 else None
        ranges = sorted(some_day() for _ in range(2))
        facts[pk] = PersonFacts(birth, pk % 11 != 0, died is None and pk % 13 != 0, died,
                                assistance=[tuple(ranges)] if pk % 3 == 0 else [],
                                disability=[(some_day(), dt.date(9999, 12, 31))] if pk % 4 == 0 else [])
    columns = FactColumns()
    columns.add(facts)
    people = [rng.randint(1, 200) for _ in range(3000)]
    days = [some_day() for _ in people]
    many = decide_many(columns, np.array(people), np.array([d.toordinal() for d in days]), rates)
    for i, (pk, day) in enumerate(zip(people, days, strict=True)):
        one = decide(facts[pk], day, rates)
        assert (many.tier[i], int(many.rate_id[i]), many.reason[i]) == (
            one.tier, one.rate.pk if one.rate else 0, one.reason), (facts[pk], day)
        assert int(many.amount_fen[i]) == (one.rate.amount_fen if one.rate else 0)
