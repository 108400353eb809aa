"""Every write of 残疾人服务 (ADR 0037): the permission, the jurisdiction, one
transaction, one audit entry; refusals are Chinese ``ValidationError``s.

* 康复辅具社区租赁服务补贴: service points and their rental records, an
  application for one rental (by the disabled person or for them), the review
  against the rule (:mod:`.rental_rule`: a certificate valid on the rental's
  first day, the service point open, the dated parameters — 参数缺失 refuses
  approval), and the payment as a one-off payment of program
  ``disability_aid_rental`` in the payments app (payee the disabled person,
  reference ``辅具租赁-<申请编号>``, idempotent there).
* 精神障碍社区康复: sites, their status over time, people served.
* 重度残疾人照护床位: the project, its sites, beds put into use.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.disability_services.models import (
    AidRentalApplication,
    ApplicantRelation,
    ApplicationStatus,
    BedOpening,
    CareBedProject,
    CareBedSite,
    CitedValue,
    CoverageTarget,
    DeviceCategory,
    ParameterKind,
    RehabParticipant,
    RehabSite,
    RehabSiteStatus,
    Rental,
    ServicePoint,
    SiteStatus,
)
from minzheng.disability_services.rental_rule import rental_amount, rental_checks
from minzheng.registry.models import Person

ACTOR = User | str
PROGRAM = "disability_aid_rental"
PROGRAM_LABEL = "康复辅具社区租赁服务补贴"
MAX_RENT_FEN = 10_000_000  # 10万元 a month: far beyond any device's rent; more is a typing error
MAX_CAP_FEN = 10_000_000
MAX_BEDS = 10_000


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _street_guard(actor: ACTOR, street_id: str) -> None:
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=street_id, committee_code=None)


def _person_guard(actor: ACTOR, person: Person) -> None:
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _day(day: dt.date, label: str, today: dt.date) -> dt.date:
    """A day typed by staff: from 2000 and not in the future."""
    if not isinstance(day, dt.date):
        raise ValidationError(f"请填写{label}")
    return day_check(day, label, latest=today)


def _text(value: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}")
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字")
    return value


def _street(code: str) -> Division:
    street = Division.objects.filter(code=code, level=DivisionLevel.STREET).first()
    if street is None:
        raise ValidationError("请选择街镇")
    return street


def _usable(person: Person) -> None:
    if person.merged_into_id:
        raise ValidationError("该人员记录已合并，请对保留的人员记录办理")


def program_register() -> None:
    """Register the one-off program with the payments app (AppConfig.ready)."""
    from minzheng.payments.services import one_off_program_register

    one_off_program_register(PROGRAM, PROGRAM_LABEL)


# --- the rule's parameters -------------------------------------------------------------

@transaction.atomic
def cited_value_enter(*, actor: ACTOR, kind: str, effective_from: dt.date, value: int, document_name: str,
                      document_number: str) -> CitedValue:
    """A value of the rental subsidy's rule with its document (name and number
    required): a percent 0–100 for the share, fen for the monthly cap."""
    require(actor, "disability_services.parameters", allow_job=True)
    if kind not in ParameterKind.values:
        raise ValidationError("请选择参数")
    day_check(effective_from, "起始日期")
    document_name = _text(document_name, "依据文件名称", 200)
    document_number = _text(document_number, "文号", 100)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("取值应为整数")
    if kind == ParameterKind.SHARE and not 0 < value <= 100:
        raise ValidationError("补贴比例应在1%至100%之间")
    if kind == ParameterKind.CAP and not 0 < value <= MAX_CAP_FEN:
        raise ValidationError("每月补贴上限应大于0元、不超过10万元")
    if CitedValue.objects.filter(kind=kind, effective_from=effective_from).exists():
        raise StateConflict("该参数在该日期已录入取值")
    row = CitedValue.objects.create(kind=kind, effective_from=effective_from, value=value,
                                    document_name=document_name, document_number=document_number,
                                    entered_by=_name(actor))
    audit_record(actor=actor, action="disability_services.parameter_enter", object_type="DisabilityCitedValue",
                 object_id=row.pk, changes={"parameter_kind": kind, "effective_from": effective_from,
                                            "value": value, "document_name": document_name,
                                            "document_number": document_number})
    return row


# --- service points and rentals ------------------------------------------------------------

@transaction.atomic
def point_create(*, actor: ACTOR, name: str, street_code: str, address: str, operator: str, opened_on: dt.date,
                 phone: str = "", today: dt.date | None = None) -> ServicePoint:
    require(actor, "disability_services.rental_record", allow_job=True)
    street = _street(street_code)
    _street_guard(actor, street.code)
    name = _text(name, "服务点名称", 100)
    if ServicePoint.objects.filter(street=street, name=name).exists():
        raise ValidationError("该街镇已有同名服务点")
    point = ServicePoint.objects.create(
        name=name, street=street, address=_text(address, "地址", 200), operator=_text(operator, "租赁服务机构", 100),
        phone=_text(phone, "联系电话", 32, required=False), opened_on=_day(opened_on, "开始服务日期", _today(today)))
    audit_record(actor=actor, action="disability_services.point_create", object_type="ServicePoint",
                 object_id=point.pk, scope_code=street.code,
                 changes={"name": point.name, "street": street.code, "operator": point.operator,
                          "opened_on": point.opened_on})
    return point


@transaction.atomic
def point_close(*, actor: ACTOR, point: ServicePoint, closed_on: dt.date, today: dt.date | None = None) -> ServicePoint:
    require(actor, "disability_services.rental_record", allow_job=True)
    _street_guard(actor, point.street_id)
    point = ServicePoint.objects.select_for_update().get(pk=point.pk)
    if point.closed_on is not None:
        raise StateConflict("该服务点已停止服务")
    closed_on = _day(closed_on, "停止服务日期", _today(today))
    if closed_on < point.opened_on:
        raise ValidationError("停止服务日期不能早于开始服务日期")
    point.closed_on = closed_on
    point.save(update_fields=["closed_on"])
    audit_record(actor=actor, action="disability_services.point_close", object_type="ServicePoint",
                 object_id=point.pk, scope_code=point.street_id, changes={"closed_on": closed_on})
    return point


@transaction.atomic
def rental_record(*, actor: ACTOR, point: ServicePoint, person: Person, device_category: str, device_name: str,
                  start_on: dt.date, monthly_rent_fen: int, end_on: dt.date | None = None,
                  today: dt.date | None = None) -> Rental:
    """A rental as the service point reports it (device, period, monthly rent)."""
    require(actor, "disability_services.rental_record", allow_job=True)
    _street_guard(actor, point.street_id)
    _person_guard(actor, person)  # the rental is kept where the person lives (their street reviews the subsidy)
    _usable(person)
    today = _today(today)
    if device_category not in DeviceCategory.values:
        raise ValidationError("请选择辅具类别")
    start_on = _day(start_on, "租用开始日期", today)
    if end_on is not None:
        end_on = _day(end_on, "租用结束日期", today)
        if end_on < start_on:
            raise ValidationError("租用结束日期不能早于开始日期")
    if not point.open_on(start_on):
        raise ValidationError(f"{point.name}在{start_on.isoformat()}不提供服务（开始服务{point.opened_on.isoformat()}）")
    if isinstance(monthly_rent_fen, bool) or not isinstance(monthly_rent_fen, int) \
            or not 0 < monthly_rent_fen <= MAX_RENT_FEN:
        raise ValidationError("月租金应大于0元、不超过10万元")
    rental = Rental.objects.create(
        point=point, person=person, street_id=person.street_id, committee_id=person.committee_id,
        device_category=device_category, device_name=_text(device_name, "辅具名称型号", 100), start_on=start_on,
        end_on=end_on, monthly_rent_fen=monthly_rent_fen, recorded_by=_name(actor))
    audit_record(actor=actor, action="disability_services.rental_record", object_type="AidRental",
                 object_id=rental.pk, scope_code=person.committee_id,
                 changes={"person": person.pk, "point": point.name, "device_category": device_category,
                          "start_on": start_on, "end_on": end_on, "monthly_rent_fen": monthly_rent_fen})
    return rental


@transaction.atomic
def rental_end(*, actor: ACTOR, rental: Rental, end_on: dt.date, today: dt.date | None = None) -> Rental:
    """The service point's end (return, or end of the billed period) of a rental."""
    require(actor, "disability_services.rental_record", allow_job=True)
    _street_guard(actor, rental.point.street_id)
    rental = Rental.objects.select_for_update().get(pk=rental.pk)
    if rental.end_on is not None:
        raise StateConflict("该租赁记录已有结束日期")
    end_on = _day(end_on, "租用结束日期", _today(today))
    if end_on < rental.start_on:
        raise ValidationError("租用结束日期不能早于开始日期")
    rental.end_on = end_on
    rental.save(update_fields=["end_on"])
    audit_record(actor=actor, action="disability_services.rental_end", object_type="AidRental", object_id=rental.pk,
                 scope_code=rental.committee_id, changes={"end_on": end_on})
    return rental


