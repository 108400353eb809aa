"""养老护理员: the register of caregivers, their certificates, training and awards (ADR 0028).

The seed (二、养老服务; 2023 summary (二)二) counts them: "全区养老护理员等级证
持证率提高至88.1%" and for 2024 "培训297名中级以上技能等级护理员". Both figures
are computed here from the records (:mod:`.figures`), never stored.

ID numbers are kept like the registry's (ADR 0002): encrypted, a keyed blind
index for exact look-up and uniqueness, and a masked copy for lists.
"""

from __future__ import annotations

from django.db import models

from minzheng.care_facilities.models import Facility


class CertificateLevel(models.TextChoices):
    """养老护理员 vocational skill levels (国家职业技能标准 养老护理员: 五级 … 一级)."""

    JUNIOR = "junior", "初级"
    INTERMEDIATE = "intermediate", "中级"
    SENIOR = "senior", "高级"
    TECHNICIAN = "technician", "技师"
    SENIOR_TECHNICIAN = "senior_technician", "高级技师"


LEVEL_ORDER = [CertificateLevel.JUNIOR, CertificateLevel.INTERMEDIATE, CertificateLevel.SENIOR,
               CertificateLevel.TECHNICIAN, CertificateLevel.SENIOR_TECHNICIAN]
INTERMEDIATE_OR_ABOVE = [level.value for level in LEVEL_ORDER[1:]]


class Caregiver(models.Model):
    """One caregiver employed by one facility (a 养老院, a centre …). ``certificate_level``
    empty: no skill-level certificate (未持证). ``active`` False: left (``left_on``)."""

    name = models.CharField("姓名", max_length=64)
    id_number_enc = models.TextField("身份证号（密文）")
    id_number_index = models.CharField("身份证号索引", max_length=40, unique=True)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    birth_date = models.DateField("出生日期")
    sex = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    employer = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="caregivers", verbose_name="工作单位")
    employed_since = models.DateField("入职日期", null=True, blank=True)
    active = models.BooleanField("在职", default=True)
    left_on = models.DateField("离职日期", null=True, blank=True)
    certificate_level = models.CharField("等级证书", max_length=24, choices=CertificateLevel.choices, blank=True)
    certificate_number = models.CharField("证书编号", max_length=40, blank=True)
    certificate_issued_on = models.DateField("发证日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employer_id", "name"]
        verbose_name = "养老护理员"
        verbose_name_plural = "养老护理员"
        constraints = [
            models.CheckConstraint(condition=models.Q(certificate_level__in=["", *CertificateLevel.values]),
                                   name="caregiver_level_known"),
        ]

    def __str__(self) -> str:
        return self.name


class CaregiverTraining(models.Model):
    """One training course a caregiver took; ``resulting_level``: the skill level
    certified at its end (empty: none, e.g. a refresher course)."""

    caregiver = models.ForeignKey(Caregiver, on_delete=models.CASCADE, related_name="trainings", verbose_name="护理员")
    course = models.CharField("培训课程", max_length=100)
    hours = models.PositiveIntegerField("学时")
    started_on = models.DateField("培训开始日期")
    ended_on = models.DateField("培训结束日期")
    resulting_level = models.CharField("培训后取得等级", max_length=24, choices=CertificateLevel.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ended_on", "-id"]
        verbose_name = "养老护理员培训记录"
        verbose_name_plural = "养老护理员培训记录"
        indexes = [models.Index(fields=["ended_on", "resulting_level"], name="caregiver_training_year")]


class CaregiverAward(models.Model):
    """An award (e.g. 最美护理员) in a year, by whom."""

    caregiver = models.ForeignKey(Caregiver, on_delete=models.CASCADE, related_name="awards", verbose_name="护理员")
    title = models.CharField("荣誉", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    awarded_by = models.CharField("授予单位", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = "养老护理员获奖记录"
        verbose_name_plural = "养老护理员获奖记录"
