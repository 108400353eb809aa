"""Cemeteries and columbaria (公墓和骨灰堂) of the district: the register, its
sections and plot types with capacity/sold/used counts, price lists, the
bureau's price caps (价格管控) and the yearly inspection (公墓年检).

Decisions: docs/adr/0025-cemeteries.md. The bureau's 2023 report asks for
"落实经营性公墓价格管控" and "开展全区殡葬服务单位年度验审"; the 2024 plan for
"扎实做好公墓年检工作" and "完成街镇公益性骨灰堂选址布点" (a columbarium
being sited is registered with status 规划中).

:class:`Cemetery` is a public interface (the sweeping helper builds tomb-sweeping
reservations per cemetery): keep its name and fields stable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.core.models import Division


class CemeteryKind(models.TextChoices):
    """经营性 (commercial, prices under the bureau's caps) or 公益性 (public
    welfare, for the residents of its town, prices set by the authorities);
    公墓 (graves) or 骨灰堂 (a columbarium: niches in a building)."""

    COMMERCIAL_CEMETERY = "commercial_cemetery", "经营性公墓"
    PUBLIC_CEMETERY = "public_cemetery", "公益性公墓"
    COMMERCIAL_COLUMBARIUM = "commercial_columbarium", "经营性骨灰堂"
    PUBLIC_COLUMBARIUM = "public_columbarium", "公益性骨灰堂"


COMMERCIAL_KINDS = (CemeteryKind.COMMERCIAL_CEMETERY, CemeteryKind.COMMERCIAL_COLUMBARIUM)
PUBLIC_KINDS = (CemeteryKind.PUBLIC_CEMETERY, CemeteryKind.PUBLIC_COLUMBARIUM)


class CemeteryStatus(models.TextChoices):
    OPEN = "open", "在营"
    PLANNED = "planned", "规划中"  # being sited or built (街镇公益性骨灰堂选址布点)
    CLOSED = "closed", "停业"


class Cemetery(models.Model):
    """One cemetery or columbarium, in one street/town (``street``: a core
    Division of level street), run by ``operator``."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=32, choices=CemeteryKind.choices)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="所在街镇")
    operator = models.CharField("经营（管理）单位", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    licence_number = models.CharField("批准文号", max_length=100, blank=True)
    status = models.CharField("状态", max_length=16, choices=CemeteryStatus.choices, default=CemeteryStatus.OPEN)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["street_id", "name"]
        verbose_name = "公墓或骨灰堂"
        verbose_name_plural = "公墓和骨灰堂"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in CemeteryKind]),
                                   name="cemetery_kind_known"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in CemeteryStatus]),
                                   name="cemetery_status_known"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_commercial(self) -> bool:
        """经营性: its prices are under the bureau's caps (ADR 0025)."""
        return self.kind in COMMERCIAL_KINDS

    @property
    def is_columbarium(self) -> bool:
        return self.kind in (CemeteryKind.COMMERCIAL_COLUMBARIUM, CemeteryKind.PUBLIC_COLUMBARIUM)


# --- the register: sections, plot types and their counts ---------------------

class PlotKind(models.TextChoices):
    """Kinds of burial place. 节地生态 (land-saving, ecological: ADR 0025) are
    wall, tree, lawn and flower-bed burial and columbarium niches
    (:data:`ECO_PLOT_KINDS`); the traditional grave and the small grave are not
    (the small grave's share is reported on its own: "加强小型墓安葬比例")."""

    TRADITIONAL = "traditional", "传统墓"
    SMALL = "small", "小型墓"
    WALL = "wall", "壁葬"
    TREE = "tree", "树葬"
    LAWN = "lawn", "草坪葬"
    FLOWERBED = "flowerbed", "花坛葬"
    NICHE = "niche", "骨灰堂格位"


ECO_PLOT_KINDS = frozenset({PlotKind.WALL, PlotKind.TREE, PlotKind.LAWN, PlotKind.FLOWERBED, PlotKind.NICHE})


def is_eco(plot_kind: str) -> bool:
    """节地生态葬式? (ADR 0025)."""
    return plot_kind in ECO_PLOT_KINDS


class Section(models.Model):
    """A section (墓区) of a cemetery, or a hall/floor of a columbarium."""

    cemetery = models.ForeignKey(Cemetery, on_delete=models.CASCADE, related_name="sections", verbose_name="公墓")
    name = models.CharField("墓区名称", max_length=64)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["cemetery_id", "name"]
        verbose_name = "墓区"
        verbose_name_plural = "墓区"
        constraints = [models.UniqueConstraint(fields=["cemetery", "name"], name="cemetery_section_name_unique")]

    def __str__(self) -> str:
        return self.name


