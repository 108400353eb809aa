"""慈善超市 and 福利彩票 (issue 18, ADR 0040).

The seed (2024 work points 三(二)): "深化社区慈善超市建设，提升管理服务质效" and
"继续做好福利彩票销售的宣传推广，进一步筹集福利彩票公益金"; the 2023 summary
(四) counts "2023年松江区福利彩票销售额达 5.27 亿元".

Charity supermarkets: a register; donations in (goods by item and quantity,
or money in fen) and distributions out to registry persons; a stock ledger
per supermarket and item (``StockEntry``, append-only) whose running balance
(``Stock``) never goes below zero — the service locks the ``Stock`` row and
the database refuses a negative balance (CHECK). A correction is a reversing
entry (``Reversal``), never an edit.

Welfare lottery: outlets (销售网点) per street; monthly sales per outlet
imported from the lottery centre's file; the public-welfare fund (公益金) as
the file gives it, else from a dated rate that staff enter citing its
document (``FundRate``), else 参数缺失 — never invented.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class SupermarketStatus(models.TextChoices):
    OPERATING = "operating", "运营"
    SUSPENDED = "suspended", "暂停"
    CLOSED = "closed", "关闭"


class Supermarket(models.Model):
    """One 社区慈善超市: its operator (运营方, e.g. a social organization or the
    street's service centre), street and committee, address, opening date and
    status. Committee staff of its committee keep its stock."""

    name = models.CharField("名称", max_length=100, unique=True)
    operator = models.CharField("运营方", max_length=100)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                  verbose_name="居村委")
    address = models.CharField("地址", max_length=200)
    opened_on = models.DateField("开业日期")
    status = models.CharField("状态", max_length=12, choices=SupermarketStatus.choices,
                              default=SupermarketStatus.OPERATING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["street_id", "name"]
        verbose_name = "慈善超市"
        verbose_name_plural = "慈善超市"

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """A kind of goods (大米, 食用油 …) with its unit; shared by every supermarket."""

    name = models.CharField("物品", max_length=50, unique=True)
    unit = models.CharField("单位", max_length=10)

    class Meta:
        ordering = ["name"]
        verbose_name = "物品"
        verbose_name_plural = "物品"

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class DonorKind(models.TextChoices):
    PERSON = "person", "个人"
    ORGANISATION = "organisation", "单位或组织"
    ANONYMOUS = "anonymous", "匿名"


class DonationKind(models.TextChoices):
    GOODS = "goods", "物资"
    MONEY = "money", "资金"


class Donation(models.Model):
    """A donation received by one supermarket: goods (``lines``) or money
    (``amount_fen``); the donor's kind and name (none when anonymous); the
    receipt number (捐赠票据号, unique per supermarket when given)."""

    supermarket = models.ForeignKey(Supermarket, on_delete=models.PROTECT, related_name="donations",
                                    verbose_name="慈善超市")
    kind = models.CharField("捐赠类型", max_length=8, choices=DonationKind.choices)
    donor_kind = models.CharField("捐赠方类型", max_length=16, choices=DonorKind.choices)
    donor_name = models.CharField("捐赠方", max_length=100, blank=True)
    received_on = models.DateField("捐赠日期", db_index=True)
    receipt_no = models.CharField("票据号", max_length=40, blank=True)
    amount_fen = models.BigIntegerField("金额（分）", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "捐赠"
        verbose_name_plural = "捐赠"
        constraints = [
            models.UniqueConstraint(fields=["supermarket", "receipt_no"], condition=~Q(receipt_no=""),
                                    name="charity_donation_receipt_once"),
            models.CheckConstraint(condition=Q(kind="goods", amount_fen__isnull=True)
                                   | Q(kind="money", amount_fen__gt=0), name="charity_donation_money_positive"),
            models.CheckConstraint(condition=Q(donor_kind="anonymous", donor_name="")
                                   | (~Q(donor_kind="anonymous") & ~Q(donor_name="")),
                                   name="charity_donation_donor_named"),
        ]


class DonationLine(models.Model):
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="lines", verbose_name="捐赠")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="物品")
    quantity = models.PositiveIntegerField("数量")

    class Meta:
        verbose_name = "捐赠物资"
        verbose_name_plural = "捐赠物资"
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="charity_donation_line_positive")]


class Distribution(models.Model):
    """Goods given out by one supermarket to one registry person (only the
    link is stored; lists show the masked ID number)."""

    supermarket = models.ForeignKey(Supermarket, on_delete=models.PROTECT, related_name="distributions",
                                    verbose_name="慈善超市")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="受助人")
    given_on = models.DateField("发放日期", db_index=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = "发放"
        verbose_name_plural = "发放"


class DistributionLine(models.Model):
    distribution = models.ForeignKey(Distribution, on_delete=models.PROTECT, related_name="lines",
                                     verbose_name="发放")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="物品")
    quantity = models.PositiveIntegerField("数量")

    class Meta:
        verbose_name = "发放物资"
        verbose_name_plural = "发放物资"
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="charity_distribution_line_positive")]


class Reversal(models.Model):
    """The correction of one donation or one distribution: a reversing entry
    in the ledger for each of its lines, with the reason. The original is
    never edited; a record is reversed at most once."""

    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversal", verbose_name="捐赠")
    distribution = models.OneToOneField(Distribution, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="reversal", verbose_name="发放")
    reason = models.CharField("冲正原因", max_length=200)
    reversed_on = models.DateField("冲正日期")
    reversed_by = models.CharField("冲正人", max_length=150)
    reversed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "冲正"
        verbose_name_plural = "冲正"
        constraints = [models.CheckConstraint(
            condition=Q(donation__isnull=False, distribution__isnull=True)
            | Q(donation__isnull=True, distribution__isnull=False), name="charity_reversal_one_record")]


class Stock(models.Model):
    """The running balance of one item at one supermarket: the sum of its
    ledger entries, kept by the services under a row lock; the database
    refuses a negative quantity."""

    supermarket = models.ForeignKey(Supermarket, on_delete=models.PROTECT, related_name="stock",
                                    verbose_name="慈善超市")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="物品")
    quantity = models.BigIntegerField("库存", default=0)

    class Meta:
        ordering = ["supermarket_id", "item__name"]
        verbose_name = "库存"
        verbose_name_plural = "库存"
        constraints = [
            models.UniqueConstraint(fields=["supermarket", "item"], name="charity_stock_one_per_item"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="charity_stock_never_negative"),
        ]


class EntryKind(models.TextChoices):
    DONATION = "donation", "捐赠入库"
    DISTRIBUTION = "distribution", "发放出库"
    DONATION_REVERSAL = "donation_reversal", "捐赠冲正"
    DISTRIBUTION_REVERSAL = "distribution_reversal", "发放冲正"


class StockEntry(models.Model):
    """One line of the stock ledger (append-only): the change (+ in, − out)
    and the balance after it."""

    supermarket = models.ForeignKey(Supermarket, on_delete=models.PROTECT, related_name="+", verbose_name="慈善超市")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="物品")
    day = models.DateField("日期")
    kind = models.CharField("类型", max_length=24, choices=EntryKind.choices)
    change = models.BigIntegerField("变动")
    balance = models.BigIntegerField("结存")
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    distribution = models.ForeignKey(Distribution, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "库存台账"
        verbose_name_plural = "库存台账"
        indexes = [models.Index(fields=["supermarket", "item", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="charity_entry_balance_never_negative"),
            models.CheckConstraint(condition=~Q(change=0), name="charity_entry_changes_something"),
        ]


# --- 福利彩票 -------------------------------------------------------------------------------

class OutletStatus(models.TextChoices):
    OPEN = "open", "营业"
    CLOSED = "closed", "停业"


class Outlet(models.Model):
    """A welfare-lottery outlet (福利彩票销售网点), known by the lottery
    centre's station number (``code``), in one street."""

    code = models.CharField("网点编号", max_length=20, unique=True)
    name = models.CharField("网点名称", max_length=100)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    address = models.CharField("地址", max_length=200)
    status = models.CharField("状态", max_length=8, choices=OutletStatus.choices, default=OutletStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["street_id", "code"]
        verbose_name = "福利彩票销售网点"
        verbose_name_plural = "福利彩票销售网点"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ImportMode(models.TextChoices):
    QUARANTINE = "quarantine", "有问题的行单独列出，其余入库"
    ALL_OR_NOTHING = "all_or_nothing", "有任何问题整批不入库"


class SalesImport(models.Model):
    """One file of the lottery centre. The same file (same SHA-256) twice is
    the same import: nothing changes. ``correction_reason`` is set when the
    file was imported as an explicit correction: only then may its rows
    replace figures already held for the same outlet and month."""

    file_name = models.CharField("文件名", max_length=200)
    file_sha256 = models.CharField("文件摘要", max_length=64, db_index=True)
    mode = models.CharField("导入方式", max_length=16, choices=ImportMode.choices)
    correction_reason = models.CharField("更正原因", max_length=200, blank=True)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    rows_recorded = models.PositiveIntegerField("新增", default=0)
    rows_unchanged = models.PositiveIntegerField("未变化", default=0)
    rows_corrected = models.PositiveIntegerField("更正", default=0)
    rows_quarantined = models.PositiveIntegerField("有问题的行数", default=0)
    imported_by = models.CharField("导入人", max_length=150)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "福利彩票销售数据导入"
        verbose_name_plural = "福利彩票销售数据导入"
        constraints = [models.UniqueConstraint(fields=["file_sha256"], condition=Q(correction_reason=""),
                                               name="charity_sales_import_once_per_file")]


class QuarantinedRow(models.Model):
    sales_import = models.ForeignKey(SalesImport, on_delete=models.CASCADE, related_name="quarantined",
                                     verbose_name="导入批次")
    row_number = models.PositiveIntegerField("行号")
    reason = models.CharField("原因", max_length=300)
    values = models.JSONField("原始内容", default=dict)

    class Meta:
        ordering = ["sales_import", "row_number"]
        verbose_name = "待处理数据行"
        verbose_name_plural = "待处理数据行"


class MonthlySales(models.Model):
    """One outlet's sales of one month (``YYYY-MM``) and, when the file gives
    it, the 公益金 raised (``fund_fen``; null = not in the file)."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="sales", verbose_name="网点")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    month = models.CharField("月份", max_length=7)
    sales_fen = models.BigIntegerField("销售额（分）")
    fund_fen = models.BigIntegerField("公益金（分）", null=True, blank=True)
    source = models.ForeignKey(SalesImport, on_delete=models.PROTECT, related_name="+", verbose_name="来源文件")

    class Meta:
        ordering = ["-month", "outlet_id"]
        verbose_name = "福利彩票月销售"
        verbose_name_plural = "福利彩票月销售"
        constraints = [
            models.UniqueConstraint(fields=["outlet", "month"], name="charity_sales_once_per_month"),
            models.CheckConstraint(condition=Q(sales_fen__gte=0), name="charity_sales_not_negative"),
            models.CheckConstraint(condition=Q(fund_fen__isnull=True) | Q(fund_fen__gte=0),
                                   name="charity_fund_not_negative"),
        ]


class SalesCorrection(models.Model):
    """A month's figures replaced by a later file imported as a correction:
    the values before and after and the reason."""

    sales = models.ForeignKey(MonthlySales, on_delete=models.PROTECT, related_name="corrections",
                              verbose_name="月销售")
    sales_import = models.ForeignKey(SalesImport, on_delete=models.PROTECT, related_name="corrections",
                                     verbose_name="更正文件")
    sales_fen_before = models.BigIntegerField("原销售额（分）")
    fund_fen_before = models.BigIntegerField("原公益金（分）", null=True, blank=True)
    sales_fen_after = models.BigIntegerField("新销售额（分）")
    fund_fen_after = models.BigIntegerField("新公益金（分）", null=True, blank=True)
    reason = models.CharField("更正原因", max_length=200)
    corrected_by = models.CharField("更正人", max_length=150)
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "福利彩票销售更正"
        verbose_name_plural = "福利彩票销售更正"


class FundRate(models.Model):
    """The share of sales that goes to the public-welfare fund, entered by
    bureau staff citing its document, in force from ``effective_from``
    (a month M uses the rate in force on the 1st of M). REFERENCE gives no
    rate: without one, a month whose file gives no 公益金 shows 参数缺失."""

    effective_from = models.DateField("起始日期", unique=True)
    percent = models.DecimalField("提取比例（%）", max_digits=5, decimal_places=2)
    document_name = models.CharField("依据文件名称", max_length=200)
    document_number = models.CharField("文号", max_length=100)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "公益金提取比例"
        verbose_name_plural = "公益金提取比例"
        constraints = [models.CheckConstraint(condition=Q(percent__gt=0) & Q(percent__lte=100),
                                              name="charity_fund_rate_range")]


