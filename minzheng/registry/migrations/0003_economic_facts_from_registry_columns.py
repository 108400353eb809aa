"""Copy the registry's undated income and asset columns into dated facts.

The columns were declared at registration without a start date; they become
``declared`` facts holding from the person's birth date (income) and from the
household's first membership (assets), so every month the registry could be
evaluated before still evaluates to the same figures. Income of an employed
person counts as earned income, anyone else's as other income (the engine's
rule for inputs that do not split income, docs/adr/0011-economic-facts.md).
Reversible: the reverse copies the latest fact back.
"""

from django.db import migrations
from django.utils import timezone

EVIDENCE = "上线前人口库登记数据"
BATCH = 5000


def forward(apps, schema_editor):
    """Two ``INSERT … SELECT`` statements: 1.9 million persons move in seconds, not row by row."""
    connection = schema_editor.connection
    now = timezone.now()
    created_day = "CAST(h.created_at AS DATE)" if connection.vendor == "postgresql" else "date(h.created_at)"
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO registry_personincomefact (person_id, valid_from, earned_fen, pension_fen, other_fen,
                   origin, evidence_kind, evidence_id, evidence_label, recorded_by, recorded_at)
               SELECT p.id, p.birth_date,
                      CASE WHEN p.employment = 'employed' THEN p.monthly_income_fen ELSE 0 END, p.pension_fen,
                      CASE WHEN p.employment = 'employed' THEN 0 ELSE p.monthly_income_fen END,
                      'declared', '', '', %s, 'migration', %s
               FROM registry_person p""",
            [EVIDENCE, now])
        cursor.execute(
            f"""INSERT INTO registry_householdassetfact (household_id, valid_from, monetary_assets_fen, securities_fen,
                   private_cars, homes, medical_oop_12m_fen, origin, evidence_kind, evidence_id, evidence_label,
                   recorded_by, recorded_at)
               SELECT h.id, COALESCE(f.first_start, {created_day}), h.monetary_assets_fen, 0, h.private_cars, h.homes,
                      h.medical_oop_12m_fen, 'declared', '', '', %s, 'migration', %s
               FROM registry_household h
               LEFT JOIN (SELECT household_id, MIN(start_date) AS first_start FROM registry_householdmembership
                          GROUP BY household_id) f ON f.household_id = h.id""",
            [EVIDENCE, now])
        if connection.vendor == "postgresql":  # the monthly read plans on these tables at once
            cursor.execute("ANALYZE registry_personincomefact")
            cursor.execute("ANALYZE registry_householdassetfact")


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