class PlotStock(models.Model):
    """How many places of one kind a section has (``capacity``), has sold
    (``sold``: a right of use sold or allotted) and has used (``used``: ashes
    buried). Changed only through the services; the database refuses a negative
    count, ``sold > capacity`` or ``used > sold``."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="stocks", verbose_name="墓区")
    plot_kind = models.CharField("墓穴（格位）类型", max_length=16, choices=PlotKind.choices)
    capacity = models.PositiveIntegerField("容量")
    sold = models.PositiveIntegerField("已售（已安排）", default=0)
    used = models.PositiveIntegerField("已安葬", default=0)

    class Meta:
        ordering = ["section_id", "plot_kind"]
        verbose_name = "墓区墓穴数量"
        verbose_name_plural = "墓区墓穴数量"
        constraints = [
            models.UniqueConstraint(fields=["section", "plot_kind"], name="cemetery_stock_unique"),
            models.CheckConstraint(condition=models.Q(plot_kind__in=[k.value for k in PlotKind]),
                                   name="cemetery_stock_kind_known"),
            models.CheckConstraint(condition=models.Q(capacity__gte=0, sold__gte=0, used__gte=0),
                                   name="cemetery_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(sold__lte=models.F("capacity")),
                                   name="cemetery_stock_sold_within_capacity"),
            models.CheckConstraint(condition=models.Q(used__lte=models.F("sold")),
                                   name="cemetery_stock_used_within_sold"),
        ]

    @property
    def is_eco(self) -> bool:
        return is_eco(self.plot_kind)

    @property
    def remaining(self) -> int:
        return self.capacity - self.sold


# --- prices and the bureau's caps (价格管控) -----------------------------------

class Price(models.Model):
    """One entry of a cemetery's price list: the price of a plot kind from a
    date on. Never changed: a new price is a new row (the history is kept);
    the price in force on a day is the row with the latest ``effective_from``
    on or before it. A 经营性 cemetery's price may not exceed the cap in force
    on its date; a 公益性 one's is set by the authorities (``basis`` required)."""

    cemetery = models.ForeignKey(Cemetery, on_delete=models.CASCADE, related_name="prices", verbose_name="公墓")
    plot_kind = models.CharField("墓穴（格位）类型", max_length=16, choices=PlotKind.choices)
    price_fen = models.PositiveBigIntegerField("价格（分）")
    effective_from = models.DateField("执行日期")
    basis = models.CharField("定价依据", max_length=200, blank=True)
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["cemetery_id", "plot_kind", "-effective_from"]
        verbose_name = "公墓价格"
        verbose_name_plural = "公墓价格"
        constraints = [
            models.UniqueConstraint(fields=["cemetery", "plot_kind", "effective_from"], name="cemetery_price_unique"),
            models.CheckConstraint(condition=models.Q(price_fen__gt=0), name="cemetery_price_positive"),
        ]


class PriceCap(models.Model):
    """A cap (最高限价) the bureau set on a plot kind from a date on, for every
    经营性 cemetery (``cemetery`` empty) or for one (``cemetery``: replaces the
    district-wide cap there), citing the document that set it. Never changed:
    a new cap is a new row. No cap values are known from policy: every cap
    in the demo is demo data."""

    cemetery = models.ForeignKey(Cemetery, on_delete=models.CASCADE, null=True, blank=True, related_name="caps",
                                 verbose_name="适用公墓（空为全区经营性公墓）")
    plot_kind = models.CharField("墓穴（格位）类型", max_length=16, choices=PlotKind.choices)
    cap_fen = models.PositiveBigIntegerField("最高限价（分）")
    effective_from = models.DateField("执行日期")
    citation = models.CharField("限价文件", max_length=200)
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["plot_kind", "-effective_from"]
        verbose_name = "公墓最高限价"
        verbose_name_plural = "公墓最高限价"
        constraints = [
            models.UniqueConstraint(fields=["plot_kind", "effective_from"], condition=models.Q(cemetery__isnull=True),
                                    name="cemetery_cap_district_unique"),
            models.UniqueConstraint(fields=["cemetery", "plot_kind", "effective_from"],
                                    condition=models.Q(cemetery__isnull=False), name="cemetery_cap_site_unique"),
            models.CheckConstraint(condition=models.Q(cap_fen__gt=0), name="cemetery_cap_positive"),
            models.CheckConstraint(condition=~models.Q(citation=""), name="cemetery_cap_citation_required"),
        ]


# --- the yearly inspection (公墓年检) -------------------------------------------

class ChecklistCategory(models.TextChoices):
    LICENCE = "licence", "资质证照"
    PRICE = "price", "价格管理"
    SERVICE = "service", "安葬服务"
    ECO = "eco", "节地生态"
    SAFETY = "safety", "安全管理"
    RECORDS = "records", "档案管理"
    ENVIRONMENT = "environment", "环境设施"


