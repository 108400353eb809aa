"""The seed's targets (ADR 0037): community mental-health rehabilitation in
70% of the towns in 2024 and all of them in 2025; the 2024 实事项目 of 100
care beds for severely disabled people in difficulty, due at the end of August."""

import datetime as dt

from django.db import migrations

SEED_2024 = "《2024年松江民政工作要点》一(六)"
COVERAGE = (
    (2024, 70, f"{SEED_2024}：扩大精神障碍社区康复服务范围，在原有5个街镇试点基础上再增加7个街镇开展，年内达到70%街镇覆盖率"),
    (2025, 100, f"{SEED_2024}：……为2025年实现全覆盖打下坚实基础"),
)
PROJECT = ("2024年困难重度残疾人养护床位（市政府实事项目）", 2024, 100, dt.date(2024, 8, 31),
           f"{SEED_2024}：全力推进困难重度残疾人100张养护床位建设任务，积极探索“老养残照护单元”，"
           "力争8月底完成该项2024年市政府实事项目")


def seed(apps, schema_editor):
    CoverageTarget = apps.get_model("disability_services", "CoverageTarget")
    CareBedProject = apps.get_model("disability_services", "CareBedProject")
    for year, percent, source in COVERAGE:
        CoverageTarget.objects.get_or_create(year=year, defaults={"percent": percent, "source": source,
                                                                  "recorded_by": "初始数据"})
    name, year, beds, due, source = PROJECT
    CareBedProject.objects.get_or_create(name=name, defaults={"year": year, "target_beds": beds, "due_on": due,
                                                              "source": source, "recorded_by": "初始数据"})


def unseed(apps, schema_editor):
    apps.get_model("disability_services", "CoverageTarget").objects.filter(
        year__in=[c[0] for c in COVERAGE]).delete()
    apps.get_model("disability_services", "CareBedProject").objects.filter(name=PROJECT[0], sites__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("disability_services", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
