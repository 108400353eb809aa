"""Pickers instead of typed numbers (ADR 0012): the search endpoints find
persons and households by name, pinyin initials or a full ID number, only
inside the user's jurisdiction; a chosen option's label is never shown for a
record outside it; the household list names households by their head."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django import forms
from django.test import Client

from conftest import make_id_number
from minzheng.core.models import AuditEntry
from minzheng.core.pickers import bind_pickers
from minzheng.registry import services
from minzheng.registry.pickers import household_field, person_field


@pytest.fixture
def world(users, make_person):
    inside = make_person("谷阳甲", dt.date(1950, 1, 1), committee="310117001001")
    spouse = make_person("王芳", dt.date(1952, 3, 1), committee="310117001001", male=False)
    outside = make_person("谷阳丙", dt.date(1952, 1, 1), committee="310117102201")
    h_in = services.household_create(actor=users["bureau"], head=inside, address="谷阳路1号")
    services.household_add_member(actor=users["bureau"], household=h_in, person=spouse, relation="配偶",
                                  start_date=dt.date(2020, 1, 1))
    h_out = services.household_create(actor=users["bureau"], head=outside, address="张泾村3组")
    return {"inside": inside, "spouse": spouse, "outside": outside, "h_in": h_in, "h_out": h_out}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_household_picker_finds_by_any_member_within_scope(users, world):
    committee = _client(users["committee"])
    found = committee.get("/api/v1/pick/households", {"q": "王芳"}).json()["results"]
    assert [r["value"] for r in found] == [str(world["h_in"].pk)]
    assert found[0]["label"] == "谷阳甲家"  # named by the head, though found by the spouse
    assert "谷阳路1号" in found[0]["detail"] and "*" in found[0]["detail"]
    # "谷阳" matches a person in another street: the committee user does not get it
    assert {r["value"] for r in committee.get("/api/v1/pick/households", {"q": "谷阳"}).json()["results"]} == {
        str(world["h_in"].pk)}
    bureau = _client(users["bureau"])
    assert {r["value"] for r in bureau.get("/api/v1/pick/households", {"q": "谷阳"}).json()["results"]} == {
        str(world["h_in"].pk), str(world["h_out"].pk)}


@pytest.mark.django_db
def test_person_picker_by_initials_and_full_id_number(users, world):
    bureau = _client(users["bureau"])
    assert [r["label"] for r in bureau.get("/api/v1/pick/persons", {"q": "wf"}).json()["results"]] == ["王芳"]
    number = services.person_reveal_id_number(actor=users["bureau"], person=world["outside"], purpose="测试")
    assert [r["label"] for r in bureau.get("/api/v1/pick/persons", {"q": number}).json()["results"]] == ["谷阳丙"]
    assert _client(users["street"]).get("/api/v1/pick/persons", {"q": number}).json()["results"] == []
    # the first digits of an ID number (area code and birth date, which a list row shows anyway) find
    # those persons inside the jurisdiction only; fewer than six digits find nothing (ADR 0020)
    assert "谷阳丙" in [r["label"] for r in bureau.get("/api/v1/pick/persons", {"q": number[:14]}).json()["results"]]
    assert "谷阳丙" not in [r["label"] for r in _client(users["street"]).get("/api/v1/pick/persons",
                                                                          {"q": number[:14]}).json()["results"]]
    assert bureau.get("/api/v1/pick/persons", {"q": number[:5]}).json()["results"] == []


@pytest.mark.django_db
def test_pickers_need_sign_in_and_committee_picker_is_scoped(users, world):
    assert Client().get("/api/v1/pick/persons", {"q": "王"}).status_code == 401
    names = {r["label"] for r in _client(users["street"]).get("/api/v1/pick/committees", {"q": ""}).json()["results"]}
    assert names == {"谷阳居委会", "乐都居委会"}
    assert _client(users["committee"]).get("/api/v1/pick/committees", {"q": "张泾"}).json()["results"] == []


class _Form(forms.Form):
    household = household_field()
    person = person_field(required=False)


@pytest.mark.django_db
def test_a_chosen_option_is_labelled_only_inside_the_users_jurisdiction(users, world):
    form = bind_pickers(_Form({"household": world["h_in"].pk}), users["committee"])
    assert form.is_valid()
    html = str(form["household"])
    assert "谷阳甲家" in html and 'data-picker="/api/v1/pick/households"' in html
    foreign = bind_pickers(_Form({"household": world["h_out"].pk, "person": world["outside"].pk}), users["committee"])
    assert "谷阳丙" not in str(foreign["household"]) + str(foreign["person"])
    assert "请选择家庭" in str(bind_pickers(_Form({}), users["committee"]).errors)


@pytest.mark.django_db
def test_household_list_names_heads_filters_and_exports(users, world, django_assert_max_num_queries):
    for n in range(5):
        head = services.person_create(actor=users["bureau"], name=f"户主{n}", committee_code="310117001002",
                                      id_number=make_id_number(dt.date(1960, 1, n + 1)))
        services.household_create(actor=users["bureau"], head=head, address=f"乐都路{n}号")
    client = _client(users["street"])
    with django_assert_max_num_queries(12):
        page = client.get("/registry/households/").content.decode()
    assert "谷阳甲家" in page and "户主4家" in page and not re.search(r"家庭 ?\d", page) and "张泾村3组" not in page
    filtered = client.get("/registry/households/", {"committee": "310117001002"}).content.decode()
    assert "户主0家" in filtered and "谷阳甲家" not in filtered and "乐都居委会" in filtered
    response = client.get("/registry/households/", {"committee": "310117001002", "_export": "xlsx"})
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("户主", "街镇", "居村委", "居住地址", "现有成员")
    assert len(rows) == 6 and all("*" in r[0] for r in rows[1:])
    entry = AuditEntry.objects.filter(action="core.list.export").last()
    assert entry.actor == "street" and entry.changes["rows"] == 5
    assert entry.changes["filters"] == {"committee": "310117001002"}
