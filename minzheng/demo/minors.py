"""The demo district's minors' protection (未成年人保护, ADR 0036).

**Everything here is demo data (演示数据)**: station names, addresses, staff names
and the cases are synthetic. What it shows, in the seed's terms: a
未成年人保护工作站 in every street and town (街镇全覆盖, 17), each with a head, a
prosecutor serving as deputy head (2024 points: 落实检察官兼任未保站副主任) and a
social worker; the ``street`` account heads its street's station (so it is
assigned every case reported there); the ``bureau`` account is a member of the
district office; and a handful of cases in every state: one waiting for its
assessment past the deadline, assessed cases with family visits and referrals
(one to the police, one to the education bureau), a special-protection case
with its 一人一方案, an accident (意外事件), a closed case. One case of the
``committee`` account's committee is assigned to it, another is not (it sees
only the first).

Everything goes through the services (each write audited). Safe to run again:
it does nothing once a station exists. Well under a second.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.minors_protection import services
from minzheng.minors_protection.models import ConcernKind, StaffPosition, Station
from minzheng.registry.models import Person
from minzheng.registry.selectors import years_before

ACTOR = "demo-setup"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何"
GIVEN = ("建英", "立新", "海燕", "志强", "秀兰", "伟", "静", "丽华", "敏", "军", "红梅", "国平", "晓东", "春燕",
         "文斌", "玉兰", "俊")


def _children(today: dt.date, committee: str | None) -> list[Person]:
    """Children of 4 to 15, the committee account's first, in a fixed order."""
    rows = Person.objects.filter(alive=True, merged_into__isnull=True, birth_date__gt=years_before(today, 16),
                                 birth_date__lte=years_before(today, 4)).order_by("id")
    own = list(rows.filter(committee_id=committee)[:2]) if committee else []
    others = list(rows.exclude(pk__in=[p.pk for p in own])[:6])
    return own + others


