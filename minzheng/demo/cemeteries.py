"""The demo district's cemeteries and columbaria (公墓和骨灰堂, ADR 0025).

**Everything here is demo data, not published figures**: the names are
synthetic (no real cemetery is meant), and so are the operators, approval
numbers, sections, capacities, counts, prices, the bureau's price caps (no cap
value is known from policy: the caps and their "document" are invented for
the demo) and last year's inspections.

What it shows: three 经营性公墓 and one 经营性骨灰堂, 公益性公墓 in four towns,
公益性骨灰堂 being sited (规划中) in several streets and towns ("完成街镇公益性骨灰堂
选址布点"); a lowered cap leaving one price over it (the over-cap report); last
year's inspections with findings: one rectification verified, one reported
done and awaiting verification, one overdue (不合格), one not yet due.

The register does not grow with the number of demo persons (a district has
as many cemeteries as it has, whatever the sample), so this loader takes the
same few milliseconds at any size. Safe to run again: it does nothing once the
first demo cemetery exists. Writes go through the services.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from minzheng.cemeteries import services
from minzheng.cemeteries.models import (
    Cemetery,
    CemeteryKind,
    CemeteryStatus,
    ChecklistCategory,
    ItemResult,
    PlotKind,
)
from minzheng.core.audit import audit_record
from minzheng.core.models import Division, User

ACTOR = "demo-setup"
DEMO = "演示数据"
CAP_DOCUMENT = "松江区经营性公墓墓穴最高限价（演示文件，非真实文件）"
CAP_DOCUMENT_LOWERED = "松江区经营性公墓墓穴最高限价调整（演示文件，非真实文件）"
PUBLIC_PRICE_BASIS = "镇人民政府核定公益性公墓收费标准（演示文件，非真实文件）"

# name, kind, street code, operator, status; sections: (name, ((plot kind, capacity, sold, used), …))
SITES: tuple[tuple[str, str, str, str, str, tuple], ...] = (
    ("佘山演示陵园", CemeteryKind.COMMERCIAL_CEMETERY, "310117103", "演示佘山陵园有限公司", CemeteryStatus.OPEN, (
        ("松柏区", ((PlotKind.TRADITIONAL, 2400, 2210, 2050), (PlotKind.SMALL, 1200, 860, 790))),
        ("生态区", ((PlotKind.TREE, 900, 610, 580), (PlotKind.LAWN, 600, 380, 350), (PlotKind.FLOWERBED, 300, 120, 110))),
        ("壁葬区", ((PlotKind.WALL, 1500, 640, 600),)),
    )),
    ("小昆山演示公墓", CemeteryKind.COMMERCIAL_CEMETERY, "310117121", "演示小昆山公墓管理有限公司", CemeteryStatus.OPEN, (
        ("福泽区", ((PlotKind.TRADITIONAL, 1800, 1700, 1600), (PlotKind.SMALL, 800, 420, 380))),
        ("树葬区", ((PlotKind.TREE, 500, 260, 240),)),
    )),
    ("车墩演示纪念园", CemeteryKind.COMMERCIAL_CEMETERY, "310117104", "演示车墩纪念园有限公司", CemeteryStatus.OPEN, (
        ("安宁区", ((PlotKind.TRADITIONAL, 1200, 900, 820), (PlotKind.SMALL, 600, 350, 300))),
        ("草坪区", ((PlotKind.LAWN, 400, 150, 140), (PlotKind.WALL, 800, 300, 280))),
    )),
    ("洞泾演示骨灰堂", CemeteryKind.COMMERCIAL_COLUMBARIUM, "310117106", "演示洞泾纪念服务有限公司",
     CemeteryStatus.OPEN, (("一楼", ((PlotKind.NICHE, 3000, 1150, 1100),)),)),
    ("泖港镇公益性公墓", CemeteryKind.PUBLIC_CEMETERY, "310117109", "泖港镇人民政府", CemeteryStatus.OPEN, (
        ("一区", ((PlotKind.SMALL, 900, 700, 680), (PlotKind.TREE, 300, 90, 85))),)),
    ("石湖荡镇公益性公墓", CemeteryKind.PUBLIC_CEMETERY, "310117116", "石湖荡镇人民政府", CemeteryStatus.OPEN, (
        ("一区", ((PlotKind.SMALL, 700, 520, 500), (PlotKind.WALL, 400, 110, 100))),)),
    ("新浜镇公益性公墓", CemeteryKind.PUBLIC_CEMETERY, "310117117", "新浜镇人民政府", CemeteryStatus.OPEN, (
        ("一区", ((PlotKind.SMALL, 600, 430, 410), (PlotKind.LAWN, 200, 40, 38))),)),
    ("叶榭镇公益性公墓", CemeteryKind.PUBLIC_CEMETERY, "310117120", "叶榭镇人民政府", CemeteryStatus.OPEN, (
        ("一区", ((PlotKind.SMALL, 800, 610, 590), (PlotKind.TREE, 250, 60, 55))),)),
    ("岳阳街道公益性骨灰堂（选址中）", CemeteryKind.PUBLIC_COLUMBARIUM, "310117001", "岳阳街道办事处",
     CemeteryStatus.PLANNED, ()),
    ("九亭镇公益性骨灰堂（选址中）", CemeteryKind.PUBLIC_COLUMBARIUM, "310117107", "九亭镇人民政府",
     CemeteryStatus.PLANNED, ()),
    ("新桥镇公益性骨灰堂（选址中）", CemeteryKind.PUBLIC_COLUMBARIUM, "310117105", "新桥镇人民政府",
     CemeteryStatus.PLANNED, ()),
    ("泗泾镇公益性骨灰堂（选址中）", CemeteryKind.PUBLIC_COLUMBARIUM, "310117102", "泗泾镇人民政府",
     CemeteryStatus.PLANNED, ()),
)

# demo caps (yuan), from 2023; the traditional grave's lowered in 2025
CAPS_2023 = {PlotKind.TRADITIONAL: 120_000, PlotKind.SMALL: 60_000, PlotKind.WALL: 30_000, PlotKind.TREE: 20_000,
             PlotKind.LAWN: 25_000, PlotKind.FLOWERBED: 25_000, PlotKind.NICHE: 20_000}
TRADITIONAL_CAP_2025 = 100_000
# demo prices (yuan) from 2023-03-01 per commercial site; the first site's traditional price stays
# above the lowered 2025 cap (the over-cap report)
PRICES = {
    "佘山演示陵园": {PlotKind.TRADITIONAL: 110_000, PlotKind.SMALL: 55_000, PlotKind.TREE: 16_000,
                  PlotKind.LAWN: 22_000, PlotKind.FLOWERBED: 23_000, PlotKind.WALL: 26_000},
    "小昆山演示公墓": {PlotKind.TRADITIONAL: 98_000, PlotKind.SMALL: 48_000, PlotKind.TREE: 15_000},
    "车墩演示纪念园": {PlotKind.TRADITIONAL: 90_000, PlotKind.SMALL: 45_000, PlotKind.LAWN: 18_000,
                   PlotKind.WALL: 24_000},
    "洞泾演示骨灰堂": {PlotKind.NICHE: 16_000},
}
PUBLIC_PRICES = {PlotKind.SMALL: 12_000, PlotKind.TREE: 3_000, PlotKind.WALL: 5_000, PlotKind.LAWN: 4_000}

CHECKLIST = (
    (ChecklistCategory.LICENCE, "公墓建设和经营有批准文件，证照齐全有效"),
    (ChecklistCategory.LICENCE, "未超出批准的用地范围建设墓穴"),
    (ChecklistCategory.PRICE, "明码标价，价格公示与备案一致"),
    (ChecklistCategory.PRICE, "经营性公墓墓穴价格不超过最高限价"),
    (ChecklistCategory.SERVICE, "安葬服务合同规范，不出售寿穴、不炒买炒卖"),
    (ChecklistCategory.ECO, "建设节地生态葬区，小型墓和节地生态葬式比例逐年提高"),
    (ChecklistCategory.SAFETY, "清明、冬至祭扫期间安全预案和消防设施到位"),
    (ChecklistCategory.RECORDS, "安葬档案完整，按要求报送安葬数据"),
    (ChecklistCategory.ENVIRONMENT, "园区绿化整洁，文明祭扫宣传到位"),
)
FINDING_ITEM = {"小昆山演示公墓": 2, "车墩演示纪念园": 6, "泖港镇公益性公墓": 7, "佘山演示陵园": 3}


def _yuan(yuan: int) -> int:
    return yuan * 100


@transaction.atomic
def cemeteries_seed(*, bureau: User, today: dt.date) -> str:
    if Cemetery.objects.filter(name=SITES[0][0]).exists():
        return "演示公墓和骨灰堂已存在，跳过"
    streets = {d.code: d for d in Division.objects.filter(code__in={s[2] for s in SITES})}
    sites: dict[str, Cemetery] = {}
    for n, (name, kind, street, operator, status, sections) in enumerate(SITES, start=1):
        site = services.cemetery_create(
            actor=ACTOR, name=name, kind=kind, street=streets[street], operator=operator,
            address=f"{streets[street].name}（演示地址）", licence_number="" if status == CemeteryStatus.PLANNED
            else f"演示批准文号 松民殡〔2015〕{n}号", status=status,
            note=f"{DEMO}：名称、数量和价格均为演示设定" + ("；街镇公益性骨灰堂选址布点中" if status == CemeteryStatus.PLANNED else ""))
        sites[name] = site
        for section_name, stocks in sections:
            section = services.section_create(actor=ACTOR, cemetery=site, name=section_name)
            for plot_kind, capacity, sold, used in stocks:
                stock = services.stock_set_capacity(actor=ACTOR, section=section, plot_kind=plot_kind,
                                                    capacity=capacity)
                services.stock_record(actor=ACTOR, stock=stock, sold=sold, used=used)
    for plot_kind, cap in CAPS_2023.items():
        services.cap_set(actor=ACTOR, plot_kind=plot_kind, cap_fen=_yuan(cap), effective_from=dt.date(2023, 1, 1),
                         citation=CAP_DOCUMENT)
    for name, prices in PRICES.items():
        for plot_kind, price in prices.items():
            services.price_add(actor=ACTOR, cemetery=sites[name], plot_kind=plot_kind, price_fen=_yuan(price),
                               effective_from=dt.date(2023, 3, 1))
    _cap, over = services.cap_set(actor=ACTOR, plot_kind=PlotKind.TRADITIONAL, cap_fen=_yuan(TRADITIONAL_CAP_2025),
                                  effective_from=dt.date(2025, 1, 1), citation=CAP_DOCUMENT_LOWERED)
    for site in sites.values():
        if site.kind == CemeteryKind.PUBLIC_CEMETERY:
            for stock_kind in {s.plot_kind for s in site.sections.first().stocks.all()}:
                services.price_add(actor=ACTOR, cemetery=site, plot_kind=stock_kind,
                                   price_fen=_yuan(PUBLIC_PRICES[stock_kind]), effective_from=dt.date(2023, 3, 1),
                                   basis=PUBLIC_PRICE_BASIS)
    inspected = _inspections(bureau=bureau, sites=sites, today=today)
    services.checklist_ensure(actor=ACTOR, year=today.year)  # this year's, copied forward
    message = (f"演示公墓和骨灰堂 {len(sites)} 个（{DEMO}），{today.year - 1}年度年检 {inspected} 个，"
               f"降低限价后超过限价的价格 {len(over)} 项")
    audit_record(actor=ACTOR, action="demo_data.cemeteries", object_type="DemoData", object_id="cemeteries",
                 changes={"note": message})
    return message


def _inspections(*, bureau: User, sites: dict[str, Cemetery], today: dt.date) -> int:
    year = today.year - 1
    version = services.checklist_ensure(actor=ACTOR, year=year)
    items = [services.checklist_item_add(actor=ACTOR, version=version, category=c, text=t) for c, t in CHECKLIST]
    inspected_on = dt.date(year, 6, 15)
    count = 0
    for site in sites.values():
        if site.status != CemeteryStatus.OPEN:
            continue
        inspection = services.inspection_create(actor=ACTOR, cemetery=site, year=year, inspected_on=inspected_on,
                                                inspectors="陈建华、周丽萍（区民政局）")
        failing = FINDING_ITEM.get(site.name)
        results = {}
        for i, item in enumerate(items):
            not_applicable = site.is_columbarium and item.category == ChecklistCategory.ECO
            if i == failing:
                results[item.pk] = (ItemResult.FAIL, "检查发现：" + item.text.replace("，", "、") + "未落实（演示）")
            else:
                results[item.pk] = (ItemResult.NOT_APPLICABLE if not_applicable else ItemResult.PASS, "")
        services.inspection_record_results(actor=ACTOR, inspection=inspection, results=results)
        count += 1
        if failing is None:
            continue
        result = inspection.results.get(item=items[failing])
        if site.name == "小昆山演示公墓":  # overdue: the deadline passed, nothing verified (不合格)
            services.rectification_add(actor=ACTOR, inspection=inspection, result=result, finding="",
                                       requirement="限期公示价格并报区民政局", deadline=dt.date(year, 9, 30),
                                       responsible="演示公墓负责人 王经理")
        elif site.name == "车墩演示纪念园":  # done and verified (合格)
            rect = services.rectification_add(actor=ACTOR, inspection=inspection, result=result, finding="",
                                              requirement="补充祭扫安全预案", deadline=dt.date(year, 8, 31),
                                              responsible="演示纪念园负责人 李经理")
            services.rectification_done(actor=ACTOR, rectification=rect, done_on=dt.date(year, 8, 20),
                                        note="已修订安全预案并组织演练")
            services.rectification_verify(actor=bureau, rectification=rect, on=dt.date(year, 8, 28))
        elif site.name == "泖港镇公益性公墓":  # reported done, awaiting verification, deadline ahead (限期整改)
            rect = services.rectification_add(actor=ACTOR, inspection=inspection, result=result, finding="",
                                              requirement="补齐安葬档案", deadline=today + dt.timedelta(days=30),
                                              responsible="泖港镇 民政干部")
            services.rectification_done(actor=ACTOR, rectification=rect, done_on=today, note="已补齐档案，待验证")
        else:  # 佘山: the price finding, deadline ahead (限期整改)
            services.rectification_add(actor=ACTOR, inspection=inspection, result=result, finding="",
                                       requirement="按调整后的限价重新核定传统墓价格", deadline=today + dt.timedelta(days=60),
                                       responsible="演示陵园负责人 张经理")
    return count
