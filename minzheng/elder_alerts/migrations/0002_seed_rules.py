"""The rules and call thresholds as data (ADR 0033): the initial values, editable
by the bureau on the rules page. None comes from a policy text: the issue gives
"default 12" hours for water and "a day" offline; daytime 06:00–22:00 and the
response deadlines are the initial operational choices recorded in the ADR."""

import datetime as dt

from django.db import migrations

RULES = [
    # code, label, hours, day_start, day_end, response_minutes, task_kind
    ("gas_alarm", "燃气报警：立即上门查看", None, None, None, 30, "visit"),
    ("water_quiet", "白天连续无用水：上门查看", 12, dt.time(6, 0), dt.time(22, 0), 240, "visit"),
    ("device_offline", "设备离线一天：安排维护", 24, None, None, 3 * 24 * 60, "maintenance"),
]
THRESHOLDS = [
    ("emergency", 30, "初始值（ADR 0033），待区民政局确认"),
    ("medical", 30, "初始值（ADR 0033），待区民政局确认"),
    ("consult", None, "咨询类呼叫无需到场"),
    ("chat", None, "聊天类呼叫无需到场"),
]


def seed(apps, schema_editor):
    AlertRule = apps.get_model("elder_alerts", "AlertRule")
    CallThreshold = apps.get_model("elder_alerts", "CallThreshold")
    for code, label, hours, start, end, minutes, kind in RULES:
        AlertRule.objects.get_or_create(code=code, defaults={
            "label": label, "hours": hours, "day_start": start, "day_end": end, "response_minutes": minutes,
            "task_kind": kind})
    for kind, minutes, source in THRESHOLDS:
        CallThreshold.objects.get_or_create(kind=kind, defaults={"arrive_within_minutes": minutes, "source": source})


class Migration(migrations.Migration):
    dependencies = [("elder_alerts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
