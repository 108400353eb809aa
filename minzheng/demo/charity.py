"""The demo district's charity supermarkets and welfare-lottery figures (ADR 0040).

**Everything here is demo data (演示)**: two supermarkets per street (one in the
demo committee account's committee, so that account keeps a supermarket's
stock), a year of donations (goods and money, named and anonymous donors)
and distributions to registry persons of the supermarket's street, written
in bulk with the ledger computed in date order (a distribution takes only
what the stock holds, so the books balance and no balance is negative);
three lottery outlets per street and the last twelve full months of sales,
imported through the import service as one file. The demo file gives no
公益金 column values: the fund shows 参数缺失 until staff enter a cited rate,
as the product would with a real file lacking it. Sales are scaled to the
seed's order of magnitude ("2023年松江区福利彩票销售额达 5.27 亿元").

Safe to run again: a district that already has the demo supermarkets is
left as it is. A few thousand rows in bulk: about a second.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction

from minzheng.charity import services
from minzheng.charity.models import (
    Distribution,
    DistributionLine,
    Donation,
    DonationLine,
    EntryKind,
    Item,
    Outlet,
    Stock,
    StockEntry,
    Supermarket,
)
from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.months import month_of, month_shift
from minzheng.registry.models import Person

ACTOR = "demo-setup"
ITEMS = (("大米", "袋"), ("食用油", "桶"), ("面粉", "袋"), ("牛奶", "箱"), ("棉被", "条"), ("冬衣", "件"))
DONORS = ("松江爱心粮油店", "岳阳商会", "某科技公司工会", "区慈善基金会联络处", "社区志愿者协会")
PERSONS = ("张先生", "李女士", "王先生", "陈女士")
PER_STREET = 2
OUTLETS_PER_STREET = 3
YEAR_SALES_FEN = 527_000_000 * 100  # the seed's 2023 figure, the scale of the synthetic sales


def _markets(committee_user: User | None, today: dt.date) -> list[Supermarket]:
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    home = committee_user.scope_id if committee_user is not None and committee_user.scope_id else None
    markets = []
    for street in streets:
        committees = list(Division.objects.filter(parent=street, level=DivisionLevel.COMMITTEE).order_by("code")[:4])
        if home and home.startswith(street.code) and home not in [c.code for c in committees]:
            committees.insert(0, Division.objects.get(code=home))
        elif home and home.startswith(street.code):
            committees.sort(key=lambda c: c.code != home)
        for n in range(PER_STREET):
            committee = committees[n] if n < len(committees) else None
            markets.append(services.supermarket_register(
                actor=ACTOR, name=f"{street.name}{'第一第二第三'[2 * n:2 * n + 2]}慈善超市（演示）",
                operator=f"{street.name}社区服务中心" if n == 0 else f"{street.name}慈善分会",
                street_code=street.code, committee_code=committee.code if committee else None,
                address=f"{street.name}演示路{10 + n}号", opened_on=today - dt.timedelta(days=800 + 30 * n),
                today=today))
    return markets


def _flows(markets: list[Supermarket], items: list[Item], today: dt.date, rng: random.Random) -> dict[str, int]:
    first = today - dt.timedelta(days=365)
    beneficiaries: dict[str, list[int]] = {}
    for street_id in {m.street_id for m in markets}:
        beneficiaries[street_id] = list(Person.objects.filter(street_id=street_id, alive=True,
                                                              merged_into__isnull=True)
                                        .order_by("pk").values_list("pk", flat=True)[:60])
    donations: list[Donation] = []
    distributions: list[Distribution] = []
    donation_lines: list[tuple[int, Item, int]] = []
    events: list[tuple[dt.date, int, str, int]] = []  # (day, order, kind, index)
    receipt = 0
    for market in markets:
        day = first
        while day < today:
            for _ in range(3):
                when = day + dt.timedelta(days=rng.randrange(28))
                if when >= today:
                    continue
                receipt += 1
                money = rng.random() < 0.25
                donor_kind = rng.choice(("person", "organisation", "organisation", "anonymous"))
                name = "" if donor_kind == "anonymous" else rng.choice(DONORS if donor_kind == "organisation"
                                                                        else PERSONS)
                donations.append(Donation(supermarket=market, kind="money" if money else "goods",
                                          donor_kind=donor_kind, donor_name=name, received_on=when,
                                          receipt_no=f"YS{receipt:06d}", recorded_by=ACTOR,
                                          amount_fen=rng.randrange(200, 5000) * 100 if money else None))
                if not money:
                    for item in rng.sample(items, 2):
                        donation_lines.append((len(donations) - 1, item, rng.randrange(10, 40)))
                    events.append((when, 0, "in", len(donations) - 1))
            people = beneficiaries.get(market.street_id) or []
            for _ in range(8 if people else 0):
                when = day + dt.timedelta(days=rng.randrange(28))
                if when >= today:
                    continue
                distributions.append(Distribution(supermarket=market, person_id=rng.choice(people), given_on=when,
                                                  recorded_by=ACTOR))
                events.append((when, 1, "out", len(distributions) - 1))
            day += dt.timedelta(days=28)
    Donation.objects.bulk_create(donations, batch_size=2000)
    lines_of: dict[int, list[tuple[Item, int]]] = defaultdict(list)
    for index, item, quantity in donation_lines:
        lines_of[index].append((item, quantity))
    DonationLine.objects.bulk_create([DonationLine(donation=donations[i], item=item, quantity=q)
                                      for i, item, q in donation_lines], batch_size=5000)
    # the ledger in date order: a distribution takes what the stock holds (1–3 of one or two items), never more
    stock: dict[tuple[int, int], int] = defaultdict(int)
    entries: list[StockEntry] = []
    kept: list[tuple[int, list[tuple[Item, int]]]] = []
    for when, _order, kind, index in sorted(events, key=lambda e: (e[0], e[1], e[3])):
        if kind == "in":
            donation = donations[index]
            for item, quantity in lines_of[index]:
                key = (donation.supermarket.pk, item.pk)
                stock[key] += quantity
                entries.append(StockEntry(supermarket=donation.supermarket, item=item, day=when,
                                          kind=EntryKind.DONATION, change=quantity, balance=stock[key],
                                          donation=donation, recorded_by=ACTOR))
            continue
        distribution = distributions[index]
        market_id = distribution.supermarket.pk
        held = [i for i in items if stock[(market_id, i.pk)] > 0]
        taken = [(i, min(stock[(market_id, i.pk)], rng.randrange(1, 4))) for i in rng.sample(held, min(2, len(held)))]
        kept.append((index, taken))
        for item, quantity in taken:
            key = (market_id, item.pk)
            stock[key] -= quantity
            entries.append(StockEntry(supermarket=distribution.supermarket, item=item, day=when,
                                      kind=EntryKind.DISTRIBUTION, change=-quantity, balance=stock[key],
                                      distribution=distribution, recorded_by=ACTOR))
    given = [(index, taken) for index, taken in kept if taken]  # nothing in stock yet: no distribution
    chosen = [distributions[i] for i, _t in given]
    Distribution.objects.bulk_create(chosen, batch_size=2000)
    DistributionLine.objects.bulk_create([DistributionLine(distribution=distributions[i], item=item, quantity=q)
                                          for i, taken in given for item, q in taken], batch_size=5000)
    StockEntry.objects.bulk_create(entries, batch_size=5000)
    Stock.objects.bulk_create([Stock(supermarket_id=m, item_id=i, quantity=q) for (m, i), q in stock.items()],
                              batch_size=2000)
    return {"donations": len(donations), "distributions": len(chosen), "entries": len(entries)}


def _lottery(today: dt.date, rng: random.Random) -> tuple[int, int]:
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    outlets = []
    for s_index, street in enumerate(streets):
        for n in range(OUTLETS_PER_STREET):
            code = f"3101{s_index + 1:02d}{n + 1:02d}"
            outlet = Outlet.objects.filter(code=code).first() or services.outlet_register(
                actor=ACTOR, code=code, name=f"{street.name}福彩{n + 1}号站（演示）", street_code=street.code,
                address=f"{street.name}演示街{n + 1}号")
            outlets.append(outlet)
    last = month_shift(month_of(today), -1)
    months = [month_shift(last, -k) for k in range(11, -1, -1)]
    weights = {o.code: rng.uniform(0.5, 1.5) for o in outlets}
    per = YEAR_SALES_FEN / (sum(weights.values()) * len(months))
    lines = ["网点编号,月份,销售额（元）,公益金（元）"]
    for month in months:
        for outlet in outlets:
            fen = int(per * weights[outlet.code] * rng.uniform(0.85, 1.15))
            lines.append(f"{outlet.code},{month},{fen // 100}.{fen % 100:02d},")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    outcome = services.sales_import(actor=ACTOR, data=data, file_name=f"演示-福彩月销售-{months[0]}至{last}.csv",
                                    today=today)
    return len(outlets), outcome.sales_import.rows_recorded


def charity_seed(*, today: dt.date, committee_user: User | None = None, seed: int = 18) -> str:
    if Supermarket.objects.filter(name__endswith="（演示）").exists():
        return "演示慈善超市和福利彩票：已有演示数据，跳过"
    rng = random.Random(seed)
    with transaction.atomic():
        markets = _markets(committee_user, today)
        items = [Item.objects.get_or_create(name=name, defaults={"unit": unit})[0] for name, unit in ITEMS]
        counts = _flows(markets, items, today, rng)
        outlets, sales = _lottery(today, rng)
        audit_record(actor=ACTOR, action="demo_data.charity", object_type="DemoData", object_id="charity",
                     changes={"charity_supermarkets": len(markets), "charity_donations": counts["donations"],
                              "charity_distributions": counts["distributions"],
                              "charity_ledger_entries": counts["entries"], "lottery_outlets": outlets,
                              "lottery_sales_rows": sales})
    return (f"演示慈善超市：{len(markets)} 家，捐赠 {counts['donations']} 笔，发放 {counts['distributions']} 笔；"
            f"福利彩票销售网点 {outlets} 个，月销售数据 {sales} 条（公益金未列，显示参数缺失）")
