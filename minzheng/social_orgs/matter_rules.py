"""The rules of the registration matters that are data, not code paths:
the documents each matter needs, and the name check (名称审核) of an
establishment — duplicates and near-duplicates in the register, and the
forbidden words staff keep (:class:`~.models.ForbiddenWord`).

The seed: "把牢社会组织登记审批关键环节，加强名称审核、业务范围审定，会同相关部门
加强对社会组织发起人、拟任负责人的审查". The near-duplicate threshold is our
modelling choice (ADR 0039): names are normalised (full-width → half-width, the
region prefix 上海市/松江区 and punctuation and the demo mark removed) and
compared with ``difflib.SequenceMatcher``; a ratio of at least
:data:`NEAR_DUPLICATE_RATIO` is shown to the registration officer as a near
duplicate (a warning, the officer decides); an identical normalised name or a
forbidden word refuses the application.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from minzheng.social_orgs.models import ForbiddenWord, MatterKind, Organization, OrgStatus

NEAR_DUPLICATE_RATIO = 0.8

REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    MatterKind.ESTABLISHMENT: ("登记申请书", "业务主管单位（行业管理部门）审查同意文件", "章程草案",
                               "发起人和拟任负责人的基本情况及身份证明", "住所使用证明", "注册资金（开办资金）证明"),
    MatterKind.CHANGE: ("变更登记申请书", "业务主管单位（行业管理部门）审查同意文件", "变更事项的证明材料"),
    MatterKind.RENEWAL: ("有效期延续申请书", "原登记证书正副本"),
    MatterKind.CHARTER: ("章程核准申请表", "章程修改草案及修改说明", "会员（代表）大会或理事会通过章程的决议"),
    MatterKind.DEREGISTRATION: ("注销登记申请书", "业务主管单位（行业管理部门）审查同意文件", "清算报告",
                                "登记证书正副本和印章"),
}
LIQUIDATION_REPORT = "清算报告"

_PREFIXES = ("上海市松江区", "上海市", "松江区", "上海")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_name(name: str) -> str:
    """The part of a name that tells organizations apart."""
    text = unicodedata.normalize("NFKC", str(name or "")).replace("(演示)", "")
    text = _NOISE.sub("", text)
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
            break
    return text


@dataclass
class NameCheck:
    name: str
    duplicates: list[str] = field(default_factory=list)
    near: list[tuple[str, int]] = field(default_factory=list)  # (name, similarity in %)
    forbidden: list[tuple[str, str]] = field(default_factory=list)  # (word, reason)

    @property
    def refused(self) -> bool:
        return bool(self.duplicates or self.forbidden)

    def as_json(self) -> dict:
        return {"duplicates": self.duplicates, "near": [list(n) for n in self.near],
                "forbidden": [list(f) for f in self.forbidden]}

    def problems(self) -> list[str]:
        out = [f"与已登记的“{d}”重名" for d in self.duplicates]
        out += [f"含有禁用字词“{w}”（{r}）" for w, r in self.forbidden]
        return out


def name_check(name: str, *, exclude: int | None = None) -> NameCheck:
    """Duplicates and near-duplicates among the organizations in business (正常),
    and forbidden words, for a proposed ``name``."""
    check = NameCheck(name=name)
    target = normalise_name(name)
    others = Organization.objects.filter(status=OrgStatus.NORMAL)
    if exclude:
        others = others.exclude(pk=exclude)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for other in others.values_list("name", flat=True).iterator():
        candidate = normalise_name(other)
        if candidate == target:
            check.duplicates.append(other)
            continue
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO:
            ratio = matcher.ratio()
            if ratio >= NEAR_DUPLICATE_RATIO:
                check.near.append((other, round(ratio * 100)))
    check.near.sort(key=lambda n: -n[1])
    check.near = check.near[:20]
    plain = unicodedata.normalize("NFKC", name)
    check.forbidden = [(w.word, w.reason) for w in ForbiddenWord.objects.all() if w.word in plain]
    return check
