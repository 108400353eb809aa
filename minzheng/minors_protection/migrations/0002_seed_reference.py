"""Concern kinds and the bureau's assessment deadlines (ADR 0036; minors_protection.reference)."""

from django.db import migrations

from minzheng.minors_protection.reference import seed


class Migration(migrations.Migration):
    dependencies = [("minors_protection", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
