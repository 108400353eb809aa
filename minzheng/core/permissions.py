"""Who may do what: one table of actions × roles, one way to check, one way to refuse.

Every action a page, an endpoint or a service guards has a code here
(``registry.import``, ``payments.approve`` …), a Chinese label and the roles
allowed to take it. :func:`can` answers yes/no (navigation, buttons);
:func:`require` refuses with :class:`NotPermitted` (a ``PermissionDenied``,
so pages answer 403 and the API answers 403 JSON) whose message names the
action. A Django superuser may take every action.

Three refusals, three answers (ADR 0010):

* wrong role → :class:`NotPermitted` → **403**;
* object outside the user's jurisdiction → :class:`~minzheng.core.scope.OutOfScope`
  → **404**, indistinguishable from a missing record (:func:`require_in_scope`);
* right role, but a business rule says no (wrong status, maker-checker:
  the preparer may not approve) → ``ValidationError`` (for maker-checker
  :class:`SeparationOfDuties`) → **422** with the Chinese reason (pages show it
  as a message).

The scope checks themselves live in :mod:`minzheng.core.scope` (querysets are
narrowed there); this module re-exports the one that refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from minzheng.core.models import Role
from minzheng.core.scope import OutOfScope, require_scope_covers

BUREAU, STREET, COMMITTEE, ADVISOR, AUDITOR = (Role.BUREAU.value, Role.STREET.value, Role.COMMITTEE.value,
                                               Role.ADVISOR.value, Role.AUDITOR.value)
REGISTRAR = Role.REGISTRAR.value
FUNERAL_HOME, CEMETERY = Role.FUNERAL_HOME.value, Role.CEMETERY.value
CARE_OPERATOR, CANTEEN = Role.CARE_OPERATOR.value, Role.CANTEEN.value
ORGANIZATION = Role.ORGANIZATION.value
# The social-assistance roles: the marriage registrar (婚姻登记员, ADR 0022) works
# only in the marriage registry office and sees none of the assistance data; the
# funeral home's staff (殡仪服务员) and the cemeteries' staff (公墓工作人员) work
# only in funeral and burial (issue 14) and see none of it either; a care
# institution's staff (养老机构工作人员) and a canteen's staff (助餐点工作人员) work
# only for their own institution or canteen (elderly care, issues 15 and 16); a social
# organization's account (社会组织) works only for its own organization (issue 18, ADR 0039).
ASSISTANCE_ROLES = (BUREAU, STREET, COMMITTEE, ADVISOR, AUDITOR)
ALL_ROLES = (*ASSISTANCE_ROLES, REGISTRAR, FUNERAL_HOME, CEMETERY, CARE_OPERATOR, CANTEEN, ORGANIZATION)
STAFF_WRITERS = (BUREAU, STREET, COMMITTEE, ADVISOR)  # every assistance role but the read-only auditor
# Who works the booking windows (bookings.view, bookings.book): a new role that
# books (e.g. the marriage registrar) is added here, one word.
BOOKING_STAFF = (BUREAU, STREET, REGISTRAR, FUNERAL_HOME, CEMETERY)


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    roles: frozenset[str]


def _table(*rows: tuple[str, str, tuple[str, ...]]) -> dict[str, Action]:
    table: dict[str, Action] = {}
    for code, label, roles in rows:
        assert code not in table, code
        assert set(roles) <= set(ALL_ROLES), code
        table[code] = Action(code, label, frozenset(roles))
    return table


# Action code → (Chinese label, roles allowed). Derived from the checks each
# app made before this module existed; see ADR 0010 for the few made consistent.
ACTIONS: dict[str, Action] = _table(
    # core
    ("core.write", "修改数据", STAFF_WRITERS),  # any write at all: the auditor reads only
    ("core.audit_view", "查看审计日志", (BUREAU, AUDITOR)),
    ("core.api_token_revoke_any", "吊销任何人的接口令牌", (BUREAU,)),
    ("core.holidays_manage", "录入节假日安排", (BUREAU,)),
    # jobs (后台作业): starting or retrying one needs its kind's own action
    # (e.g. monitoring.run); the list shows a user the jobs they may see.
    ("jobs.view", "查看后台作业", (BUREAU, AUDITOR)),
    # registry (人口库)
    ("registry.view", "查询人员和家庭", ASSISTANCE_ROLES),
    # Advisors visit and follow up (monitoring); they do not change the registry.
    ("registry.write", "维护人员和家庭信息", (BUREAU, STREET, COMMITTEE)),
    ("registry.import", "批量导入人口数据", (BUREAU, STREET, COMMITTEE)),
    ("registry.merge", "合并疑似重复人员", (BUREAU, STREET)),
    ("registry.reveal_id_number", "查看完整身份证号码", (BUREAU, STREET, COMMITTEE)),
    # marital status (婚姻状况): written by the marriage office, and on a death by whoever records it
    ("registry.marital_status", "登记婚姻状况变化", (REGISTRAR, BUREAU, STREET, COMMITTEE)),
    # feeds (部门数据)
    ("feeds.view", "查看部门数据", (BUREAU, STREET, AUDITOR)),
    ("feeds.import", "导入部门数据", (BUREAU,)),
    ("feeds.reply_record", "登记部门“查无记录”回复", (BUREAU, STREET)),
    # verification (经济状况核对)
    ("verification.view", "查看经济状况核对", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("verification.write", "办理经济状况核对", (BUREAU, STREET, COMMITTEE)),
    ("verification.accept", "认定核对结果（记入人口库）", (BUREAU, STREET)),
    # casework (救助申请)
    ("casework.view", "查看救助申请", ASSISTANCE_ROLES),
    ("casework.intake", "录入救助申请", (COMMITTEE, STREET)),
    ("casework.document_attach", "上传申请材料", (BUREAU, STREET, COMMITTEE)),
    ("casework.accept", "受理或不予受理申请", (STREET,)),
    ("casework.verify", "登记核对结果", (STREET,)),
    ("casework.visit", "入户调查", (COMMITTEE,)),
    ("casework.street_review", "街镇审核", (STREET,)),
    ("casework.post_notice", "公示", (STREET,)),
    ("casework.approve", "审批和决定", (BUREAU, STREET)),  # the level comes from the program's setting
    ("casework.withdraw", "撤回申请", (COMMITTEE, STREET)),
    ("casework.objection_record", "登记异议", (COMMITTEE, STREET)),
    ("casework.objection_resolve", "处理异议", (STREET,)),
    ("casework.enrolment_manage", "暂停、恢复和终止保障", (BUREAU, STREET)),
    ("casework.stop_for_death", "因死亡停发", (BUREAU, STREET, COMMITTEE)),
    ("casework.rereview", "复核保障对象", (BUREAU, STREET)),
    ("casework.settings_manage", "修改救助项目设置", (BUREAU,)),
    ("casework.deadlines_refresh", "重新计算办理期限", (BUREAU,)),
    # monitoring (动态监测)
    ("monitoring.view", "查看动态监测", ASSISTANCE_ROLES),
    ("monitoring.my_work", "我的线索与任务", (ADVISOR, COMMITTEE, STREET)),
    ("monitoring.run", "运行动态监测", (BUREAU,)),
    ("monitoring.field_work", "走访、跟进线索和任务", (BUREAU, STREET, COMMITTEE, ADVISOR)),
    ("monitoring.manage", "应退尽退核实和指派救助顾问", (BUREAU, STREET)),
    # eligibility (政策测算)
    ("eligibility.view", "政策计算和批量测算结果", ASSISTANCE_ROLES),
    ("eligibility.policy_data_view", "查看CPI数据和一次性补助", (BUREAU, AUDITOR)),
    ("eligibility.parameters_manage", "维护CPI数据和一次性补助", (BUREAU,)),
    ("eligibility.run", "执行全区批量测算", (BUREAU,)),
    # payments (资金发放)
    ("payments.view", "查看资金发放", (BUREAU, STREET, AUDITOR)),
    ("payments.district_view", "查看全区资金台账和抽样", (BUREAU, AUDITOR)),
    ("payments.prepare", "生成和维护发放批次（制单）", (BUREAU,)),
    ("payments.review", "复核或退回发放批次", (BUREAU,)),
    ("payments.approve", "审批发放批次", (BUREAU,)),
    ("payments.disburse", "导出代发文件、导入回盘和对账", (BUREAU,)),
    ("payments.download", "下载银行代发文件和发放台账", (BUREAU, AUDITOR)),
    ("payments.fund_split", "配置资金来源比例", (BUREAU,)),
    ("payments.accounts", "登记代发账户", (BUREAU, STREET)),
    ("payments.demo_accounts", "生成演示代发账户", (BUREAU,)),
    ("payments.recovery", "办理追缴（退回、提出核销）", (BUREAU, STREET)),
    ("payments.recovery_scan", "追缴核查", (BUREAU,)),
    ("payments.writeoff_approve", "审批核销", (BUREAU,)),
    ("payments.hold_release", "解除死亡后暂停发放", (BUREAU,)),
    ("payments.one_off_request", "申请或撤销一次性补贴发放", (BUREAU, STREET, FUNERAL_HOME, CEMETERY)),
    ("payments.sample_draw", "抽样核查抽样", (BUREAU,)),
    ("payments.sample_check", "录入抽样核查结果", (BUREAU, STREET, COMMITTEE)),
    # marriage (婚姻登记, ADR 0022): the records only for registrars; statistics also for
    # the bureau and the auditor (counts, no person); the clock is date arithmetic.
    ("marriage.view", "查看婚姻登记档案", (REGISTRAR,)),
    ("marriage.register", "办理结婚登记", (REGISTRAR,)),
    ("marriage.divorce", "办理离婚登记", (REGISTRAR,)),
    ("marriage.reissue", "补发婚姻登记证", (REGISTRAR,)),
    ("marriage.statistics", "查看婚姻登记统计", (REGISTRAR, BUREAU, AUDITOR)),
    ("marriage.clock", "计算离婚冷静期", (REGISTRAR, BUREAU, AUDITOR)),
    ("marriage.expire", "离婚申请到期视为撤回", (REGISTRAR, BUREAU)),
    # bookings (预约: 婚姻登记、祭扫、殡仪服务; ADR 0021)
    ("bookings.view", "查看预约", BOOKING_STAFF),
    ("bookings.manage", "维护预约资源、时段规则、特别开放日和暂停开放", (BUREAU,)),
    ("bookings.book", "办理预约（预约、取消、登记到场和未到场）", BOOKING_STAFF),
    # tomb sweeping (祭扫预约、代客祭扫, ADR 0026): the cemeteries' staff at the counter and
    # the gate, the bureau sets the peaks; the auditor reads the figures (counts, no person)
    ("sweeping.view", "查看祭扫预约和代客祭扫", (BUREAU, CEMETERY)),
    ("sweeping.manage", "维护祭扫区域和祭扫高峰期（时段安排、预约上限）", (BUREAU,)),
    ("sweeping.book", "办理祭扫预约（预约、取消）", (BUREAU, CEMETERY)),
    ("sweeping.check_in", "祭扫入园核验", (CEMETERY, BUREAU)),
    ("sweeping.proxy", "办理代客祭扫（受理、记录服务和照片、取消）", (CEMETERY, BUREAU)),
    ("sweeping.statistics", "查看祭扫统计", (BUREAU, CEMETERY, AUDITOR)),
    # group certificate ceremonies (集体颁证): the office's registrars organise them; the
    # bureau and the auditor see the events and how many couples (the couples' names only
    # with marriage.view)
    ("marriage.ceremony_view", "查看集体颁证活动", (REGISTRAR, BUREAU, AUDITOR)),
    ("marriage.ceremony_manage", "组织集体颁证活动", (REGISTRAR,)),
    # deaths (公民身故“一件事”, ADR 0023): the street window (社区事务受理服务中心), the
    # bureau and the funeral home (its cremation record) report a death; the
    # consequences then run under the system actor naming the reporter. The funeral
    # home sees the records but not the assistance benefits they stopped.
    ("deaths.view", "查看死亡登记", (BUREAU, STREET, COMMITTEE, AUDITOR, FUNERAL_HOME)),
    ("deaths.report", "登记死亡（身故一件事）", (BUREAU, STREET, FUNERAL_HOME)),
    ("deaths.benefits_view", "查看因死亡停发的待遇", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("deaths.verify", "核实来源日期不一致的死亡登记", (BUREAU, STREET)),
    ("deaths.import_feeds", "部门死亡数据入库", (BUREAU,)),
    # funeral and burial subsidies (殡葬补贴, 免申即享, ADR 0027): the bureau manages them; street
    # staff and the auditor read; the funeral home settles the basic subsidy at its counter
    # (through the funeral app, which asks basic_subsidy_assess/settle: ADR 0027)
    ("funeral_subsidies.view", "查看殡葬补贴", (BUREAU, STREET, AUDITOR)),
    ("funeral_subsidies.manage", "办理殡葬补贴（票据核定、收款人、发放、不予补贴、生态葬登记、补贴标准录入）", (BUREAU,)),
    ("funeral_subsidies.settle", "殡仪馆结算时抵扣基本殡葬服务补贴", (BUREAU, FUNERAL_HOME)),
    # cemeteries (公墓和骨灰堂, ADR 0025): the register and its counts are kept by the
    # cemeteries' staff and the bureau; a street sees (and, for its town's public-welfare
    # sites, keeps) its own; caps and the yearly inspection are the bureau's.
    ("cemeteries.view", "查看公墓和骨灰堂", (BUREAU, STREET, AUDITOR, CEMETERY)),
    ("cemeteries.manage", "维护公墓和骨灰堂（墓区、墓穴类型、数量、价格）", (BUREAU, STREET, CEMETERY)),
    ("cemeteries.price_cap", "制定公墓价格限价", (BUREAU,)),
    ("cemeteries.inspect", "开展公墓年检（检查表、检查、认定整改）", (BUREAU,)),
    ("cemeteries.rectify", "登记年检整改情况和上传佐证材料", (BUREAU, STREET, CEMETERY)),
    ("cemeteries.report", "查看和导出公墓年检年度报告", (BUREAU, AUDITOR, CEMETERY, STREET)),
    # supervision (养老机构监管，双随机一公开; ADR 0030): the bureau plans, draws and
    # approves (maker-checker); bureau and street inspectors inspect and verify; the
    # institution's operator answers orders; the auditor reads.
    ("supervision.view", "查看养老机构监管（计划、抽取、检查、整改）", (BUREAU, STREET, AUDITOR)),
    ("supervision.plan", "制定双随机检查计划、维护检查表和检查人员名录库、抽取", (BUREAU,)),
    ("supervision.inspect", "开展养老机构检查、下达整改通知、验证整改", (BUREAU, STREET)),
    ("supervision.respond", "反馈整改情况和上传佐证材料（养老机构）", (CARE_OPERATOR,)),
    ("supervision.approve", "审核双随机检查结果并公开", (BUREAU,)),
    # care institutions (养老机构, issue 15, ADR 0029): an institution's staff (养老机构工作人员)
    # keep their own institution's beds, residents, staff and incidents (facilities_visible:
    # another institution is 404); the bureau may too; streets and the auditor read, and with
    # the bureau watch every institution on 云监管.
    ("care_homes.view", "查看养老机构（床位、入住老人、工作人员、意外事件）", (BUREAU, STREET, AUDITOR, CARE_OPERATOR)),
    ("care_homes.operate", "维护养老机构的床位、入住老人、工作人员，报告意外事件", (CARE_OPERATOR, BUREAU)),
    ("care_homes.oversee", "养老机构云监管", (BUREAU, STREET, AUDITOR)),
    # funeral services (殡仪服务, 白事管家; ADR 0024): the funeral home's staff take orders,
    # keep the home's catalogue and settle; the bureau supervises (reads orders, catalogue,
    # figures) and sets up homes and farewell halls (booking-core resources: bookings.manage);
    # the auditor reads the catalogue and the figures (no deceased's record).
    ("funeral.view", "查看殡仪服务订单", (FUNERAL_HOME, BUREAU)),
    ("funeral.order", "办理殡仪服务订单（下单、变更项目、预约告别厅、火化完成、取消）", (FUNERAL_HOME,)),
    ("funeral.settle", "殡仪服务结算和收费", (FUNERAL_HOME,)),
    ("funeral.catalogue_view", "查看殡仪服务目录和价格", (FUNERAL_HOME, BUREAU, AUDITOR)),
    ("funeral.catalogue_manage", "维护殡仪服务目录和价格", (FUNERAL_HOME,)),
    ("funeral.halls_manage", "设立殡仪馆和告别厅", (BUREAU,)),
    ("funeral.statistics", "查看殡仪服务统计", (FUNERAL_HOME, BUREAU, AUDITOR)),
    # care_facilities (养老服务设施, ADR 0028): the bureau and the streets keep the register in their
    # jurisdiction; committees and the auditor read; an institution's or a canteen's staff see only
    # their linked facilities (FacilityStaff). The work-plan targets are the bureau's.
    ("care_facilities.view", "查看养老服务设施", (BUREAU, STREET, COMMITTEE, AUDITOR, CARE_OPERATOR, CANTEEN)),
    ("care_facilities.manage", "维护养老服务设施（登记、修改、状态、关联工作人员账号、导入）", (BUREAU, STREET)),
    ("care_facilities.dashboard", "查看养老服务工作台（目标进度、覆盖情况）", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    # special groups (issue 17): one dashboard, each app (children, disabled people, rescues…) adds its section
    ("special_groups.dashboard", "查看特殊群体工作台（按街镇的工作数字）", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("care_facilities.targets", "录入年度养老服务工作目标", (BUREAU,)),
    # caregivers (养老护理员, ADR 0028): an institution's staff keep their own caregivers; the bureau
    # and the streets keep those of their jurisdiction; the auditor reads
    ("caregivers.view", "查看养老护理员", (BUREAU, STREET, AUDITOR, CARE_OPERATOR)),
    ("caregivers.manage", "维护养老护理员（登记、证书、培训、获奖）", (BUREAU, STREET, CARE_OPERATOR)),
    # hardship_visits (特殊困难老年人探访关爱, ADR 0034): the bureau keeps the categories and refreshes
    # the list; committees (and streets, the bureau) register visitors and record visits; all read in scope
    # children (困境儿童, ADR 0035): committees, streets and the bureau keep the register, the guardians,
    # the sweep's checklists, the leads and the service records; streets and the bureau appoint the
    # children's directors and run the projects; the bureau opens the yearly sweep and generates the leads
    ("children.view", "查看困境儿童名册、排查和关爱服务", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("children.register", "登记困境儿童类别、监护人、排查结果、线索处理和关爱服务记录", (BUREAU, STREET, COMMITTEE)),
    ("children.manage", "任命儿童主任、维护关爱服务项目", (BUREAU, STREET)),
    ("children.campaign", "发起年度摸底排查、生成排查线索", (BUREAU,)),
    ("hardship_visits.view", "查看探访关爱名单和探访记录", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("hardship_visits.visit", "登记探访人员、指派探访、登记探访记录", (BUREAU, STREET, COMMITTEE)),
    ("hardship_visits.manage", "维护探访对象类别和刷新探访名单", (BUREAU,)),
    # home_adaptations (居家环境适老化改造, ADR 0034): committees take applications; streets and the
    # bureau assess, dispatch, record completion and acceptance; the bureau requests the subsidy and
    # keeps the catalogue, contractors and yearly targets
    ("home_adaptations.view", "查看适老化改造", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("home_adaptations.apply", "登记适老化改造申请", (BUREAU, STREET, COMMITTEE)),
    ("home_adaptations.process", "办理适老化改造（评估、派单、完工、验收、不予改造）", (BUREAU, STREET)),
    ("home_adaptations.subsidy", "申请发放适老化改造补贴", (BUREAU,)),
    ("home_adaptations.catalogue", "维护适老化改造项目目录、施工单位和年度目标", (BUREAU,)),
    # dementia_care (认知障碍友好社区, ADR 0034): screenings, referrals and follow-ups are recorded in
    # the community; the bureau keeps the tools and the yearly figures
    ("dementia_care.view", "查看认知障碍风险筛查", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("dementia_care.record", "登记认知障碍风险筛查、转介和随访", (BUREAU, STREET, COMMITTEE)),
    ("dementia_care.manage", "维护筛查量表和年度目标", (BUREAU,)),
    # disability_services (残疾人服务, ADR 0037): committees take rental-subsidy applications; streets
    # keep their service points, rentals and rehabilitation sites and review; the bureau enters the
    # rule's cited values, requests payment and keeps the care-bed project; all read in scope
    ("disability_services.view", "查看残疾人服务（残疾人证、辅具租赁、精神障碍社区康复、照护床位）",
     (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("disability_services.apply", "登记康复辅具租赁补贴申请", (BUREAU, STREET, COMMITTEE)),
    ("disability_services.review", "审核康复辅具租赁补贴申请", (BUREAU, STREET)),
    ("disability_services.pay", "申请发放康复辅具租赁补贴", (BUREAU,)),
    ("disability_services.rental_record", "登记康复辅具租赁服务点和租赁记录", (BUREAU, STREET)),
    ("disability_services.parameters", "录入康复辅具租赁补贴标准（注明依据文件）", (BUREAU,)),
    ("disability_services.rehab", "登记精神障碍社区康复站点、状态和服务对象", (BUREAU, STREET)),
    ("disability_services.care_beds", "维护重度残疾人照护床位项目和覆盖率目标", (BUREAU,)),
    # meal assistance (老年人助餐, ADR 0032): a canteen's staff record meals and see their own
    # canteen's records and settlements; the bureau and streets settle; the bureau approves
    # (maker-checker) and keeps the dated subsidy rates; the auditor reads.
    ("meals.view", "查看助餐记录和结算", (BUREAU, STREET, AUDITOR, CANTEEN)),
    ("meals.record", "登记和导入助餐记录", (BUREAU, STREET, CANTEEN)),
    ("meals.settle", "生成助餐月度结算", (BUREAU, STREET)),
    ("meals.approve", "审批助餐月度结算并申请拨付", (BUREAU,)),
    ("meals.rates", "维护助餐补贴标准", (BUREAU,)),
    # elder_alerts (一键通和居家安全监测, ADR 0033): committees, streets and the bureau keep the
    # devices and answer the tasks of their elders; the feeds, the scan and the rules are the bureau's.
    ("elder_alerts.view", "查看一键通和居家安全监测", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("elder_alerts.devices", "登记一键通终端和居家安全监测设备", (BUREAU, STREET, COMMITTEE)),
    ("elder_alerts.import", "导入一键通呼叫记录和监测设备数据", (BUREAU,)),
    ("elder_alerts.respond", "登记一键通呼叫的派单、到达和处置", (BUREAU, STREET, COMMITTEE)),
    ("elder_alerts.scan", "运行居家安全提醒扫描", (BUREAU,)),
    ("elder_alerts.task", "办结居家安全提醒任务（登记上门结果）", (BUREAU, STREET, COMMITTEE)),
    ("elder_alerts.rules", "维护提醒规则和呼叫响应时限", (BUREAU,)),
    # minors_protection (未成年人保护, ADR 0036): bureau, street and committee staff report a case about a
    # child in their jurisdiction; a case itself is seen and worked only by the staff assigned to it and
    # the district protection office (OfficeMember, per-object: everyone else 404); the office assigns;
    # the auditor reads the stations only (no case) and the audit trail of every view.
    ("minors.view", "查看未成年人保护个案（仅限指派的工作人员和区未保办成员）", (BUREAU, STREET, COMMITTEE)),
    ("minors.report", "上报未成年人保护个案（接报登记）", (BUREAU, STREET, COMMITTEE)),
    ("minors.casework", "办理未成年人保护个案（评估、干预措施、特别保护、结案）", (BUREAU, STREET, COMMITTEE)),
    ("minors.assign", "指派个案工作人员（区未保办）", (BUREAU,)),
    ("minors.office_manage", "维护区未成年人保护办公室成员名单", (BUREAU,)),
    ("minors.settings", "修改个案评估时限（本局工作设定）", (BUREAU,)),
    ("minors.stations_view", "查看未成年人保护工作站", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("minors.stations_manage", "维护未成年人保护工作站和工作人员", (BUREAU, STREET)),
    # homeless_rescue (流浪乞讨人员救助, ADR 0038): the streets and the bureau record rescues in their towns,
    # merge records of one person and patrol during campaigns; the bureau enters weather warnings and
    # starts campaigns; the auditor reads. Committees and advisors do not take part.
    ("homeless_rescue.view", "查看流浪乞讨人员救助（受助人员、救助记录、专项行动、统计）", (BUREAU, STREET, AUDITOR)),
    ("homeless_rescue.record", "登记救助记录、救助服务、结果、回访和受助人员照片，核实身份", (BUREAU, STREET)),
    ("homeless_rescue.merge", "合并或撤销合并受助人员记录", (BUREAU, STREET)),
    ("homeless_rescue.campaign", "录入气象预警、发起和结束极端天气专项救助行动", (BUREAU,)),
    ("homeless_rescue.patrol", "安排巡查班次和登记巡查情况", (BUREAU, STREET)),
    # charity (慈善超市、福利彩票, ADR 0040): the bureau's charity section sees and keeps everything;
    # streets keep their own supermarkets; a supermarket's staff are committee accounts of its committee
    # (they record donations and distributions); the lottery figures are the bureau's, streets read theirs
    ("charity.view", "查看慈善超市、捐赠和发放", (BUREAU, STREET, COMMITTEE, AUDITOR)),
    ("charity.register", "登记和维护慈善超市", (BUREAU, STREET)),
    ("charity.record", "登记慈善超市捐赠、发放和冲正", (BUREAU, STREET, COMMITTEE)),
    ("charity.lottery_view", "查看福利彩票销售网点和销售数据", (BUREAU, STREET, AUDITOR)),
    ("charity.lottery_manage", "维护福利彩票销售网点、导入和更正销售数据、录入公益金提取比例", (BUREAU,)),
    # social organizations (社会组织登记管理, issue 18, ADR 0039): the bureau's social-organization
    # section keeps the register of the whole district (registration is a district matter); the
    # auditor reads; an organization's own account (社会组织) sees only its own organization
    # (OrganizationAccount: another organization is 404) and files its annual report.
    ("social_orgs.view", "查看社会组织登记信息", (BUREAU, AUDITOR, ORGANIZATION)),
    ("social_orgs.manage", "维护社会组织登记（登记、变更、状态、党建情况、关联账号、导入）", (BUREAU,)),
    ("social_orgs.matters_view", "查看社会组织登记事项（成立、变更、换证、章程核准、注销）", (BUREAU, AUDITOR, ORGANIZATION)),
    ("social_orgs.apply", "提交社会组织登记事项申请", (BUREAU, ORGANIZATION)),
    ("social_orgs.decide", "办理社会组织登记事项（受理、业务主管单位审查、准予或不予登记）", (BUREAU,)),
    ("social_orgs.report_file", "填报社会组织年度报告", (ORGANIZATION, BUREAU)),
    ("social_orgs.report_review", "审查社会组织年度报告（年检结论）", (BUREAU,)),
    ("social_orgs.figures", "查看社会组织统计（登记事项、年检参检率）", (BUREAU, AUDITOR)),
    ("social_orgs.grades_view", "查看社会组织等级评估（申报、等级、有效期）", (BUREAU, AUDITOR, ORGANIZATION)),
    ("social_orgs.grade_apply", "申报社会组织等级评估", (BUREAU, ORGANIZATION)),
    ("social_orgs.grade_decide", "办理社会组织等级评估（评估年度、专家评分、审定等级、处罚和立案调查记录）", (BUREAU,)),
    ("social_orgs.grade_rewards", "查看社会组织等级评估奖励和奖励标准", (BUREAU, AUDITOR)),
    ("social_orgs.grade_reward_manage", "录入等级评估奖励标准、申请拨付奖励", (BUREAU,)),
    # support funds (扶持资金、公益创投, ADR 0043): the section publishes calls, scores, awards, pays and
    # reviews final reports; an organization's account applies and reports for its own organization
    ("social_orgs.funds_view", "查看扶持资金和公益创投（申报、评审、资助、拨付、结项）", (BUREAU, AUDITOR, ORGANIZATION)),
    ("social_orgs.funds_apply", "申报扶持资金项目、提交结项报告", (ORGANIZATION, BUREAU)),
    ("social_orgs.funds_manage", "发布扶持资金申报、录入评审评分、作出资助决定、申请拨付、验收结项报告", (BUREAU,)),
    ("social_orgs.funds_figures", "查看扶持资金统计", (BUREAU, AUDITOR)),
    # zombie organizations (僵尸型社会组织, ADR 0042): the section detects and runs the clean-up;
    # an organization sees its own findings and case and records its own activities
    ("social_orgs.zombies_view", "查看僵尸型社会组织认定和清理整治案件", (BUREAU, AUDITOR, ORGANIZATION)),
    ("social_orgs.activity_record", "登记社会组织活动记录", (BUREAU, ORGANIZATION)),
    ("social_orgs.zombies_manage", "僵尸型社会组织清理整治（联系记录、期限参数、立案、通知、整改、撤销登记）", (BUREAU,)),
    # major-event reports and reminders for unfiled annual reports (ADR 0044)
    ("social_orgs.event_report", "报告社会组织重大事项（含补充说明）", (ORGANIZATION, BUREAU)),
    ("social_orgs.event_review", "审查社会组织重大事项报告", (BUREAU,)),
    ("social_orgs.remind", "催报社会组织年度报告（站内提醒、短信登记）", (BUREAU,)),
)

ROLE_LABELS = dict(Role.choices)


class NotPermitted(PermissionDenied):
    """The user's role may not take ``action`` (HTTP 403)."""

    def __init__(self, action: str, message: str | None = None):
        self.action = action
        super().__init__(message or refusal_text(action))


