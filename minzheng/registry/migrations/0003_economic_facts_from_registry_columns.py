"""Copy the registry's undated income and asset columns into dated facts.

The columns were declared at registration without a start date; they become
``declared`` facts holding from the person's birth date (income) and from the
household's first membership (assets), so every month the registry could be
evaluated before still evaluates to the same figures. Income of an employed
person counts as earned income, anyone else's as other income (the engine's
rule for inputs that do not split income, docs/adr/0011-economic-facts.md).
Reversible: the reverse copies the latest fact back.
"""

import datetime as dt

from django.db import migrations

EVIDENCE = "上线前人口库登记数据"
BATCH = 5000


def forward(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    Household = apps.get_model("registry", "Household")
    Membership = apps.get_model("registry", "HouseholdMembership")
    PersonIncomeFact = apps.get_model("registry", "PersonIncomeFact")
    HouseholdAssetFact = apps.get_model("registry", "HouseholdAssetFact")
    facts = []
    for pid, birth, employment, income, pension in Person.objects.values_list(
            "id", "birth_date", "employment", "monthly_income_fen", "pension_fen").iterator(chunk_size=BATCH):
        earned = income if employment == "employed" else 0
        facts.append(PersonIncomeFact(person_id=pid, valid_from=birth, earned_fen=earned, pension_fen=pension,
                                      other_fen=income - earned, origin="declared", evidence_label=EVIDENCE,
                                      recorded_by="migration"))
        if len(facts) >= BATCH:
            PersonIncomeFact.objects.bulk_create(facts)
            facts = []
    PersonIncomeFact.objects.bulk_create(facts)
    first_member: dict[int, dt.date] = {}
    for hid, start in Membership.objects.values_list("household_id", "start_date").iterator(chunk_size=BATCH):
        if hid not in first_member or start < first_member[hid]:
            first_member[hid] = start
    facts = []
    for hid, created, assets, cars, homes, medical in Household.objects.values_list(
            "id", "created_at", "monetary_assets_fen", "private_cars", "homes", "medical_oop_12m_fen"
    ).iterator(chunk_size=BATCH):
        facts.append(HouseholdAssetFact(
            household_id=hid, valid_from=first_member.get(hid, created.date()), monetary_assets_fen=assets,
            securities_fen=0, private_cars=cars, homes=homes, medical_oop_12m_fen=medical, origin="declared",
            evidence_label=EVIDENCE, recorded_by="migration"))
        if len(facts) >= BATCH:
            HouseholdAssetFact.objects.bulk_create(facts)
            facts = []
    HouseholdAssetFact.objects.bulk_create(facts)


def backward(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    Household = apps.get_model("registry", "Household")
    PersonIncomeFact = apps.get_model("registry", "PersonIncomeFact")
    HouseholdAssetFact = apps.get_model("registry", "HouseholdAssetFact")
    for fact in PersonIncomeFact.objects.order_by("person_id", "valid_from", "id").iterator(chunk_size=BATCH):
        Person.objects.filter(pk=fact.person_id).update(
            monthly_income_fen=fact.earned_fen + fact.other_fen, pension_fen=fact.pension_fen)
    for fact in HouseholdAssetFact.objects.order_by("household_id", "valid_from", "id").iterator(chunk_size=BATCH):
        Household.objects.filter(pk=fact.household_id).update(
            monetary_assets_fen=fact.monetary_assets_fen + fact.securities_fen, private_cars=fact.private_cars,
            homes=fact.homes, medical_oop_12m_fen=fact.medical_oop_12m_fen)
    PersonIncomeFact.objects.all().delete()
    HouseholdAssetFact.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_economic_facts"),
    ]

    operations = [migrations.RunPython(forward, backward)]
