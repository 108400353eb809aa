"""The demo's support funds for social organizations (ADR 0043).

**Demo data**: the calls, projects, reviewers, scores, amounts and accounts are
invented. What follows the seed's 2023 summary (四) — "2023年发放扶持资金近60万元，
惠及社会组织44家" — is the total: two 2023 calls award **44** organizations
**598,000.00 yuan** (近60万元) and pay it all, through the payments app:

* 2023年松江区公益创投大赛 (公益创投): 24 projects awarded (14 × 18,000 + 10 × 14,600 =
  398,000.00 yuan), 6 refused with reasons; 70 % paid at award, the rest after the
  final report was found 合格;
* 2023年社会组织专业支持扶持资金 (专业支持): 20 organizations × 10,000 = 200,000.00 yuan,
  paid in full at award.

Each step goes through the services (applications in the window, three reviewers'
score sheets, the award, the instalment requests, the final report and its review);
the instalments are paid by two one-off batches (2023-05 and 2023-12: prepared by
``bureau``, reviewed by ``checker``, approved by ``approver``, the bank file exported,
the bank's return imported, reconciled). The figures page counts these records.

This year: an open 公益创投 call with applications at each step (the demo account
``socorg``'s organization has applied; one scored, waiting for the decision; one
refused; one awarded) and a closed 初创支持 call (one project's final report waiting
for review, one found 合格 whose rest can be requested). Runs once.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q

from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.payments.services import (
    batch_approve,
    batch_export,
    batch_reconcile,
    batch_review,
    one_off_batch_create,
    payee_organisation_register,
    return_file_for,
    returns_import,
)
from minzheng.social_orgs.models import (
    FundApplication,
    FundCall,
    Organization,
    OrganizationAccount,
    OrgStatus,
)
from minzheng.social_orgs.support_funds import (
    PAYMENT_PROGRAM,
    application_file,
    award_decide,
    call_create,
    final_report_file,
    final_report_review,
    instalment_request,
    score_sheet_record,
)

ACTOR = "demo-setup"
BASIS = "《松江区促进社会组织高质量发展扶持办法》（演示）"
VENTURE_2023 = "2023年松江区公益创投大赛"
CRITERIA = [("项目需求与目标", 25), ("实施方案与可行性", 30), ("组织能力", 20), ("预算合理性", 15), ("社会效益与可持续性", 10)]
VENTURE_AWARDS = [18_000_00] * 14 + [14_600_00] * 10  # 398,000.00 yuan
PROFESSIONAL_AWARDS = [10_000_00] * 20  # 200,000.00 yuan
VENTURE_REFUSED = 6
TOTAL_2023_FEN = sum(VENTURE_AWARDS) + sum(PROFESSIONAL_AWARDS)  # 598,000.00 yuan: "近60万元"
REVIEWERS = ("周敏（演示专家）", "陆建平（演示专家）", "沈晓红（演示专家）")
PROJECTS = ("银龄互助", "邻里守望", "青少年成长陪伴", "困境儿童关爱", "社区睦邻节", "残障人士融合", "家庭教育指导",
            "心理健康进社区", "垃圾分类宣传", "乡村振兴助农", "新就业群体关爱", "失智老人照护支持")


def _account(i: int) -> str:
    return f"62284800{i:011d}"


def _sheet(application: FundApplication, rng: random.Random, reviewer: str, bureau: User) -> None:
    points = {c.pk: max(0, c.weight - rng.randrange(0, max(2, c.weight // 3))) for c in application.call.criteria.all()}
    score_sheet_record(actor=bureau, application=application, reviewer=reviewer, points=points)


def _pay_batch(month: str, bureau: User, checker: User, approver: User) -> int:
    """The queued instalments as a one-off batch, all the way to paid and reconciled."""
    batch = one_off_batch_create(actor=bureau, program=PAYMENT_PROGRAM, month=month)
    if batch is None:
        return 0
    batch_review(actor=checker, batch=batch, note="明细与控制数核对无误")
    batch_approve(actor=approver, batch=batch, note="同意拨付")
    batch_export(actor=bureau, batch=batch)
    returns_import(actor=bureau, batch=batch, filename=f"回盘-{batch.number}.csv", content=return_file_for(batch))
    batch_reconcile(actor=bureau, batch=batch)
    return batch.control_count


def support_funds_seed(*, bureau: User, checker: User, approver: User, account: User | None = None,
                       today: dt.date, seed: int = 2024) -> str:
    """The 2023 calls (44 organizations, 598,000.00 yuan, paid) and this year's calls."""
    if FundCall.objects.filter(year=2023, title=VENTURE_2023).exists():
        return "演示扶持资金已存在，未重复生成。"
    rng = random.Random(seed)
    own = OrganizationAccount.objects.filter(user=account).values_list("organization_id", flat=True).first() \
        if account is not None else None
    pool = list(Organization.objects.filter(status=OrgStatus.NORMAL, registered_on__lt=dt.date(2023, 1, 1),
                                            committee__isnull=False).exclude(pk=own).order_by("pk"))
    needed = len(VENTURE_AWARDS) + VENTURE_REFUSED + len(PROFESSIONAL_AWARDS) + 6
    if len(pool) < needed:
        return "没有足够的演示社会组织，跳过演示扶持资金。"
    rng.shuffle(pool)
    for i, org in enumerate(pool[:needed]):  # their accounts with the payments app (synthetic)
        payee_organisation_register(actor=ACTOR, name=org.name, uscc=org.uscc, bank_name="上海农商银行松江支行（演示）",
                                    number=_account(i + 1), reason="演示收款账户", synthetic=True)
    venture = call_create(actor=bureau, kind="venture", year=2023, title=VENTURE_2023, basis=BASIS,
                          budget_fen=420_000_00, max_per_project_fen=20_000_00, opens_on=dt.date(2023, 3, 1),
                          closes_on=dt.date(2023, 4, 15), first_instalment_percent=70, criteria=CRITERIA,
                          today=dt.date(2023, 2, 20))
    professional = call_create(actor=bureau, kind="professional", year=2023, title="2023年社会组织专业支持扶持资金",
                               basis=BASIS, budget_fen=200_000_00, max_per_project_fen=10_000_00,
                               opens_on=dt.date(2023, 3, 1), closes_on=dt.date(2023, 3, 31),
                               first_instalment_percent=100, criteria=CRITERIA, today=dt.date(2023, 2, 20))
    orgs = iter(pool)
    awarded: list[FundApplication] = []
    plan = ([(venture, a) for a in VENTURE_AWARDS] + [(venture, None)] * VENTURE_REFUSED
            + [(professional, a) for a in PROFESSIONAL_AWARDS])
    for n, (call, amount) in enumerate(plan):
        filed = call.opens_on + dt.timedelta(days=rng.randrange((call.closes_on - call.opens_on).days + 1))
        requested = amount if amount is not None and rng.random() < 0.5 else call.max_per_project_fen
        application = application_file(actor=ACTOR, call=call, organization=next(orgs),
                                       project_name=f"{PROJECTS[n % len(PROJECTS)]}项目（演示）",
                                       summary="面向社区居民开展的公益服务项目（演示）", requested_fen=requested, today=filed)
        for reviewer in REVIEWERS:
            _sheet(application, rng, reviewer, bureau)
        decided = dt.date(2023, 5, 10)
        if amount is None:
            award_decide(actor=bureau, application=application, award=False, amount_fen=None,
                         reason="评审得分未进入资助范围（演示）", on=decided, today=decided)
            continue
        awarded.append(award_decide(actor=bureau, application=application, award=True, amount_fen=amount,
                                    reason="评审通过，予以资助", on=decided, today=decided))
        instalment_request(actor=bureau, application=application, today=dt.date(2023, 5, 15))
    paid = _pay_batch("2023-05", bureau, checker, approver)
    for application in awarded:
        filed = dt.date(2023, 11, 20) + dt.timedelta(days=rng.randrange(15))
        report = final_report_file(actor=ACTOR, application=application, outcomes="按计划完成项目服务（演示）",
                                   beneficiaries=rng.randrange(80, 1500), spent_fen=application.awarded_fen or 0,
                                   spending_note="人员劳务、活动物资和宣传费用（演示）", today=filed)
        final_report_review(actor=bureau, report=report, conclusion="qualified", reasons="", on=dt.date(2023, 12, 10),
                            today=dt.date(2023, 12, 10))
        if application.call.first_instalment_percent < 100:
            instalment_request(actor=bureau, application=application, today=dt.date(2023, 12, 12))
    paid += _pay_batch("2023-12", bureau, checker, approver)
    current = _this_year(rng, today, bureau, own, pool[len(plan):needed])
    audit_record(actor=ACTOR, action="demo_data.social_org_funds", object_type="FundCall", object_id="demo",
                 changes={"fund_calls": FundCall.objects.count(), "fund_applications": FundApplication.objects.count()})
    return (f"演示扶持资金：2023年资助社会组织 {len(awarded)} 家、{TOTAL_2023_FEN / 100:,.2f} 元（拨付 {paid} 笔，已发放）；"
            f"{current}")


