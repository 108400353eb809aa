"""The audit trail as people read it: "who did what to which record", with
changed fields as old → new — one Chinese label per action, record kind and
field, defined here once (the trail itself stores codes, which are stable).

An action or field without a label here is shown as "其他操作" / "其他内容"
rather than as its code; ``test_audit_labels`` lists every action the code
writes and fails when one has no label.
"""

from __future__ import annotations

from dataclasses import dataclass

from minzheng.core.models import AuditEntry, Role
from policy import PROGRAMS

ACTION_LABELS = {
    "core.list.export": "导出清单",
    "advisor_assignment.create": "指派救助顾问", "advisor_assignment.end": "结束救助顾问联系",
    "api_token.issue": "签发接口令牌", "api_token.revoke": "吊销接口令牌", "application.create": "登记救助申请",
    "application.document_attach": "上传申请材料", "application.apply": "提交申请",
    "application.accept": "受理申请", "application.reject": "不予受理", "application.verify": "登记核对结果",
    "application.visit": "入户调查", "application.street_review": "街镇审核", "application.post_notice": "张榜公示",
    "application.approve": "审批", "application.decide": "作出决定", "application.enrol": "纳入保障",
    "application.withdraw": "撤回申请", "casework.deadlines_refresh": "刷新办理期限", "cpi.record": "登记CPI数据",
    "demo_data.generate": "生成演示数据", "disability.add": "登记残疾人证", "division.create": "新增区划",
    "division.create_demo_committees": "生成演示居村委", "division.load_tree": "载入区划",
    "enrolment.create": "纳入保障", "enrolment.create_auto": "免申即享自动纳入",
    "enrolment.flag_for_review": "标记待复核", "enrolment.rereview": "定期复核", "enrolment.resume": "恢复发放",
    "enrolment.seed_demo_caseload": "导入演示在册对象", "enrolment.suspend": "暂停发放",
    "enrolment.terminate": "终止保障", "exit_review.resolve": "办结退出核实", "feeds.import": "导入部门数据",
    "feeds.no_record_reply": "登记部门“查无记录”回复", "grant.define": "设立一次性补助",
    "holiday_year.record": "登记节假日安排", "household.add_member": "家庭新增成员",
    "household.assets_record": "登记家庭财产", "household.create": "新建家庭", "household.move": "家庭迁移",
    "household.remove_member": "成员迁出家庭", "label.add": "添加困难标签", "label.remove": "取消困难标签",
    "lead.close": "办结线索", "monitoring.escalate": "逾期上报", "monitoring.run": "运行动态监测",
    "objection.record": "登记公示异议", "objection.resolve": "处理公示异议", "overpayment.create": "立案追缴多发资金",
    "payments.account.register": "登记代发账户", "payments.account.synthesise": "生成演示代发账户",
    "payments.batch.approve": "审批发放批次", "payments.batch.discard": "作废发放批次",
    "payments.batch.download": "下载银行文件", "payments.batch.export": "导出银行文件",
    "payments.batch.reconcile": "发放对账", "payments.batch.reissue": "重新发放",
    "payments.batch.reject": "退回发放批次", "payments.batch.review": "复核发放批次",
    "payments.batch.run": "生成发放批次", "payments.fund_split.record": "设置资金来源比例",
    "payments.line.adjust": "调整发放记录", "payments.line.remove": "移除发放记录",
    "payments.line.hold": "死亡后暂停发放", "payments.line.hold_release": "解除暂停发放",
    "payments.one_off.request": "申请一次性补贴发放", "payments.one_off.cancel": "撤销一次性补贴发放",
    "payments.one_off.batch": "生成一次性补贴批次", "payments.recovery.charge_person": "死亡后即时追缴",
    "payments.recovery.repay": "登记退回款", "payments.recovery.scan": "排查应追缴资金",
    "payments.recovery.writeoff_decide": "核销决定", "payments.recovery.writeoff_propose": "提出核销",
    "payments.returns.import": "导入银行回盘", "payments.sample.draw": "抽取核查样本",
    "payments.sample.record": "登记抽查结果",
    "payments.settlement.apply": "重新测算差额处理", "person.create": "登记人员", "person.income_record": "登记人员收入", "person.care_assessment_record": "登记照护需求评估", "person.care_assessment_seed_demo": "生成演示照护需求评估",
    "person.merge": "合并重复人员", "person.unmerge": "撤销人员合并", "person.record_death": "登记死亡", "person.reveal_id_number": "查看完整身份证号",
    "person.update": "修改人员信息", "policy.batch": "全区政策测算", "policy.export_inputs": "导出政策测算输入", "policy.load_spark": "载入Spark测算结果", "program_setting.update": "修改项目办理设置",
    "registry.import": "批量导入人员", "service_record.add": "登记服务记录", "task.complete": "办结跟进任务",
    "user.create": "新建工作人员账号", "verification.accept": "认定核对结果",
    "verification.authorisation_record": "登记核对授权书", "verification.compute": "经济状况核对",
    "verification.reply_exception": "登记部门回复例外", "verification.report_generate": "出具核对报告",
    "verification.request_create": "发起核对委托", "verification.request_withdraw": "撤回核对委托",
    "visit.record": "登记走访",
    "demo_data.start": "开始生成演示数据",
    "application.extend": "延长审核期限", "casework.spot_check.draw": "特困认定抽查抽取",
    "casework.spot_check.record": "登记入户抽查", "enrolment.rereview_dates_tighten": "按新间隔调整复核日期",
    # elder_alerts: 一键通 and home-safety alerts (ADR 0033)
    "elder_alerts.call_device_create": "登记一键通终端", "elder_alerts.call_device_update": "修改一键通终端状态",
    "elder_alerts.sensor_device_create": "登记居家安全监测设备", "elder_alerts.sensor_device_update": "修改居家安全监测设备",
    "elder_alerts.calls_import": "导入一键通呼叫记录", "elder_alerts.readings_import": "导入监测设备数据",
    "elder_alerts.call_response": "登记呼叫派单和到达", "elder_alerts.scan": "居家安全提醒扫描",
    "elder_alerts.task_close": "办结居家安全提醒任务", "elder_alerts.rule_update": "修改提醒规则",
    "elder_alerts.threshold_update": "修改呼叫响应时限",
    # marriage registry office (ADR 0022)
    "marriage.register": "结婚登记", "marriage.record_view": "查阅婚姻登记档案",
    "marriage.certificate_reissue": "补发婚姻登记证", "marriage.divorce_apply": "受理离婚登记申请",
    "marriage.divorce_withdraw": "撤回离婚登记申请", "marriage.divorce_register": "离婚登记",
    "marriage.divorce_deemed_withdrawn": "离婚申请视为撤回", "marriage.end_by_death": "因一方死亡婚姻终止",
    "marriage.divorce_clock_complete": "补算离婚冷静期期限",
    "marriage.ceremony_create": "登记集体颁证活动", "marriage.ceremony_couple_add": "集体颁证添加新人",
    "marriage.ceremony_couple_remove": "集体颁证移除新人", "marriage.ceremony_couples_view": "查阅集体颁证新人名单", "marriage.statistics_export": "导出婚姻登记统计",
    "demo_data.marriage": "生成演示婚姻登记档案",
    "person.marital_status_record": "登记婚姻状况",
    "bookings.resource.create": "新建预约资源", "bookings.resource.update": "修改预约资源",
    "bookings.template.add": "添加预约时段规则", "bookings.template.deactivate": "停用预约时段规则",
    "bookings.special_day.add": "设置特别开放日", "bookings.special_day.remove": "取消特别开放日",
    "bookings.closure.add": "设置暂停开放", "bookings.closure.remove": "取消暂停开放",
    "bookings.slots.generate": "生成预约时段", "bookings.booking.hold": "暂留预约名额",
    "bookings.booking.confirm": "确认预约", "bookings.booking.cancel": "取消预约",
    "bookings.booking.check_in": "登记到场", "bookings.booking.no_show": "登记未到场",
    "bookings.booking.expire": "暂留过期释放名额",
    # funeral and burial subsidies (殡葬补贴, ADR 0027)
    "funeral_subsidies.grant_on_death": "死亡登记后自动生成基本殡葬服务补贴",
    "funeral_subsidies.settle": "殡仪馆结算抵扣基本殡葬服务补贴",
    "funeral_subsidies.settle_undetermined": "殡仪馆结算（补贴资格待确认，未抵扣）",
    "funeral_subsidies.burial_record": "登记节地生态安葬", "funeral_subsidies.grant_reassess": "重新核定殡葬补贴",
    "funeral_subsidies.facts_confirm": "登记殡葬补贴核实情况", "funeral_subsidies.receipts_enter": "录入殡葬费用票据",
    "funeral_subsidies.payee_choose": "选择殡葬补贴收款人", "funeral_subsidies.payment_send": "殡葬补贴提交发放",
    "funeral_subsidies.payment_sync": "同步殡葬补贴发放状态",
    "funeral_subsidies.grant_refuse": "殡葬补贴不予补贴", "funeral_subsidies.operator_settled": "登记与船舶单位结算",
    "funeral_subsidies.cited_value_enter": "录入殡葬补贴标准", "demo_data.funeral_subsidies": "生成演示殡葬补贴",
    # funeral services (白事管家, ADR 0024)
    "funeral.home.create": "设立殡仪馆", "funeral.hall.create": "设立告别厅", "funeral.item.create": "新增殡仪服务项目",
    "funeral.item.update": "修改殡仪服务项目", "funeral.price.set": "殡仪服务项目调价",
    "funeral.order.create": "殡仪服务下单", "funeral.order.change": "变更殡仪服务项目",
    "funeral.order.hall_book": "预约告别厅", "funeral.order.hall_cancel": "取消告别厅预约",
    "funeral.order.start": "殡仪服务开始", "funeral.order.cremation_done": "火化完成",
    "funeral.order.settle": "殡仪服务结算", "funeral.order.pay": "登记殡仪服务付款", "funeral.order.cancel": "取消殡仪服务订单",
    "demo_data.funeral": "生成演示殡仪服务数据",
    "bookings.slots.create_for_day": "按时段安排生成预约时段",
    # tomb sweeping (ADR 0026)
    "demo_data.sweeping": "生成演示祭扫预约记录", "sweeping.area.create": "登记祭扫区域", "sweeping.period.create": "新建祭扫高峰期",
    "sweeping.period.day_set": "设置祭扫高峰日时段安排", "sweeping.period.generate": "生成祭扫时段",
    "sweeping.reservation.create": "祭扫预约", "sweeping.reservation.cancel": "取消祭扫预约",
    "sweeping.reservation.check_in": "祭扫入园核验", "sweeping.proxy.create": "受理代客祭扫",
    "sweeping.proxy.complete": "记录代客祭扫服务", "sweeping.proxy.cancel": "取消代客祭扫",
    "job.start": "启动后台作业", "job.retry": "重试后台作业", "job.upload_purge": "删除保留期满的作业上传文件",
    # deaths (公民身故一件事, ADR 0023)
    "death.report": "登记死亡信息来源", "death.verify": "核实死亡日期", "death.checklist_pdf": "打印身故一件事告知单",
    "demo_data.deaths": "生成演示死亡登记",
    # cemeteries and columbaria (ADR 0025)
    "cemetery.create": "登记公墓或骨灰堂", "cemetery.update": "修改公墓或骨灰堂", "cemetery.section_create": "添加墓区",
    "cemetery.stock_capacity": "设定墓穴（格位）容量", "cemetery.stock_record": "登记售出和安葬数量",
    "cemetery.price_add": "录入公墓价格", "cemetery.cap_set": "设定公墓最高限价",
    "cemetery.checklist_create": "建立年检检查表", "cemetery.checklist_item_add": "新增年检检查项",
    "cemetery.checklist_item_update": "修改年检检查项", "cemetery.checklist_item_remove": "删除年检检查项",
    "cemetery.inspection_create": "登记公墓年检", "cemetery.inspection_results": "录入年检检查结果",
    "cemetery.rectification_add": "登记年检整改要求", "cemetery.rectification_done": "登记年检整改完成",
    "cemetery.rectification_verify": "验证年检整改", "cemetery.evidence_attach": "上传整改佐证材料",
    "cemetery.evidence_download": "下载整改佐证材料", "cemetery.report_export": "导出公墓年检年度报告",
    "demo_data.cemeteries": "生成演示公墓和骨灰堂",
    # elderly-care facilities and caregivers (ADR 0028)
    "care_facility.create": "登记养老服务设施", "care_facility.update": "修改养老服务设施",
    "care_facility.status_set": "变更养老服务设施状态", "care_facility.staff_link": "关联设施工作人员账号",
    "care_facility.staff_unlink": "取消关联设施工作人员账号", "care_facility.import": "导入养老服务设施",
    "care_facility.target_set": "录入年度养老服务工作目标", "demo_data.care_facilities": "生成演示养老服务设施",
    "caregiver.create": "登记养老护理员", "caregiver.update": "修改养老护理员信息",
    "caregiver.training_add": "登记养老护理员培训",
    "caregiver.award_add": "登记养老护理员获奖",
    "demo_data.caregivers": "生成演示养老护理员",
    # supervision of care institutions (双随机一公开, ADR 0030)
    "supervision.checklist_create": "建立养老机构监管检查表", "supervision.inspector_add": "登记检查人员",
    "supervision.inspector_active": "调整检查人员在库状态", "supervision.exclusion_add": "登记检查人员回避关系",
    "supervision.plan_create": "制定双随机检查计划", "supervision.draw_record": "记录双随机抽取结果",
    "supervision.inspection_record": "录入养老机构检查结果", "supervision.inspection_complete": "完成养老机构检查",
    "supervision.order_issue": "下达整改通知", "supervision.order_respond": "反馈整改情况",
    "supervision.order_verify": "验证整改情况", "supervision.order_escalate": "整改逾期上报",
    "supervision.plan_submit": "提交双随机检查结果审核", "supervision.plan_approve": "审核公开双随机检查结果",
    "supervision.file_download": "下载养老机构检查照片或佐证材料",
    # care institutions (养老机构, ADR 0029)
    "care_homes.room_create": "添加养老机构房间和床位", "care_homes.bed_update": "修改养老机构床位",
    "care_homes.resident_admit": "登记老人入住养老机构", "care_homes.resident_assess": "登记入住老人照护等级评估",
    "care_homes.resident_move": "调整入住老人床位", "care_homes.resident_discharge": "登记入住老人离院",
    "care_homes.staff_add": "登记养老机构工作人员", "care_homes.staff_leave": "登记养老机构工作人员离职",
    "care_homes.incident_report": "报告养老机构意外事件", "care_homes.incident_step": "登记意外事件处置措施",
    "care_homes.incident_close": "意外事件结案", "demo_data.care_homes": "生成演示养老机构数据",
    # elderly care II: visits, home adaptations, dementia screening (ADR 0034)
    "hardship_visits.category_update": "修改探访对象类别", "hardship_visits.refresh": "刷新探访关爱名单",
    "hardship_visits.visitor_create": "登记探访人员", "hardship_visits.assign": "指派探访人员",
    "hardship_visits.visit_record": "登记探访关爱记录",
    "home_adaptations.item_update": "修改适老化改造项目", "home_adaptations.contractor_create": "登记适老化改造施工单位",
    "home_adaptations.target_set": "设定适老化改造年度目标", "home_adaptations.apply": "登记适老化改造申请",
    "home_adaptations.assess": "登记适老化改造评估", "home_adaptations.contract": "适老化改造派单",
    "home_adaptations.photo_attach": "上传适老化改造完工照片", "home_adaptations.complete": "登记适老化改造完工",
    "home_adaptations.accept": "适老化改造验收", "home_adaptations.subsidy_request": "申请发放适老化改造补贴",
    "home_adaptations.reject": "适老化改造不予改造", "home_adaptations.photo_download": "下载适老化改造完工照片",
    "dementia_care.screen": "登记认知障碍风险筛查", "dementia_care.refer": "登记认知障碍筛查转介",
    "dementia_care.follow_up": "登记认知障碍随访", "dementia_care.target_set": "设定认知障碍筛查年度目标",
    "demo_data.eldercare_services": "生成演示探访关爱、适老化改造和认知障碍筛查",
    # children in difficulty (困境儿童, ADR 0035)
    "children.register": "纳入困境儿童名册", "children.spell_start": "登记困境儿童类别",
    "children.spell_end": "终止困境儿童类别", "children.end": "移出困境儿童名册",
    "children.guardian_add": "登记困境儿童监护人", "children.director_appoint": "任命儿童主任",
    "children.campaign_open": "发起困境儿童摸底排查", "children.campaign_close": "结束困境儿童摸底排查",
    "children.child_check": "登记儿童排查结果", "children.committee_check": "登记居村委排查表",
    "children.leads_generate": "生成困境儿童排查线索", "children.lead_report": "登记困境儿童线索",
    "children.lead_accept": "线索纳入困境儿童名册", "children.lead_dismiss": "线索不予纳入",
    "children.project_create": "设立困境儿童关爱服务项目", "children.project_child_add": "纳入关爱服务对象",
    "children.service_record": "登记关爱服务记录", "demo_data.children": "生成演示困境儿童数据",
    # meal assistance (老年人助餐, ADR 0032)
    "meals.import": "导入助餐记录", "meals.import_repeat": "重复导入同一助餐文件（未改变）",
    "meals.counter": "窗口登记助餐记录", "meals.rate_add": "录入助餐补贴标准", "meals.settle": "助餐月度结算",
    "meals.approve": "审批助餐月度结算", "meals.payment_request": "申请拨付助餐补贴",
    "meals.statement_export": "导出助餐结算单", "demo_data.meals": "生成演示助餐记录",
    "payments.organisation_register": "登记收款单位账户",
    "demo_data.elder_alerts": "生成演示一键通和居家安全监测数据",
    # disability services (残疾人服务, ADR 0037)
    "disability_services.parameter_enter": "录入康复辅具租赁补贴标准",
    "disability_services.point_create": "登记康复辅具租赁服务点", "disability_services.point_close": "租赁服务点停止服务",
    "disability_services.rental_record": "登记康复辅具租赁记录", "disability_services.rental_end": "登记辅具租用结束",
    "disability_services.apply": "登记康复辅具租赁补贴申请", "disability_services.approve": "康复辅具租赁补贴审核通过",
    "disability_services.reject": "康复辅具租赁补贴不予补贴", "disability_services.subsidy_request": "申请发放康复辅具租赁补贴",
    "disability_services.rehab_site_create": "登记精神障碍社区康复站点",
    "disability_services.rehab_site_status": "登记康复站点状态",
    "disability_services.participant_enrol": "纳入精神障碍社区康复服务",
    "disability_services.participant_exit": "结束精神障碍社区康复服务",
    "disability_services.coverage_target_set": "设定精神障碍社区康复覆盖率目标",
    "disability_services.care_bed_project": "登记重度残疾人照护床位项目",
    "disability_services.care_bed_site": "登记照护床位点", "disability_services.beds_open": "登记照护床位投用",
    "demo_data.disability_services": "生成演示残疾人服务数据",
    # minors' protection (未成年人保护, ADR 0036)
    "minors.case_view": "查阅未成年人保护个案", "minors.case_view_refused": "查阅未成年人保护个案被拒绝（无权查看）",
    "minors.case_report": "上报未成年人保护个案", "minors.case_assign": "指派个案工作人员",
    "minors.case_unassign": "结束个案指派", "minors.case_assess": "个案评估",
    "minors.special_protection": "设置特别保护", "minors.measure_record": "登记干预措施",
    "minors.measure_outcome": "登记干预措施结果", "minors.case_close": "个案结案",
    "minors.office_member_add": "添加区未保办成员", "minors.office_member_end": "移出区未保办成员",
    "minors.deadline_set": "修改个案评估时限", "minors.station_create": "设立未成年人保护工作站",
    "minors.station_staff_add": "登记工作站工作人员", "minors.station_staff_end": "工作站工作人员离岗",
    "demo_data.minors": "生成演示未成年人保护数据",
    # homeless and stranded people (流浪乞讨人员救助, ADR 0038)
    "homeless_rescue.rescue_record": "登记流浪乞讨人员救助", "homeless_rescue.service_give": "登记救助服务",
    "homeless_rescue.outcome_record": "登记救助结果", "homeless_rescue.follow_up": "登记救助回访",
    "homeless_rescue.person_update": "修改受助人员信息", "homeless_rescue.person_identify": "核实受助人员身份",
    "homeless_rescue.person_merge": "合并受助人员记录", "homeless_rescue.person_unmerge": "撤销合并受助人员记录",
    "homeless_rescue.photo_attach": "上传受助人员照片", "homeless_rescue.photo_download": "下载受助人员照片",
    "homeless_rescue.warning_record": "录入气象预警", "homeless_rescue.campaign_create": "发起极端天气专项救助行动",
    "homeless_rescue.campaign_close": "结束极端天气专项救助行动", "homeless_rescue.shift_create": "安排巡查班次",
    "homeless_rescue.shift_report": "登记巡查情况", "homeless_rescue.figures_export": "导出流浪乞讨人员救助统计",
    "demo_data.homeless_rescue": "生成演示流浪乞讨人员救助数据",
    # charity supermarkets and the welfare lottery (慈善超市、福利彩票, ADR 0040)
    "charity.supermarket_register": "登记慈善超市", "charity.supermarket_status": "改变慈善超市状态",
    "charity.donation_record": "登记慈善超市捐赠", "charity.distribution_record": "登记慈善超市发放",
    "charity.donation_reverse": "冲正慈善超市捐赠", "charity.distribution_reverse": "冲正慈善超市发放",
    "charity.outlet_register": "登记福利彩票销售网点", "charity.outlet_status": "改变福利彩票销售网点状态",
    "charity.fund_rate_enter": "录入福彩公益金提取比例", "charity.sales_import": "导入福利彩票月销售数据",
    "demo_data.charity": "生成演示慈善超市和福利彩票数据",
    # social organizations (社会组织登记管理, ADR 0039)
    "social_orgs.register": "登记社会组织", "social_orgs.update": "变更社会组织登记事项",
    "social_orgs.status_set": "变更社会组织登记状态", "social_orgs.party_check": "登记社会组织党建情况",
    "social_orgs.account_link": "关联社会组织账号", "social_orgs.account_unlink": "取消关联社会组织账号",
    "social_orgs.import": "导入社会组织登记表", "demo_data.social_orgs": "生成演示社会组织",
    "social_orgs.time_limit": "录入登记事项办理时限", "social_orgs.matter_apply": "申请社会组织登记事项",
    "social_orgs.matter_documents": "补充登记事项材料", "social_orgs.matter_accept": "受理社会组织登记事项",
    "social_orgs.matter_review": "登记业务主管单位审查意见", "social_orgs.matter_decide": "社会组织登记事项决定",
    "social_orgs.report_file": "提交社会组织年度报告", "social_orgs.report_review": "社会组织年度报告审查（年检结论）",
    "social_orgs.activity_record": "登记社会组织活动记录", "social_orgs.contact_record": "登记社会组织联系记录",
    "social_orgs.inactivity_period": "录入长期未开展活动期限", "social_orgs.zombie_open": "僵尸型社会组织立案",
    "social_orgs.zombie_notice": "发出限期整改通知", "social_orgs.zombie_rectified": "僵尸型社会组织整改完成",
    "social_orgs.zombie_revoke": "僵尸型社会组织撤销登记", "demo_data.social_org_zombies": "生成演示僵尸型社会组织数据",
    "demo_data.social_org_reports": "生成演示社会组织年度报告",
    # evaluation grades (社会组织等级评估, ADR 0041)
    "social_orgs.round_open": "设立社会组织评估年度", "social_orgs.grade_apply": "申报社会组织等级评估",
    "social_orgs.grade_score": "录入评估专家评分", "social_orgs.grade_decide": "审定社会组织评估等级",
    "social_orgs.sanction_record": "登记社会组织行政处罚或立案调查", "social_orgs.sanction_end": "登记处罚或调查结束",
    "social_orgs.reward_parameter": "录入等级评估奖励标准", "social_orgs.reward_compute": "计算等级评估奖励",
    "social_orgs.reward_pay": "申请拨付等级评估奖励", "demo_data.social_org_grades": "生成演示社会组织评估等级",
    # support funds (扶持资金、公益创投, ADR 0043)
    "social_orgs.fund_call_create": "发布扶持资金申报", "social_orgs.fund_apply": "申报扶持资金项目",
    "social_orgs.fund_score": "录入扶持资金项目评审评分", "social_orgs.fund_decide": "扶持资金资助决定",
    "social_orgs.fund_pay": "申请拨付扶持资金", "social_orgs.fund_report_file": "提交扶持资金项目结项报告",
    "social_orgs.fund_report_review": "验收扶持资金项目结项报告", "demo_data.social_org_funds": "生成演示扶持资金数据",
    # major-event reports and reminders (ADR 0044)
    "social_orgs.event_report": "报告社会组织重大事项", "social_orgs.event_supplement": "补充重大事项报告",
    "social_orgs.event_review": "审查社会组织重大事项报告", "social_orgs.remind": "催报社会组织年度报告",
    "demo_data.social_org_events": "生成演示重大事项报告和催报记录",
}

