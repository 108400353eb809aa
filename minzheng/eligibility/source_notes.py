"""The Chinese wording of the parameters' source notes.

The parameter files (``policy/parameters``) record where each value comes
from in the researchers' own words, which are partly English; staff read
the notes in Chinese (issue 9: a person never sees English). The wording is
defined once here, keyed by the recorded text, and the parameters page,
calculator and API show it through :func:`chinese`. A note added to the
parameter files without a wording here fails
``eligibility/tests/test_pages.py`` (the page never shows it untranslated).
"""

from __future__ import annotations

import re

UNDATED = "依据文件未写明起始日期；按项目约定自2019年4月1日（有低保标准的第一个月）起计。"

CHINESE: dict[str, str] = {
    "shanghai.gov.cn: orphans' allowance rose 1,700 → 1,800 from 2018-01-01; later adjustments not found":
        "上海市政府网站：孤儿基本生活费自2018年1月1日起由1700元调整为1800元；此后的调整未查到",
    "上海市散居孤儿和事实无人抚养儿童基本生活保障（shanghai.gov.cn）":
        "上海市散居孤儿和事实无人抚养儿童基本生活保障（上海市政府网站）",
    "secondary, possibly outdated ~2015-16 rule: ≤ 30,000 yuan per person for households of 3 or more":
        "转引资料，可能为2015—2016年前后的旧规定：3人及以上家庭人均不超过30000元",
    "Start date not given by the documents in `reference`; encoded from 2019-04-01, the first month with a dibao "
    "standard (project convention for undated values).": UNDATED,
    "secondary, possibly outdated ~2015-16 rule: ≤ 33,000 yuan per person for households of 1-2":
        "转引资料，可能为2015—2016年前后的旧规定：1至2人家庭人均不超过33000元",
    "Our inference: the published classified standards 1615 (2020, for 1240), 1730 (2021, for 1330) and 1850 "
    "(2022, for 1420) all fit 1.3 × standard rounded up to the next 5 yuan.":
        "本系统推算：已公布的分类施保标准1615元（2020年，对应标准1240元）、1730元（2021年，对应1330元）和1850元"
        "（2022年，对应1420元）均符合“标准×1.3，向上取整到5元”",
    "Our inference: rounding UP to the next 5 yuan fits the published 1615 (2020), 1730 (2021) and 1850 (2022).":
        "本系统推算：向上取整到5元与已公布的1615元（2020年）、1730元（2021年）、1850元（2022年）相符",
    '2024-07 summary of the city notice: the disregard is "保持在870元" (kept at 870), so 870 is in force from '
    '2023-07-01 at the latest':
        "2024年7月对市级通知的综述：豁免额“保持在870元”，故870元最迟自2023年7月1日起执行",
    "The amount before 2023-07-01 is unknown: a household with an employed member who has earned income gets "
    "PARAMETER_MISSING for dibao and the low-income line in earlier months.":
        "2023年7月1日前的豁免额不详：此前月份，有就业成员且有劳动收入的家庭，低保和低收入认定均显示“参数缺失，无法测算”。",
    '中新经纬 2022-08-08: "from 1,330 yuan to 1,420 yuan"': "中新经纬2022年8月8日报道：“由1330元提高到1420元”",
    "The July date is implied, not stated.": "7月起执行系据报道推断，原文未写明日期。",
    '2024-07 summary of the city notice: "低保标准从1510元提升至1595元"':
        "2024年7月对市级通知的综述：“低保标准从1510元提升至1595元”",
    "沪人社规〔2024〕13号 pays the extended unemployment benefit at the dibao floor, 1595, from 2024-07-01":
        "沪人社规〔2024〕13号：自2024年7月1日起延长领取的失业保险金按低保标准1595元发放",
    '2025 Shanghai statistical bulletin: "1650（7月1日起调整，原1595）"; 沪人社规〔2025〕9号 floor 1650':
        "2025年上海市统计公报：“1650（7月1日起调整，原1595）”；沪人社规〔2025〕9号按1650元执行",
    'Shanghai human-resources bureau Q&A 2026-07-06: the 2026 extended unemployment benefit is raised to '
    '"本市最低生活保障标准…1690元"':
        "上海市人力资源和社会保障局2026年7月6日答问：2026年延长领取的失业保险金提高到“本市最低生活保障标准…1690元”",
    "A civil-affairs notice has not been found yet.": "民政部门的调整通知尚未找到。",
    "1.3 × dibao standard 1160 rounded up to 5 yuan (our rule, not a published figure)":
        "按低保标准1160元×1.3向上取整到5元推算（本系统规则，非公布数字）",
    "1.3 × dibao standard 1240 rounded up to 5 yuan (our rule, not a published figure)":
        "按低保标准1240元×1.3向上取整到5元推算（本系统规则，非公布数字）",
    "1.3 × dibao standard 1330 rounded up to 5 yuan (our rule, not a published figure)":
        "按低保标准1330元×1.3向上取整到5元推算（本系统规则，非公布数字）",
    "1.3 × dibao standard 1420 rounded up to 5 yuan (our rule, not a published figure)":
        "按低保标准1420元×1.3向上取整到5元推算（本系统规则，非公布数字）",
    "1.3 × dibao standard 1650 rounded up to 5 yuan (our rule, not a published figure)":
        "按低保标准1650元×1.3向上取整到5元推算（本系统规则，非公布数字）",
    "1.3 × dibao standard 1690 rounded up to 5 yuan (our rule, not a published figure)":
        "按低保标准1690元×1.3向上取整到5元推算（本系统规则，非公布数字）",
    '2024-07 summary of the city notice: the 2024 standard 2075 is "增加105元" over the previous one':
        "2024年7月对市级通知的综述：2024年标准2075元系“增加105元”，由此推得此前为1970元",
    '2024-07 summary of the city notice: "特困人员供养标准调整至2075元"':
        "2024年7月对市级通知的综述：“特困人员供养标准调整至2075元”",
    "Our assumption: the sources give the disregard for the dibao income test; it is applied to the low-income "
    "line too":
        "本系统假设：来源只说明低保收入核定适用收入豁免，本系统同样用于低收入家庭认定",
    "official covered list (dibao, extreme poverty, orphans and unsupported children, unemployment insurance, 优抚) "
    "does not include unemployment-subsidy recipients":
        "官方保障范围（低保、特困、孤儿和事实无人抚养儿童、失业保险金领取人员、优抚对象）不含失业补助金领取人员",
    "Xinhua 2022-09-02: loosened 2022-09 to 2023-03, unemployment-subsidy (失业补助金) recipients added":
        "新华社2022年9月2日：2022年9月至2023年3月阶段性扩围，纳入失业补助金领取人员",
    "shine.cn news 2019-04": "上海日报2019年4月报道",
    "2020 low-income line 2480 = 2 × 1240": "由2020年低收入标准2480元（= 2 × 1240元）推得",
    'shine.cn news 2021-06, "1240 → 1330"': "上海日报2021年6月报道：“1240元调整为1330元”",
    "city notice quoted by a district notice, 2025-08": "区级通知转引市级通知（2025年8月）",
    "official value (shine.cn 2021-08): 300 for disabled persons in dibao households before 2021-08-01":
        "官方数字（上海日报2021年8月）：2021年8月1日前低保家庭残疾人为300元",
    "Value official; start date unknown (the sources say only 'before 2021'), encoded from 2019-04-01 by project "
    "convention, hence unverified.":
        "数值为官方数字；起始日期不详（来源仅称“2021年以前”），按项目约定自2019年4月1日起计，故标为未核实。",
    "shine.cn 2021-08": "上海日报2021年8月",
    "official value (shine.cn 2021-08): 330 for 重残无业 before 2021-08-01":
        "官方数字（上海日报2021年8月）：2021年8月1日前重残无业人员为330元",
    "since 2016-05: official for 75 (65-69) and 600 (100+), secondary for the full table":
        "2016年5月起执行：75元（65—69岁）和600元（100岁以上）为官方数字，其余档次为转引资料",
    "secondary: medical out-of-pocket spending over the last 12 months ≥ 40% of the household's disposable income "
    "over the same months":
        "转引资料：近12个月自负医疗费用不低于家庭同期可支配收入的40%",
    "2022 Shanghai per-capita disposable income 79,610 (Shanghai statistics bureau)":
        "2022年上海市全体居民人均可支配收入79610元（上海市统计局）",
    "The figure for year Y is 'last year's' during year Y+1, so it is keyed from 1 January of Y+1 (our "
    "interpretation).": "某年的数字在次年作为“上年度”数字使用，故自次年1月1日起计（本系统的理解）。",
    "2023 Shanghai per-capita disposable income 84,834 (statistics bureau figure as quoted by a data service)":
        "2023年上海市全体居民人均可支配收入84834元（数据服务转引的统计局数字）",
    "Figure for 2023, in force during 2024.": "2023年数字，2024年执行。",
    "2024 Shanghai per-capita disposable income 88,366 (statistics bureau figure as quoted by a data service)":
        "2024年上海市全体居民人均可支配收入88366元（数据服务转引的统计局数字）",
    "Figure for 2024, in force during 2025.": "2024年数字，2025年执行。",
    "secondary: 2020 low-income line 2480 = 2 × dibao standard 1240":
        "转引资料：2020年低收入标准2480元 = 2 × 低保标准1240元",
    "official value (发改价格〔2021〕1553号): CPI year-on-year ≥ 3.5%":
        "官方数字（发改价格〔2021〕1553号）：CPI同比涨幅达到3.5%",
    "Value official; the notice's start date is not known, encoded from 2019-04-01 by project convention, hence "
    "unverified.": "数值为官方数字；通知的起始日期不详，按项目约定自2019年4月1日起计，故标为未核实。",
    "loosened 2022-09 to 2023-03: CPI trigger 3.0%": "2022年9月至2023年3月阶段性放宽：CPI启动条件为3.0%",
    "end of the loosened period 2022-09..2023-03; back to 发改价格〔2021〕1553号 (3.5%)":
        "2022年9月至2023年3月的阶段性放宽结束，恢复发改价格〔2021〕1553号的3.5%",
    "official value (发改价格〔2021〕1553号): food CPI year-on-year ≥ 6%":
        "官方数字（发改价格〔2021〕1553号）：食品价格同比涨幅达到6%",
    "official covered list (dibao, extreme poverty, orphans and unsupported children, unemployment insurance, 优抚) "
    "does not include low-income households":
        "官方保障范围（低保、特困、孤儿和事实无人抚养儿童、领取失业保险金人员、优抚对象）不含低收入家庭",
    "loosened 2022-09 to 2023-03: low-income (低保边缘) households added":
        "2022年9月至2023年3月阶段性放宽：增加低收入（低保边缘）家庭",
    "end of the loosened period 2022-09..2023-03": "2022年9月至2023年3月的阶段性放宽结束",
    "assumption: national formula, amount rounded to 0.1 yuan; Shanghai's own not found":
        "假设：按全国计算公式，金额保留到0.1元；上海本地规定未查到",
    "monthly amount equal to the dibao standard (assumption, unverified)": "月金额等于低保标准（假设，未核实）",
    "secondary, date unknown: monthly, by care-needs level and household status; level 1: dibao 1,110 / "
    "low-income 888; levels 2-4: 1,036 / 740; levels 5-6: 740 / 444":
        "转引资料，起始日期不详：按月，按照护等级和家庭经济状况：一级 低保1110元/低收入888元；二至四级 1036元/740元；"
        "五至六级 740元/444元",
    "Value secondary; start date unknown (the source gives none), encoded from 2019-04-01 by project convention, "
    "hence unverified.":
        "数值为转引资料；起始日期不详（来源未写明），按项目约定自2019年4月1日起计，故标为未核实。",
}

# Engine terms quoted inside otherwise Chinese descriptions.
TERMS = {"PARAMETER_MISSING": "“缺少参数”"}

# English words or code identifiers ("CPI" and other capitalised abbreviations are Chinese usage).
FOREIGN = re.compile(r"[a-z]{3,}|[A-Z]+_[A-Z_]+")


def chinese(text: str) -> str:
    """A parameter's description, reference, source or note as staff read it.
    Text already in Chinese is shown as is."""
    if not text:
        return ""
    text = CHINESE.get(text, text)
    for term, wording in TERMS.items():
        text = text.replace(term, wording)
    return text


def untranslated(text: str) -> bool:
    """True when ``text`` would show English words or codes on a page (for the test)."""
    return bool(FOREIGN.search(chinese(text)))