# --- the subsidy application ------------------------------------------------------------------

def _number(today: dt.date) -> str:
    prefix = f"FJ{today.year}"
    last = (AidRentalApplication.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


@transaction.atomic
def application_create(*, actor: ACTOR, rental: Rental, applicant_name: str, applicant_relation: str,
                       applied_on: dt.date | None = None, today: dt.date | None = None) -> AidRentalApplication:
    """An application for the subsidy of ``rental``, by the disabled person
    (``本人``) or for them (family, guardian, another agent)."""
    require(actor, "disability_services.apply", allow_job=True)
    today = _today(today)
    person = rental.person
    _person_guard(actor, person)
    _usable(person)
    if applicant_relation not in ApplicantRelation.values:
        raise ValidationError("请选择申请人与残疾人的关系")
    applicant = person.name if applicant_relation == ApplicantRelation.SELF else _text(applicant_name, "申请人姓名", 64)
    applied_on = _day(applied_on or today, "申请日期", today)
    if applied_on < rental.start_on:
        raise ValidationError("申请日期不能早于租用开始日期")
    Rental.objects.select_for_update().get(pk=rental.pk)
    if rental.applications.exclude(status=ApplicationStatus.REJECTED).exists():
        raise StateConflict("该租赁记录已有补贴申请")
    application = AidRentalApplication.objects.create(
        number=_number(today), rental=rental, person=person, street_id=person.street_id,
        committee_id=person.committee_id, applicant_name=applicant, applicant_relation=applicant_relation,
        applied_on=applied_on, created_by=_name(actor))
    audit_record(actor=actor, action="disability_services.apply", object_type="AidRentalApplication",
                 object_id=application.pk, scope_code=application.committee_id,
                 changes={"number": application.number, "person": person.pk,
                          "applicant_relation": applicant_relation, "applied_on": applied_on})
    return application


def _locked(application: AidRentalApplication, *expected: str) -> AidRentalApplication:
    fresh = AidRentalApplication.objects.select_for_update().get(pk=application.pk)
    if fresh.status not in expected:
        raise StateConflict(f"该申请{fresh.get_status_display()}，不能办理此步骤")
    return fresh


def _guard(actor: ACTOR, action: str, application: AidRentalApplication) -> None:
    require(actor, action, allow_job=True)
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=application.street_id, committee_code=application.committee_id)


