"""The refusal tests' world (``refusal_worlds``): built once per test module
inside a transaction that is rolled back after the module's last test; each
test runs in its own savepoint within it (pytest-django's ``db``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def refusal_world(django_db_setup, django_db_blocker, tmp_path_factory):
    from minzheng.integration_tests import refusal_worlds

    checkpoints = tmp_path_factory.mktemp("audit") / "audit-checkpoints.jsonl"
    with django_db_blocker.unblock(), override_settings(MINZHENG_AUDIT_CHECKPOINTS=checkpoints):
        with transaction.atomic():
            built = refusal_worlds.build()
            yield SimpleNamespace(ids=built.ids, tokens=refusal_worlds.tokens(built))
            transaction.set_rollback(True)