class SeparationOfDuties(ValidationError):
    """Right role, but the same person may not take both steps (maker-checker);
    a business rule, answered like any other broken rule (HTTP 422)."""


def action(code: str) -> Action:
    try:
        return ACTIONS[code]
    except KeyError:
        raise KeyError(f"unknown permission action {code!r}") from None


def refusal_text(code: str) -> str:
    entry = action(code)
    who = "、".join(ROLE_LABELS[r] for r in ALL_ROLES if r in entry.roles)
    return f"您的角色不能办理“{entry.label}”（仅限{who}工作人员）"


def can(user, code: str) -> bool:
    """May ``user`` take ``action``? (Active staff with a listed role, or a superuser.)"""
    entry = action(code)
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return getattr(user, "role", None) in entry.roles


def require(user, code: str, *, allow_job: bool = False) -> None:
    """Refuse with :class:`NotPermitted` unless ``can(user, code)``. With
    ``allow_job``, an actor given as a plain name (command line, scheduled job)
    passes: such services are run by the operator, not a staff account."""
    if allow_job and isinstance(user, str):
        return
    if not can(user, code):
        raise NotPermitted(code)


def require_in_scope(user, *, street_code: str | None, committee_code: str | None) -> None:
    """Refuse with :class:`OutOfScope` (answered 404) outside ``user``'s jurisdiction."""
    require_scope_covers(user, street_code=street_code, committee_code=committee_code)


def permitted(user) -> set[str]:
    """Every action code ``user`` may take (for templates and tests)."""
    return {code for code in ACTIONS if can(user, code)}


__all__ = ["ACTIONS", "Action", "NotPermitted", "OutOfScope", "SeparationOfDuties", "can", "permitted", "require",
           "require_in_scope"]
