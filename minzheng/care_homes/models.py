"""养老机构: what an institution's operator keeps (issue 15, ADR 0029).

An institution is a :class:`~minzheng.care_facilities.models.Facility` of kind
养老院; every record here is keyed on it, so the facility's scoping
(``facilities_visible``: an operator sees only the institutions linked to their
account) scopes these records too.

* rooms and beds (床位: 普通 / 认知障碍照护 / 护理), each in service or not;
* residents (入住老人): ID number encrypted with a blind index and a masked
  copy (ADR 0002, like the registry and the marriage office), linked to the
  registry person when the number matches; admission, discharge with reason,
  care level (照护等级 1–6) with its assessment; one bed holds one resident at a
  time — a partial unique constraint in the database;
* staff (工作人员) with post and dates (caregivers' certificates live in the
  caregivers app, not here);
* incidents (意外事件) with follow-up steps and closure.

Occupancy is never stored: it is counted from beds and residents as of a date
(``selectors.occupancy``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from minzheng.care_facilities.models import Facility
from minzheng.registry.models import Person, Sex


class BedKind(models.TextChoices):
    ORDINARY = "ordinary", "普通床位"
    DEMENTIA = "dementia", "认知障碍照护床位"
    NURSING = "nursing", "护理床位"


class Room(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="care_rooms", verbose_name="养老机构")
    number = models.CharField("房间号", max_length=20)
    floor = models.CharField("楼层", max_length=20, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["facility_id", "number"]
        verbose_name = "房间"
        verbose_name_plural = "房间"
        constraints = [models.UniqueConstraint(fields=["facility", "number"], name="care_room_unique_number")]

    def __str__(self) -> str:
        return self.number


class Bed(models.Model):
    """A bed; ``facility`` repeats the room's facility for scoped queries."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="care_beds", verbose_name="养老机构")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds", verbose_name="房间")
    number = models.CharField("床位号", max_length=20)
    kind = models.CharField("床位类型", max_length=16, choices=BedKind.choices, default=BedKind.ORDINARY)
    in_service = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["facility_id", "room__number", "number"]
        verbose_name = "床位"
        verbose_name_plural = "床位"
        constraints = [
            models.UniqueConstraint(fields=["facility", "number"], name="care_bed_unique_number"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in BedKind]), name="care_bed_kind_known"),
        ]

    def __str__(self) -> str:
        return self.number


class DischargeReason(models.TextChoices):
    HOME = "home", "回家"
    TRANSFER = "transfer", "转院"
    DEATH = "death", "死亡"
    OTHER = "other", "其他"


class Resident(models.Model):
    """One stay of one person in one institution (a new admission is a new row).

    ``bed`` stays on the row after discharge (the stay's history); the
    database holds at most one *current* resident per bed (``discharged_on``
    empty). ``reassess_due_on`` is the validity end the assessment states
    (评估结果有效期), entered with it — no interval is assumed here."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="care_residents",
                                 verbose_name="养老机构")
    name = models.CharField("姓名", max_length=64)
    id_number_enc = models.TextField("身份证号（密文）")
    id_number_index = models.CharField("身份证号索引", max_length=40, db_index=True)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="人口库人员")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, null=True, blank=True, related_name="residents",
                            verbose_name="床位")
    admitted_on = models.DateField("入住日期")
    discharged_on = models.DateField("离院日期", null=True, blank=True)
    discharge_reason = models.CharField("离院原因", max_length=16, choices=DischargeReason.choices, blank=True)
    discharge_note = models.CharField("离院说明", max_length=200, blank=True)
    care_level = models.PositiveSmallIntegerField("照护等级", null=True, blank=True)
    assessed_on = models.DateField("评估日期", null=True, blank=True)
    reassess_due_on = models.DateField("评估有效期至", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["facility_id", "-admitted_on", "id"]
        verbose_name = "入住老人"
        verbose_name_plural = "入住老人"
        constraints = [
            models.UniqueConstraint(fields=["bed"], condition=Q(discharged_on__isnull=True, bed__isnull=False),
                                    name="care_resident_one_per_bed"),
            models.UniqueConstraint(fields=["facility", "id_number_index"], condition=Q(discharged_on__isnull=True),
                                    name="care_resident_once_in_residence"),
            models.CheckConstraint(condition=Q(care_level__isnull=True) | Q(care_level__gte=1, care_level__lte=6),
                                   name="care_resident_level_1_6"),
            models.CheckConstraint(condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("admitted_on")),
                                   name="care_resident_discharge_after_admission"),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True, discharge_reason="")
                | Q(discharged_on__isnull=False, discharge_reason__in=[r.value for r in DischargeReason]),
                name="care_resident_discharge_reason"),
        ]
        indexes = [models.Index(fields=["facility", "discharged_on"], name="care_resident_current")]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"


class Post(models.TextChoices):
    CAREGIVER = "caregiver", "护理员"
    DOCTOR = "doctor", "医生"
    NURSE = "nurse", "护士"
    SOCIAL_WORKER = "social_worker", "社工"
    MANAGEMENT = "management", "管理"
    LOGISTICS = "logistics", "后勤"
    OTHER = "other", "其他"


class StaffMember(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="care_staff",
                                 verbose_name="养老机构")
    name = models.CharField("姓名", max_length=64)
    post = models.CharField("岗位", max_length=16, choices=Post.choices)
    hired_on = models.DateField("入职日期")
    left_on = models.DateField("离职日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["facility_id", "post", "name"]
        verbose_name = "机构工作人员"
        verbose_name_plural = "机构工作人员"
        constraints = [
            models.CheckConstraint(condition=Q(post__in=[p.value for p in Post]), name="care_staff_post_known"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=F("hired_on")),
                                   name="care_staff_left_after_hired"),
        ]

    def __str__(self) -> str:
        return self.name


class IncidentKind(models.TextChoices):
    FALL = "fall", "跌倒"
    INFECTION = "infection", "感染"
    FIRE = "fire", "火警"
    MISSING = "missing", "走失"
    OTHER = "other", "其他"


class Incident(models.Model):
    """An incident the institution reports (意外事件报告); open until closed."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="care_incidents",
                                 verbose_name="养老机构")
    kind = models.CharField("类型", max_length=16, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField("发生时间")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
                                 verbose_name="涉及老人")
    description = models.TextField("经过")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="报告人")
    reported_at = models.DateTimeField("报告时间", auto_now_add=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closure = models.CharField("结案说明", max_length=500, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "意外事件"
        verbose_name_plural = "意外事件"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in IncidentKind]),
                                   name="care_incident_kind_known"),
        ]
        indexes = [models.Index(fields=["facility", "closed_on"], name="care_incident_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class IncidentStep(models.Model):
    """One follow-up step (处置措施) on an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps", verbose_name="意外事件")
    on = models.DateField("日期")
    text = models.CharField("处置措施", max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="记录人")

    class Meta:
        ordering = ["incident_id", "on", "id"]
        verbose_name = "处置措施"
        verbose_name_plural = "处置措施"
