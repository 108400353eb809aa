"""The verification computation: income and asset figures from department
records, each with the records it used (docs/adr/0005-department-data.md).

Income (收入) — for each current household member, the 12 complete calendar
months before the verification month:

* wages: one source per person-month — the larger of the human-resources
  wage (``hrss_wages``) and the tax wage item (``tax_income`` 工资薪金所得),
  since both report the same pay; only the chosen source's records are used;
* pensions, unemployment insurance benefit and the other taxed income items
  are added;
* the member's average = 12-month total ÷ 12, rounded half up to the fen
  (months without records count as zero: the divisor is always 12);
* the wage average is the member's earned income (``income_parts``), the
  only part the earned-income disregard touches, and only for a member the
  registry records as employed (在职, ``member_employed``; the engine's
  ``employed`` input) — see ``verification.lines``.

The household's monthly income is the sum of the members' averages; the
per-capita figure is that ÷ members, rounded half up (display only — lines are
compared exactly, Σ income < line × members, as ``policy.programs.dibao``).

Assets (财产) on the verification date. A record's *subject* is its natural key
without the ID number, its date and its status (a bank account, a property
certificate, a number plate, a business's credit code); for each subject the
latest record counts (latest date, then latest received):

* deposits and securities: the latest reply dated within the 365 days before
  the verification date; balances are monetary assets;
* businesses: subjects whose latest status is 存续; the subscribed capital is
  a monetary asset (投资);
* homes: property certificates whose latest status is 现势 with usage 住宅;
* vehicles: number plates whose latest status is not 注销; a disabled
  person's mobility vehicle (残疾人机动轮椅车) is listed but not counted
  (``policy.programs.asset_test``);
* medical out-of-pocket spending in the 365 days before is reported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from minzheng.core.models import User
from minzheng.feeds import selectors as feed_selectors
from minzheng.feeds.models import FeedRecord
from minzheng.feeds.selectors import source_get, sources
from minzheng.registry.models import Employment, Person
from minzheng.verification.models import FigureKind
from policy.money import format_fen

MONTHS = 12
ASSET_LOOKBACK_DAYS = 365
INCOME_CATEGORIES = {
    "wage": "工资收入",
    "pension": "养老金",
    "unemployment_benefit": "失业保险金",
    "other_income": "其他应税所得",
}
ENDED_STATUSES = {"注销", "已注销", "吊销", "迁出"}


@dataclass
class FigureDraft:
    kind: str
    label: str
    amount_fen: int = 0
    count: int = 0
    person: Person | None = None
    records: list[FeedRecord] = field(default_factory=list)


@dataclass
class Figures:
    as_of: dt.date
    window_start: dt.date
    window_end: dt.date
    members: list[Person]
    member_income_fen: dict[int, int]
    income_breakdown: dict[int, dict[str, int]]
    income_parts: dict[int, dict[str, int]]  # person → earned/pension/other fen, adding up to the average
    monetary_assets_fen: int
    deposits_fen: int
    securities_fen: int
    business_capital_fen: int
    businesses: int
    homes: int
    vehicles: int
    mobility_vehicles: int
    medical_out_of_pocket_fen: int
    drafts: list[FigureDraft]
    # person → employed (the registry's 就业状况 在职): whose wages the
    # earned-income disregard touches (REFERENCE §1, ``verification.lines``)
    member_employed: dict[int, bool] = field(default_factory=dict)

    @property
    def household_size(self) -> int:
        return len(self.members)

    @property
    def monthly_income_fen(self) -> int:
        return sum(self.member_income_fen.values())

    @property
    def per_capita_income_fen(self) -> int:
        size = self.household_size
        return (2 * self.monthly_income_fen + size) // (2 * size) if size else 0


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def income_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """First day of the 12th month before and last day of the month before ``as_of``'s month."""
    start = add_months(as_of, -MONTHS)
    end = add_months(as_of, 0) - dt.timedelta(days=1)
    return start, end


def divide_half_up(numerator: int, denominator: int) -> int:
    """Non-negative integer division rounded half up (fen)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _sources_meaning(meaning: str) -> list[str]:
    return [code for code, s in sources().items() if s.meaning == meaning]


def _incomes(user: User, members: list[Person], start: dt.date, end: dt.date, drafts: list[FigureDraft]
             ) -> tuple[dict[int, int], dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    by_index = {p.id_number_index: p for p in members}
    records = feed_selectors.records_for_persons(
        user, by_index, sources_in=_sources_meaning("income"), month_from=start, month_to=end.replace(day=1))
    # person → month → category → source → records
    grouped: dict[str, dict[dt.date, dict[str, dict[str, list[FeedRecord]]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(list))))
    for record in records:
        grouped[record.person_index][record.month][record.category][record.source].append(record)
    averages: dict[int, int] = {}
    breakdown: dict[int, dict[str, int]] = {}
    split: dict[int, dict[str, int]] = {}
    for index, person in by_index.items():
        used: list[FeedRecord] = []
        totals: dict[str, int] = defaultdict(int)
        for by_category in grouped.get(index, {}).values():
            for category, by_source in by_category.items():
                if category == "wage":
                    # one report of the same pay: the larger source for the month
                    chosen = max(sorted(by_source), key=lambda code: sum(r.amount_fen or 0 for r in by_source[code]))
                    chosen_records = by_source[chosen]
                else:
                    chosen_records = [r for code in sorted(by_source) for r in by_source[code]]
                totals[category] += sum(r.amount_fen or 0 for r in chosen_records)
                used.extend(chosen_records)
        total = sum(totals.values())
        averages[person.pk] = divide_half_up(total, MONTHS)
        breakdown[person.pk] = dict(totals)
        split[person.pk] = income_parts(totals, averages[person.pk])
        parts = "，".join(f"{INCOME_CATEGORIES.get(c, c)}合计{format_fen(v, grouping=True, unit='元')}" for c, v in sorted(totals.items()))
        drafts.append(FigureDraft(
            FigureKind.INCOME, f"{person.name} 月均收入（12个月合计{format_fen(total, grouping=True, unit='元')} ÷ 12{'；' + parts if parts else '；无收入记录'}）",
            amount_fen=averages[person.pk], person=person, records=sorted(used, key=lambda r: r.pk)))
    return averages, breakdown, split


def income_parts(totals: dict[str, int], average_fen: int) -> dict[str, int]:
    """A member's verified monthly income split into the registry's kinds:
    earned (wages) and pension averages rounded half up, and other income
    (unemployment benefit, other taxed items) the rest, so the three add up
    exactly to the member's average."""
    earned = divide_half_up(totals.get("wage", 0), MONTHS)
    pension = divide_half_up(totals.get("pension", 0), MONTHS)
    other = average_fen - earned - pension
    if other < 0:  # rounding of the two parts overshot by a fen: take it from the larger
        if earned >= pension:
            earned += other
        else:
            pension += other
        other = 0
    return {"earned_fen": earned, "pension_fen": pension, "other_fen": other}


