"""The demo district's social organizations (ADR 0039).

**Demo data, not published records**: every name carries （演示）, the codes
(valid check characters), legal representatives (synthetic ID numbers),
addresses, supervising units and dates are invented. What follows the seed's
2023 summary (四): at the end of 2023, **823** organizations in business —
**148** social groups and **675** social service institutions —, **343**
community organizations (42 %); in 2023 **29** newly registered, **21**
deregistered (注销, not in the 823), two revoked zombies (撤销); **142**
organizations with a change registration in 2023 (one dated change line each,
the history of the register), **295** renewals and **186** charter approvals —
each an approved registration matter decided in 2023 —, and a few matters of
this year still in hand. The figures pages count these records like real
ones; nothing here writes a figure.

Bulk-created (seconds, not minutes) with one audit entry; safe to run again:
it does nothing once the first demo organization exists. ``account`` (the demo
account of role 社会组织) is linked to one service institution.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from stdnum.cn import uscc

from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.personal_data import blind_index_many, encrypt_many, mask_id_number
from minzheng.registry.services import with_check_character
from minzheng.social_orgs.models import (
    AnnualReport,
    Matter,
    MatterKind,
    MatterStatus,
    Organization,
    OrganizationAccount,
    OrganizationChange,
    OrgKind,
    OrgStatus,
    PartyBuildingCheck,
    PartyStage,
    PartyStatus,
    ReportStatus,
)
from minzheng.social_orgs.selectors import due_organizations
from minzheng.social_orgs.services import REQUIRED_DOCUMENTS

ACTOR = "demo-setup"
DEMO = "（演示）"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
GROUPS, INSTITUTIONS = 148, 675          # in business at the end of 2023 (seed)
NEW_2023, DEREGISTERED_2023, REVOKED_2023, CHANGED_2023 = 29, 21, 2, 142
RENEWALS_2023, CHARTERS_2023 = 295, 186
REGISTERED_2022, FILED_2022 = 13, 745  # → 804 due for report year 2022, 745 filed (92.7 %)
CONCLUSIONS = (("qualified", 88), ("basic", 9), ("unqualified", 3))
COMMUNITY = 343
SUPERVISORS = ("松江区民政局", "松江区教育局", "松江区卫生健康委员会", "松江区文化和旅游局", "松江区体育局",
               "松江区科学技术委员会", "松江区人力资源和社会保障局", "松江区工商业联合会", "松江区农业农村委员会")
GROUP_NAMES = ("书画协会", "摄影协会", "老年体育协会", "志愿者协会", "慈善联合会", "企业联合会", "餐饮行业协会",
               "物业管理行业协会", "社会工作者协会", "科普协会", "象棋协会", "商会")
INSTITUTION_NAMES = ("为老服务社", "社区服务中心", "社会工作服务社", "青少年事务服务中心", "幼儿园",
                     "职业技能培训学校", "康复服务中心", "文化艺术培训中心", "公益发展中心", "睦邻服务社",
                     "心理健康服务中心", "体育俱乐部")
SURNAMES = "张王陈李徐朱周沈陆顾吴黄杨刘金钱孙姚蒋胡"
GIVEN = ("建国", "秀英", "志明", "美华", "卫东", "丽萍", "国强", "晓燕", "伟", "敏", "勇", "静", "磊", "洁")
FIELDS_CHANGED = (("address", "住所"), ("legal_rep_name", "法定代表人"), ("supervisor", "业务主管单位（行业管理部门）"),
                  ("business_scope", "业务范围"))


def _uscc(kind: str, n: int) -> str:
    head = {OrgKind.SOCIAL_GROUP: "51", OrgKind.SERVICE_INSTITUTION: "52", OrgKind.FOUNDATION: "53"}[kind]
    body = head + "310117" + "MJ" + "".join(ALPHABET[(n // 31**i) % 31] for i in range(6, -1, -1))
    return body + uscc.calc_check_digit(body)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def social_orgs_seed(*, account: User | None = None, seed: int = 2024, today: dt.date | None = None) -> str:
    """Register the demo district's organizations (once) and link ``account``."""
    if Organization.objects.filter(name__endswith=DEMO).exists():
        return "演示社会组织已存在，未重复生成。"
    rng = random.Random(seed)
    today = today or dt.date.today()
    committees = list(Division.objects.filter(level=DivisionLevel.COMMITTEE).order_by("code"))
    y2023, end2023 = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    plan: list[tuple[str, str]] = []  # (kind, fate) fate: active | new2023 | deregistered | revoked
    kinds = [OrgKind.SOCIAL_GROUP] * GROUPS + [OrgKind.SERVICE_INSTITUTION] * INSTITUTIONS
    rng.shuffle(kinds)
    plan += [(k, "new2023" if i < NEW_2023 else "active") for i, k in enumerate(kinds)]
    plan += [(rng.choice([OrgKind.SOCIAL_GROUP, OrgKind.SERVICE_INSTITUTION]), "deregistered")
             for _ in range(DEREGISTERED_2023)]
    plan += [(OrgKind.SERVICE_INSTITUTION, "revoked") for _ in range(REVOKED_2023)]
    community = set(rng.sample(range(GROUPS + INSTITUTIONS), COMMUNITY))
    # 13 of the old ones registered during 2022: they first report for 2023, so 804 are due for 2022
    registered_2022 = set(rng.sample(range(NEW_2023, GROUPS + INSTITUTIONS), REGISTERED_2022))
    numbers = []
    for i in range(len(plan)):
        birth = _day(rng, dt.date(1955, 1, 1), dt.date(1990, 12, 31))
        numbers.append(with_check_character(f"310117{birth:%Y%m%d}{i % 1000:03d}"))
    ciphers, indexes = encrypt_many(numbers), blind_index_many(numbers)
    organizations = []
    for i, (kind, fate) in enumerate(plan):
        names = GROUP_NAMES if kind == OrgKind.SOCIAL_GROUP else INSTITUTION_NAMES
        committee = rng.choice(committees) if committees else None
        place = committee.name.removesuffix("居委会").removesuffix("村委会") if committee else "松江"
        if fate == "new2023":
            registered = _day(rng, y2023, end2023)
        elif i in registered_2022:
            registered = _day(rng, dt.date(2022, 1, 1), dt.date(2022, 12, 31))
        else:
            registered = _day(rng, dt.date(2000, 1, 1), dt.date(2021, 12, 31))
        status, status_on, reason = OrgStatus.NORMAL, None, ""
        if fate == "deregistered":
            status, status_on, reason = OrgStatus.DEREGISTERED, _day(rng, y2023, end2023), "清算报告已备案，准予注销登记"
        elif fate == "revoked":
            status, status_on, reason = OrgStatus.REVOKED, _day(rng, y2023, end2023), "连续两年未参加年检，撤销登记"
        organizations.append(Organization(
            name=f"松江区{place}{names[i % len(names)]}{i + 1:03d}{DEMO}", kind=kind, uscc=_uscc(kind, i + 1),
            legal_rep_name=rng.choice(SURNAMES) + rng.choice(GIVEN), legal_rep_id_enc=ciphers[i],
            legal_rep_id_index=indexes[i], legal_rep_id_masked=mask_id_number(numbers[i]),
            supervisor=rng.choice(SUPERVISORS),
            registered_capital_fen=None if rng.random() < 0.03 else rng.choice((3, 5, 10, 20, 50)) * 10_000_00,
            address=f"松江区{place}路{rng.randrange(1, 999)}号", committee=committee,
            street_id=committee.parent_id if committee else None,
            business_scope="开展" + names[i % len(names)].removesuffix("协会") + "相关的公益服务、培训和交流活动",
            registered_on=registered, status=status, status_on=status_on, status_reason=reason,
            party_status=rng.choices(PartyStatus.values, weights=(20, 35, 30, 15))[0] if rng.random() < 0.9 else "",
            community=i in community))
    with transaction.atomic():
        Organization.objects.bulk_create(organizations, batch_size=500)
        saved = list(Organization.objects.filter(name__endswith=DEMO).order_by("pk"))
        lines: list[OrganizationChange] = []
        checks: list[PartyBuildingCheck] = []
        for org in saved:
            lines.append(OrganizationChange(organization=org, changed_on=org.registered_on, field="registration",
                                            new_value=org.name, reason="成立登记", recorded_by=ACTOR))
            if org.status != OrgStatus.NORMAL:
                lines.append(OrganizationChange(organization=org, changed_on=org.status_on, field="status",
                                                old_value="正常", new_value=OrgStatus(org.status).label,
                                                reason=org.status_reason, recorded_by=ACTOR))
            if org.party_status and org.registered_on.year >= 2019:
                checks.append(PartyBuildingCheck(organization=org, stage=PartyStage.REGISTRATION,
                                                 checked_on=org.registered_on, party_status=org.party_status,
                                                 note="登记时"))
        active_old = [o for o in saved if o.status == OrgStatus.NORMAL and o.registered_on < y2023]
        matters: list[Matter] = []

        def approved(kind: str, org: Organization, on: dt.date) -> None:
            applied = on - dt.timedelta(days=rng.randrange(10, 40))
            matters.append(Matter(kind=kind, organization=org, name=org.name, applied_on=applied,
                                  applicant=ACTOR, status=MatterStatus.APPROVED,
                                  accepted_on=applied + dt.timedelta(days=2), documents=list(REQUIRED_DOCUMENTS[kind]),
                                  review_opinion="同意：业务主管单位审查同意", reviewed_on=on - dt.timedelta(days=3),
                                  proposed={"supervisor_agrees": True}, decided_on=on, decided_by=ACTOR,
                                  decision_reason="符合条件"))

        for org in saved:
            if org.registered_on.year == 2023:
                approved(MatterKind.ESTABLISHMENT, org, org.registered_on)
            if org.status == OrgStatus.DEREGISTERED:
                approved(MatterKind.DEREGISTRATION, org, org.status_on)
        for kind, count in ((MatterKind.RENEWAL, RENEWALS_2023), (MatterKind.CHARTER, CHARTERS_2023)):
            for org in rng.sample(active_old, count):
                on = _day(rng, y2023, end2023)
                approved(kind, org, on)
                lines.append(OrganizationChange(organization=org, changed_on=on, field=kind,
                                                new_value=MatterKind(kind).label, reason=MatterKind(kind).label,
                                                recorded_by=ACTOR))
        for org in rng.sample(active_old, CHANGED_2023):
            field, label = rng.choice(FIELDS_CHANGED)
            on = _day(rng, y2023, end2023)
            approved(MatterKind.CHANGE, org, on)
            old, new = {"address": ("松江区旧址路1号", org.address), "legal_rep_name": ("原法定代表人", org.legal_rep_name),
                        "supervisor": ("松江区民政局", org.supervisor),
                        "business_scope": ("原业务范围", org.business_scope)}[field]
            lines.append(OrganizationChange(organization=org, changed_on=on, field=field, old_value=old,
                                            new_value=new, reason=f"变更登记（{label}）", recorded_by=ACTOR))
        OrganizationChange.objects.bulk_create(lines, batch_size=1000)
        # this year's matters still in hand: a few at each step (no time limit entered: 参数缺失)
        this_year = [o for o in active_old if o.pk not in {m.organization_id for m in matters}]
        for step, org in zip([MatterStatus.SUBMITTED] * 3 + [MatterStatus.ACCEPTED] * 2 + [MatterStatus.REVIEWED],
                             this_year, strict=False):
            kind = rng.choice([MatterKind.RENEWAL, MatterKind.CHARTER])
            matters.append(Matter(kind=kind, organization=org, name=org.name, applied_on=today - dt.timedelta(days=8),
                                  applicant=ACTOR, status=step, documents=list(REQUIRED_DOCUMENTS[kind]),
                                  accepted_on=None if step == MatterStatus.SUBMITTED else today - dt.timedelta(days=6),
                                  review_opinion="同意：业务主管单位审查同意" if step == MatterStatus.REVIEWED else "",
                                  reviewed_on=today - dt.timedelta(days=2) if step == MatterStatus.REVIEWED else None,
                                  proposed={"supervisor_agrees": True} if step == MatterStatus.REVIEWED else {}))
        Matter.objects.bulk_create(matters, batch_size=1000)
        reports = _reports(rng, today, account_org=None if account is None else next(
            o for o in saved if o.kind == OrgKind.SERVICE_INSTITUTION and o.status == OrgStatus.NORMAL))
        PartyBuildingCheck.objects.bulk_create(checks, batch_size=1000)
        linked = ""
        if account is not None:
            own = next(o for o in saved if o.kind == OrgKind.SERVICE_INSTITUTION and o.status == OrgStatus.NORMAL)
            OrganizationAccount.objects.get_or_create(user=account, defaults={"organization": own})
            linked = f"；账号 {account.username} 关联“{own.name}”"
        audit_record(actor=ACTOR, action="demo_data.social_orgs", object_type="Organization", object_id="demo",
                     changes={"organizations": len(saved), "changes": len(lines), "matters": len(matters),
                              "reports": reports})
    in_business = sum(1 for o in saved if o.status == OrgStatus.NORMAL)
    return (f"演示社会组织 {len(saved)} 家（正常 {in_business} 家：社会团体 {GROUPS}、社会服务机构 {INSTITUTIONS}；"
            f"2023年注销 {DEREGISTERED_2023}、撤销 {REVOKED_2023}），变更记录 {len(lines)} 条，登记事项 {len(matters)} 件，年度报告 {reports} 份"
            f"{linked}")


