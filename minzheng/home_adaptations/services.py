"""Every write of 居家环境适老化改造 (ADR 0034): one transaction, the
permission, the jurisdiction, an audit entry; refusals in Chinese.

The subsidy (:func:`subsidy_request`) is the accepted items' subsidised amount:
per accepted line, quantity × unit price × the item's subsidy share (percent,
rounded half up to the fen), summed. REFERENCE gives no share: while any
accepted item's share is not configured the request is refused with a
参数缺失 message — never a guessed share. The payment is a one-off payment of
program ``home_adaptation`` (适老化改造补贴) in the payments app, payee the
elder, reference ``适老化-<申请编号>`` (idempotent there).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.credit_codes import uscc_check
from minzheng.core.errors import StateConflict
from minzheng.core.file_types import upload_type
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.home_adaptations.models import (
    Application,
    AssessmentLine,
    CatalogueItem,
    CompletionPhoto,
    Contractor,
    Status,
    YearTarget,
)
from minzheng.registry.models import Household, Person

ACTOR = User | str
PROGRAM = "home_adaptation"
PROGRAM_LABEL = "适老化改造补贴"
PHOTO_MAX_BYTES = 10 * 1024 * 1024
SHARE_MISSING = "参数缺失：{items}的补贴比例尚未设定（政策文件未给出），不能计算补贴金额；请区民政局在改造项目目录中设定后再申请"


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _guard(actor: ACTOR, action: str, application: Application | None = None) -> None:
    require(actor, action, allow_job=True)
    if application is not None and not isinstance(actor, str):
        require_scope_covers(actor, street_code=application.street_id, committee_code=application.committee_id)


def _audit(actor: ACTOR, action: str, application: Application, changes: dict) -> None:
    audit_record(actor=actor, action=action, object_type="Application", object_id=application.pk,
                 scope_code=application.committee_id, changes={"number": application.number, **changes})


def _locked(application: Application, *expected: str) -> Application:
    fresh = Application.objects.select_for_update().get(pk=application.pk)
    if fresh.status not in expected:
        raise StateConflict(f"该申请{fresh.get_status_display()}，不能办理此步骤")
    return fresh


def _not_future(day: dt.date, label: str, today: dt.date | None = None) -> None:
    if day > (today or timezone.localdate()):
        raise ValidationError(f"{label}不能晚于今天")


def program_register() -> None:
    """Register the one-off program with the payments app (AppConfig.ready)."""
    from minzheng.payments.services import one_off_program_register

    one_off_program_register(PROGRAM, PROGRAM_LABEL)


# --- catalogue, contractors, targets --------------------------------------------

@transaction.atomic
def item_update(*, actor: ACTOR, item: CatalogueItem, unit_price_fen: int, price_basis: str,
                subsidy_percent: int | None, subsidy_basis: str = "") -> CatalogueItem:
    require(actor, "home_adaptations.catalogue", allow_job=True)
    if isinstance(unit_price_fen, bool) or not isinstance(unit_price_fen, int) or unit_price_fen <= 0:
        raise ValidationError("单价应为大于0的金额")
    if not price_basis.strip():
        raise ValidationError("请填写价格依据")
    if subsidy_percent is not None:
        if not 0 <= subsidy_percent <= 100:
            raise ValidationError("补贴比例应在0至100之间")
        if not subsidy_basis.strip():
            raise ValidationError("设定补贴比例时请填写依据（文件名称和文号）")
    before = {"unit_price_fen": item.unit_price_fen, "subsidy_percent": item.subsidy_percent}
    item.unit_price_fen, item.price_basis = unit_price_fen, price_basis.strip()[:200]
    item.subsidy_percent, item.subsidy_basis = subsidy_percent, subsidy_basis.strip()[:200]
    item.save()
    audit_record(actor=actor, action="home_adaptations.item_update", object_type="CatalogueItem", object_id=item.pk,
                 changes={"item": item.name, "before": before, "unit_price_fen": unit_price_fen,
                          "subsidy_percent": subsidy_percent})
    return item


def uscc_normalise(value: str) -> str:
    """The contractor's code, checked by :func:`minzheng.core.credit_codes.uscc_check`."""
    return uscc_check(value)


@transaction.atomic
def contractor_create(*, actor: ACTOR, name: str, uscc: str, contact: str = "", phone: str = "") -> Contractor:
    require(actor, "home_adaptations.catalogue", allow_job=True)
    if not name.strip():
        raise ValidationError("请填写施工单位名称")
    code = uscc_normalise(uscc)
    if Contractor.objects.filter(uscc=code).exists():
        raise ValidationError("该统一社会信用代码的施工单位已登记")
    contractor = Contractor.objects.create(name=name.strip()[:100], uscc=code, contact=contact.strip()[:64],
                                           phone=phone.strip()[:32])
    audit_record(actor=actor, action="home_adaptations.contractor_create", object_type="Contractor",
                 object_id=contractor.pk, changes={"name": contractor.name, "uscc": code})
    return contractor


