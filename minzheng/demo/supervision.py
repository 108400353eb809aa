"""The demo district's 2024 双随机 inspection of its care institutions (ADR 0030).

**Everything here is demo data**: the experts and their organisations are
synthetic, the findings and answers invented, the seed chosen for the demo.
It runs over the 养老院 the facilities demo created (nothing to do if there are
none): one 2024 plan for the district with a recorded draw, inspections with
findings, and rectification orders in each state — accepted, awaiting
verification, sent back, open — the overdue ones escalated once; the results
approved (maker-checker: the bureau submits, the deputy director approves) and
so published on the public page. Writes go through the services. Safe to run
again: it does nothing once the demo plan exists.
"""

from __future__ import annotations

import datetime as dt

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.core.models import User
from minzheng.supervision import services
from minzheng.supervision.models import (
    ChecklistVersion,
    ExclusionReason,
    Inspector,
    InspectorKind,
    ItemOutcome,
    Plan,
)

ACTOR = "demo-setup"
PLAN_NAME = "2024年度养老机构双随机抽查（演示）"
SEED = 20240401
EXPERTS = (("周明（演示）", "演示消防技术服务公司"), ("何静（演示）", "演示会计师事务所"),
           ("陆文（演示）", "演示护理专业委员会"))
FINDINGS = ("部分楼层灭火器压力不足（演示）", "留样记录不全（演示）", "两名老年人入住评估未按期复评（演示）")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def supervision_seed(*, bureau: User, approver: User, street: User, today: dt.date) -> str:
    if Plan.objects.filter(name=PLAN_NAME).exists():
        return "演示双随机检查计划已存在，跳过"
    homes = list(Facility.objects.filter(kind=FacilityKind.CARE_HOME, status=FacilityStatus.OPERATING)
                 .order_by("id"))
    checklist = ChecklistVersion.objects.order_by("-version").first()
    if not homes or checklist is None:
        return "没有运营中的演示养老院，跳过双随机检查演示"
    pool = list(Inspector.objects.filter(active=True))
    if not pool:
        for user in (bureau, street):
            pool.append(services.inspector_add(actor=ACTOR, name=user.full_name or user.username,
                                               kind=InspectorKind.STAFF, user=user, organisation="松江区民政局（演示）"))
        for name, organisation in EXPERTS:
            pool.append(services.inspector_add(actor=ACTOR, name=name, kind=InspectorKind.EXPERT,
                                               organisation=organisation))
        services.exclusion_add(actor=ACTOR, inspector=pool[2], facility=homes[0], reason=ExclusionReason.WORKED,
                               note="2019年至2021年曾在该院任职（演示）")
    plan = services.plan_create(actor=ACTOR, name=PLAN_NAME, period_start=dt.date(2024, 4, 1),
                                period_end=dt.date(2024, 11, 30), institutions_to_draw=min(5, len(homes)),
                                inspectors_per_institution=2, checklist=checklist)
    plan = services.draw_record(actor=ACTOR, plan=plan, seed=SEED)
    items = list(checklist.items.all())
    for n, inspection in enumerate(plan.inspections.order_by("id")):
        inspected_on = dt.date(2024, 5, 14) + dt.timedelta(days=14 * n)
        findings = {} if n % 5 == 0 else {items[(3 * n) % len(items)].pk: FINDINGS[n % len(FINDINGS)]}
        services.inspection_record(actor=ACTOR, inspection=inspection, results={
            item.pk: (ItemOutcome.ISSUE, findings[item.pk]) if item.pk in findings else (ItemOutcome.PASS, "")
            for item in items}, photos={pk: PNG for pk in findings})
        services.inspection_complete(actor=ACTOR, inspection=inspection, inspected_on=inspected_on)
        if not findings:
            continue
        order = services.order_issue(actor=ACTOR, inspection=inspection, requirement="按检查发现的问题限期整改，"
                                     "并上传整改前后照片或记录（演示）", working_days=15, issued_on=inspected_on)
        state = n % 5  # 1 accepted, 2 awaiting verification, 3 sent back, 4 open
        if state in (1, 2, 3):
            services.order_respond(actor=ACTOR, order=order, text="已整改，附整改后照片（演示）",
                                   evidence_name="整改照片（演示）.png", evidence=PNG)
        if state == 1:
            services.order_verify(actor=ACTOR, order=order, accepted=True, on=inspected_on + dt.timedelta(days=20))
        elif state == 3:
            services.order_verify(actor=ACTOR, order=order, accepted=False, note="照片未体现全部楼层，请补充（演示）")
    services.plan_submit(actor=bureau, plan=plan)
    services.plan_approve(actor=approver, plan=plan)
    escalated = services.orders_escalate(actor=ACTOR, today=today)
    return f"演示双随机检查：抽取{plan.inspections.count()}家养老院（种子{SEED}），逾期上报整改通知{escalated}份，结果已公开"
