"""困境儿童: the children's register over the population registry, the yearly
sweep (摸底排查) with its checklists and leads, and the care projects (issue 17,
ADR 0035).

The seed (2024 plan 一(六)): "常态化开展困境儿童摸底排查工作，及时、足额、准确发放散居
孤儿、困境儿童基本生活费，做到应享尽享 … 持续开展困境儿童社工关爱项目，为15名义务
教育阶段家庭监护缺失或不当的儿童提供社工关爱服务项目"; the 2023 summary: "全区共有
各类困境儿童 1762 人，其中散居孤儿 7 名，家庭贫困儿童 875 人，残疾、患重病儿童 859
人，家庭监护缺失或监护不当的儿童 95 人".

Categories are data (seeded by a data migration). A child's categories are
dated spells with their evidence; nothing is overwritten (an ended spell keeps
its end date and reason). Two categories carry an engine fact
(``engine_fact``): an open 散居孤儿 spell makes the registry person an orphan,
an open 事实无人抚养 spell an unsupported child (``registry.Person.orphan`` /
``unsupported_child``), which the policy engine reads for
``child_basic_living`` (REFERENCE § 7); the register is their source.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class SeedGroup(models.TextChoices):
    """The seed's counting groups (2023 summary)."""

    ORPHAN = "orphan", "散居孤儿"
    POOR = "poor", "家庭贫困儿童"
    DISABLED_ILL = "disabled_ill", "残疾、患重病儿童"
    GUARDIANSHIP = "guardianship", "家庭监护缺失或监护不当的儿童"
    OTHER = "other", "其他（不计入困境儿童）"


class EngineFact(models.TextChoices):
    NONE = "", "无"
    ORPHAN = "orphan", "孤儿（人口库）"
    UNSUPPORTED = "unsupported_child", "事实无人抚养儿童（人口库）"


class Category(models.Model):
    code = models.SlugField("代码", max_length=32, unique=True)
    label = models.CharField("类别", max_length=40, unique=True)
    seed_group = models.CharField("统计口径", max_length=16, choices=SeedGroup.choices)
    engine_fact = models.CharField("对应人口库事实", max_length=20, choices=EngineFact.choices, blank=True,
                                   default="")
    basis = models.CharField("依据", max_length=300, blank=True)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "困境儿童类别"
        verbose_name_plural = "困境儿童类别"

    def __str__(self) -> str:
        return self.label


class Child(models.Model):
    """A child on the register (one open entry per person)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="儿童")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    registered_on = models.DateField("纳入日期")
    ended_on = models.DateField("移出日期", null=True, blank=True)
    end_reason = models.CharField("移出原因", max_length=200, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        ordering = ["street_id", "committee_id", "id"]
        verbose_name = "困境儿童"
        verbose_name_plural = "困境儿童"
        indexes = [models.Index(fields=["street", "committee", "ended_on"])]
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True),
                                               name="child_one_open_per_person")]

    def __str__(self) -> str:
        return f"困境儿童 {self.pk}"


class EvidenceKind(models.TextChoices):
    DEATH_RECORD = "death_record", "死亡登记"
    DISABILITY_CERT = "disability_cert", "残疾人证"
    ENROLMENT = "enrolment", "低保、低收入保障记录"
    MEDICAL = "medical", "医疗诊断证明"
    POLICE_COURT = "police_court", "公安、法院、司法行政部门文书"
    INVESTIGATION = "investigation", "居村委调查核实"
    OTHER = "other", "其他"


class CategorySpell(models.Model):
    """A child in a category from ``started_on`` until ``ended_on`` (open: null)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="spells", verbose_name="儿童")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="spells", verbose_name="类别")
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    evidence_kind = models.CharField("证明材料类型", max_length=16, choices=EvidenceKind.choices)
    evidence = models.CharField("证明材料", max_length=300)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = "困境儿童类别记录"
        verbose_name_plural = "困境儿童类别记录"
        constraints = [
            models.UniqueConstraint(fields=["child", "category"], condition=Q(ended_on__isnull=True),
                                    name="child_spell_one_open_per_category"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="child_spell_end_after_start"),
        ]

    def in_force(self, day) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


