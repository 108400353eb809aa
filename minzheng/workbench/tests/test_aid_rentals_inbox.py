"""The street's inbox lists rental-subsidy applications waiting for review, its own street only (ADR 0037)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.disability_services import services
from minzheng.registry.services import disability_certificate_add
from minzheng.workbench.inbox import inbox

pytestmark = pytest.mark.django_db


def test_street_inbox_lists_applications_to_review(users, make_person):
    for name, committee, street in (("岳阳租户", "310117001001", "310117001"), ("泗泾租户", "310117102201", "310117102")):
        person = make_person(name=name, committee=committee)
        disability_certificate_add(actor=users["bureau"], person=person, grade=2, kind="肢体",
                                   valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2030, 1, 1))
        point = services.point_create(actor=users["bureau"], name=f"{name}服务点", street_code=street, address="某路",
                                      operator="某公司", opened_on=dt.date(2024, 1, 1))
        rental = services.rental_record(actor=users["bureau"], point=point, person=person, device_category="walker",
                                        device_name="助行器", start_on=dt.date(2024, 2, 1), end_on=dt.date(2024, 3, 1),
                                        monthly_rent_fen=2000)
        services.application_create(actor=users["bureau"], rental=rental, applicant_name="", applicant_relation="self")
    sections = {s.key: s for s in inbox(users["street"], today=timezone.localdate())}
    section = sections["aid_rentals"]
    assert section.count == 1 and section.items[0].title.endswith("岳阳租户")
