"""Statistics in the report's terms: monthly counts of the four figures, the
cross-province count and its share of the same period, the Excel download,
the API and who may read them (docs/adr/0022-marriage-registration.md)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from minzheng.core.permissions import NotPermitted
from minzheng.marriage.services import (
    certificate_reissue,
    divorce_apply,
    divorce_register,
    marriage_register,
)
from minzheng.marriage.statistics import (
    marriage_statistics,
    share_percent,
    statistics_headers,
    statistics_workbook,
)
from minzheng.marriage.tests.conftest import couple

pytestmark = pytest.mark.django_db

LATER = dt.date(2024, 6, 30)


def _api(client: Client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def _born(n: int) -> dict:
    return {"man_birth": dt.date(1990, 1, 1 + n), "woman_birth": dt.date(1992, 2, 1 + n)}


@pytest.fixture
def records(registrar):
    """2023: a local marriage in May (before the pilot); in June two local
    marriages and one of a couple with no Shanghai hukou (跨省); a divorce
    application received in July for a June marriage, registered in August
    (in its appearance window); a re-issued 结婚证 in September."""
    may = marriage_register(actor=registrar, first=couple(**_born(0))[0], second=couple(**_born(0))[1],
                            registered_on=dt.date(2023, 5, 10))
    june = [marriage_register(actor=registrar, first=c[0], second=c[1], registered_on=dt.date(2023, 6, 5))
            for c in (couple(**_born(1)), couple(**_born(2)))]
    cross = marriage_register(actor=registrar, first=couple(man_province="34", woman_province="32", **_born(3))[0],
                              second=couple(man_province="34", woman_province="32", **_born(3))[1],
                              registered_on=dt.date(2023, 6, 6))
    application = divorce_apply(actor=registrar, marriage=june[0], agreement_text="双方自愿离婚，财产已分割。",
                                received_on=dt.date(2023, 7, 3), both_present=True)
    application = divorce_register(actor=registrar, application=application, both_present=True,
                                   on=application.withdrawal_until + dt.timedelta(days=1))
    certificate_reissue(actor=registrar, certificate=cross.certificates.first(), reason="遗失",
                        on=dt.date(2023, 9, 1))
    return {"may": may, "june": june, "cross": cross, "application": application}


def test_shares_are_percent_with_two_decimals_half_up_and_none_without_registrations():
    assert share_percent(953, 3276) == Decimal("29.09")
    assert share_percent(402, 1802) == Decimal("22.31")
    assert share_percent(221, 1253) == Decimal("17.64")
    assert share_percent(1, 800) == Decimal("0.13")  # 0.125 → 0.13 (half up, not to even)
    assert share_percent(0, 5) == Decimal("0.00")
    assert share_percent(0, 0) is None


def test_monthly_counts_and_the_share_of_the_same_period(records, users):
    stats = marriage_statistics(users["bureau"], "2023", today=LATER)
    by_month = {m.first.month: m for m in stats.months}
    assert by_month[5].counts == {"marriages": 1, "divorce_applications": 0, "divorces": 0, "reissues": 0}
    assert by_month[5].cross["marriages"] is None  # before the pilot: not applicable, not 0
    assert by_month[6].counts["marriages"] == 3 and by_month[6].cross["marriages"] == 1
    assert by_month[6].share("marriages") == Decimal("33.33")
    assert by_month[6].share("divorces") is None  # no divorce in June: no share, not 0%
    assert by_month[7].counts["divorce_applications"] == 1 and by_month[7].cross["divorce_applications"] == 0
    divorce_month = records["application"].registered_on.month
    assert by_month[divorce_month].counts["divorces"] == 1
    assert by_month[9].counts["reissues"] == 1
    assert stats.total.counts == {"marriages": 4, "divorce_applications": 1, "divorces": 1, "reissues": 1}
    period = stats.cross_period
    assert (period.first, period.last) == (dt.date(2023, 6, 1), dt.date(2023, 12, 31))
    # the share is of the same period only (June–December: 3 marriages), not of the year's 4
    assert (period.cross["marriages"], period.base["marriages"]) == (1, 3)
    assert period.share("marriages") == Decimal("33.33")
    assert period.share("divorce_applications") == Decimal("0.00")


def test_a_local_and_a_non_local_party_is_not_cross_province(records):
    assert records["cross"].cross_province and not any(m.cross_province for m in records["june"])


def test_months_not_yet_reached_are_unknown_not_zero(records, users):
    stats = marriage_statistics(users["bureau"], 2023, today=dt.date(2023, 8, 15))
    assert stats.months[7].label == "8月（截至15日）"
    assert all(m.counts["marriages"] is None for m in stats.months[8:])
    assert stats.total.label == "全年（截至8月15日）"
    assert stats.total.counts["marriages"] == 4


def test_a_year_before_the_pilot_has_no_cross_province_figures(records, users):
    stats = marriage_statistics(users["bureau"], 2022, today=LATER)
    assert stats.cross_period is None and stats.total.counts["marriages"] == 0
    assert "之前" in stats.cross_rule


@pytest.mark.parametrize("year, message", [("20x3", "无效"), ("1999", "无效"), ("2025", "尚未到来")])
def test_a_bad_or_future_year_is_refused_in_chinese(users, year, message):
    with pytest.raises(ValidationError, match=message):
        marriage_statistics(users["bureau"], year, today=LATER)


@pytest.mark.parametrize("role", ["street", "committee", "advisor"])
def test_only_the_registrar_the_bureau_and_the_auditor_read_the_statistics(users, registrar, role):
    with pytest.raises(NotPermitted):
        marriage_statistics(users[role], 2023)
    for allowed in (users["bureau"], users["auditor"], registrar):
        assert marriage_statistics(allowed, 2023, today=LATER).year == 2023


def test_the_excel_has_chinese_headers_and_the_same_values(records, users):
    stats = marriage_statistics(users["bureau"], 2023, today=LATER)
    rows = list(load_workbook(io.BytesIO(statistics_workbook(stats))).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "松江区2023年婚姻登记统计"
    headers = list(rows[1])
    assert headers == statistics_headers()
    assert headers[:4] == ["月份", "结婚登记（对）", "跨省结婚登记（对）", "跨省结婚登记占同期结婚登记的比例（%）"]
    assert headers[-1] == "补发婚姻证书（张）"
    assert not any(re.search(r"[a-z]_[a-z]", h) for h in headers)
    by_label = {row[0]: row for row in rows[2:] if row and row[0]}
    assert by_label["5月"][1:4] == (1, "不适用", "不适用")
    assert by_label["6月"][1:4] == (3, 1, 33.33)
    assert by_label["全年"][1] == 4 and by_label["全年"][-1] == 1
    assert by_label["6月至12月（同期）"][1:4] == (3, 1, 33.33)


def test_the_page_the_download_and_the_api(records, users, client):
    client.force_login(users["bureau"])
    page = client.get("/marriage/statistics/?year=2023")
    assert page.status_code == 200
    text = page.content.decode()
    assert "33.33%" in text and "不适用" in text and "结婚登记（对）" in text
    bad = client.get("/marriage/statistics/?year=abcd")
    assert bad.status_code == 422 and "年份“abcd”无效" in bad.content.decode()
    download = client.get("/marriage/statistics/download/?year=2023")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    api = Client()
    headers = _api(api, "bureau")
    answer = api.get("/api/v1/marriage/statistics?year=2023", **headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"]["marriages"] == 4 and body["cross_period"]["marriages_cross_share"] == "33.33"
    assert body["months"][4]["marriages_cross"] is None
    assert {c["key"]: c["label"] for c in body["columns"]}["reissues"] == "补发婚姻证书（张）"
    refused = api.get("/api/v1/marriage/statistics?year=2099", **headers)
    assert refused.status_code == 422 and "尚未到来" in refused.json()["detail"]
    missing = api.get("/api/v1/marriage/statistics", **headers)
    assert missing.status_code == 422 and missing.json()["problems"][0]["message"] == "缺少此项"


@pytest.mark.parametrize("role", ["street", "committee", "advisor"])
def test_other_roles_get_403_on_the_page_the_download_and_the_api(users, role, client):
    client.force_login(users[role])
    assert client.get("/marriage/statistics/?year=2023").status_code == 403
    assert client.get("/marriage/statistics/download/?year=2023").status_code == 403
    api = Client()
    answer = api.get("/api/v1/marriage/statistics?year=2023", **_api(api, role))
    assert answer.status_code == 403 and "婚姻登记统计" in answer.json()["detail"]
