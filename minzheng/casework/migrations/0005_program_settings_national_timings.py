"""Stored program settings get the national timings (REFERENCE §15, official):
dibao and extreme poverty rows are set to the values of the national rules
(the values are frozen here, as the migration must not follow later code).
Other programs keep their stored values. Open cases are recomputed after
migrating with ``manage.py casework_deadlines_recompute`` (ADR 0015)."""

from django.db import migrations

DIBAO = {"survey_start_days": 3, "street_opinion_days": None, "notice_days": 7, "approve_days": 10,
         "decide_days": 3, "total_days": 30, "extended_total_days": 45, "rereview_months_able": 6,
         "rereview_months_stable": 12}
EXTREME = {"survey_start_days": None, "street_opinion_days": 15, "notice_days": 7, "approve_days": 15,
           "decide_days": 3, "total_days": None, "extended_total_days": None}
BASIS = {
    "dibao": ("依据《最低生活保障审核确认办法》（民政部，2021年7月1日起施行）：第十五条启动调查3个工作日，"
              "第十九条公示7天，第二十条区审核确认10个工作日，第二十一条不予批准书面通知3个工作日，"
              "第二十二条总时限30个工作日（特殊情况45个工作日），第三十一条复核每年或每半年。"
              "受理期限及街镇核对、入户、审核、张榜各环节分段期限为本系统假设。"),
    "extreme_poverty": ("依据《特困人员认定办法》（民政部，2021年7月1日起施行）：第十三条街镇调查并提出初审意见"
                        "15个工作日，第十五条公示7天，第十六条区确认15个工作日并抽查不少于30%，"
                        "第十八条不予确认书面通知3个工作日。受理期限、街镇各环节分段期限和复核间隔为本系统假设；"
                        "该办法未规定总时限。"),
}


def forwards(apps, schema_editor):
    ProgramSetting = apps.get_model("casework", "ProgramSetting")
    for program, values in (("dibao", DIBAO), ("extreme_poverty", EXTREME)):
        ProgramSetting.objects.filter(program=program).update(basis=BASIS[program], **values)


class Migration(migrations.Migration):

    dependencies = [("casework", "0004_national_procedure_timings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
