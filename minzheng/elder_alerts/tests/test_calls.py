"""一键通: the call feed (CSV and JSONL, idempotent, bad rows quarantined),
response-time figures from crafted events (nearest rank; too few → none),
the overdue list, coverage of elders 60+ by street, living alone."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from minzheng.elder_alerts import selectors, services
from minzheng.elder_alerts.models import Call, CallDevice
from minzheng.elder_alerts.tests.conftest import at
from minzheng.registry.services import household_add_member, household_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(elder, users):
    return services.call_device_create(actor=users["committee"], person=elder, number="YJT-0001",
                                       installed_on=dt.date(2026, 10, 1))


@pytest.fixture
def other_device(other_elder, users):
    return services.call_device_create(actor=users["bureau"], person=other_elder, number="YJT-0002",
                                       installed_on=dt.date(2026, 10, 1))


def crafted(device, kind, minutes, *, day=10):
    for i, m in enumerate(minutes):
        called = at(day, 8) + dt.timedelta(hours=i)
        Call.objects.create(device=device, called_at=called, kind=kind, responder="committee",
                            arrived_at=None if m is None else called + dt.timedelta(minutes=m))


def test_call_feed_csv_twice_changes_nothing_and_bad_rows_are_quarantined(device, other_device):
    csv = ("时间,终端编号,类型,派单对象,派单时间,到达时间,处置完成时间\n"
           "2026-11-10 08:00,YJT-0001,紧急求助,居委,2026-11-10 08:02,2026-11-10 08:20,2026-11-10 09:00\n"
           "2026-11-10 09:00,YJT-0002,聊天,,,,\n"
           "2026-11-10 10:00,YJT-9999,医疗,120,,,\n"
           "2026-11-10 11:00,YJT-0001,吵架,,,,\n"
           "2026-11-10 12:00,YJT-0001,医疗,120,,2026-11-10 11:00,\n").encode()
    run = services.calls_import(actor="test", data=csv, filename="calls.csv")
    assert (run.total_rows, run.imported_rows, run.rejected_rows) == (5, 2, 3)
    assert run.problems[0].startswith("第4行【终端编号】未登记的终端")
    assert "第5行【类型】" in run.problems[1] and "第6行【到达时间】早于呼叫时间" in run.problems[2]
    again = services.calls_import(actor="test", data=csv, filename="calls.csv")
    assert (again.imported_rows, again.unchanged_rows) == (0, 2) and Call.objects.count() == 2


def test_call_feed_jsonl_fills_in_a_later_arrival(device):
    first = json.dumps({"time": "2026-11-10 08:00", "device": "YJT-0001", "kind": "医疗", "responder": "120"},
                       ensure_ascii=False)
    services.calls_import(actor="test", data=first.encode(), filename="a.jsonl")
    later = json.dumps({"time": "2026-11-10 08:00", "device": "YJT-0001", "kind": "医疗", "responder": "120",
                        "arrived_at": "2026-11-10T08:25:00+08:00"}, ensure_ascii=False)
    run = services.calls_import(actor="test", data=(later + "\nnot json\n").encode(), filename="b.jsonl")
    assert (run.updated_rows, run.rejected_rows) == (1, 1)
    assert Call.objects.get().response_minutes == 25


def test_response_figures_from_crafted_events(device, other_device, users):
    crafted(device, "emergency", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])  # ten arrivals: p50 = 5, p90 = 9 (nearest rank)
    crafted(device, "medical", [12, 30, 45, None], day=11)  # three arrivals: too few for either
    crafted(other_device, "emergency", [20, 40, 60, 80, 100], day=12)  # five: p50 = 60, p90 none
    f = selectors.response_figures(users["bureau"], at(1), at(30), now=at(30))
    assert (f.by_kind["emergency"].calls, f.by_kind["emergency"].p50, f.by_kind["emergency"].p90) == (15, 8, 80)  # ranks 8 and 14 of 15
    street = f.by_kind_street[("emergency", "310117001")]
    assert (street.calls, street.arrived) == (15, 15)
    assert f.by_kind["medical"].p50 is None and f.by_kind["medical"].p90 is None
    assert f.by_kind["medical"].arrived == 3 and f.by_kind["chat"].calls == 0
    own = selectors.response_figures(users["committee"], at(1), at(30), now=at(30))
    assert (own.by_kind["emergency"].p50, own.by_kind["emergency"].p90) == (5, 9)
    # late against the thresholds (30 minutes: initial data): 40, 60, 80, 100; medical 45 and the one not arrived
    assert f.by_kind["emergency"].overdue == 4 and f.by_kind["medical"].overdue == 2
    assert len(selectors.overdue_calls(users["bureau"], at(30))) == 6
    assert len(selectors.overdue_calls(users["committee"], at(30))) == 2


def test_nearest_rank():
    assert selectors.nearest_rank([3, 1, 2], 50) == 2
    assert selectors.nearest_rank(list(range(1, 21)), 90) == 18


def test_coverage_of_elders_by_street_and_living_alone(elder, other_elder, make_person, users, device):
    make_person(name="赵青年", birth=dt.date(1990, 1, 1))
    young_old = make_person(name="钱大叔", birth=dt.date(1970, 1, 1))
    cover = {c.street.code: c for c in selectors.coverage_by_street(users["bureau"], dt.date(2026, 12, 2))}
    assert (cover["310117001"].elders, cover["310117001"].covered, cover["310117001"].share) == (2, 1, 50.0)
    CallDevice.objects.filter(pk=device.pk).update(status="stopped")
    assert selectors.coverage_by_street(users["bureau"], dt.date(2026, 12, 2))[0].covered == 0
    household_create(actor=users["bureau"], head=elder, address="谷阳北路1号")
    together = household_create(actor=users["bureau"], head=other_elder, address="乐都路2号")
    household_add_member(actor=users["bureau"], household=together, person=young_old, relation="子女")
    assert selectors.living_alone([elder.pk, other_elder.pk, young_old.pk]) == {elder.pk}