def minors_seed(*, bureau: User, street_user: User, committee_user: User, today: dt.date) -> str:
    if Station.objects.exists():
        return "未成年人保护演示数据已存在，跳过"
    services.reference_seed_missing()
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    for i, street in enumerate(streets):
        station = services.station_create(actor=ACTOR, street=street, name=f"{street.name}未成年人保护工作站",
                                          address=f"{street.name}社区事务受理服务中心", phone=f"021-5770{i:04d}",
                                          established_on=dt.date(2021, 6, 1))
        head_user = street_user if street.code == street_user.scope_id else None
        services.station_staff_add(actor=ACTOR, station=station, position=StaffPosition.HEAD, user=head_user,
                                   name=(street_user.full_name if head_user else "")
                                   or f"{SURNAMES[i % len(SURNAMES)]}{GIVEN[i % len(GIVEN)]}",
                                   joined_on=dt.date(2021, 6, 1))
        services.station_staff_add(actor=ACTOR, station=station, position=StaffPosition.DEPUTY_PROSECUTOR,
                                   name=f"{SURNAMES[(i + 5) % len(SURNAMES)]}{GIVEN[(i + 3) % len(GIVEN)]}",
                                   joined_on=dt.date(2024, 3, 1))
        services.station_staff_add(actor=ACTOR, station=station, position=StaffPosition.SOCIAL_WORKER,
                                   name=f"{SURNAMES[(i + 9) % len(SURNAMES)]}{GIVEN[(i + 7) % len(GIVEN)]}",
                                   joined_on=dt.date(2022, 9, 1))
    services.office_member_add(actor=ACTOR, user=bureau)
    children = _children(today, committee_user.scope_id)
    if len(children) < 4:
        return f"未成年人保护工作站 {len(streets)} 个；演示人口中未成年人不足，未生成个案"
    kinds = {k.code: k for k in ConcernKind.objects.all()}
    now = timezone.now().replace(second=0, microsecond=0)

    def report(child: Person, codes: list[str], urgency: str, days_ago: int, text: str, reporter: str,
               name: str = "", special: str = ""):
        return services.case_report(actor=bureau, child=child, kinds=[kinds[c] for c in codes], urgency=urgency,
                                    description=text, reporter_kind=reporter, reporter_name=name,
                                    reported_at=now - dt.timedelta(days=days_ago, hours=3),
                                    special_protection=bool(special), special_reason=special)

    def assess(case, risk: str, text: str, plan: str = ""):
        return services.case_assess(actor=bureau, case=case, risk_level=risk, assessment=text, plan=plan,
                                    assessed_at=case.reported_at + dt.timedelta(hours=20))

    def measure(case, kind: str, days_ago: int, detail: str, agency: str = "", outcome: str = ""):
        m = services.measure_record(actor=bureau, case=case, kind=kind, taken_on=today - dt.timedelta(days=days_ago),
                                    detail=detail, agency=agency, today=today)
        if outcome:
            services.measure_outcome_record(actor=bureau, measure=m, outcome=outcome, outcome_on=m.taken_on,
                                            today=today)
        return m

    # 1. the committee account's child, assigned to it: assessed, a family visit and its outcome
    first = report(children[0], ["guardianship"], "high", 12, "居委会走访发现父母外出务工，孩子由年迈祖母照看，常独自在家",
                   "committee", "居委会社工")
    if first.committee_id == committee_user.scope_id:
        services.case_assign(actor=bureau, case=first, user=committee_user)
    assess(first, "medium", "祖母照料能力不足，存在监护不当风险", "每两周家访；联系父母落实委托照护")
    measure(first, "family_visit", 10, "上门了解家庭情况，与祖母谈话", outcome="祖母同意邻居协助接送")
    measure(first, "guardianship", 5, "电话联系在外务工的父母，进行监护指导")
    # 2. same committee, not assigned to the committee account: it does not see it
    second = report(children[1], ["bullying", "mental_health"], "normal", 20, "学校反映学生在校多次被欺凌，情绪低落",
                    "school", "区属小学")
    assess(second, "medium", "需学校和家长共同干预，关注心理状况")
    measure(second, "education", 18, "转介区教育局督促学校处置", agency="区教育局", outcome="学校已调班并开展心理辅导")
    measure(second, "counselling", 15, "社工开展心理疏导三次", outcome="情绪平稳")
    services.case_close(actor=bureau, case=second, reason="resolved", closed_on=today - dt.timedelta(days=10),
                        today=today)
    # 3. special protection: a plan (一人一方案), a police referral, temporary shelter
    third = report(children[2], ["domestic_violence"], "urgent", 30, "医院接诊发现儿童多处陈旧伤，疑似家庭暴力",
                   "medical", "区中心医院", special="疑似遭受家庭暴力，需特别保护")
    assess(third, "high", "存在持续家庭暴力风险", "临时庇护；报警；每周家访；联系检察机关支持起诉")
    measure(third, "police", 29, "报警并协助固定证据", agency="区公安分局", outcome="已出具家庭暴力告诫书")
    measure(third, "shelter", 29, "送区未成年人救助保护机构临时照料", agency="区未成年人救助保护机构")
    # 4. an accident (意外事件), reported and waiting for its assessment past the deadline
    report(children[3], ["accident"], "urgent", 2, "儿童在小区游乐设施摔伤骨折，家长未及时送医", "public", "邻居")
    # 5–6. more reports in the demo's other streets
    if len(children) > 4:
        fifth = report(children[4], ["dropout"], "normal", 40, "初中学生连续两周未到校", "school", "区属中学")
        assess(fifth, "low", "家庭经济困难导致辍学倾向")
        measure(fifth, "family_visit", 38, "家访劝返", outcome="已返校")
        services.case_close(actor=bureau, case=fifth, reason="resolved", closed_on=today - dt.timedelta(days=30),
                            today=today)
    if len(children) > 5:
        report(children[5], ["wandering"], "high", 1, "派出所送来离家出走的儿童", "police", "岳阳派出所")
    return (f"未成年人保护工作站 {len(streets)} 个（每站站长、检察官兼任副站长、社工）；区未保办成员 {bureau.username}；"
            f"演示个案 {min(len(children), 6)} 件（演示数据）")
