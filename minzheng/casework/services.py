"""Writes of the casework app: intake, documents, each review step,
objections. Each service is keyword-only, validates first (role, scope,
status, conditions — see ``transitions.py``), runs in one transaction, adds
a ``CaseStep`` row for a step and appends an audit entry.

``on`` is the date the step is taken (default: today).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from minzheng.casework import letters
from minzheng.casework.amounts import engine_outcome
from minzheng.casework.deadlines import apply_deadline
from minzheng.casework.enrolments import enrolment_create_for_decision

# Enrolment writes (enrolments.py) are part of casework's public interface (ADR 0009).
from minzheng.casework.enrolments import enrolment_resume as enrolment_resume
from minzheng.casework.enrolments import enrolment_stop_for_death as enrolment_stop_for_death
from minzheng.casework.enrolments import enrolment_suspend as enrolment_suspend
from minzheng.casework.enrolments import enrolment_terminate as enrolment_terminate
from minzheng.casework.enrolments import enrolments_create_auto as enrolments_create_auto

# The extension of the review period (dibao 第二十二条) is a casework write too.
from minzheng.casework.extensions import application_extend as application_extend
from minzheng.casework.models import (
    Application,
    CaseDocument,
    CaseStep,
    DecisionLetter,
    DocumentKind,
    HomeVisit,
    Notice,
    Objection,
    Outcome,
    Program,
    Status,
)
from minzheng.casework.program_settings import program_setting
from minzheng.casework.transitions import STEP_LABELS, require_transition
from minzheng.core.audit import audit_record
from minzheng.core.bounds import SCHEDULE_DAYS_AHEAD, day_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.months import month_of, month_shift
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.registry.models import Household, HouseholdMembership, Person
from minzheng.verification import selectors as verification_selectors
from policy import PROGRAMS

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _today(on: dt.date | None) -> dt.date:
    return on or dt.date.today()


def _required(text: str, what: str) -> str:
    if not (text or "").strip():
        raise ValidationError(f"请填写{what}")
    return text.strip()


def _step(application: Application, *, actor: User | None, action: str, to_status: str, on: dt.date,
          reasons: str = "", data: dict | None = None) -> CaseStep:
    """Record a step, move the status, recompute the next deadline, audit."""
    step = CaseStep.objects.create(
        application=application, action=action, label=STEP_LABELS[action], from_status=application.status,
        to_status=to_status, actor=actor, actor_name=getattr(actor, "username", "system"), acted_on=on,
        was_due_on=application.due_on if application.due_action == action else None,
        reasons=reasons, data=data or {},
    )
    application.status = to_status
    apply_deadline(application, program_setting(application.program), on)
    application.save()
    audit_record(actor=actor, action=f"application.{action}", object_type="Application", object_id=application.pk,
                 scope_code=application.committee_id,
                 changes={"from": step.from_status, "to": to_status, "on": on, "reasons": reasons, **(data or {})})
    return step


# --- intake ------------------------------------------------------------------

@transaction.atomic
def application_create(*, actor: User, household: Household, applicant: Person, program: str,
                       note: str = "", applied_on: dt.date | None = None) -> Application:
    """Intake (申请) by committee or street staff for a household in their scope.
    The applicant must be a current member; one open application per program."""
    require(actor, "casework.intake")
    require_scope_covers(actor, street_code=household.street_id, committee_code=household.committee_id)
    if program not in Program.values:
        raise ValidationError(f"救助项目“{program}”无效")
    if household.archived:
        raise ValidationError("该家庭已撤销，不能申请")
    if not HouseholdMembership.objects.filter(household=household, person=applicant, end_date__isnull=True).exists():
        raise ValidationError(f"{applicant.name} 不是该家庭的现有成员")
    if not applicant.alive:
        raise ValidationError(f"{applicant.name} 已登记死亡")
    open_ = Application.objects.filter(household=household, program=program).exclude(
        status__in=[Status.NOT_ACCEPTED, Status.DENIED, Status.ENROLLED, Status.WITHDRAWN])
    if PROGRAMS[program].level == "person":
        open_ = open_.filter(applicant=applicant)
    existing = open_.first()
    if existing is not None:
        raise StateConflict(f"已有办理中的{Program(program).label}申请（{existing.number}），不能重复申请")
    applied_on = _today(applied_on)
    application = Application.objects.create(
        program=program, household=household, applicant=applicant, street_id=household.street_id,
        committee_id=household.committee_id, status=Status.APPLIED, applied_on=applied_on,
        note=note.strip(), created_by=actor,
    )
    CaseStep.objects.create(application=application, action="apply", label=STEP_LABELS["apply"], from_status="",
                            to_status=Status.APPLIED, actor=actor, actor_name=actor.username, acted_on=applied_on,
                            reasons=note.strip())
    apply_deadline(application, program_setting(program), applied_on)
    application.save()
    audit_record(actor=actor, action="application.create", object_type="Application", object_id=application.pk,
                 scope_code=application.committee_id,
                 changes={"program": program, "household": household.pk, "applicant": applicant.pk})
    return application


class DocumentUpload(NamedTuple):
    """One uploaded file for :func:`application_intake`."""

    kind: str
    name: str
    content: bytes


def _document_check(kind: str, content: bytes) -> None:
    if kind not in DocumentKind.values:
        raise ValidationError(f"材料类型“{kind}”无效，应为：{'、'.join(DocumentKind.values)}")
    if not content:
        raise ValidationError("上传的文件为空")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError("单个文件不能超过20MB")


def _file_type(name: str) -> str:
    """The extension only: the audit never holds the uploaded file's name,
    which may carry the applicant's name or ID number (kept on the document)."""
    return name.rsplit(".", 1)[-1][:8].lower() if "." in name else ""


