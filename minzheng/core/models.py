"""Jurisdiction tree, staff accounts, API tokens and the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class DivisionLevel(models.TextChoices):
    DISTRICT = "district", "区"
    STREET = "street", "街镇"
    COMMITTEE = "committee", "居村委"


class DivisionKind(models.TextChoices):
    DISTRICT = "区", "区"
    SUBDISTRICT = "街道", "街道"
    TOWN = "镇", "镇"
    RESIDENTS = "居委会", "居委会"
    VILLAGE = "村委会", "村委会"


class Division(models.Model):
    """A node of the jurisdiction tree: district → street/town → committee.

    ``code`` is the statistics bureau's division code: 6 digits for the
    district, 9 for a street or town, 12 for a committee. A child's code
    starts with its parent's, so a scope is also a code prefix.
    """

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=DivisionLevel.choices)
    kind = models.CharField("类型", max_length=8, choices=DivisionKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name

    @property
    def street_code(self) -> str | None:
        """The street/town this division lies in (itself, for a street)."""
        if self.level == DivisionLevel.COMMITTEE:
            return self.code[:9]
        if self.level == DivisionLevel.STREET:
            return self.code
        return None


class Role(models.TextChoices):
    BUREAU = "bureau", "区民政局"
    STREET = "street", "街镇"
    COMMITTEE = "committee", "居村委"
    ADVISOR = "advisor", "社区救助顾问"
    AUDITOR = "auditor", "审计督查"
    REGISTRAR = "registrar", "婚姻登记员"
    FUNERAL_HOME = "funeral_home", "殡仪服务员"
    CEMETERY = "cemetery", "公墓工作人员"
    CARE_OPERATOR = "care_operator", "养老机构工作人员"
    CANTEEN = "canteen", "助餐点工作人员"
    ORGANIZATION = "organization", "社会组织"


class User(AbstractUser):
    """A staff account with one role and one scope in the jurisdiction tree."""

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.COMMITTEE)
    scope = models.ForeignKey(
        Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="辖区"
    )
    full_name = models.CharField("姓名", max_length=64, blank=True)
    post = models.CharField("单位和职务", max_length=100, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"


    @property
    def signature(self) -> str:
        """How documents and pages name this staff member: name and post, never the account name."""
        name = self.full_name.strip() or "（未登记姓名的工作人员）"
        return f"{name}（{self.post.strip()}）" if self.post.strip() else name


class ApiToken(models.Model):
    """A bearer token for the API. Only the SHA-256 of the key is stored.

    ``password_stamp`` ties the token to the password it was issued under:
    when the password changes (by any path: the admin, ``changepassword``,
    a service) every token issued before stops working."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    revoked_by = models.CharField(max_length=150, blank=True, default="")
    password_stamp = models.CharField(max_length=64, blank=True, default="")


class AuditEntry(models.Model):
    """One append-only, hash-chained entry of the audit trail.

    ``entry_hash`` = HMAC-SHA256 (key ``MINZHENG_AUDIT_KEY``, not in the
    database) over ``prev_hash`` and the canonical JSON of this entry's
    fields, so changing, removing or reordering any row breaks the chain from
    that row on; checkpoints outside the database reveal a cut-off tail (see
    ``minzheng.core.audit`` and ADR 0013).
    """

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField("时间", db_index=True)
    actor = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象", max_length=64, blank=True, db_index=True)
    scope_code = models.CharField("所属辖区", max_length=12, blank=True, db_index=True)
    changes = models.JSONField("变更内容", default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"


class HolidayYear(models.Model):
    """A year whose public-holiday arrangement (节假日安排) is known.

    Working-day arithmetic refuses any date in a year without a row here: the
    State Council publishes each year's arrangement (国务院办公厅关于××年部分节假日
    安排的通知) late in the previous year, and bureau staff record it then.
    Years up to 2026 are seeded from the ``chinesecalendar`` package.
    """

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    source = models.CharField("依据", max_length=200, blank=True)
    recorded_by = models.CharField("录入人", max_length=150, blank=True)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"

    def __str__(self) -> str:
        return f"{self.year}年"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class PublicHoliday(models.Model):
    """One special day of the calendar: a statutory holiday (放假, also when it
    falls on a weekend) or a make-up working day on a weekend (调休上班)."""

    date = models.DateField("日期", primary_key=True)
    kind = models.CharField("类型", max_length=8, choices=DayKind.choices)
    name = models.CharField("节日", max_length=32)
    year = models.ForeignKey(HolidayYear, on_delete=models.PROTECT, related_name="days", verbose_name="年度")

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日"
        verbose_name_plural = "节假日"

    def __str__(self) -> str:
        return f"{self.date} {self.name}{self.get_kind_display()}"
