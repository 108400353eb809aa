"""Benefit payments and the fund ledger (救助资金发放与台账).

* ``PayeeAccount`` — a person's bank account, number encrypted at rest; a
  correction is a new row (the old one is closed), never an edit.
* ``PaymentBatch`` / ``PaymentLine`` — a program's monthly batch and its lines.
  Lines of an approved batch never change: corrections are adjustment or
  re-issue lines in a later batch, linked to the line they correct. The
  database refuses a second payment for one beneficiary, program and month.
* ``BankFile``, ``ReturnImport``, ``BankReturn`` — what was sent to the bank
  and what the bank answered, line by line.
* ``Receivable`` / ``ReceivableEntry`` — recovery (追缴): a person's
  receivable is the sum of its entries, never a stored balance.
* ``SampleDraw`` / ``SampleCase`` — sampled checks (百户调查 / 专项检查) with
  the seed that reproduces the draw.

See docs/adr/0008-payments.md.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class FundSplit(models.Model):
    """Which share of a program's payments the city pays (the rest: the
    district), from a month on. Configuration data: no policy document cited in policy/parameters gives
    shares, so a program without a row is paid 100 % from district funds
    (documented assumption, shown as 未核实)."""

    program = models.CharField("救助项目", max_length=64)
    effective_month = models.CharField("起始月份", max_length=7)
    city_share_bp = models.PositiveIntegerField("市级承担比例（万分比）")
    basis = models.CharField("依据", max_length=200, blank=True)
    verified = models.BooleanField("已核实", default=False)
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-effective_month"]
        verbose_name = "资金来源比例"
        verbose_name_plural = "资金来源比例"
        constraints = [
            models.UniqueConstraint(fields=["program", "effective_month"], name="one_fund_split_per_program_month"),
            models.CheckConstraint(condition=Q(city_share_bp__lte=10000), name="city_share_at_most_100_percent"),
        ]


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    CLOSED = "closed", "已停用"


class PayeeAccount(models.Model):
    """A person's account for benefit payments (代发账户).

    ``number_enc`` is AES-GCM encrypted (``core.personal_data``); lists show
    ``number_masked``; the bank return is matched through ``number_index``
    (keyed blind index). One active account per person (partial unique index).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    bank_name = models.CharField("开户银行", max_length=64)
    holder_name = models.CharField("户名", max_length=64)
    number_enc = models.TextField("账号（密文）")
    number_index = models.CharField("账号索引", max_length=40, db_index=True)
    number_masked = models.CharField("账号（脱敏）", max_length=32)
    status = models.CharField("状态", max_length=8, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    synthetic = models.BooleanField("演示用合成账户", default=False)
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="更正前账户")
    reason = models.CharField("登记/更正原因", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "代发账户"
        verbose_name_plural = "代发账户"
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="active"),
                                    name="one_active_account_per_person"),
        ]


