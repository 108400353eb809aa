"""The to-do inbox: what waits for the signed-in user, within their jurisdiction.

Each kind of work is a :class:`Section` read from the owning app's selector
(``cases_todo``, ``leads_todo`` …): its count (0 is shown), how many are past
their deadline, and the first few items, overdue first, each one click from
the page where it is done. Sections with overdue items come first. The page
costs a bounded number of queries: two per section (totals, items) plus one
for the household heads (``registry.selectors.prefetch_heads``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from minzheng.care_homes import selectors as care_homes
from minzheng.casework import selectors as casework
from minzheng.children import selectors as children
from minzheng.core.models import Role, User
from minzheng.core.personal_data import mask_name
from minzheng.disability_services import selectors as disability_services
from minzheng.elder_alerts import selectors as elder_alerts
from minzheng.feeds import selectors as feeds
from minzheng.funeral import selectors as funeral
from minzheng.hardship_visits import selectors as hardship_visits
from minzheng.marriage import selectors as marriage
from minzheng.minors_protection import selectors as minors
from minzheng.monitoring import selectors as monitoring
from minzheng.payments import selectors as payments
from minzheng.registry import selectors as registry
from minzheng.social_orgs import selectors as social_orgs
from minzheng.sweeping import selectors as sweeping
from minzheng.verification import selectors as verification
from policy import PROGRAMS

SHOWN = 8  # items listed per section; the rest behind "查看全部"


@dataclass
class Item:
    title: str
    href: str
    household: Any = None
    due_on: dt.date | None = None
    note: str = ""
    badge: str = ""


@dataclass
class Section:
    key: str
    title: str
    count: int
    overdue: int
    items: list[Item] = field(default_factory=list)
    more_href: str = ""
    empty: str = "暂无待办"


def _program(code: str) -> str:
    return PROGRAMS[code].label if code in PROGRAMS else "其他项目"


def _section(key: str, title: str, qs: QuerySet, *, today: dt.date, item: Callable[[Any], Item],
             more_href: str = "", heads: str = "", dated: bool = True, empty: str = "暂无待办") -> Section:
    totals = qs.aggregate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)) if dated else Count("pk",
                                                                                                    filter=Q(pk=None)))
    rows = qs
    if heads and totals["n"]:
        rows = registry.prefetch_heads(qs, heads)
    items = [item(row) for row in rows[:SHOWN]] if totals["n"] else []
    return Section(key, title, totals["n"], totals["late"] or 0, items, more_href, empty)


def _cases(user: User, today: dt.date) -> Section:
    def item(a):
        return Item(f"{a.number} {a.get_program_display()}", reverse("casework:application_detail", args=[a.pk]),
                    a.household, a.due_on, f"待{casework.step_label(a.due_action)}", a.get_status_display())
    return _section("cases", "待我办理的救助申请", casework.cases_todo(user, today=today), today=today, item=item,
                    more_href=reverse("casework:application_list"), heads="household")


def _objections(user: User, today: dt.date) -> Section:
    def item(o):
        a = o.application
        return Item(f"{a.number} 公示异议", reverse("casework:application_detail", args=[a.pk]), a.household, None,
                    f"收到于 {o.received_on:%Y年%-m月%-d日}：{o.content[:40]}", "待处理")
    return _section("objections", "待处理的公示异议", casework.objections_todo(user), today=today, item=item,
                    heads="application__household", dated=False)


def _leads(user: User, today: dt.date) -> Section:
    def item(lead):
        return Item(f"{_program(lead.program)}线索", reverse("monitoring:lead_detail", args=[lead.pk]),
                    lead.household, lead.due_on, "待首次走访" if lead.first_action_on is None else "跟进中",
                    "已上报街镇" if lead.escalated else "")
    return _section("leads", "政策找人线索", monitoring.leads_todo(user), today=today, item=item,
                    more_href=reverse("monitoring:lead_list"), heads="household")


def _tasks(user: User, today: dt.date) -> Section:
    def item(task):
        return Item(f"{task.get_kind_display()}：{task.person.name}", reverse("monitoring:task_detail", args=[task.pk]),
                    task.household, task.due_on, "待首次走访" if task.first_action_on is None else "跟进中",
                    "已上报街镇" if task.escalated else "")
    return _section("tasks", "风险跟进任务", monitoring.tasks_todo(user), today=today, item=item,
                    more_href=reverse("monitoring:task_list"), heads="household")


def _exits(user: User, today: dt.date) -> Section:
    def item(review):
        return Item(f"{_program(review.program)} 应退尽退核实", reverse("monitoring:exit_detail", args=[review.pk]),
                    review.household, review.due_on, review.get_kind_display())
    return _section("exits", "应退尽退核实", monitoring.exits_todo(user), today=today, item=item,
                    more_href=reverse("monitoring:exit_list"), heads="household")


def _verifications(user: User, today: dt.date) -> Section:
    def item(r):
        return Item(f"核对 {r.reference} {r.get_purpose_display()}",
                    reverse("verification:request_detail", args=[r.pk]), r.household, None,
                    f"委托于 {r.created_at:%Y年%-m月%-d日}", r.get_status_display())
    accepts = user.role in (Role.BUREAU, Role.STREET)
    return _section("verifications", "待认定的核对结果" if accepts else "待办理的经济状况核对",
                    verification.requests_todo(user), today=today, item=item,
                    more_href=reverse("verification:request_list"), heads="household", dated=False)


def _batches(user: User, today: dt.date) -> Section:
    def item(b):
        step = "待复核" if b.status == "draft" else "待审批"
        return Item(f"{b.number} {_program(b.program)} {b.month}", reverse("payments:batch_detail", args=[b.pk]),
                    None, None, f"{b.control_count} 笔", step)
    return _section("batches", "待我复核或审批的发放批次", payments.batches_todo(user), today=today, item=item,
                    more_href=reverse("payments:batch_list"), dated=False)


def _feed_files(user: User, today: dt.date) -> Section:
    def item(f):
        return Item(f"{feeds.source_get(f.source).name}：{f.filename}", reverse("feeds:file_detail", args=[f.pk]),
                    None, None, f"共 {f.total_rows} 行，{f.bad_rows} 行未通过校验", "有错误行")
    return _section("feed_files", "有错误行的部门数据文件（近30天）", feeds.files_with_rejected_rows(user),
                    today=today, item=item, more_href=reverse("feeds:file_list"), dated=False)


def _imports(user: User, today: dt.date) -> Section:
    def item(run):
        return Item(f"人口数据导入：{run.filename}", reverse("registry:import_run", args=[run.pk]), None, None,
                    f"共 {run.total_rows} 行，{run.rejected_rows} 行未导入", "有错误行")
    return _section("imports", "我导入的人口数据中未导入的行（近30天）", registry.imports_with_rejected_rows(user),
                    today=today, item=item, dated=False)


def _samples(user: User, today: dt.date) -> Section:
    def item(case):
        return Item(f"{case.draw.get_purpose_display()}：{case.person.name}",
                    reverse("payments:sample_detail", args=[case.draw_id]), None, None, case.street.name, "待核查")
    return _section("samples", "抽样核查中尚未核查的对象", payments.sample_cases_pending(user), today=today, item=item,
                    more_href=reverse("payments:sample_list"), dated=False, empty="当前没有待核查的抽样对象")


def _divorces(user: User, today: dt.date) -> Section:
    def item(a):
        names = "、".join(p.name for p in a.marriage.parties.all())
        return Item(f"离婚登记申请：{names}", reverse("marriage:divorce_detail", args=[a.pk]), None, a.due_on,
                    "双方可到场申领离婚证", "待双方到场")
    return _section("divorces", "可到场办理的离婚登记申请", marriage.divorces_awaiting_appearance_todo(user, today),
                    today=today, item=item, more_href=reverse("marriage:divorce_list"),
                    empty="当前没有处于到场期间的离婚登记申请")


def _funeral_halls_today(user: User, today: dt.date) -> Section:
    def item(o):
        slot = o.hall_booking.slot
        from django.utils import timezone

        return Item(f"{o.deceased_name} 告别仪式", reverse("funeral:order_detail", args=[o.pk]), None, None,
                    f"{o.hall_booking.resource.name} {timezone.localtime(slot.start):%H:%M}—"
                    f"{timezone.localtime(slot.end):%H:%M}", o.get_status_display())
    return _section("funeral_halls", "今日告别厅预约", funeral.hall_bookings_todo(user, today), today=today, item=item,
                    more_href=reverse("funeral:hall_day"), dated=False, empty="今天没有告别厅预约")


def _funeral_unsettled(user: User, today: dt.date) -> Section:
    def item(o):
        return Item(f"{o.number} {o.deceased_name}", reverse("funeral:order_detail", args=[o.pk]), None, None,
                    f"{o.get_channel_display()}下单于 {o.ordered_on:%Y年%-m月%-d日}", o.get_status_display())
    return _section("funeral_unsettled", "未结算的殡仪服务订单", funeral.orders_unsettled_todo(user), today=today,
                    item=item, more_href=reverse("funeral:order_list") + "?status=placed", dated=False,
                    empty="没有未结算的订单")


def _sweeping_today(user: User, today: dt.date) -> Section:
    def item(r):
        slot = r.booking.slot
        return Item(f"祭扫预约 {r.code} {r.name}（{r.people}人）", reverse("sweeping:confirmation", args=[r.code]),
                    None, None, f"{r.cemetery.name} {r.sweeping_slot.area.name} "
                                f"{timezone.localtime(slot.start):%H:%M}—{timezone.localtime(slot.end):%H:%M}",
                    "待入园")
    return _section("sweeping_today", "今日待入园的祭扫预约", sweeping.reservations_today_todo(user, today),
                    today=today, item=item, more_href=f"{reverse('sweeping:overview')}?date={today.isoformat()}",
                    dated=False, empty="今天没有待入园的祭扫预约")


def _proxy_orders(user: User, today: dt.date) -> Section:
    def item(o):
        return Item(f"代客祭扫 {o.code} {o.deceased_name}", reverse("sweeping:proxy_detail", args=[o.pk]), None,
                    o.service_date, f"{o.cemetery.name}：{o.service_labels()}", o.get_status_display())
    return _section("proxy_orders", "待完成的代客祭扫", sweeping.proxy_orders_open_todo(user), today=today, item=item,
                    more_href=f"{reverse('sweeping:proxy_list')}?status=accepted", empty="当前没有待完成的代客祭扫")


def _care_institutions(user: User, today: dt.date) -> Section:
    def item(f):
        return Item(f.name, reverse("care_homes:institution_detail", args=[f.pk]), None, None,
                    "床位、入住老人、工作人员和意外事件", "")
    return _section("care_institutions", "我的养老机构", care_homes.institutions_todo(user), today=today, item=item,
                    dated=False, empty="账号尚未关联养老机构，请联系区民政局")


def _care_incidents(user: User, today: dt.date) -> Section:
    def item(i):
        return Item(f"{i.get_kind_display()}：{i.facility.name}", reverse("care_homes:incident_detail", args=[i.pk]),
                    None, None, f"发生于 {timezone.localtime(i.occurred_at):%Y年%-m月%-d日 %H:%M}", "处置中")
    return _section("care_incidents", "处置中的意外事件", care_homes.incidents_open_todo(user), today=today,
                    item=item, more_href=f"{reverse('care_homes:incident_list')}?state=open", dated=False,
                    empty="没有处置中的意外事件")


def _care_reassessments(user: User, today: dt.date) -> Section:
    def item(r):
        return Item(f"{r.name} 照护等级评估到期", reverse("care_homes:resident_detail", args=[r.pk]), None,
                    r.reassess_due_on, f"{r.facility.name}，现为{r.care_level}级" if r.care_level else r.facility.name,
                    "需重新评估")
    return _section("care_reassessments", "照护等级评估将到期或已过期的老人", care_homes.reassessments_due_todo(user, today),
                    today=today, item=item, empty="近30天内没有评估到期的老人")


def _hardship_visits(user: User, today: dt.date) -> Section:
    def item(t):
        return Item(f"探访 {t.person.name}", reverse("hardship_visits:target_detail", args=[t.pk]), None,
                    t.next_due_on, f"{t.committee.name}：{t.visitor.name if t.visitor else '未指派探访人员'}",
                    "逾期" if t.next_due_on < today else "将到期")
    return _section("hardship_visits", "探访关爱：逾期和7天内应探访", hardship_visits.visits_todo(user, today=today),
                    today=today, item=item, more_href=reverse("hardship_visits:overdue_list"),
                    empty="当前没有逾期或将到期的探访")


def _aid_rentals(user: User, today: dt.date) -> Section:
    def item(a):
        return Item(f"{a.number} {a.person.name}", reverse("disability_services:application_detail", args=[a.pk]),
                    None, None, f"{a.rental.device_name}，{a.applied_on:%Y年%-m月%-d日}申请", a.get_status_display())
    return _section("aid_rentals", "待审核的康复辅具租赁补贴申请", disability_services.applications_todo(user),
                    today=today, item=item, more_href=f"{reverse('disability_services:application_list')}?status=applied",
                    dated=False, empty="没有待审核的租赁补贴申请")
def _children_leads(user: User, today: dt.date) -> Section:
    def item(lead):
        return Item(f"{lead.person.name}：{lead.get_kind_display()}", reverse("children:leads"), None, None,
                    f"{lead.committee.name}，建议“{lead.category.label}”", "待核实")
    return _section("children_leads", "困境儿童排查线索待核实", children.leads_todo(user), today=today, item=item,
                    more_href=reverse("children:leads"), dated=False, empty="当前没有待核实的困境儿童线索")
def _minors_cases(user: User, today: dt.date) -> Section:
    """未成年人保护: only the cases the user may see (assigned, or the office's); the name masked."""
    def item(c):
        return Item(f"{c.number} {mask_name(c.child.name)}", reverse("minors_protection:case_detail", args=[c.pk]),
                    None, c.due_on, f"评估期限 {timezone.localtime(c.assessment_due_at):%m-%d %H:%M}（{c.get_urgency_display()}）",
                    "待评估")
    return _section("minors_cases", "未成年人保护个案：待评估", minors.cases_todo(user), today=today, item=item,
                    more_href=reverse("minors_protection:case_list"), empty="没有待评估的未成年人保护个案")


def _alert_tasks(user: User, today: dt.date) -> Section:
    def item(task):
        return Item(f"{task.alert.rule.label}：{task.alert.person.name}",
                    reverse("elder_alerts:task_detail", args=[task.pk]), None, task.due_on,
                    f"期限 {timezone.localtime(task.due_at):%m-%d %H:%M}", task.get_kind_display())
    return _section("alert_tasks", "居家安全提醒待上门", elder_alerts.tasks_todo(user), today=today, item=item,
                    more_href=f"{reverse('elder_alerts:task_list')}?status=open", empty="当前没有待处置的居家安全提醒")


def _org_reminders(user: User, today: dt.date) -> Section:
    """社会组织: the section's reminders of annual reports still not filed (ADR 0044)."""
    def item(r):
        return Item(f"{r.year}年度报告尚未提交", reverse("social_orgs:report_new"), None, None,
                    f"{r.sent_on:%Y年%-m月%-d日}催报（{r.get_channel_display()}）：{r.note or '请尽快报送'}", "催报")
    return _section("org_reminders", "年度报告催报", social_orgs.reminders_open(user), today=today, item=item,
                    more_href=reverse("social_orgs:report_list"), dated=False, empty="没有待报送的年度报告催报")


def _org_events(user: User, today: dt.date) -> Section:
    """社会组织: its major-event reports sent back for more (需补充, ADR 0044)."""
    def item(e):
        return Item(f"{e.get_kind_display()}：{e.title}", reverse("social_orgs:event_detail", args=[e.pk]), None, None,
                    f"审查意见：{e.review_reasons[:40]}", "需补充")
    return _section("org_events", "需补充的重大事项报告", social_orgs.events_to_supplement(user), today=today,
                    item=item, more_href=reverse("social_orgs:event_list") + "?status=supplement", dated=False,
                    empty="没有需补充的重大事项报告")


# Which kinds of work each role's inbox holds, in order.
ROLE_SECTIONS: dict[str, tuple[Callable[[User, dt.date], Section], ...]] = {
    Role.BUREAU: (_cases, _batches, _verifications, _exits, _feed_files, _imports, _minors_cases),
    Role.STREET: (_cases, _objections, _verifications, _leads, _tasks, _exits, _aid_rentals, _imports, _minors_cases),
    Role.COMMITTEE: (_cases, _verifications, _leads, _tasks, _alert_tasks, _hardship_visits, _children_leads,
                     _imports, _minors_cases),
    Role.ADVISOR: (_leads, _tasks),
    Role.AUDITOR: (_samples,),
    Role.REGISTRAR: (_divorces,),
    Role.FUNERAL_HOME: (_funeral_halls_today, _funeral_unsettled),
    Role.CEMETERY: (_sweeping_today, _proxy_orders),
    Role.CARE_OPERATOR: (_care_institutions, _care_incidents, _care_reassessments),
    Role.ORGANIZATION: (_org_reminders, _org_events),
}


def inbox(user: User, *, today: dt.date) -> list[Section]:
    """The user's sections, those with overdue items first (stable otherwise)."""
    builders = ROLE_SECTIONS.get(user.role, ())
    if user.is_superuser and not builders:
        builders = ROLE_SECTIONS[Role.BUREAU]
    sections = [build(user, today) for build in builders]
    return sorted(sections, key=lambda s: s.overdue == 0)
