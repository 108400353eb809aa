"""Writes of the verification domain. Each is keyword-only, checks the
actor's write right and scope first, runs in one transaction and appends an
audit entry (docs/architecture.md, "Conventions"). Messages are Chinese.

Rules:
* a request is for a current (not archived) household in the actor's scope;
* an authorisation is signed by a current member of that household, on a
  date not in the future, with the scanned document (PDF/JPG/PNG ≤ 10 MB);
* the computation is refused until every current member aged 18 or over on
  the verification date has signed (《社会救助暂行办法》第六十条; 上海市居民
  经济状况核对办法: the family members authorise the query of their data);
* a report is generated from a stored result, never recomputed silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import SeparationOfDuties, require, require_in_scope
from minzheng.feeds.selectors import source_get
from minzheng.registry.models import FactOrigin, Household, Person
from minzheng.registry.selectors import household_members, years_before
from minzheng.registry.services import household_assets_record, person_income_record
from minzheng.verification.computation import compute_figures
from minzheng.verification.declared import declared_figures, large_differences
from minzheng.verification.lines import compare
from minzheng.verification.models import (
    Authorisation,
    Figure,
    Outcome,
    Purpose,
    ReplyException,
    Status,
    VerificationReport,
    VerificationRequest,
    VerificationResult,
)
from minzheng.verification.replies import REQUIRED_SOURCES, missing_replies

DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
ADULT_AGE = 18
EARLIEST_AS_OF = dt.date(2000, 1, 1)  # a working bound: no department record predates it


def _require_covers(actor: User, request: VerificationRequest) -> None:
    require_in_scope(actor, street_code=request.street_id, committee_code=request.committee_id)


def _next_reference(year: int) -> str:
    prefix = f"HD{year}-"
    last = (VerificationRequest.objects.select_for_update().filter(reference__startswith=prefix)
            .order_by("-reference").values_list("reference", flat=True).first())
    number = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{number:06d}"


@transaction.atomic
def verification_request_create(*, actor: User, household: Household, purpose: str, note: str = "") -> VerificationRequest:
    """Open a verification request for ``household`` and ``purpose``."""
    require(actor, "verification.write")
    require_in_scope(actor, street_code=household.street_id, committee_code=household.committee_id)
    if purpose not in Purpose.values:
        raise ValidationError(f"核对用途“{purpose}”无效，应为：{'、'.join(Purpose.labels)}")
    if household.archived:
        raise ValidationError("该家庭已撤销，不能发起核对")
    if not household_members(household).exists():
        raise ValidationError("该家庭没有现有成员，不能发起核对")
    request = VerificationRequest.objects.create(
        reference=_next_reference(timezone.localdate().year), household=household, purpose=purpose,
        street_id=household.street_id, committee_id=household.committee_id, note=note.strip()[:200],
        requested_by=actor.username,
    )
    audit_record(actor=actor, action="verification.request_create", object_type="VerificationRequest",
                 object_id=request.pk, scope_code=request.committee_id,
                 changes={"reference": request.reference, "household": household.pk, "purpose": purpose})
    return request


@transaction.atomic
def verification_authorisation_record(
    *, actor: User, request: VerificationRequest, signed_by: Person, signed_on: dt.date, document: UploadedFile,
) -> Authorisation:
    """Record one member's signed authorisation with the scanned document."""
    require(actor, "verification.write")
    _require_covers(actor, request)
    if request.status == Status.WITHDRAWN:
        raise StateConflict("该核对委托已撤回")
    if not household_members(request.household).filter(person=signed_by).exists():
        raise ValidationError(f"{signed_by.name} 不是该家庭的现有成员，不能签署授权书")
    if signed_on > timezone.localdate():
        raise ValidationError("签署日期不能晚于今天")
    day_check(signed_on, "签署日期", latest=None)
    if document is None or not getattr(document, "name", ""):
        raise ValidationError("请上传签字的授权书扫描件")
    if Path(document.name).suffix.lower() not in DOCUMENT_TYPES:
        raise ValidationError("授权书扫描件应为 PDF、JPG 或 PNG 文件")
    if document.size > DOCUMENT_MAX_BYTES:
        raise ValidationError("授权书扫描件不能超过10MB")
    if Authorisation.objects.filter(request=request, signed_by=signed_by).exists():
        raise ValidationError(f"{signed_by.name} 的授权书已登记")
    digest = hashlib.sha256()
    for chunk in document.chunks():
        digest.update(chunk)
    authorisation = Authorisation(request=request, signed_by=signed_by, signed_on=signed_on,
                                  document_sha256=digest.hexdigest(), recorded_by=actor.username)
    authorisation.document.save(Path(document.name).name, document, save=False)
    authorisation.save()
    if request.status == Status.AWAITING_AUTHORISATION:
        request.status = Status.AUTHORISED
        request.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="verification.authorisation_record", object_type="VerificationRequest",
                 object_id=request.pk, scope_code=request.committee_id,
                 changes={"signed_by": signed_by.pk, "id_number": signed_by.id_number_masked,
                          "signed_on": signed_on, "document_sha256": authorisation.document_sha256})
    return authorisation


