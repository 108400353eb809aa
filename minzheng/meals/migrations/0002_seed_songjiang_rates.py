"""The Songjiang meal-subsidy rates of REFERENCE § 10 as dated rows (ADR 0032).

REFERENCE § 10: "Songjiang meal subsidy (老年人助餐补贴, ~2024-12, secondary):
4 yuan per meal per day for 65+ in dibao / low-income / extreme-poverty / 重残
households and for 80+ hukou elders; 2 yuan for other 65+ hukou elders."

The source gives a month, not a day: ``valid_from`` is 2024-12-01, the first
of that month, with ``date_approximate`` set (the page shows 「约」 and the
unverified mark). Meals before that date find no rate: 参数缺失, no subsidy.
"""

import datetime as dt

from django.db import migrations

SOURCE = ("REFERENCE § 10：松江区老年人助餐补贴（约2024年12月起，二手来源，尚未核实）："
          "65岁以上低保、低收入、特困、重残家庭老人及80岁以上户籍老人每人每天每餐4元；其他65岁以上户籍老人2元")


def seed(apps, schema_editor):
    SubsidyRate = apps.get_model("meals", "SubsidyRate")
    for tier, fen in (("high", 400), ("basic", 200)):
        SubsidyRate.objects.get_or_create(
            tier=tier, valid_from=dt.date(2024, 12, 1),
            defaults={"amount_fen": fen, "source": SOURCE, "certainty": "secondary", "date_approximate": True,
                      "recorded_by": "migration"})


def unseed(apps, schema_editor):
    apps.get_model("meals", "SubsidyRate").objects.filter(recorded_by="migration").delete()


class Migration(migrations.Migration):
    dependencies = [("meals", "0001_meal_records_rates_settlements")]
    operations = [migrations.RunPython(seed, unseed)]
