"""慈善超市 and 福利彩票: the endpoints (mounted at /api/v1, ADR 0040).
Scoped like the pages: another street's or committee's supermarket is 404;
writes go through the same services (403 wrong role, 422 a rule says no)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from minzheng.charity import selectors, services
from minzheng.charity.models import (
    Distribution,
    DonationKind,
    DonorKind,
    ImportMode,
    Item,
    Outlet,
    SalesImport,
    StockEntry,
    Supermarket,
)
from minzheng.core.api import STAFF_AUTH, Limit, Offset, call_service, coded, path_id, responses
from minzheng.core.bounds import EARLIEST_YEAR, LATEST_YEAR, day_check, upload_check
from minzheng.registry.selectors import person_get

router = Router(tags=["慈善超市和福利彩票"], auth=STAFF_AUTH)

KindCode = coded(DonationKind.choices, "捐赠类型")
DonorCode = coded(DonorKind.choices, "捐赠方类型")
ModeCode = coded(ImportMode.choices, "导入方式")
Year = Query(None, ge=EARLIEST_YEAR, le=LATEST_YEAR, description="年份；省略：今年")
MODE_FIELD = Form("quarantine", description="导入方式")
REASON_FIELD = Form("", max_length=200, description="更正原因；非更正留空")
Quantity = Field(ge=1, le=services.MAX_QUANTITY, description="数量")


class CharitySupermarketOut(Schema):
    id: int
    name: str
    operator: str
    street: str
    street_name: str
    committee: str | None
    committee_name: str | None
    address: str
    opened_on: dt.date
    status: str
    status_label: str


class CharitySupermarketPage(Schema):
    count: int
    results: list[CharitySupermarketOut]


class CharityStockOut(Schema):
    item: str
    unit: str
    quantity: int


class CharitySupermarketDetailOut(CharitySupermarketOut):
    stock: list[CharityStockOut]


class CharitySupermarketIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    operator: str = Field(min_length=1, max_length=100)
    street: str = Field(pattern=r"^\d{9}$", description="街镇区划代码（9位）")
    committee: str | None = Field(None, pattern=r"^\d{12}$", description="居村委区划代码（12位）")
    address: str = Field(min_length=1, max_length=200)
    opened_on: dt.date


class CharityGoodsIn(Schema):
    item: str = Field(min_length=1, max_length=50, description="物品名称")
    unit: str = Field("", max_length=10, description="单位（新物品必填）")
    quantity: int = Quantity


class CharityDonationIn(Schema):
    kind: KindCode
    donor_kind: DonorCode
    donor_name: str = Field("", max_length=100, description="捐赠方名称；匿名为空")
    received_on: dt.date
    receipt_no: str = Field("", max_length=40)
    amount_fen: int | None = Field(None, ge=1, le=10**15, description="资金捐赠的金额（分）")
    goods: list[CharityGoodsIn] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=200)


class CharityLineOut(Schema):
    item: str
    unit: str
    quantity: int


class CharityDonationOut(Schema):
    id: int
    supermarket_id: int
    kind: str
    kind_label: str
    donor_kind: str
    donor_kind_label: str
    donor_name: str
    received_on: dt.date
    receipt_no: str
    amount_fen: int | None
    goods: list[CharityLineOut]
    reversed: bool


class CharityDistributionLineIn(Schema):
    item_id: int = Field(ge=1, le=2**63 - 1, description="物品编号（见库存）")
    quantity: int = Quantity


class CharityDistributionIn(Schema):
    person_id: int = Field(ge=1, le=2**63 - 1, description="受助人编号（人口库，辖区内）")
    given_on: dt.date
    goods: list[CharityDistributionLineIn] = Field(min_length=1, max_length=50)
    note: str = Field("", max_length=200)


class CharityDistributionOut(Schema):
    id: int
    supermarket_id: int
    person_name: str
    id_number_masked: str = Field(description="身份证号（脱敏）")
    given_on: dt.date
    goods: list[CharityLineOut]
    reversed: bool


class CharityReversalIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class CharityEntryOut(Schema):
    id: int
    day: dt.date
    item: str
    kind: str
    kind_label: str
    change: int
    balance: int


class CharityEntryPage(Schema):
    count: int
    results: list[CharityEntryOut]


class CharityMonthOut(Schema):
    month: str
    donations: int
    money_fen: int
    goods_in: int
    distributions: int
    goods_out: int
    persons: int


class CharityFiguresOut(Schema):
    key: str = Field(description="慈善超市编号或街镇代码")
    label: str
    street: str
    months: list[CharityMonthOut]
    total: CharityMonthOut


class CharityOutletOut(Schema):
    id: int
    code: str
    name: str
    street: str
    street_name: str
    address: str
    status: str
    status_label: str


class CharityOutletIn(Schema):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z]+$")
    name: str = Field(min_length=1, max_length=100)
    street: str = Field(pattern=r"^\d{9}$")
    address: str = Field(min_length=1, max_length=200)


class CharityImportOut(Schema):
    id: int
    file_name: str
    mode: str
    repeated: bool = Field(description="同一文件已导入过：本次未作任何改变")
    correction_reason: str
    rows_total: int
    rows_recorded: int
    rows_unchanged: int
    rows_corrected: int
    rows_quarantined: int
    problems: list[str] = Field(description="有问题的行：第N行：原因")


class CharityLotteryStreetOut(Schema):
    street: str
    street_name: str
    outlets: int
    months: int
    sales_fen: int
    fund_fen: int | None = Field(description="公益金（分）；有月份缺少公益金且无提取比例时为空（参数缺失）")
    fund_known_fen: int
    fund_missing_months: int
    fund_status: str = Field(description="完整 / 参数缺失")


class CharityLotteryOut(Schema):
    year: int
    sales_fen: int
    fund_fen: int | None
    streets: list[CharityLotteryStreetOut]


class CharityOverviewOut(Schema):
    street: str
    street_name: str
    supermarkets: int
    operating: int
    donations: int
    money_fen: int
    goods_in: int
    distributions: int
    persons: int


def _market(m: Supermarket) -> dict:
    return {"id": m.pk, "name": m.name, "operator": m.operator, "street": m.street_id, "street_name": m.street.name,
            "committee": m.committee_id, "committee_name": m.committee.name if m.committee else None,
            "address": m.address, "opened_on": m.opened_on, "status": m.status, "status_label": m.get_status_display()}


def _lines(record) -> list[dict]:
    return [{"item": li.item.name, "unit": li.item.unit, "quantity": li.quantity} for li in record.lines.all()]


def _donation(d) -> dict:
    return {"id": d.pk, "supermarket_id": d.supermarket_id, "kind": d.kind, "kind_label": d.get_kind_display(),
            "donor_kind": d.donor_kind, "donor_kind_label": d.get_donor_kind_display(), "donor_name": d.donor_name,
            "received_on": d.received_on, "receipt_no": d.receipt_no, "amount_fen": d.amount_fen,
            "goods": _lines(d), "reversed": hasattr(d, "reversal")}


def _distribution(d: Distribution) -> dict:
    return {"id": d.pk, "supermarket_id": d.supermarket_id, "person_name": d.person.name,
            "id_number_masked": d.person.id_number_masked, "given_on": d.given_on, "goods": _lines(d),
            "reversed": hasattr(d, "reversal")}


def _entry(e: StockEntry) -> dict:
    return {"id": e.pk, "day": e.day, "item": e.item.name, "kind": e.kind, "kind_label": e.get_kind_display(),
            "change": e.change, "balance": e.balance}


def _outlet(o: Outlet) -> dict:
    return {"id": o.pk, "code": o.code, "name": o.name, "street": o.street_id, "street_name": o.street.name,
            "address": o.address, "status": o.status, "status_label": o.get_status_display()}


def _year(year: int | None) -> int:
    return year or dt.date.today().year


@router.get("/charity/supermarkets", response=responses(CharitySupermarketPage), operation_id="charity_supermarkets",
            summary="慈善超市名册（辖区内）")
def supermarket_list(request: HttpRequest, street: str | None = Query(None, pattern=r"^\d{9}$"),
                     limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.supermarkets_visible(request.user))
    if street:
        rows = rows.filter(street_id=street)
    return {"count": rows.count(), "results": [_market(m) for m in rows[offset: offset + limit]]}


@router.post("/charity/supermarkets", response=responses(CharitySupermarketOut, 201),
             operation_id="charity_supermarket_register", summary="登记慈善超市")
def supermarket_register(request: HttpRequest, payload: CharitySupermarketIn) -> Status:
    market = call_service(lambda: services.supermarket_register(
        actor=request.user, name=payload.name, operator=payload.operator, street_code=payload.street,
        committee_code=payload.committee, address=payload.address,
        opened_on=day_check(payload.opened_on, "开业日期")))
    return Status(201, _market(market))


@router.get("/charity/supermarkets/{supermarket_id}", response=responses(CharitySupermarketDetailOut),
            operation_id="charity_supermarket", summary="慈善超市详情和当前库存")
def supermarket_detail(request: HttpRequest, supermarket_id: int = path_id("慈善超市编号")) -> dict:
    market = call_service(lambda: selectors.supermarket_get(request.user, supermarket_id))
    out = _market(market)
    out["stock"] = [{"item": s.item.name, "unit": s.item.unit, "quantity": s.quantity}
                    for s in selectors.stock_of(market)]
    return out


@router.get("/charity/supermarkets/{supermarket_id}/ledger", response=responses(CharityEntryPage),
            operation_id="charity_ledger", summary="慈善超市库存台账（新的在前）")
def ledger(request: HttpRequest, supermarket_id: int = path_id("慈善超市编号"), limit: Limit = 50,
           offset: Offset = 0) -> dict:
    market = call_service(lambda: selectors.supermarket_get(request.user, supermarket_id))
    rows = selectors.ledger_of(market)
    return {"count": rows.count(), "results": [_entry(e) for e in rows[offset: offset + limit]]}


@router.post("/charity/supermarkets/{supermarket_id}/donations", response=responses(CharityDonationOut, 201),
             operation_id="charity_donation_record", summary="登记捐赠（物资或资金）")
def donation_record(request: HttpRequest, payload: CharityDonationIn,
                    supermarket_id: int = path_id("慈善超市编号")) -> Status:
    def run():
        market = selectors.supermarket_get(request.user, supermarket_id)
        return services.donation_record(
            actor=request.user, supermarket=market, kind=payload.kind, donor_kind=payload.donor_kind,
            donor_name=payload.donor_name, received_on=day_check(payload.received_on, "捐赠日期"),
            receipt_no=payload.receipt_no, amount_fen=payload.amount_fen,
            lines=[services.GoodsLine(g.item, g.quantity, g.unit) for g in payload.goods], note=payload.note)
    return Status(201, _donation(call_service(run)))


@router.post("/charity/supermarkets/{supermarket_id}/distributions", response=responses(CharityDistributionOut, 201),
             operation_id="charity_distribution_record", summary="登记发放（受助人须为辖区内人口库人员）")
def distribution_record(request: HttpRequest, payload: CharityDistributionIn,
                        supermarket_id: int = path_id("慈善超市编号")) -> Status:
    def run():
        market = selectors.supermarket_get(request.user, supermarket_id)
        person = person_get(request.user, payload.person_id)
        items = Item.objects.in_bulk([g.item_id for g in payload.goods])
        lines = [(items[g.item_id], g.quantity) for g in payload.goods]  # an unknown item: KeyError below
        return services.distribution_record(actor=request.user, supermarket=market, person=person,
                                            given_on=day_check(payload.given_on, "发放日期"), lines=lines,
                                            note=payload.note)

    def guarded():
        try:
            return run()
        except KeyError:
            raise Item.DoesNotExist("未找到该物品") from None
    return Status(201, _distribution(call_service(guarded)))


@router.post("/charity/donations/{donation_id}/reversal", response=responses(CharityDonationOut, conflict=True),
             operation_id="charity_donation_reverse", summary="冲正捐赠（物资从库存扣回，原记录保留）")
def donation_reverse(request: HttpRequest, payload: CharityReversalIn, donation_id: int = path_id("捐赠编号")) -> dict:
    def run():
        donation = selectors.donation_get(request.user, donation_id)
        services.donation_reverse(actor=request.user, donation=donation, reason=payload.reason)
        return selectors.donation_get(request.user, donation_id)
    return _donation(call_service(run))


@router.post("/charity/distributions/{distribution_id}/reversal",
             response=responses(CharityDistributionOut, conflict=True), operation_id="charity_distribution_reverse",
             summary="冲正发放（物资退回库存，原记录保留）")
def distribution_reverse(request: HttpRequest, payload: CharityReversalIn,
                         distribution_id: int = path_id("发放编号")) -> dict:
    def run():
        distribution = selectors.distribution_get(request.user, distribution_id)
        services.distribution_reverse(actor=request.user, distribution=distribution, reason=payload.reason)
        return selectors.distribution_get(request.user, distribution_id)
    return _distribution(call_service(run))


@router.get("/charity/distributions", response=responses(list[CharityDistributionOut]),
            operation_id="charity_distributions", summary="慈善超市发放记录（身份证号脱敏）")
def distribution_list(request: HttpRequest, limit: Limit = 50, offset: Offset = 0) -> list[dict]:
    rows = call_service(lambda: selectors.distributions_visible(request.user))
    return [_distribution(d) for d in rows[offset: offset + limit]]


@router.get("/charity/monthly", response=responses(list[CharityFiguresOut]), operation_id="charity_monthly",
            summary="慈善超市月度数字（按慈善超市或按街镇）")
def monthly(request: HttpRequest, year: int | None = Year,
            by: str = Query("supermarket", pattern=r"^(supermarket|street)$", description="supermarket 或 street")
            ) -> list[dict]:
    rows = call_service(lambda: selectors.monthly_figures(request.user, _year(year), by=by))
    return [{"key": r.key, "label": r.label, "street": r.street, "months": [vars(f) for f in r.months.values()],
             "total": vars(r.total)} for r in rows]


@router.get("/charity/overview", response=responses(list[CharityOverviewOut]), operation_id="charity_overview",
            summary="慈善概览：按街镇")
def overview(request: HttpRequest, year: int | None = Year) -> list[dict]:
    rows = call_service(lambda: selectors.overview_by_street(request.user, _year(year)))
    return [{"street": r.street.code, "street_name": r.street.name, "supermarkets": r.supermarkets,
             "operating": r.operating, "donations": r.donations, "money_fen": r.money_fen, "goods_in": r.goods_in,
             "distributions": r.distributions, "persons": r.persons} for r in rows]


@router.get("/charity/lottery/outlets", response=responses(list[CharityOutletOut]), operation_id="charity_outlets",
            summary="福利彩票销售网点（辖区内）")
def outlet_list(request: HttpRequest, limit: Limit = 200, offset: Offset = 0) -> list[dict]:
    rows = call_service(lambda: selectors.outlets_visible(request.user))
    return [_outlet(o) for o in rows[offset: offset + limit]]


@router.post("/charity/lottery/outlets", response=responses(CharityOutletOut, 201),
             operation_id="charity_outlet_register", summary="登记福利彩票销售网点")
def outlet_register(request: HttpRequest, payload: CharityOutletIn) -> Status:
    outlet = call_service(lambda: services.outlet_register(actor=request.user, code=payload.code, name=payload.name,
                                                           street_code=payload.street, address=payload.address))
    return Status(201, _outlet(outlet))


def _import(run: SalesImport, repeated: bool) -> dict:
    return {"id": run.pk, "file_name": run.file_name, "mode": run.mode, "repeated": repeated,
            "correction_reason": run.correction_reason, "rows_total": run.rows_total,
            "rows_recorded": run.rows_recorded, "rows_unchanged": run.rows_unchanged,
            "rows_corrected": run.rows_corrected, "rows_quarantined": run.rows_quarantined,
            "problems": [f"第{q.row_number}行：{q.reason}" for q in run.quarantined.all()]}


@router.post("/charity/lottery/imports", response=responses(CharityImportOut, 201),
             operation_id="charity_sales_import",
             summary="导入福彩中心月销售数据文件（CSV/XLSX；同一文件再次导入不作改变；更正须写明原因）")
def sales_import(request: HttpRequest, file: UploadedFile = File(..., description="销售数据文件"),
                 mode: ModeCode = MODE_FIELD, correction_reason: str = REASON_FIELD) -> Status:
    def run():
        upload_check(file)
        return services.sales_import(actor=request.user, data=file.read(), file_name=file.name or "upload.csv",
                                     mode=mode, correction_reason=correction_reason)
    outcome = call_service(run)
    return Status(201, _import(outcome.sales_import, outcome.repeated))


@router.get("/charity/lottery/summary", response=responses(CharityLotteryOut), operation_id="charity_lottery_summary",
            summary="福利彩票全年销售额和公益金，按街镇")
def lottery_summary(request: HttpRequest, year: int | None = Year) -> dict:
    y = _year(year)
    rows = call_service(lambda: selectors.lottery_by_street(request.user, y))
    missing = sum(r.fund_missing for r in rows)
    return {"year": y, "sales_fen": sum(r.sales_fen for r in rows),
            "fund_fen": None if missing else sum(r.fund_fen for r in rows),
            "streets": [{"street": r.street.code, "street_name": r.street.name, "outlets": r.outlets,
                         "months": r.months, "sales_fen": r.sales_fen, "fund_fen": r.fund_total,
                         "fund_known_fen": r.fund_fen, "fund_missing_months": r.fund_missing,
                         "fund_status": "参数缺失" if r.fund_missing else "完整"} for r in rows]}


