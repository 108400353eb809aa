"""A NUL character anywhere in a request is refused with a Chinese 400 and
nothing is written (PostgreSQL cannot store it)."""

import pytest

from minzheng.core.middleware import NUL_REFUSAL


@pytest.mark.django_db
def test_nul_in_form_query_and_json_is_refused(client, users):
    client.force_login(users["street"])
    response = client.post("/registry/households/1/declare/", {"evidence": "申请书\x00"})
    assert response.status_code == 400 and NUL_REFUSAL in response.content.decode()
    assert client.get("/registry/persons/?q=%00").status_code == 400
    response = client.post("/api/v1/auth/token", '{"username": "street\\u0000", "password": "x"}',
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == NUL_REFUSAL
    assert client.get("/registry/persons/?q=张").status_code == 200
