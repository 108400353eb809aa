"""The platform side of the policy engine: CPI data, one-off grant
definitions, and the stored decisions of each monthly batch run.

The rules themselves live in the pure ``policy`` package; nothing here
computes eligibility.
"""

from __future__ import annotations

from django.db import models

from minzheng.core.months import month_label
from minzheng.eligibility.cpi_months import cpi_payment_month


class CpiMonth(models.Model):
    """Shanghai CPI year-on-year rises for a month (data, not a parameter;
    the price-subsidy notice cited in `policy/parameters/price_subsidy/cpi_trigger.yaml`). Entered or imported by bureau staff."""

    month = models.CharField("月份", max_length=7, unique=True)
    all_yoy_pct = models.DecimalField("CPI同比涨幅（%）", max_digits=5, decimal_places=2)
    food_yoy_pct = models.DecimalField("食品价格同比涨幅（%）", max_digits=5, decimal_places=2)
    source = models.CharField("数据来源", max_length=200, blank=True)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = "CPI 月度数据"
        verbose_name_plural = "CPI 月度数据"

    def as_policy_input(self) -> dict[str, str]:
        return {"all_yoy_pct": str(self.all_yoy_pct), "food_yoy_pct": str(self.food_yoy_pct)}

    @property
    def payment_month(self) -> str:
        """The benefit month this month's figures trigger (M + 1, REFERENCE §9)."""
        return cpi_payment_month(self.month)

    @property
    def applies_to_text(self) -> str:
        return f"用于{month_label(self.payment_month)}的价格临时补贴"


class GrantDefinition(models.Model):
    """A one-off grant (e.g. 春节帮困送温暖) defined by bureau staff as data:
    target groups + amount + month. Evaluated as program ``one_off:<name>``."""

    name = models.SlugField("代号", max_length=48, unique=True)
    label = models.CharField("名称", max_length=100)
    month = models.CharField("发放月份", max_length=7)
    amount_fen = models.BigIntegerField("每人金额（分）")
    target_groups = models.JSONField("发放对象")
    reference = models.CharField("依据文件", max_length=200, blank=True)
    active = models.BooleanField("有效", default=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "name"]
        verbose_name = "一次性补助"
        verbose_name_plural = "一次性补助"


class RunStatus(models.TextChoices):
    RUNNING = "running", "运行中"
    CURRENT = "current", "当前结果"
    SUPERSEDED = "superseded", "已被替换"
    FAILED = "failed", "失败"


class DecisionRun(models.Model):
    """One whole-district evaluation for a month.

    Decisions are written under a new run; the run becomes ``current`` in one
    short transaction that also supersedes the month's previous run, so a
    reader always sees one complete run per month (ADR 0004).
    """

    month = models.CharField("月份", max_length=7, db_index=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    parameter_set = models.CharField("参数集哈希", max_length=64)
    rules_version = models.CharField("规则版本", max_length=32)
    actor = models.CharField(max_length=150)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    household_count = models.PositiveIntegerField(default=0)
    person_count = models.PositiveIntegerField(default=0)
    households_facts_missing = models.PositiveIntegerField("收入或财产不明未测算的家庭", default=0)
    stored_rows = models.PositiveBigIntegerField(default=0)
    cpi = models.JSONField(null=True, blank=True)
    # The month whose CPI figures ``cpi`` are (M − 1, REFERENCE §9); empty for
    # runs stored before it was recorded (shown as 未记录, never guessed).
    cpi_month = models.CharField("所用CPI数据月份", max_length=7, blank=True, default="")
    grants = models.JSONField(default=list)
    reason_vocabulary = models.JSONField(default=dict)  # program → reason codes in bit order
    program_counts = models.JSONField(default=dict)
    street_counts = models.JSONField(default=dict)
    timings = models.JSONField(default=dict)
    snapshot = models.CharField("输入快照文件", max_length=255, blank=True)
    # ``inputs.snapshot_digest`` of the inputs: a later run of the month with the same inputs shares the file
    snapshot_digest = models.CharField(max_length=64, blank=True, default="")
    # ``ParameterSet.in_force_json(month)`` at the run: the exact values it
    # used, so ``explain`` re-evaluates with them after the files change
    # (``policy.parameters_from_in_force``). Null for runs before it was kept.
    parameters_in_force = models.JSONField("当月生效的政策参数", null=True, blank=True)
    # Differences-only storage (ADR 0019): a run with a base stores only the
    # rows that differ from the base run's (and a ``removed`` row for each of
    # the base's rows it no longer has); its full set is read through
    # ``selectors.run_decisions``. A base is always a run stored in full.
    base_run = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="差异存储所依据的批次")
    written_rows = models.PositiveBigIntegerField("本批次实际写入行数", default=0)
    written_digest = models.CharField(max_length=64, blank=True, default="")  # ``storage.rows_digest`` of what it wrote
    # False once the run's own rows are deleted (superseded or failed, and no
    # current run builds on it): ``stored_rows`` then only counts what it had.
    rows_present = models.BooleanField(default=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(status="current"), name="one_current_run_per_month"
            )
        ]


class Decision(models.Model):
    """One program's outcome for one household (``person_id`` null) or person.

    Read a run's decisions only through ``selectors.run_decisions`` (or
    ``run_decisions_sql``): a run may store only its differences from a base
    run (ADR 0019). On PostgreSQL the table is partitioned by run (LIST on
    ``run_id``, one partition per run, dropped with the run).

    ``reason_mask`` bit *i* is the *i*-th code of the run's
    ``reason_vocabulary[program]``. The parameter-set hash and rules version
    are the run's. Person rows that fail the program's screening (e.g. under
    65 for the elderly allowance) are not stored (ADR 0004).
    """

    id = models.BigAutoField(primary_key=True)
    # No database FK: a per-row referential check would double the bulk write
    # time; rows are only ever written and deleted together with their run by
    # ``decision_run_month`` (ADR 0004).
    run = models.ForeignKey(DecisionRun, on_delete=models.DO_NOTHING, related_name="decisions", db_index=False,
                            db_constraint=False)
    program = models.CharField(max_length=64)
    household_id = models.BigIntegerField()
    person_id = models.BigIntegerField(null=True)
    street_id = models.CharField(max_length=9)
    committee_id = models.CharField(max_length=12)
    eligible = models.BooleanField()
    amount_fen = models.BigIntegerField()
    reason_mask = models.BigIntegerField()
    # In a run stored as differences (ADR 0019): the base run's row with this
    # (program, household, person) is not part of this run.
    removed = models.BooleanField(default=False, db_default=False)

    class Meta:
        indexes = [
            # only the eligible rows (~5% of a run): what the summary, automatic enrolment and leads read
            # by program; a fraction of the full index's build time in every batch (ADR 0019 §7)
            models.Index(fields=["run", "program"], condition=models.Q(eligible=True),
                         name="eligibility_run_eligible_idx"),
            models.Index(fields=["run", "household_id"]),
        ]
