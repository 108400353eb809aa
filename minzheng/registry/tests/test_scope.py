"""Jurisdiction: street and committee users cannot list, read or change
records outside their scope, in the UI or the API (404, never the data)."""

import datetime as dt

import pytest
from django.test import Client

from minzheng.core.tests.web import logged_in
from minzheng.registry import services


@pytest.fixture
def world(users, make_person):
    inside = make_person("谷阳甲", dt.date(1950, 1, 1), committee="310117001001")
    same_street = make_person("乐都乙", dt.date(1951, 1, 1), committee="310117001002")
    outside = make_person("张泾丙", dt.date(1952, 1, 1), committee="310117102201")
    h_in = services.household_create(actor=users["bureau"], head=inside, address="谷阳路1号")
    h_street = services.household_create(actor=users["bureau"], head=same_street, address="乐都路2号")
    h_out = services.household_create(actor=users["bureau"], head=outside, address="张泾村3组")
    return {"inside": inside, "same_street": same_street, "outside": outside,
            "h_in": h_in, "h_street": h_street, "h_out": h_out}


def _token(client: Client, username: str) -> str:
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, visible, hidden",
    [
        ("street", {"inside", "same_street"}, {"outside"}),
        ("committee", {"inside"}, {"same_street", "outside"}),
        ("other_street", {"outside"}, {"inside", "same_street"}),
        ("bureau", {"inside", "same_street", "outside"}, set()),
        ("auditor", {"inside", "same_street", "outside"}, set()),
    ],
)
def test_ui_list_and_detail_are_scoped(users, world, username, visible, hidden):
    client = logged_in(users[username])
    listing = client.get("/registry/persons/").content.decode()
    for key in visible:
        assert world[key].name in listing
        assert client.get(f"/registry/persons/{world[key].pk}/").status_code == 200
    for key in hidden:
        assert world[key].name not in listing
        response = client.get(f"/registry/persons/{world[key].pk}/")
        assert response.status_code == 404
        assert world[key].name not in response.content.decode()


@pytest.mark.django_db
def test_ui_households_out_of_scope_are_404(users, world):
    client = logged_in(users["committee"])
    assert client.get(f"/registry/households/{world['h_in'].pk}/").status_code == 200
    assert client.get(f"/registry/households/{world['h_street'].pk}/").status_code == 404
    assert client.get(f"/registry/households/{world['h_out'].pk}/").status_code == 404
    listing = client.get("/registry/households/").content.decode()
    assert "谷阳路1号" in listing and "乐都路2号" not in listing


@pytest.mark.django_db
def test_ui_reveal_out_of_scope_is_404_and_in_scope_is_audited(users, world):
    from minzheng.core.models import AuditEntry

    client = logged_in(users["street"])
    assert client.post(f"/registry/persons/{world['outside'].pk}/reveal/").status_code == 404
    response = client.post(f"/registry/persons/{world['inside'].pk}/reveal/")
    assert response.status_code == 200
    assert len(response.content.decode().split(">")[1].split("<")[0]) == 18
    assert AuditEntry.objects.filter(action="person.reveal_id_number").count() == 1


@pytest.mark.django_db
def test_ui_merge_across_scope_is_404(users, world):
    client = logged_in(users["street"])
    response = client.post("/registry/duplicates/merge/", {"keep": world["inside"].pk, "duplicate": world["outside"].pk})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, visible, hidden",
    [
        ("street", {"inside", "same_street"}, {"outside"}),
        ("committee", {"inside"}, {"same_street", "outside"}),
    ],
)
def test_api_is_scoped(client, users, world, username, visible, hidden):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, username)}"}
    listing = client.get("/api/v1/persons", **auth).json()
    names = {p["name"] for p in listing["results"]}
    assert names == {world[k].name for k in visible}
    for key in hidden:
        assert client.get(f"/api/v1/persons/{world[key].pk}", **auth).status_code == 404
    for key in visible:
        body = client.get(f"/api/v1/persons/{world[key].pk}", **auth).json()
        assert body["id_number"].count("*") == 11
    assert client.get(f"/api/v1/households/{world['h_out'].pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/households/{world['h_in'].pk}", **auth).status_code == 200


@pytest.mark.django_db
def test_auditor_cannot_write_through_ui(users, world):
    client = logged_in(users["auditor"])
    assert client.post("/registry/import/", {}).status_code == 403
    assert client.post(f"/registry/persons/{world['inside'].pk}/reveal/").status_code == 403


@pytest.mark.django_db
def test_advisor_sees_only_assigned_committees(users, world):
    from minzheng.monitoring.services import advisor_assignment_create

    advisor = users["advisor"]  # scope: 岳阳街道, no committee assigned yet
    assert not selectors_person_ids(advisor)
    advisor_assignment_create(actor=users["bureau"], advisor=advisor, committee=world["inside"].committee)
    advisor = type(advisor).objects.get(pk=advisor.pk)  # a fresh request sees the new assignment
    assert selectors_person_ids(advisor) == {world["inside"].pk}
    client = logged_in(advisor)
    assert client.get(f"/registry/persons/{world['inside'].pk}/").status_code == 200
    assert client.get(f"/registry/persons/{world['same_street'].pk}/").status_code == 404
    assert client.get(f"/registry/households/{world['h_street'].pk}/").status_code == 404


def selectors_person_ids(user) -> set[int]:
    from minzheng.registry.selectors import person_search

    return set(person_search(user).values_list("pk", flat=True))