def _this_year(rng: random.Random, today: dt.date, bureau: User, own: int | None, orgs: list[Organization]) -> str:
    """An open 公益创投 call with applications at each step and a closed 初创支持 call."""
    year = today.year
    open_call = call_create(actor=bureau, kind="venture", year=year, title=f"{year}年松江区公益创投大赛（演示）",
                            basis=BASIS, budget_fen=400_000_00, max_per_project_fen=20_000_00,
                            opens_on=today - dt.timedelta(days=20), closes_on=today + dt.timedelta(days=25),
                            first_instalment_percent=70, criteria=CRITERIA, today=today)
    closed = call_create(actor=bureau, kind="startup", year=year, title=f"{year}年社会组织初创支持（演示）", basis=BASIS,
                         budget_fen=100_000_00, max_per_project_fen=10_000_00,
                         opens_on=today - dt.timedelta(days=150), closes_on=today - dt.timedelta(days=120),
                         first_instalment_percent=50, criteria=[("组织能力", 50), ("发展规划", 50)], today=today)
    filed_open = today - dt.timedelta(days=10)

    def file(call: FundCall, org: Organization, name: str, amount: int, on: dt.date) -> FundApplication:
        return application_file(actor=ACTOR, call=call, organization=org, project_name=f"{name}（演示）",
                                summary="面向社区居民开展的公益服务项目（演示）", requested_fen=amount, today=on)

    if own is not None:
        file(open_call, Organization.objects.get(pk=own), "社区长者数字助老", 18_000_00, filed_open)
    scored = file(open_call, orgs[0], "邻里守望", 20_000_00, filed_open)
    for reviewer in REVIEWERS[:2]:
        _sheet(scored, rng, reviewer, bureau)
    refused = file(open_call, orgs[1], "社区睦邻节", 15_000_00, filed_open)
    award_decide(actor=bureau, application=refused, award=False, amount_fen=None,
                 reason="项目内容与本次创投方向不符（演示）", on=today, today=today)
    awarded = file(open_call, orgs[2], "困境儿童关爱", 20_000_00, filed_open)
    _sheet(awarded, rng, REVIEWERS[0], bureau)
    award_decide(actor=bureau, application=awarded, award=True, amount_fen=16_000_00, reason="评审通过，予以资助",
                 on=today, today=today)
    started = closed.opens_on + dt.timedelta(days=3)
    waiting, done = (file(closed, orgs[3], "新设机构能力建设", 10_000_00, started),
                     file(closed, orgs[4], "初创团队专业督导", 8_000_00, started))
    for application, amount in ((waiting, 10_000_00), (done, 8_000_00)):
        _sheet(application, rng, REVIEWERS[1], bureau)
        award_decide(actor=bureau, application=application, award=True, amount_fen=amount, reason="予以扶持",
                     on=closed.closes_on + dt.timedelta(days=10), today=today)
        instalment_request(actor=bureau, application=application, today=closed.closes_on + dt.timedelta(days=12))
        final_report_file(actor=ACTOR, application=application, outcomes="完成机构能力建设（演示）", beneficiaries=60,
                          spent_fen=amount, spending_note="培训和督导费用（演示）", today=today - dt.timedelta(days=5))
    final_report_review(actor=bureau, report=done.final_report, conclusion="qualified", reasons="", on=today,
                        today=today)
    waiting_count = FundApplication.objects.filter(Q(call=open_call) | Q(call=closed)).count()
    return f"{year}年申报中的公益创投和已截止的初创支持共 {waiting_count} 个项目（各个环节）"
