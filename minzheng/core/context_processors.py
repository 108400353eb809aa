"""Template context shared by every staff page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from minzheng.core.scope import Scope

Entry = tuple[str, str, tuple[str, ...] | None]  # (label, url name, roles that see it or None for all)

# Grouped navigation. Only modules that exist are shown (unknown url names are skipped).
NAVIGATION: list[tuple[str, list[Entry]]] = [
    ("工作台", [
        ("首页", "home", None),
        ("救助工作台", "monitoring:dashboard", None),
        ("我的线索与任务", "monitoring:my_work", ("advisor", "committee", "street")),
    ]),
    ("社会救助", [
        ("救助申请", "casework:application_list", None),
        ("经济状况核对", "verification:request_list", ("bureau", "street", "committee", "auditor")),
        ("全区批量测算", "eligibility:runs", None),
        ("部门数据", "feeds:index", ("bureau", "street", "auditor")),
    ]),
    ("资金", [
        ("发放批次", "payments:batch_list", ("bureau", "street", "auditor")),
        ("资金台账", "payments:ledger", ("bureau", "street", "auditor")),
        ("追缴", "payments:recovery_list", ("bureau", "street", "auditor")),
        ("抽样核查", "payments:sample_list", ("bureau", "auditor")),
    ]),
    ("人口库", [
        ("人员查询", "registry:person_list", None),
        ("家庭", "registry:household_list", None),
        ("疑似重复", "registry:duplicates", ("bureau", "street")),
        ("批量导入", "registry:import", ("bureau", "street", "committee")),
    ]),
    ("政策", [
        ("政策计算器", "eligibility:calculator", None),
        ("政策参数", "eligibility:parameters", None),
        ("CPI数据", "eligibility:cpi", ("bureau", "auditor")),
        ("一次性补助", "eligibility:grants", ("bureau", "auditor")),
    ]),
    ("审计", [
        ("审计日志", "core:audit_list", ("bureau", "auditor")),
    ]),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups = []
    for group_label, entries in NAVIGATION:
        items = []
        for label, url_name, roles in entries:
            if roles is not None and user.role not in roles and not user.is_superuser:
                continue
            try:
                items.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
        if items:
            active = any(request.path.startswith(i["url"]) and i["url"] != "/" for i in items) or (
                request.path == "/" and items[0]["url"] == "/"
            )
            groups.append({"label": group_label, "items": items, "active": active})
    return {"nav_groups": groups, "user_scope": Scope.of(user), "scope_division": user.scope}
