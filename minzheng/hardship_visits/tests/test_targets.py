"""The visit list: category rules, refresh idempotence, ended entries, overdue (ADR 0034)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.casework.models import Enrolment, EnrolmentSource
from minzheng.hardship_visits import selectors, services
from minzheng.hardship_visits.models import VisitCategory, VisitTarget
from minzheng.registry.models import DisabilityKind, MaritalStatus, Relation
from minzheng.registry.services import (
    disability_certificate_add,
    household_add_member,
    household_create,
    person_marital_status_record,
    person_record_death,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _codes(person) -> set[str]:
    target = VisitTarget.objects.filter(person=person, ended_on__isnull=True).first()
    return set() if target is None else set(target.categories.values_list("code", flat=True))


def test_categories_are_seeded_as_data_with_labels_and_frequencies():
    rows = {c.code: c for c in VisitCategory.objects.all()}
    assert {"living_alone", "living_alone_80", "gugua", "disabled", "dibao_low_income"} <= set(rows)
    assert rows["living_alone_80"].min_age == 80 and rows["living_alone_80"].label == "80岁以上独居"
    assert rows["dibao_low_income"].programs == ["dibao", "low_income"]
    assert all(c.frequency_days > 0 and "待区民政局" in c.basis for c in rows.values())


def test_category_rules(users, elder, make_person):
    bureau = users["bureau"]
    alone_85 = elder("独居甲", 85)
    alone_70 = elder("独居乙", 70)
    young_alone = elder("独居丙", 59)
    # a couple: not alone; the wife widowed later → 孤寡 only if no child is linked
    husband = elder("配偶甲", 72, alone=False)
    household = household_create(actor=bureau, head=husband, address="两口之家", start_date=dt.date(2020, 1, 1))
    wife = make_person(name="配偶乙", birth=dt.date(1953, 5, 1), male=False)
    household_add_member(actor=bureau, household=household, person=wife, relation=Relation.SPOUSE,
                         start_date=dt.date(2020, 1, 1))
    # unmarried, alone, no child linked → 孤寡 and 独居
    single = elder("孤老甲", 75)
    person_marital_status_record(actor=bureau, person=single, status=MaritalStatus.UNMARRIED,
                                 since=dt.date(1970, 1, 1), source="户籍登记")
    # widowed but a child is recorded in his household → not 孤寡
    father = elder("丧偶父亲", 78, alone=False)
    home = household_create(actor=bureau, head=father, address="父子家", start_date=dt.date(2020, 1, 1))
    son = make_person(name="儿子", birth=dt.date(1980, 1, 1))
    household_add_member(actor=bureau, household=home, person=son, relation=Relation.CHILD,
                         start_date=dt.date(2020, 1, 1))
    person_marital_status_record(actor=bureau, person=father, status=MaritalStatus.WIDOWED,
                                 since=dt.date(2019, 1, 1), source="配偶死亡")
    # no marital record at all → unknown, never 孤寡
    unknown = elder("婚况不明", 66)
    disabled = elder("残疾老人", 65, alone=False)
    household_create(actor=bureau, head=disabled, address="残疾老人家", start_date=dt.date(2020, 1, 1))
    household_add_member(actor=bureau, household=disabled.memberships.get().household,
                         person=make_person(name="同住者", birth=dt.date(1990, 1, 1)), relation=Relation.OTHER,
                         start_date=dt.date(2020, 1, 1))
    disability_certificate_add(actor=bureau, person=disabled, grade=2, kind=DisabilityKind.PHYSICAL,
                               valid_from=dt.date(2015, 1, 1))

    services.targets_refresh(actor=bureau, today=TODAY)

    assert _codes(alone_85) == {"living_alone", "living_alone_80"}
    assert _codes(alone_70) == {"living_alone"}
    assert _codes(young_alone) == set()
    assert _codes(husband) == set() and _codes(wife) == set()
    assert _codes(single) == {"living_alone", "gugua"}
    assert _codes(father) == set()
    assert _codes(unknown) == {"living_alone"}
    assert _codes(disabled) == {"disabled"}
    # the shortest frequency of the categories met
    target = VisitTarget.objects.get(person=alone_85, ended_on__isnull=True)
    assert target.frequency_days == 7 and target.next_due_on == TODAY + dt.timedelta(days=7)


def test_enrolment_category_via_household(users, elder, make_person):
    bureau = users["bureau"]
    head = elder("低保户主", 68, alone=False)
    household = household_create(actor=bureau, head=head, address="低保家", start_date=dt.date(2020, 1, 1))
    household_add_member(actor=bureau, household=household, person=make_person(name="低保子女",
                                                                                  birth=dt.date(1990, 2, 2)),
                         relation=Relation.CHILD, start_date=dt.date(2020, 1, 1))
    enrolment = Enrolment.objects.create(program="dibao", household=household, street_id=household.street_id,
                                         committee_id=household.committee_id, start_month="2026-01",
                                         source=EnrolmentSource.OTHER)
    services.targets_refresh(actor=bureau, today=TODAY)
    assert _codes(head) == {"dibao_low_income"}
    enrolment.status = "terminated"
    enrolment.save()
    run = services.targets_refresh(actor=bureau, today=TODAY + dt.timedelta(days=1))
    assert run.ended == 1
    ended = VisitTarget.objects.get(person=head)
    assert ended.ended_on == TODAY + dt.timedelta(days=1) and ended.end_reason == services.LEFT_LIST


def test_refresh_is_idempotent_and_ends_with_a_reason(users, elder):
    bureau = users["bureau"]
    a, b = elder("甲", 81), elder("乙", 70)
    first = services.targets_refresh(actor=bureau, today=TODAY)
    assert (first.added, first.ended, first.changed, first.open_total) == (2, 0, 0, 2)
    again = services.targets_refresh(actor=bureau, today=TODAY)
    assert (again.added, again.ended, again.changed, again.open_total) == (0, 0, 0, 2)
    assert VisitTarget.objects.count() == 2
    person_record_death(actor=bureau, person=b, death_date=TODAY)
    later = services.targets_refresh(actor=bureau, today=TODAY + dt.timedelta(days=2))
    assert (later.added, later.ended) == (0, 1)
    gone = VisitTarget.objects.get(person=b)
    assert gone.end_reason == "已死亡" and gone.ended_on == TODAY + dt.timedelta(days=2)
    assert VisitTarget.objects.filter(person=a, ended_on__isnull=True).exists()
    # a category's frequency changes: entries change, nothing added
    VisitCategory.objects.filter(code="living_alone_80").update(frequency_days=5)
    changed = services.targets_refresh(actor=bureau, today=TODAY + dt.timedelta(days=2))
    assert (changed.added, changed.ended, changed.changed) == (0, 0, 1)
    assert VisitTarget.objects.get(person=a, ended_on__isnull=True).frequency_days == 5


def test_next_due_and_overdue(users, elder):
    bureau, committee = users["bureau"], users["committee"]
    a, b = elder("甲", 81), elder("乙", 70)
    services.targets_refresh(actor=bureau, today=TODAY)
    ta = VisitTarget.objects.get(person=a)
    tb = VisitTarget.objects.get(person=b)
    visitor = services.visitor_create(actor=committee, committee=ta.committee, name="志愿者王")
    assert services.next_due(started_on=TODAY, last_visited_on=None, frequency_days=30) == TODAY + dt.timedelta(30)
    # 20 days later: a (7 days) is overdue, b (30 days) is not
    day = TODAY + dt.timedelta(days=20)
    assert list(selectors.targets_overdue(committee, day)) == [ta]
    services.visit_record(actor=committee, target=ta, visited_on=day, visitor=visitor, mode="home",
                          findings="身体状况良好", today=day)
    ta.refresh_from_db()
    assert ta.last_visited_on == day and ta.next_due_on == day + dt.timedelta(days=7)
    assert list(selectors.targets_overdue(committee, day)) == []
    # the due day itself is not overdue; the day after is
    assert tb not in selectors.targets_overdue(committee, tb.next_due_on)
    assert tb in selectors.targets_overdue(committee, tb.next_due_on + dt.timedelta(days=1))
    # an older visit recorded late does not move the date back
    services.visit_record(actor=committee, target=ta, visited_on=day - dt.timedelta(days=3), visitor=visitor,
                          mode="phone", findings="电话问候", today=day)
    ta.refresh_from_db()
    assert ta.next_due_on == day + dt.timedelta(days=7)


def test_visit_validation(users, elder):
    bureau, committee = users["bureau"], users["committee"]
    a = elder("甲", 81)
    services.targets_refresh(actor=bureau, today=TODAY)
    target = VisitTarget.objects.get(person=a)
    visitor = services.visitor_create(actor=committee, committee=target.committee, name="志愿者王")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.visit_record(actor=committee, target=target, visited_on=TODAY + dt.timedelta(days=1),
                              visitor=visitor, mode="home", findings="x", today=TODAY)
    with pytest.raises(ValidationError, match="跟进事项"):
        services.visit_record(actor=committee, target=target, visited_on=TODAY, visitor=visitor, mode="home",
                              findings="x", needs_follow_up=True, today=TODAY)
    with pytest.raises(ValidationError, match="居村委工作人员"):
        services.visitor_create(actor=committee, committee=target.committee, user=users["street"])
    staff = services.visitor_create(actor=committee, committee=target.committee, user=committee)
    assert staff.kind == "staff"
    services.visitor_assign(actor=committee, target=target, visitor=staff)
    target.refresh_from_db()
    assert target.visitor == staff


def test_refresh_command_prints_json_and_is_idempotent(users, elder):
    import json
    from io import StringIO

    from django.core.management import call_command

    elder("命令行老人", 83)
    out = StringIO()
    call_command("visits_refresh", "--date", TODAY.isoformat(), stdout=out)
    assert json.loads(out.getvalue()) == {"日期": TODAY.isoformat(), "新纳入": 1, "移出": 0, "类别变化": 0, "名单人数": 1}
    out = StringIO()
    call_command("visits_refresh", "--date", TODAY.isoformat(), stdout=out)
    assert json.loads(out.getvalue())["新纳入"] == 0
