"""The 2024 work plan's targets (seed 二、养老服务, the 民心工程 and 为民办实事 sentence),
as data rows with the sentence they come from (ADR 0028)."""

from django.db import migrations

SOURCE = ("新增2家社区综合为老服务中心、1个社区长者食堂、5个家门口养老服务站、4个乡村长者照护之家、"
          "1个长者运动健康之家、1家智慧养老院、2家养老院+互联网医院、100张认知障碍照护床位、"
          "完成300户居家环境适老化改造。\"一键通\"紧急救援服务全区老年人全覆盖,培训297名中级以上技能等级护理员,"
          "为100户特殊困难老年人家庭提供智能水表安全监测服务。（区民政局2024年工作要点 二、养老服务）")

TARGETS_2024 = (
    ("new_centres", 2), ("new_canteens", 1), ("new_stations", 5), ("new_rural_care_homes", 4),
    ("new_health_homes", 1), ("smart_care_homes", 1), ("internet_hospital", 2), ("dementia_beds", 100),
    ("caregivers_trained", 297),
)


def seed(apps, schema_editor):
    PlanTarget = apps.get_model("care_facilities", "PlanTarget")
    for measure, target in TARGETS_2024:
        PlanTarget.objects.get_or_create(year=2024, measure=measure, defaults={"target": target, "source": SOURCE})


def unseed(apps, schema_editor):
    apps.get_model("care_facilities", "PlanTarget").objects.filter(
        year=2024, measure__in=[m for m, _ in TARGETS_2024], source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("care_facilities", "0002_plan_targets_and_upgrade_dates")]
    operations = [migrations.RunPython(seed, unseed)]
