"""Seed the holiday table from the ``chinesecalendar`` package (years 2004-2026).

Later years are recorded by bureau staff when the State Council publishes the
arrangement (``minzheng.core.workdays.holiday_year_record``). Reversing removes
exactly the seeded years.
"""

from django.db import migrations

SOURCE = "chinesecalendar 软件包（国务院办公厅历年节假日安排通知）"
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def seed(apps, schema_editor):
    from chinese_calendar import constants

    HolidayYear = apps.get_model("core", "HolidayYear")
    PublicHoliday = apps.get_model("core", "PublicHoliday")
    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    HolidayYear.objects.bulk_create(
        [HolidayYear(year=y, source=SOURCE, recorded_by="migration") for y in years], ignore_conflicts=True
    )
    rows = [PublicHoliday(date=d, kind="holiday", name=NAMES.get(n, n), year_id=d.year)
            for d, n in constants.holidays.items()]
    rows += [PublicHoliday(date=d, kind="workday", name=NAMES.get(n, n), year_id=d.year)
             for d, n in constants.workdays.items()]
    PublicHoliday.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


def unseed(apps, schema_editor):
    HolidayYear = apps.get_model("core", "HolidayYear")
    PublicHoliday = apps.get_model("core", "PublicHoliday")
    seeded = HolidayYear.objects.filter(source=SOURCE, recorded_by="migration")
    PublicHoliday.objects.filter(year__in=seeded).delete()
    seeded.delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_holiday_calendar")]
    operations = [migrations.RunPython(seed, unseed)]