OBJECT_LABELS = {
    "list": "清单", "AdvisorAssignment": "顾问联系", "ApiToken": "接口令牌", "Application": "救助申请", "CpiMonth": "CPI月份",
    "DecisionRun": "测算批次", "PolicyInputs": "政策测算输入", "DemoData": "演示数据", "Division": "区划", "Enrolment": "保障记录",
    "ExitReview": "退出核实", "FeedFile": "部门数据文件", "FollowUpTask": "跟进任务", "FundSplit": "资金来源比例",
    "GrantDefinition": "一次性补助", "HardshipLabel": "困难标签", "HolidayYear": "节假日安排",
    "HomeVisitRecord": "走访记录", "Household": "家庭", "ImportRun": "导入记录", "Job": "后台作业", "JobUpload": "作业上传文件", "Lead": "线索",
    "MonitorRun": "监测批次", "OverpaymentCase": "追缴案件", "PayeeAccount": "代发账户", "PaymentBatch": "发放批次",
    "Person": "人员", "ProgramSetting": "项目设置", "Receivable": "应收款", "SampleCase": "抽查对象",
    "SampleDraw": "抽样", "SpotCheckDraw": "认定抽查", "ServiceRecord": "服务记录", "User": "工作人员", "VerificationRequest": "核对委托",
    "MarriageRegistration": "结婚登记", "MarriageCertificate": "婚姻登记证", "DivorceApplication": "离婚登记申请",
    "Resource": "预约资源", "Booking": "预约",
    "FuneralHome": "殡仪馆", "FuneralHall": "告别厅", "ServiceItem": "殡仪服务项目", "FuneralOrder": "殡仪服务订单",
    "DeathRecord": "死亡登记",
    "FuneralGrant": "殡葬补贴", "EcoBurial": "节地生态安葬", "FuneralCitedValue": "殡葬补贴标准",
    "OneOffPayment": "一次性补贴发放",
    "Cemetery": "公墓或骨灰堂", "Section": "墓区", "PlotStock": "墓区墓穴数量", "Price": "公墓价格",
    "PriceCap": "公墓最高限价", "ChecklistVersion": "年检检查表", "ChecklistItem": "年检检查项",
    "Inspection": "公墓年检", "Rectification": "年检整改", "Evidence": "整改佐证材料",
    "SupervisionChecklistVersion": "养老机构监管检查表", "SupervisionInspector": "检查人员",
    "SupervisionInspectorExclusion": "检查人员回避关系", "SupervisionPlan": "双随机检查计划",
    "SupervisionInspection": "养老机构检查", "SupervisionRectificationOrder": "整改通知",
    "SupervisionOrderResponse": "整改反馈", "SupervisionItemRecord": "检查项结果",
    "PayeeOrganisation": "收款单位", "MealImport": "助餐记录导入", "MealRecord": "助餐记录", "SubsidyRate": "助餐补贴标准", "Settlement": "助餐月度结算",
    "CallDevice": "一键通终端", "SensorDevice": "居家安全监测设备", "Call": "一键通呼叫", "FeedImport": "数据导入记录",
    "AlertRule": "提醒规则", "AlertTask": "居家安全提醒任务", "CallThreshold": "呼叫响应时限",
    "SweepingArea": "祭扫区域", "PeakPeriod": "祭扫高峰期", "Reservation": "祭扫预约", "ProxyOrder": "代客祭扫订单",
    "Facility": "养老服务设施", "PlanTarget": "年度养老服务工作目标", "Caregiver": "养老护理员",
    "Room": "养老机构房间", "Bed": "养老机构床位", "Resident": "入住老人", "StaffMember": "养老机构工作人员",
    "Incident": "养老机构意外事件",
    "Child": "困境儿童", "CategorySpell": "困境儿童类别记录", "Guardian": "监护人", "Director": "儿童主任",
    "Campaign": "摸底排查", "ChildCheck": "儿童排查记录", "CommitteeCheck": "居村委排查表", "ChildLead": "困境儿童线索",
    "Project": "关爱服务项目", "ProjectChild": "关爱服务对象", "ChildServiceRecord": "关爱服务记录",
    "VisitCategory": "探访对象类别", "TargetRefresh": "探访名单刷新", "Visitor": "探访人员", "VisitTarget": "探访对象",
    "VisitRecord": "探访关爱记录", "CatalogueItem": "适老化改造项目", "Contractor": "适老化改造施工单位",
    "YearTarget": "适老化改造年度目标", "Screening": "认知障碍风险筛查", "FollowUp": "认知障碍随访",
    "YearFigure": "认知障碍筛查年度目标",
    "DisabilityCitedValue": "康复辅具租赁补贴标准", "ServicePoint": "康复辅具租赁服务点", "AidRental": "康复辅具租赁记录",
    "AidRentalApplication": "康复辅具租赁补贴申请", "RehabSite": "精神障碍社区康复站点",
    "RehabParticipant": "精神障碍社区康复服务对象", "CoverageTarget": "精神障碍社区康复覆盖率目标",
    "CareBedProject": "重度残疾人照护床位项目", "CareBedSite": "照护床位点",
    "MinorsCase": "未成年人保护个案", "MinorsMeasure": "干预措施", "MinorsOfficeMember": "区未保办成员",
    "MinorsDeadline": "个案评估时限", "MinorsStation": "未成年人保护工作站", "MinorsStationStaff": "工作站工作人员",
    "HomelessRescue": "流浪乞讨人员救助记录", "RescuedPerson": "受助人员", "RescueWeatherWarning": "气象预警",
    "RescueCampaign": "极端天气专项救助行动", "RescuePatrolShift": "巡查班次",
    "CharitySupermarket": "慈善超市", "CharityDonation": "慈善超市捐赠", "CharityDistribution": "慈善超市发放",
    "CharityOutlet": "福利彩票销售网点", "CharitySalesImport": "福利彩票销售数据导入",
    "CharityFundRate": "福彩公益金提取比例",
    "Organization": "社会组织", "Matter": "社会组织登记事项", "MatterTimeLimit": "登记事项办理时限",
    "AnnualReport": "社会组织年度报告",
    "EvaluationRound": "社会组织评估年度", "EvaluationApplication": "社会组织等级评估申报",
    "SanctionRecord": "社会组织行政处罚或立案调查", "RewardParameter": "等级评估奖励标准", "GradeReward": "等级评估奖励",
    "FundCall": "扶持资金申报", "FundApplication": "扶持资金申报项目",
    "OrgActivity": "社会组织活动记录", "ContactAttempt": "社会组织联系记录",
    "InactivityPeriod": "长期未开展活动期限", "ZombieCase": "僵尸型社会组织清理整治案件",
    "MajorEvent": "社会组织重大事项报告", "ReportReminder": "年度报告催报记录",
}

