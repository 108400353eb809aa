"""The demo district's funeral home (松江区殡仪馆) on 白事管家: its service
catalogue, six farewell halls on the booking core, and a year of orders.

**Demo data, not the home's**: every catalogue price below is SYNTHETIC — a
plausible order of magnitude chosen for the demo, not 松江区殡仪馆's price list
and not a policy value. The real prices are the funeral home's data, entered by
its staff on the 服务目录 page. Likewise the halls (3 small, 2 medium, 1 large),
their hours (08:00–16:00, one-hour slots) and the mix of items per order are
demo assumptions.

What is taken from published figures: the volume — 6,530 funeral-service cases
in 2023 for a district of 1.9 million (the bureau's 2023 report), scaled to the
demo district's persons — and the online share (线上受理率 ≥ 95 %: the demo
draws 96 % of orders as 网上（白事管家）). The basic funeral subsidy deducted at
settlement comes from the subsidies app (its rules and cap), never from here.

The deceased: first the deaths the deaths app recorded (its demo, when
present) and persons the demo registry holds as dead, within the last year;
the rest are synthetic deceased from outside the district's registry (valid,
made-up ID numbers of other Shanghai districts), as a funeral home also serves
people who lived elsewhere. For half of the recorded deceased whose basic subsidy is
undetermined, the bureau confirms before settlement the one fact the platform lacks (demo
assumption: no social-insurance funeral pay), so some settlements deduct the subsidy — the
amount is always the subsidies app's. Past orders have no hall booking (the booking core
books only slots not yet begun); today's orders book halls for later today or
tomorrow.

Everything is written through the services (the funeral clerk ``funeral`` and
the bureau account act). Safe to run again: the home is found by name, slot
generation is idempotent, and the orders are made once.
"""

from __future__ import annotations

import datetime as dt
import random
import time

import numpy as np
from django.utils import timezone

from minzheng.bookings.models import Slot
from minzheng.bookings.services import generate_slots, template_add
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.personal_data import blind_index, decrypt
from minzheng.deaths.models import DeathRecord
from minzheng.demo.names import draw_names
from minzheng.funeral import services
from minzheng.funeral.models import (
    BasicService,
    Category,
    Channel,
    FuneralHall,
    FuneralHome,
    FuneralOrder,
    HallSize,
    PaymentMethod,
    Relation,
    ServiceItem,
    Unit,
)
from minzheng.funeral_subsidies import selectors as subsidy_selectors
from minzheng.funeral_subsidies import services as subsidy_services
from minzheng.funeral_subsidies.models import Eligibility, Grant, GrantKind, GrantStatus
from minzheng.registry.models import Person
from minzheng.registry.services import with_check_character

HOME = "松江区殡仪馆"
HOME_CODE = "FH310117"
CASES_2023, POPULATION = 6530, 1_900_000  # the bureau's 2023 report
ONLINE_SHARE = 0.96  # "线上受理率达95%以上"
WEEKS_OF_SLOTS = 4
PRICES_FROM = dt.date(2024, 1, 1)
DEMO_NOTE = "演示价格（虚构，非殡仪馆公布价格）"

# (category, name, unit, yuan, basic item, hall size) — SYNTHETIC DEMO PRICES
CATALOGUE = (
    (Category.TRANSPORT, "遗体接运（市区）", Unit.TRIP, 300, BasicService.TRANSPORT, ""),
    (Category.REFRIGERATION, "遗体冷藏", Unit.DAY, 60, BasicService.REFRIGERATION, ""),
    (Category.CARE, "遗体整容", Unit.TRIP, 280, "", ""),
    (Category.HALL, "告别厅（小厅）", Unit.HOUR, 300, "", HallSize.SMALL),
    (Category.HALL, "告别厅（中厅）", Unit.HOUR, 600, "", HallSize.MEDIUM),
    (Category.HALL, "告别厅（大厅）", Unit.HOUR, 1200, "", HallSize.LARGE),
    (Category.CREMATION, "平板炉火化", Unit.TRIP, 450, BasicService.CREMATION, ""),
    (Category.CREMATION, "拣灰炉火化", Unit.TRIP, 900, "", ""),
    (Category.URN, "骨灰盒（环保型）", Unit.PIECE, 200, "", ""),
    (Category.URN, "骨灰盒（木质）", Unit.PIECE, 800, "", ""),
    (Category.URN, "骨灰盒（玉石）", Unit.PIECE, 2600, "", ""),
    (Category.ASH_STORAGE, "骨灰寄存", Unit.YEAR, 120, BasicService.ASH_STORAGE, ""),
    (Category.GOODS, "寿衣（一套）", Unit.SET, 600, "", ""),
    (Category.GOODS, "鲜花花圈", Unit.PIECE, 180, "", ""),
)
# a price change during the year (the catalogue's dated prices): demo values too
PRICE_CHANGES = (("骨灰盒（木质）", 880), ("鲜花花圈", 200))
HALLS = (("守望厅", HallSize.SMALL), ("思源厅", HallSize.SMALL), ("怀德厅", HallSize.SMALL),
         ("长青厅", HallSize.MEDIUM), ("松柏厅", HallSize.MEDIUM), ("永念厅", HallSize.LARGE))