@transaction.atomic
def document_attach(*, actor: User, application: Application, kind: str, name: str, content: bytes) -> CaseDocument:
    """Add an uploaded document to the case file (never replaced or deleted)."""
    require(actor, "casework.document_attach")
    require_scope_covers(actor, street_code=application.street_id, committee_code=application.committee_id)
    _document_check(kind, content)
    digest = hashlib.sha256(content).hexdigest()
    document = CaseDocument(application=application, kind=kind, original_name=name[:255], size=len(content),
                            sha256=digest, uploaded_by=actor.username)
    suffix = name.rsplit(".", 1)[-1][:8] if "." in name else "bin"
    document.file.save(f"{application.pk}-{digest[:16]}.{suffix}", ContentFile(content), save=False)
    document.save()
    audit_record(actor=actor, action="application.document_attach", object_type="Application",
                 object_id=application.pk, scope_code=application.committee_id,
                 changes={"kind": kind, "document": document.pk, "file_type": _file_type(name), "sha256": digest,
                          "size": len(content)})
    return document


def application_intake(*, actor: User, household: Household, applicant: Person, program: str, note: str = "",
                       applied_on: dt.date | None = None,
                       documents: Iterable[DocumentUpload] = ()) -> Application:
    """Intake with its documents as one unit: every document is checked
    before anything is written, and the application and its documents are
    stored in one transaction — a refused document leaves no application
    behind (so the intake can simply be submitted again)."""
    documents = list(documents)
    for document in documents:
        _document_check(document.kind, document.content)
    stored: list[CaseDocument] = []
    try:
        with transaction.atomic():
            application = application_create(actor=actor, household=household, applicant=applicant,
                                              program=program, note=note, applied_on=applied_on)
            for document in documents:
                stored.append(document_attach(actor=actor, application=application, kind=document.kind,
                                              name=document.name, content=document.content))
    except BaseException:
        for document in stored:  # the rows are rolled back; remove their files too
            document.file.delete(save=False)
        raise
    return application


# --- the review steps --------------------------------------------------------

@transaction.atomic
def application_accept(*, actor: User, application: Application, note: str = "",
                       on: dt.date | None = None) -> Application:
    """受理: the street accepts a complete application; the overall deadline starts."""
    on = _today(on)
    require_transition(actor, application, "accept", on)
    application.accepted_on = on
    _step(application, actor=actor, action="accept", to_status=Status.ACCEPTED, on=on, reasons=note.strip())
    return application


@transaction.atomic
def application_reject(*, actor: User, application: Application, reasons: str,
                       on: dt.date | None = None) -> Application:
    """不予受理 (with reasons, e.g. materials incomplete after notice to
    complete): the street issues the 不予受理通知书 (reasons and remedies) the
    same day, stored with the case's letters."""
    on = _today(on)
    require_transition(actor, application, "reject", on)
    reasons = _required(reasons, "不予受理的理由")
    letter = _letter_store(application, actor=actor, outcome=Outcome.REJECT, reasons=reasons,
                           issuer=letters.street_issuer(application), on=on)
    _step(application, actor=actor, action="reject", to_status=Status.NOT_ACCEPTED, on=on, reasons=reasons,
          data={"letter": letter.number})
    return application


def _letter_store(application: Application, *, actor: User, outcome: str, reasons: str, issuer: str,
                  on: dt.date, monthly_amount_fen: int | None = None, start_month: str = "") -> DecisionLetter:
    """Render and store a letter (never regenerated)."""
    number = letters.letter_number(on)
    pdf = letters.letter_pdf(application=application, number=number, outcome=outcome, reasons=reasons,
                             issuer=issuer, issued_on=on, monthly_amount_fen=monthly_amount_fen,
                             start_month=start_month)
    letter = DecisionLetter(application=application, number=number, outcome=outcome, reasons=reasons,
                            issuer=issuer, issued_on=on, monthly_amount_fen=monthly_amount_fen,
                            start_month=start_month, created_by=actor.username)
    letter.file.save(f"{application.pk}-{on:%Y%m%d}-{outcome}.pdf", ContentFile(pdf), save=False)
    letter.save()
    return letter


