"""A year of 流浪乞讨人员救助 in the demo district (ADR 0038).

**Demo data (演示数据), not the bureau's records.** What is taken from the seed:
the volume — 366 rescues (人次) in 2023 for a district of about 1.9 million — scaled
to the demo's persons like the funeral demo, with a floor of 48 (four a month) so
that every month and most towns have rows; the 寒冬送温暖 campaign (a cold wave in
December, patrols in every town) and 情暖归途 (the largest outcome: escorted home).
Everything else is a demo assumption, stated here: winter months weigh twice and
July–August 1.3 times the others; the finders (police 35 %, patrols 25 %, city
management 20 %, self-referral 10 %, the public 7 %, hospitals 3 %); about seven in ten
persons identified (made-up valid ID numbers of other provinces' counties), one rescue
in eight a repeat of an earlier person (matched by the number, as the service does);
outcomes (returned home 45 %, placed 25 %, left 25 %, died 1 %, the last week's still
in care); services by outcome. One unidentified person is later identified and merged
by staff. The 2023 reported figure (366) is seeded by the app's migration.

Everything is written through the services (actor ``demo-setup``), so the audit trail
has every rescue. Safe to run again: nothing is done once a demo rescue exists. A
second or two at the default 20,000 persons.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from minzheng.core.models import Division, DivisionLevel
from minzheng.homeless_rescue import services
from minzheng.homeless_rescue.models import FinderKind, Outcome, Rescue, ServiceKind
from minzheng.registry.services import with_check_character

ACTOR = "demo-setup"
RESCUES_2023, POPULATION = 366, 1_900_000  # the bureau's 2023 summary
FLOOR = 48
MONTH_WEIGHT = {12: 2.0, 1: 2.0, 2: 2.0, 7: 1.3, 8: 1.3}
FINDERS = (("police", 35), ("patrol", 25), ("city_management", 20), ("self_referral", 10), ("public_report", 7),
           ("hospital", 3))
OUTCOMES = ((Outcome.RETURNED_HOME, 45), (Outcome.PLACED, 25), (Outcome.LEFT, 25), (Outcome.DIED, 1))
AREAS = (("341221", "安徽省临泉县"), ("320923", "江苏省阜宁县"), ("411627", "河南省太康县"), ("510322", "四川省富顺县"),
         ("430524", "湖南省隆回县"), ("421127", "湖北省黄梅县"))
PLACES = ("地铁站出口", "公交枢纽候车厅", "高架桥下", "公园长廊", "商场外廊", "菜场门口", "医院急诊门口", "火车站广场")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "志强", "海军", "春生", "德明", "玉兰", "桂英", "国平", "小军", "永福")
LOOKS = ("男性，约{age}岁，深色棉衣，头发花白", "男性，约{age}岁，身材偏瘦，背双肩包，说方言",
         "女性，约{age}岁，红色外套，随身带编织袋", "男性，约{age}岁，左腿行走不便，拄拐")
CENTRE = (31.03, 121.23)


def rescues_per_year(persons: int) -> int:
    """The 2023 report's rate, scaled to the demo district, at least ``FLOOR``."""
    return max(FLOOR, round(persons * RESCUES_2023 / POPULATION))