def missing_authorisations(request: VerificationRequest, as_of: dt.date) -> list[Person]:
    """Current adult members who have not signed (everyone must, see module docstring)."""
    signed = set(request.authorisations.values_list("signed_by_id", flat=True))
    adult_born_by = years_before(as_of, ADULT_AGE)
    members = [m.person for m in household_members(request.household)]
    missing = [p for p in members if p.birth_date <= adult_born_by and p.pk not in signed]
    if not signed and not missing:  # a household of minors still needs a signature
        return members[:1]
    return missing


@transaction.atomic
def verification_compute(*, actor: User, request: VerificationRequest, as_of: dt.date | None = None) -> VerificationResult:
    """Compute the household's income and assets from department data and
    compare them with the policy lines (``computation``, ``lines``).

    If any needed department reply is missing (``replies``) the result is
    stored as **incomplete**: it lists the missing replies, reaches no
    conclusion and cannot be reported or accepted until the replies arrive
    (or staff record a documented exception) and it is computed again. The
    registry's declared figures are kept beside the verified ones, with the
    large differences (``declared``)."""
    require(actor, "verification.write")
    _require_covers(actor, request)
    if request.status == Status.WITHDRAWN:
        raise StateConflict("该核对委托已撤回")
    as_of = as_of or timezone.localdate()
    if as_of > timezone.localdate():
        raise ValidationError("核对日期不能晚于今天")
    if as_of < EARLIEST_AS_OF:
        raise ValidationError(f"核对日期不能早于{EARLIEST_AS_OF.year}年：部门数据不会早于此")
    missing = missing_authorisations(request, as_of)
    if not request.authorisations.exists():
        raise ValidationError("尚未登记家庭成员的授权书，不能进行核对。请先上传签字的授权书。")
    if missing:
        raise ValidationError(f"以下家庭成员尚未签署授权书，不能进行核对：{'、'.join(p.name for p in missing)}")
    members = [m.person for m in household_members(request.household)]
    names = {p.pk: p.name for p in members}
    figures = compute_figures(user=actor, members=members, as_of=as_of)
    exceptions = list(request.reply_exceptions.select_related("person"))
    gaps = missing_replies(members=members, as_of=as_of, window_start=figures.window_start,
                           window_end=figures.window_end,
                           excepted={(e.source, e.person_id) for e in exceptions})
    comparison = compare(figures, month=as_of.replace(day=1))
    findings = list(comparison.findings)
    outcome = comparison.outcome
    if gaps:
        outcome = Outcome.INCOMPLETE
        findings.insert(0, f"以下部门数据尚未回复（共{len(gaps)}项），不能得出核对结论，"
                           "请待回复后重新核对，或登记经说明的例外：" + "；".join(g.text(names) for g in gaps) + "。")
    declared = declared_figures(request.household, members, as_of)
    differences = large_differences(declared, figures)
    result = VerificationResult.objects.create(
        request=request, computed_by=actor.username, as_of=as_of, window_start=figures.window_start,
        window_end=figures.window_end, household_size=figures.household_size,
        monthly_income_fen=figures.monthly_income_fen, per_capita_income_fen=figures.per_capita_income_fen,
        monetary_assets_fen=figures.monetary_assets_fen, securities_fen=figures.securities_fen,
        homes=figures.homes, vehicles=figures.vehicles,
        medical_out_of_pocket_fen=figures.medical_out_of_pocket_fen, lines=comparison.lines,
        findings=findings, outcome=outcome,
        member_income={str(pk): parts for pk, parts in figures.income_parts.items()},
        missing_replies=[g.as_json(names) for g in gaps],
        exceptions=[{"source": e.source, "source_name": _source_name(e.source),
                     "person": e.person_id, "name": e.person.name if e.person else "全体成员", "reason": e.reason,
                     "recorded_by": e.recorded_by} for e in exceptions],
        declared=declared, differences=differences,
    )
    for draft in figures.drafts:
        figure = Figure.objects.create(result=result, person=draft.person, kind=draft.kind, label=draft.label[:200],
                                       amount_fen=draft.amount_fen, count=draft.count)
        if draft.records:
            figure.records.set(draft.records)
    request.status = Status.INCOMPLETE if gaps else Status.COMPUTED
    request.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="verification.compute", object_type="VerificationRequest",
                 object_id=request.pk, scope_code=request.committee_id,
                 changes={"result": result.pk, "as_of": as_of, "monthly_income_fen": result.monthly_income_fen,
                          "monetary_assets_fen": result.monetary_assets_fen, "outcome": result.outcome,
                          "missing_replies": len(gaps), "exceptions": len(exceptions),
                          "large_differences": len(differences)})
    return result


