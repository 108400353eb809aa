"""The demo's minors' protection (minzheng.demo.minors): a station in every street,
the office, cases in every state; the committee account sees only its assigned
case; loaded once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from minzheng.core.models import Division, DivisionLevel
from minzheng.demo.minors import minors_seed
from minzheng.minors_protection import selectors
from minzheng.minors_protection.models import Case, CaseStatus, Station


def test_demo_minors_once(users, make_person):
    today = timezone.localdate()
    for i in range(4):
        make_person(name=f"谷阳儿童{i}", birth=dt.date(today.year - 8 - i, 3, 1))
    for i in range(4):
        make_person(name=f"乐都儿童{i}", birth=dt.date(today.year - 6 - i, 5, 1), committee="310117001002")
    message = minors_seed(bureau=users["bureau"], street_user=users["street"], committee_user=users["committee"],
                          today=today)
    assert "演示个案 6 件" in message
    assert Station.objects.count() == Division.objects.filter(level=DivisionLevel.STREET).count()
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Case.objects.filter(special_protection=True).exclude(plan="").count() == 1
    assert selectors.cases_overdue(users["bureau"]).count() == 1
    mine = selectors.cases_visible(users["committee"])
    assert mine.count() == 1 and mine.get().committee_id == "310117001001"
    assert Case.objects.filter(committee_id="310117001001").count() > 1  # the others of its committee: not seen
    assert selectors.cases_visible(users["street"]).count() == 6  # its street's station head: every case there
    assert minors_seed(bureau=users["bureau"], street_user=users["street"], committee_user=users["committee"],
                       today=today) == "未成年人保护演示数据已存在，跳过"
