"""Migrations 0002–0004 turn the undated income and asset columns into
declared facts without changing what any month evaluates to (ADR 0011)."""

from __future__ import annotations

import datetime as dt

KIND = "街道"  # the kind is not what this test is about
BEFORE = [("registry", "0001_initial")]
AFTER = [("registry", "0004_drop_undated_economic_columns")]


def test_columns_become_declared_facts_and_back(migration_executor):
    executor = migration_executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Division = old.get_model("core", "Division")
    district = Division.objects.get_or_create(code="310117", defaults={"name": "松江区", "level": "district",
                                                                       "kind": KIND})[0]
    street = Division.objects.get_or_create(code="310117001", defaults={"name": "岳阳街道", "level": "street",
                                                                          "kind": KIND, "parent": district})[0]
    committee = Division.objects.get_or_create(code="310117001001", defaults={
        "name": "谷阳居委会", "level": "committee", "kind": KIND, "parent": street})[0]
    Person = old.get_model("registry", "Person")
    Household = old.get_model("registry", "Household")
    Membership = old.get_model("registry", "HouseholdMembership")
    common = {"street_id": committee.parent_id, "committee_id": committee.code, "sex": "M", "name_pinyin": "x",
              "name_initials": "x", "id_number_enc": "x", "id_number_masked": "x"}
    worker = Person.objects.create(name="甲", id_number_index="a", birth_date=dt.date(1980, 1, 1),
                                   employment="employed", monthly_income_fen=500_000, pension_fen=0, **common)
    retiree = Person.objects.create(name="乙", id_number_index="b", birth_date=dt.date(1950, 1, 1),
                                    employment="retired", monthly_income_fen=20_000, pension_fen=300_000, **common)
    household = Household.objects.create(street_id=committee.parent_id, committee_id=committee.code, address="某路1号",
                                         monetary_assets_fen=1_234_500, private_cars=1, homes=2, medical_oop_12m_fen=7)
    Membership.objects.create(household=household, person=worker, relation="本人", start_date=dt.date(2019, 5, 1))
    Membership.objects.create(household=household, person=retiree, relation="父母", start_date=dt.date(2018, 3, 1))

    executor = migration_executor()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Income = new.get_model("registry", "PersonIncomeFact")
    Assets = new.get_model("registry", "HouseholdAssetFact")
    assert list(Income.objects.filter(person_id=worker.pk).values_list(
        "valid_from", "earned_fen", "pension_fen", "other_fen", "origin")) == [
        (dt.date(1980, 1, 1), 500_000, 0, 0, "declared")]
    assert list(Income.objects.filter(person_id=retiree.pk).values_list("earned_fen", "pension_fen", "other_fen")) == [
        (0, 300_000, 20_000)]
    assert list(Assets.objects.values_list("household_id", "valid_from", "monetary_assets_fen", "private_cars",
                                           "homes", "medical_oop_12m_fen")) == [
        (household.pk, dt.date(2018, 3, 1), 1_234_500, 1, 2, 7)]

    executor = migration_executor()
    executor.migrate(BEFORE)  # and back: the latest facts return to the columns
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("registry", "Person").objects.get(pk=retiree.pk).monthly_income_fen == 20_000
    assert old.get_model("registry", "Household").objects.get(pk=household.pk).homes == 2