def _pick(rng: random.Random, table) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _id_number(rng: random.Random) -> tuple[str, str]:
    area, home = rng.choice(AREAS)
    birth = dt.date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
    return with_check_character(f"{area}{birth:%Y%m%d}{rng.randint(100, 999)}"), home


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _campaigns(today: dt.date, streets: list[Division], rng: random.Random) -> list:
    """The last winter's 寒冬送温暖 and the last summer's heat-wave action, each with
    night patrols in every town once a week."""
    made = []
    winter = today.year - 1 if today < dt.date(today.year, 12, 15) else today.year
    summer = today.year if today >= dt.date(today.year, 7, 10) else today.year - 1
    plans = (("cold", "cold_wave", "orange", dt.date(winter, 12, 14), dt.date(winter + 1, 2, 28),
              f"{winter}—{winter + 1}年度寒冬送温暖专项救助行动"),
             ("heat", "heat", "orange", dt.date(summer, 7, 10), dt.date(summer, 8, 31), f"{summer}年夏季高温天气专项救助行动"))
    for kind, warning_kind, level, start, end, name in plans:
        if start > today - dt.timedelta(days=1):
            continue
        warning = services.warning_record(actor=ACTOR, kind=warning_kind, level=level, issued_at=_at(start, 10),
                                          issuer="上海中心气象台", note="演示数据")
        campaign = services.campaign_create(actor=ACTOR, name=name, kind=kind, warning=warning, starts_on=start,
                                            ends_on=end if end < today else None)
        last = min(end, today - dt.timedelta(days=1))
        night = start
        while night <= last:
            for street in streets:
                services.shift_create(actor=ACTOR, campaign=campaign, street=street, starts_at=_at(night, 20),
                                      ends_at=_at(night, 23, 30), team=f"{street.name}救助巡查队（演示）")
            night += dt.timedelta(days=7)
        made.append(campaign)
    return made


def _days(today: dt.date, n: int, rng: random.Random) -> list[dt.date]:
    days = [today - dt.timedelta(days=k) for k in range(1, 366)]
    return sorted(rng.choices(days, weights=[MONTH_WEIGHT.get(d.month, 1.0) for d in days], k=n))


def homeless_rescue_seed(*, persons: int, seed: int = 2024, today: dt.date | None = None) -> str:
    if Rescue.objects.filter(recorded_by=ACTOR).exists():
        return "流浪乞讨人员救助演示数据已存在，跳过"
    rng = random.Random(seed)
    today = today or timezone.localdate()
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    if not streets:
        return "没有街镇，跳过流浪乞讨人员救助演示数据"
    finders = {k.code: k for k in FinderKind.objects.all()}
    kinds = {k.code: k for k in ServiceKind.objects.all()}
    campaigns = _campaigns(today, streets, rng)
    shifts = {(s.street_id, timezone.localtime(s.starts_at).date()): s
              for c in campaigns for s in c.shifts.all()}
    known: list = []
    total = returned = merged = 0
    unidentified_for_merge = None
    for day in _days(today, rescues_per_year(persons), rng):
        street = rng.choice(streets)
        shift = shifts.get((street.code, day))
        if shift is None and campaigns and rng.random() < 0.5:  # during a campaign: often on a patrol night
            near = [(s, d) for (s, d) in shifts if s == street.code and 0 <= (day - d).days < 7]
            if near:
                shift = shifts[near[0]]
                day = near[0][1]
        hour = rng.randint(20, 22) if shift else rng.choice((7, 9, 11, 14, 16, 19, 21, 23))
        found_at = _at(day, hour, rng.randint(0, 59))
        finder = finders["patrol"] if shift else finders[_pick(rng, FINDERS)]
        person_args: dict = {}
        if known and rng.random() < 0.125:
            person_args = {"person": rng.choice(known)}
        elif rng.random() < 0.7:
            number, home = _id_number(rng)
            person_args = {"id_number": number, "name": rng.choice(SURNAMES) + rng.choice(GIVEN), "hometown": home}
        else:
            person_args = {"sex": "M", "age_estimate": rng.randint(30, 75),
                           "description": rng.choice(LOOKS).format(age=rng.randint(30, 75))}
        rescue = services.rescue_record(
            actor=ACTOR, found_at=found_at, street=street, place=f"{street.name}{rng.choice(PLACES)}",
            latitude=round(CENTRE[0] + rng.uniform(-0.08, 0.08), 5),
            longitude=round(CENTRE[1] + rng.uniform(-0.08, 0.08), 5), finder_kind=finder,
            finder_unit="" if finder.code != "police" else f"{street.name}派出所",
            needs=rng.choice(("热食、御寒衣被", "临时住宿", "返乡路费", "就医", "联系家人")), shift=shift,
            **person_args)
        total += 1
        if rescue.person.identity == "identified" and "person" not in person_args:
            known.append(rescue.person)
        elif "description" in person_args and unidentified_for_merge is None and day < today - dt.timedelta(days=60):
            unidentified_for_merge = rescue.person
        _services_and_outcome(rng, rescue, kinds, day, today)
        returned += rescue.outcome == Outcome.RETURNED_HOME
    if unidentified_for_merge is not None:
        number, home = _id_number(rng)
        later = services.rescue_record(actor=ACTOR, found_at=_at(today - dt.timedelta(days=3), 10),
                                       street=unidentified_for_merge.street, place="救助管理站（演示）",
                                       finder_kind=finders["self_referral"], needs="再次求助，出示身份证",
                                       id_number=number, name="孙永福", hometown=home)
        services.person_merge(actor=ACTOR, keep=later.person, duplicate=unidentified_for_merge,
                              reason="演示：照片和体貌特征比对一致，本人确认")
        total += 1
        merged = 1
    for campaign in campaigns:
        for shift in campaign.shifts.all():
            helped = shift.rescues.count()
            refused = rng.randint(0, 2)
            services.shift_report(actor=ACTOR, shift=shift, people_met=helped + refused + rng.randint(0, 2),
                                  people_refused=refused, note="演示数据")
    return (f"流浪乞讨人员救助（演示数据）：近一年救助 {total} 人次（按2023年366人次折算到演示人口，至少{FLOOR}），"
            f"护送返乡 {returned} 人次；专项行动 {len(campaigns)} 个；合并身份不明人员记录 {merged} 条")


