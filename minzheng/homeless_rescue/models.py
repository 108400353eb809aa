"""流浪乞讨人员救助: rescued persons, rescues, services, extreme-weather campaigns
(issue 17, ADR 0038).

The seed (2023 summary (一)四): "严格做好‘寒冬送温暖’专项救助行动，加强与公安、城管、
卫健等部门的联动协作，指导各街镇做好极端天气下的流浪人员、临时遇困人员救助工作，年内共
救助 366 人次"; and for 2024: "继续深化‘情暖归途’救助管理服务品牌". The legal frame is
《城市生活无着的流浪乞讨人员救助管理办法》（国务院令第381号） and its 实施细则（民政部令
第24号）: help is voluntary (办法 第六条 — a person may leave at any time), the
services are food, shelter, medical treatment, contacting family and a ticket home
(办法 第八条), and the result is recorded.

A **rescued person** (:class:`RescuedPerson`) is one person however often rescued:
identified by the ID number when one is known (encrypted, blind index, masked —
ADR 0002; linked to the registry's person when the district holds one), otherwise
by a description and photos with the identity pending. A repeat rescue with the same
ID number finds the same person (the blind index); an unidentified person later
identified is merged by staff (:class:`PersonMerge` keeps what moved, so the merge
can be undone). A **rescue** (:class:`Rescue`) is one person-time (人次): the seed's
366 counts rescues, not persons.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person

LATITUDE_RANGE = (30.6, 31.95)
LONGITUDE_RANGE = (120.8, 122.25)
"""Where a rescue can be found: Shanghai's extent (about 30°40′–31°53′ N,
120°52′–122°12′ E, with a margin). Songjiang's streets lie well inside; a point
outside is a typing error (swapped latitude and longitude, a missing decimal point)."""


class Kind(models.Model):
    """A kind kept as data (who found the person, which service): a code, a Chinese
    label and an order; the bureau may add kinds, none is deleted once used."""

    code = models.SlugField("代码", max_length=32, unique=True)
    label = models.CharField("名称", max_length=32, unique=True)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class FinderKind(Kind):
    """Who found or referred the person: 公安民警, 城管执法, 街镇巡查, 本人求助 …"""

    class Meta(Kind.Meta):
        verbose_name = "发现来源"
        verbose_name_plural = "发现来源"


class ServiceKind(Kind):
    """A service given (办法 第八条): 餐食, 衣被, 站内住宿, 医疗救治转送, 返乡车票 … with its unit."""

    unit = models.CharField("计量单位", max_length=8)
    max_quantity = models.PositiveSmallIntegerField("单次最大数量", default=30)

    class Meta(Kind.Meta):
        verbose_name = "救助服务"
        verbose_name_plural = "救助服务"
        constraints = [models.CheckConstraint(condition=Q(max_quantity__gte=1) & Q(max_quantity__lte=999),
                                              name="rescue_service_kind_max_range")]


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"
    UNKNOWN = "U", "不详"


class Identity(models.TextChoices):
    IDENTIFIED = "identified", "身份已核实"
    PENDING = "pending", "身份待查"


class RescuedPerson(models.Model):
    """One person helped, however often. ``street`` is where the person was first
    recorded (the records' owner for scoping beside the rescues' streets)."""

    name = models.CharField("姓名", max_length=64, blank=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    age_estimate = models.PositiveSmallIntegerField("估计年龄", null=True, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    identity = models.CharField("身份", max_length=12, choices=Identity.choices, default=Identity.PENDING)
    id_number_enc = models.TextField("身份证号（密文）", blank=True, default="")
    id_number_index = models.CharField("身份证号索引", max_length=40, blank=True, default="", db_index=True)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18, blank=True, default="")
    registry_person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                        verbose_name="人口库人员")
    description = models.TextField("体貌特征", blank=True)
    hometown = models.CharField("自述户籍地或家乡", max_length=100, blank=True)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="登记街镇")
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="已合并至")
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "受助人员"
        verbose_name_plural = "受助人员"
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"],
                                    condition=Q(merged_into__isnull=True) & ~Q(id_number_index=""),
                                    name="rescued_person_one_per_id_number"),
            models.CheckConstraint(condition=Q(identity="pending") | ~Q(id_number_index=""),
                                   name="rescued_person_identified_has_id"),
            models.CheckConstraint(condition=Q(age_estimate__isnull=True) | Q(age_estimate__lte=120),
                                   name="rescued_person_age_range"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or f"身份不明人员（编号{self.pk}）"


def photo_upload_to(instance: PersonPhoto, filename: str) -> str:
    return f"homeless_rescue/photos/{filename}"


class PersonPhoto(models.Model):
    """A photo for recognising an unidentified person: PNG or JPEG, checked by its
    first bytes, stored sealed (AES-GCM, bound to ``token``), served only as an
    attachment to staff who see the person, every download audited."""

    person = models.ForeignKey(RescuedPerson, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to=photo_upload_to, max_length=200)
    token = models.CharField(max_length=32, unique=True)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=32)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField("上传人", max_length=150)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "受助人员照片"
        verbose_name_plural = "受助人员照片"


class PersonMerge(models.Model):
    """Staff found two records to be one person (typically an unidentified person
    later identified): the duplicate's rescues and photos moved to the record kept,
    the identity taken over when only the duplicate had one. What moved and both
    records' identity before are kept, so :func:`services.person_unmerge` can undo it."""

    keep = models.ForeignKey(RescuedPerson, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(RescuedPerson, on_delete=models.PROTECT, related_name="merges_as_duplicate")
    reason = models.CharField("合并依据", max_length=200)
    rescue_ids = models.JSONField("转移的救助记录", default=list)
    photo_ids = models.JSONField("转移的照片", default=list)
    keep_before = models.JSONField("保留记录合并前的身份信息", default=dict)
    duplicate_before = models.JSONField("被合并记录合并前的身份信息", default=dict)
    merged_by = models.CharField("合并人", max_length=150)
    merged_at = models.DateTimeField("合并时间", auto_now_add=True)
    undone_by = models.CharField("撤销人", max_length=150, blank=True)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undo_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = "受助人员合并"
        verbose_name_plural = "受助人员合并"


class WarningKind(models.TextChoices):
    COLD_WAVE = "cold_wave", "寒潮"
    LOW_TEMPERATURE = "low_temperature", "道路结冰/低温"
    SNOW = "snow", "暴雪"
    HEAT = "heat", "高温"
    RAINSTORM = "rainstorm", "暴雨"
    TYPHOON = "typhoon", "台风"


class WarningLevel(models.TextChoices):
    BLUE = "blue", "蓝色"
    YELLOW = "yellow", "黄色"
    ORANGE = "orange", "橙色"
    RED = "red", "红色"


class CampaignKind(models.TextChoices):
    COLD = "cold", "寒冬送温暖"
    HEAT = "heat", "高温天气救助"
    OTHER = "other", "其他极端天气救助"


CAMPAIGN_WARNINGS = {
    CampaignKind.COLD: {WarningKind.COLD_WAVE, WarningKind.LOW_TEMPERATURE, WarningKind.SNOW},
    CampaignKind.HEAT: {WarningKind.HEAT},
    CampaignKind.OTHER: {WarningKind.RAINSTORM, WarningKind.TYPHOON},
}
"""Which warnings may trigger which campaign (a cold-weather campaign on a heat warning is a mistake)."""


class WeatherWarning(models.Model):
    """A weather warning (气象预警) as staff entered it from the meteorological office's notice."""

    kind = models.CharField("预警种类", max_length=20, choices=WarningKind.choices)
    level = models.CharField("预警级别", max_length=8, choices=WarningLevel.choices)
    issued_at = models.DateTimeField("发布时间")
    issuer = models.CharField("发布单位", max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "气象预警"
        verbose_name_plural = "气象预警"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{self.get_level_display()}预警（{self.issued_at:%Y-%m-%d %H:%M}）"


class Campaign(models.Model):
    """An extreme-weather action (寒冬送温暖, heat waves), triggered by a warning,
    district-wide from ``starts_on`` until ``ends_on`` (open while empty). A rescue
    found on a day of the campaign is linked to it."""

    name = models.CharField("行动名称", max_length=64)
    kind = models.CharField("行动类型", max_length=8, choices=CampaignKind.choices)
    warning = models.ForeignKey(WeatherWarning, on_delete=models.PROTECT, related_name="campaigns",
                                verbose_name="触发预警")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    created_by = models.CharField("发起人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "极端天气专项救助行动"
        verbose_name_plural = "极端天气专项救助行动"
        constraints = [models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                              name="rescue_campaign_dates_ordered")]

    def __str__(self) -> str:
        return self.name


class PatrolShift(models.Model):
    """One patrol (巡查) of a town during a campaign: when, who, how many people met,
    how many refused help (救助自愿, 办法 第六条); the people helped are the rescues
    linked to the shift."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="shifts", verbose_name="行动")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    team = models.CharField("巡查人员", max_length=200)
    people_met = models.PositiveIntegerField("发现人数", null=True, blank=True)
    people_refused = models.PositiveIntegerField("劝导后拒绝救助人数", null=True, blank=True)
    note = models.CharField("情况说明", max_length=500, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = "巡查班次"
        verbose_name_plural = "巡查班次"
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="rescue_shift_times_ordered")]

    def __str__(self) -> str:
        return f"{self.street.name} {self.starts_at:%Y-%m-%d %H:%M} 巡查"


class Outcome(models.TextChoices):
    IN_CARE = "in_care", "救助中"
    RETURNED_HOME = "returned_home", "护送返乡（情暖归途）"
    PLACED = "placed", "安置（救助管理站、医疗或养老机构）"
    LEFT = "left", "自行离开"
    DIED = "died", "死亡"


class Rescue(models.Model):
    """One rescue (一人次): found when and where, by whom, the needs, the services,
    the outcome and its follow-up."""

    person = models.ForeignKey(RescuedPerson, on_delete=models.PROTECT, related_name="rescues",
                               verbose_name="受助人员")
    found_at = models.DateTimeField("发现时间", db_index=True)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="发现街镇")
    place = models.CharField("发现地点", max_length=200)
    latitude = models.DecimalField("纬度", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=8, decimal_places=5, null=True, blank=True)
    finder_kind = models.ForeignKey(FinderKind, on_delete=models.PROTECT, related_name="+", verbose_name="发现来源")
    finder_unit = models.CharField("发现单位或人员", max_length=100, blank=True)
    needs = models.TextField("救助需求")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="rescues",
                                 verbose_name="专项行动")
    shift = models.ForeignKey(PatrolShift, on_delete=models.PROTECT, null=True, blank=True, related_name="rescues",
                              verbose_name="巡查班次")
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices, default=Outcome.IN_CARE)
    outcome_on = models.DateField("结果日期", null=True, blank=True)
    outcome_note = models.CharField("去向或说明", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = "救助记录"
        verbose_name_plural = "救助记录"
        indexes = [models.Index(fields=["street", "found_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(outcome="in_care", outcome_on__isnull=True)
                                   | (~Q(outcome="in_care") & Q(outcome_on__isnull=False)),
                                   name="rescue_outcome_dated"),
            models.CheckConstraint(condition=Q(latitude__isnull=True, longitude__isnull=True)
                                   | Q(latitude__gte=LATITUDE_RANGE[0], latitude__lte=LATITUDE_RANGE[1],
                                       longitude__gte=LONGITUDE_RANGE[0], longitude__lte=LONGITUDE_RANGE[1]),
                                   name="rescue_coordinates_in_shanghai"),
        ]

    def __str__(self) -> str:
        return f"救助记录 {self.pk}"


class ServiceGiven(models.Model):
    rescue = models.ForeignKey(Rescue, on_delete=models.PROTECT, related_name="services", verbose_name="救助记录")
    kind = models.ForeignKey(ServiceKind, on_delete=models.PROTECT, related_name="+", verbose_name="服务")
    quantity = models.PositiveSmallIntegerField("数量")
    given_on = models.DateField("日期")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_on", "id"]
        verbose_name = "救助服务记录"
        verbose_name_plural = "救助服务记录"
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1) & Q(quantity__lte=999),
                                              name="rescue_service_quantity_range")]


class FollowUp(models.Model):
    """After the outcome: a call to the family, a visit to the placement, a hospital's news."""

    rescue = models.ForeignKey(Rescue, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="救助记录")
    on = models.DateField("日期")
    note = models.CharField("回访情况", max_length=500)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = "救助回访"
        verbose_name_plural = "救助回访"


class YearReport(models.Model):
    """A year's figure as the bureau reported it (the seed's 366 for 2023), shown
    beside the count of records, with the sentence it comes from."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    rescues = models.PositiveIntegerField("救助人次")
    source = models.CharField("出处", max_length=300)

    class Meta:
        ordering = ["-year"]
        verbose_name = "年度救助人次（报告数）"
        verbose_name_plural = "年度救助人次（报告数）"
