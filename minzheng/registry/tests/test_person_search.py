"""The person search's matching rules (ADR 0020), the same rows in the same
order on SQLite and PostgreSQL, always inside the user's jurisdiction; on
PostgreSQL the name and surname queries can be answered from an index."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client

from conftest import make_id_number
from minzheng.registry import selectors
from minzheng.registry.person_search import (
    birth_date_range,
    initials_only,
    pinyin_only,
    query_kind,
    query_problem,
)
from minzheng.registry.services import person_create

pytestmark = pytest.mark.django_db

YUEYANG = "310117001001"  # 岳阳街道 谷阳居委会
SIJING = "310117102201"  # 泗泾镇 张泾村委会


@pytest.fixture
def people(users) -> dict[str, object]:
    """Names chosen so each rule has a row it must find and one it must not."""
    rows = [
        ("张伟", dt.date(1990, 3, 5), YUEYANG, "310117"),
        ("张伟明", dt.date(1985, 1, 20), YUEYANG, "310117"),
        ("张三丰", dt.date(1990, 3, 5), SIJING, "310117"),
        ("张伟", dt.date(1970, 12, 31), SIJING, "310117"),
        ("王小明", dt.date(1990, 7, 1), YUEYANG, "310117"),
        ("欧阳明辉", dt.date(1950, 4, 9), YUEYANG, "320102"),
        ("周文", dt.date(1990, 3, 6), YUEYANG, "310117"),
        ("李四", dt.date(2001, 2, 3), SIJING, "310117"),
    ]
    made = {}
    for name, birth, committee, area in rows:
        number = make_id_number(birth, area=area)
        person = person_create(actor=users["bureau"], name=name, id_number=number, committee_code=committee)
        made[f"{name}{birth:%Y}"] = (person, number)
    return made


def found(user, q: str) -> list[str]:
    """Names with birth years, in the order the search lists them."""
    return [f"{p.name}{p.birth_date:%Y}" for p in selectors.person_search(user, q)]


def test_query_kinds():
    assert query_kind("") == "everyone"
    assert query_kind("310117199003050012") == "id_full"
    assert query_kind("31011719900305001X") == "id_full"
    assert query_kind("31011719") == "id_prefix"
    assert query_kind("3101") == "id_prefix"  # matches nothing (see below)
    assert query_kind("zw") == "pinyin"
    assert query_kind("Zhang Wei") == "pinyin"
    assert query_kind("张") == "name_prefix"
    assert query_kind("张伟") == "name_prefix"
    assert query_kind("张伟明") == "name_contains"
    assert initials_only("zw") and initials_only("zxm") and initials_only("zhw")
    assert not initials_only("z") and not initials_only("zh") and not initials_only("oy")
    assert not initials_only("zhangw")
    assert pinyin_only("liu") and pinyin_only("zhangwei") and not pinyin_only("zhang") and not pinyin_only("oy")


def test_one_character_is_a_surname(users, people):
    # prefix, in code point order of the name, then birth date, then id
    assert found(users["bureau"], "张") == ["张三丰1990", "张伟1970", "张伟1990", "张伟明1985"]
    assert found(users["bureau"], "明") == []  # not "contains": 王小明 and 张伟明 are not 明 surnames


def test_two_characters_are_a_name_or_its_start(users, people):
    assert found(users["bureau"], "张伟") == ["张伟1970", "张伟1990", "张伟明1985"]
    assert found(users["bureau"], "欧阳") == ["欧阳明辉1950"]  # a compound surname
    assert found(users["bureau"], "小明") == []  # two characters never match inside a name


def test_three_characters_match_anywhere_in_the_name(users, people):
    assert found(users["bureau"], "阳明辉") == ["欧阳明辉1950"]
    assert found(users["bureau"], "张伟明") == ["张伟明1985"]
    assert found(users["bureau"], "王小明") == ["王小明1990"]


def test_initials_and_full_pinyin_are_prefixes(users, people):
    # letters without a vowel are initials alone, in initials order, then full pinyin, then the order recorded
    assert found(users["bureau"], "zw") == ["张伟1990", "张伟1970", "周文1990", "张伟明1985"]
    # with a vowel (or zh/ch/sh) also the start of the full pinyin, in full pinyin order
    assert found(users["bureau"], "zh") == ["张三丰1990", "张伟1990", "张伟1970", "张伟明1985", "周文1990"]
    assert found(users["bureau"], "zwm") == ["张伟明1985"]
    assert found(users["bureau"], "zhangw") == ["张伟1990", "张伟1970", "张伟明1985"]
    assert found(users["bureau"], "Zhang Wei Ming") == ["张伟明1985"]
    assert found(users["bureau"], "z") == ["张三丰1990", "张伟1990", "张伟1970", "张伟明1985", "周文1990"]
    assert found(users["bureau"], "oy") == ["欧阳明辉1950"]
    assert found(users["bureau"], "wxm") == ["王小明1990"]
    assert found(users["bureau"], "xm") == []  # initials are matched from the start
    assert found(users["bureau"], "zhangwei") == ["张伟1990", "张伟1970", "张伟明1985"]  # has an i: pinyin alone
    assert found(users["bureau"], "li") == ["李四2001"]


def test_id_number_in_full_and_by_its_first_digits(users, people):
    bureau = users["bureau"]
    person, number = people["张伟1990"]
    assert found(bureau, number) == ["张伟1990"]
    assert found(bureau, number.lower()) == ["张伟1990"]
    # area code + birth date: everyone born that day in that area, by birth date
    assert found(bureau, number[:14]) == ["张伟1990", "张三丰1990"]  # same day: in the order recorded
    assert found(bureau, number[:12]) == ["张伟1990", "张三丰1990", "周文1990"]  # born March 1990
    assert found(bureau, number[:10]) == ["张伟1990", "张三丰1990", "周文1990", "王小明1990"]  # born 1990
    assert found(bureau, "310117") == ["张伟1970", "张伟明1985", "张伟1990", "张三丰1990", "周文1990",
                                       "王小明1990", "李四2001"]
    assert found(bureau, "320102") == ["欧阳明辉1950"]
    # digits 15–17 are not in the masked copy (ADR 0002): refused, never read as the first 14
    for digits in (number[:15], number[:16], number[:17], number[:17] + "00"):  # 19 digits (the check digit may be X)
        assert query_problem(digits) == "身份证号码请输入前6至14位，或完整的18位"
        assert found(bureau, digits) == []
    assert query_problem(number) is None and query_problem(number[:14]) is None and query_problem("张伟") is None
    assert found(bureau, "31011719901305") == []  # no thirteenth month
    assert found(bureau, "31011") == []  # fewer than six digits: nothing
    assert found(bureau, "3101171990") != found(bureau, "3101171991")


def test_birth_date_ranges_of_id_prefixes():
    assert birth_date_range("") == (dt.date(1, 1, 1), dt.date(9999, 12, 31))
    assert birth_date_range("1990") == (dt.date(1990, 1, 1), dt.date(1990, 12, 31))
    assert birth_date_range("19900") == (dt.date(1990, 1, 1), dt.date(1990, 9, 30))
    assert birth_date_range("199002") == (dt.date(1990, 2, 1), dt.date(1990, 2, 28))
    assert birth_date_range("1990023") is None  # no 30th or 31st of February
    assert birth_date_range("2000022") == (dt.date(2000, 2, 20), dt.date(2000, 2, 29))
    assert birth_date_range("19901") == (dt.date(1990, 10, 1), dt.date(1990, 12, 31))
    assert birth_date_range("199013") is None
    assert birth_date_range("19900230") is None
    assert birth_date_range("19900101") == (dt.date(1990, 1, 1), dt.date(1990, 1, 1))


def test_every_kind_stays_inside_the_jurisdiction(users, people):
    street, committee, other = users["street"], users["committee"], users["other_street"]
    _, number = people["张三丰1990"]  # in 泗泾
    assert found(street, "张") == ["张伟1990", "张伟明1985"]
    assert found(other, "张") == ["张三丰1990", "张伟1970"]
    assert found(street, "张伟") == ["张伟1990", "张伟明1985"]
    assert found(other, "张三丰") == ["张三丰1990"] and found(street, "张三丰") == []
    assert found(street, "zw") == ["张伟1990", "周文1990", "张伟明1985"]
    assert found(street, "zhangw") == ["张伟1990", "张伟明1985"]
    assert found(street, number) == [] and found(other, number) == ["张三丰1990"]
    assert found(street, number[:14]) == ["张伟1990"]
    assert found(committee, "张") == ["张伟1990", "张伟明1985"]
    assert found(users["advisor"], "张") == []  # no committee assigned


def test_api_counts_up_to_a_bound_and_says_when_it_stopped(users, people, monkeypatch):
    from minzheng.core.services import api_token_issue

    key, _ = api_token_issue(user=users["bureau"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = client.get("/api/v1/persons", {"q": "张"}).json()
    assert (body["count"], body["count_exact"]) == (4, True)
    assert [r["name"] for r in body["results"]] == ["张三丰", "张伟", "张伟", "张伟明"]
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    body = client.get("/api/v1/persons", {"q": "张"}).json()
    assert (body["count"], body["count_exact"]) == (3, False)
    assert len(body["results"]) == 4  # the page itself is not cut by the count's bound


def test_api_and_list_refuse_digits_15_to_17_with_a_chinese_message(client, users, people):
    from minzheng.core.services import api_token_issue

    _, number = people["张伟1990"]
    key, _ = api_token_issue(user=users["bureau"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.get("/api/v1/persons", {"q": number[:16]})
    assert response.status_code == 422
    assert response.json()["detail"] == "身份证号码请输入前6至14位，或完整的18位"
    assert api.get("/api/v1/persons", {"q": number[:14]}).json()["count"] == 2
    client.force_login(users["bureau"])
    page = client.get("/registry/persons/", {"q": number[:15]}).content.decode()
    assert "身份证号码请输入前6至14位，或完整的18位" in page
    assert not re.search(r'href="/registry/persons/\d+/"', page)  # no rows listed
    assert f'href="/registry/persons/{people["张伟1990"][0].pk}/"' in client.get(
        "/registry/persons/", {"q": number[:14]}).content.decode()


def test_person_list_counts_up_to_a_bound_and_says_so(client, users, people, monkeypatch):
    from minzheng.core.lists import BoundedPaginator

    client.force_login(users["bureau"])
    page = client.get("/registry/persons/", {"q": "张"}).content.decode()
    assert "共 4 条" in page
    monkeypatch.setattr(BoundedPaginator, "limit", 3)
    page = client.get("/registry/persons/", {"q": "张"}).content.decode()
    assert "超过 3 条，只列出前 3 条" in page and "共 4 条" not in page
    assert page.count('href="/registry/persons/') >= 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan check")
@pytest.mark.parametrize("user_key", ["bureau", "street"])
@pytest.mark.parametrize("q", ["张", "张伟", "张伟明", "zw", "zh", "z", "zhangwei", "wang", "31011719900305"])
def test_postgres_answers_name_and_surname_searches_from_an_index(users, people, user_key, q):
    """With sequential scans priced out, a query that no index can serve still
    shows ``Seq Scan on registry_person``; these must not."""
    qs = selectors.person_search(users[user_key], q)[:50]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_person")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on registry_person" not in plan, plan
    assert "registry_person" in plan
