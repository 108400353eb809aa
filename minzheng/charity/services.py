"""Every write of 慈善超市 and 福利彩票 (ADR 0040): the permission, the
jurisdiction, one transaction, one audit entry. Refusals are
``ValidationError`` in Chinese.

The stock rule: a supermarket cannot give out what it does not hold. Each
movement locks the ``Stock`` row of its supermarket and item
(``SELECT … FOR UPDATE``; rows locked in item order so two distributions
never wait on each other in a circle), checks the new balance, writes the
ledger entry with the balance after it and the new balance. The database
refuses a negative balance too (CHECK ``charity_stock_never_negative``), so
not even a path that forgot the lock could make it negative. A correction
is a reversing entry (:func:`donation_reverse`, :func:`distribution_reverse`),
never an edit of the record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.charity import lottery_files
from minzheng.charity.models import (
    Distribution,
    DistributionLine,
    Donation,
    DonationKind,
    DonationLine,
    DonorKind,
    EntryKind,
    FundRate,
    ImportMode,
    Item,
    MonthlySales,
    Outlet,
    OutletStatus,
    QuarantinedRow,
    Reversal,
    SalesCorrection,
    SalesImport,
    Stock,
    StockEntry,
    Supermarket,
    SupermarketStatus,
)
from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check, lengths_check
from minzheng.core.file_import import ImportFileError
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.registry.models import Person
from minzheng.registry.selectors import person_get

ACTOR = User | str
MAX_QUANTITY = 1_000_000  # one line of goods; a larger number is a typing error


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _covers(actor: ACTOR, supermarket: Supermarket) -> None:
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=supermarket.street_id, committee_code=supermarket.committee_id)


def _text(value: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}")
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字")
    return value


def _day(day: dt.date, label: str, today: dt.date, earliest: dt.date | None = None) -> dt.date:
    day_check(day, label, latest=today)
    if earliest is not None and day < earliest:
        raise ValidationError(f"{label}不能早于{earliest.isoformat()}")
    return day


# --- the register -----------------------------------------------------------------------------

def _place(street_code: str, committee_code: str | None) -> tuple[Division, Division | None]:
    street = Division.objects.filter(code=street_code, level=DivisionLevel.STREET).first()
    if street is None:
        raise ValidationError("请选择街镇")
    committee = None
    if committee_code:
        committee = Division.objects.filter(code=committee_code, level=DivisionLevel.COMMITTEE).first()
        if committee is None or committee.parent_id != street.code:
            raise ValidationError("居村委应属于所选街镇")
    return street, committee


@transaction.atomic
def supermarket_register(*, actor: ACTOR, name: str, operator: str, street_code: str, address: str,
                         opened_on: dt.date, committee_code: str | None = None,
                         today: dt.date | None = None) -> Supermarket:
    """Register a 慈善超市 (the bureau anywhere, a street in its own street)."""
    require(actor, "charity.register", allow_job=True)
    today = today or timezone.localdate()
    street, committee = _place(street_code, committee_code)
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=street.code, committee_code=committee.code if committee else None)
    name = _text(name, "名称", 100)
    if Supermarket.objects.filter(name=name).exists():
        raise ValidationError(f"已有名为“{name}”的慈善超市")
    market = Supermarket(name=name, operator=_text(operator, "运营方", 100), street=street, committee=committee,
                         address=_text(address, "地址", 200), opened_on=_day(opened_on, "开业日期", today))
    lengths_check(market)
    market.save()
    audit_record(actor=actor, action="charity.supermarket_register", object_type="CharitySupermarket", object_id=market.pk,
                 scope_code=committee.code if committee else street.code,
                 changes={"supermarket": name, "charity_operator": market.operator, "street": street.name,
                          "committee": committee.name if committee else None,
                          "supermarket_opened_on": market.opened_on.isoformat()})
    return market


@transaction.atomic
def supermarket_status_set(*, actor: ACTOR, supermarket: Supermarket, status: str, reason: str) -> Supermarket:
    """运营 ↔ 暂停 → 关闭 (a closed supermarket records nothing new; its history stays)."""
    require(actor, "charity.register", allow_job=True)
    _covers(actor, supermarket)
    if status not in SupermarketStatus.values:
        raise ValidationError("状态应为运营、暂停或关闭")
    if supermarket.status == SupermarketStatus.CLOSED:
        raise ValidationError("该慈善超市已关闭，不能再改变状态")
    if status == supermarket.status:
        raise ValidationError("状态没有变化")
    reason = _text(reason, "原因", 200)
    before = supermarket.status
    supermarket.status = status
    supermarket.save(update_fields=["status"])
    audit_record(actor=actor, action="charity.supermarket_status", object_type="CharitySupermarket",
                 object_id=supermarket.pk, scope_code=supermarket.committee_id or supermarket.street_id,
                 changes={"supermarket_status_before": before, "supermarket_status": status, "reason": reason})
    return supermarket


def _open_for_records(supermarket: Supermarket) -> None:
    if supermarket.status != SupermarketStatus.OPERATING:
        raise ValidationError(f"该慈善超市处于“{supermarket.get_status_display()}”状态，不能登记捐赠或发放")


# --- the ledger -------------------------------------------------------------------------------

def _locked_stock(supermarket: Supermarket, item: Item, *, create: bool) -> Stock | None:
    stock = Stock.objects.select_for_update().filter(supermarket=supermarket, item=item).first()
    if stock is None and create:
        try:
            with transaction.atomic():
                Stock.objects.create(supermarket=supermarket, item=item, quantity=0)
        except IntegrityError:  # created at the same moment by another donation
            pass
        stock = Stock.objects.select_for_update().get(supermarket=supermarket, item=item)
    return stock


def _move(*, actor: ACTOR, supermarket: Supermarket, item: Item, change: int, day: dt.date, kind: str,
          donation: Donation | None = None, distribution: Distribution | None = None) -> StockEntry:
    """One ledger entry under the stock row's lock; refused if the balance would go below zero."""
    stock = _locked_stock(supermarket, item, create=change > 0)
    held = stock.quantity if stock else 0
    if held + change < 0:
        raise ValidationError(f"“{item.name}”库存不足：现有{held}{item.unit}，需要{-change}{item.unit}")
    assert stock is not None
    stock.quantity = held + change
    stock.save(update_fields=["quantity"])
    return StockEntry.objects.create(supermarket=supermarket, item=item, day=day, kind=kind, change=change,
                                     balance=stock.quantity, donation=donation, distribution=distribution,
                                     recorded_by=_name(actor))