class ChecklistVersion(models.Model):
    """The checklist of one year. A new year's checklist starts as a copy of
    the latest earlier one (``copied_from``); staff then edit it."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name="复制自")
    created_by = models.CharField("建立人", max_length=150)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "年检检查表"
        verbose_name_plural = "年检检查表"

    def __str__(self) -> str:
        return f"{self.year}年度公墓年检检查表"


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="items",
                                verbose_name="检查表")
    position = models.PositiveSmallIntegerField("序号")
    category = models.CharField("类别", max_length=16, choices=ChecklistCategory.choices)
    text = models.CharField("检查内容", max_length=300)

    class Meta:
        ordering = ["version_id", "position", "id"]
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        constraints = [models.CheckConstraint(condition=models.Q(category__in=[c.value for c in ChecklistCategory]),
                                              name="cemetery_item_category_known")]

    def __str__(self) -> str:
        return self.text


class Inspection(models.Model):
    """The yearly inspection of one cemetery (one per cemetery and year)."""

    cemetery = models.ForeignKey(Cemetery, on_delete=models.PROTECT, related_name="inspections", verbose_name="公墓")
    year = models.PositiveSmallIntegerField("年度")
    checklist = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="inspections",
                                  verbose_name="检查表")
    inspected_on = models.DateField("检查日期")
    inspectors = models.CharField("检查人员", max_length=200)
    note = models.TextField("检查意见", blank=True)
    created_by = models.CharField("录入人", max_length=150)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "cemetery_id"]
        verbose_name = "公墓年检"
        verbose_name_plural = "公墓年检"
        constraints = [models.UniqueConstraint(fields=["cemetery", "year"], name="cemetery_inspection_per_year")]

    def __str__(self) -> str:
        return f"{self.cemetery.name} {self.year}年度年检"


class ItemResult(models.TextChoices):
    PASS = "pass", "符合"
    FAIL = "fail", "不符合"
    NOT_APPLICABLE = "na", "不适用"


class InspectionResult(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results",
                                   verbose_name="年检")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="results", verbose_name="检查项")
    result = models.CharField("检查结果", max_length=8, choices=ItemResult.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["item__position", "item_id"]
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="cemetery_result_unique"),
            models.CheckConstraint(condition=models.Q(result__in=[r.value for r in ItemResult]),
                                   name="cemetery_result_known"),
        ]


class Rectification(models.Model):
    """A finding of an inspection (an item found 不符合, or a finding of its own)
    and its rectification (整改): deadline, responsible person, the done date
    the cemetery reports, and the bureau's verification. Overdue (逾期): the
    deadline has passed and it is not verified."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="rectifications",
                                   verbose_name="年检")
    result = models.ForeignKey(InspectionResult, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="rectifications", verbose_name="不符合项")
    finding = models.CharField("发现的问题", max_length=300)
    requirement = models.CharField("整改要求", max_length=300, blank=True)
    deadline = models.DateField("整改期限")
    responsible = models.CharField("整改责任人", max_length=64)
    done_on = models.DateField("整改完成日期", null=True, blank=True)
    done_note = models.CharField("整改情况", max_length=300, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="验证人")
    verified_on = models.DateField("验证日期", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = "年检整改"
        verbose_name_plural = "年检整改"
        constraints = [
            models.CheckConstraint(condition=models.Q(verified_on__isnull=True) | models.Q(done_on__isnull=False),
                                   name="cemetery_rectification_verified_after_done"),
        ]

    def is_overdue(self, today) -> bool:
        """逾期: the deadline has passed and the bureau has not verified it."""
        return self.verified_on is None and self.deadline < today


class RectificationStatus(models.TextChoices):
    """Derived, never stored (depends on the day): see :func:`rectification_status`."""

    OPEN = "open", "整改中"
    DONE = "done", "已整改待验证"
    VERIFIED = "verified", "已验证"
    OVERDUE = "overdue", "逾期"


def rectification_status(rectification: Rectification, today) -> RectificationStatus:
    if rectification.verified_on is not None:
        return RectificationStatus.VERIFIED
    if rectification.deadline < today:
        return RectificationStatus.OVERDUE
    if rectification.done_on is not None:
        return RectificationStatus.DONE
    return RectificationStatus.OPEN


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    return f"cemeteries/evidence/{instance.rectification.inspection.year}/{filename}"


class Evidence(models.Model):
    """A file showing a rectification was done (photo, scan, PDF)."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence",
                                      verbose_name="整改")
    file = models.FileField("文件", upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField("上传人", max_length=150)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"


class Outcome(models.TextChoices):
    """The inspection's outcome, derived (ADR 0025, :func:`selectors.inspection_outcome`)."""

    PENDING = "pending", "检查未完成"
    PASSED = "passed", "合格"
    RECTIFY = "rectify", "限期整改"
    FAILED = "failed", "不合格"
