"""Template context shared by every staff page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from minzheng.core.permissions import can, permitted
from minzheng.core.scope import Scope

Entry = tuple[str, str, str | None]  # (label, url name, permission action or None for every staff member)

# Grouped navigation. An entry is shown if ``can(user, action)`` (the table in
# ``core.permissions``); only modules that exist are shown (unknown url names are skipped).
NAVIGATION: list[tuple[str, list[Entry]]] = [
    ("工作台", [
        ("首页", "home", None),
        ("救助工作台", "monitoring:dashboard", "monitoring.view"),
        ("我的线索与任务", "monitoring:my_work", "monitoring.my_work"),
        ("预约资源与日程", "bookings:resource_list", "bookings.view"),
    ]),
    ("社会救助", [
        ("救助申请", "casework:application_list", "casework.view"),
        ("经济状况核对", "verification:request_list", "verification.view"),
        ("全区批量测算", "eligibility:runs", "eligibility.view"),
        ("部门数据", "feeds:index", "feeds.view"),
    ]),
    ("资金", [
        ("发放批次", "payments:batch_list", "payments.view"),
        ("资金台账", "payments:ledger", "payments.view"),
        ("追缴", "payments:recovery_list", "payments.view"),
        ("抽样核查", "payments:sample_list", "payments.district_view"),
    ]),
    ("人口库", [
        ("人员查询", "registry:person_list", "registry.view"),
        ("家庭", "registry:household_list", "registry.view"),
        ("疑似重复", "registry:duplicates", "registry.merge"),
        ("批量导入", "registry:import", "registry.import"),
    ]),
    ("政策", [
        ("政策计算器", "eligibility:calculator", "eligibility.view"),
        ("政策参数", "eligibility:parameters", "eligibility.view"),
        ("CPI数据", "eligibility:cpi", "eligibility.policy_data_view"),
        ("一次性补助", "eligibility:grants", "eligibility.policy_data_view"),
    ]),
    ("婚姻登记", [
        ("今日预约", "marriage:appointments", "marriage.view"),
        ("结婚登记", "marriage:registration_list", "marriage.view"),
        ("离婚登记", "marriage:divorce_list", "marriage.view"),
        ("集体颁证", "marriage_office:ceremony_list", "marriage.ceremony_view"),
        ("婚姻登记统计", "marriage_office:statistics", "marriage.statistics"),
    ]),
    ("殡葬", [
        ("死亡登记", "deaths:record_list", "deaths.view"),
        ("殡葬补贴", "funeral_subsidies:grant_list", "funeral_subsidies.view"),
        ("公墓和骨灰堂", "cemeteries:cemetery_list", "cemeteries.view"),
        ("公墓年检", "cemeteries:inspection_list", "cemeteries.view"),
        ("殡仪服务订单", "funeral:order_list", "funeral.view"),
        ("服务目录", "funeral:catalogue", "funeral.catalogue_view"),
        ("殡仪服务统计", "funeral:statistics", "funeral.statistics"),
        ("祭扫预约", "sweeping:overview", "sweeping.view"),
        ("入园核验", "sweeping:gate", "sweeping.check_in"),
        ("代客祭扫", "sweeping:proxy_list", "sweeping.view"),
        ("祭扫统计", "sweeping:figures", "sweeping.statistics"),
    ]),
    ("养老服务", [
        # elderly care (issues 15 and 16): each app adds its pages here
        ("养老服务工作台", "care_facilities:dashboard", "care_facilities.dashboard"),
        ("养老服务设施", "care_facilities:list", "care_facilities.view"),
        ("养老护理员", "caregivers:list", "caregivers.view"),
        ("养老机构", "care_homes:institution_list", "care_homes.view"),
        ("养老机构云监管", "care_homes:oversight", "care_homes.oversee"),
        ("养老机构意外事件", "care_homes:incident_list", "care_homes.view"),
        ("双随机检查", "supervision:plan_list", "supervision.view"),
        ("整改通知", "supervision:order_list", "supervision.respond"),
        ("探访关爱", "hardship_visits:target_list", "hardship_visits.view"),
        ("适老化改造", "home_adaptations:application_list", "home_adaptations.view"),
        ("认知障碍筛查", "dementia_care:screening_list", "dementia_care.view"),
        ("老年人助餐", "meals:index", "meals.view"),
        ("助餐月度结算", "meals:settlements", "meals.view"),
        ("一键通和呼叫", "elder_alerts:call_figures", "elder_alerts.view"),
        ("居家安全提醒", "elder_alerts:task_list", "elder_alerts.view"),
        ("居家安全监测设备", "elder_alerts:sensor_list", "elder_alerts.view"),
    ]),
    ("特殊群体", [
        # issue 17: the dashboard; homeless and stranded people (ADR 0038); children in difficulty
        # (ADR 0035); minors' protection (ADR 0036: the list holds only the cases the user may see);
        # disabled people (ADR 0037). One menu: the navigation bar holds at most about a dozen groups.
        ("特殊群体工作台", "special_groups", "special_groups.dashboard"),
        ("困境儿童", "children:overview", "children.view"),
        ("困境儿童名册", "children:child_list", "children.view"),
        ("摸底排查", "children:sweep", "children.view"),
        ("儿童关爱服务项目", "children:projects", "children.view"),
        ("未保个案", "minors_protection:case_list", "minors.view"),
        ("未保工作站", "minors_protection:stations", "minors.stations_view"),
        ("区未保办", "minors_protection:office", "minors.view"),
        ("残疾人服务概况", "disability_services:overview", "disability_services.view"),
        ("残疾人证", "disability_services:certificate_list", "disability_services.view"),
        ("残疾人证即将到期", "disability_services:expiring_list", "disability_services.view"),
        ("康复辅具租赁补贴", "disability_services:application_list", "disability_services.view"),
        ("辅具租赁服务点和租赁记录", "disability_services:rental_list", "disability_services.view"),
        ("精神障碍社区康复", "disability_services:rehab", "disability_services.view"),
        ("重度残疾人照护床位", "disability_services:care_beds", "disability_services.view"),
        ("流浪乞讨人员救助", "homeless_rescue:rescue_list", "homeless_rescue.view"),
        ("极端天气专项行动", "homeless_rescue:campaign_list", "homeless_rescue.view"),
    ]),
    ("社会组织和慈善", [
        # social organizations (issue 18, ADR 0039): an organization's account sees its own;
        # charity supermarkets and the welfare lottery (ADR 0040)
        ("社会组织工作台", "social_orgs:dashboard", "social_orgs.figures"),  # ADR 0044
        ("社会组织登记", "social_orgs:list", "social_orgs.view"),
        ("登记事项", "social_orgs:matter_list", "social_orgs.matters_view"),
        ("登记事项统计", "social_orgs:figures", "social_orgs.figures"),
        ("年度报告（年检）", "social_orgs:report_list", "social_orgs.view"),
        ("年检参检率", "social_orgs:filing_rate", "social_orgs.figures"),
        ("年度报告催报", "social_orgs:unfiled_list", "social_orgs.figures"),
        ("重大事项报告", "social_orgs:event_list", "social_orgs.view"),
        ("等级评估", "social_orgs:grade_list", "social_orgs.grades_view"),  # ADR 0041
        ("评估等级和有效期", "social_orgs:grade_valid", "social_orgs.grades_view"),
        ("等级评估奖励", "social_orgs:reward_list", "social_orgs.grade_rewards"),
        ("扶持资金和公益创投", "social_orgs:fund_calls", "social_orgs.funds_view"),  # ADR 0043
        ("扶持资金统计", "social_orgs:fund_figures", "social_orgs.funds_figures"),
        ("僵尸型社会组织", "social_orgs:zombie_list", "social_orgs.zombies_view"),  # ADR 0042
        ("清理整治案件", "social_orgs:zombie_cases", "social_orgs.zombies_view"),
        ("慈善概览", "charity:overview", "charity.view"),
        ("慈善超市", "charity:supermarket_list", "charity.view"),
        ("慈善超市月度数字", "charity:monthly", "charity.view"),
        ("福利彩票", "charity:lottery", "charity.lottery_view"),
    ]),
    ("审计", [
        ("审计日志", "core:audit_list", "core.audit_view"),
        ("后台作业", "jobs:list", "jobs.view"),
    ]),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups = []
    for group_label, entries in NAVIGATION:
        items = []
        for label, url_name, action in entries:
            if action is not None and not can(user, action):
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
    return {"nav_groups": groups, "user_scope": Scope.of(user), "scope_division": user.scope,
            "can_do": permitted(user)}  # templates: {% if "payments.recovery" in can_do %}
