"""The visit categories (ADR 0034). The frequencies are starting values for the
bureau to confirm: REFERENCE gives no visit frequency (the district's
《松江区开展特殊困难老年人探访关爱服务的实施方案》 is named in the seed, its text is
not in REFERENCE); the basis says so on every row."""

from django.db import migrations

BASIS = ("探访周期为初始值，待区民政局按《松江区开展特殊困难老年人探访关爱服务的实施方案》核定"
         "（政策参考资料未给出探访频次）")
ELDER = "老年人：六十周岁以上（《老年人权益保障法》第二条）"
# code, label, rule, min age, programs, frequency (days), order
CATEGORIES = (
    ("living_alone_80", "80岁以上独居", "living_alone", 80, [], 7, 10),
    ("living_alone", "独居", "living_alone", 60, [], 30, 20),
    ("gugua", "孤寡", "no_spouse_no_child", 60, [], 30, 30),
    ("disabled", "失能或残疾", "disabled", 60, [], 30, 40),
    ("dibao_low_income", "低保、低收入", "enrolled", 60, ["dibao", "low_income"], 30, 50),
    ("extreme_poverty", "特困供养", "enrolled", 60, ["extreme_poverty"], 30, 60),
)


def seed(apps, schema_editor):
    VisitCategory = apps.get_model("hardship_visits", "VisitCategory")
    for code, label, rule, min_age, programs, frequency, order in CATEGORIES:
        VisitCategory.objects.get_or_create(code=code, defaults={
            "label": label, "rule": rule, "min_age": min_age, "programs": programs, "frequency_days": frequency,
            "order": order, "basis": f"{BASIS}；{ELDER}"})


def unseed(apps, schema_editor):
    apps.get_model("hardship_visits", "VisitCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES], targets__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("hardship_visits", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
