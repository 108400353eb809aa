"""When an enrolment is next re-reviewed (复核), by program and household situation.

Dibao (《最低生活保障审核确认办法》第三十一条, REFERENCE §15, official): yearly
when the household's situation is stable, every six months when income is
irregular or members can work. Interval per program (``ProgramSetting``):
``rereview_months_able`` (dibao 6) when the household "can work or has
irregular income", else ``rereview_months_stable`` (dibao 12). Other
programs keep our assumed 12 / 24 months (``procedure_timings.py``).

How the registry answers "can work or has irregular income" (our reading,
ADR 0015): a current member who is **of working age (16-59), marked able to
work and without a valid disability certificate**, or a member who is
**employed** at any age (earned income is the kind that changes: wages,
flexible work). A household of elderly, disabled, children or students
without a job is "stable" — its income is pensions and allowances.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Q

from minzheng.casework.program_settings import program_setting
from minzheng.registry.models import DisabilityCertificate, Employment, Household, Person
from minzheng.registry.selectors import household_members, years_before

WORKING_AGE = (16, 59)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (31st → the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _able(person: Person, on: dt.date) -> bool:
    if not person.alive:
        return False
    if person.employment == Employment.EMPLOYED:
        return True
    if not person.able_to_work:
        return False
    if not (years_before(on, WORKING_AGE[1] + 1) < person.birth_date <= years_before(on, WORKING_AGE[0])):
        return False
    return not DisabilityCertificate.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), person=person, valid_from__lte=on).exists()


def has_able_member(*, household: Household | None, person: Person | None, on: dt.date) -> bool:
    """Can work or has irregular income (the six-monthly cadence): for a
    household enrolment any current member, for a person enrolment the person."""
    if household is not None and person is None:
        return any(_able(m.person, on) for m in household_members(household))
    return person is not None and _able(person, on)


def next_review_date(*, program: str, able: bool, start: dt.date) -> dt.date:
    setting = program_setting(program)
    return add_months(start, setting.rereview_months_able if able else setting.rereview_months_stable)
