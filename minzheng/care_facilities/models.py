"""The elderly-care facility network (养老服务设施): every facility the bureau
plans, builds, runs or supervises, from a 家门口养老服务站 to a 养老院.

The seed (二、养老服务) names the kinds and the 2024 work plan counts them
("新增2家社区综合为老服务中心、1家社区长者食堂、5家家门口养老服务站、4家乡村长者
照护之家、1家长者运动健康之家、1家智慧养老院、2家养老院+互联网医院……100张认知
障碍照护床位"). A care institution (养老机构, the care_homes app) is a facility
of kind 养老院; a canteen of the meal assistance (meals app) is a facility of
kind 社区长者食堂 or 助餐点.

Public interface (other elderly-care apps build on it; keep names and fields
stable): :class:`Facility`, :class:`FacilityKind`, :class:`FacilityStatus`,
:class:`FacilityStaff` and the selectors in :mod:`.selectors`
(``facilities_visible``, ``facility_get``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.core.models import Division


class FacilityKind(models.TextChoices):
    """The facility kinds of the seed's 养老服务 chapter."""

    CENTRE = "centre", "社区综合为老服务中心"
    CANTEEN = "canteen", "社区长者食堂"
    MEAL_POINT = "meal_point", "社区助餐点"
    STATION = "station", "家门口养老服务站"
    RURAL_CARE_HOME = "rural_care_home", "乡村长者照护之家"
    HEALTH_HOME = "health_home", "长者运动健康之家"
    DAY_CARE = "day_care", "日间照料中心"
    CARE_HOME = "care_home", "养老院"


MEAL_KINDS = (FacilityKind.CANTEEN, FacilityKind.MEAL_POINT)


class FacilityStatus(models.TextChoices):
    """规划 → 在建 → 运营 → 停业 (each step dated on the facility)."""

    PLANNED = "planned", "规划"
    BUILDING = "building", "在建"
    OPERATING = "operating", "运营"
    CLOSED = "closed", "停业"


class Facility(models.Model):
    """One facility in one committee (``committee``: a core Division of level
    committee; ``street`` is its parent, stored for scoped queries).

    ``smart`` and ``internet_hospital`` mark the 养老院 the plan counts apart
    (智慧养老院, 养老院+互联网医院). Beds and dementia-care beds (认知障碍照护
    床位) are ``None`` when not recorded — never 0 by default."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=24, choices=FacilityKind.choices)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="所在街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="所在居村委")
    address = models.CharField("地址", max_length=200, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    operator_name = models.CharField("运营单位", max_length=100, blank=True)
    operator_uscc = models.CharField("运营单位统一社会信用代码", max_length=18, blank=True)
    status = models.CharField("状态", max_length=16, choices=FacilityStatus.choices, default=FacilityStatus.PLANNED)
    planned_on = models.DateField("列入计划日期", null=True, blank=True)
    building_since = models.DateField("开工日期", null=True, blank=True)
    operating_since = models.DateField("运营日期", null=True, blank=True)
    closed_on = models.DateField("停业日期", null=True, blank=True)
    beds = models.PositiveIntegerField("床位数", null=True, blank=True)
    dementia_beds = models.PositiveIntegerField("认知障碍照护床位数", null=True, blank=True)
    area_m2 = models.DecimalField("面积（平方米）", max_digits=9, decimal_places=1, null=True, blank=True)
    opening_hours = models.CharField("开放时间", max_length=100, blank=True)
    smart = models.BooleanField("智慧养老院", default=False)
    internet_hospital = models.BooleanField("养老院+互联网医院", default=False)
    # when the plan's counted upgrades came into service (ADR 0028: a target of year Y counts
    # the facilities whose date falls in Y); None: not recorded
    smart_since = models.DateField("建成智慧养老院日期", null=True, blank=True)
    internet_hospital_since = models.DateField("接入互联网医院日期", null=True, blank=True)
    dementia_beds_since = models.DateField("认知障碍照护床位投用日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["street_id", "committee_id", "name"]
        verbose_name = "养老服务设施"
        verbose_name_plural = "养老服务设施"
        constraints = [
            models.UniqueConstraint(fields=["committee", "kind", "name"], name="facility_unique_name_in_committee"),
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in FacilityKind]),
                                   name="facility_kind_known"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in FacilityStatus]),
                                   name="facility_status_known"),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="facility_kind_status")]

    def __str__(self) -> str:
        return self.name


class FacilityStaff(models.Model):
    """A staff account of a facility: an institution's operator (养老机构工作人员)
    or a canteen's staff (助餐点工作人员) sees only the facilities it is linked to
    here (ADR 0010 scoping: anything else is 404)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_facilities",
                             verbose_name="账号")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="staff_accounts",
                                 verbose_name="设施")
    since = models.DateField("起始日期", auto_now_add=True)

    class Meta:
        verbose_name = "设施工作人员账号"
        verbose_name_plural = "设施工作人员账号"
        constraints = [models.UniqueConstraint(fields=["user", "facility"], name="facility_staff_unique")]


