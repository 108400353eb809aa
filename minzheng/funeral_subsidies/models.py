"""Funeral and burial subsidies (殡葬补贴), granted without application (免申即享).

Law (docs/adr/0027-funeral-subsidies.md; the bureau's reference §11):

* 基本殡葬服务补贴 — up to the cap (``funeral.basic_subsidy_cap``, 980 yuan) per
  deceased, at actual cost, for body transport, ≤ 5 days refrigeration,
  flat-furnace cremation and ≤ 1 year ash storage; for Shanghai-hukou 优抚对象,
  低保、特困、定期定量、因病支出型贫困 recipients and people without social-insurance
  funeral pay (沪民规〔2017〕5号, extended by 沪民规〔2025〕10号).
* 海葬补贴 — per urn: ``funeral.sea_burial_family`` to the family and
  ``funeral.sea_burial_boat`` for the boat and insurance (settled with the boat
  operator). Other eco-burials (树葬、壁葬、草坪葬): the amounts are unknown, the
  grants stay 待核定 with the reason 参数缺失 until a cited value exists — in the
  parameter files or entered by staff (``CitedValue``, with the document's name
  and number).

A grant records the deceased (the registry person when known; the ID number
encrypted with a blind index and a masked copy, ADR 0002), why it was granted
(Chinese sentences), the amount in fen (null = not yet known, never zero) and
how it is paid. Money is integer fen.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.core.models import Division
from minzheng.registry.models import Person


class GrantKind(models.TextChoices):
    BASIC = "basic", "基本殡葬服务补贴"
    SEA_FAMILY = "sea_family", "海葬补贴（家属）"
    SEA_BOAT = "sea_boat", "海葬补贴（船舶及保险）"
    TREE = "tree", "树葬补贴"
    WALL = "wall", "壁葬补贴"
    LAWN = "lawn", "草坪葬补贴"


# Each kind's parameter (policy/parameters/funeral/<name>.yaml): basic = the cap per
# deceased; the others per urn (每具骨灰).
KIND_PARAMETERS: dict[str, str] = {
    GrantKind.BASIC: "funeral.basic_subsidy_cap",
    GrantKind.SEA_FAMILY: "funeral.sea_burial_family",
    GrantKind.SEA_BOAT: "funeral.sea_burial_boat",
    GrantKind.TREE: "funeral.tree_burial",
    GrantKind.WALL: "funeral.wall_burial",
    GrantKind.LAWN: "funeral.lawn_burial",
}


class PaymentMethod(models.TextChoices):
    SETTLEMENT = "settlement", "殡仪馆结算时抵扣"
    FAMILY_ACCOUNT = "family_account", "发放至家属账户"
    BOAT_OPERATOR = "boat_operator", "与船舶单位结算"


class GrantStatus(models.TextChoices):
    PENDING = "pending", "待核定"
    ASSESSED = "assessed", "已核定"
    DEDUCTED = "deducted", "已抵扣"
    TO_PAY = "to_pay", "待发放"
    IN_BATCH = "in_batch", "已纳入发放批次"
    PAID = "paid", "已发放"
    REFUSED = "refused", "不予补贴"


class Eligibility(models.TextChoices):
    """The basic subsidy's assessment: yes, no, or not yet known (inputs missing)."""

    ELIGIBLE = "eligible", "符合条件"
    NOT_ELIGIBLE = "not_eligible", "不符合条件"
    UNDETERMINED = "undetermined", "待确认（缺少信息）"


class BurialKind(models.TextChoices):
    SEA = "sea", "海葬"
    TREE = "tree", "树葬"
    WALL = "wall", "壁葬"
    LAWN = "lawn", "草坪葬"


BURIAL_GRANT_KINDS: dict[str, tuple[str, ...]] = {
    BurialKind.SEA: (GrantKind.SEA_FAMILY, GrantKind.SEA_BOAT),
    BurialKind.TREE: (GrantKind.TREE,),
    BurialKind.WALL: (GrantKind.WALL,),
    BurialKind.LAWN: (GrantKind.LAWN,),
}


