"""Screening tools and the 2023 figure (ADR 0034). A cut-off is seeded only
where the tool's own published scoring gives one (AD8, Mini-Cog); the MMSE has
none here (its cut-offs depend on education and differ by study): the
screener's risk level stands alone."""

from django.db import migrations

TOOLS = (
    ("ad8", "AD8 痴呆筛查问卷", 0, 8, 2, "at_least",
     "Galvin JE 等. The AD8: a brief informant interview to detect dementia. Neurology 2005;65:559-564"
     "（评分说明：总分≥2分提示可能存在认知障碍）"),
    ("mini_cog", "简易认知评估（Mini-Cog）", 0, 5, 2, "at_most",
     "Borson S. Standardized Mini-Cog Instrument（mini-cog.com 评分说明：总分<3分为痴呆筛查阳性界值）"),
    ("mmse", "简易精神状态检查（MMSE）", 0, 30, None, "", ""),
)
FIGURES = (
    (2023, None, 15600, "《2023年松江民政工作总结》：持续推进老年认知障碍友好社区建设，实现全区街镇全覆盖，"
                        "完成风险筛查 1.56 万人"),
)


def seed(apps, schema_editor):
    ScreeningTool = apps.get_model("dementia_care", "ScreeningTool")
    YearFigure = apps.get_model("dementia_care", "YearFigure")
    for code, name, low, high, cutoff, direction, citation in TOOLS:
        ScreeningTool.objects.get_or_create(code=code, defaults={
            "name": name, "score_min": low, "score_max": high, "cutoff": cutoff, "positive_when": direction,
            "cutoff_citation": citation})
    for year, target, reported, source in FIGURES:
        YearFigure.objects.get_or_create(year=year, defaults={
            "target_screenings": target, "reported_screenings": reported, "source": source})


def unseed(apps, schema_editor):
    apps.get_model("dementia_care", "YearFigure").objects.filter(year__in=[f[0] for f in FIGURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("dementia_care", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