FIELD_LABELS = {
    "name": "姓名", "id_number": "身份证号", "committee": "居村委", "phone": "电话", "employment": "就业状况",
    "youfu": "优抚对象", "hukou_shanghai": "本市户籍", "able_to_work": "有劳动能力", "reason": "原因",
    "unemployment_insurance": "领取失业保险金", "unemployment_subsidy": "领取失业补助金",
    "month": "月份", "program": "救助项目", "status": "状态", "from": "原状态", "to": "新状态",
    "valid_from": "起始日期", "earned_fen": "劳动收入（分）", "pension_fen": "养老金（分）",
    "other_fen": "其他收入（分）", "monetary_assets_fen": "货币财产（分）", "securities_fen": "证券（分）",
    "private_cars": "机动车辆", "homes": "住房套数", "medical_oop_12m_fen": "近12个月医疗自负（分）",
    "origin": "来源", "evidence": "依据", "result": "核对结果编号", "as_of": "核对日期", "outcome": "结论",
    "monthly_income_fen": "家庭月均收入（分）", "missing_replies": "未回复的部门数据（项）",
    "reference": "编号", "household": "家庭", "head": "户主", "address": "地址", "death_date": "死亡日期",
    "purpose": "用途", "signed_by": "签署人", "signed_on": "签署日期", "document_sha256": "文件指纹",
    "members": "人数", "file": "文件", "rows": "行数", "source": "数据来源", "households": "户数",
    "persons": "人数", "amount_fen": "金额（分）", "effective_month": "生效月份", "end_month": "截止月份",
    "reasons": "理由", "note": "备注", "month_count": "月数", "created": "新建", "relation": "关系",
    "person": "人员", "period_start": "期间起", "period_end": "期间止", "reply": "回复编号", "divisions": "区划数",
    "programs": "救助项目",
    "directory": "导出目录", "parameter_set": "参数集", "households_facts_missing": "收入或财产不明未测算的家庭",
    # department-data imports, staff accounts, batch runs (the audit page shows no key as 其他内容)
    "sha256": "文件指纹", "good": "有效行数", "new_records": "新增记录", "bad": "错误行数",
    "unmatched": "未匹配人员的记录", "events": "新增事件", "deaths": "登记死亡人数", "complete_extract": "全量数据",
    "username": "登录账号", "role": "角色", "scope": "辖区", "advisor": "救助顾问", "villages": "村委会数",
    "seed": "随机种子", "run": "批次", "memberships": "家庭成员关系数", "disabilities": "残疾人证数",
    "moves": "迁移记录数", "committees": "居村委数", "seconds": "用时（秒）", "decision_run": "测算批次",
    "unchanged_since": "与之相同的上次动态监测", "batch_reused": "沿用当月测算结果（未重新测算）",
    "run_on": "运行日期", "leads": "线索数", "exceptions": "例外数", "large_differences": "差异较大项数",
    # re-computation settlement (payments.settlement.apply)
    "start_month": "起始月份", "months": "比较的月份", "topups": "补差笔数", "topup_fen": "补差金额（分）",
    "charges": "追缴笔数", "charge_fen": "追缴金额（分）", "review": "需复核笔数", "digest": "清单指纹",
    # deaths and one-off payments (payments: death_holds, one_off)
    "lines": "笔数", "total_fen": "合计金额（分）", "seq": "序号", "payee": "收款人", "beneficiary": "补贴对象",
    "skipped": "未纳入批次", "fund_split_verified": "资金来源比例已核实", "one_off_requeued": "退回待发放的一次性补贴",
    # procedure timings (casework: extension, spot check, recompute)
    "overall_due_on": "总时限", "total_days": "总时限（工作日）", "on": "办理日期", "percent": "抽查比例（%）",
    "population": "待确认案卷数", "drawn": "抽中案卷", "population_sha256": "案卷清单指纹", "draw": "抽查批次",
    "checked_on": "抽查日期", "fixed": "重新计算件数", "all_open": "全部在办申请", "moved": "调整件数",
    # background jobs (job.start, job.retry)
    "kind": "作业", "params": "参数", "retry_of": "重试的作业",
    # elder_alerts: 一键通 and home-safety alerts (ADR 0033)
    "elder_alerts.call_device_create": "登记一键通终端", "elder_alerts.call_device_update": "修改一键通终端状态",
    "elder_alerts.sensor_device_create": "登记居家安全监测设备", "elder_alerts.sensor_device_update": "修改居家安全监测设备",
    "elder_alerts.calls_import": "导入一键通呼叫记录", "elder_alerts.readings_import": "导入监测设备数据",
    "elder_alerts.call_response": "登记呼叫派单和到达", "elder_alerts.scan": "居家安全提醒扫描",
    "elder_alerts.task_close": "办结居家安全提醒任务", "elder_alerts.rule_update": "修改提醒规则",
    "elder_alerts.threshold_update": "修改呼叫响应时限",
    # marriage registry office (ADR 0022)
    "registered_on": "登记日期", "parties": "当事人", "certificates": "证书编号", "cross_province": "跨省登记",
    "booking": "预约编号", "superseded": "作废的证书", "number": "证书编号", "received_on": "收到申请日期",
    "withdrawal_until": "撤回申请截止日", "appear_until": "到场申领截止日", "marriage": "结婚登记",
    "party": "当事人", "marital_status": "婚姻状况", "file_sha256": "文件指纹",
    # bookings (预约)
    "resource_name": "资源名称", "resource_kind": "资源类型", "day_name": "开放日名称", "booking_purpose": "预约事项",
    "division": "所属区划", "active": "启用", "weekdays": "开放星期", "day_start": "开始时间", "day_end": "结束时间",
    "slot_minutes": "每个时段（分钟）", "capacity": "每个时段可约数", "date": "日期", "bookings": "涉及预约",
    "existing": "已有时段", "slot": "时段", "start": "开始时间", "places": "占用名额", "hold_expires_at": "暂留截止",
    "notice": "通知", "sender_status": "通知发送状态",
    # tomb sweeping (ADR 0026)
    "area": "祭扫区域", "physical_capacity": "每个时段可容纳人数", "peak_kind": "祭扫高峰",
    "title": "名称", "booking_opens_at": "开始预约时间", "cap_percent": "预约上限（%）", "times": "时段安排",
    "areas": "祭扫区域数", "days": "高峰日数", "companions": "同行人数", "people": "人数",
    "service_date": "祭扫日期", "services": "服务项目", "photos": "照片数",
    "arrived": "已入园", "no_show": "未到场", "cancelled": "已取消",
    # job.upload_purge
    "jobs": "使用该文件的作业", "last_ended_at": "使用该文件的作业最后结束时间", "retention_days": "保留天数",
    "size_bytes": "大小（字节）",
    # deaths (ADR 0023)
    "report": "来源记录", "date_differs": "死亡日期与登记不一致", "matched": "匹配人口库", "feed_events": "部门数据事件",
    "reports": "来源记录数", "records": "死亡登记数",
    "held_on": "颁证日期", "place": "地点", "theme": "主题", "registrar": "负责的婚姻登记员", "year": "年度",
    "ceremony": "集体颁证活动", "couples": "新人对数", "marriages": "结婚登记", "today": "截至日期",
    # funeral and burial subsidies (ADR 0027)
    "grant_kind": "补贴类别", "burial_kind": "安葬方式", "eligibility": "补贴资格", "order_reference": "殡仪馆结算单号", "cost_fen": "实际费用（分）",
    "payment_method": "支付方式", "urns": "骨灰数（具）", "burial_date": "安葬日期",
    "dingqi_dingliang": "领取定期定量生活补助", "funeral_pay": "享受社会保险丧葬补助金",
    "effective_from": "起始日期", "document_name": "依据文件名称", "document_number": "文号",
    "payment_reference": "发放编号", "grants": "补贴笔数", "burials": "生态葬记录数",
    "applications": "离婚申请数", "documents": "材料数", "marital_statuses": "婚姻状况记录数", "format": "格式",
    # cemeteries and columbaria (ADR 0025)
    "site_name": "名称", "site_kind": "类型", "site_status": "状态", "street": "所在街镇",
    "operator": "经营（管理）单位", "licence_number": "批准文号", "cemetery": "公墓或骨灰堂", "section": "墓区",
    "section_name": "墓区名称", "plot_kind": "墓穴（格位）类型", "plot_capacity": "容量", "sold": "已售",
    "used": "已安葬", "price_fen": "价格（分）", "cap": "适用的最高限价",
    "cap_fen": "最高限价（分）", "citation": "限价文件", "over_cap": "超过限价的价格（项）", "copied_from": "复制自年度",
    "category": "类别", "text": "检查内容", "inspected_on": "检查日期", "results": "检查结果", "inspection": "年检",
    "deadline": "整改期限", "done_on": "整改完成日期", "verified_on": "验证日期",
    "rectification": "整改", "file_type": "文件类型", "size": "大小（字节）",
    # funeral services (白事管家, ADR 0024)
    "code": "编号前缀", "hall_size": "告别厅规格", "item": "项目", "unit": "计价单位",
    "basic": "基本殡葬服务项目", "channel": "受理渠道",
    "items": "服务项目", "change": "变更", "quantity": "数量",
    "basic_cost_fen": "基本殡葬服务费用（分）", "subsidy_fen": "补贴抵扣（分）", "payable_fen": "应付金额（分）",
    "paid_at": "付款时间", "death_record": "死亡登记", "orders": "订单数",
    "halls": "告别厅数", "settled": "结算订单数",
    # elderly-care facilities and caregivers (ADR 0028)
    "facility_name": "设施名称", "facility_kind": "设施类型", "facility_status": "设施状态",
    "operator_name": "运营单位", "operator_uscc": "运营单位统一社会信用代码", "longitude": "经度", "latitude": "纬度",
    "planned_on": "列入计划日期", "building_since": "开工日期", "operating_since": "运营日期", "closed_on": "停业日期",
    "beds": "床位数", "dementia_beds": "认知障碍照护床位数", "area_m2": "面积（平方米）", "opening_hours": "开放时间",
    "smart": "智慧养老院", "internet_hospital": "养老院+互联网医院", "smart_since": "建成智慧养老院日期",
    "internet_hospital_since": "接入互联网医院日期", "dementia_beds_since": "认知障碍照护床位投用日期",
    "measure": "指标", "target": "目标数", "facility": "设施", "employer": "工作单位",
    "certificate_level": "等级证书", "certificate_number": "证书编号", "certificate_issued_on": "发证日期",
    "course": "培训课程", "hours": "时长（小时）", "started_on": "培训开始日期", "ended_on": "培训结束日期",
    "resulting_level": "培训后等级", "award": "荣誉", "employed_since": "入职日期", "facilities": "设施数",
    "caregivers": "护理员人数", "trainings": "培训记录数", "awards": "获奖记录数",
    # supervision of care institutions (ADR 0030)
    "inspector": "检查人员", "inspector_kind": "检查人员类型", "exclusion_reason": "回避原因",
    "plan_name": "计划名称", "institutions_to_draw": "抽取机构数", "inspectors_per_institution": "每家机构检查人员数",
    "checklist_version": "检查表版本", "snapshot_sha256": "快照SHA-256", "institutions": "抽中机构",
    "item_count": "检查项数", "issues": "发现问题项数", "supervision_inspection": "检查", "working_days": "整改期限（工作日）",
    "order": "整改通知", "decision": "验证结论", "inspection_count": "检查机构数",
    # care institutions (ADR 0029)
    "room_number": "房间号", "bed_numbers": "床位号", "bed_number": "床位号",
    "bed_kind": "床位类型", "in_service": "在用", "admitted_on": "入住日期", "discharged_on": "离院日期",
    "discharge_reason": "离院原因", "care_level": "照护等级", "assessed_on": "评估日期",
    "reassess_due_on": "评估有效期至", "registry_match": "与人口库匹配", "post": "岗位", "hired_on": "入职日期",
    "left_on": "离职日期", "incident_kind": "事件类型", "occurred_at": "发生时间", "step": "处置措施",
    "incident_closed_on": "结案日期", "closure": "结案说明", "rooms": "房间数", "residents": "入住老人数",
    "staff": "工作人员数", "incidents": "意外事件数",
    # elderly care II: visits, home adaptations, dementia screening (ADR 0034)
    "before": "修改前", "frequency_days": "探访周期（天）", "added": "新纳入", "ended": "移出", "changed": "类别变化",
    "open_total": "名单人数", "visitor_kind": "探访人员类型", "visitor": "探访人员",
    "visited_on": "探访（随访）日期", "visit_mode": "探访方式", "needs_follow_up": "需要跟进",
    "unit_price_fen": "单价（分）", "subsidy_percent": "补贴比例（%）", "uscc": "统一社会信用代码",
    "reported_done": "报告完成户数", "elder": "老年人", "applied_on": "申请日期",
    "contractor": "施工单位", "contracted_on": "派单日期", "completed_on": "完工日期", "accepted_on": "验收日期",
    "tool": "筛查量表", "score": "得分", "risk_level": "风险等级", "screened_on": "筛查日期",
    "referral_to": "转介机构", "referred_on": "转介日期", "screening": "筛查记录", "reported": "报告筛查人数",
    # children in difficulty (ADR 0035)
    "child": "困境儿童", "evidence_kind": "证明材料类型",
    "guardian_relation": "与儿童的关系", "guardian_capacity": "监护能力", "effective_to": "终止日期",
    "check_outcome": "排查结论", "problems": "未通过的排查事项", "again": "重新登记", "due_on": "完成期限",
    "lead_kind": "线索来源", "provider": "承接机构", "planned_children": "计划服务人数",
    "project": "关爱服务项目", "joined_on": "纳入服务日期", "served_on": "服务日期", "service_kind": "服务内容",
    # meal assistance (ADR 0032)
    "recorded": "登记行数", "repeated": "已登记过的行数", "quarantined": "有问题的行数",
    "subsidised": "补贴人次", "canteen": "助餐点", "day": "用餐日期", "tier": "补贴档次", "certainty": "可靠程度",
    "date_approximate": "起始日期为约数", "meals": "用餐人次", "adjustment_fen": "补报补贴（分）",
    "already_settled": "此前已结算", "canteens": "助餐点数", "organisation": "收款单位",
    "bank_name": "开户银行", "replaces": "更正前账户",
    # elder_alerts (ADR 0033)
    "device_kind": "设备类型", "quiet_hours": "无用水提醒时长（小时）", "filename": "文件名", "imported": "新增",
    "updated": "补充", "unchanged": "已有（未变）", "rejected": "隔离", "responder": "派单对象",
    "dispatched_at": "派单时间", "arrived_at": "到达时间", "resolved_at": "处置完成时间", "until": "截止时间",
    "already": "已有提醒", "cause": "原因", "late": "超过期限", "label": "名称",
    "enabled": "启用", "response_minutes": "处置时限（分钟）", "minutes": "应到达时限（分钟）",
    # disability services (ADR 0037)
    "parameter_kind": "参数", "value": "取值", "point": "服务点", "device_category": "辅具类别", "start_on": "租用开始日期",
    "end_on": "租用结束日期", "monthly_rent_fen": "月租金（分）", "applicant_relation": "申请人与残疾人关系",
    "reviewed_on": "审核日期", "site": "站点", "rehab_status": "站点状态", "effective_on": "生效日期",
    "enrolled_on": "纳入服务日期", "exited_on": "结束服务日期", "target_beds": "目标床位数", "opened_on": "开始（投用）日期",
    # minors' protection (ADR 0036)
    "case_number": "个案编号", "urgency": "紧急程度", "reporter_kind": "报告人类别", "kinds": "情形",
    "special_protection": "特别保护", "assessment_due_at": "评估期限", "assigned": "自动指派人数",
    "staff_user": "工作人员账号", "lead": "主办", "on_time": "按期评估", "measure_kind": "措施",
    "taken_on": "措施日期", "agency": "接收单位", "outcome_on": "结果日期", "close_reason": "结案原因",
    "case_closed_on": "结案日期", "deadline_hours": "评估时限（小时）", "station_name": "工作站名称",
    "position": "职务", "cases": "个案",
    # homeless and stranded people (ADR 0038)
    "matched_by_id_number": "按身份证号匹配到已有受助人员", "found_at": "发现时间", "finder_kind": "发现来源",
    "campaign": "专项行动", "shift": "巡查班次", "service": "救助服务", "given_on": "服务日期",
    "rescue_outcome": "救助结果", "sex": "性别", "registry_linked": "关联人口库人员", "duplicate": "被合并的记录",
    "rescues_moved": "转移的救助记录数", "photos_moved": "转移的照片数", "identity_taken": "沿用被合并记录的身份",
    "merge": "合并记录", "rescues_moved_back": "退回的救助记录数", "warning_kind": "预警种类",
    "warning_level": "预警级别", "issued_at": "发布时间", "campaign_kind": "行动类型", "warning": "触发预警",
    "starts_on": "开始日期", "ends_on": "结束日期", "starts_at": "开始时间", "ends_at": "结束时间",
    "people_met": "发现人数", "people_refused": "拒绝救助人数", "people_helped": "救助人数", "rescues": "救助人次",
    # charity supermarkets and the welfare lottery (ADR 0040)
    "supermarket": "慈善超市", "charity_operator": "运营方", "supermarket_opened_on": "开业日期",
    "supermarket_status": "慈善超市状态", "supermarket_status_before": "原状态", "donation_kind": "捐赠类型",
    "donor_kind": "捐赠方类型", "donated_on": "捐赠日期", "receipt_no": "票据号", "goods": "物资",
    "distributed_on": "发放日期", "outlet_code": "网点编号", "outlet_name": "网点名称",
    "outlet_status": "网点状态", "outlet_status_before": "网点原状态", "fund_percent": "公益金提取比例（%）",
    "file_name": "文件名", "import_mode": "导入方式", "corrected": "更正行数",
    "charity_supermarkets": "慈善超市数", "charity_donations": "捐赠笔数", "charity_distributions": "发放笔数",
    "charity_ledger_entries": "库存台账条数", "lottery_outlets": "福彩销售网点数", "lottery_sales_rows": "福彩月销售数据条数",
    # social organizations (ADR 0039)
    "org_name": "社会组织名称", "org_kind": "社会组织类型", "org_status": "登记状态",
    "legal_rep_id": "法定代表人身份证号（脱敏）", "legal_rep_name": "法定代表人", "status_on": "状态变更日期",
    "supervisor": "业务主管单位（行业管理部门）", "registered_capital_fen": "注册资金（分）",
    "business_scope": "业务范围", "community": "社区社会组织", "party_stage": "党建环节",
    "party_status": "党组织建立情况", "organizations": "社会组织数", "changes": "变更记录数",
    "matter_kind": "登记事项", "matter_status": "办理状态", "matter_accepted_on": "受理日期",
    "matter_due_on": "办理期限", "agrees": "业务主管单位同意", "decided_on": "决定日期",
    "time_limit_days": "办理时限（工作日）", "basis": "依据", "matters": "登记事项数",
    "conclusion": "年检结论",
    # evaluation grades (ADR 0041)
    "eval_status": "评估申报状态", "exclusions": "不符合申报条件的情形", "expert": "评估专家", "eval_grade": "评估等级",
    "valid_until": "有效期至", "opens_on": "申报开始日期", "closes_on": "申报截止日期", "sanction_kind": "处罚或调查类别",
    "document": "决定书或立案文号", "reward_status": "奖励状态", "rewards": "奖励笔数",
    # support funds (ADR 0043)
    "fund_kind": "扶持类别", "budget_fen": "资金总额（分）", "max_per_project_fen": "单个项目资助上限（分）",
    "first_instalment_percent": "立项时拨付比例（%）",
    "criteria": "评分标准", "project_name": "项目名称", "requested_fen": "申请金额（分）",
    "reviewer": "评审专家", "points_total": "评分合计", "fund_status": "项目状态", "awarded_fen": "资助金额（分）",
    "instalment": "拨付期次", "spent_fen": "资金使用（分）", "beneficiaries": "服务人次",
    "report_conclusion": "验收结论", "fund_calls": "扶持资金申报数", "fund_applications": "申报项目数",
    # zombie organizations (ADR 0042)
    "in_charter": "属于章程规定的业务活动", "contact_kind": "联系方式", "tried_on": "联系日期", "reached": "取得联系",
    "notice_number": "通知书文号", "notice_on": "通知日期", "rectified_on": "整改完成日期", "revoked_on": "撤销登记日期",
    "event_kind": "重大事项类别", "event_status": "重大事项报告状态", "event_on": "事项日期",
    "reminder_channel": "催报方式", "reminders": "催报记录数",
}


