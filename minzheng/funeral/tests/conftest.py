"""Funeral fixtures: the district's funeral home with a small synthetic catalogue
(test prices, not the home's), a funeral-home clerk, one small hall with
hourly slots on a future day, and a helper that places an order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.bookings.models import Slot
from minzheng.bookings.services import generate_slots, template_add
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.funeral import services
from minzheng.funeral.models import BasicService, Category, Channel, HallSize, Relation, Unit

START = dt.date(2020, 1, 1)


@pytest.fixture
def clerk(users):
    return user_create(actor="test", username="funeral", password="pass-12345", role=Role.FUNERAL_HOME,
                       scope_code="310117", full_name="陈静", post="松江区殡仪馆 殡仪服务员")


@pytest.fixture
def home(users, district):
    return services.home_create(actor=users["bureau"], name="松江区殡仪馆", code="FH310117",
                                division=district["district"])


@pytest.fixture
def items(home, clerk):
    def add(key, category, name, unit, yuan, basic=""):
        return key, services.item_create(actor=clerk, home=home, category=category, name=name, unit=unit,
                                         price_fen=yuan * 100, effective_from=START, basic=basic,
                                         hall_size=HallSize.SMALL if category == Category.HALL else "")
    return dict([
        add("transport", Category.TRANSPORT, "遗体接运", Unit.TRIP, 200, BasicService.TRANSPORT),
        add("cold", Category.REFRIGERATION, "遗体冷藏", Unit.DAY, 50, BasicService.REFRIGERATION),
        add("cremation", Category.CREMATION, "平板炉火化", Unit.TRIP, 400, BasicService.CREMATION),
        add("storage", Category.ASH_STORAGE, "骨灰寄存", Unit.YEAR, 100, BasicService.ASH_STORAGE),
        add("urn", Category.URN, "骨灰盒（普通）", Unit.PIECE, 300),
        add("small_hall", Category.HALL, "告别厅（小厅）", Unit.HOUR, 150),
    ])


@pytest.fixture
def hall_day():
    return timezone.localdate() + dt.timedelta(days=3)


@pytest.fixture
def hall(users, home, items, hall_day):
    hall = services.hall_create(actor=users["bureau"], home=home, name="小厅一", size=HallSize.SMALL,
                                item=items["small_hall"])
    template_add(actor=users["bureau"], resource=hall.resource, weekdays="1234567", day_start=dt.time(8, 0),
                 day_end=dt.time(11, 0), slot_minutes=60, capacity=1)
    generate_slots(hall.resource, hall_day, hall_day, users["bureau"])
    return hall


@pytest.fixture
def hall_slots(hall, hall_day):
    return list(Slot.objects.filter(resource=hall.resource, day=hall_day).order_by("start"))


@pytest.fixture
def place(clerk, home, items):
    """Place an order: ``place(cold=7, storage=3, channel=…, ordered_on=…)`` (quantities by item key)."""
    def _place(*, actor=None, channel=Channel.WINDOW, ordered_on=None, id_number=None, death_date=None,
               hall_slot=None, **quantities):
        quantities = quantities or {"transport": 1, "cold": 3, "cremation": 1, "urn": 1}
        day = ordered_on or timezone.localdate()
        return services.order_create(
            actor=actor or clerk, home=home, channel=channel, ordered_on=ordered_on, hall_slot=hall_slot,
            deceased=services.DeceasedInput("王大明", id_number or make_id_number(dt.date(1940, 2, 3)),
                                            death_date or day - dt.timedelta(days=1)),
            contact=services.ContactInput("王小明", Relation.CHILD, "13812345678"),
            items=[(items[k], q) for k, q in quantities.items()])
    return _place