class PayeeOrganisation(models.Model):
    """An organisation paid by one-off payments (e.g. a canteen's operator,
    paid the meal-subsidy settlement, ADR 0032): its name, USCC and bank
    account (``number_enc`` AES-GCM like ``PayeeAccount``; lists show
    ``number_masked``; the bank return is matched through ``number_index``).
    A correction is a new row and the old one is closed, never an edit."""

    name = models.CharField("单位名称", max_length=100)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    uscc_masked = models.CharField("统一社会信用代码（脱敏）", max_length=18, blank=True)
    bank_name = models.CharField("开户银行", max_length=64)
    number_enc = models.TextField("账号（密文）")
    number_index = models.CharField("账号索引", max_length=40, db_index=True)
    number_masked = models.CharField("账号（脱敏）", max_length=32)
    status = models.CharField("状态", max_length=8, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    synthetic = models.BooleanField("演示用合成账户", default=False)
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="更正前账户")
    reason = models.CharField("登记/更正原因", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "收款单位"
        verbose_name_plural = "收款单位"

    def __str__(self) -> str:
        return self.name


class BatchKind(models.TextChoices):
    REGULAR = "regular", "月度发放"
    REISSUE = "reissue", "失败重发"
    ONE_OFF = "one_off", "一次性补贴"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEWED = "reviewed", "已复核"
    APPROVED = "approved", "已审批"
    EXPORTED = "exported", "已导出"
    RECONCILED = "reconciled", "已对账"


# Statuses whose lines are final (approved and after).
FINAL_STATUSES = (BatchStatus.APPROVED, BatchStatus.EXPORTED, BatchStatus.RECONCILED)


class PaymentBatch(models.Model):
    """One batch of payments for one program: the month's regular batch, or a
    re-issue batch for failed lines. ``control_*`` are the control totals
    fixed when the batch was prepared; the closed-loop check compares them
    with the lines, the bank file and the bank's returns."""

    number = models.CharField("批次号", max_length=32, unique=True)
    program = models.CharField("救助项目", max_length=64, db_index=True)
    month = models.CharField("发放月份", max_length=7, db_index=True)
    kind = models.CharField("批次类型", max_length=8, choices=BatchKind.choices, default=BatchKind.REGULAR)
    status = models.CharField("状态", max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    decision_run_id = models.BigIntegerField("测算批次", null=True, blank=True)
    prepared_by = models.CharField("制单人", max_length=150)
    # Everyone who added, removed or adjusted lines: all of them are preparers
    # of this batch and may neither review nor approve it (maker-checker).
    preparers = models.JSONField("参与制单人员", default=list, blank=True)
    prepared_at = models.DateTimeField("制单时间", auto_now_add=True)
    reviewed_by = models.CharField("复核人", max_length=150, blank=True)
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    approved_by = models.CharField("审批人", max_length=150, blank=True)
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    exported_at = models.DateTimeField("导出时间", null=True, blank=True)
    reconciled_at = models.DateTimeField("对账时间", null=True, blank=True)
    control_count = models.PositiveIntegerField("控制笔数", default=0)
    control_total_fen = models.BigIntegerField("控制金额（分）", default=0)
    control_city_fen = models.BigIntegerField("市级资金（分）", default=0)
    control_district_fen = models.BigIntegerField("区级资金（分）", default=0)
    fund_split = models.JSONField("资金来源比例", default=dict)
    skipped = models.JSONField("未纳入本批次", default=dict, blank=True)
    # Lines on hold (已暂停发放, ``LineHold``): part of the control totals (the
    # lines stay in the batch) but not of the bank file: the file carries
    # control − held, and the closed-loop check holds both numbers to that.
    held_count = models.PositiveIntegerField("暂停发放笔数", default=0)
    held_total_fen = models.BigIntegerField("暂停发放金额（分）", default=0)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = "发放批次"
        verbose_name_plural = "发放批次"
        constraints = [
            models.UniqueConstraint(fields=["program", "month"], condition=Q(kind="regular"),
                                    name="one_regular_batch_per_program_month"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class BatchNumberCounter(models.Model):
    """The last batch number issued per prefix and month (e.g. ``FF202508``).
    Incremented inside the batch's own transaction, so a batch that is never
    committed (a killed run) does not use up a number: numbers have no gaps."""

    key = models.CharField(max_length=16, primary_key=True)
    last = models.PositiveIntegerField(default=0)


class BatchEvent(models.Model):
    """One status change of a batch (its history; never changed)."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.CharField("办理人", max_length=150)
    note = models.CharField("说明", max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class LineKind(models.TextChoices):
    REGULAR = "regular", "正常发放"
    BACKPAY = "backpay", "补发"
    ADJUSTMENT = "adjustment", "调整补差"
    REISSUE = "reissue", "失败重发"
    ONE_OFF = "one_off", "一次性发放"


# Kinds that pay a beneficiary's entitlement for a month: at most one per
# beneficiary, program and month (database constraint).
ENTITLEMENT_KINDS = (LineKind.REGULAR, LineKind.BACKPAY)


class PaymentLine(models.Model):
    """One payment to one beneficiary for one benefit month.

    ``beneficiary`` is ``h<household id>`` for household programs and
    ``p<person id>`` for person programs; ``person`` is the payee. The line
    keeps the payee's name, bank and masked account as sent.
    """

    id = models.BigAutoField(primary_key=True)
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="lines")
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField("类型", max_length=12, choices=LineKind.choices)
    program = models.CharField("救助项目", max_length=64)
    benefit_month = models.CharField("所属月份", max_length=7)
    beneficiary = models.CharField("保障对象", max_length=24)
    household_id = models.BigIntegerField("家庭", null=True, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="收款人")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    account = models.ForeignKey(PayeeAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="账户")
    # a one-off line paid to an organisation (ADR 0032) has no person and no person account
    organisation = models.ForeignKey(PayeeOrganisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="收款单位")
    payee_name = models.CharField("户名", max_length=64)
    bank_name = models.CharField("开户银行", max_length=64)
    account_masked = models.CharField("账号（脱敏）", max_length=32)
    amount_fen = models.BigIntegerField("金额（分）")
    city_fen = models.BigIntegerField("市级（分）")
    district_fen = models.BigIntegerField("区级（分）")
    amount_basis = models.CharField("金额依据", max_length=16)
    enrolment_id = models.BigIntegerField("保障记录", null=True, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
                                 verbose_name="更正的发放")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["batch", "seq"]
        verbose_name = "发放明细"
        verbose_name_plural = "发放明细"
        indexes = [
            models.Index(fields=["street", "committee"]),
            models.Index(fields=["person", "program", "benefit_month"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["program", "benefit_month", "beneficiary"],
                                    condition=Q(kind__in=["regular", "backpay"]),
                                    name="one_payment_per_beneficiary_program_month"),
            models.UniqueConstraint(fields=["corrects"], condition=Q(kind="reissue"),
                                    name="one_reissue_per_failed_line"),
            models.UniqueConstraint(fields=["batch", "seq"], name="line_seq_unique_in_batch"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="line_amount_positive"),
            models.CheckConstraint(condition=Q(city_fen__gte=0) & Q(district_fen__gte=0)
                                   & Q(amount_fen=F("city_fen") + F("district_fen")),
                                   name="line_fund_split_adds_up"),
            models.CheckConstraint(condition=Q(kind__in=["regular", "backpay", "one_off"])
                                   | Q(corrects__isnull=False),
                                   name="correction_links_what_it_corrects"),
            models.CheckConstraint(condition=Q(person__isnull=False, account__isnull=False, organisation__isnull=True)
                                   | Q(person__isnull=True, account__isnull=True, organisation__isnull=False,
                                       kind="one_off"),
                                   name="line_pays_a_person_or_an_organisation"),
        ]


class HoldReason(models.TextChoices):
    DEATH = "death", "保障对象或收款人已死亡"


class LineHold(models.Model):
    """A line of a batch not yet exported held back (已暂停发放): the payee or
    the person beneficiary died before the line's benefit month
    (``death_holds``). The line stays in its batch and in the control totals;
    it is left out of the bank file, the returns and the paid totals while the
    hold is active. Released (e.g. a death recorded in error) by staff before
    the batch is exported; never deleted (one row per line)."""

    line = models.OneToOneField(PaymentLine, on_delete=models.CASCADE, related_name="hold", verbose_name="发放明细")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="死亡人员")
    reason = models.CharField("暂停原因", max_length=8, choices=HoldReason.choices, default=HoldReason.DEATH)
    note = models.CharField("说明", max_length=200)
    held_by = models.CharField("暂停人", max_length=150)
    held_at = models.DateTimeField("暂停时间", auto_now_add=True)
    released_by = models.CharField("解除人", max_length=150, blank=True)
    released_at = models.DateTimeField("解除时间", null=True, blank=True)
    release_reason = models.CharField("解除原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "暂停发放"
        verbose_name_plural = "暂停发放"

    @property
    def active(self) -> bool:
        return self.released_at is None


class OneOffStatus(models.TextChoices):
    QUEUED = "queued", "待发放"
    BATCHED = "batched", "已纳入批次"
    PAID = "paid", "已发放"
    RETURNED = "returned", "退回"
    CANCELLED = "cancelled", "已撤销"


class OneOffPayment(models.Model):
    """A one-off payment (一次性补贴) requested by a domain app (e.g. the
    basic funeral subsidy to a family member), queued until a one-off batch of
    its program takes it (``one_off``). The payee is a person (``payee``) or an
    organisation (``payee_organisation``, ADR 0032), never both. ``reference`` names the request in the
    requesting app (``funeral_subsidies.Grant:12``): unique per program, so a
    repeated request is the same request."""

    program = models.CharField("补贴项目", max_length=64, db_index=True)
    payee = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="收款人")
    payee_organisation = models.ForeignKey(PayeeOrganisation, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name="收款单位")
    beneficiary = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="补贴对象")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    amount_fen = models.BigIntegerField("金额（分）")
    reference = models.CharField("业务编号", max_length=100)
    reason = models.CharField("发放事由", max_length=200)
    status = models.CharField("状态", max_length=10, choices=OneOffStatus.choices, default=OneOffStatus.QUEUED)
    line = models.OneToOneField(PaymentLine, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="one_off", verbose_name="发放明细")
    skipped_reason = models.CharField("未纳入批次原因", max_length=200, blank=True)
    requested_by = models.CharField("申请人", max_length=150)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    cancelled_by = models.CharField("撤销人", max_length=150, blank=True)
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "一次性补贴发放"
        verbose_name_plural = "一次性补贴发放"
        constraints = [
            models.UniqueConstraint(fields=["program", "reference"], name="one_off_reference_unique_per_program"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="one_off_amount_positive"),
            models.CheckConstraint(condition=Q(payee__isnull=False, payee_organisation__isnull=True)
                                   | Q(payee__isnull=True, payee_organisation__isnull=False),
                                   name="one_off_has_one_payee"),
        ]

    def __str__(self) -> str:
        return f"{self.program}:{self.reference}"


class FileKind(models.TextChoices):
    BANK_CSV = "bank_csv", "银行代发文件（CSV）"
    LEDGER_XLSX = "ledger_xlsx", "发放明细台账（Excel）"


class BankFile(models.Model):
    """A file produced from an approved batch, stored as issued."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=16, choices=FileKind.choices)
    file = models.FileField(upload_to="payments/files/%Y/")
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField()
    total_fen = models.BigIntegerField()
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "kind"], name="one_file_per_batch_and_kind")]


class ReturnImport(models.Model):
    """One bank return file imported for a batch."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="return_imports")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    paid_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    already_count = models.PositiveIntegerField(default=0)
    imported_by = models.CharField(max_length=150)
    imported_at = models.DateTimeField(auto_now_add=True)


class ReturnOutcome(models.TextChoices):
    PAID = "paid", "成功"
    FAILED = "failed", "失败"


class BankReturn(models.Model):
    """The bank's answer for one line (one per line)."""

    id = models.BigAutoField(primary_key=True)
    line = models.OneToOneField(PaymentLine, on_delete=models.PROTECT, related_name="bank_return")
    imported = models.ForeignKey(ReturnImport, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=8, choices=ReturnOutcome.choices)
    reason = models.CharField("失败原因", max_length=200, blank=True)


class Receivable(models.Model):
    """A person's receivable from overpaid benefits (追缴). The balance is the
    sum of its entries (``recovery.balance``), never stored."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "应追缴款"
        verbose_name_plural = "应追缴款"


class EntryKind(models.TextChoices):
    CHARGE = "charge", "应追缴"
    REPAYMENT = "repayment", "退回"
    WRITE_OFF = "write_off", "核销"


class EntryStatus(models.TextChoices):
    POSTED = "posted", "已入账"
    PROPOSED = "proposed", "待审批"
    REJECTED = "rejected", "未批准"


class ReceivableEntry(models.Model):
    """One entry of a receivable: a charge for one overpaid month of one
    program, a repayment, or a write-off (posted only once approved)."""

    receivable = models.ForeignKey(Receivable, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.POSTED)
    amount_fen = models.BigIntegerField("金额（分）")
    program = models.CharField(max_length=64, blank=True)
    benefit_month = models.CharField(max_length=7, blank=True)
    line = models.ForeignKey(PaymentLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    overpayment_case_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField("说明", max_length=200)
    reference = models.CharField("凭证号", max_length=64, blank=True)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="receivable_entry_positive"),
            models.UniqueConstraint(fields=["receivable", "program", "benefit_month"], condition=Q(kind="charge"),
                                    name="one_charge_per_person_program_month"),
        ]


class SamplePurpose(models.TextChoices):
    HOUSEHOLD_SURVEY = "household_survey", "百户调查"
    SPECIAL_CHECK = "special_check", "专项检查"


class SampleDraw(models.Model):
    """A random draw of beneficiaries per street, reproducible from ``seed``
    as long as the population (hash recorded per street) is unchanged."""

    purpose = models.CharField("类型", max_length=20, choices=SamplePurpose.choices)
    month = models.CharField("发放月份", max_length=7)
    program = models.CharField("救助项目", max_length=64, blank=True)
    per_street = models.PositiveIntegerField("每街镇抽取数")
    seed = models.BigIntegerField("随机种子")
    population = models.JSONField("总体（每街镇人数与哈希）", default=dict)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class CheckOutcome(models.TextChoices):
    PENDING = "pending", "待核查"
    CONFIRMED = "confirmed", "核查无误"
    FINDING = "finding", "发现问题"


class SampleCase(models.Model):
    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="cases")
    beneficiary = models.CharField(max_length=24)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=CheckOutcome.choices, default=CheckOutcome.PENDING)
    finding = models.TextField("核查情况", blank=True)
    checked_by = models.CharField(max_length=150, blank=True)
    checked_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["street", "beneficiary"]
        constraints = [models.UniqueConstraint(fields=["draw", "beneficiary"], name="one_case_per_draw_beneficiary")]
