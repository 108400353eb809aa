"""Hostile values in every field of every marriage form (the registrar's
pages, which the bureau's district-wide hostile crawl cannot reach) never
give a server error: every value of the shared ``HOSTILE`` list in every
field, and every hostile file in every file field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.integration_tests.test_hostile_input import (
    FILES,
    HOSTILE,
    LONG_TEXT,
    SKIP,
    _Forms,
    _kind,
    _pages,
    _post,
)
from minzheng.marriage.services import divorce_apply, marriage_register
from minzheng.marriage.tests.conftest import couple, party

pytestmark = pytest.mark.django_db


def test_hostile_values_in_every_marriage_form_never_give_a_server_error(registrar):
    man, woman = couple()
    reg = marriage_register(actor=registrar, first=man, second=woman, registered_on=dt.date(2026, 3, 1))
    other = marriage_register(actor=registrar, first=party("孙伟", dt.date(1990, 2, 2), male=True),
                              second=party("周婷", dt.date(1992, 2, 2), male=False), registered_on=dt.date(2026, 3, 1))
    today = dt.date.today()
    application = divorce_apply(actor=registrar, marriage=other, agreement_text="协议", both_present=True,
                                received_on=today - dt.timedelta(days=40))  # appearance window: the register form
    third = marriage_register(actor=registrar, first=party("吴刚", dt.date(1990, 2, 2), male=True),
                              second=party("郑洁", dt.date(1992, 2, 2), male=False), registered_on=dt.date(2026, 3, 1))
    cooling = divorce_apply(actor=registrar, marriage=third, agreement_text="协议", both_present=True,
                            received_on=today)  # cooling-off: the withdraw form
    client = Client(raise_request_exception=False)
    client.force_login(registrar)
    seeds = ["/marriage/", "/marriage/new/", f"/marriage/{reg.pk}/", f"/marriage/divorces/{application.pk}/",
             f"/marriage/divorces/{cooling.pk}/", "/marriage/divorces/"]
    forms, seen = [], set()
    pages = [(path, client.get(path).content.decode()) for path in seeds]  # both divorce phases, no dedupe
    for page, html in pages + _pages(client, seeds):
        parser = _Forms()
        parser.feed(html)
        for form in parser.forms:
            action = form["action"] or page
            key = (_kind(action), tuple(sorted(form["fields"])))
            if SKIP.search(action) or key in seen or not action.startswith("/marriage"):
                continue
            seen.add(key)
            forms.append((action, form))
    problems, posted = [], 0
    for action, form in forms:
        defaults = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
        files = {name: FILES[0] for name in form["files"]}
        for name in defaults:
            for value in (*HOSTILE, LONG_TEXT):
                status = _post(client, action, {**defaults, name: value}, files, form["get"])
                posted += 1
                if status >= 500:
                    problems.append(f"{action} {name}={value[:20]!r}: {status}")
        for name in form["files"]:
            for upload in FILES:
                status = _post(client, action, defaults, {**files, name: upload})
                posted += 1
                if status >= 500:
                    problems.append(f"{action} {name}={upload[0]}: {status}")
    actions = {_kind(a) for a, _ in forms}
    assert {"/marriage/new/", "/marriage/N/divorce/", "/marriage/certificates/N/reissue/",
            "/marriage/divorces/N/withdraw/", "/marriage/divorces/N/register/"} <= actions, actions
    assert problems == [], problems
    assert posted > 100
