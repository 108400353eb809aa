"""The item catalogue with demo prices and the yearly targets from the seed
(ADR 0034). REFERENCE gives no prices and no subsidy share: prices are 演示
values for the bureau to replace; the subsidy share is left unset (a subsidy
is refused until it is set)."""

from django.db import migrations

PRICE_BASIS = "演示价格（政策参考资料未给出，待区民政局核定后替换）"
# code, name, unit, demo unit price (fen), order
ITEMS = (
    ("grab_bar", "扶手", "处", 30000, 10),
    ("anti_slip", "防滑处理", "平方米", 8000, 20),
    ("commode_chair", "坐便椅", "件", 25000, 30),
    ("emergency_call", "紧急呼叫装置", "套", 60000, 40),
    ("shower_chair", "淋浴椅", "件", 20000, 50),
    ("night_light", "感应夜灯", "个", 5000, 60),
    ("threshold_ramp", "门槛坡道", "处", 15000, 70),
)
TARGETS = (
    (2023, None, 206, "《2023年松江民政工作总结》：根据市级民心工程和实事项目安排……完成 206 户居家环境适老化改造"),
    (2024, 300, None, "《2024年松江民政工作要点》：不折不扣完成民心工程和为民办实事项目……完成300户居家环境适老化改造"),
)


def seed(apps, schema_editor):
    CatalogueItem = apps.get_model("home_adaptations", "CatalogueItem")
    YearTarget = apps.get_model("home_adaptations", "YearTarget")
    for code, name, unit, price, order in ITEMS:
        CatalogueItem.objects.get_or_create(code=code, defaults={
            "name": name, "unit": unit, "unit_price_fen": price, "price_basis": PRICE_BASIS, "order": order})
    for year, target, done, source in TARGETS:
        YearTarget.objects.get_or_create(year=year, defaults={
            "target_households": target, "reported_done": done, "source": source, "recorded_by": "初始数据"})


def unseed(apps, schema_editor):
    apps.get_model("home_adaptations", "YearTarget").objects.filter(year__in=[t[0] for t in TARGETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("home_adaptations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
