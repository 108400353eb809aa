"""Department data (部门数据): received files, their validated records, the
rows kept aside with reasons, and the events derived from the records.

No model holds a plain ID number: a record carries the keyed blind index
(``person_index``, the registry's own index) and a masked copy for display.
"""

from __future__ import annotations

from django.db import models

from minzheng.registry.models import Person


class EventKind(models.TextChoices):
    DEATH = "death", "死亡"
    MOVED_OUT = "moved_out", "迁出本区"
    DISABILITY_NEW = "disability_new", "新办残疾人证"
    DISABILITY_CHANGED = "disability_changed", "残疾人证变更"
    JOB_LOSS = "job_loss", "失业（劳动合同终止）"
    LARGE_MEDICAL_BILL = "large_medical_bill", "大额医疗支出"


class FeedFile(models.Model):
    """One file received from a department, with its provenance and outcome.

    The SHA-256 of the file's bytes is unique per source, so the same file
    imported twice changes nothing.
    """

    source = models.CharField("数据来源", max_length=32, db_index=True)
    filename = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件SHA-256", max_length=64)
    size_bytes = models.BigIntegerField("文件大小（字节）", default=0)
    received_at = models.DateTimeField("接收时间")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    imported_by = models.CharField("导入人", max_length=150)
    period_start = models.DateField("数据起始日期", null=True, blank=True)
    period_end = models.DateField("数据截止日期", null=True, blank=True)
    complete_extract = models.BooleanField("全量数据（未列出的人员即查无记录）", default=False)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    good_rows = models.PositiveIntegerField("有效行数", default=0)
    new_records = models.PositiveIntegerField("新增记录", default=0)
    duplicate_rows = models.PositiveIntegerField("已有记录（未重复写入）", default=0)
    bad_rows = models.PositiveIntegerField("错误行数", default=0)
    unmatched_records = models.PositiveIntegerField("未匹配人员的记录", default=0)
    events_created = models.PositiveIntegerField("新增事件", default=0)
    deaths_recorded = models.PositiveIntegerField("登记死亡人数", default=0)
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = "部门数据文件"
        verbose_name_plural = "部门数据文件"
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "file_sha256"], name="feed_file_once_per_source")]

    def __str__(self) -> str:
        return f"{self.source} {self.filename}"


class FeedRecord(models.Model):
    """One validated row of a department file.

    ``key_hash`` is the SHA-256 (first 128 bits, hex) of the source's natural
    key (with the blind index in place of the ID number); it is unique per source, so overlapping
    files never duplicate a record. ``month``, ``event_date``, ``amount_fen``
    and ``category`` are the columns the source's ``record:`` section names;
    every other field stays in ``data``.
    """

    id = models.BigAutoField(primary_key=True)
    source = models.CharField("数据来源", max_length=32)
    # No database-level foreign keys on the two links below: records are only
    # written by the importer in the same transaction as their file, with
    # ``person`` set from an existing person's blind index, and a million
    # deferred FK checks at commit cost more than the rest of the import
    # (docs/adr/0005-department-data.md). The ORM still protects deletion.
    file = models.ForeignKey(FeedFile, on_delete=models.PROTECT, related_name="records", verbose_name="来源文件",
                             db_constraint=False)
    row_number = models.PositiveIntegerField("文件行号")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="人员", db_constraint=False, db_index=False)
    person_index = models.CharField("身份证号索引", max_length=40)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    key_hash = models.CharField("自然键哈希", max_length=32)
    month = models.DateField("所属月份", null=True, blank=True)
    event_date = models.DateField("日期", null=True, blank=True)
    amount_fen = models.BigIntegerField("金额（分）", null=True, blank=True)
    category = models.CharField("类别", max_length=32, blank=True)
    data = models.JSONField("其他字段", default=dict)

    class Meta:
        verbose_name = "部门数据记录"
        verbose_name_plural = "部门数据记录"
        constraints = [models.UniqueConstraint(fields=["source", "key_hash"], name="feed_record_natural_key")]
        indexes = [models.Index(fields=["person_index", "source"], name="feed_record_person_source")]

    def __str__(self) -> str:
        return f"{self.source} 第{self.row_number}行"

    @property
    def matched(self) -> bool:
        return self.person_id is not None


class QuarantinedRow(models.Model):
    """A row that failed validation: row number, column and the Chinese reason.

    ``raw`` is the row as received with any ID number masked.
    """

    file = models.ForeignKey(FeedFile, on_delete=models.PROTECT, related_name="quarantined", verbose_name="来源文件")
    row_number = models.PositiveIntegerField("行号")
    column = models.CharField("列", max_length=64, db_column="column_label")
    reason = models.CharField("原因", max_length=255)
    raw = models.JSONField("原始内容（已脱敏）", default=dict)

    class Meta:
        verbose_name = "错误行"
        verbose_name_plural = "错误行"
        ordering = ["file", "row_number", "id"]


class FeedEvent(models.Model):
    """An event derived from department data, recorded once (``dedupe_key``)."""

    kind = models.CharField("事件", max_length=32, choices=EventKind.choices)
    dedupe_key = models.CharField("去重键", max_length=200, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="人员")
    person_index = models.CharField("身份证号索引", max_length=40, db_index=True)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    name = models.CharField("姓名", max_length=64, blank=True)
    event_date = models.DateField("事件日期")
    source = models.CharField("数据来源", max_length=32)
    record = models.ForeignKey(FeedRecord, on_delete=models.PROTECT, related_name="events", verbose_name="来源记录")
    details = models.JSONField("详情", default=dict)
    registry_updated = models.BooleanField("已更新人口库", default=False)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门数据事件"
        verbose_name_plural = "部门数据事件"
        ordering = ["-event_date", "-id"]
        indexes = [models.Index(fields=["kind", "event_date"], name="feed_event_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id_number_masked} {self.event_date}"


class ReplyKind(models.TextChoices):
    COMPLETE_EXTRACT = "complete_extract", "全量数据（未列出即查无记录）"
    NO_RECORD = "no_record", "查无记录"


class FeedReply(models.Model):
    """A department's answer that is not a record: either a whole file
    declared a complete extract of the district for its period (every
    person not in it has no record, ``person_index`` blank), or an explicit
    "no record" reply about one person for a period (查无记录).

    Together with the records themselves (a record is a reply with data),
    these tell a verification whether a source has **replied** for a member
    and a month or date — or has not replied yet, which is never read as
    zero (docs/adr/0011-economic-facts.md).
    """

    source = models.CharField("数据来源", max_length=32)
    kind = models.CharField("回复类型", max_length=16, choices=ReplyKind.choices)
    file = models.ForeignKey(FeedFile, on_delete=models.PROTECT, null=True, blank=True, related_name="replies",
                             verbose_name="来源文件")
    person_index = models.CharField("身份证号索引", max_length=40, blank=True)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18, blank=True)
    period_start = models.DateField("回复期间起")
    period_end = models.DateField("回复期间止")
    reference = models.CharField("回复文号", max_length=64, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门回复"
        verbose_name_plural = "部门回复"
        ordering = ["source", "-period_end", "-id"]
        indexes = [models.Index(fields=["source", "person_index"], name="feed_reply_source_person")]
        constraints = [models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                              name="feed_reply_period_ordered")]
