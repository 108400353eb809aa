import datetime as dt

import pytest


def _auth(client, username="bureau", password="pass-12345"):
    response = client.post("/api/v1/auth/token", {"username": username, "password": password},
                           content_type="application/json")
    return response


@pytest.mark.django_db
def test_token_and_search(client, users, make_person):
    make_person("张小明", dt.date(1980, 5, 17))
    make_person("李四", dt.date(1985, 1, 1))
    token = _auth(client).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.get("/api/v1/persons?q=zxm", **auth).json()
    assert body["count"] == 1
    person = body["results"][0]
    assert person["name"] == "张小明" and person["birth_date"] == "1980-05-17" and person["sex"] == "男"
    assert "***********" in person["id_number"]
    detail = client.get(f"/api/v1/persons/{person['id']}", **auth).json()
    assert detail["disabilities"] == [] and detail["household_id"] is None


@pytest.mark.django_db
def test_auth_required_and_bad_password(client, users):
    assert client.get("/api/v1/persons").status_code == 401
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    response = _auth(client, password="wrong-password")
    assert response.status_code in (401, 403, 429)


@pytest.mark.django_db
def test_expired_token_is_refused(client, users):
    from minzheng.core.models import ApiToken

    token = _auth(client).json()["token"]
    ApiToken.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


@pytest.mark.django_db
def test_openapi_docs_are_served(client, users):
    assert client.get("/api/docs").status_code == 302  # to the sign-in page
    client.force_login(users["street"])
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/persons" in schema["paths"]


@pytest.mark.django_db
def test_bad_query_values_get_chinese_422(client, users):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_auth(client).json()['token']}"}
    response = client.get("/api/v1/persons?offset=-1", **auth)
    assert response.status_code == 422
    assert response.json()["problems"] == [{"field": "offset", "message": "数值太小（界限 0）"}]
    response = client.get("/api/v1/persons/abc", **auth)
    assert response.status_code == 422
    assert response.json()["problems"][0]["message"] == "应为整数"
