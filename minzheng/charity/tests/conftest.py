"""Charity fixtures: a supermarket in 谷阳居委会 (岳阳街道) and one in 张泾村委会 (泗泾镇)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.charity import services

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def markets(users):
    bureau = users["bureau"]
    return {
        "ours": services.supermarket_register(actor=bureau, name="谷阳慈善超市", operator="岳阳街道社区服务中心",
                                              street_code="310117001", committee_code="310117001001",
                                              address="谷阳北路1号", opened_on=dt.date(2020, 1, 1), today=TODAY),
        "theirs": services.supermarket_register(actor=bureau, name="张泾慈善超市", operator="泗泾镇慈善分会",
                                                street_code="310117102", committee_code="310117102201",
                                                address="张泾路2号", opened_on=dt.date(2020, 1, 1), today=TODAY),
    }


@pytest.fixture
def rice(users, markets):
    """20 袋大米 donated to 谷阳慈善超市."""
    services.donation_record(actor=users["committee"], supermarket=markets["ours"], kind="goods",
                             donor_kind="organisation", donor_name="爱心粮油店", received_on=dt.date(2026, 3, 2),
                             receipt_no="JZ-001", lines=[services.GoodsLine("大米", 20, "袋")], today=TODAY)
    from minzheng.charity.models import Item

    return Item.objects.get(name="大米")
