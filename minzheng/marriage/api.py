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


class ClockOut(Schema):
    received: dt.date
    withdrawal_until: dt.date = Field(description="可撤回离婚登记申请的最后一日（含）")
    appear_until: dt.date = Field(description="双方可到场申领离婚证的最后一日（含）")


@router.get("/marriage/clock", response=responses(ClockOut), summary="离婚冷静期计算（《民法典》第一千零七十七条）",
            operation_id="marriage_clock",
            description="自收到申请次日起30日可撤回，届满（含法定休假日顺延）后30日内双方到场申领离婚证；"
                        "涉及的年份尚未录入节假日安排时返回 422 并说明。")
def clock(request: HttpRequest, received: dt.date = Query(..., description="收到离婚登记申请的日期（YYYY-MM-DD）")) -> dict:
    require(request.user, "marriage.clock")
    return call_service(lambda: divorce_clock(day_check(received, "收到申请日期")).as_json())


class PartyOut(Schema):
    sex: str
    sex_label: str
    name: str
    id_number_masked: str
    birth_date: dt.date
    domicile_province: str
    domicile_province_label: str


class CertificateOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    holder: str
    issued_on: dt.date
    status: str
    status_label: str
    reissue_of: str | None


class RegistrationOut(Schema):
    id: int
    registered_on: dt.date
    office: str
    cross_province: bool
    status: str
    status_label: str
    parties: list[PartyOut]


class RegistrationDetailOut(RegistrationOut):
    certificates: list[CertificateOut]
    divorce_application_ids: list[int]


class RegistrationPage(Schema):
    count: int
    results: list[RegistrationOut]


class PartyIn(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    id_number: str = Field(..., min_length=15, max_length=18, description="居民身份证号码")
    domicile_province: ProvinceCode
    signed_no_spouse: bool = Field(False, description="已当场签署“本人无配偶”声明")
    signed_no_kinship: bool = Field(False, description="已当场签署“与对方无直系血亲和三代以内旁系血亲关系”声明")


class RegistrationIn(Schema):
    parties: list[PartyIn] = Field(..., min_length=2, max_length=2)
    registered_on: dt.date | None = Field(None, description="登记日期；省略：今天")


class ReissueIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class DivorceOut(Schema):
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
    parties: list[PartyOut]
    certificates: list[CertificateOut]


class DivorcePage(Schema):
    count: int
    results: list[DivorceOut]


class DivorceApplyIn(Schema):
    agreement_text: str = Field(..., min_length=1, max_length=5000, description="离婚协议书的主要内容")
    both_present: bool = Field(..., description="双方均已亲自到场")
    received_on: dt.date | None = None


class WithdrawIn(Schema):
    party: SexCode
    on: dt.date | None = None
    note: str = Field("", max_length=200)


class DivorceRegisterIn(Schema):
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


@router.get("/marriage/registrations", response=responses(RegistrationPage), summary="结婚登记档案（身份证号脱敏）",
            operation_id="marriage_registration_list")
def registration_list(request: HttpRequest, q: str = Query("", max_length=64, description="姓名、完整身份证号或证书编号"),
                      limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.registration_search(request.user, q))
    return {"count": rows.count(), "results": [_registration(r) for r in rows[offset : offset + limit]]}


@router.get("/marriage/registrations/{registration_id}", response=responses(RegistrationDetailOut),
            summary="结婚登记档案详情（查阅记入审计日志）", operation_id="marriage_registration_detail")
def registration_detail(request: HttpRequest, registration_id: int = path_id("结婚登记编号")) -> dict:
    registration = _get_registration(request, registration_id)
    call_service(lambda: services.registration_view_record(actor=request.user, registration=registration,
                                                           what="接口查阅档案"))
    return _registration_detail(registration)


@router.post("/marriage/registrations", response=responses(RegistrationDetailOut, 201, conflict=True),
             summary="办理结婚登记（两位当事人；不符合条件时返回全部原因）", operation_id="marriage_register")
def register(request: HttpRequest, payload: RegistrationIn) -> Status:
    first, second = (services.PartyInput(**p.dict()) for p in payload.parties)
    created = call_service(lambda: services.marriage_register(actor=request.user, first=first, second=second,
                                                              registered_on=payload.registered_on))
    return Status(201, _registration_detail(created))


@router.post("/marriage/certificates/{certificate_id}/reissue", response=responses(CertificateOut, 201, conflict=True),
             summary="补发婚姻登记证（原证作废，新证另行编号）", operation_id="marriage_certificate_reissue")
def reissue(request: HttpRequest, payload: ReissueIn, certificate_id: int = path_id("证书编号")) -> Status:
    certificate = call_service(lambda: selectors.certificate_get(request.user, certificate_id))
    new = call_service(lambda: services.certificate_reissue(actor=request.user, certificate=certificate,
                                                            reason=payload.reason))
    return Status(201, _certificate(new))


@router.get("/marriage/divorces", response=responses(DivorcePage), summary="离婚登记申请（含冷静期期限）",
            operation_id="marriage_divorce_list")
def divorce_list(request: HttpRequest, status: DivorceStatusCode | None = Query(None, description="状态；省略：全部"),
                 limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.divorces_visible(request.user))
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_divorce(a) for a in rows[offset : offset + limit]]}


@router.get("/marriage/divorces/{divorce_id}", response=responses(DivorceOut), summary="离婚登记申请详情（查阅记入审计日志）",
            operation_id="marriage_divorce_detail")
def divorce_detail(request: HttpRequest, divorce_id: int = path_id("离婚登记申请编号")) -> dict:
    application = _get_divorce(request, divorce_id)
    call_service(lambda: services.registration_view_record(actor=request.user, registration=application.marriage,
                                                           what="接口查阅离婚登记申请"))
    return _divorce(application)


@router.post("/marriage/registrations/{registration_id}/divorce", response=responses(DivorceOut, 201, conflict=True),
             summary="受理协议离婚申请（冷静期开始计算）", operation_id="marriage_divorce_apply")
def divorce_apply(request: HttpRequest, payload: DivorceApplyIn,
                  registration_id: int = path_id("结婚登记编号")) -> Status:
    registration = _get_registration(request, registration_id)
    created = call_service(lambda: services.divorce_apply(
        actor=request.user, marriage=registration, agreement_text=payload.agreement_text,
        both_present=payload.both_present, received_on=payload.received_on))
    return Status(201, _divorce(created))


@router.post("/marriage/divorces/{divorce_id}/withdraw", response=responses(DivorceOut, conflict=True),
             summary="冷静期内一方撤回离婚登记申请", operation_id="marriage_divorce_withdraw")
def divorce_withdraw(request: HttpRequest, payload: WithdrawIn, divorce_id: int = path_id("离婚登记申请编号")) -> dict:
    application = _get_divorce(request, divorce_id)
    done = call_service(lambda: services.divorce_withdraw(actor=request.user, application=application,
                                                          party_sex=payload.party, on=payload.on, note=payload.note))
    return _divorce(done)


@router.post("/marriage/divorces/{divorce_id}/register", response=responses(DivorceOut, conflict=True),
             summary="双方到场，登记离婚并发给离婚证", operation_id="marriage_divorce_register")
def divorce_register(request: HttpRequest, payload: DivorceRegisterIn,
                     divorce_id: int = path_id("离婚登记申请编号")) -> dict:
    application = _get_divorce(request, divorce_id)
    done = call_service(lambda: services.divorce_register(actor=request.user, application=application,
                                                          both_present=payload.both_present, on=payload.on))
    return _divorce(done)

