"""The categories of 困境儿童 and the sweep's checklist items (ADR 0035).

The categories follow the seed's terms (2024 plan 一(六), 2023 summary) and
REFERENCE § 7 for the two that carry the living allowance; the checklist
items are starting values for the bureau to confirm (REFERENCE gives no
checklist; the basis says so)."""

from django.db import migrations

SEED = "区民政局2023年工作总结：困境儿童1762人，其中散居孤儿7名、家庭贫困儿童875人、残疾和患重病儿童859人、家庭监护缺失或监护不当的儿童95人"
ALLOWANCE = "政策参考§7：未满18周岁、非机构养育的散居孤儿和事实无人抚养儿童享受基本生活费"
# code, label, seed group, engine fact, basis, order
CATEGORIES = (
    ("orphan", "散居孤儿", "orphan", "orphan", f"{ALLOWANCE}（父母双方死亡或失踪）；{SEED}", 10),
    ("unsupported", "事实无人抚养儿童", "guardianship", "unsupported_child",
     f"{ALLOWANCE}（父母双方重残、重病、服刑、失联等）；{SEED}", 20),
    ("ill_disabled", "重病重残儿童", "disabled_ill", "", SEED, 30),
    ("poor", "低保、低收入家庭儿童", "poor", "", SEED, 40),
    ("guardianship", "家庭监护缺失或不当的儿童", "guardianship", "", SEED, 50),
    ("left_behind", "留守儿童", "other", "", "2024年工作计划：落实农村留守儿童和困境儿童关爱服务质量提升（不计入困境儿童总数）", 60),
)
CHECK = "排查事项为初始值，待区民政局核定（政策参考资料未给出排查表）"
# code, scope, text, order
ITEMS = (
    ("seen", "child", "已上门见到儿童本人，核实其在本辖区生活", 10),
    ("guardian", "child", "监护人在位并能履行监护职责", 20),
    ("school", "child", "适龄儿童在校就读（就学情况已核实）", 30),
    ("health", "child", "健康状况（重病、残疾）已掌握", 40),
    ("living", "child", "基本生活有保障（生活费按月发放或已纳入相应救助）", 50),
    ("safety", "child", "未发现受侵害、遗弃或监护不当情形", 60),
    ("all_visited", "committee", "辖区内在册困境儿童已逐一上门核查", 10),
    ("new_found", "committee", "已排查辖区内新增困境儿童（父母死亡、重病重残、服刑、失联，家庭贫困等）", 20),
    ("director", "committee", "儿童主任在岗并掌握辖区儿童信息", 30),
    ("ledger", "committee", "困境儿童台账已更新并报街镇", 40),
)


def seed(apps, schema_editor):
    Category = apps.get_model("children", "Category")
    for code, label, group, fact, basis, order in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"label": label, "seed_group": group, "engine_fact": fact,
                                                            "basis": basis, "order": order})
    Item = apps.get_model("children", "ChecklistItem")
    for code, scope, text, order in ITEMS:
        Item.objects.get_or_create(code=code, defaults={"scope": scope, "text": text, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("children", "ChecklistItem").objects.filter(code__in=[i[0] for i in ITEMS]).delete()
    apps.get_model("children", "Category").objects.filter(code__in=[c[0] for c in CATEGORIES],
                                                         spells__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("children", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