def _subject(record: FeedRecord) -> tuple:
    source = source_get(record.source)
    skip = {"id_number", "status", source.date_field}
    # an account column keeps only its last 4; its blind index tells accounts apart
    return (record.source, record.person_index,
            *(str(record.data.get(f"{f}_index", record.data.get(f, ""))) for f in source.natural_key if f not in skip))


def _latest_per_subject(records: Iterable[FeedRecord]) -> list[FeedRecord]:
    latest: dict[tuple, FeedRecord] = {}
    for record in records:
        key = _subject(record)
        current = latest.get(key)
        if current is None or (record.event_date or dt.date.min, record.pk) > (current.event_date or dt.date.min, current.pk):
            latest[key] = record
    return sorted(latest.values(), key=lambda r: r.pk)


def compute_figures(*, user: User, members: list[Person], as_of: dt.date) -> Figures:
    """All figures for ``members`` on ``as_of`` (see the module docstring)."""
    start, end = income_window(as_of)
    drafts: list[FigureDraft] = []
    averages, breakdown, parts = _incomes(user, members, start, end, drafts)
    indexes = [p.id_number_index for p in members]
    names = {p.id_number_index: p.name for p in members}
    lookback = as_of - dt.timedelta(days=ASSET_LOOKBACK_DAYS)

    def latest(source_codes: list[str], since: dt.date | None) -> list[FeedRecord]:
        qs = feed_selectors.records_for_persons(user, indexes, sources_in=source_codes, date_to=as_of)
        if since is not None:
            qs = qs.filter(event_date__gte=since)
        return _latest_per_subject(qs)

    def add(kind: str, label: str, records: list[FeedRecord], *, amount: bool = True) -> int:
        total = sum(r.amount_fen or 0 for r in records) if amount else 0
        drafts.append(FigureDraft(kind, label, amount_fen=total, count=len(records), records=records))
        return total

    deposits = latest(["bank_deposits"], lookback)
    deposits_fen = add(FigureKind.DEPOSIT, f"银行存款：{len(deposits)}个账户，核对日前365天内最近一次回复的余额合计", deposits)
    securities = latest(["securities"], lookback)
    securities_fen = add(FigureKind.SECURITY, f"证券资产：{len(securities)}个账户，最近一次回复的市值合计", securities)
    businesses = [r for r in latest(["market_business"], None) if r.data.get("status") == "存续"]
    capital_fen = add(FigureKind.BUSINESS, f"市场主体：{len(businesses)}户存续，认缴出资额合计计入货币财产", businesses)
    properties = latest(["real_estate"], None)
    homes = [r for r in properties if r.category == "home" and r.data.get("status") == "现势"]
    add(FigureKind.HOME, f"住房：{len(homes)}套（用途为住宅且权利现势），评估价值合计", homes)
    vehicles_all = [r for r in latest(["vehicles"], None) if r.data.get("status") not in ENDED_STATUSES]
    vehicles = [r for r in vehicles_all if r.category == "vehicle"]
    mobility = [r for r in vehicles_all if r.category == "mobility_vehicle"]
    add(FigureKind.VEHICLE, f"机动车：{len(vehicles)}辆（不含残疾人机动轮椅车{len(mobility)}辆）", vehicles + mobility,
        amount=False)
    medical = list(feed_selectors.records_for_persons(user, indexes, sources_in=["medical_oop"],
                                                      date_from=lookback, date_to=as_of))
    medical_fen = add(FigureKind.MEDICAL, "近365天医疗费用个人自负合计", medical)
    for draft in drafts:
        if draft.kind != FigureKind.INCOME and draft.records:
            owners = sorted({names.get(r.person_index, "") for r in draft.records})
            draft.label += f"（{'、'.join(owners)}）"
    return Figures(
        as_of=as_of, window_start=start, window_end=end, members=members, member_income_fen=averages,
        income_breakdown=breakdown, income_parts=parts, monetary_assets_fen=deposits_fen + securities_fen + capital_fen,
        deposits_fen=deposits_fen, securities_fen=securities_fen, business_capital_fen=capital_fen,
        businesses=len(businesses), homes=len(homes), vehicles=len(vehicles), mobility_vehicles=len(mobility),
        medical_out_of_pocket_fen=medical_fen, drafts=drafts,
        member_employed={p.pk: p.employment == Employment.EMPLOYED for p in members},
    )
