"""Per-program defaults: approving level, notice period, step deadlines in
working days, re-review intervals — and their sources.

None of the deadline numbers is in the policy documents cited in policy/parameters, so every default
is marked ``verified=False`` and shown to staff as "尚未核实" until the bureau
confirms it against the published rules. See docs/adr/0006-casework.md.

Sources as we recall them (to verify):
* 《最低生活保障审核确认办法》(民发〔2021〕57号): the whole review within 30
  working days of acceptance (45 in special cases); the county-level civil
  affairs office decides within 10 working days of the street's opinion;
  public notice in the applicant's village/residents' committee for 7 days.
* SPEC.md A.4: public notice 7 days (calendar days: "公示7天").
* Step deadlines inside the 30 days (accept 5, verify 10, visit 5, review 5,
  post 3, decide 3) are our own split — assumptions.
* Re-review: households with a working-age member able to work yearly,
  elderly/disabled-only households every 2 years — assumptions (the brief's
  examples); the national rule is recalled as yearly / half-yearly /
  quarterly by stability of income.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.casework.models import ApprovalLevel, Program, ProgramSetting
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.permissions import require

_BASIS = ("默认值：总时限30个工作日、审批10个工作日、公示7天据《最低生活保障审核确认办法》（民发〔2021〕57号，凭记忆，待核实）；"
          "各环节分段期限及复核间隔为本系统假设，请区民政局核实后修改。")

_STEP_DAYS = {"accept_days": 5, "verify_days": 10, "visit_days": 5, "review_days": 5, "post_days": 3,
              "approve_days": 10, "decide_days": 3, "total_days": 30}

_LEVEL = {
    Program.DIBAO: ApprovalLevel.DISTRICT,
    Program.LOW_INCOME: ApprovalLevel.DISTRICT,
    Program.EXPENSE_POVERTY: ApprovalLevel.DISTRICT,
    Program.EXTREME_POVERTY: ApprovalLevel.DISTRICT,
    Program.CHILD_BASIC_LIVING: ApprovalLevel.DISTRICT,
    Program.DISABILITY_LIVING_SUBSIDY: ApprovalLevel.STREET,
    Program.DISABILITY_CARE_SUBSIDY: ApprovalLevel.STREET,
}

EDITABLE_FIELDS = ("approval_level", "notice_days", *_STEP_DAYS, "rereview_months_able",
                   "rereview_months_stable", "basis", "verified")


def default_setting(program: str) -> ProgramSetting:
    """The documented default for ``program`` (unsaved)."""
    return ProgramSetting(program=program, approval_level=_LEVEL[Program(program)], notice_days=7,
                          rereview_months_able=12, rereview_months_stable=24, basis=_BASIS, verified=False,
                          **_STEP_DAYS)


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
    if setting.approval_level not in ApprovalLevel.values:
        raise ValidationError("审批层级无效")
    setting.full_clean()
    setting.save()
    audit_record(actor=actor, action="program_setting.update", object_type="ProgramSetting", object_id=program,
                 changes={f: [before[f], getattr(setting, f)] for f in changes})
    return setting
