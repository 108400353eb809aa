"""Who sees which death record (scope: other street → 404), who may report, and
the family checklist (stopped benefits, contributors, documents)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from conftest import make_id_number
from minzheng.core.permissions import NotPermitted
from minzheng.deaths import checklist as checklist_module
from minzheng.deaths.selectors import (
    death_checklist,
    death_record_get,
    death_record_of_person,
    death_records,
)
from minzheng.deaths.services import ChecklistItem, checklist_contributor_register, death_report

D = dt.date
TODAY = D(2026, 11, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(users, couple, paid):
    paid("2026-10")  # exported: paid, to recover
    paid("2026-11", status="approved")  # approved, not exported: payments holds it (no debt)
    return death_report(actor=users["street"], source="family", id_number=couple.husband_number, name="陈国强",
                        death_date=D(2026, 9, 5), reporter="林秀兰", today=TODAY)


def test_scope_street_committee_district(users, funeral, recorded):
    for name in ("street", "committee", "bureau", "auditor"):
        assert death_record_get(users[name], recorded.pk) == recorded
    assert death_record_get(funeral, recorded.pk) == recorded
    with pytest.raises(Http404):
        death_record_get(users["other_street"], recorded.pk)
    assert list(death_records(users["other_street"])) == []
    with pytest.raises(NotPermitted):
        death_records(users["advisor"])
    assert death_record_of_person(recorded.person_id) == recorded


def test_unmatched_records_of_the_district_only_for_district_accounts(users, funeral):
    record = death_report(actor=funeral, source="funeral_home", id_number=make_id_number(D(1940, 1, 1), area="320102"),
                          name="外地人", death_date=D(2026, 11, 2), today=TODAY)
    assert record.street_id is None
    assert list(death_records(users["bureau"])) == [record]
    assert list(death_records(users["street"])) == []


def test_checklist_sections(users, funeral, recorded):
    sections = death_checklist(users["street"], recorded)
    assert list(sections) == ["已停发的待遇", "家属可申领的补贴", "需办理的证件和手续"]
    stopped = [item.title for item in sections["已停发的待遇"]]
    assert "最低生活保障：已停发" in stopped
    assert "最低生活保障：死亡后已发放的月份需退回" in stopped
    assert "配偶婚姻状况已登记为丧偶" in stopped
    assert "死亡后暂停发放" in stopped  # payments' death listener, by its audit label
    held = next(i for i in sections["已停发的待遇"] if i.title == "死亡后暂停发放")
    assert held.detail == "1 项，金额1350.00元"
    overpaid = next(i for i in sections["已停发的待遇"] if "退回" in i.title)
    assert overpaid.detail == "2026年10月，共1350.00元（已立案追缴）" and not overpaid.done
    # no contributor registered: the subsidies section is empty, never invented
    assert sections["家属可申领的补贴"] == []
    assert [i.title for i in sections["需办理的证件和手续"]] == ["死亡医学证明", "火化证明", "户口注销", "社会保险、医疗保险停保"]
    # the funeral home sees no assistance benefits
    assert death_checklist(funeral, recorded)["已停发的待遇"] == []


def test_a_registered_contributor_adds_its_items(users, recorded, monkeypatch):
    monkeypatch.setattr(checklist_module, "_CONTRIBUTORS", [])

    def contributor(record):
        return [ChecklistItem("家属可申领的补贴", f"测试补贴（{record.name}）", "测试说明")]

    checklist_contributor_register(contributor)
    checklist_contributor_register(contributor)  # once per contributor
    items = death_checklist(users["street"], recorded)["家属可申领的补贴"]
    assert [i.title for i in items] == ["测试补贴（陈国强）"]
