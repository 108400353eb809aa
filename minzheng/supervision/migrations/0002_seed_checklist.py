"""Seeds version 1 of the supervision checklist (ADR 0030).

The items follow the topics of the national standard《养老机构服务安全基本规范》
(GB 38600—2019: 安全风险评估, 服务防护 such as 噎食、压疮、烫伤、坠床、跌倒、走失,
应急管理) and the usual fire, food and fee topics of care-home supervision. The
wording is this platform's own (示例措辞), not the standard's text, and no
clause numbers are cited. Staff replace it with a new version, never by editing.
"""

from django.db import migrations

SOURCE = ("参照《养老机构服务安全基本规范》（GB 38600—2019）的主题及养老机构消防、食品、收费监管的一般要求编写；"
          "条文为本平台示例措辞，非标准原文")
ITEMS = (
    ("fire", "消防设施、器材配置齐全并定期检查维护，疏散通道和安全出口畅通"),
    ("fire", "制定火灾等突发事件应急预案，并定期组织演练，有记录"),
    ("fire", "无违规存放易燃易爆物品、违规充电或使用大功率电器"),
    ("food", "食品经营资质有效，从业人员健康证明齐全"),
    ("food", "落实食品进货查验和留样制度，有记录"),
    ("food", "对有噎食、食品药品误食风险的老年人进行评估并采取防护措施"),
    ("service", "老年人入住时开展服务安全风险评估，并定期或在身体状况变化时复评"),
    ("service", "对压疮、跌倒、坠床、烫伤等风险采取防护措施并记录"),
    ("service", "落实防走失措施，老年人外出和探视有登记"),
    ("service", "护理人员经培训上岗，配备与服务需要相适应"),
    ("finance", "收费项目和标准公示，按服务合同收费"),
    ("finance", "预收费用（押金、会员费等）单独记账、规范管理，账目清楚"),
)


def seed(apps, schema_editor):
    Version = apps.get_model("supervision", "ChecklistVersion")
    Item = apps.get_model("supervision", "ChecklistItem")
    if Version.objects.filter(version=1).exists():
        return
    version = Version.objects.create(version=1, title="养老机构双随机检查表", source=SOURCE, created_by="系统初始化")
    Item.objects.bulk_create([Item(version=version, position=n, category=c, text=t)
                              for n, (c, t) in enumerate(ITEMS, start=1)])


def unseed(apps, schema_editor):
    Version = apps.get_model("supervision", "ChecklistVersion")
    Item = apps.get_model("supervision", "ChecklistItem")
    Item.objects.filter(version__version=1, version__plans__isnull=True).delete()
    Version.objects.filter(version=1, plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
