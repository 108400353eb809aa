"""Working days with Chinese public holidays and make-up working days (调休)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from minzheng.core.models import AuditEntry, HolidayYear
from minzheng.core.workdays import (
    HolidayArrangementMissing,
    add_working_days,
    holiday_year_record,
    is_working_day,
    known_years,
    working_days_between,
)

D = dt.date


@pytest.mark.django_db
def test_the_seed_covers_2004_to_2026_from_chinesecalendar():
    # given the data migration
    # when the known years are listed
    years = known_years()
    # then they run from 2004 to 2026 with no gap
    assert years == list(range(2004, 2027))


@pytest.mark.django_db
def test_national_day_2025_with_make_up_days():
    # given 2025: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 make-up working days
    # then the make-up Sunday is a working day and the holiday week is not
    assert is_working_day(D(2025, 9, 28))
    assert not is_working_day(D(2025, 10, 6))
    assert is_working_day(D(2025, 10, 11))
    assert not is_working_day(D(2025, 10, 12))
    # when counting from Friday 09-26 and from Tuesday 09-30
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)
    # then "10 working days" from 09-26 ends on 10-16 (weekends-only counting would say 10-10)
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 16)
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 16)) == 10


@pytest.mark.django_db
def test_spring_festival_2026():
    # given 2026: 02-15..02-23 off, Saturdays 02-14 and 02-28 make-up working days
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    # when counting 5 working days from 02-13
    # then 02-14, 02-24, 02-25, 02-26, 02-27
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert working_days_between(D(2026, 2, 27), D(2026, 2, 13)) == -5
    assert add_working_days(D(2026, 2, 13), 0) == D(2026, 2, 13)


@pytest.mark.django_db
def test_a_date_past_the_known_years_is_refused_with_a_clear_message():
    # given no arrangement for 2027
    # when a deadline runs into 2027
    with pytest.raises(HolidayArrangementMissing) as err:
        add_working_days(D(2026, 12, 24), 10)
    # then the message names the year, never counts weekends only
    assert "2027年节假日安排尚未录入" in err.value.messages[0]
    with pytest.raises(HolidayArrangementMissing):
        is_working_day(D(2027, 1, 4))
    with pytest.raises(HolidayArrangementMissing):
        working_days_between(D(2026, 12, 30), D(2027, 1, 5))


@pytest.mark.django_db
def test_bureau_records_the_next_year(users):
    # given the bureau records a 2027 arrangement (illustrative dates)
    holiday_year_record(
        actor=users["bureau"], year=2027, source="国办发明电〔2026〕×号",
        holidays=[(D(2027, 1, 1), "元旦"), (D(2027, 1, 2), "元旦"), (D(2027, 1, 3), "元旦")],
        workdays=[(D(2027, 1, 9), "元旦")],
    )
    # when counting across the new year
    # then 2027 works, with its holidays and make-up day
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert is_working_day(D(2027, 1, 9))
    assert AuditEntry.objects.filter(action="holiday_year.record", object_id="2027").exists()
    # and recording it again is refused unless it is a correction
    with pytest.raises(ValidationError, match="已录入"):
        holiday_year_record(actor=users["bureau"], year=2027, source="x", holidays=[(D(2027, 1, 1), "元旦")],
                            workdays=[])
    holiday_year_record(actor=users["bureau"], year=2027, source="更正", holidays=[(D(2027, 1, 1), "元旦")],
                        workdays=[], replace=True)
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)  # 01-02/03 is a weekend anyway
    assert HolidayYear.objects.get(year=2027).source == "更正"


@pytest.mark.django_db
def test_only_bureau_records_and_input_is_checked(users):
    with pytest.raises(PermissionDenied):
        holiday_year_record(actor=users["street"], year=2027, source="x", holidays=[(D(2027, 1, 1), "元旦")],
                            workdays=[])
    with pytest.raises(ValidationError, match="不在 2027 年"):
        holiday_year_record(actor=users["bureau"], year=2027, source="x", holidays=[(D(2026, 1, 1), "元旦")],
                            workdays=[])
    with pytest.raises(ValidationError, match="不是周末"):
        holiday_year_record(actor=users["bureau"], year=2027, source="x", holidays=[(D(2027, 1, 1), "元旦")],
                            workdays=[(D(2027, 1, 6), "元旦")])


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(start=st.dates(D(2024, 1, 1), D(2026, 6, 30)), n=st.integers(0, 60))
def test_add_and_between_are_inverse(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert n == 0 or is_working_day(end)