HALL_HOURS = (dt.time(8, 0), dt.time(16, 0))
SETTLED_ELSEWHERE = (GrantStatus.DEDUCTED, GrantStatus.ASSESSED, GrantStatus.TO_PAY, GrantStatus.IN_BATCH,
                     GrantStatus.PAID)
OTHER_DISTRICTS = ("310112", "310115", "310118", "310120", "310104")  # synthetic deceased: not the demo district


def orders_per_year(persons: int) -> int:
    """The 2023 report's rate, scaled to the demo district (at least a few)."""
    return max(4, round(persons * CASES_2023 / POPULATION))


def _catalogue(home: FuneralHome, clerk: User, today: dt.date) -> dict[str, ServiceItem]:
    items = {i.name: i for i in ServiceItem.objects.filter(home=home)}
    for category, name, unit, yuan, basic, size in CATALOGUE:
        if name not in items:
            items[name] = services.item_create(actor=clerk, home=home, category=category, name=name, unit=unit,
                                               price_fen=yuan * 100, effective_from=PRICES_FROM, basic=basic,
                                               hall_size=size, note=DEMO_NOTE)
    change_on = today - dt.timedelta(days=120)
    for name, yuan in PRICE_CHANGES:
        item = items[name]
        if not item.prices.filter(effective_from=change_on).exists() and item.prices.count() == 1:
            services.price_set(actor=clerk, item=item, price_fen=yuan * 100, effective_from=change_on,
                               note=f"调价（{DEMO_NOTE}）")
    return items


def _halls(home: FuneralHome, bureau: User, items: dict[str, ServiceItem]) -> list[FuneralHall]:
    halls = list(FuneralHall.objects.filter(home=home).select_related("resource"))
    if halls:
        return halls
    by_size = {i.hall_size: i for i in items.values() if i.hall_size}
    for name, size in HALLS:
        hall = services.hall_create(actor=bureau, home=home, name=name, size=size, item=by_size[size])
        template_add(actor=bureau, resource=hall.resource, weekdays="1234567", day_start=HALL_HOURS[0],
                     day_end=HALL_HOURS[1], slot_minutes=60, capacity=1)
        halls.append(hall)
    return halls


class _Deceased:
    """Who died: recorded deaths first, then synthetic persons outside the registry."""

    def __init__(self, rng: random.Random, first: dt.date, last: dt.date) -> None:
        self.rng = rng
        self.np_rng = np.random.default_rng(rng.randrange(2**32))
        taken = set(FuneralOrder.objects.values_list("deceased_id_index", flat=True))
        # a deceased whose basic subsidy the subsidies demo already settled elsewhere had their funeral elsewhere
        taken |= set(Grant.objects.filter(kind=GrantKind.BASIC, status__in=SETTLED_ELSEWHERE)
                     .values_list("deceased_id_index", flat=True))
        pool: dict[str, tuple[str, str, dt.date, Person | None]] = {}
        for r in DeathRecord.objects.filter(death_date__range=(first, last)).exclude(id_number_enc="").order_by("pk"):
            if r.id_number_index not in taken:
                pool[r.id_number_index] = (r.name, decrypt(r.id_number_enc), r.death_date, None)
        for p in Person.objects.filter(alive=False, death_date__range=(first, last), merged_into__isnull=True) \
                .order_by("pk")[:2000]:
            if p.id_number_index not in taken and p.id_number_index not in pool:
                pool[p.id_number_index] = (p.name, decrypt(p.id_number_enc), p.death_date, p)
        self.recorded = list(pool.values())
        rng.shuffle(self.recorded)
        self.used = set(taken)
        self.names: list[str] = []

    def _name(self, male: bool, birth_year: int) -> str:
        if not self.names:
            n = 256
            self.names = draw_names(self.np_rng, sex=np.array(["M" if i % 2 else "F" for i in range(n)]),
                                    birth_year=np.full(n, 1960), local=np.full(n, True))
        return self.names.pop()

    def recorded_one(self) -> tuple[str, str, dt.date] | None:
        while self.recorded:
            name, number, died, _ = self.recorded.pop()
            if blind_index(number) not in self.used:
                self.used.add(blind_index(number))
                return name, number, died
        return None

    def synthetic(self, died: dt.date) -> tuple[str, str, dt.date]:
        while True:
            birth = dt.date(self.rng.randint(1928, 1965), self.rng.randint(1, 12), self.rng.randint(1, 28))
            male = self.rng.random() < 0.52
            order = 2 * self.rng.randint(150, 449) + (1 if male else 0)
            number = with_check_character(f"{self.rng.choice(OTHER_DISTRICTS)}{birth:%Y%m%d}{order:03d}")
            index = blind_index(number)
            if index not in self.used and not Person.objects.filter(id_number_index=index).exists():
                self.used.add(index)
                return self._name(male, birth.year), number, died


