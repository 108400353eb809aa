"""Property-based test of the whole API against its own OpenAPI schema
(Schemathesis): for a bureau account and a street account on a small
district, generated requests to every operation never get a 5xx, only
documented statuses, and responses that match the documented schema and
media type. Runs in the normal ``pytest`` run (``make test``): examples per
operation are bounded so the whole test stays within a few minutes."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from minzheng.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Bounded for ``make test``; MINZHENG_API_FUZZ_EXAMPLES=200 explores further (and at random).
EXAMPLES = int(os.environ.get("MINZHENG_API_FUZZ_EXAMPLES", "10"))
DERANDOMIZE = "MINZHENG_API_FUZZ_EXAMPLES" not in os.environ


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes "old" database connections at the end of each
    request (``close_old_connections``); inside a test that would close the
    test's own transaction on PostgreSQL. Django's test client disconnects it;
    calling the handler directly, do the same."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def accounts(users, make_person):
    """Tokens of a bureau and a street account, on a district with a few people in it."""
    from minzheng.core.services import api_token_issue

    make_person("谷阳甲", dt.date(1950, 3, 2))
    make_person("谷阳乙", dt.date(1980, 5, 17))
    return {name: api_token_issue(user=users[name])[0] for name in ("bureau", "street")}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bureau", "street"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
          suppress_health_check=list(HealthCheck))
def test_api_honours_its_contract(case, who, accounts):
    case.call_and_validate(headers={"Authorization": f"Bearer {accounts[who]}"}, checks=CHECKS)
