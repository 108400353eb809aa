"""The demo district's funeral and burial subsidies (殡葬补贴, ADR 0027).

The grants arise from the demo's recorded deaths of the last three years (the
demo population's deaths fall in the year before its as-of date, 2025-08-31)
through the same function the registry's death listener calls
(``services.grant_on_death``): the demo population's deaths are bulk-written,
so no listener ran for them. Then, as a
year of work would leave them:

* the street's checks of what the platform does not hold (social-insurance
  funeral pay, 定期定量) answered for most undetermined grants (demo answers);
* most basic grants with eligibility settled at the district funeral home
  (``basic_subsidy_settle``: min(cap, actual cost)); a few held elsewhere,
  priced from receipts and waiting to be paid to a family member's account;
* a few sea burials a year (about one deceased in twenty, at least two), the
  family's part paid to a living household member with an account, the boat's
  part owed to the operator;
* one tree burial whose amount is unknown (待核定, 参数缺失).

**Demo data, not policy**: the basic-service costs (drawn between 600 and
1,500 yuan, as a demo funeral home's prices for transport, refrigeration,
cremation and ash storage), the order references, the receipts, the boat
operator's name and who chose which burial are synthetic. Every amount
granted comes from the parameter files. Idempotent: a second run skips
(marker: any eco-burial exists).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.funeral_subsidies import services
from minzheng.funeral_subsidies.models import EcoBurial, Eligibility, Grant, GrantKind, GrantStatus
from minzheng.payments.models import AccountStatus, PayeeAccount
from minzheng.registry.models import HouseholdMembership, Person

OPERATOR = "演示海葬船舶服务公司"
COST_RANGE_FEN = (60_000, 150_000)


def _family_payee(person: Person) -> Person | None:
    """A living member, with an active account, of the household the deceased left."""
    households = HouseholdMembership.objects.filter(person=person).values("household_id")
    members = (HouseholdMembership.objects.filter(household_id__in=households, person__alive=True)
               .exclude(person=person).values_list("person_id", flat=True))
    account = (PayeeAccount.objects.filter(person_id__in=members, status=AccountStatus.ACTIVE)
               .select_related("person").order_by("person_id").first())
    return account.person if account else None


@transaction.atomic
def funeral_subsidies_seed(*, bureau: User, seed: int = 2024, today: dt.date | None = None) -> str:
    if EcoBurial.objects.exists():
        return "\n殡葬补贴：已有演示数据，跳过"
    today = today or timezone.localdate()
    rng = random.Random(f"funeral-subsidies-{seed}")
    deceased = list(Person.objects.filter(alive=False, death_date__gte=today - dt.timedelta(days=3 * 365),
                                          death_date__lte=today, merged_into__isnull=True).order_by("id"))
    created = [g for p in deceased
               if (g := services.grant_on_death(actor=bureau, person=p, death_date=p.death_date)) is not None]
    confirmed = []
    for grant in created:  # the street's checks with the social-insurance centre (demo answers)
        if grant.eligibility == Eligibility.UNDETERMINED and grant.person_id is not None:
            draw = rng.random()
            if draw < 0.6:
                grant = services.grant_confirm_facts(actor=bureau, grant=grant, dingqi_dingliang=None,
                                                     funeral_pay=False, note="区社保中心答复：未享受丧葬补助金（演示）")
            elif draw < 0.8:
                grant = services.grant_confirm_facts(actor=bureau, grant=grant, dingqi_dingliang=False,
                                                     funeral_pay=True, note="区社保中心答复：已享受丧葬补助金（演示）")
        confirmed.append(grant)
    settled = elsewhere = 0
    for grant in confirmed:
        if grant.eligibility != Eligibility.ELIGIBLE:
            continue
        cost = rng.randrange(COST_RANGE_FEN[0], COST_RANGE_FEN[1], 50)
        if rng.random() < 0.85:
            services.basic_subsidy_settle(actor=bureau, person=grant.person, id_number="", name=grant.deceased_name,
                                          death_date=grant.death_date, basic_cost_fen=cost,
                                          order_reference=f"演示结算单-{grant.pk:06d}")
            settled += 1
        else:
            grant = services.grant_enter_receipts(actor=bureau, grant=grant, cost_fen=cost,
                                                  note="外区殡仪馆（演示票据）")
            payee = _family_payee(grant.person)
            if payee is not None:
                services.grant_choose_payee(actor=bureau, grant=grant, payee=payee)
            elsewhere += 1
    sea_count = max(2, len(deceased) // 20)
    candidates = list(deceased)
    rng.shuffle(candidates)
    sea = 0
    for person in candidates[:sea_count]:
        burial_day = min(today, person.death_date + dt.timedelta(days=rng.randrange(20, 90)))
        services.eco_burial_record(actor=bureau, kind="sea", burial_date=burial_day, person=person, name="",
                                   id_number="", urns=1 if rng.random() < 0.85 else 2,
                                   payee=_family_payee(person), operator_name=OPERATOR, note="演示数据")
        sea += 1
    tree = candidates[sea_count] if len(candidates) > sea_count else None
    if tree is not None:
        services.eco_burial_record(actor=bureau, kind="tree", burial_date=min(today, tree.death_date
                                                                              + dt.timedelta(days=30)),
                                   person=tree, name="", id_number="", urns=1, payee=_family_payee(tree),
                                   note="演示数据：金额尚无依据，待核定")
    counts = {"grants": Grant.objects.count(), "burials": EcoBurial.objects.count()}
    audit_record(actor=bureau, action="demo_data.funeral_subsidies", object_type="DemoData", changes=counts)
    pending = Grant.objects.filter(status=GrantStatus.PENDING, kind=GrantKind.BASIC).count()
    return (f"\n殡葬补贴（免申即享）：近三年死亡 {len(deceased)} 人，生成基本殡葬服务补贴 {len(created)} 笔"
            f"（殡仪馆结算抵扣 {settled} 笔、外区票据核定 {elsewhere} 笔、待核定 {pending} 笔）；"
            f"海葬 {sea} 例{'、树葬 1 例（金额参数缺失，待核定）' if tree is not None else ''}；费用、票据和船舶单位为演示数据")
