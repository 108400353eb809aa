"""The state machine of an application and who may take each step.

    申请 → 受理 → 核对 → 入户调查 → 街镇审核 → 公示 → 审批 → 决定 → 纳入保障
      ↘ 不予受理                        ↘（街镇不同意：不公示，直接报审批）
    撤回申请: any open status before 审批
    延长审核期限 (dibao 第二十二条, ``extensions.py``): once, by the approving
      level, on an accepted open case before the 30-working-day period ends

Performers: committee staff take intake and the home visit; street staff
accept, record the verification, review and post the notice; the approving
level of the program (``ProgramSetting.approval_level``: street staff or
district bureau staff) approves and decides. Auditors and advisors never
write (``casework.*`` in ``core.permissions``). Every check raises with a
Chinese message: ``NotPermitted`` (403) for the wrong role, ``OutOfScope`` outside the user's jurisdiction,
``ValidationError`` for an illegal transition or an unmet condition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from minzheng.casework.deadlines import extension_problem
from minzheng.casework.models import Application, ApprovalLevel, ProgramSetting, Status
from minzheng.casework.program_settings import program_setting
from minzheng.casework.spot_checks import spot_check_problem
from minzheng.core.errors import StateConflict
from minzheng.core.models import Role, User
from minzheng.core.permissions import NotPermitted, can
from minzheng.core.scope import OutOfScope, Scope, require_scope_covers

COMMITTEE = "committee"
STREET = "street"
COMMITTEE_OR_STREET = "committee_or_street"
APPROVER = "approver"

PERFORMER_LABELS = {COMMITTEE: "居村委工作人员", STREET: "街镇工作人员", COMMITTEE_OR_STREET: "居村委或街镇工作人员"}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    performer: str


_WITHDRAWABLE = (Status.APPLIED, Status.ACCEPTED, Status.VERIFIED, Status.VISITED, Status.STREET_REVIEWED,
                 Status.IN_NOTICE)

TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("accept", "受理", (Status.APPLIED,), STREET),
    Transition("reject", "不予受理", (Status.APPLIED,), STREET),
    Transition("verify", "核对", (Status.ACCEPTED,), STREET),
    Transition("visit", "入户调查", (Status.VERIFIED,), COMMITTEE),
    Transition("street_review", "街镇审核", (Status.VISITED,), STREET),
    Transition("post_notice", "公示", (Status.STREET_REVIEWED,), STREET),
    Transition("approve", "审批", (Status.IN_NOTICE, Status.STREET_REVIEWED), APPROVER),
    Transition("decide", "决定", (Status.APPROVAL_RECORDED,), APPROVER),
    Transition("withdraw", "撤回申请", _WITHDRAWABLE, COMMITTEE_OR_STREET),
    Transition("extend", "延长审核期限", (*_WITHDRAWABLE[1:], Status.APPROVAL_RECORDED), APPROVER),
)}

# The permission (``core.permissions``) each step needs.
PERMISSIONS = {"accept": "casework.accept", "reject": "casework.accept", "verify": "casework.verify",
               "visit": "casework.visit", "street_review": "casework.street_review",
               "post_notice": "casework.post_notice", "approve": "casework.approve", "decide": "casework.approve",
               "withdraw": "casework.withdraw", "extend": "casework.approve"}

# Labels of steps recorded without a user action of their own.
STEP_LABELS = {"apply": "申请", "enrol": "纳入保障", **{a: t.label for a, t in TRANSITIONS.items()}}


def performer_label(performer: str, setting: ProgramSetting) -> str:
    if performer == APPROVER:
        return "区民政局工作人员" if setting.approval_level == ApprovalLevel.DISTRICT else "街镇工作人员"
    return PERFORMER_LABELS[performer]


def _role_fits(user: User, transition: Transition, setting: ProgramSetting) -> bool:
    if not can(user, PERMISSIONS[transition.action]):
        return False
    if transition.performer == APPROVER and not user.is_superuser:
        # the approving level is the program's setting: street or district staff, not both
        return user.role == (Role.BUREAU if setting.approval_level == ApprovalLevel.DISTRICT else Role.STREET)
    return True


def require_performer(user: User, application: Application, transition: Transition,
                      setting: ProgramSetting | None = None) -> None:
    """Role and scope of ``user`` for ``transition`` (not the status)."""
    setting = setting or program_setting(application.program)
    if not _role_fits(user, transition, setting):
        raise NotPermitted(PERMISSIONS[transition.action],
                           f"“{transition.label}”环节应由{performer_label(transition.performer, setting)}办理")
    require_scope_covers(user, street_code=application.street_id, committee_code=application.committee_id)


def require_source(application: Application, transition: Transition) -> None:
    if application.status not in transition.sources:
        raise StateConflict(
            f"申请当前状态为“{Status(application.status).label}”，不能办理“{transition.label}”")


def require_conditions(application: Application, transition: Transition, on: dt.date) -> None:
    """Business conditions beyond the status (notice, objections, opinions,
    the extension's once-only rule, the extreme-poverty spot check)."""
    if transition.action == "extend":
        problem = extension_problem(application, on)
        if problem:
            raise ValidationError(problem)
    if transition.action == "post_notice" and application.street_opinion is False:
        raise ValidationError("街镇审核意见为不同意，无需公示，请直接报送审批（不予批准）")
    if transition.action == "approve" and application.status == Status.STREET_REVIEWED and application.street_opinion:
        raise ValidationError("街镇审核同意的申请须先公示，公示期满且异议处理完毕后方可审批")
    if transition.action == "approve" and application.status == Status.IN_NOTICE:
        notice = application.notice
        if on <= notice.ends_on:
            raise ValidationError(
                f"公示期至{notice.ends_on.year}年{notice.ends_on.month}月{notice.ends_on.day}日止，公示期内不能审批")
        unresolved = application.objections.filter(resolved_on__isnull=True).count()
        if unresolved:
            raise ValidationError(f"公示期间收到的异议尚有{unresolved}件未处理，处理完毕后方可审批")
    if transition.action == "approve":
        problem = spot_check_problem(application)
        if problem:
            raise ValidationError(problem)


def require_transition(user: User, application: Application, action: str, on: dt.date) -> Transition:
    """Everything a step needs, in order: known step, role and scope, status, conditions."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(f"未知的办理环节：{action}")
    require_performer(user, application, transition)
    require_source(application, transition)
    require_conditions(application, transition, on)
    return transition


@dataclass(frozen=True)
class AllowedAction:
    action: str
    label: str
    blocked: str = ""  # why the step cannot be taken yet (shown, button disabled)


def allowed_actions(user: User, application: Application, on: dt.date) -> list[AllowedAction]:
    """The next steps ``user`` may take on ``application`` (with the reason when blocked)."""
    if not Scope.of(user).covers(street_code=application.street_id, committee_code=application.committee_id):
        return []
    setting = program_setting(application.program)
    result = []
    for transition in TRANSITIONS.values():
        if application.status not in transition.sources:
            continue
        try:
            require_performer(user, application, transition, setting)
        except (NotPermitted, OutOfScope):
            continue
        try:
            require_conditions(application, transition, on)
        except ValidationError as err:
            if transition.action == "approve" and (application.status == Status.IN_NOTICE
                                                   or err.messages[0] == spot_check_problem(application)):
                result.append(AllowedAction(transition.action, transition.label, err.messages[0]))
            continue
        result.append(AllowedAction(transition.action, transition.label))
    return result
