"""The population registry: persons, co-resident households, disability
certificates and the history of moves.

A household here is the co-resident family (共同生活家庭), not the hukou book.
Membership and residence changes are new rows with dates, never overwrites.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr

from minzheng.core.models import Division
from minzheng.registry.search_indexes import ByteOrderIndex, TrigramIndex


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Employment(models.TextChoices):
    EMPLOYED = "employed", "在职"
    UNEMPLOYED = "unemployed", "失业"
    RETIRED = "retired", "退休"
    STUDENT = "student", "在校学生"
    CHILD = "child", "学龄前儿童"
    NOT_IN_LABOUR = "inactive", "无业"


class DisabilityKind(models.TextChoices):
    VISUAL = "视力", "视力"
    HEARING = "听力", "听力"
    SPEECH = "言语", "言语"
    PHYSICAL = "肢体", "肢体"
    INTELLECTUAL = "智力", "智力"
    MENTAL = "精神", "精神"
    MULTIPLE = "多重", "多重"


class Relation(models.TextChoices):
    HEAD = "本人", "本人（户主）"
    SPOUSE = "配偶", "配偶"
    CHILD = "子女", "子女"
    PARENT = "父母", "父母"
    GRANDCHILD = "孙子女", "孙子女"
    GRANDPARENT = "祖父母", "祖父母"
    SIBLING = "兄弟姐妹", "兄弟姐妹"
    CHILD_IN_LAW = "儿媳女婿", "儿媳、女婿"
    OTHER = "其他", "其他"


VISIBLE = Q(merged_into__isnull=True)  # persons not merged into another record (every read's rows)


class Person(models.Model):
    """One natural person, identified by the resident ID number (GB 11643).

    The number is stored encrypted (``id_number_enc``) with a keyed blind
    index (``id_number_index``, unique) and a masked copy for lists.
    """

    name = models.CharField("姓名", max_length=64)
    name_pinyin = models.CharField("姓名全拼", max_length=128)  # indexed in Meta (byte order)
    name_initials = models.CharField("姓名首字母", max_length=32)
    id_number_enc = models.TextField("身份证号（密文）")
    id_number_index = models.CharField("身份证号索引", max_length=40, unique=True)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18)
    birth_date = models.DateField("出生日期", db_index=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    phone_enc = models.TextField("联系电话（密文）", blank=True, default="")
    hukou_shanghai = models.BooleanField("本市户籍", default=True)
    hukou_street = models.ForeignKey(
        Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="户籍街镇"
    )
    # street: no index of its own, (street, committee) and the scoped search indexes lead with it
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居住街镇",
                               db_index=False)
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居住居村委")
    alive = models.BooleanField("在世", default=True)
    death_date = models.DateField("死亡日期", null=True, blank=True)
    employment = models.CharField(
        "就业状况", max_length=16, choices=Employment.choices, default=Employment.NOT_IN_LABOUR
    )
    able_to_work = models.BooleanField("有劳动能力", default=True)
    unemployment_insurance = models.BooleanField("领取失业保险金", default=False)
    # 失业补助金 (after the insurance benefit ends, or for the uninsured): a
    # price-subsidy group in the loosened period (REFERENCE §9).
    unemployment_subsidy = models.BooleanField("领取失业补助金", default=False)
    youfu = models.BooleanField("优抚对象", default=False)
    orphan = models.BooleanField("孤儿", default=False)
    unsupported_child = models.BooleanField("事实无人抚养儿童", default=False)
    in_institution = models.BooleanField("机构集中供养", default=False)
    has_able_supporter = models.BooleanField("有赡养抚养扶养能力的义务人", default=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="已合并至"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        # Which index serves which query: docs/adr/0020-person-search-indexes.md. The search indexes
        # hold only the persons every read sees (not merged away), so a bounded count reads the index alone.
        indexes = [
            models.Index(fields=["street", "committee"]),
            # name search (prefix for 1–2 characters, ordered) and duplicate candidates (name, birth date)
            ByteOrderIndex(fields=["name", "birth_date", "id"], byte_order=["name"], name="person_name_order",
                           condition=VISIBLE),
            ByteOrderIndex(fields=["street", "name", "birth_date", "id"], byte_order=["name"],
                           name="person_street_name_order", condition=VISIBLE),
            TrigramIndex(fields=["name"], name="person_name_trgm", condition=VISIBLE),
            ByteOrderIndex(fields=["name_pinyin", "id"], byte_order=["name_pinyin"], name="person_pinyin_order",
                           condition=VISIBLE),
            ByteOrderIndex(fields=["street", "name_pinyin", "id"], byte_order=["name_pinyin"],
                           name="person_street_pinyin_order", condition=VISIBLE),
            ByteOrderIndex(fields=["name_initials", "name_pinyin", "id"], byte_order=["name_initials", "name_pinyin"],
                           name="person_initials_order", condition=VISIBLE),
            ByteOrderIndex(fields=["street", "name_initials", "name_pinyin", "id"],
                           byte_order=["name_initials", "name_pinyin"], name="person_street_initials_order",
                           condition=VISIBLE),
            # ID-number prefix: the area code (first six digits, kept in the masked copy) and the birth date
            models.Index(Substr("id_number_masked", 1, 6), "birth_date", "id", name="person_id_area_birth",
                         condition=VISIBLE),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"


class DisabilityCertificate(models.Model):
    """A disability certificate (残疾人证): grade 1 (most severe) to 4 and kind."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    number = models.CharField("证号", max_length=32, blank=True)
    grade = models.PositiveSmallIntegerField("等级", choices=[(g, f"{g}级") for g in range(1, 5)])
    kind = models.CharField("类别", max_length=4, choices=DisabilityKind.choices)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止", null=True, blank=True)

    class Meta:
        verbose_name = "残疾人证"
        verbose_name_plural = "残疾人证"
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1) & Q(grade__lte=4), name="disability_grade_1_4")
        ]


