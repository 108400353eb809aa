"""The API contract a client can trust: what the OpenAPI document promises
(typed schemas, enums, patterns, bounds, one error model, readable operation
ids, Chinese summaries) and what the API answers (JSON for every refusal,
401 with ``WWW-Authenticate``, 404/405/429/500 as JSON, 409 for a state
conflict, 201 for a creation, 403 for the wrong role)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client

from minzheng.api import api

ERROR_KEYS = {"detail", "code", "problems"}


@pytest.fixture(scope="module")
def openapi() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema()))  # as served (status codes as strings)


def _operations(openapi: dict):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _resolve(openapi: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


def _token(client: Client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def _is_error_model(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == code and _has_chinese(body["detail"]), body
    return body


# --- the document --------------------------------------------------------------------------

def test_every_operation_declares_a_typed_success_and_the_error_model(openapi):
    for path, method, operation in _operations(openapi):
        where = f"{method.upper()} {path}"
        responses = operation["responses"]
        ok = [status for status in responses if status.startswith("2")]
        assert ok, where
        for status in ok:
            content = responses[status].get("content")
            assert content, f"{where} {status}: no content declared"
            for media_type, body in content.items():
                schema = _resolve(openapi, body["schema"])
                if media_type == "application/json":
                    typed = schema.get("properties") or schema.get("type") == "array" and (
                        _resolve(openapi, schema["items"]).get("properties"))
                    assert typed, f"{where} {status}: untyped JSON {schema}"
                else:
                    assert schema == {"type": "string", "format": "binary"}, where
        for status in ("400", "401", "403", "404", "422"):
            body = responses[status]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ApiError"}, f"{where} {status}"


def test_downloads_are_binary_with_their_media_types(openapi):
    paths = openapi["paths"]
    csv = paths["/api/v1/payments/batches/{batch_id}/files/bank_csv"]["get"]["responses"]["200"]["content"]
    xlsx = paths["/api/v1/payments/batches/{batch_id}/files/ledger_xlsx"]["get"]["responses"]["200"]["content"]
    assert list(csv) == ["text/csv"]
    assert list(xlsx) == ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]


def test_operation_ids_are_readable_and_unique_and_summaries_chinese(openapi):
    ids = [operation["operationId"] for _, _, operation in _operations(openapi)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", i) for i in ids), ids
    assert {"payments_batch_approve", "payments_batch_review", "casework_enrolment_suspend",
            "monitoring_run_create", "registry_person_search"} <= set(ids)
    for path, method, operation in _operations(openapi):
        assert _has_chinese(operation.get("summary", "")), f"{method} {path}"


def test_schema_names_are_unique_so_each_body_is_its_own(openapi):
    """Two request schemas called ``RunIn`` made /monitoring/runs documented with the payments body."""
    body = openapi["paths"]["/api/v1/monitoring/runs"]["post"]["requestBody"]["content"]["application/json"]
    properties = _resolve(openapi, body["schema"])["properties"]
    assert set(properties) == {"month", "reuse_batch"}
    body = openapi["paths"]["/api/v1/payments/batches/run"]["post"]["requestBody"]["content"]["application/json"]
    assert set(_resolve(openapi, body["schema"])["properties"]) == {"program", "month"}
    # every model the operations use has a name of its own
    from pydantic import BaseModel

    seen: dict[str, type] = {}
    for router in (r for _, r in api._routers):
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                models = [*operation.models, *[m for m in operation.response_models.values() if m]]
                for model in models:
                    for sub in _models_in(model):
                        other = seen.setdefault(sub.__name__, sub)
                        assert other is sub or other.model_json_schema() == sub.model_json_schema(), (
                            f"two schemas named {sub.__name__}: {other.__module__} and {sub.__module__}")
    assert all(issubclass(m, BaseModel) for m in seen.values())


def _models_in(model):
    from pydantic import BaseModel

    found, stack = [], [model]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel) and current not in found:
            if current.__module__.startswith("minzheng"):  # not ninja's generated wrappers
                found.append(current)
            for field in current.model_fields.values():
                stack.extend(_types_in(field.annotation))
    return found


def _types_in(annotation):
    args = getattr(annotation, "__args__", ())
    return [annotation, *[t for a in args for t in _types_in(a)]]


def test_programs_purposes_actions_and_kinds_are_enums_with_chinese_descriptions(openapi):
    from minzheng.casework.transitions import TRANSITIONS

    def body(path: str, method: str = "post") -> dict:
        content = openapi["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        return _resolve(openapi, content)["properties"]

    def query(path: str, name: str) -> dict:
        params = openapi["paths"][path]["get"]["parameters"]
        schema = next(p for p in params if p["name"] == name)["schema"]
        return next((s for s in schema.get("anyOf", [schema]) if "enum" in s), schema)

    program = body("/api/v1/applications")["program"]
    assert "dibao" in program["enum"] and "dibao：" in program["description"]
    assert set(body("/api/v1/applications/{application_id}/transitions")["action"]["enum"]) == set(TRANSITIONS)
    assert "medical" in body("/api/v1/verification/requests")["purpose"]["enum"]
    assert "referral" in body("/api/v1/monitoring/services")["kind"]["enum"]
    assert "elderly_alone" in body("/api/v1/monitoring/labels")["label"]["enum"]
    assert "death" in query("/api/v1/feeds/events", "kind")["enum"]
    assert "dibao" in query("/api/v1/monitoring/leads", "program")["enum"]
    for schema in (program, query("/api/v1/feeds/events", "kind")):
        assert _has_chinese(schema["description"])


def test_months_have_a_pattern_and_paging_has_bounds(openapi):
    month = r"^\d{4}-(0[1-9]|1[0-2])$"
    params = {p["name"]: p for p in openapi["paths"]["/api/v1/policy/runs/{month}"]["get"]["parameters"]}
    assert params["month"]["schema"]["pattern"] == month
    listing = {p["name"]: p["schema"] for p in openapi["paths"]["/api/v1/persons"]["get"]["parameters"]}
    assert (listing["limit"]["minimum"], listing["limit"]["maximum"]) == (1, 200)
    assert listing["offset"]["minimum"] == 0 and listing["offset"]["maximum"] == 10_000_000
    content = openapi["paths"]["/api/v1/monitoring/runs"]["post"]["requestBody"]["content"]["application/json"]
    assert _resolve(openapi, content["schema"])["properties"]["month"]["pattern"] == month


def test_policy_evaluate_documents_its_body(openapi):
    body = openapi["paths"]["/api/v1/policy/evaluate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"month", "household"}
    assert body["properties"]["month"]["pattern"]
    household = body["properties"]["household"]
    assert {"monetary_assets_yuan", "members"} <= set(household["properties"])
    assert "birth_date" in household["properties"]["members"]["items"]["properties"]


# --- the answers --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_401_says_bearer_in_the_error_model(client, users):
    response = client.get("/api/v1/persons")
    _is_error_model(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = client.post("/api/v1/auth/token", {"username": "bureau", "password": "wrong"},
                           content_type="application/json")
    _is_error_model(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_a_lock_out_is_429_json(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/api/v1/auth/token", {"username": "street", "password": "wrong"}, content_type="application/json")
    response = client.post("/api/v1/auth/token", {"username": "street", "password": "wrong"},
                           content_type="application/json")
    _is_error_model(response, 429, "too_many_requests")
    response = client.post("/api/v1/auth/token", {"username": "street", "password": "pass-12345"},
                           content_type="application/json")
    _is_error_model(response, 429, "too_many_requests")


@pytest.mark.django_db
def test_unknown_paths_and_methods_are_json(client, users):
    auth = _token(client, "bureau")
    _is_error_model(client.get("/api/v1/no-such-thing", **auth), 404, "not_found")
    _is_error_model(client.get("/api/nothing/here/"), 404, "not_found")
    _is_error_model(client.post("/api/v1/payments/batches/1/actions/explode", {}, content_type="application/json",
                                **auth), 404, "not_found")
    response = client.delete("/api/v1/persons", **auth)
    _is_error_model(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_an_unhandled_error_is_a_logged_json_500(client, users, monkeypatch, caplog):
    from minzheng.feeds import selectors

    def boom():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "source_list", boom)
    response = client.get("/api/v1/feeds/sources?q=private", **_token(client, "bureau"))
    body = _is_error_model(response, 500, "server_error")
    assert "secret" not in body["detail"]
    logged = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert logged and "/api/v1/feeds/sources" in logged[0].getMessage()
    assert "private" not in logged[0].getMessage()


@pytest.mark.django_db
def test_validation_errors_name_fields_in_the_error_model(client, users):
    auth = _token(client, "bureau")
    body = _is_error_model(client.get("/api/v1/persons?offset=-1", **auth), 422, "invalid")
    assert body["problems"] == [{"field": "offset", "message": "数值太小（界限 0）"}]
    body = _is_error_model(client.get("/api/v1/policy/runs/2024-13", **auth), 422, "invalid")
    assert body["problems"] == [{"field": "month", "message": "月份格式应为 YYYY-MM"}]
    body = _is_error_model(client.post("/api/v1/monitoring/runs", {"month": "2024-8"},
                                       content_type="application/json", **auth), 422, "invalid")
    assert body["problems"][0]["field"] == "month"
    body = _is_error_model(client.get("/api/v1/applications?program=nonsense", **auth), 422, "invalid")
    assert body["problems"][0]["field"] == "program" and "dibao" in body["problems"][0]["message"]
    _is_error_model(client.post("/api/v1/applications", "{not json", content_type="application/json", **auth),
                    400, "bad_request")


@pytest.mark.django_db
@pytest.mark.parametrize("query", [f"offset={2**63}", f"offset={2**64 + 5}", "offset=10000001", "limit=201",
                                   "limit=0", "limit=99999999999999999999"])
def test_paging_out_of_bounds_is_422_never_500(client, users, query):
    auth = _token(client, "bureau")
    for path in ("/api/v1/persons", "/api/v1/applications", "/api/v1/feeds/events", "/api/v1/monitoring/leads"):
        _is_error_model(client.get(f"{path}?{query}", **auth), 422, "invalid")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/persons/{big}", "/api/v1/applications/{big}",
                                  "/api/v1/payments/batches/{big}/lines"])
def test_record_ids_beyond_the_database_range_are_422(client, users, path):
    _is_error_model(client.get(path.format(big=2**63), **_token(client, "bureau")), 422, "invalid")


@pytest.mark.django_db
def test_the_wrong_role_for_a_monitoring_run_is_403(client, users):
    for who in ("committee", "street", "auditor"):
        response = client.post("/api/v1/monitoring/runs", {"month": "2025-08", "reuse_batch": True},
                               content_type="application/json", **_token(client, who))
        _is_error_model(response, 403, "forbidden")


@pytest.fixture
def household(users, make_person):
    from minzheng.registry.services import household_create

    head = make_person("谷阳甲", dt.date(1950, 3, 2))
    return household_create(actor=users["bureau"], head=head, address="谷阳路1号")


@pytest.mark.django_db
def test_creation_is_201_and_a_state_conflict_is_409(client, users, household):
    auth = _token(client, "street")
    created = client.post("/api/v1/monitoring/labels", {"household_id": household.pk, "label": "elderly_alone"},
                          content_type="application/json", **auth)
    assert created.status_code == 201 and created.json()["label"] == "elderly_alone"
    again = client.post("/api/v1/monitoring/labels", {"household_id": household.pk, "label": "elderly_alone"},
                        content_type="application/json", **auth)
    assert _is_error_model(again, 409, "conflict")["problems"] == [{"field": "", "message": "该标签已存在"}]
    label = created.json()["id"]
    assert client.delete(f"/api/v1/monitoring/labels/{label}", **auth).status_code == 200
    _is_error_model(client.delete(f"/api/v1/monitoring/labels/{label}", **auth), 409, "conflict")
    # an application: 201; a second one for the same program while the first is open: 409
    body = {"household_id": household.pk, "applicant_id": household.memberships.get().person_id, "program": "dibao"}
    assert client.post("/api/v1/applications", body, content_type="application/json", **auth).status_code == 201
    _is_error_model(client.post("/api/v1/applications", body, content_type="application/json", **auth),
                    409, "conflict")