@transaction.atomic
def year_target_set(*, actor: ACTOR, year: int, target_households: int | None, reported_done: int | None,
                    source: str) -> YearTarget:
    require(actor, "home_adaptations.catalogue", allow_job=True)
    if not 2000 <= year <= 2100:
        raise ValidationError("年度不正确")
    if not source.strip():
        raise ValidationError("请填写出处（文件名称和原文）")
    row, _ = YearTarget.objects.update_or_create(year=year, defaults={
        "target_households": target_households, "reported_done": reported_done, "source": source.strip()[:300],
        "recorded_by": _name(actor)})
    audit_record(actor=actor, action="home_adaptations.target_set", object_type="YearTarget", object_id=row.pk,
                 changes={"year": year, "target": target_households, "reported_done": reported_done})
    return row


# --- the application's steps --------------------------------------------------

def _number(today: dt.date) -> str:
    prefix = f"SL{today.year}"
    last = (Application.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


@transaction.atomic
def application_create(*, actor: ACTOR, elder: Person, address: str, household: Household | None = None,
                       applied_on: dt.date | None = None, today: dt.date | None = None) -> Application:
    require(actor, "home_adaptations.apply", allow_job=True)
    today = today or timezone.localdate()
    applied_on = applied_on or today
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=elder.street_id, committee_code=elder.committee_id)
    if not elder.alive:
        raise ValidationError(f"{elder.name}已登记死亡，不能申请适老化改造")
    if elder.merged_into_id:
        raise ValidationError("该人员记录已合并，请对保留的人员记录申请")
    _not_future(applied_on, "申请日期", today)
    if household is not None and not household.memberships.filter(person=elder, end_date__isnull=True).exists():
        raise ValidationError("所选家庭不是该老年人的现家庭")
    if not address.strip():
        raise ValidationError("请填写改造地址")
    if Application.objects.filter(elder=elder).exclude(status__in=[Status.REJECTED, Status.SUBSIDISED]).exists():
        raise ValidationError(f"{elder.name}已有办理中的适老化改造申请")
    application = Application.objects.create(
        number=_number(today), elder=elder, household=household, address=address.strip()[:200],
        street_id=elder.street_id, committee_id=elder.committee_id, applied_on=applied_on,
        created_by=_name(actor))
    _audit(actor, "home_adaptations.apply", application, {"elder": elder.pk, "applied_on": applied_on.isoformat()})
    return application


@transaction.atomic
def assessment_record(*, actor: ACTOR, application: Application, assessed_on: dt.date, assessor: str,
                      lines: list[tuple[CatalogueItem, int]]) -> Application:
    """The assessment: the needed items and quantities (replaces an earlier assessment while not contracted)."""
    _guard(actor, "home_adaptations.process", application)
    application = _locked(application, Status.APPLIED, Status.ASSESSED)
    _not_future(assessed_on, "评估日期")
    if assessed_on < application.applied_on:
        raise ValidationError("评估日期不能早于申请日期")
    if not assessor.strip():
        raise ValidationError("请填写评估人")
    if not lines:
        raise ValidationError("请至少选择一个改造项目")
    seen = set()
    for item, quantity in lines:
        if not item.active:
            raise ValidationError(f"改造项目“{item.name}”已停用")
        if item.pk in seen:
            raise ValidationError(f"改造项目“{item.name}”重复")
        if not isinstance(quantity, int) or not 1 <= quantity <= 99:
            raise ValidationError(f"“{item.name}”的数量应为1至99")
        seen.add(item.pk)
    application.lines.all().delete()
    AssessmentLine.objects.bulk_create([AssessmentLine(application=application, item=item, quantity=quantity,
                                                       unit_price_fen=item.unit_price_fen)
                                        for item, quantity in lines])
    application.status, application.assessed_on, application.assessor = Status.ASSESSED, assessed_on, assessor.strip()
    application.save(update_fields=["status", "assessed_on", "assessor"])
    _audit(actor, "home_adaptations.assess", application,
           {"assessed_on": assessed_on.isoformat(), "items": {item.name: q for item, q in lines}})
    return application


@transaction.atomic
def contractor_assign(*, actor: ACTOR, application: Application, contractor: Contractor,
                      contracted_on: dt.date) -> Application:
    _guard(actor, "home_adaptations.process", application)
    application = _locked(application, Status.ASSESSED)
    if not contractor.active:
        raise ValidationError("该施工单位已停止派单")
    _not_future(contracted_on, "派单日期")
    if application.assessed_on and contracted_on < application.assessed_on:
        raise ValidationError("派单日期不能早于评估日期")
    application.status, application.contractor, application.contracted_on = (Status.CONTRACTED, contractor,
                                                                             contracted_on)
    application.save(update_fields=["status", "contractor", "contracted_on"])
    _audit(actor, "home_adaptations.contract", application,
           {"contractor": contractor.name, "contracted_on": contracted_on.isoformat()})
    return application