def _source_name(code: str) -> str:
    try:
        return source_get(code).name
    except KeyError:
        return code


def result_is_conclusive(result: VerificationResult) -> bool:
    """A result with every reply (or a documented exception) and a conclusion."""
    return result.outcome not in (Outcome.INCOMPLETE, Outcome.UNDETERMINED) and not result.missing_replies


@transaction.atomic
def verification_reply_exception_record(
    *, actor: User, request: VerificationRequest, source: str, person: Person | None, reason: str,
) -> ReplyException:
    """Record a documented exception for a department reply that has not
    arrived (for one member, or for every member when ``person`` is None).
    The next computation treats that reply as covered and the report states
    the exception with its reason."""
    require(actor, "verification.write")
    _require_covers(actor, request)
    if request.status == Status.WITHDRAWN:
        raise StateConflict("该核对委托已撤回")
    if source not in REQUIRED_SOURCES:
        raise ValidationError(f"数据来源“{source}”不是核对需要的来源")
    if person is not None and not household_members(request.household).filter(person=person).exists():
        raise ValidationError(f"{person.name} 不是该家庭的现有成员")
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationError("请写明例外的理由（如：已电话确认，书面回复后补）")
    if ReplyException.objects.filter(request=request, source=source, person=person).exists():
        raise ValidationError("该来源（该成员）的例外说明已登记")
    exception = ReplyException.objects.create(request=request, source=source, person=person, reason=reason[:300],
                                              recorded_by=actor.username)
    audit_record(actor=actor, action="verification.reply_exception", object_type="VerificationRequest",
                 object_id=request.pk, scope_code=request.committee_id,
                 changes={"source": source, "person": person.pk if person else None, "reason": reason[:300]})
    return exception