@transaction.atomic
def application_approve(*, actor: ACTOR, application: AidRentalApplication, reviewed_on: dt.date | None = None,
                        today: dt.date | None = None) -> AidRentalApplication:
    """Approve after every check passes; the amount is the rule's on the
    rental's first day (参数缺失 refuses, with the missing parameters named)."""
    _guard(actor, "disability_services.review", application)
    application = _locked(application, ApplicationStatus.APPLIED)
    today = _today(today)
    reviewed_on = _day(reviewed_on or today, "审核日期", today)
    rental = Rental.objects.select_related("person", "point").get(pk=application.rental_id)
    checks = rental_checks(rental)
    failed = [c for c in checks if not c.ok]
    if failed:
        raise ValidationError([f"{c.label}：{c.detail}" for c in failed])
    amount = rental_amount(rental)
    assert amount.fen is not None
    application.status, application.reviewed_on, application.reviewed_by = (ApplicationStatus.APPROVED, reviewed_on,
                                                                             _name(actor))
    application.checks = [c.as_dict() for c in checks]
    application.subsidy_fen, application.amount_basis = amount.fen, amount.basis
    application.save(update_fields=["status", "reviewed_on", "reviewed_by", "checks", "subsidy_fen", "amount_basis"])
    audit_record(actor=actor, action="disability_services.approve", object_type="AidRentalApplication",
                 object_id=application.pk, scope_code=application.committee_id,
                 changes={"number": application.number, "amount_fen": amount.fen, "months": amount.months,
                          "reviewed_on": reviewed_on})
    return application


