"""特殊困难老年人探访关爱: the target list, visitors and visit records (issue 16,
ADR 0034).

The seed: "出台《松江区开展特殊困难老年人探访关爱服务的实施方案》，为全区约7000名
特殊困难老年人提供探访关爱服务". Who is on the list is derived from the registry
and the enrolments (:mod:`minzheng.hardship_visits.targeting`) by the categories
below, which are data (seeded by a data migration, edited by the bureau): each
has a Chinese label, a rule, a minimum age and a visit frequency.

A target stays in the table when the elder leaves the list: it is ended
(``ended_on`` and ``end_reason``), never deleted, so the visits keep their
context. One open target per person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class CategoryRule(models.TextChoices):
    """How a category selects elders (ADR 0034 § rules)."""

    LIVING_ALONE = "living_alone", "独居（现家庭仅本人一人）"
    NO_SPOUSE_NO_CHILD = "no_spouse_no_child", "孤寡（无配偶、户籍关系中无子女）"
    DISABLED = "disabled", "残疾（持有效残疾人证）"
    ENROLLED = "enrolled", "在保（所列救助项目保障中）"


class VisitCategory(models.Model):
    """One kind of special hardship (独居, 孤寡 …): its rule, the minimum age and
    how often its elders are visited (``frequency_days``). ``programs`` lists
    the enrolment programs of an 在保 rule (e.g. ``["dibao", "low_income"]``).
    The frequencies seeded are not from REFERENCE (it gives none): they are
    marked in ``basis`` as awaiting the bureau's confirmation."""

    code = models.SlugField("代码", max_length=32, unique=True)
    label = models.CharField("类别", max_length=32, unique=True)
    rule = models.CharField("认定规则", max_length=24, choices=CategoryRule.choices)
    min_age = models.PositiveSmallIntegerField("最低年龄（周岁）", default=60)
    programs = models.JSONField("救助项目", default=list, blank=True)
    frequency_days = models.PositiveSmallIntegerField("探访周期（天）")
    active = models.BooleanField("启用", default=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "探访对象类别"
        verbose_name_plural = "探访对象类别"
        constraints = [
            models.CheckConstraint(condition=Q(frequency_days__gte=1) & Q(frequency_days__lte=366),
                                   name="visit_category_frequency_range"),
            models.CheckConstraint(condition=Q(min_age__gte=60), name="visit_category_elders_only"),
        ]

    def __str__(self) -> str:
        return self.label


class VisitorKind(models.TextChoices):
    STAFF = "staff", "居村委工作人员"
    VOLUNTEER = "volunteer", "志愿者"


class Visitor(models.Model):
    """Who visits, for one committee: a committee staff account or a named volunteer."""

    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    kind = models.CharField("类型", max_length=12, choices=VisitorKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="工作人员账号")
    name = models.CharField("姓名", max_length=64)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    active = models.BooleanField("在岗", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee_id", "name"]
        verbose_name = "探访人员"
        verbose_name_plural = "探访人员"
        constraints = [
            models.CheckConstraint(condition=Q(kind="volunteer", user__isnull=True) | Q(kind="staff",
                                                                                      user__isnull=False),
                                   name="visitor_staff_has_account"),
            models.UniqueConstraint(fields=["committee", "user"], condition=Q(user__isnull=False),
                                    name="visitor_staff_once_per_committee"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class VisitTarget(models.Model):
    """An elder on the visit list, from ``started_on`` (until ``ended_on``).
    ``categories`` are those the elder meets at the last refresh;
    ``frequency_days`` the shortest of their frequencies; ``next_due_on`` =
    last visit + frequency (never visited: start + frequency), kept by the
    services (ADR 0034 § overdue)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="老年人")
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="居村委")
    categories = models.ManyToManyField(VisitCategory, related_name="targets", verbose_name="类别")
    frequency_days = models.PositiveSmallIntegerField("探访周期（天）")
    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, null=True, blank=True, related_name="targets",
                                verbose_name="探访人员")
    started_on = models.DateField("纳入日期")
    last_visited_on = models.DateField("最近探访日期", null=True, blank=True)
    next_due_on = models.DateField("下次应探访日期", db_index=True)
    ended_on = models.DateField("移出日期", null=True, blank=True)
    end_reason = models.CharField("移出原因", max_length=100, blank=True)

    class Meta:
        ordering = ["next_due_on", "id"]
        verbose_name = "探访对象"
        verbose_name_plural = "探访对象"
        indexes = [models.Index(fields=["street", "committee", "ended_on"])]
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True),
                                               name="visit_target_one_open_per_person")]

    def __str__(self) -> str:
        return f"探访对象 {self.person_id}"

    @property
    def open(self) -> bool:
        return self.ended_on is None


class VisitMode(models.TextChoices):
    HOME = "home", "上门"
    PHONE = "phone", "电话"


class VisitRecord(models.Model):
    target = models.ForeignKey(VisitTarget, on_delete=models.PROTECT, related_name="visits", verbose_name="探访对象")
    visited_on = models.DateField("探访日期")
    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="visits", verbose_name="探访人员")
    mode = models.CharField("方式", max_length=8, choices=VisitMode.choices)
    findings = models.TextField("探访情况")
    needs_follow_up = models.BooleanField("需要跟进", default=False)
    follow_up_note = models.CharField("跟进事项", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "探访记录"
        verbose_name_plural = "探访记录"
        constraints = [models.CheckConstraint(condition=Q(mode__in=["home", "phone"]), name="visit_mode_known")]


class TargetRefresh(models.Model):
    """One run of the list refresh: when, by whom, what changed."""

    run_on = models.DateField("刷新日期")
    run_by = models.CharField("刷新人", max_length=150)
    run_at = models.DateTimeField(auto_now_add=True)
    added = models.PositiveIntegerField("新纳入", default=0)
    ended = models.PositiveIntegerField("移出", default=0)
    changed = models.PositiveIntegerField("类别变化", default=0)
    open_total = models.PositiveIntegerField("名单人数", default=0)

    class Meta:
        ordering = ["-run_at", "-id"]
        verbose_name = "名单刷新"
        verbose_name_plural = "名单刷新"