@transaction.atomic
def application_verify(*, actor: User, application: Application, verification_reference: str,
                       summary: str = "", on: dt.date | None = None) -> Application:
    """核对: link the household's **accepted** economic-status verification,
    named by its 核对编号 (never free text): its figures are the household's
    verified facts in the registry from the verification date, which the
    public notice's proposed amount and the decision are computed from."""
    on = _today(on)
    require_transition(actor, application, "verify", on)
    reference = _required(verification_reference, "核对编号").strip()[:64]
    result = verification_selectors.accepted_result_by_reference(household_id=application.household_id,
                                                                 reference=reference)
    if result is None:
        raise ValidationError(f"核对编号“{reference}”不是本户已认定的家庭经济状况核对："
                              "请先完成核对并由街镇或区民政局认定核对结果")
    application.verification_reference = reference
    application.verification_result = result
    _step(application, actor=actor, action="verify", to_status=Status.VERIFIED, on=on, reasons=summary.strip(),
          data={"verification_reference": reference, "verification_result": result.pk,
                "outcome": result.get_outcome_display(), "as_of": str(result.as_of)})
    return application


@transaction.atomic
def application_visit(*, actor: User, application: Application, visited_on: dt.date, visitors: str,
                      findings: str, on: dt.date | None = None) -> HomeVisit:
    """入户调查 by committee staff, with findings."""
    on = _today(on)
    require_transition(actor, application, "visit", on)
    if visited_on > on:
        raise ValidationError("调查日期不能晚于今天")
    if visited_on < application.applied_on:
        raise ValidationError("调查日期不能早于申请日期")
    visit = HomeVisit.objects.create(application=application, visited_on=visited_on,
                                     visitors=_required(visitors, "调查人员")[:200],
                                     findings=_required(findings, "调查情况"), recorded_by=actor.username)
    _step(application, actor=actor, action="visit", to_status=Status.VISITED, on=on, reasons=visit.findings,
          data={"visit": visit.pk, "visited_on": str(visited_on), "visitors": visit.visitors})
    return visit


@transaction.atomic
def application_street_review(*, actor: User, application: Application, agree: bool, reasons: str,
                              on: dt.date | None = None) -> Application:
    """街镇审核: the street's opinion (agree → public notice; disagree → straight to approval)."""
    on = _today(on)
    require_transition(actor, application, "street_review", on)
    application.street_opinion = bool(agree)
    _step(application, actor=actor, action="street_review", to_status=Status.STREET_REVIEWED, on=on,
          reasons=_required(reasons, "审核意见"), data={"agree": bool(agree)})
    return application


@transaction.atomic
def application_post_notice(*, actor: User, application: Application, starts_on: dt.date | None = None,
                            on: dt.date | None = None) -> Notice:
    """公示: post the proposed beneficiary in the committee for ``notice_days``
    calendar days from ``starts_on`` (inclusive). The proposed amount is the
    engine's for the month after the notice starts."""
    on = _today(on)
    require_transition(actor, application, "post_notice", on)
    starts_on = starts_on or on
    if starts_on < on:
        raise ValidationError("公示开始日期不能早于今天")
    day_check(starts_on, "公示开始日期", latest=on + dt.timedelta(days=SCHEDULE_DAYS_AHEAD))
    setting = program_setting(application.program)
    outcome = engine_outcome(household=application.household, program=application.program,
                             person=application.applicant, month=month_shift(month_of(starts_on), 1))
    size = HouseholdMembership.objects.filter(household=application.household, end_date__isnull=True).count()
    notice = Notice.objects.create(
        application=application, street_id=application.street_id, committee_id=application.committee_id,
        starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=setting.notice_days - 1),
        proposed_amount_fen=outcome.amount_fen, household_size=size, posted_by=actor.username,
    )
    application.notice = notice
    _step(application, actor=actor, action="post_notice", to_status=Status.IN_NOTICE, on=on,
          data={"starts_on": str(notice.starts_on), "ends_on": str(notice.ends_on),
                "proposed_amount_fen": notice.proposed_amount_fen})
    return notice