# Values of coded fields, as each app registers them (``register_value_labels`` in
# its ``AppConfig.ready``): core knows no domain's codes (the core-kernel contract).
_VALUE_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def register_value_labels(field: str, choices: object, *, object_type: str = "") -> None:
    """Register the Chinese labels of a coded field's values, for one record
    kind (``object_type``) or for every kind ("")."""
    _VALUE_LABELS[(object_type, field)] = {str(code): str(label) for code, label in choices}  # type: ignore[attr-defined]


def add_value_labels(field: str, choices: object, *, object_type: str = "") -> None:
    """Add labels to a coded field's values, keeping those already registered (e.g. a
    one-off payment program next to the monthly programs, ``payments.one_off``)."""
    known = _VALUE_LABELS.setdefault((object_type, field), {})
    known.update({str(code): str(label) for code, label in choices})  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AuditLine:
    what: str
    record: str
    changes: list[tuple[str, str]]


def _value(value: object, labels: dict[str, str] | None = None) -> str:
    if labels and isinstance(value, str) and value in labels:
        return labels[value]
    if value is None or value == "":
        return "空"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        if len(value) == 2 and not any(isinstance(v, (list, dict)) for v in value):
            return f"{_value(value[0], labels)} → {_value(value[1], labels)}"
        return "、".join(_value(v, labels) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{FIELD_LABELS.get(k, '其他内容')}：{_value(v)}" for k, v in value.items())
    return str(value)


def describe(entry: AuditEntry) -> AuditLine:
    """One entry as "what was done, to which record, which fields changed"."""
    what = ACTION_LABELS.get(entry.action, "其他操作")
    record = f"{OBJECT_LABELS.get(entry.object_type, '记录')} {entry.object_id}".strip()
    changes = [(FIELD_LABELS.get(key, "其他内容"),
                _value(value, _VALUE_LABELS.get((entry.object_type, key)) or _VALUE_LABELS.get(("", key))))
               for key, value in (entry.changes or {}).items()]
    return AuditLine(what, record, changes)


register_value_labels("role", Role.choices, object_type="User")

for _field in ("program", "programs"):
    register_value_labels(_field, [(pid, p.label) for pid, p in PROGRAMS.items()])
# Sample draws (payments.sample.draw): the purpose's labels (payments.models.SamplePurpose).
register_value_labels("purpose", [("household_survey", "百户调查"), ("special_check", "专项检查")],
                      object_type="SampleDraw")