def _items_for(rng: random.Random, items: dict[str, ServiceItem]) -> list[tuple[ServiceItem, int]]:
    chosen = [(items["遗体接运（市区）"], 1), (items["遗体冷藏"], rng.choice((1, 2, 3, 3, 4, 5, 6, 7))),
              (items["平板炉火化"] if rng.random() < 0.9 else items["拣灰炉火化"], 1),
              (items[rng.choice(("骨灰盒（环保型）", "骨灰盒（木质）", "骨灰盒（木质）", "骨灰盒（玉石）"))], 1)]
    if rng.random() < 0.5:
        chosen.append((items["骨灰寄存"], rng.choice((1, 1, 2, 3))))
    if rng.random() < 0.6:
        chosen.append((items["遗体整容"], 1))
    if rng.random() < 0.7:
        chosen.append((items["寿衣（一套）"], 1))
    if rng.random() < 0.5:
        chosen.append((items["鲜花花圈"], rng.randint(1, 4)))
    return chosen


def _contact(rng: random.Random, deceased_name: str) -> services.ContactInput:
    relation = rng.choice((Relation.CHILD, Relation.CHILD, Relation.CHILD, Relation.SPOUSE, Relation.SIBLING,
                           Relation.RELATIVE))
    given = rng.choice(("建国", "丽华", "伟", "敏", "志强", "秀英", "海燕", "军"))
    name = (deceased_name[0] if relation == Relation.CHILD else rng.choice("张王李陈周徐朱沈")) + given
    return services.ContactInput(name, relation, f"139{rng.randint(0, 99_999_999):08d}")