@transaction.atomic
def photo_attach(*, actor: ACTOR, application: Application, name: str, content: bytes) -> CompletionPhoto:
    """A completion photo (PNG or JPEG, ≤ 10 MB, checked by its first bytes)."""
    _guard(actor, "home_adaptations.process", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Status.CONTRACTED, Status.COMPLETED):
        raise StateConflict("派单后、验收前才能上传完工照片")
    mime, suffix = upload_type(content, what="完工照片", max_bytes=PHOTO_MAX_BYTES)
    digest = hashlib.sha256(content).hexdigest()
    photo = CompletionPhoto(application=application, original_name=(name or f"完工照片.{suffix}")[:255],
                            content_type=mime, size=len(content), sha256=digest, uploaded_by=_name(actor))
    photo.file.save(f"{application.number}-{digest[:16]}.{suffix}", ContentFile(content), save=False)
    try:
        photo.save()
        _audit(actor, "home_adaptations.photo_attach", application, {"file_type": suffix, "sha256": digest})
    except BaseException:
        photo.file.delete(save=False)
        raise
    return photo


@transaction.atomic
def completion_record(*, actor: ACTOR, application: Application, completed_on: dt.date) -> Application:
    _guard(actor, "home_adaptations.process", application)
    application = _locked(application, Status.CONTRACTED)
    _not_future(completed_on, "完工日期")
    if application.contracted_on and completed_on < application.contracted_on:
        raise ValidationError("完工日期不能早于派单日期")
    if not application.photos.exists():
        raise ValidationError("请先上传完工照片")
    application.status, application.completed_on = Status.COMPLETED, completed_on
    application.save(update_fields=["status", "completed_on"])
    _audit(actor, "home_adaptations.complete", application, {"completed_on": completed_on.isoformat()})
    return application


@transaction.atomic
def acceptance_record(*, actor: ACTOR, application: Application, accepted_on: dt.date, accepted_by: str,
                      accepted_line_ids: list[int] | None = None) -> Application:
    """Acceptance: the lines passed (default all); at least one must pass."""
    _guard(actor, "home_adaptations.process", application)
    application = _locked(application, Status.COMPLETED)
    _not_future(accepted_on, "验收日期")
    if application.completed_on and accepted_on < application.completed_on:
        raise ValidationError("验收日期不能早于完工日期")
    if not accepted_by.strip():
        raise ValidationError("请填写验收人")
    lines = list(application.lines.all())
    passed = {line.pk for line in lines} if accepted_line_ids is None else set(accepted_line_ids)
    if not passed & {line.pk for line in lines}:
        raise ValidationError("验收合格的项目至少应有一项；全部不合格请退回施工单位整改后再验收")
    for line in lines:
        line.accepted = line.pk in passed
    AssessmentLine.objects.bulk_update(lines, ["accepted"])
    application.status, application.accepted_on, application.accepted_by = (Status.ACCEPTED, accepted_on,
                                                                             accepted_by.strip()[:64])
    application.save(update_fields=["status", "accepted_on", "accepted_by"])
    _audit(actor, "home_adaptations.accept", application,
           {"accepted_on": accepted_on.isoformat(), "items": [line.item.name for line in lines if line.accepted]})
    return application


def subsidy_amount(application: Application) -> int:
    """The accepted items' subsidised amount in fen; refuses (参数缺失) when an
    accepted item has no subsidy share configured."""
    lines = [line for line in application.lines.select_related("item") if line.accepted]
    if not lines:
        raise ValidationError("没有验收合格的改造项目，不能计算补贴")
    missing = [line.item.name for line in lines if line.item.subsidy_percent is None]
    if missing:
        raise ValidationError(SHARE_MISSING.format(items="、".join(f"“{m}”" for m in missing)))
    return sum((line.amount_fen * line.item.subsidy_percent + 50) // 100 for line in lines)


@transaction.atomic
def subsidy_request(*, actor: ACTOR, application: Application) -> Application:
    """Queue the subsidy as a one-off payment to the elder (payments app)."""
    from minzheng.payments.services import one_off_request

    _guard(actor, "home_adaptations.subsidy", application)
    application = _locked(application, Status.ACCEPTED)
    amount = subsidy_amount(application)
    if amount <= 0:
        raise ValidationError("补贴金额为0（补贴比例为0%），无需发放")
    reference = f"适老化-{application.number}"
    one_off_request(actor=actor, program=PROGRAM, payee=application.elder, amount_fen=amount, reference=reference,
                    reason=f"居家环境适老化改造补贴（申请编号{application.number}）", beneficiary=application.elder)
    application.status, application.subsidy_fen, application.payment_reference = (Status.SUBSIDISED, amount,
                                                                                   reference)
    application.save(update_fields=["status", "subsidy_fen", "payment_reference"])
    _audit(actor, "home_adaptations.subsidy_request", application, {"amount_fen": amount, "reference": reference})
    return application


@transaction.atomic
def application_reject(*, actor: ACTOR, application: Application, reason: str) -> Application:
    _guard(actor, "home_adaptations.process", application)
    application = _locked(application, Status.APPLIED, Status.ASSESSED, Status.CONTRACTED)
    if not reason.strip():
        raise ValidationError("请填写不予改造的原因")
    application.status, application.rejected_reason = Status.REJECTED, reason.strip()[:200]
    application.save(update_fields=["status", "rejected_reason"])
    _audit(actor, "home_adaptations.reject", application, {"reason": application.rejected_reason})
    return application
