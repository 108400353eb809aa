"""The death record (公民身故“一件事”): one record per deceased, with every
source that reported the death (ADR 0023).

* :class:`DeathRecord` — the one record per ID number (blind index unique):
  the person in the registry if matched (a person not in our registry is kept
  as 未匹配人口库), the death date that stands, the status and the
  consequences already carried out (a JSON summary for the family checklist).
* :class:`DeathReport` — each source's report (funeral home, hospital,
  police, department data, family at the window), as reported, never
  overwritten. A report whose death date differs from the record's flags the
  record 待核实（来源日期不一致）; the first date stands (ADR 0023).

ID numbers are stored as registry.Person stores them: encrypted, with a keyed
blind index and a masked copy (core.personal_data, ADR 0002). A department
feed gives only the blind index and the masked number, so a record first made
from an unmatched feed event may have no ciphertext (``id_number_enc`` empty).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.core.models import Division
from minzheng.registry.models import Person


class DeathStatus(models.TextChoices):
    PROCESSED = "processed", "已登记并处理"
    CONFLICT = "conflict", "待核实（来源日期不一致）"
    UNMATCHED = "unmatched", "未匹配人口库"


class SourceKind(models.TextChoices):
    FUNERAL_HOME = "funeral_home", "殡仪馆火化记录"
    HOSPITAL = "hospital", "医院死亡医学证明"
    POLICE = "police", "公安死亡注销"
    FEED = "feed", "部门数据"
    FAMILY = "family", "家属窗口申报"


class DeathRecord(models.Model):
    """The one record of a death (see the module docstring)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="人口库人员")
    name = models.CharField("姓名", max_length=64)
    id_number_enc = models.TextField("身份证号（密文）", blank=True, default="")
    id_number_index = models.CharField("身份证号索引", max_length=40, unique=True)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    death_date = models.DateField("死亡日期", db_index=True)
    status = models.CharField("状态", max_length=16, choices=DeathStatus.choices)
    # where the record belongs (scope): the person's street and committee when
    # matched; for an unmatched record the reporting street window's street (or none: district only)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="居村委")
    consequences = models.JSONField("已办理的联动事项", default=dict, blank=True)
    processed_at = models.DateTimeField("联动办理时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-death_date", "-id"]
        verbose_name = "死亡登记"
        verbose_name_plural = "死亡登记"
        indexes = [models.Index(fields=["street", "committee"], name="death_record_scope"),
                   models.Index(fields=["status", "death_date"], name="death_record_status")]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"


class DeathReport(models.Model):
    """One source's report of a death, as reported."""

    record = models.ForeignKey(DeathRecord, on_delete=models.PROTECT, related_name="reports",
                               verbose_name="死亡登记")
    source = models.CharField("来源", max_length=16, choices=SourceKind.choices)
    reference = models.CharField("文书编号", max_length=60, blank=True, default="")
    name = models.CharField("报告的姓名", max_length=64)
    death_date = models.DateField("报告的死亡日期")
    place = models.CharField("死亡地点", max_length=100, blank=True, default="")
    reporter = models.CharField("报告人", max_length=64, blank=True, default="")
    note = models.CharField("备注", max_length=200, blank=True, default="")
    # department data: the feed event this report came from (once per event)
    feed_event = models.OneToOneField("feeds.FeedEvent", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="部门数据事件")
    date_differs = models.BooleanField("死亡日期与登记不一致", default=False)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name="登记账号")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["record", "recorded_at", "id"]
        verbose_name = "死亡信息来源"
        verbose_name_plural = "死亡信息来源"

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.death_date}"