def funeral_seed(*, clerk: User, bureau: User, persons: int, seed: int = 2024,
                 today: dt.date | None = None) -> str:
    """Create (once) the home, its catalogue and halls, generate the halls'
    slots for the coming weeks, and place a year of orders; returns what was
    done, in Chinese."""
    started = time.monotonic()
    today = today or timezone.localdate()
    home = FuneralHome.objects.filter(name=HOME).first()
    if home is None:
        district = Division.objects.get(level=DivisionLevel.DISTRICT)
        home = services.home_create(actor=bureau, name=HOME, code=HOME_CODE, division=district)
    items = _catalogue(home, clerk, today)
    halls = _halls(home, bureau, items)
    created = 0
    for hall in halls:
        created += generate_slots(hall.resource, today, today + dt.timedelta(days=7 * WEEKS_OF_SLOTS - 1),
                                  bureau).created
    lines = [f"\n{HOME}：服务项目 {len(items)} 项（演示价格，虚构），告别厅 {len(halls)} 个，新建告别厅时段 {created} 个"]
    if FuneralOrder.objects.filter(home=home).exists():
        lines.append("  演示订单已存在，未重复生成")
        return "\n".join(lines)
    rng = random.Random(seed)
    n = orders_per_year(persons)
    first = today - dt.timedelta(days=364)
    pool = _Deceased(rng, first - dt.timedelta(days=2), today - dt.timedelta(days=1))
    counts = {"orders": 0, "online": 0, "settled": 0, "subsidised": 0, "recorded": 0, "today": 0}
    deceased = []  # (ordered on, name, number, died): the recorded deaths first, then synthetic ones
    while len(deceased) < n and (found := pool.recorded_one()) is not None:
        name, number, died = found
        deceased.append((min(today, died + dt.timedelta(days=rng.choice((0, 0, 1)))), name, number, died))
    counts["recorded"] = len(deceased)
    for _ in range(n - len(deceased)):
        ordered_on = first + dt.timedelta(days=rng.randrange(365))
        deceased.append((ordered_on, *pool.synthetic(ordered_on - dt.timedelta(days=rng.choice((0, 0, 1, 2))))))
    for ordered_on, name, number, died in sorted(deceased):
        _confirm_some_facts(rng, bureau, number)
        order = _place(rng, home, clerk, items, ordered_on, name, number, died)
        counts["orders"] += 1
        counts["online"] += order.channel == Channel.ONLINE
        cold = order.lines.filter(item__category=Category.REFRIGERATION).values_list("quantity", flat=True).first() or 1
        cremated = ordered_on + dt.timedelta(days=cold)
        if cremated >= today:
            if ordered_on < today:
                services.order_start_service(actor=clerk, order=order)
            continue  # still in service
        services.order_cremation_done(actor=clerk, order=order, on=cremated)
        settled = services.order_settle(actor=clerk, order=order, on=cremated)
        counts["settled"] += 1
        counts["subsidised"] += bool(settled.subsidy_fen)
        if settled.payment_method != PaymentMethod.NONE_DUE and rng.random() < 0.97:
            services.order_pay(actor=clerk, order=settled, method=rng.choice(
                (PaymentMethod.MOBILE, PaymentMethod.MOBILE, PaymentMethod.CARD, PaymentMethod.CASH)),
                paid_at=timezone.make_aware(dt.datetime.combine(cremated, dt.time(15, rng.randint(0, 59)))))
    counts["today"] = _today_orders(rng, home, clerk, items, halls, pool, today)
    share = f"{100 * counts['online'] / counts['orders']:.1f}%" if counts["orders"] else "—"
    lines.append(f"  演示订单 {counts['orders']} 件（近一年，按全区每年6,530件、190万人口折算），网上受理 {counts['online']} 件"
                 f"（{share}）；已结算 {counts['settled']} 件，其中抵扣基本殡葬服务补贴 {counts['subsidised']} 件；"
                 f"逝者取自死亡登记或人口库 {counts['recorded']} 人，其余为虚构的外区逝者")
    lines.append(f"  今日新订单 {counts['today']} 件（含告别厅预约）；用时 {time.monotonic() - started:.1f} 秒")
    return "\n".join(lines)


def _confirm_some_facts(rng: random.Random, bureau: User, number: str) -> None:
    """Half of the deceased whose subsidy is undetermined get the fact the platform lacks
    confirmed by the bureau before settlement (demo assumption: the social-insurance
    office answered that no funeral pay is due) — through the subsidies app's service."""
    grant = subsidy_selectors.basic_grant_for(blind_index(number))
    if grant is None or grant.eligibility != Eligibility.UNDETERMINED or rng.random() >= 0.5:
        return
    subsidy_services.grant_confirm_facts(actor=bureau, grant=grant, dingqi_dingliang=grant.dingqi_dingliang,
                                         funeral_pay=False, note="演示：社保部门答复未享受社会保险丧葬补助金")


def _place(rng, home, clerk, items, ordered_on, name, number, died, *, hall_slot=None) -> FuneralOrder:
    channel = Channel.ONLINE if rng.random() < ONLINE_SHARE else rng.choice((Channel.WINDOW, Channel.PHONE))
    return services.order_create(
        actor=clerk, home=home, channel=channel, ordered_on=ordered_on, hall_slot=hall_slot,
        deceased=services.DeceasedInput(name, number, died), contact=_contact(rng, name),
        items=_items_for(rng, items))


def _today_orders(rng, home, clerk, items, halls, pool, today) -> int:
    """A few orders placed today, each with a farewell hall later today or tomorrow."""
    now = timezone.now()
    free = list(Slot.objects.filter(resource_id__in=[h.resource_id for h in halls], start__gt=now
                                    + dt.timedelta(hours=1), day__lte=today + dt.timedelta(days=1),
                                    booked=0).order_by("start", "resource_id")[:40])
    rng.shuffle(free)
    made = 0
    for slot in sorted(free[:3], key=lambda s: s.start):
        name, number, died = pool.synthetic(today - dt.timedelta(days=1))
        _place(rng, home, clerk, items, today, name, number, died, hall_slot=slot)
        made += 1
    return made