def _services_and_outcome(rng: random.Random, rescue, kinds: dict, day: dt.date, today: dt.date) -> None:
    services.service_give(actor=ACTOR, rescue=rescue, kind=kinds["food"], quantity=rng.randint(1, 3), given_on=day,
                          today=today)
    if day.month in (11, 12, 1, 2, 3):
        services.service_give(actor=ACTOR, rescue=rescue, kind=kinds["clothing"], quantity=rng.randint(1, 3),
                              given_on=day, today=today)
    if (today - day).days <= 7:
        return  # still in care
    outcome = _pick(rng, OUTCOMES)
    nights = rng.randint(1, 5)
    end = min(day + dt.timedelta(days=nights), today)
    if outcome in (Outcome.RETURNED_HOME, Outcome.PLACED):
        services.service_give(actor=ACTOR, rescue=rescue, kind=kinds["shelter"], quantity=nights, given_on=day,
                              today=today)
    if outcome == Outcome.RETURNED_HOME:
        services.service_give(actor=ACTOR, rescue=rescue, kind=kinds["family_contact"], quantity=1, given_on=day,
                              today=today)
        services.service_give(actor=ACTOR, rescue=rescue, kind=kinds["ticket_home"], quantity=1, given_on=end,
                              today=today)
    note = {Outcome.RETURNED_HOME: f"护送返回{rescue.person.hometown or '原籍'}，家属接回（情暖归途）",
            Outcome.PLACED: rng.choice(("送区救助管理站", "转送医院救治后入住养老机构")),
            Outcome.LEFT: "本人自愿离站", Outcome.DIED: "送医抢救无效，已通知公安"}[outcome]
    services.outcome_record(actor=ACTOR, rescue=rescue, outcome=outcome, on=end, note=note, today=today)
    if outcome == Outcome.RETURNED_HOME and rng.random() < 0.5 and end + dt.timedelta(days=7) < today:
        services.follow_up_record(actor=ACTOR, rescue=rescue, on=end + dt.timedelta(days=7),
                                  note="电话回访：已到家，生活安定", today=today)