class Household(models.Model):
    """A co-resident family (共同生活家庭). Its economic facts are dated rows
    (``HouseholdAssetFact``), not columns here."""

    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    address = models.CharField("居住地址", max_length=200)
    archived = models.BooleanField("已撤销", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "家庭"
        verbose_name_plural = "家庭"
        indexes = [models.Index(fields=["street", "committee"])]

    def __str__(self) -> str:
        return f"家庭 {self.pk}（{self.address}）"


class HouseholdMembership(models.Model):
    """A person's membership of a household over a period.

    ``end_date`` null means current. A person has at most one current
    membership, enforced by a partial unique index.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relation = models.CharField("与户主关系", max_length=8, choices=Relation.choices)
    start_date = models.DateField("加入日期")
    end_date = models.DateField("离开日期", null=True, blank=True)
    end_reason = models.CharField("离开原因", max_length=64, blank=True)

    class Meta:
        verbose_name = "家庭成员关系"
        verbose_name_plural = "家庭成员关系"
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="one_current_household_per_person"
            )
        ]
        indexes = [models.Index(fields=["household", "end_date"])]


class ResidenceChange(models.Model):
    """A recorded move of a household (address or committee), kept as history."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="moves")
    moved_on = models.DateField("迁移日期")
    from_committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    to_committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    from_address = models.CharField(max_length=200)
    to_address = models.CharField(max_length=200)
    reason = models.CharField("原因", max_length=64, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)


class ImportRun(models.Model):
    """One registry import: file, outcome and the row-level report."""

    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    filename = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    mode = models.CharField(max_length=16)  # strict | skip_bad
    total_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)


class FactOrigin(models.TextChoices):
    """Where an economic fact came from (docs/adr/0011-economic-facts.md)."""

    DECLARED = "declared", "申报"
    VERIFIED = "verified", "经济状况核对认定"
    FEED = "feed", "部门数据"


