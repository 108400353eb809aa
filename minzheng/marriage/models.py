"""Marriage registration (结婚登记), divorce by agreement (协议离婚) and their
certificates, as a district marriage registry office (婚姻登记处) keeps them.

Law (docs/adr/0022-marriage-registration.md): 民法典 arts. 1046-1049, 1076-1078
(marriage, legal age 1047, divorce by agreement and the cooling-off period 1077),
201 and 203 (how periods are counted); 婚姻登记条例 as revised by 国务院令第804号
(in force 2025-05-10: registration at any office nationwide).

Only mainland residents (内地居民) are registered here: registrations involving
residents of Hong Kong, Macao, Taiwan or foreigners (涉外、涉港澳台) are outside
a district office's competence, so the domicile province is one of the 31
mainland provincial divisions.

Sensitive data: ID numbers are stored encrypted with a blind index and a masked
copy, as in the registry (ADR 0002); only registrars see these records
(``marriage.view``) and every view is audited.

Counting for the statistics is meant to be one query per figure: a
registration has ``registered_on`` and ``cross_province``; a divorce
application has ``received_on``, ``cross_province`` and, when registered,
``registered_on``; a re-issued certificate has ``reissue_of`` set and
``issued_on``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person, Sex


class Province(models.TextChoices):
    """Province-level divisions of the mainland (GB/T 2260, first two digits)."""

    BEIJING = "11", "北京市"
    TIANJIN = "12", "天津市"
    HEBEI = "13", "河北省"
    SHANXI = "14", "山西省"
    NEIMENGGU = "15", "内蒙古自治区"
    LIAONING = "21", "辽宁省"
    JILIN = "22", "吉林省"
    HEILONGJIANG = "23", "黑龙江省"
    SHANGHAI = "31", "上海市"
    JIANGSU = "32", "江苏省"
    ZHEJIANG = "33", "浙江省"
    ANHUI = "34", "安徽省"
    FUJIAN = "35", "福建省"
    JIANGXI = "36", "江西省"
    SHANDONG = "37", "山东省"
    HENAN = "41", "河南省"
    HUBEI = "42", "湖北省"
    HUNAN = "43", "湖南省"
    GUANGDONG = "44", "广东省"
    GUANGXI = "45", "广西壮族自治区"
    HAINAN = "46", "海南省"
    CHONGQING = "50", "重庆市"
    SICHUAN = "51", "四川省"
    GUIZHOU = "52", "贵州省"
    YUNNAN = "53", "云南省"
    XIZANG = "54", "西藏自治区"
    SHAANXI = "61", "陕西省"
    GANSU = "62", "甘肃省"
    QINGHAI = "63", "青海省"
    NINGXIA = "64", "宁夏回族自治区"
    XINJIANG = "65", "新疆维吾尔自治区"


class AppointmentPurpose(models.TextChoices):
    """What a marriage appointment (a booking in domain 婚姻登记) is for."""

    MARRIAGE = "结婚登记", "结婚登记"
    DIVORCE_APPLICATION = "离婚登记申请", "离婚登记申请"
    DIVORCE_CERTIFICATE = "申领离婚证", "申领离婚证"
    REISSUE = "补领婚姻登记证", "补领婚姻登记证"


class MarriageStatus(models.TextChoices):
    IN_FORCE = "in_force", "婚姻存续"
    DIVORCED = "divorced", "已登记离婚"
    DEATH = "death", "因一方死亡终止"


class MarriageRegistration(models.Model):
    """One marriage registered at an office (结婚登记), with its two parties
    (:class:`MarriageParty`), the signed declarations (:class:`MarriageDocument`)
    and the certificate(s) (:class:`MarriageCertificate`)."""

    office = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="登记机关")
    registered_on = models.DateField("登记日期", db_index=True)
    registrar = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="婚姻登记员")
    # at least one party's hukou is outside Shanghai (跨省通办 figures of the yearly report)
    cross_province = models.BooleanField("跨省登记", default=False)
    status = models.CharField("婚姻状态", max_length=16, choices=MarriageStatus.choices, default=MarriageStatus.IN_FORCE)
    ended_on = models.DateField("婚姻终止日期", null=True, blank=True)
    # the appointment this registration came from (bookings), if any: a plain reference
    booking_ref = models.CharField("预约编号", max_length=40, blank=True, default="")
    # the same appointment as a record of the booking core (ADR 0021), once per booking
    booking = models.OneToOneField("bookings.Booking", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="预约")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = "结婚登记"
        verbose_name_plural = "结婚登记"
        indexes = [models.Index(fields=["office", "registered_on"], name="marriage_office_day")]

    def __str__(self) -> str:
        return f"结婚登记 {self.pk}"


class MarriageParty(models.Model):
    """One of the two parties of a marriage (男方 / 女方): what the ID card says
    (name, number; sex and birth date derived from the number) and the
    domicile province (户籍所在省份) the registrar read from the hukou/ID."""

    registration = models.ForeignKey(MarriageRegistration, on_delete=models.PROTECT, related_name="parties")
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    name = models.CharField("姓名", max_length=64)
    id_number_enc = models.TextField("身份证号（密文）")
    id_number_index = models.CharField("身份证号索引", max_length=40, db_index=True)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    birth_date = models.DateField("出生日期")
    domicile_province = models.CharField("户籍所在省份", max_length=2, choices=Province.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="人口库人员")

    class Meta:
        ordering = ["registration", "-sex"]  # 男方 (M) first
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        constraints = [models.UniqueConstraint(fields=["registration", "sex"], name="marriage_party_one_per_sex")]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"


class DivorceStatus(models.TextChoices):
    PENDING = "pending", "办理中"
    WITHDRAWN = "withdrawn", "已撤回"
    DEEMED_WITHDRAWN = "deemed_withdrawn", "视为撤回"
    REGISTERED = "registered", "已登记离婚"


OPEN_DIVORCE_STATUSES = (DivorceStatus.PENDING,)


class DivorceApplication(models.Model):
    """An application for divorce by agreement (协议离婚申请, 民法典 art. 1076)
    and its clock (art. 1077): ``withdrawal_until`` is the last day either party
    may withdraw; ``appear_until`` the last day both may appear for the
    certificate. Both dates are computed at receipt (``marriage.clock``) and
    stored, so the page, the API and the daily expiry read the same dates; a
    date whose year has no recorded holiday arrangement stays empty (never a
    weekends-only guess) until the daily job can compute it.

    ``status`` stores only what was decided (withdrawn, deemed withdrawn,
    registered); while open it is ``pending`` (办理中) and the phase — cooling-off
    (冷静期) or the appearance window (待双方到场) — follows from the dates and
    today (``marriage.clock.phase``)."""

    marriage = models.ForeignKey(MarriageRegistration, on_delete=models.PROTECT, related_name="divorce_applications")
    office = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="登记机关")
    received_on = models.DateField("收到申请日期", db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="受理人")
    # empty while the holiday arrangement of the year a period ends in is not recorded
    # (``core.workdays.HolidayArrangementMissing``); filled by the daily job once it is
    withdrawal_until = models.DateField("撤回申请截止日", null=True, blank=True)
    appear_until = models.DateField("到场申领离婚证截止日", null=True, blank=True)
    cross_province = models.BooleanField("跨省登记", default=False)
    status = models.CharField("状态", max_length=20, choices=DivorceStatus.choices, default=DivorceStatus.PENDING)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    withdrawn_by = models.CharField("撤回的一方", max_length=64, blank=True, default="")
    close_note = models.CharField("说明", max_length=200, blank=True, default="")
    registered_on = models.DateField("离婚登记日期", null=True, blank=True, db_index=True)
    registrar = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="办理离婚登记的登记员")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "离婚登记申请"
        verbose_name_plural = "离婚登记申请"
        constraints = [
            # one open application per marriage
            models.UniqueConstraint(fields=["marriage"], condition=Q(status__in=OPEN_DIVORCE_STATUSES),
                                    name="divorce_one_open_per_marriage"),
        ]

    def __str__(self) -> str:
        return f"离婚登记申请 {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DIVORCE_STATUSES


class DocumentKind(models.TextChoices):
    NO_SPOUSE = "no_spouse", "本人无配偶声明"
    NO_KINSHIP = "no_kinship", "与对方无直系血亲和三代以内旁系血亲关系声明"
    DIVORCE_AGREEMENT = "divorce_agreement", "离婚协议书"
    DIVORCE_DECLARATION = "divorce_declaration", "自愿离婚声明"
    REISSUE_APPLICATION = "reissue_application", "补领婚姻登记证申请"


class MarriageDocument(models.Model):
    """A document a party signed at the office (the declarations of 婚姻登记条例
    as revised, the divorce agreement): its kind, who signed, when, and the
    document itself (the declaration's text or the uploaded agreement) with
    its SHA-256, kept and never deleted."""

    registration = models.ForeignKey(MarriageRegistration, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="documents")
    divorce = models.ForeignKey(DivorceApplication, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="documents")
    kind = models.CharField("材料类型", max_length=24, choices=DocumentKind.choices)
    signed_by = models.CharField("签署人", max_length=64)
    signed_on = models.DateField("签署日期")
    text = models.TextField("声明内容", blank=True, default="")
    file = models.FileField("文件", upload_to="marriage/%Y/%m/", blank=True)
    original_name = models.CharField("原文件名", max_length=255, blank=True, default="")
    sha256 = models.CharField(max_length=64)
    recorded_by = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "婚姻登记材料"
        verbose_name_plural = "婚姻登记材料"


class CertificateKind(models.TextChoices):
    MARRIAGE = "J", "结婚证"
    DIVORCE = "L", "离婚证"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUPERSEDED = "superseded", "已补发新证（原证作废）"


class MarriageCertificate(models.Model):
    """A certificate issued (one per party: 结婚证 and 离婚证 are issued to each
    party). ``number`` comes from the office's gap-free series per year
    (:class:`CertificateCounter`); a re-issue (补发) gets a new number and marks
    the old one superseded (``reissue_of`` points back)."""

    number = models.CharField("证书编号", max_length=32, unique=True)
    kind = models.CharField("证书种类", max_length=1, choices=CertificateKind.choices)
    registration = models.ForeignKey(MarriageRegistration, on_delete=models.PROTECT, related_name="certificates")
    divorce = models.ForeignKey(DivorceApplication, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="certificates")
    holder = models.ForeignKey(MarriageParty, on_delete=models.PROTECT, related_name="certificates",
                               verbose_name="持证人")
    office = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="发证机关")
    issued_on = models.DateField("发证日期", db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="发证登记员")
    status = models.CharField("证书状态", max_length=12, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID)
    reissue_of = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="reissued_as", verbose_name="补发前的证书")
    reissue_reason = models.CharField("补发原因", max_length=200, blank=True, default="")
    superseded_on = models.DateField("作废日期", null=True, blank=True)

    class Meta:
        ordering = ["issued_on", "number"]
        verbose_name = "婚姻登记证"
        verbose_name_plural = "婚姻登记证"


class CertificateCounter(models.Model):
    """The last number issued per series (``J310117-2026``): incremented under a
    row lock in the certificate's own transaction, so a rolled-back
    registration gives its number back and numbers have no gaps."""

    key = models.CharField(max_length=24, primary_key=True)
    last = models.PositiveIntegerField(default=0)


# ---------------------------------------------------------------------------
# Group certificate ceremonies (集体颁证), docs/adr/0022-marriage-registration.md
# ("Group ceremonies and statistics"): the office's themed ceremonies such as
# "上海之根 山水婚典" (8 in 2023, seed: 2023 work report), each with the couples
# who received their certificates there.


class Ceremony(models.Model):
    """A group certificate ceremony (结婚登记集体颁证仪式) held by an office: its
    name, day, place, theme and the registrar in charge; its couples are
    :class:`CeremonyCouple` rows."""

    office = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="登记机关")
    name = models.CharField("活动名称", max_length=100)
    held_on = models.DateField("颁证日期", db_index=True)
    place = models.CharField("地点", max_length=100)
    theme = models.CharField("主题", max_length=200, blank=True, default="")
    registrar = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="负责的婚姻登记员")
    created_by = models.CharField("录入人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "集体颁证活动"
        verbose_name_plural = "集体颁证活动"

    def __str__(self) -> str:
        return f"{self.name}（{self.held_on:%Y年%m月%d日}）"


class CeremonyCouple(models.Model):
    """A registered couple at a ceremony; a marriage is at most at one ceremony
    (the one-to-one field)."""

    ceremony = models.ForeignKey(Ceremony, on_delete=models.PROTECT, related_name="couples")
    registration = models.OneToOneField(MarriageRegistration, on_delete=models.PROTECT, related_name="ceremony_place",
                                        verbose_name="结婚登记")
    added_by = models.CharField("录入人", max_length=150)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ceremony", "id"]
        verbose_name = "参加集体颁证的新人"
        verbose_name_plural = "参加集体颁证的新人"
