"""The state machine: the happy path, every illegal transition, roles and scopes per step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minzheng.casework import services
from minzheng.casework.actions import take_action
from minzheng.casework.models import CaseStep, Status
from minzheng.casework.program_settings import program_setting_update
from minzheng.casework.tests.conftest import STEP_DATES, walk
from minzheng.casework.transitions import TRANSITIONS, allowed_actions
from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted
from minzheng.core.scope import OutOfScope

D = dt.date

# Valid fields for every action, so only the status can make it fail.
FIELDS = {
    "accept": {}, "reject": {"reasons": "材料不全"}, "verify": {"verification_reference": "HD-1"},
    "visit": {"visited_on": "2025-09-10", "visitors": "王芳", "findings": "属实"},
    "street_review": {"agree": "1", "reasons": "同意"}, "post_notice": {"starts_on": "2025-10-20"},
    "approve": {"agree": "1", "reasons": "同意"}, "decide": {"reasons": "符合条件"},
    "withdraw": {"reasons": "申请人撤回"}, "extend": {"reasons": "需补充调查，延长审核期限"},
}
PERFORMER = {"accept": "street", "reject": "street", "verify": "street", "visit": "committee",
             "street_review": "street", "post_notice": "street", "approve": "bureau", "decide": "bureau",
             "withdraw": "street", "extend": "bureau"}
LATE = D(2025, 10, 20)  # after the notice period of ``walk``


def _case_in(status: str, users, new_case):
    application = new_case()
    if status == Status.NOT_ACCEPTED:
        services.application_reject(actor=users["street"], application=application, reasons="材料不全",
                                    on=STEP_DATES["accept"])
    elif status == Status.WITHDRAWN:
        services.application_withdraw(actor=users["committee"], application=application, reasons="撤回",
                                      on=STEP_DATES["accept"])
    elif status == Status.DENIED:
        walk(application, users, Status.APPROVAL_RECORDED)
        application.approval_agrees = False
        application.save()
        services.application_decide(actor=users["bureau"], application=application, reasons="收入超标",
                                    on=STEP_DATES["decide"])
    else:
        walk(application, users, status)
    application.refresh_from_db()
    assert application.status == status
    return application


@pytest.mark.django_db
def test_happy_path_records_every_step_and_audits(users, new_case):
    # given a new dibao application
    application = new_case()
    # when it is taken through every step
    walk(application, users, Status.ENROLLED)
    # then the history has one row per step, in order, and each is audited
    steps = list(CaseStep.objects.filter(application=application).values_list("label", flat=True))
    assert steps == ["申请", "受理", "核对", "入户调查", "街镇审核", "公示", "审批", "决定", "纳入保障"]
    assert application.status == Status.ENROLLED
    actions = set(AuditEntry.objects.filter(object_type="Application", object_id=str(application.pk))
                  .values_list("action", flat=True))
    assert {"application.create", "application.accept", "application.verify", "application.visit",
            "application.street_review", "application.post_notice", "application.approve",
            "application.decide", "application.enrol"} <= actions


@pytest.mark.django_db
@pytest.mark.parametrize("status", [s for s in Status if s != Status.APPROVED])
def test_every_illegal_transition_is_refused(users, new_case, status):
    # given a case in ``status``
    application = _case_in(status, users, new_case)
    illegal = [a for a, t in TRANSITIONS.items() if status not in t.sources]
    for action in illegal:
        # when the right role tries a step that does not start from this status
        with pytest.raises(ValidationError) as err:
            take_action(actor=users[PERFORMER[action]], application=application, action=action,
                        fields=FIELDS[action], on=LATE)
        # then it is refused with the status in the message, and nothing changes
        assert f"申请当前状态为“{Status(status).label}”，不能办理“{TRANSITIONS[action].label}”" in err.value.messages[0]
    application.refresh_from_db()
    assert application.status == status


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_only_the_right_role_and_scope_take_each_step(users, new_case, action):
    # given a case where ``action`` is legal
    source = TRANSITIONS[action].sources[0]
    application = new_case()
    walk(application, users, source)
    allowed = {PERFORMER[action]} | ({"committee"} if action == "withdraw" else set())
    for name, user in users.items():
        if name in allowed:
            continue
        # when anyone else tries it
        with pytest.raises((PermissionDenied, OutOfScope)) as err:
            take_action(actor=user, application=application, action=action, fields=FIELDS[action], on=LATE)
        # then it is refused: the right role elsewhere (the other street) is out of scope (404);
        # any other role, auditors and advisors included, is refused by name (403), before scope
        if user.role in {users[n].role for n in allowed}:
            assert isinstance(err.value, OutOfScope)
        else:
            assert isinstance(err.value, NotPermitted)
            assert f"“{TRANSITIONS[action].label}”环节应由" in str(err.value)
    application.refresh_from_db()
    assert application.status == source


@pytest.mark.django_db
def test_the_approving_level_is_configurable_per_program(users, new_case):
    # given dibao is configured to be approved by the street
    program_setting_update(actor=users["bureau"], program="dibao", approval_level="street")
    application = walk(new_case(), users, Status.IN_NOTICE)
    # when the bureau tries to approve, then it is refused; the street may
    with pytest.raises(PermissionDenied, match="应由街镇工作人员办理"):
        services.application_approve(actor=users["bureau"], application=application, agree=True, reasons="同意",
                                     on=LATE)
    services.application_approve(actor=users["street"], application=application, agree=True, reasons="同意",
                                 on=LATE)
    letter = services.application_decide(actor=users["street"], application=application, on=LATE)
    # and the street issues the letter in its own name
    assert letter.issuer == "岳阳街道办事处"
    with pytest.raises(PermissionDenied):
        program_setting_update(actor=users["street"], program="dibao", approval_level="street")


@pytest.mark.django_db
def test_street_disagrees_goes_to_approval_without_notice(users, new_case):
    # given the street disagrees
    application = walk(new_case(), users, Status.VISITED)
    services.application_street_review(actor=users["street"], application=application, agree=False,
                                       reasons="家庭收入高于低保标准", on=STEP_DATES["street_review"])
    # then no notice may be posted, and the bureau decides a denial
    with pytest.raises(ValidationError, match="无需公示"):
        services.application_post_notice(actor=users["street"], application=application, on=LATE)
    services.application_approve(actor=users["bureau"], application=application, agree=False,
                                 reasons="收入高于标准", on=LATE)
    letter = services.application_decide(actor=users["bureau"], application=application, on=LATE)
    application.refresh_from_db()
    assert application.status == Status.DENIED and letter.outcome == "deny"
    assert not application.enrolments.exists()


@pytest.mark.django_db
def test_a_street_agreed_case_cannot_skip_the_notice(users, new_case):
    application = walk(new_case(), users, Status.STREET_REVIEWED)
    with pytest.raises(ValidationError, match="须先公示"):
        services.application_approve(actor=users["bureau"], application=application, agree=True, reasons="同意",
                                     on=LATE)


@pytest.mark.django_db
def test_intake_rules(users, family, new_case, make_person):
    # given an open dibao application
    new_case()
    # then a second one for the same household is refused
    with pytest.raises(ValidationError, match="不能重复申请"):
        new_case()
    # and a non-member cannot be the applicant; street users may take intake, the bureau may not
    stranger = make_person("王五", D(1980, 1, 1))
    with pytest.raises(ValidationError, match="不是该家庭的现有成员"):
        services.application_create(actor=users["street"], household=family.household, applicant=stranger,
                                    program="low_income")
    with pytest.raises(PermissionDenied, match="录入救助申请"):
        services.application_create(actor=users["bureau"], household=family.household, applicant=family.head,
                                    program="low_income")
    with pytest.raises(OutOfScope):
        services.application_create(actor=users["other_street"], household=family.household,
                                    applicant=family.head, program="low_income")


@pytest.mark.django_db
def test_next_actions_shown_per_user(users, new_case):
    application = walk(new_case(), users, Status.VERIFIED)
    assert [a.action for a in allowed_actions(users["committee"], application, LATE)] == ["visit", "withdraw"]
    assert [a.action for a in allowed_actions(users["street"], application, LATE)] == ["withdraw"]
    assert allowed_actions(users["auditor"], application, LATE) == []
    assert allowed_actions(users["other_street"], application, LATE) == []


def test_program_ids_and_labels_are_the_engines():
    from minzheng.casework.models import Program
    from policy import PROGRAMS

    for program in Program:
        assert PROGRAMS[program.value].label == program.label
