"""Per-program settings: approving level, notice period, step deadlines in
working days, re-review intervals — and their sources.

The defaults are ``procedure_timings.default_values``: the national rules in
force 2021-07-01 (REFERENCE §15, official) for dibao and extreme poverty,
each with its article, and our own assumptions where the rules give nothing
(the acceptance step, the street's per-step split, every timing of the other
programs). A value shows its article while it equals the national one;
anything else is marked "此期限尚未核实" unless the bureau ticks 已核实 for
its own values. See docs/adr/0015-national-procedure-timings.md.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.casework.models import ApprovalLevel, Program, ProgramSetting
from minzheng.casework.procedure_timings import OPTIONAL_FIELDS, default_values, rules_name
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.permissions import require

_ASSUMED_BASIS = ("受理期限、街镇各环节分段期限、总时限和复核间隔为本系统假设（国家规定未给出），"
                  "请区民政局核实后修改。")
_BASIS = {
    "dibao": ("依据《最低生活保障审核确认办法》（民政部，2021年7月1日起施行）：第十五条启动调查3个工作日，"
              "第十九条公示7天，第二十条区审核确认10个工作日，第二十一条不予批准书面通知3个工作日，"
              "第二十二条总时限30个工作日（特殊情况45个工作日），第三十一条复核每年或每半年。"
              "受理期限及街镇核对、入户、审核、张榜各环节分段期限为本系统假设。"),
    "extreme_poverty": ("依据《特困人员认定办法》（民政部，2021年7月1日起施行）：第十三条街镇调查并提出初审意见"
                        "15个工作日，第十五条公示7天，第十六条区确认15个工作日并抽查不少于30%，"
                        "第十八条不予确认书面通知3个工作日。受理期限、街镇各环节分段期限和复核间隔为本系统假设；"
                        "该办法未规定总时限。"),
}

_STEP_DAYS = ("accept_days", "verify_days", "visit_days", "review_days", "post_days", "approve_days",
              "decide_days")
_TIMING_FIELDS = ("notice_days", "survey_start_days", "street_opinion_days", *_STEP_DAYS, "total_days",
                  "extended_total_days", "rereview_months_able", "rereview_months_stable")

_LEVEL = {
    Program.DIBAO: ApprovalLevel.DISTRICT,
    Program.LOW_INCOME: ApprovalLevel.DISTRICT,
    Program.EXPENSE_POVERTY: ApprovalLevel.DISTRICT,
    Program.EXTREME_POVERTY: ApprovalLevel.DISTRICT,
    Program.CHILD_BASIC_LIVING: ApprovalLevel.DISTRICT,
    Program.DISABILITY_LIVING_SUBSIDY: ApprovalLevel.STREET,
    Program.DISABILITY_CARE_SUBSIDY: ApprovalLevel.STREET,
    Program.ELDERLY_CARE_SUBSIDY: ApprovalLevel.STREET,  # assumption, as the disability subsidies (ADR 0031)
}

EDITABLE_FIELDS = ("approval_level", *_TIMING_FIELDS, "basis", "verified")


def default_basis(program: str) -> str:
    return _BASIS.get(program, _ASSUMED_BASIS)


def default_setting(program: str) -> ProgramSetting:
    """The documented default for ``program`` (unsaved): national values
    where REFERENCE §15 gives them, our assumptions elsewhere."""
    return ProgramSetting(program=program, approval_level=_LEVEL[Program(program)], basis=default_basis(program),
                          verified=False, **default_values(program))


def has_national_rules(program: str) -> bool:
    return bool(rules_name(program))


def program_setting(program: str) -> ProgramSetting:
    """The bureau's setting for ``program``, or the default when none is stored."""
    return ProgramSetting.objects.filter(program=program).first() or default_setting(program)


def program_settings_all() -> list[ProgramSetting]:
    stored = {s.program: s for s in ProgramSetting.objects.all()}
    return [stored.get(p, default_setting(p)) for p in Program.values]


@transaction.atomic
def program_setting_update(*, actor: User, program: str, **changes) -> ProgramSetting:
    """Change a program's configuration (bureau staff only); audited old → new."""
    require(actor, "casework.settings_manage")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改：{'、'.join(sorted(unknown))}")
    setting = program_setting(program)
    before = {f: getattr(setting, f) for f in changes}
    for field, value in changes.items():
        setattr(setting, field, value)
    if setting.notice_days < 1:
        raise ValidationError("公示天数至少为1天")
    if any(getattr(setting, f) < 1 for f in _STEP_DAYS):
        raise ValidationError("各环节期限至少为1个工作日")
    if any(getattr(setting, f) is not None and getattr(setting, f) < 1 for f in OPTIONAL_FIELDS):
        raise ValidationError("期限至少为1个工作日；法规未规定的期限请留空")
    if setting.extended_total_days is not None and (
            setting.total_days is None or setting.extended_total_days <= setting.total_days):
        raise ValidationError("延长后总时限应长于总时限")
    if setting.approval_level not in ApprovalLevel.values:
        raise ValidationError("审批层级无效")
    setting.full_clean()
    setting.save()
    audit_record(actor=actor, action="program_setting.update", object_type="ProgramSetting", object_id=program,
                 changes={f: [before[f], getattr(setting, f)] for f in changes})
    return setting