@dataclass(frozen=True)
class GoodsLine:
    """A line of goods as typed: an item (by name, with its unit when new) and a quantity."""

    item: str
    quantity: int
    unit: str = ""


def _quantity(value: object, item: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise ValidationError(f"“{item}”的数量应为1至{MAX_QUANTITY}之间的整数")
    return value


def item_for(name: str, unit: str = "") -> Item:
    """The item of that name; a new name needs its unit (件、袋、桶 …)."""
    name = _text(name, "物品名称", 50)
    item = Item.objects.filter(name=name).first()
    if item is not None:
        return item
    unit = _text(unit, f"“{name}”的单位", 10)
    item, _created = Item.objects.get_or_create(name=name, defaults={"unit": unit})
    return item


@transaction.atomic
def donation_record(*, actor: ACTOR, supermarket: Supermarket, kind: str, donor_kind: str, donor_name: str,
                    received_on: dt.date, receipt_no: str = "", amount_fen: int | None = None,
                    lines: list[GoodsLine] | tuple[GoodsLine, ...] = (), note: str = "",
                    today: dt.date | None = None) -> Donation:
    """A donation in: goods by item and quantity (each line enters the ledger)
    or money in fen; the donor a person or an organisation by name, or anonymous."""
    require(actor, "charity.record", allow_job=True)
    _covers(actor, supermarket)
    supermarket = Supermarket.objects.get(pk=supermarket.pk)
    _open_for_records(supermarket)
    today = today or timezone.localdate()
    _day(received_on, "捐赠日期", today, supermarket.opened_on)
    if donor_kind not in DonorKind.values:
        raise ValidationError("捐赠方类型应为个人、单位或组织、匿名")
    donor_name = "" if donor_kind == DonorKind.ANONYMOUS else _text(donor_name, "捐赠方名称", 100)
    receipt_no = _text(receipt_no, "票据号", 40, required=False)
    if receipt_no and Donation.objects.filter(supermarket=supermarket, receipt_no=receipt_no).exists():
        raise ValidationError(f"票据号“{receipt_no}”已登记过")
    if kind == DonationKind.MONEY:
        if lines:
            raise ValidationError("资金捐赠不登记物资")
        if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
            raise ValidationError("请填写大于0的捐赠金额")
    elif kind == DonationKind.GOODS:
        if amount_fen is not None:
            raise ValidationError("物资捐赠不填写金额")
        if not lines:
            raise ValidationError("请至少登记一种物资")
    else:
        raise ValidationError("捐赠类型应为物资或资金")
    items = [(item_for(line.item, line.unit), _quantity(line.quantity, line.item)) for line in lines]
    if len({i.pk for i, _q in items}) != len(items):
        raise ValidationError("同一物资请合并为一行")
    donation = Donation.objects.create(supermarket=supermarket, kind=kind, donor_kind=donor_kind,
                                       donor_name=donor_name, received_on=received_on, receipt_no=receipt_no,
                                       amount_fen=amount_fen if kind == DonationKind.MONEY else None,
                                       note=_text(note, "备注", 200, required=False), recorded_by=_name(actor))
    for item, quantity in sorted(items, key=lambda p: p[0].pk):
        DonationLine.objects.create(donation=donation, item=item, quantity=quantity)
        _move(actor=actor, supermarket=supermarket, item=item, change=quantity, day=received_on,
              kind=EntryKind.DONATION, donation=donation)
    audit_record(actor=actor, action="charity.donation_record", object_type="CharityDonation", object_id=donation.pk,
                 scope_code=supermarket.committee_id or supermarket.street_id,
                 changes={"supermarket": supermarket.name, "donation_kind": kind, "donor_kind": donor_kind,
                          "donated_on": received_on.isoformat(), "receipt_no": receipt_no,
                          "amount_fen": donation.amount_fen,
                          "goods": [f"{i.name}×{q}{i.unit}" for i, q in items]})
    return donation


@transaction.atomic
def distribution_record(*, actor: ACTOR, supermarket: Supermarket, person: Person, given_on: dt.date,
                        lines: list[tuple[Item, int]] | tuple[tuple[Item, int], ...], note: str = "",
                        today: dt.date | None = None) -> Distribution:
    """Goods out to one registry person (the caller found the person through a
    selector scoped to the actor). More than the stock → refused, nothing written."""
    require(actor, "charity.record", allow_job=True)
    _covers(actor, supermarket)
    supermarket = Supermarket.objects.get(pk=supermarket.pk)
    _open_for_records(supermarket)
    today = today or timezone.localdate()
    _day(given_on, "发放日期", today, supermarket.opened_on)
    if not isinstance(actor, str):
        person = person_get(actor, person.pk)  # a beneficiary outside the actor's jurisdiction: 404
    if not person.alive or person.merged_into_id:
        raise ValidationError("受助人已死亡或人员记录已合并，不能登记发放")
    if not lines:
        raise ValidationError("请至少登记一种物资")
    checked = [(item, _quantity(quantity, item.name)) for item, quantity in lines]
    if len({i.pk for i, _q in checked}) != len(checked):
        raise ValidationError("同一物资请合并为一行")
    distribution = Distribution.objects.create(supermarket=supermarket, person=person, given_on=given_on,
                                               note=_text(note, "备注", 200, required=False),
                                               recorded_by=_name(actor))
    for item, quantity in sorted(checked, key=lambda p: p[0].pk):
        DistributionLine.objects.create(distribution=distribution, item=item, quantity=quantity)
        _move(actor=actor, supermarket=supermarket, item=item, change=-quantity, day=given_on,
              kind=EntryKind.DISTRIBUTION, distribution=distribution)
    audit_record(actor=actor, action="charity.distribution_record", object_type="CharityDistribution",
                 object_id=distribution.pk, scope_code=supermarket.committee_id or supermarket.street_id,
                 changes={"supermarket": supermarket.name, "person": person.id_number_masked,
                          "distributed_on": given_on.isoformat(), "goods": [f"{i.name}×{q}{i.unit}" for i, q in checked]})
    return distribution


@transaction.atomic
def donation_reverse(*, actor: ACTOR, donation: Donation, reason: str, today: dt.date | None = None) -> Reversal:
    """Correct a donation recorded in error: each goods line leaves the stock
    again (refused if already given out), the donation stays with its reversal."""
    return _reverse(actor, donation, reason, today, sign=-1, kind=EntryKind.DONATION_REVERSAL, what="捐赠",
                    object_type="CharityDonation")


@transaction.atomic
def distribution_reverse(*, actor: ACTOR, distribution: Distribution, reason: str,
                         today: dt.date | None = None) -> Reversal:
    """Correct a distribution recorded in error: its goods return to the stock."""
    return _reverse(actor, distribution, reason, today, sign=+1, kind=EntryKind.DISTRIBUTION_REVERSAL,
                    what="发放", object_type="CharityDistribution")


def _reverse(actor: ACTOR, record: Donation | Distribution, reason: str, today: dt.date | None, *, sign: int,
             kind: str, what: str, object_type: str) -> Reversal:
    """A reversal of a donation (goods leave again, ``sign`` −1) or of a
    distribution (goods come back, +1): stock moves through the ledger, the
    record stays with its one reversal (never deleted)."""
    require(actor, "charity.record", allow_job=True)
    supermarket = record.supermarket
    _covers(actor, supermarket)
    today = today or timezone.localdate()
    reason = _text(reason, "冲正原因", 200)
    link = {"donation" if isinstance(record, Donation) else "distribution": record}
    if Reversal.objects.filter(**link).exists():
        raise ValidationError(f"该{what}已冲正")
    for line in sorted(record.lines.select_related("item"), key=lambda x: x.item_id):
        _move(actor=actor, supermarket=supermarket, item=line.item, change=sign * line.quantity, day=today,
              kind=kind, **link)
    reversal = Reversal.objects.create(reason=reason, reversed_on=today, reversed_by=_name(actor), **link)
    audit_record(actor=actor, action=f"charity.{next(iter(link))}_reverse", object_type=object_type,
                 object_id=record.pk, scope_code=supermarket.committee_id or supermarket.street_id,
                 changes={"supermarket": supermarket.name, "reason": reason})
    return reversal


# --- 福利彩票 -----------------------------------------------------------------------------------

@transaction.atomic
def outlet_register(*, actor: ACTOR, code: str, name: str, street_code: str, address: str) -> Outlet:
    require(actor, "charity.lottery_manage", allow_job=True)
    code = _text(code, "网点编号", 20)
    if not (code.isascii() and code.isalnum()):
        raise ValidationError("网点编号只能由数字和字母组成")
    if Outlet.objects.filter(code=code).exists():
        raise ValidationError(f"网点编号“{code}”已登记")
    street, _committee = _place(street_code, None)
    outlet = Outlet.objects.create(code=code, name=_text(name, "网点名称", 100), street=street,
                                   address=_text(address, "地址", 200))
    audit_record(actor=actor, action="charity.outlet_register", object_type="CharityOutlet", object_id=outlet.pk,
                 scope_code=street.code, changes={"outlet_code": code, "outlet_name": outlet.name, "street": street.name})
    return outlet


@transaction.atomic
def outlet_status_set(*, actor: ACTOR, outlet: Outlet, status: str) -> Outlet:
    require(actor, "charity.lottery_manage", allow_job=True)
    if status not in OutletStatus.values or status == outlet.status:
        raise ValidationError("请选择新的状态")
    before, outlet.status = outlet.status, status
    outlet.save(update_fields=["status"])
    audit_record(actor=actor, action="charity.outlet_status", object_type="CharityOutlet", object_id=outlet.pk,
                 scope_code=outlet.street_id, changes={"outlet_status_before": before, "outlet_status": status})
    return outlet


@transaction.atomic
def fund_rate_enter(*, actor: ACTOR, effective_from: dt.date, percent: Decimal, document_name: str,
                    document_number: str) -> FundRate:
    """The 公益金 share of sales from a date, citing its document (name and
    number required). REFERENCE gives none; without one the fund of a month
    whose file lacks it is 参数缺失."""
    require(actor, "charity.lottery_manage", allow_job=True)
    day_check(effective_from, "起始日期")
    if not isinstance(percent, Decimal) or not percent.is_finite() or not Decimal("0") < percent <= Decimal("100"):
        raise ValidationError("提取比例应大于0且不超过100（%）")
    if percent != percent.quantize(Decimal("0.01")):
        raise ValidationError("提取比例最多两位小数")
    if FundRate.objects.filter(effective_from=effective_from).exists():
        raise ValidationError("该起始日期已有提取比例")
    rate = FundRate.objects.create(effective_from=effective_from, percent=percent,
                                   document_name=_text(document_name, "依据文件名称", 200),
                                   document_number=_text(document_number, "文号", 100), entered_by=_name(actor))
    audit_record(actor=actor, action="charity.fund_rate_enter", object_type="CharityFundRate", object_id=rate.pk,
                 changes={"effective_from": effective_from.isoformat(), "fund_percent": str(percent),
                          "document_name": rate.document_name, "document_number": rate.document_number})
    return rate


@dataclass
class ImportOutcome:
    sales_import: SalesImport
    repeated: bool = False


def sales_import(*, actor: ACTOR, data: bytes, file_name: str, mode: str = ImportMode.QUARANTINE,
                 correction_reason: str = "", today: dt.date | None = None) -> ImportOutcome:
    """Import the lottery centre's monthly sales file (CSV/XLSX, the template's columns).

    * the same file again (same SHA-256, not a correction) → the earlier import, nothing changes;
    * a row for an outlet and month already held with other figures is a problem
      ("如需更正…") unless the file is imported as a correction with a reason:
      then it replaces them and each replacement is kept (``SalesCorrection``);
    * ``all_or_nothing``: any problem → nothing is recorded (the problems are the
      error); ``quarantine``: good rows are recorded, the others kept with their
      row number and reason.
    """
    require(actor, "charity.lottery_manage", allow_job=True)
    if mode not in ImportMode.values:
        raise ValidationError("请选择导入方式")
    today = today or timezone.localdate()
    correction_reason = _text(correction_reason, "更正原因", 200, required=False)
    digest = hashlib.sha256(data).hexdigest()
    if not correction_reason:
        earlier = SalesImport.objects.filter(file_sha256=digest, correction_reason="").first()
        if earlier is not None:
            return ImportOutcome(earlier, repeated=True)
    try:
        rows = lottery_files.read(data, file_name, today=today)
    except ImportFileError as err:
        raise ValidationError(str(err)) from err
    if not rows.good and not rows.problems:
        raise ValidationError("文件中没有数据行")
    with transaction.atomic():
        outlets = {o.code: o for o in Outlet.objects.filter(code__in={r.code for r in rows.good})}
        problems = list(rows.problems)
        plan: list[tuple[lottery_files.SalesRow, Outlet, MonthlySales | None]] = []
        held = {(s.outlet.code, s.month): s for s in MonthlySales.objects.select_for_update()
                .filter(outlet__code__in=list(outlets), month__in={r.month for r in rows.good})
                .select_related("outlet")}
        for row in rows.good:
            outlet = outlets.get(row.code)
            if outlet is None:
                problems.append((row.number, f"网点编号“{row.code}”未登记，请先登记销售网点", row.values))
                continue
            existing = held.get((row.code, row.month))
            if (existing is not None and (existing.sales_fen, existing.fund_fen) != (row.sales_fen, row.fund_fen)
                    and not correction_reason):
                problems.append((row.number, f"该网点{row.month}已有不同的销售数据；如需更正，请以“更正”方式导入"
                                             "并写明原因", row.values))
                continue
            plan.append((row, outlet, existing))
        problems.sort(key=lambda p: p[0])
        if problems and mode == ImportMode.ALL_OR_NOTHING:
            shown = [f"第{n}行：{reason}" for n, reason, _v in problems[:20]]
            more = [f"另有{len(problems) - 20}行有问题"] if len(problems) > 20 else []
            raise ValidationError(["文件有问题，整批未导入：", *shown, *more])
        run = SalesImport.objects.create(file_name=file_name[:200], file_sha256=digest, mode=mode,
                                         correction_reason=correction_reason, imported_by=_name(actor),
                                         rows_total=len(rows.good) + len(rows.problems))
        recorded = unchanged = corrected = 0
        for row, outlet, existing in plan:
            if existing is None:
                MonthlySales.objects.create(outlet=outlet, street_id=outlet.street_id, month=row.month,
                                            sales_fen=row.sales_fen, fund_fen=row.fund_fen, source=run)
                recorded += 1
            elif (existing.sales_fen, existing.fund_fen) == (row.sales_fen, row.fund_fen):
                unchanged += 1
            else:
                SalesCorrection.objects.create(sales=existing, sales_import=run, sales_fen_before=existing.sales_fen,
                                               fund_fen_before=existing.fund_fen, sales_fen_after=row.sales_fen,
                                               fund_fen_after=row.fund_fen, reason=correction_reason,
                                               corrected_by=_name(actor))
                existing.sales_fen, existing.fund_fen, existing.source = row.sales_fen, row.fund_fen, run
                existing.save(update_fields=["sales_fen", "fund_fen", "source"])
                corrected += 1
        QuarantinedRow.objects.bulk_create([QuarantinedRow(sales_import=run, row_number=n, reason=reason[:300],
                                                           values=values) for n, reason, values in problems])
        run.rows_recorded, run.rows_unchanged, run.rows_corrected = recorded, unchanged, corrected
        run.rows_quarantined = len(problems)
        run.save(update_fields=["rows_recorded", "rows_unchanged", "rows_corrected", "rows_quarantined"])
        audit_record(actor=actor, action="charity.sales_import", object_type="CharitySalesImport", object_id=run.pk,
                     changes={"file_name": run.file_name, "import_mode": mode, "reason": correction_reason or None,
                              "recorded": recorded, "unchanged": unchanged, "corrected": corrected,
                              "quarantined": len(problems)})
    return ImportOutcome(run)

