"""A meal entered at the counter through the API (issue 16: "all through
/api/v1, scoped"): 201 for the canteen's staff (the second meal of the day
recorded unsubsidised, the same meal again not recorded twice), 403 for a
role that does not record meals, 404 for another canteen, 422 with the
Chinese reason for a bad entry; the day bounded (year 1 or 9999 is 422)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.meals.models import MealRecord

pytestmark = pytest.mark.django_db
DAY = "2025-03-03"


def _counter(client, canteen, body: dict):
    return client.post(f"/api/v1/meals/canteens/{canteen.pk}/meals", body, content_type="application/json")


def test_counter_through_the_api(client, canteens, canteen_user, elder, users):
    a = elder(birth=dt.date(1944, 1, 1))
    client.force_login(canteen_user)
    lunch = {"id_number": a.id_number, "day": DAY, "slot": "lunch", "kind": "dine_in"}
    first = _counter(client, canteens[0], lunch)
    assert first.status_code == 201, first.content
    assert first.json()["recorded"] and first.json()["record"]["subsidy_fen"] == 400
    again = _counter(client, canteens[0], lunch)
    assert again.status_code == 201 and again.json() == {"recorded": False, "record": None}
    dinner = _counter(client, canteens[0], {**lunch, "slot": "dinner", "kind": "delivery"})
    assert dinner.status_code == 201 and not dinner.json()["record"]["subsidised"]
    assert "已享受" in dinner.json()["record"]["reason"]
    # refusals: another canteen 404; a bad ID number and out-of-bounds days 422 in Chinese
    assert _counter(client, canteens[1], lunch).status_code == 404
    bad = _counter(client, canteens[0], {**lunch, "id_number": "110101190001011234"})
    assert bad.status_code == 422 and "身份证号" in bad.json()["detail"]
    for day, word in (("9999-12-31", "过晚"), ("0001-01-01", "过早")):
        response = _counter(client, canteens[0], {**lunch, "day": day})
        assert response.status_code == 422 and word in response.json()["detail"], response.content
    assert MealRecord.objects.count() == 2
    # a committee does not record meals: 403
    client.force_login(users["committee"])
    assert _counter(client, canteens[0], lunch).status_code == 403
