"""Meal assistance fixtures: two canteens in two streets, a canteen account
linked to the first, elders of given ages, a daily file builder."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.meals.daily_files import HEADERS


@pytest.fixture
def canteens(district):
    one = Facility.objects.create(name="谷阳长者食堂", kind=FacilityKind.CANTEEN, street=district["yueyang"],
                                  committee=district["c1"], status=FacilityStatus.OPERATING)
    two = Facility.objects.create(name="张泾助餐点", kind=FacilityKind.MEAL_POINT, street=district["sijing"],
                                  committee=district["c3"], status=FacilityStatus.OPERATING)
    return one, two


@pytest.fixture
def canteen_user(canteens, users):
    user = user_create(actor="test", username="canteen", password="pass-12345", role=Role.CANTEEN,
                       scope_code="310117")
    FacilityStaff.objects.create(user=user, facility=canteens[0])
    return user


@pytest.fixture
def elder(make_person):
    """An elder aged ``age`` on ``on`` (birthday the day after ``on`` unless ``birthday`` is given)."""
    from minzheng.core.personal_data import decrypt

    def _elder(name: str = "王阿婆", *, birth: dt.date, committee: str = "310117001001", **extra):
        person = make_person(name=name, birth=birth, committee=committee, male=False, **extra)
        person.id_number = decrypt(person.id_number_enc)
        return person

    return _elder


def csv_file(rows: list[tuple]) -> io.BytesIO:
    """A daily file in the template's CSV form; rows are (person or id text, name, day, slot, kind)."""
    lines = [",".join(HEADERS)]
    for who, name, day, slot, kind in rows:
        id_number = getattr(who, "id_number", who)
        lines.append(",".join([id_number, name or getattr(who, "name", ""), str(day), slot, kind]))
    return io.BytesIO(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