@transaction.atomic
def application_reject(*, actor: ACTOR, application: AidRentalApplication, reason: str,
                       reviewed_on: dt.date | None = None, today: dt.date | None = None) -> AidRentalApplication:
    _guard(actor, "disability_services.review", application)
    application = _locked(application, ApplicationStatus.APPLIED)
    today = _today(today)
    reviewed_on = _day(reviewed_on or today, "审核日期", today)
    reason = _text(reason, "不予补贴的原因", 200)
    rental = Rental.objects.select_related("person", "point").get(pk=application.rental_id)
    application.status, application.rejected_reason = ApplicationStatus.REJECTED, reason
    application.reviewed_on, application.reviewed_by = reviewed_on, _name(actor)
    application.checks = [c.as_dict() for c in rental_checks(rental)]
    application.save(update_fields=["status", "rejected_reason", "reviewed_on", "reviewed_by", "checks"])
    audit_record(actor=actor, action="disability_services.reject", object_type="AidRentalApplication",
                 object_id=application.pk, scope_code=application.committee_id,
                 changes={"number": application.number, "reason": reason})
    return application


@transaction.atomic
def subsidy_request(*, actor: ACTOR, application: AidRentalApplication) -> AidRentalApplication:
    """Queue the approved subsidy as a one-off payment to the disabled person."""
    from minzheng.payments.services import one_off_request

    _guard(actor, "disability_services.pay", application)
    application = _locked(application, ApplicationStatus.APPROVED)
    if not application.subsidy_fen:
        raise ValidationError("补贴金额为0，无需发放")
    reference = f"辅具租赁-{application.number}"
    one_off_request(actor=actor, program=PROGRAM, payee=application.person, amount_fen=application.subsidy_fen,
                    reference=reference, reason=f"康复辅具社区租赁服务补贴（申请编号{application.number}）",
                    beneficiary=application.person)
    application.status, application.payment_reference = ApplicationStatus.PAID, reference
    application.save(update_fields=["status", "payment_reference"])
    audit_record(actor=actor, action="disability_services.subsidy_request", object_type="AidRentalApplication",
                 object_id=application.pk, scope_code=application.committee_id,
                 changes={"number": application.number, "amount_fen": application.subsidy_fen,
                          "reference": reference})
    return application


# --- 精神障碍社区康复 -------------------------------------------------------------------------

@transaction.atomic
def rehab_site_create(*, actor: ACTOR, name: str, street_code: str, address: str, operator: str = "") -> RehabSite:
    require(actor, "disability_services.rehab", allow_job=True)
    street = _street(street_code)
    _street_guard(actor, street.code)
    name = _text(name, "站点名称", 100)
    if RehabSite.objects.filter(street=street, name=name).exists():
        raise ValidationError("该街镇已有同名站点")
    site = RehabSite.objects.create(name=name, street=street, address=_text(address, "地址", 200),
                                    operator=_text(operator, "运营机构", 100, required=False))
    audit_record(actor=actor, action="disability_services.rehab_site_create", object_type="RehabSite",
                 object_id=site.pk, scope_code=street.code, changes={"name": name, "street": street.code})
    return site