class GuardianRelation(models.TextChoices):
    FATHER = "father", "父亲"
    MOTHER = "mother", "母亲"
    GRANDPARENT = "grandparent", "祖父母、外祖父母"
    SIBLING = "sibling", "兄、姐"
    RELATIVE = "relative", "其他近亲属"
    FRIEND = "friend", "其他愿意担任监护人的个人"
    COMMITTEE = "committee", "居民委员会、村民委员会"
    CIVIL_AFFAIRS = "civil_affairs", "民政部门"


class Capacity(models.TextChoices):
    FULL = "full", "有监护能力"
    LIMITED = "limited", "监护能力不足"
    NONE = "none", "无监护能力（重病、重残、服刑、失联等）"


class Guardian(models.Model):
    """A guardian of a child over a period (民法典 art. 27, 32): a registry
    person or a named outsider; changes are new rows (the old one ended)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="guardians", verbose_name="儿童")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="监护人（人口库）")
    name = models.CharField("监护人姓名", max_length=64)
    relation = models.CharField("关系", max_length=16, choices=GuardianRelation.choices)
    capacity = models.CharField("监护能力", max_length=8, choices=Capacity.choices)
    capacity_note = models.CharField("监护情况说明", max_length=300, blank=True)
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("变更原因", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    class Meta:
        ordering = ["ended_on", "-started_on", "-id"]
        verbose_name = "监护人"
        verbose_name_plural = "监护人"


class Director(models.Model):
    """儿童主任 of a committee (one in office at a time)."""

    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    name = models.CharField("姓名", max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="工作人员账号")
    phone = models.CharField("联系电话", max_length=32, blank=True)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        ordering = ["committee_id", "-started_on"]
        verbose_name = "儿童主任"
        verbose_name_plural = "儿童主任"
        constraints = [models.UniqueConstraint(fields=["committee"], condition=Q(ended_on__isnull=True),
                                               name="children_one_director_per_committee")]


# --- the yearly sweep (摸底排查) -----------------------------------------------------

class Campaign(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("名称", max_length=100)
    started_on = models.DateField("开始日期")
    due_on = models.DateField("完成期限")
    closed_on = models.DateField("结束日期", null=True, blank=True)
    created_by = models.CharField("发起人", max_length=150)

    class Meta:
        ordering = ["-year"]
        verbose_name = "摸底排查"
        verbose_name_plural = "摸底排查"

    def __str__(self) -> str:
        return self.title


class ItemScope(models.TextChoices):
    CHILD = "child", "逐名儿童"
    COMMITTEE = "committee", "居村委"


class ChecklistItem(models.Model):
    code = models.SlugField("代码", max_length=32, unique=True)
    scope = models.CharField("适用", max_length=12, choices=ItemScope.choices)
    text = models.CharField("核查事项", max_length=200)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["scope", "order", "code"]
        verbose_name = "排查事项"
        verbose_name_plural = "排查事项"

    def __str__(self) -> str:
        return self.text


class CheckOutcome(models.TextChoices):
    UNCHANGED = "unchanged", "情况无变化"
    CHANGED = "changed", "情况有变化（需调整类别或监护）"
    NO_LONGER = "no_longer", "已不符合困境儿童条件"


class ChildCheck(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="child_checks")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="checks", verbose_name="儿童")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField("排查日期")
    answers = models.JSONField("核查结果", default=dict)
    outcome = models.CharField("结论", max_length=12, choices=CheckOutcome.choices)
    note = models.CharField("情况说明", max_length=500, blank=True)
    checked_by = models.CharField("排查人", max_length=150)

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = "儿童排查记录"
        verbose_name_plural = "儿童排查记录"
        constraints = [models.UniqueConstraint(fields=["campaign", "child"], name="children_one_check_per_year")]


class CommitteeCheck(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="committee_checks")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    checked_on = models.DateField("排查日期")
    answers = models.JSONField("核查结果", default=dict)
    note = models.CharField("情况说明", max_length=500, blank=True)
    checked_by = models.CharField("排查人", max_length=150)

    class Meta:
        ordering = ["committee_id"]
        verbose_name = "居村委排查记录"
        verbose_name_plural = "居村委排查记录"
        constraints = [models.UniqueConstraint(fields=["campaign", "committee"],
                                               name="children_one_committee_check_per_year")]


class LeadKind(models.TextChoices):
    PARENT_DEATH = "parent_death", "父母死亡（死亡登记）"
    PARENT_DISABILITY = "parent_disability", "父母持残疾人证"
    PARENT_IMPRISONED = "parent_imprisoned", "父母服刑（工作人员登记）"
    POOR_HOUSEHOLD = "poor_household", "低保、低收入家庭儿童"
    CHILD_DISABILITY = "child_disability", "儿童本人持残疾人证"
    STAFF = "staff", "工作人员发现"


class LeadStatus(models.TextChoices):
    OPEN = "open", "待核实"
    ACCEPTED = "accepted", "已纳入"
    DISMISSED = "dismissed", "不予纳入"


class Lead(models.Model):
    """A candidate found by the data (or reported by staff); one per child,
    kind and source record (``source_ref``), so generating again adds nothing."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="leads")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="儿童")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    kind = models.CharField("线索来源", max_length=20, choices=LeadKind.choices)
    source_ref = models.CharField("来源记录", max_length=40)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name="建议类别")
    detail = models.CharField("线索内容", max_length=300)
    status = models.CharField("状态", max_length=12, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    resolution = models.CharField("处理说明", max_length=300, blank=True)
    resolved_on = models.DateField("处理日期", null=True, blank=True)
    resolved_by = models.CharField("处理人", max_length=150, blank=True)
    created_on = models.DateField("发现日期")

    class Meta:
        ordering = ["status", "-created_on", "-id"]
        verbose_name = "困境儿童线索"
        verbose_name_plural = "困境儿童线索"
        indexes = [models.Index(fields=["street", "committee", "status"])]
        constraints = [models.UniqueConstraint(fields=["person", "kind", "source_ref"], name="children_lead_once")]


# --- care services --------------------------------------------------------------------

class Project(models.Model):
    name = models.CharField("项目名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    provider = models.CharField("承接机构", max_length=100)
    target_category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name="服务对象类别")
    planned_children = models.PositiveSmallIntegerField("计划服务人数")
    basis = models.CharField("依据", max_length=300, blank=True)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = "关爱服务项目"
        verbose_name_plural = "关爱服务项目"
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="children_project_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class ProjectChild(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="served")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="projects")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField("纳入服务日期")
    left_on = models.DateField("结束服务日期", null=True, blank=True)

    class Meta:
        ordering = ["project_id", "id"]
        verbose_name = "项目服务对象"
        verbose_name_plural = "项目服务对象"
        constraints = [models.UniqueConstraint(fields=["project", "child"], name="children_served_once")]


class ServiceKind(models.TextChoices):
    CARE = "care", "心理关爱"
    STUDY = "study", "学业辅导"
    GROWTH = "growth", "成长支持"
    HOME = "home", "家庭探访"
    RESOURCES = "resources", "资源链接"
    OTHER = "other", "其他"


class ServiceRecord(models.Model):
    served = models.ForeignKey(ProjectChild, on_delete=models.PROTECT, related_name="records")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    served_on = models.DateField("服务日期")
    kind = models.CharField("服务内容", max_length=12, choices=ServiceKind.choices)
    description = models.CharField("服务情况", max_length=500)
    recorded_by = models.CharField("登记人", max_length=150)

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = "关爱服务记录"
        verbose_name_plural = "关爱服务记录"
