"""API tokens stop working when the password changes, and can be revoked by
their owner and by bureau staff (nobody else; out of reach is 404)."""

import pytest
from django.test import Client

from minzheng.core.models import AuditEntry


def _token(client: Client, username: str, password: str = "pass-12345") -> str:
    response = client.post("/api/v1/auth/token", {"username": username, "password": password},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _get(client: Client, token: str, path: str = "/api/v1/auth/tokens"):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_a_password_change_ends_every_token_issued_before(users):
    client = Client()
    token = _token(client, "street")
    assert _get(client, token).status_code == 200
    user = users["street"]
    user.set_password("a-new-password-2026")
    user.save()
    assert _get(client, token).status_code == 401
    assert _get(client, _token(client, "street", "a-new-password-2026")).status_code == 200


@pytest.mark.django_db
def test_the_owner_revokes_a_token(users):
    client = Client()
    first, second = _token(client, "street"), _token(client, "street")
    mine = _get(client, second).json()
    assert len(mine) == 2 and {t["username"] for t in mine} == {"street"}
    oldest = min(t["id"] for t in mine)
    response = client.delete(f"/api/v1/auth/tokens/{oldest}", HTTP_AUTHORIZATION=f"Bearer {second}")
    assert response.status_code == 200 and response.json()["revoked"] is True
    assert _get(client, first).status_code == 401 and _get(client, second).status_code == 200
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.django_db
def test_bureau_revokes_anyones_token_and_others_cannot(users):
    client = Client()
    street = _token(client, "street")
    committee = _token(client, "committee")
    bureau = _token(client, "bureau")
    street_id = _get(client, street).json()[0]["id"]
    # another non-bureau user: 404 (not even told the token exists), and may not list others' tokens
    assert client.delete(f"/api/v1/auth/tokens/{street_id}", HTTP_AUTHORIZATION=f"Bearer {committee}").status_code == 404
    assert _get(client, committee, "/api/v1/auth/tokens?username=street").status_code == 403
    # bureau staff can list and revoke it
    listed = _get(client, bureau, "/api/v1/auth/tokens?username=street").json()
    assert [t["id"] for t in listed] == [street_id]
    assert client.delete(f"/api/v1/auth/tokens/{street_id}", HTTP_AUTHORIZATION=f"Bearer {bureau}").status_code == 200
    assert _get(client, street).status_code == 401