@transaction.atomic
def verification_result_accept(*, actor: User, result: VerificationResult) -> VerificationResult:
    """The reviewer accepts a conclusive result: its figures become the
    household's **verified** economic facts in the registry, holding from the
    verification date (``registry.services.person_income_record`` and
    ``household_assets_record``, each linked to this result). The reviewer is
    street or bureau staff and not the person who computed it (two pairs of
    eyes before a figure changes a decision)."""
    request = result.request
    require(actor, "verification.accept")
    _require_covers(actor, request)
    if actor.username == result.computed_by:
        raise SeparationOfDuties("核对人不能认定自己的核对结果，请由另一位工作人员认定")
    if request.status == Status.WITHDRAWN:
        raise StateConflict("该核对委托已撤回")
    if result.accepted_at is not None:
        raise StateConflict("该核对结果已认定")
    if not result_is_conclusive(result):
        raise ValidationError("核对结果不完整或无法得出结论，不能认定")
    latest = request.results.order_by("-computed_at", "-id").first()
    if latest is not None and latest.pk != result.pk:
        raise StateConflict("只能认定该委托最近一次的核对结果")
    members = {m.person_id: m.person for m in household_members(request.household)}
    if set(members) != {int(pk) for pk in result.member_income}:
        raise ValidationError("家庭成员在核对后有变动，请重新核对")
    evidence = {"origin": FactOrigin.VERIFIED, "evidence_kind": "verification_result",
                "evidence_id": str(result.pk), "evidence_label": f"核对编号 {request.reference}（{result.as_of}）"}
    for pk, parts in sorted(result.member_income.items(), key=lambda kv: int(kv[0])):
        person_income_record(actor=actor, person=members[int(pk)], valid_from=result.as_of, **parts, **evidence)
    household_assets_record(
        actor=actor, household=request.household, valid_from=result.as_of,
        monetary_assets_fen=result.monetary_assets_fen - result.securities_fen, securities_fen=result.securities_fen,
        private_cars=result.vehicles, homes=result.homes, medical_oop_12m_fen=result.medical_out_of_pocket_fen,
        **evidence)
    result.accepted_by = actor.username
    result.accepted_at = timezone.now()
    result.facts_valid_from = result.as_of
    result.save(update_fields=["accepted_by", "accepted_at", "facts_valid_from"])
    if request.status == Status.COMPUTED:
        request.status = Status.ACCEPTED
        request.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="verification.accept", object_type="VerificationRequest",
                 object_id=request.pk, scope_code=request.committee_id,
                 changes={"result": result.pk, "valid_from": result.as_of, "members": len(members)})
    return result


@transaction.atomic
def verification_report_generate(*, actor: User, result: VerificationResult) -> VerificationReport:
    """Render and store the Chinese PDF report of ``result``."""
    from minzheng.verification.report_pdf import render_report

    require(actor, "verification.write")
    request = result.request
    _require_covers(actor, request)
    if not result_is_conclusive(result):
        raise ValidationError("核对结果不完整（部门数据尚未全部回复）或无法得出结论，不能出具报告")
    content = render_report(result)
    report = VerificationReport(result=result, pdf_sha256=hashlib.sha256(content).hexdigest(),
                                generated_by=actor.username)
    report.pdf.save(f"{request.reference}-{result.pk}.pdf", ContentFile(content), save=False)
    report.save()
    request.status = Status.REPORTED
    request.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="verification.report_generate", object_type="VerificationRequest",
                 object_id=request.pk, scope_code=request.committee_id,
                 changes={"result": result.pk, "report": report.pk, "pdf_sha256": report.pdf_sha256})
    return report


@transaction.atomic
def verification_request_withdraw(*, actor: User, request: VerificationRequest, reason: str) -> VerificationRequest:
    """Withdraw a request (kept, with the reason); results and reports stay."""
    require(actor, "verification.write")
    _require_covers(actor, request)
    if not reason.strip():
        raise ValidationError("请填写撤回原因")
    if request.status == Status.WITHDRAWN:
        raise StateConflict("该核对委托已撤回")
    previous = request.status
    request.status = Status.WITHDRAWN
    request.note = f"撤回：{reason.strip()}"[:200]
    request.save(update_fields=["status", "note", "updated_at"])
    audit_record(actor=actor, action="verification.request_withdraw", object_type="VerificationRequest",
                 object_id=request.pk, scope_code=request.committee_id,
                 changes={"from": previous, "reason": reason.strip()})
    return request
