"""The committee layer of the demo tree: ~300 residents' and 80 village committees.

Street weights and committee counts are plausible assumptions for Songjiang
(towns hold most villages, subdistricts hold residents' committees only), not
official figures. The committee tree never depends on ``--persons`` or
``--seed``: it is drawn from a fixed generator so every run sees the same tree.
Codes follow the statistics bureau: street code + 3 digits, 0xx/1xx for
residents' committees and 2xx for village committees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionKind, DivisionLevel

COMMITTEE_TREE_SEED = 310117


@dataclass(frozen=True)
class StreetProfile:
    """Demo assumptions for one street/town."""

    code: str
    population_k: int  # resident population, thousands (plausible, not official)
    residents_committees: int
    village_committees: int
    hukou_factor: float  # multiplies the household hukou probability


STREETS: tuple[StreetProfile, ...] = (
    StreetProfile("310117001", 110, 20, 0, 1.35),  # 岳阳
    StreetProfile("310117002", 120, 18, 2, 1.15),  # 永丰
    StreetProfile("310117003", 160, 26, 0, 1.10),  # 方松
    StreetProfile("310117004", 150, 22, 0, 1.25),  # 中山
    StreetProfile("310117005", 120, 18, 3, 0.95),  # 广富林
    StreetProfile("310117006", 90, 14, 0, 0.85),  # 九里亭
    StreetProfile("310117102", 200, 34, 3, 0.80),  # 泗泾
    StreetProfile("310117103", 110, 14, 9, 1.00),  # 佘山
    StreetProfile("310117104", 150, 20, 8, 0.80),  # 车墩
    StreetProfile("310117105", 180, 24, 3, 0.75),  # 新桥
    StreetProfile("310117106", 110, 14, 3, 0.80),  # 洞泾
    StreetProfile("310117107", 300, 50, 2, 0.70),  # 九亭
    StreetProfile("310117109", 45, 6, 14, 1.45),  # 泖港
    StreetProfile("310117116", 40, 4, 8, 1.40),  # 石湖荡
    StreetProfile("310117117", 30, 4, 9, 1.50),  # 新浜
    StreetProfile("310117120", 60, 6, 10, 1.35),  # 叶榭
    StreetProfile("310117121", 60, 6, 6, 1.20),  # 小昆山
)
RESIDENTS_COMMITTEES = sum(s.residents_committees for s in STREETS)  # 300
VILLAGE_COMMITTEES = sum(s.village_committees for s in STREETS)  # 80

_ESTATE_HEADS = (
    "荣乐", "谷阳", "松汇", "茸平", "人民", "新松江", "江学", "乐都", "方舟", "蓝天", "白云",
    "龙潭", "玉树", "长兴", "西林", "仓城", "袁家", "菜花泾", "梅家浜", "北门", "秀南", "醉白池",
    "泗通", "鼓浪", "九亭", "涞寅", "沪亭", "莘松", "洞业", "华阳", "明兴", "新凯", "佘山",
    "泰晤士", "广富林", "三新", "文诚", "思贤", "景德", "金汇", "盛龙", "嘉松", "新南", "银泽",
    "春申", "云间", "茸城", "华亭", "泖湖", "叶新", "昆冈", "石湖", "新浜", "泖亭", "庄园",
    "紫薇", "翠湖", "绿洲", "阳光", "海德", "时代", "泰鸿", "锦绣", "梧桐", "香樟", "玉兰",
)
_ESTATE_TAILS = (
    "东路", "西路", "南路", "北路", "新村", "一村", "二村", "三村", "花园", "苑", "家园",
    "城", "小区", "公寓", "名邸", "雅苑", "馨苑", "湾",
)
_VILLAGE_HEADS = (
    "黄桥", "腰泾", "胡家埭", "曹家浜", "徐厍", "沈泾塘", "张庄", "李塔汇", "新河", "中民", "南杨",
    "五厍", "泖新", "茹塘", "范家", "东夏", "金胜", "周家浜", "朱定", "大港", "黄家埭", "陆家",
    "陈家", "钱家", "新姚", "赵王", "南许", "东石", "工农", "徐姚", "新东", "杨家", "井亭",
    "同建", "花王", "汤村", "姚家", "塔汇", "新余", "北王", "横山", "天马", "辰山", "长溇",
    "凤翔", "星火", "民乐", "幸福", "团结", "胜利", "永庆", "三星", "跃进", "红旗", "光明",
    "新浜", "文华", "南星", "林建", "香山", "兴旺", "港丰", "永丰", "马汇", "金汇", "大庙",
    "泾德", "华庄", "盐仓", "秀南", "洞泾", "卫家", "王家", "蔡家", "潘家", "姚泾", "叶新",
    "兴塔", "八字", "红庄", "西新", "东新", "腰新", "东乡", "泉塘", "太平", "新建", "祥泽",
)


@dataclass(frozen=True)
class CommitteePlan:
    """One committee of the demo tree, before it is written."""

    code: str
    name: str
    street_code: str
    village: bool
    weight: float  # relative resident population within its street


def committee_plan() -> list[CommitteePlan]:
    """The fixed committee tree: same names, codes and weights on every run."""
    rng = np.random.default_rng(COMMITTEE_TREE_SEED)
    estate_names = [h + t for h in _ESTATE_HEADS for t in _ESTATE_TAILS]
    estate_order = rng.permutation(len(estate_names))
    village_order = rng.permutation(len(_VILLAGE_HEADS))
    plans: list[CommitteePlan] = []
    next_estate = next_village = 0
    for street in STREETS:
        weights = rng.lognormal(mean=0.0, sigma=0.35, size=street.residents_committees)
        for i in range(street.residents_committees):
            name = estate_names[estate_order[next_estate]] + "居委会"
            next_estate += 1
            plans.append(CommitteePlan(f"{street.code}{i + 1:03d}", name, street.code, False, float(weights[i])))
        village_weights = rng.lognormal(mean=-0.9, sigma=0.3, size=street.village_committees)
        for i in range(street.village_committees):
            name = _VILLAGE_HEADS[village_order[next_village]] + "村委会"
            next_village += 1
            plans.append(CommitteePlan(f"{street.code}{201 + i:03d}", name, street.code, True, float(village_weights[i])))
    return plans


@transaction.atomic
def ensure_committees(*, actor: object = "demo_data") -> int:
    """Create the demo committees that are missing; returns how many were created.

    Existing divisions with a planned code are left as they are, so a tree
    edited by staff is never overwritten. One audit entry covers the batch.
    """
    plans = committee_plan()
    existing = set(Division.objects.filter(code__in=[p.code for p in plans]).values_list("code", flat=True))
    missing = [p for p in plans if p.code not in existing]
    if not missing:
        return 0
    Division.objects.bulk_create(
        [
            Division(
                code=p.code, name=p.name, level=DivisionLevel.COMMITTEE, parent_id=p.street_code,
                kind=DivisionKind.VILLAGE if p.village else DivisionKind.RESIDENTS,
            )
            for p in missing
        ]
    )
    audit_record(
        actor=actor, action="division.create_demo_committees", object_type="Division", object_id="310117",
        scope_code="310117",
        changes={"created": len(missing), "villages": sum(p.village for p in missing)},
    )
    return len(missing)
