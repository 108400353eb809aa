"""The undated income and asset columns give way to the dated facts (copied by 0003)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0003_economic_facts_from_registry_columns"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='household',
            name='homes',
        ),
        migrations.RemoveField(
            model_name='household',
            name='medical_oop_12m_fen',
        ),
        migrations.RemoveField(
            model_name='household',
            name='monetary_assets_fen',
        ),
        migrations.RemoveField(
            model_name='household',
            name='private_cars',
        ),
        migrations.RemoveField(
            model_name='person',
            name='monthly_income_fen',
        ),
        migrations.RemoveField(
            model_name='person',
            name='pension_fen',
        ),
    ]