class TargetMeasure(models.TextChoices):
    """What a work-plan target counts (ADR 0028 defines how each is counted)."""

    NEW_CENTRES = "new_centres", "新增社区综合为老服务中心（家）"
    NEW_CANTEENS = "new_canteens", "新增社区长者食堂（个）"
    NEW_MEAL_POINTS = "new_meal_points", "新增社区助餐点（个）"
    NEW_STATIONS = "new_stations", "新增家门口养老服务站（个）"
    NEW_RURAL_CARE_HOMES = "new_rural_care_homes", "新增乡村长者照护之家（个）"
    NEW_HEALTH_HOMES = "new_health_homes", "新增长者运动健康之家（个）"
    NEW_DAY_CARE = "new_day_care", "新增日间照料中心（家）"
    NEW_CARE_HOMES = "new_care_homes", "新增养老院（家）"
    SMART_CARE_HOMES = "smart_care_homes", "建成智慧养老院（家）"
    INTERNET_HOSPITAL = "internet_hospital", "养老院+互联网医院（家）"
    DEMENTIA_BEDS = "dementia_beds", "认知障碍照护床位（张）"
    CAREGIVERS_TRAINED = "caregivers_trained", "培训中级以上技能等级护理员（名）"


# the kind a "new facilities" measure counts (ADR 0028)
MEASURE_KIND = {
    TargetMeasure.NEW_CENTRES: FacilityKind.CENTRE,
    TargetMeasure.NEW_CANTEENS: FacilityKind.CANTEEN,
    TargetMeasure.NEW_MEAL_POINTS: FacilityKind.MEAL_POINT,
    TargetMeasure.NEW_STATIONS: FacilityKind.STATION,
    TargetMeasure.NEW_RURAL_CARE_HOMES: FacilityKind.RURAL_CARE_HOME,
    TargetMeasure.NEW_HEALTH_HOMES: FacilityKind.HEALTH_HOME,
    TargetMeasure.NEW_DAY_CARE: FacilityKind.DAY_CARE,
    TargetMeasure.NEW_CARE_HOMES: FacilityKind.CARE_HOME,
}


class PlanTarget(models.Model):
    """One target of a year's work plan (民心工程 / 为民办实事), as data: the
    number and the plan's own sentence it comes from (``source``). Progress is
    computed from the register (``progress``), never stored. The caregivers
    app tracks its measure (培训中级以上护理员) from its training records."""

    year = models.PositiveSmallIntegerField("年度")
    measure = models.CharField("指标", max_length=32, choices=TargetMeasure.choices)
    target = models.PositiveIntegerField("目标数")
    source = models.TextField("依据（工作计划原文）")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = "年度工作目标"
        verbose_name_plural = "年度工作目标"
        constraints = [
            models.UniqueConstraint(fields=["year", "measure"], name="plan_target_unique"),
            models.CheckConstraint(condition=models.Q(measure__in=[m.value for m in TargetMeasure]),
                                   name="plan_target_measure_known"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_measure_display()}{self.target}"
