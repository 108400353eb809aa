"""The kinds as data and the 2023 reported figure (ADR 0038).

Finders: the seed names 公安、城管、卫健 as the partners (2024 plan: "加强与公安、城管、
卫健等部门的联动协作") and the streets' patrols; self-referral and reports by the public
(12345) are the other ways a person reaches help. Services: 《城市生活无着的流浪乞讨人员
救助管理办法》第八条 (食物、住处、急病救治、联系亲属、返回住所地的乘车凭证) plus clothing
(寒冬送温暖). The largest quantity per entry is a typing guard, not a rule: shelter nights up
to 30 in one entry (实施细则 第十四条: 救助期限一般不超过10天, longer when reported)."""

from django.db import migrations

FINDERS = (
    ("police", "公安民警", 10), ("city_management", "城管执法队员", 20), ("patrol", "街镇巡查", 30),
    ("self_referral", "本人求助", 40), ("public_report", "群众报告（12345热线等）", 50),
    ("hospital", "医疗机构转介", 60),
)
SERVICES = (
    ("food", "餐食", "份", 90, 10), ("clothing", "衣被", "件", 20, 20), ("shelter", "站内住宿", "晚", 30, 30),
    ("medical", "医疗救治转送", "次", 10, 40), ("family_contact", "联系亲属", "次", 10, 50),
    ("ticket_home", "返乡车票", "张", 5, 60),
)
REPORT_2023 = ("松江区民政局2023年工作总结（一）四：严格做好“寒冬送温暖”专项救助行动……"
               "指导各街镇做好极端天气下的流浪人员、临时遇困人员救助工作，年内共救助 366 人次")


def seed(apps, schema_editor):
    FinderKind = apps.get_model("homeless_rescue", "FinderKind")
    ServiceKind = apps.get_model("homeless_rescue", "ServiceKind")
    YearReport = apps.get_model("homeless_rescue", "YearReport")
    for code, label, order in FINDERS:
        FinderKind.objects.get_or_create(code=code, defaults={"label": label, "order": order})
    for code, label, unit, most, order in SERVICES:
        ServiceKind.objects.get_or_create(code=code, defaults={"label": label, "unit": unit, "max_quantity": most,
                                                               "order": order})
    YearReport.objects.get_or_create(year=2023, defaults={"rescues": 366, "source": REPORT_2023})


def unseed(apps, schema_editor):
    apps.get_model("homeless_rescue", "YearReport").objects.filter(year=2023).delete()


class Migration(migrations.Migration):
    dependencies = [("homeless_rescue", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