@transaction.atomic
def objection_record(*, actor: User, application: Application, content: str, raised_by: str = "",
                     received_on: dt.date | None = None) -> Objection:
    """Record an objection received during the notice (committee or street staff)."""
    require(actor, "casework.objection_record")
    require_scope_covers(actor, street_code=application.street_id, committee_code=application.committee_id)
    if application.status != Status.IN_NOTICE:
        raise StateConflict(f"申请当前状态为“{Status(application.status).label}”，只有公示中的申请可以登记异议")
    received_on = _today(received_on)
    if received_on < application.notice.starts_on:
        raise ValidationError("收到异议的日期不能早于公示开始日期")
    objection = Objection.objects.create(
        application=application, street_id=application.street_id, committee_id=application.committee_id,
        received_on=received_on, raised_by=raised_by.strip()[:64], content=_required(content, "异议内容"),
        recorded_by=actor.username)
    audit_record(actor=actor, action="objection.record", object_type="Application", object_id=application.pk,
                 scope_code=application.committee_id, changes={"objection": objection.pk, "received_on": received_on})
    return objection


@transaction.atomic
def objection_resolve(*, actor: User, objection: Objection, upheld: bool, resolution: str,
                      on: dt.date | None = None) -> Objection:
    """Resolve an objection (street staff, after checking it): upheld or not, with the result."""
    require(actor, "casework.objection_resolve")
    require_scope_covers(actor, street_code=objection.street_id, committee_code=objection.committee_id)
    if objection.resolved:
        raise StateConflict("该异议已处理")
    objection.resolved_on, objection.upheld = _today(on), bool(upheld)
    objection.resolution, objection.resolved_by = _required(resolution, "处理结果"), actor.username
    objection.save(update_fields=["resolved_on", "upheld", "resolution", "resolved_by"])
    audit_record(actor=actor, action="objection.resolve", object_type="Application",
                 object_id=objection.application_id, scope_code=objection.committee_id,
                 changes={"objection": objection.pk, "upheld": objection.upheld})
    return objection


@transaction.atomic
def application_approve(*, actor: User, application: Application, agree: bool, reasons: str,
                        on: dt.date | None = None) -> Application:
    """审批 by the program's approving level. Refused while the notice runs or
    an objection is unresolved; without a notice only when the street disagreed."""
    on = _today(on)
    require_transition(actor, application, "approve", on)
    application.approval_agrees = bool(agree)
    _step(application, actor=actor, action="approve", to_status=Status.APPROVAL_RECORDED, on=on,
          reasons=_required(reasons, "审批意见"), data={"agree": bool(agree)})
    return application


@transaction.atomic
def application_decide(*, actor: User, application: Application, reasons: str = "",
                       on: dt.date | None = None) -> DecisionLetter:
    """决定: issue the decision letter following the approval opinion, due
    within ``decide_days`` (3) working days of it — for a refusal the written
    notice with reasons (dibao 第二十一条, extreme poverty 第十八条). On
    approval the household/person is enrolled (纳入保障) from the month after
    the decision (dibao 第二十一条 "from the month after approval"; extreme
    poverty 第十七条 "from the month after confirmation"), with the engine's
    amount for that month."""
    on = _today(on)
    require_transition(actor, application, "decide", on)
    approval = application.steps.filter(action="approve").order_by("-id").first()
    reasons = (reasons or "").strip() or (approval.reasons if approval else "")
    reasons = _required(reasons, "决定理由")
    setting = program_setting(application.program)
    outcome_kind = Outcome.APPROVE if application.approval_agrees else Outcome.DENY
    start_month = month_shift(month_of(on), 1)
    engine = engine_outcome(household=application.household, program=application.program,
                            person=application.applicant, month=start_month)
    amount = engine.amount_fen if outcome_kind == Outcome.APPROVE else None
    letter = _letter_store(application, actor=actor, outcome=outcome_kind, reasons=reasons,
                           issuer=letters.issuer_for(application, setting), on=on, monthly_amount_fen=amount,
                           start_month=start_month if outcome_kind == Outcome.APPROVE else "")
    data = {"outcome": outcome_kind, "letter": letter.number, "engine": engine.note, "engine_amount_fen": engine.amount_fen}
    if outcome_kind == Outcome.DENY:
        _step(application, actor=actor, action="decide", to_status=Status.DENIED, on=on, reasons=reasons, data=data)
        return letter
    _step(application, actor=actor, action="decide", to_status=Status.APPROVED, on=on, reasons=reasons, data=data)
    enrolment = enrolment_create_for_decision(actor=actor, application=application, start_month=start_month,
                                              outcome=engine, decided_on=on)
    _step(application, actor=actor, action="enrol", to_status=Status.ENROLLED, on=on,
          reasons=f"自{start_month}起纳入保障", data={"enrolment": enrolment.pk})
    return letter


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, reasons: str,
                         on: dt.date | None = None) -> Application:
    """撤回申请 at the applicant's request (committee or street staff record it)."""
    on = _today(on)
    require_transition(actor, application, "withdraw", on)
    _step(application, actor=actor, action="withdraw", to_status=Status.WITHDRAWN, on=on,
          reasons=_required(reasons, "撤回原因"))
    return application