class Deceased(models.Model):
    """The deceased's identity, as every record of this app keeps it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="人口库人员")
    deceased_name = models.CharField("逝者姓名", max_length=64)
    deceased_id_enc = models.TextField("身份证号（密文）")
    deceased_id_index = models.CharField("身份证号索引", max_length=40, db_index=True)
    deceased_id_masked = models.CharField("身份证号（脱敏）", max_length=18)
    death_date = models.DateField("死亡日期", null=True, blank=True)
    # jurisdiction: the deceased's street and committee of residence (none for a
    # deceased not in the registry: only district staff see the record)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="街镇")
    committee = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="居村委")

    class Meta:
        abstract = True


class EcoBurial(Deceased):
    """An eco-burial (节地生态安葬) recorded by staff: sea, tree, wall or lawn burial."""

    kind = models.CharField("安葬方式", max_length=8, choices=BurialKind.choices)
    burial_date = models.DateField("安葬日期")
    urns = models.PositiveSmallIntegerField("骨灰数（具）", default=1)
    payee = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="家属收款人")
    operator_name = models.CharField("船舶单位／安葬单位", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-burial_date", "-id"]
        verbose_name = "节地生态安葬"
        verbose_name_plural = "节地生态安葬"
        constraints = [models.CheckConstraint(condition=Q(urns__gte=1), name="eco_burial_urns_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.deceased_name}（{self.burial_date}）"


class Grant(Deceased):
    """One subsidy granted without application (免申即享) to one deceased.

    ``amount_fen`` null means not yet known (actual cost not yet settled, or
    the parameter is missing) — never zero. ``amount_basis`` records the value
    used (parameter or cited staff value, with provenance) and the cost.
    """

    kind = models.CharField("补贴类别", max_length=16, choices=GrantKind.choices)
    eligibility = models.CharField("资格", max_length=16, choices=Eligibility.choices, default=Eligibility.ELIGIBLE)
    reasons = models.JSONField("补贴理由", default=list, blank=True)
    missing = models.JSONField("缺少的信息", default=list, blank=True)
    # what staff confirmed of the facts the platform does not hold (null = unknown)
    dingqi_dingliang = models.BooleanField("领取定期定量生活补助", null=True, blank=True)
    funeral_pay = models.BooleanField("享受社会保险丧葬补助金", null=True, blank=True)
    facts_note = models.CharField("核实情况说明", max_length=200, blank=True)
    burial = models.ForeignKey(EcoBurial, on_delete=models.PROTECT, null=True, blank=True, related_name="grants",
                               verbose_name="安葬记录")
    urns = models.PositiveSmallIntegerField("骨灰数（具）", default=1)
    cost_fen = models.BigIntegerField("基本殡葬服务实际费用（分）", null=True, blank=True)
    cost_source = models.CharField("费用来源", max_length=200, blank=True)
    amount_fen = models.BigIntegerField("补贴金额（分）", null=True, blank=True)
    amount_basis = models.JSONField("金额依据", default=dict, blank=True)
    payment_method = models.CharField("支付方式", max_length=16, choices=PaymentMethod.choices, blank=True)
    status = models.CharField("状态", max_length=16, choices=GrantStatus.choices, default=GrantStatus.PENDING)
    status_reason = models.CharField("状态说明", max_length=300, blank=True)
    order_reference = models.CharField("殡仪馆结算单号", max_length=64, blank=True)
    payee = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="家属收款人")
    payment_reference = models.CharField("发放编号", max_length=64, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "殡葬补贴"
        verbose_name_plural = "殡葬补贴"
        indexes = [models.Index(fields=["street", "committee", "status"], name="funeral_grant_scope"),
                   models.Index(fields=["kind", "status"], name="funeral_grant_kind")]
        constraints = [
            # one basic subsidy per deceased (the listener and the funeral home's settlement meet here)
            models.UniqueConstraint(fields=["deceased_id_index"], condition=Q(kind="basic"),
                                    name="funeral_one_basic_grant_per_deceased"),
            models.UniqueConstraint(fields=["order_reference"], condition=~Q(order_reference=""),
                                    name="funeral_grant_order_reference_unique"),
            models.CheckConstraint(condition=Q(amount_fen__isnull=True) | Q(amount_fen__gte=0),
                                   name="funeral_grant_amount_not_negative"),
            models.CheckConstraint(condition=Q(cost_fen__isnull=True) | Q(cost_fen__gte=0),
                                   name="funeral_grant_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.deceased_name}"


class CitedValue(models.Model):
    """A subsidy amount entered by bureau staff where the parameter files have
    none, citing the document it comes from (name and number required).

    Per deceased for the basic subsidy, per urn for the burial subsidies. In
    force from ``effective_from`` until the next value of the same kind. Shown
    as 此参数尚未核实 (entered by staff, not yet in the parameter files)."""

    kind = models.CharField("补贴类别", max_length=16, choices=GrantKind.choices)
    effective_from = models.DateField("起始日期")
    amount_fen = models.BigIntegerField("金额（分）")
    document_name = models.CharField("依据文件名称", max_length=200)
    document_number = models.CharField("文号", max_length=100)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name = "补贴标准录入"
        verbose_name_plural = "补贴标准录入"
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="funeral_cited_value_one_per_date"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="funeral_cited_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_from}"