class EconomicFact(models.Model):
    """What every dated economic fact shares: the date from which it holds,
    where it came from, and the evidence it rests on.

    A fact holds from ``valid_from`` until the next fact of the same person
    (or household) with a later ``valid_from``; the monthly batch, monitoring
    and casework read the facts in force on the **1st of the month** being
    evaluated (``registry.columnar``), so a change dated the 2nd counts from
    the next month. Facts are never changed: a correction is a new row.
    ``evidence_kind`` / ``evidence_id`` name the record the fact rests on
    (a verification result, a feed record, an import run, an application) —
    by key, not by free text — and ``evidence_label`` says it in Chinese.
    """

    valid_from = models.DateField("起始日期")
    origin = models.CharField("来源", max_length=16, choices=FactOrigin.choices)
    evidence_kind = models.CharField("依据类型", max_length=32, blank=True)
    evidence_id = models.CharField("依据编号", max_length=64, blank=True)
    evidence_label = models.CharField("依据", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        abstract = True


class PersonIncomeFact(EconomicFact):
    """A person's monthly income from ``valid_from``, by kind, in fen:
    earned income (wages, business), pensions, and other income (benefits,
    other taxed items). Income for the means tests is the sum."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="income_facts")
    earned_fen = models.BigIntegerField("月均劳动收入（分）")
    pension_fen = models.BigIntegerField("月养老金（分）")
    other_fen = models.BigIntegerField("月均其他收入（分）")

    class Meta:
        verbose_name = "人员收入"
        verbose_name_plural = "人员收入"
        ordering = ["person", "-valid_from", "-id"]
        indexes = [models.Index(fields=["person", "valid_from", "id"], name="income_fact_in_force")]
        constraints = [models.CheckConstraint(
            condition=Q(earned_fen__gte=0) & Q(pension_fen__gte=0) & Q(other_fen__gte=0),
            name="income_fact_not_negative")]

    @property
    def total_fen(self) -> int:
        return self.earned_fen + self.pension_fen + self.other_fen


def declared_income(employment: str, income_fen: int) -> dict[str, int]:
    """Split a declared monthly income that does not say its kind: an
    employed person's income is earned income, anyone else's is other income
    (the engine's rule for inputs without the split). Pensions are declared
    on their own."""
    earned = income_fen if employment == Employment.EMPLOYED else 0
    return {"earned_fen": earned, "other_fen": income_fen - earned}


class HouseholdAssetFact(EconomicFact):
    """A household's assets from ``valid_from``: monetary assets (deposits,
    business capital) and securities in fen, motor vehicles, homes, and the
    medical out-of-pocket spending of the last 12 months."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="asset_facts")
    monetary_assets_fen = models.BigIntegerField("货币财产（分）")
    securities_fen = models.BigIntegerField("证券（分）", default=0)
    private_cars = models.PositiveSmallIntegerField("机动车辆")
    homes = models.PositiveSmallIntegerField("住房套数")
    medical_oop_12m_fen = models.BigIntegerField("近12个月自负医疗费（分）")

    class Meta:
        verbose_name = "家庭财产"
        verbose_name_plural = "家庭财产"
        ordering = ["household", "-valid_from", "-id"]
        indexes = [models.Index(fields=["household", "valid_from", "id"], name="asset_fact_in_force")]
        constraints = [models.CheckConstraint(
            condition=Q(monetary_assets_fen__gte=0) & Q(securities_fen__gte=0) & Q(medical_oop_12m_fen__gte=0),
            name="asset_fact_not_negative")]

    @property
    def all_monetary_fen(self) -> int:
        """Monetary assets for the asset test: deposits, capital and securities."""
        return self.monetary_assets_fen + self.securities_fen


class PersonMerge(models.Model):
    """One merge of a duplicate person record into the record kept, with what
    it moved, so that it can be undone (``person_unmerge``)."""

    keep = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_as_duplicate")
    reason = models.CharField("合并依据", max_length=200, blank=True)
    certificate_ids = models.JSONField("转移的残疾证", default=list)
    membership_ids = models.JSONField("结束的家庭成员关系", default=list)
    merged_by = models.CharField("合并人", max_length=150)
    merged_at = models.DateTimeField("合并时间", auto_now_add=True)
    undone_by = models.CharField("撤销人", max_length=150, blank=True)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undo_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "人员合并"
        verbose_name_plural = "人员合并"


class MaritalStatus(models.TextChoices):
    UNMARRIED = "unmarried", "未婚"
    MARRIED = "married", "已婚"
    DIVORCED = "divorced", "离婚"
    WIDOWED = "widowed", "丧偶"


class MaritalStatusRecord(models.Model):
    """A person's marital status from a date (婚姻状况), with what it rests on:
    history, never overwritten. The status in force on a day is the latest
    record with ``since`` on or before it (ties: the later record). Written by
    the marriage registry office (registration, divorce, a spouse's death) or
    recorded from a declaration; a person without any record has an
    **unknown** status, never a presumed 未婚."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="marital_statuses")
    status = models.CharField("婚姻状况", max_length=12, choices=MaritalStatus.choices)
    since = models.DateField("起始日期")
    source = models.CharField("依据", max_length=100)  # e.g. 结婚登记（证书 J310117-2026-000001）
    reference = models.CharField("依据编号", max_length=40, blank=True, default="")  # e.g. marriage:12
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-since", "-id"]
        verbose_name = "婚姻状况"
        verbose_name_plural = "婚姻状况"
        indexes = [models.Index(fields=["person", "since", "id"], name="marital_status_in_force")]


class CareAssessmentSource(models.TextChoices):
    """Where a care-needs assessment record came from."""

    ENTERED = "entered", "工作人员录入"
    FEED = "feed", "评估机构数据"
    DEMO = "demo", "演示数据"


CARE_LEVELS = [(level, f"照护{'一二三四五六'[level - 1]}级") for level in range(1, 7)]


class CareNeedsAssessment(models.Model):
    """A care-needs assessment (老年照护统一需求评估): 照护等级 1-6 on
    ``assessed_on`` by an assessment organisation. History is kept (a
    reassessment is a new row, never an edit); the assessment in force on a
    day is the one with the latest ``assessed_on`` on or before it (ties: the
    later recorded). REFERENCE §10 gives no validity period, so none is
    applied (docs/adr/0031-elderly-care-subsidy.md). The elderly-care subsidy
    reads the assessment in force on the 1st of the month
    (``registry.columnar``)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_assessments")
    level = models.PositiveSmallIntegerField("照护等级", choices=CARE_LEVELS)
    assessed_on = models.DateField("评估日期")
    assessor_org = models.CharField("评估机构", max_length=100)
    source = models.CharField("来源", max_length=16, choices=CareAssessmentSource.choices,
                              default=CareAssessmentSource.ENTERED)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "照护需求评估"
        verbose_name_plural = "照护需求评估"
        ordering = ["person", "-assessed_on", "-id"]
        indexes = [models.Index(fields=["person", "assessed_on", "id"], name="care_assessment_in_force")]
        constraints = [models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=6), name="care_level_1_6")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}（{self.assessed_on.isoformat()}）"
