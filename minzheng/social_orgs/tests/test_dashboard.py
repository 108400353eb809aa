"""The sector dashboard (ADR 0044): organizations in business per kind and street (the
unplaced in 未登记地址, the revoked not counted), this year's matters by street, the
filing rate by street, one street by committee; who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minzheng.social_orgs import annual_reports, dashboard, matters, services
from minzheng.social_orgs.models import OrgKind
from minzheng.social_orgs.tests.conftest import org_values, valid_uscc
from minzheng.social_orgs.tests.test_annual_reports import FIGURES

pytestmark = pytest.mark.django_db
YUEYANG, SIJING = "310117001", "310117102"


@pytest.fixture
def sector(users, district):
    """Seven organizations: in 岳阳 two groups (谷阳, 乐都) and an institution (谷阳); in 泗泾 a
    foundation (张泾) and a revoked institution; two unplaced institutions, one registered this year."""
    today = timezone.localdate()
    made = {}
    rows = [("g1", OrgKind.SOCIAL_GROUP, "310117001001", dt.date(2015, 1, 1)),
            ("g2", OrgKind.SOCIAL_GROUP, "310117001002", dt.date(2016, 1, 1)),
            ("i1", OrgKind.SERVICE_INSTITUTION, "310117001001", dt.date(2017, 1, 1)),
            ("f1", OrgKind.FOUNDATION, "310117102201", dt.date(2018, 1, 1)),
            ("i2", OrgKind.SERVICE_INSTITUTION, "310117102201", dt.date(2018, 1, 1)),
            ("i3", OrgKind.SERVICE_INSTITUTION, None, dt.date(2019, 1, 1)),
            ("i4", OrgKind.SERVICE_INSTITUTION, None, dt.date(today.year, 1, 1))]
    for n, (key, kind, committee, registered) in enumerate(rows, start=1):
        made[key] = services.organization_register(actor=users["bureau"], today=today, **org_values(
            name=f"松江区测试组织{n}", kind=kind, uscc=valid_uscc(f"5{n}310117MJ00000{n:02d}"), committee=committee,
            registered_on=registered))
    services.organization_status_set(actor=users["bureau"], organization=made["i2"], status="revoked",
                                     on=dt.date(today.year - 2, 6, 1), reason="撤销", today=today)
    last = today.year - 1
    for key in ("g1", "f1"):
        annual_reports.report_file(actor=users["bureau"], organization=made[key], year=last, today=today, **FIGURES)
    matters.matter_apply(actor=users["bureau"], kind="charter", organization=made["g1"], applied_on=today, today=today)
    matters.matter_apply(actor=users["bureau"], kind="renewal", organization=made["i3"], applied_on=today, today=today)
    matters.matter_apply(actor=users["bureau"], kind="establishment", applied_on=today, today=today, proposed={
        "name": "松江区新围棋协会", "kind": "social_group", "legal_rep_name": "甲", "supervisor": "乙",
        "address": "丙", "business_scope": "丁"})
    return made


def test_in_business_by_kind_and_street(users, sector):
    figures = dashboard.in_business(users["bureau"], timezone.localdate())
    assert figures.columns == ["社会团体", "社会服务机构", "基金会", "合计（家）"]
    assert figures.rows[YUEYANG] == [2, 1, 0, 3]
    assert figures.rows[SIJING] == [0, 0, 1, 1]  # the revoked institution is not in business
    assert figures.rows[dashboard.UNPLACED] == [0, 2, 0, 2]
    assert figures.totals == [2, 3, 1, 6]
    assert all(v == [0, 0, 0, 0] for k, v in figures.rows.items() if k not in (YUEYANG, SIJING, dashboard.UNPLACED))


def test_matters_and_filing_by_street(users, sector):
    today = timezone.localdate()
    matters_ = dashboard.matters_this_year(users["bureau"], today)
    assert matters_.rows[YUEYANG] == [1, 0, 0, 1]
    assert matters_.rows[dashboard.UNPLACED] == [2, 0, 0, 2]  # the unplaced institution's and the establishment
    assert matters_.totals == [3, 0, 0, 3]
    filing = dashboard.filing_by_street(users["bureau"], today)
    # due for last year: g1 g2 i1 (岳阳), f1 (泗泾; the institution revoked two years ago is not), i3 (unplaced)
    assert filing.rows[YUEYANG] == [3, 1, "33.3%"]
    assert filing.rows[SIJING] == [1, 1, "100.0%"]
    assert filing.rows[dashboard.UNPLACED] == [1, 0, "0.0%"]
    assert filing.totals == [5, 2, "40.0%"]
    head = dashboard.headline(users["bureau"], today)
    assert (head.in_business, head.matters_applied, head.matters_open, head.rate) == (6, 3, 3, "40.0%")
    assert head.by_kind == [("社会团体", 2), ("社会服务机构", 3), ("基金会", 1)]


def test_committees_of_a_street(users, sector, district):
    rows = dict(dashboard.committees_of(users["bureau"], district["yueyang"]))
    assert rows == {"谷阳居委会": [1, 1, 0, 2], "乐都居委会": [1, 0, 0, 1]}


def test_the_page_and_who_sees_it(client, users, sector, org_users):
    client.force_login(users["bureau"])
    page = client.get(reverse("social_orgs:dashboard"), {"street": YUEYANG}).content.decode()
    # with the two organizations of the accounts (unplaced, unfiled): 2 filed of 7 due
    for text in ("社会组织工作台", "未登记地址", "28.6%", "谷阳居委会"):
        assert text in page, text
    assert client.get(reverse("social_orgs:dashboard"), {"street": "999"}).status_code == 200
    client.force_login(users["auditor"])
    assert client.get(reverse("social_orgs:dashboard")).status_code == 200
    for who in (users["street"], users["committee"], org_users["a"]):
        client.force_login(who)
        assert client.get(reverse("social_orgs:dashboard")).status_code == 403
