"""Marriage registry endpoints (mounted at /api/v1/marriage): the clock, the
registrations (masked; reading one is audited), registration, certificate
re-issue and the divorce steps. Only registrars pass the record endpoints
(403 otherwise); the clock is date arithmetic (registrars, bureau, auditor).
Refusals are 4xx with a Chinese ``detail``: 422 a broken rule (every reason
listed), 409 a step the record's state does not allow, 404 outside the office."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import Limit, Offset, call_service, coded, path_id, responses
from minzheng.core.bounds import day_check
from minzheng.core.permissions import require
from minzheng.marriage import selectors, services
from minzheng.marriage.clock import PHASE_LABELS, divorce_clock, phase
from minzheng.marriage.models import (
    AppointmentPurpose,
    DivorceApplication,
    DivorceStatus,
    MarriageCertificate,
    MarriageRegistration,
    Province,
)

router = Router(tags=["婚姻登记"])

ProvinceCode = coded(Province.choices, "户籍所在省份")
SexCode = coded((("M", "男方"), ("F", "女方")), "当事人")
DivorceStatusCode = coded(DivorceStatus.choices, "离婚登记申请状态")
PurposeCode = coded(AppointmentPurpose.choices, "预约事项")


class MarriageClockOut(Schema):
    received: dt.date
    withdrawal_until: dt.date = Field(description="可撤回离婚登记申请的最后一日（含）")
    appear_until: dt.date = Field(description="双方可到场申领离婚证的最后一日（含）")


@router.get("/marriage/clock", response=responses(MarriageClockOut), summary="离婚冷静期计算（《民法典》第一千零七十七条）",
            operation_id="marriage_clock",
            description="自收到申请次日起30日可撤回，届满（含法定休假日顺延）后30日内双方到场申领离婚证；"
                        "涉及的年份尚未录入节假日安排时返回 422 并说明。")
def clock(request: HttpRequest, received: dt.date = Query(..., description="收到离婚登记申请的日期（YYYY-MM-DD）")) -> dict:
    require(request.user, "marriage.clock")
    return call_service(lambda: divorce_clock(day_check(received, "收到申请日期")).as_json())


class MarriagePartyOut(Schema):
    sex: str
    sex_label: str
    name: str
    id_number_masked: str
    birth_date: dt.date
    domicile_province: str
    domicile_province_label: str


class MarriageCertificateOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    holder: str
    issued_on: dt.date
    status: str
    status_label: str
    reissue_of: str | None


class MarriageRegistrationOut(Schema):
    id: int
    registered_on: dt.date
    office: str
    cross_province: bool
    status: str
    status_label: str
    parties: list[MarriagePartyOut]


class MarriageRegistrationDetailOut(MarriageRegistrationOut):
    certificates: list[MarriageCertificateOut]
    divorce_application_ids: list[int]


class MarriageRegistrationPage(Schema):
    count: int
    results: list[MarriageRegistrationOut]


class MarriagePartyIn(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    id_number: str = Field(..., min_length=15, max_length=18, description="居民身份证号码")
    domicile_province: ProvinceCode
    signed_no_spouse: bool = Field(False, description="已当场签署“本人无配偶”声明")
    signed_no_kinship: bool = Field(False, description="已当场签署“与对方无直系血亲和三代以内旁系血亲关系”声明")


class MarriageRegistrationIn(Schema):
    parties: list[MarriagePartyIn] = Field(..., min_length=2, max_length=2)
    registered_on: dt.date | None = Field(None, description="登记日期；省略：今天")


class MarriageReissueIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class MarriageDivorceOut(Schema):
    id: int
    marriage_id: int
    received_on: dt.date
    withdrawal_until: dt.date | None = Field(description="可撤回的最后一日；空：节假日安排未录入，尚不能确定")
    appear_until: dt.date | None = Field(description="到场申领离婚证的最后一日；空：尚不能确定")
    status: str
    status_label: str
    phase_label: str
    cross_province: bool
    closed_on: dt.date | None
    registered_on: dt.date | None
    parties: list[MarriagePartyOut]
    certificates: list[MarriageCertificateOut]


class MarriageDivorcePage(Schema):
    count: int
    results: list[MarriageDivorceOut]


class MarriageDivorceApplyIn(Schema):
    agreement_text: str = Field(..., min_length=1, max_length=5000, description="离婚协议书的主要内容")
    both_present: bool = Field(..., description="双方均已亲自到场")
    received_on: dt.date | None = None


class MarriageWithdrawIn(Schema):
    party: SexCode
    on: dt.date | None = None
    note: str = Field("", max_length=200)


class MarriageDivorceRegisterIn(Schema):
    both_present: bool
    on: dt.date | None = None


def _party(p) -> dict:
    return {"sex": p.sex, "sex_label": "男方" if p.sex == "M" else "女方", "name": p.name,
            "id_number_masked": p.id_number_masked, "birth_date": p.birth_date,
            "domicile_province": p.domicile_province, "domicile_province_label": p.get_domicile_province_display()}


def _certificate(c: MarriageCertificate) -> dict:
    return {"id": c.pk, "number": c.number, "kind": c.kind, "kind_label": c.get_kind_display(),
            "holder": c.holder.name, "issued_on": c.issued_on, "status": c.status,
            "status_label": c.get_status_display(), "reissue_of": c.reissue_of.number if c.reissue_of_id else None}


def _registration(r: MarriageRegistration) -> dict:
    return {"id": r.pk, "registered_on": r.registered_on, "office": r.office.name, "cross_province": r.cross_province,
            "status": r.status, "status_label": r.get_status_display(),
            "parties": [_party(p) for p in r.parties.all()]}


def _registration_detail(r: MarriageRegistration) -> dict:
    return {**_registration(r), "certificates": [_certificate(c) for c in selectors.registration_certificates(r)],
            "divorce_application_ids": list(r.divorce_applications.values_list("pk", flat=True))}


def _divorce(a: DivorceApplication) -> dict:
    from django.utils import timezone

    label = a.get_status_display() if not a.is_open else PHASE_LABELS[phase(
        withdrawal_until=a.withdrawal_until, appear_until=a.appear_until, today=timezone.localdate(),
        received=a.received_on)]
    return {"id": a.pk, "marriage_id": a.marriage_id, "received_on": a.received_on,
            "withdrawal_until": a.withdrawal_until, "appear_until": a.appear_until, "status": a.status,
            "status_label": a.get_status_display(), "phase_label": label, "cross_province": a.cross_province,
            "closed_on": a.closed_on, "registered_on": a.registered_on,
            "parties": [_party(p) for p in a.marriage.parties.all()],
            "certificates": [_certificate(c) for c in a.certificates.select_related("holder", "reissue_of")]}


def _get_registration(request: HttpRequest, pk: int) -> MarriageRegistration:
    return call_service(lambda: selectors.registration_get(request.user, pk))


def _get_divorce(request: HttpRequest, pk: int) -> DivorceApplication:
    return call_service(lambda: selectors.divorce_get(request.user, pk))


@router.get("/marriage/registrations", response=responses(MarriageRegistrationPage), summary="结婚登记档案（身份证号脱敏）",
            operation_id="marriage_registration_list")
def registration_list(request: HttpRequest, q: str = Query("", max_length=64, description="姓名、完整身份证号或证书编号"),
                      limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.registration_search(request.user, q))
    return {"count": rows.count(), "results": [_registration(r) for r in rows[offset : offset + limit]]}


@router.get("/marriage/registrations/{registration_id}", response=responses(MarriageRegistrationDetailOut),
            summary="结婚登记档案详情（查阅记入审计日志）", operation_id="marriage_registration_detail")
def registration_detail(request: HttpRequest, registration_id: int = path_id("结婚登记编号")) -> dict:
    registration = _get_registration(request, registration_id)
    call_service(lambda: services.registration_view_record(actor=request.user, registration=registration,
                                                           what="接口查阅档案"))
    return _registration_detail(registration)


@router.post("/marriage/registrations", response=responses(MarriageRegistrationDetailOut, 201, conflict=True),
             summary="办理结婚登记（两位当事人；不符合条件时返回全部原因）", operation_id="marriage_register")
def register(request: HttpRequest, payload: MarriageRegistrationIn) -> Status:
    first, second = (services.PartyInput(**p.dict()) for p in payload.parties)
    created = call_service(lambda: services.marriage_register(actor=request.user, first=first, second=second,
                                                              registered_on=payload.registered_on))
    return Status(201, _registration_detail(created))


@router.post("/marriage/certificates/{certificate_id}/reissue", response=responses(MarriageCertificateOut, 201, conflict=True),
             summary="补发婚姻登记证（原证作废，新证另行编号）", operation_id="marriage_certificate_reissue")
def reissue(request: HttpRequest, payload: MarriageReissueIn, certificate_id: int = path_id("证书编号")) -> Status:
    certificate = call_service(lambda: selectors.certificate_get(request.user, certificate_id))
    new = call_service(lambda: services.certificate_reissue(actor=request.user, certificate=certificate,
                                                            reason=payload.reason))
    return Status(201, _certificate(new))


@router.get("/marriage/divorces", response=responses(MarriageDivorcePage), summary="离婚登记申请（含冷静期期限）",
            operation_id="marriage_divorce_list")
def divorce_list(request: HttpRequest, status: DivorceStatusCode | None = Query(None, description="状态；省略：全部"),
                 limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.divorces_visible(request.user))
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_divorce(a) for a in rows[offset : offset + limit]]}


@router.get("/marriage/divorces/{divorce_id}", response=responses(MarriageDivorceOut), summary="离婚登记申请详情（查阅记入审计日志）",
            operation_id="marriage_divorce_detail")
def divorce_detail(request: HttpRequest, divorce_id: int = path_id("离婚登记申请编号")) -> dict:
    application = _get_divorce(request, divorce_id)
    call_service(lambda: services.registration_view_record(actor=request.user, registration=application.marriage,
                                                           what="接口查阅离婚登记申请"))
    return _divorce(application)


@router.post("/marriage/registrations/{registration_id}/divorce", response=responses(MarriageDivorceOut, 201, conflict=True),
             summary="受理协议离婚申请（冷静期开始计算）", operation_id="marriage_divorce_apply")
def divorce_apply(request: HttpRequest, payload: MarriageDivorceApplyIn,
                  registration_id: int = path_id("结婚登记编号")) -> Status:
    registration = _get_registration(request, registration_id)
    created = call_service(lambda: services.divorce_apply(
        actor=request.user, marriage=registration, agreement_text=payload.agreement_text,
        both_present=payload.both_present, received_on=payload.received_on))
    return Status(201, _divorce(created))


@router.post("/marriage/divorces/{divorce_id}/withdraw", response=responses(MarriageDivorceOut, conflict=True),
             summary="冷静期内一方撤回离婚登记申请", operation_id="marriage_divorce_withdraw")
def divorce_withdraw(request: HttpRequest, payload: MarriageWithdrawIn, divorce_id: int = path_id("离婚登记申请编号")) -> dict:
    application = _get_divorce(request, divorce_id)
    done = call_service(lambda: services.divorce_withdraw(actor=request.user, application=application,
                                                          party_sex=payload.party, on=payload.on, note=payload.note))
    return _divorce(done)


@router.post("/marriage/divorces/{divorce_id}/register", response=responses(MarriageDivorceOut, conflict=True),
             summary="双方到场，登记离婚并发给离婚证", operation_id="marriage_divorce_register")
def divorce_register(request: HttpRequest, payload: MarriageDivorceRegisterIn,
                     divorce_id: int = path_id("离婚登记申请编号")) -> dict:
    application = _get_divorce(request, divorce_id)
    done = call_service(lambda: services.divorce_register(actor=request.user, application=application,
                                                          both_present=payload.both_present, on=payload.on))
    return _divorce(done)



class MarriageAppointmentPartyOut(Schema):
    name: str
    id_number_masked: str


class MarriageAppointmentPartyIn(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    id_number: str = Field(..., min_length=15, max_length=18, description="居民身份证号码")


class MarriageAppointmentOut(Schema):
    id: int
    start: dt.datetime
    end: dt.datetime
    resource: str
    purpose: str
    status: str
    status_label: str
    parties: list[MarriageAppointmentPartyOut]
    registration_id: int | None


class MarriageAppointmentIn(Schema):
    slot_id: int = Field(..., ge=1, le=2_147_483_647)
    parties: list[MarriageAppointmentPartyIn] = Field(..., min_length=2, max_length=2, description="双方")
    purpose: PurposeCode = AppointmentPurpose.MARRIAGE
    contact_phone: str = Field("", max_length=20)


class MarriageBookedPartyIn(Schema):
    domicile_province: ProvinceCode
    signed_no_spouse: bool = False
    signed_no_kinship: bool = False


class MarriageAppointmentRegisterIn(Schema):
    parties: list[MarriageBookedPartyIn] = Field(..., min_length=2, max_length=2, description="按预约中当事人的顺序")
    registered_on: dt.date | None = None


def _appointment(b, registration_id: int | None) -> dict:
    return {"id": b.pk, "start": b.slot.start, "end": b.slot.end, "resource": b.resource.name, "purpose": b.purpose,
            "status": b.status, "status_label": b.get_status_display(), "registration_id": registration_id,
            "parties": [{"name": p.name, "id_number_masked": p.id_number_masked} for p in b.parties.all()]}


@router.get("/marriage/appointments", response=responses(list[MarriageAppointmentOut]), summary="某日的婚姻登记预约",
            operation_id="marriage_appointment_list")
def appointment_list(request: HttpRequest, day: dt.date | None = Query(None, description="日期；省略：今天")) -> list:
    from django.utils import timezone

    on = call_service(lambda: day_check(day or timezone.localdate(), "日期"))
    rows = list(call_service(lambda: selectors.appointments_on(request.user, on)))
    registered = selectors.registrations_by_booking([b.pk for b in rows])
    return [_appointment(b, registered.get(b.pk)) for b in rows]


@router.post("/marriage/appointments", response=responses(MarriageAppointmentOut, 201, conflict=True),
             summary="预约婚姻登记（双方；时段已满或一方已有有效预约时返回 409）", operation_id="marriage_appointment_book")
def appointment_book(request: HttpRequest, payload: MarriageAppointmentIn) -> Status:
    from minzheng.bookings import selectors as bookings_selectors

    slot = call_service(lambda: bookings_selectors.slot_get(request.user, payload.slot_id))
    first, second = ((p.name, p.id_number) for p in payload.parties)
    booking = call_service(lambda: services.appointment_book(
        actor=request.user, slot=slot, first=first, second=second, purpose=payload.purpose,
        contact_phone=payload.contact_phone))
    return Status(201, _appointment(booking, None))


@router.post("/marriage/appointments/{appointment_id}/check-in", response=responses(MarriageAppointmentOut, conflict=True),
             summary="登记到场", operation_id="marriage_appointment_check_in")
def appointment_check_in(request: HttpRequest, appointment_id: int = path_id("预约编号")) -> dict:
    booking = call_service(lambda: selectors.appointment_get(request.user, appointment_id))
    call_service(lambda: services.appointment_check_in(actor=request.user, booking=booking))
    return _appointment(selectors.appointment_get(request.user, appointment_id), None)


@router.post("/marriage/appointments/{appointment_id}/register",
             response=responses(MarriageRegistrationDetailOut, 201, conflict=True),
             summary="已到场的预约办理结婚登记（姓名和身份证号码取自预约）", operation_id="marriage_appointment_register")
def appointment_register(request: HttpRequest, payload: MarriageAppointmentRegisterIn,
                         appointment_id: int = path_id("预约编号")) -> Status:
    booking = call_service(lambda: selectors.appointment_get(request.user, appointment_id))
    created = call_service(lambda: services.marriage_register_from_booking(
        actor=request.user, booking=booking, registered_on=payload.registered_on,
        facts=[services.PartyFacts(**p.dict()) for p in payload.parties]))
    return Status(201, _registration_detail(created))