def _report(rng: random.Random, org: Organization, year: int, filed_on: dt.date, reviewed: bool) -> AnnualReport:
    income = rng.randrange(5, 500) * 10_000_00
    party = org.party_status or PartyStatus.NONE
    conclusion = rng.choices([c for c, _ in CONCLUSIONS], weights=[w for _, w in CONCLUSIONS])[0] if reviewed else ""
    return AnnualReport(
        organization=org, year=year, income_fen=income, expense_fen=income * rng.randrange(70, 105) // 100,
        net_assets_fen=rng.randrange(1, 300) * 10_000_00, activities=rng.randrange(2, 60),
        activities_summary="按章程开展业务活动（演示）", staff=rng.randrange(1, 30), volunteers=rng.randrange(0, 200),
        party_status=party, party_members=rng.randrange(3, 12) if party == PartyStatus.SEPARATE else
        rng.randrange(0, 3), filed_on=filed_on, filed_by=ACTOR,
        status=ReportStatus.REVIEWED if reviewed else ReportStatus.FILED, conclusion=conclusion,
        review_reasons="" if conclusion in ("", "qualified") else "财务管理不规范，限期整改（演示）",
        reviewed_on=filed_on + dt.timedelta(days=30) if reviewed else None, reviewed_by=ACTOR if reviewed else "")


def _reports(rng: random.Random, today: dt.date, account_org: Organization | None) -> int:
    """2022's reports (745 of the 804 due, reviewed in 2023) and last year's so far (about
    two thirds filed, half of them reviewed; the demo account's organization has not filed)."""
    rows: list[AnnualReport] = []
    due_2022 = list(due_organizations(2022).filter(name__endswith=DEMO).order_by("pk"))
    for org in rng.sample(due_2022, FILED_2022):
        rows.append(_report(rng, org, 2022, _day(rng, dt.date(2023, 3, 1), dt.date(2023, 5, 31)), True))
    last = today.year - 1
    if last > 2022:
        for org in due_organizations(last).filter(name__endswith=DEMO, status=OrgStatus.NORMAL).order_by("pk"):
            if org == account_org or rng.random() > 0.66:
                continue
            filed = min(today, dt.date(today.year, 3, 1) + dt.timedelta(days=rng.randrange(0, 90)))
            rows.append(_report(rng, org, last, filed, reviewed=rng.random() < 0.5 and filed < today))
    AnnualReport.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