@transaction.atomic
def rehab_site_status_set(*, actor: ACTOR, site: RehabSite, status: str, effective_on: dt.date, note: str = "",
                          today: dt.date | None = None) -> RehabSiteStatus:
    """The site's status from ``effective_on`` (a later row replaces it from its own date)."""
    require(actor, "disability_services.rehab", allow_job=True)
    _street_guard(actor, site.street_id)
    if status not in SiteStatus.values:
        raise ValidationError("请选择站点状态")
    effective_on = _day(effective_on, "生效日期", _today(today))
    if RehabSiteStatus.objects.filter(site=site, effective_on=effective_on).exists():
        raise StateConflict("该站点在该日期已登记状态")
    row = RehabSiteStatus.objects.create(site=site, status=status, effective_on=effective_on,
                                         note=_text(note, "说明", 200, required=False), recorded_by=_name(actor))
    audit_record(actor=actor, action="disability_services.rehab_site_status", object_type="RehabSite",
                 object_id=site.pk, scope_code=site.street_id,
                 changes={"rehab_status": status, "effective_on": effective_on, "note": row.note})
    return row


@transaction.atomic
def participant_enrol(*, actor: ACTOR, site: RehabSite, person: Person, enrolled_on: dt.date,
                      today: dt.date | None = None) -> RehabParticipant:
    require(actor, "disability_services.rehab", allow_job=True)
    _street_guard(actor, site.street_id)
    _usable(person)
    enrolled_on = _day(enrolled_on, "纳入服务日期", _today(today))
    if not person.alive:
        raise ValidationError(f"{person.name}已登记死亡")
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if RehabParticipant.objects.filter(person=person, exited_on__isnull=True).exists():
        raise StateConflict(f"{person.name}正在接受精神障碍社区康复服务，请先结束原服务")
    row = RehabParticipant.objects.create(site=site, person=person, street_id=person.street_id,
                                          committee_id=person.committee_id, enrolled_on=enrolled_on,
                                          recorded_by=_name(actor))
    audit_record(actor=actor, action="disability_services.participant_enrol", object_type="RehabParticipant",
                 object_id=row.pk, scope_code=person.committee_id,
                 changes={"person": person.pk, "site": site.name, "enrolled_on": enrolled_on})
    return row


@transaction.atomic
def participant_exit(*, actor: ACTOR, participant: RehabParticipant, exited_on: dt.date, reason: str,
                     today: dt.date | None = None) -> RehabParticipant:
    require(actor, "disability_services.rehab", allow_job=True)
    _street_guard(actor, participant.site.street_id)
    participant = RehabParticipant.objects.select_for_update().get(pk=participant.pk)
    if participant.exited_on is not None:
        raise StateConflict("该服务对象已结束服务")
    exited_on = _day(exited_on, "结束服务日期", _today(today))
    if exited_on < participant.enrolled_on:
        raise ValidationError("结束服务日期不能早于纳入服务日期")
    participant.exited_on, participant.exit_reason = exited_on, _text(reason, "结束原因", 200)
    participant.save(update_fields=["exited_on", "exit_reason"])
    audit_record(actor=actor, action="disability_services.participant_exit", object_type="RehabParticipant",
                 object_id=participant.pk, scope_code=participant.committee_id,
                 changes={"exited_on": exited_on, "reason": participant.exit_reason})
    return participant


@transaction.atomic
def coverage_target_set(*, actor: ACTOR, year: int, percent: int, source: str) -> CoverageTarget:
    require(actor, "disability_services.care_beds", allow_job=True)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2099:
        raise ValidationError("年度不正确")
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 < percent <= 100:
        raise ValidationError("目标覆盖率应在1%至100%之间")
    row, _ = CoverageTarget.objects.update_or_create(year=year, defaults={
        "percent": percent, "source": _text(source, "出处", 300), "recorded_by": _name(actor)})
    audit_record(actor=actor, action="disability_services.coverage_target_set", object_type="CoverageTarget",
                 object_id=row.pk, changes={"year": year, "percent": percent})
    return row


# --- 重度残疾人照护床位 ------------------------------------------------------------------------

@transaction.atomic
def care_bed_project_create(*, actor: ACTOR, name: str, year: int, target_beds: int, source: str,
                            due_on: dt.date | None = None) -> CareBedProject:
    require(actor, "disability_services.care_beds", allow_job=True)
    name = _text(name, "项目名称", 100)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2099:
        raise ValidationError("年度不正确")
    if isinstance(target_beds, bool) or not isinstance(target_beds, int) or not 0 < target_beds <= MAX_BEDS:
        raise ValidationError(f"目标床位数应为1至{MAX_BEDS}")
    if due_on is not None:
        day_check(due_on, "完成期限")
    if CareBedProject.objects.filter(name=name).exists():
        raise ValidationError("已有同名项目")
    project = CareBedProject.objects.create(name=name, year=year, target_beds=target_beds, due_on=due_on,
                                            source=_text(source, "出处", 300), recorded_by=_name(actor))
    audit_record(actor=actor, action="disability_services.care_bed_project", object_type="CareBedProject",
                 object_id=project.pk, changes={"name": name, "year": year, "target_beds": target_beds})
    return project


@transaction.atomic
def care_bed_site_create(*, actor: ACTOR, project: CareBedProject, name: str, street_code: str, address: str,
                         planned_beds: int) -> CareBedSite:
    require(actor, "disability_services.care_beds", allow_job=True)
    street = _street(street_code)
    name = _text(name, "机构名称", 100)
    if isinstance(planned_beds, bool) or not isinstance(planned_beds, int) or not 0 < planned_beds <= MAX_BEDS:
        raise ValidationError(f"计划床位数应为1至{MAX_BEDS}")
    if project.sites.filter(name=name).exists():
        raise ValidationError("该项目已有同名床位点")
    site = CareBedSite.objects.create(project=project, name=name, street=street, address=_text(address, "地址", 200),
                                      planned_beds=planned_beds)
    audit_record(actor=actor, action="disability_services.care_bed_site", object_type="CareBedSite",
                 object_id=site.pk, scope_code=street.code,
                 changes={"name": name, "street": street.code, "beds": planned_beds})
    return site


@transaction.atomic
def beds_open(*, actor: ACTOR, site: CareBedSite, opened_on: dt.date, beds: int, note: str = "",
              today: dt.date | None = None) -> BedOpening:
    """Beds of ``site`` put into use on ``opened_on`` (never more than the site planned)."""
    require(actor, "disability_services.care_beds", allow_job=True)
    site = CareBedSite.objects.select_for_update().get(pk=site.pk)
    opened_on = _day(opened_on, "投用日期", _today(today))
    if isinstance(beds, bool) or not isinstance(beds, int) or not 0 < beds <= MAX_BEDS:
        raise ValidationError(f"投用床位数应为1至{MAX_BEDS}")
    already = sum(site.openings.values_list("beds", flat=True))
    if already + beds > site.planned_beds:
        raise ValidationError(f"{site.name}计划{site.planned_beds}张床位，已投用{already}张，不能再投用{beds}张")
    row = BedOpening.objects.create(site=site, opened_on=opened_on, beds=beds,
                                    note=_text(note, "说明", 200, required=False), recorded_by=_name(actor))
    audit_record(actor=actor, action="disability_services.beds_open", object_type="CareBedSite", object_id=site.pk,
                 scope_code=site.street_id, changes={"opened_on": opened_on, "beds": beds})
    return row
