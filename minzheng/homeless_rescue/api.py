"""流浪乞讨人员救助: the endpoints (mounted at /api/v1, ADR 0038). Scoped like the
pages (another street's rescue is 404); writes through the same services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from minzheng.core.api import (
    STAFF_AUTH,
    Limit,
    Offset,
    RecordId,
    call_service,
    coded,
    error_responses,
    path_id,
    responses,
)
from minzheng.core.bounds import EARLIEST_YEAR, LATEST_YEAR, day_check, upload_check
from minzheng.core.permissions import require
from minzheng.homeless_rescue import selectors, services
from minzheng.homeless_rescue.models import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    Campaign,
    CampaignKind,
    FinderKind,
    Outcome,
    PatrolShift,
    PersonMerge,
    Rescue,
    RescuedPerson,
    ServiceKind,
    Sex,
    WarningKind,
    WarningLevel,
    WeatherWarning,
)
from minzheng.homeless_rescue.photos import photo_bytes

router = Router(tags=["流浪乞讨人员救助"], auth=STAFF_AUTH)

OutcomeCode = coded([c for c in Outcome.choices if c[0] != Outcome.IN_CARE], "救助结果")
SexCode = coded(Sex.choices, "性别")
WarningKindCode = coded(WarningKind.choices, "预警种类")
WarningLevelCode = coded(WarningLevel.choices, "预警级别")
CampaignKindCode = coded(CampaignKind.choices, "行动类型")
KindCode = Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="代码（见 /homeless/kinds）")
Street = Field(pattern=r"^\d{9}$", description="街镇区划代码（9位）")
Latitude = Field(None, ge=Decimal(str(LATITUDE_RANGE[0])), le=Decimal(str(LATITUDE_RANGE[1])), max_digits=8,
                 decimal_places=5, description=f"纬度（{LATITUDE_RANGE[0]}–{LATITUDE_RANGE[1]}，上海市范围）")
Longitude = Field(None, ge=Decimal(str(LONGITUDE_RANGE[0])), le=Decimal(str(LONGITUDE_RANGE[1])), max_digits=8,
                  decimal_places=5, description=f"经度（{LONGITUDE_RANGE[0]}–{LONGITUDE_RANGE[1]}，上海市范围）")


class HomelessRescueKindOut(Schema):
    code: str
    label: str
    unit: str | None = Field(None, description="计量单位（仅救助服务）")


class HomelessRescueKindsOut(Schema):
    finder_kinds: list[HomelessRescueKindOut]
    service_kinds: list[HomelessRescueKindOut]


class HomelessRescuePersonOut(Schema):
    id: int
    name: str = Field(description="姓名；身份不明时为“身份不明人员（编号…）”")
    identity: str
    identity_label: str
    id_number_masked: str = Field(description="身份证号（脱敏）；身份待查为空")
    sex: str
    sex_label: str
    age_estimate: int | None
    birth_date: dt.date | None
    hometown: str
    description: str
    in_registry: bool = Field(description="本区人口库有此人")
    street: str
    merged_into: int | None = Field(description="已并入的受助人员编号")
    rescue_count: int


class HomelessRescueServiceOut(Schema):
    id: int
    kind: str
    kind_label: str
    quantity: int
    unit: str
    given_on: dt.date
    note: str


class HomelessRescueFollowUpOut(Schema):
    id: int
    on: dt.date
    note: str


class HomelessRescueOut(Schema):
    id: int
    person_id: int
    person_name: str
    found_at: dt.datetime
    street: str
    street_name: str
    place: str
    latitude: Decimal | None
    longitude: Decimal | None
    finder_kind: str
    finder_kind_label: str
    finder_unit: str
    needs: str
    campaign_id: int | None
    campaign_name: str | None
    shift_id: int | None
    outcome: str
    outcome_label: str
    outcome_on: dt.date | None
    outcome_note: str


class HomelessRescueDetailOut(HomelessRescueOut):
    services: list[HomelessRescueServiceOut]
    follow_ups: list[HomelessRescueFollowUpOut]
    repeat_rescue: bool = Field(description="该人员此前已受助（按身份证号或人员编号归入同一人）")


class HomelessRescuePage(Schema):
    count: int
    results: list[HomelessRescueOut]


class HomelessRescuePersonPage(Schema):
    count: int
    results: list[HomelessRescuePersonOut]


class HomelessRescueIn(Schema):
    found_at: dt.datetime = Field(description="发现时间（含时区）")
    street: str = Street
    place: str = Field(min_length=1, max_length=200)
    latitude: Decimal | None = Latitude
    longitude: Decimal | None = Longitude
    finder_kind: str = KindCode
    finder_unit: str = Field("", max_length=100)
    needs: str = Field(min_length=1, max_length=2000)
    person_id: RecordId | None = Field(None, description="再次救助：已有受助人员编号")
    id_number: str = Field("", max_length=18, description="身份证号；与已有受助人员相同时自动归入该人")
    name: str = Field("", max_length=64)
    sex: SexCode = "U"  # type: ignore[valid-type]
    age_estimate: int | None = Field(None, ge=0, le=120)
    description: str = Field("", max_length=2000, description="体貌特征（身份不明时必填）")
    hometown: str = Field("", max_length=100)
    shift_id: RecordId | None = Field(None, description="巡查班次编号；省略：按发现时间自动关联")


class HomelessRescueServiceIn(Schema):
    kind: str = KindCode
    quantity: int = Field(ge=1, le=999)
    given_on: dt.date
    note: str = Field("", max_length=200)


class HomelessRescueOutcomeIn(Schema):
    outcome: OutcomeCode  # type: ignore[valid-type]
    on: dt.date
    note: str = Field("", max_length=200, description="去向或说明（护送返乡、安置时必填）")


class HomelessRescueFollowUpIn(Schema):
    on: dt.date
    note: str = Field(min_length=1, max_length=500)


class HomelessRescueIdentifyIn(Schema):
    id_number: str = Field(min_length=15, max_length=18)
    name: str = Field("", max_length=64)


class HomelessRescueMergeIn(Schema):
    duplicate_id: RecordId = Field(description="并入本记录的受助人员编号")
    reason: str = Field(min_length=1, max_length=200)


class HomelessRescueUndoIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class HomelessRescueMergeOut(Schema):
    id: int
    keep_id: int
    duplicate_id: int
    reason: str
    rescues_moved: int
    merged_at: dt.datetime
    undone_at: dt.datetime | None


class HomelessRescuePhotoOut(Schema):
    id: int
    content_type: str
    size: int
    sha256: str


class HomelessRescueWarningIn(Schema):
    kind: WarningKindCode  # type: ignore[valid-type]
    level: WarningLevelCode  # type: ignore[valid-type]
    issued_at: dt.datetime
    issuer: str = Field(min_length=1, max_length=64)
    note: str = Field("", max_length=200)


class HomelessRescueWarningOut(Schema):
    id: int
    kind: str
    kind_label: str
    level: str
    level_label: str
    issued_at: dt.datetime
    issuer: str


class HomelessRescueCampaignIn(Schema):
    name: str = Field(min_length=1, max_length=64)
    kind: CampaignKindCode  # type: ignore[valid-type]
    warning_id: RecordId
    starts_on: dt.date
    ends_on: dt.date | None = None


class HomelessRescueShiftOut(Schema):
    id: int
    street: str
    street_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    team: str
    people_met: int | None = Field(description="发现人数；未登记为空")
    people_refused: int | None
    people_helped: int = Field(description="关联本班次的救助人次")


class HomelessRescueCampaignOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    warning: HomelessRescueWarningOut
    starts_on: dt.date
    ends_on: dt.date | None


class HomelessRescueCampaignDetailOut(HomelessRescueCampaignOut):
    shifts: list[HomelessRescueShiftOut]
    rescues: int
    returned_home: int


class HomelessRescueShiftIn(Schema):
    street: str = Street
    starts_at: dt.datetime
    ends_at: dt.datetime
    team: str = Field(min_length=1, max_length=200)


class HomelessRescueShiftReportIn(Schema):
    people_met: int = Field(ge=0, le=10_000)
    people_refused: int = Field(0, ge=0, le=10_000)
    note: str = Field("", max_length=500)


class HomelessRescueStreetMonthsOut(Schema):
    street: str
    street_name: str
    months: list[int] = Field(description="1–12月救助人次")
    total: int


class HomelessRescueCountOut(Schema):
    label: str
    count: int


class HomelessRescueCampaignFiguresOut(Schema):
    campaign_id: int
    name: str
    shifts: int
    people_met: int | None
    people_refused: int | None
    rescues: int
    returned_home: int


class HomelessRescueFiguresOut(Schema):
    year: int
    total: int = Field(description="救助人次")
    persons: int
    repeat_persons: int
    unidentified: int
    returned_home: int = Field(description="护送返乡（情暖归途）人次")
    in_campaigns: int
    by_month: list[int]
    by_street: list[HomelessRescueStreetMonthsOut]
    outcomes: list[HomelessRescueCountOut]
    finders: list[HomelessRescueCountOut]
    campaigns: list[HomelessRescueCampaignFiguresOut]
    reported: int | None = Field(description="年度报告数（人次）；没有为空")
    reported_source: str | None


def _person(p: RescuedPerson) -> dict:
    return {"id": p.pk, "name": p.display_name, "identity": p.identity, "identity_label": p.get_identity_display(),
            "id_number_masked": p.id_number_masked, "sex": p.sex, "sex_label": p.get_sex_display(),
            "age_estimate": p.age_estimate, "birth_date": p.birth_date, "hometown": p.hometown,
            "description": p.description, "in_registry": p.registry_person_id is not None, "street": p.street_id,
            "merged_into": p.merged_into_id, "rescue_count": p.rescues.count()}


def _rescue(r: Rescue) -> dict:
    return {"id": r.pk, "person_id": r.person_id, "person_name": r.person.display_name, "found_at": r.found_at,
            "street": r.street_id, "street_name": r.street.name, "place": r.place, "latitude": r.latitude,
            "longitude": r.longitude, "finder_kind": r.finder_kind.code, "finder_kind_label": r.finder_kind.label,
            "finder_unit": r.finder_unit, "needs": r.needs, "campaign_id": r.campaign_id,
            "campaign_name": r.campaign.name if r.campaign else None, "shift_id": r.shift_id, "outcome": r.outcome,
            "outcome_label": r.get_outcome_display(), "outcome_on": r.outcome_on, "outcome_note": r.outcome_note}


def _rescue_detail(r: Rescue) -> dict:
    out = _rescue(r)
    out["services"] = [{"id": s.pk, "kind": s.kind.code, "kind_label": s.kind.label, "quantity": s.quantity,
                        "unit": s.kind.unit, "given_on": s.given_on, "note": s.note}
                       for s in r.services.select_related("kind")]
    out["follow_ups"] = [{"id": f.pk, "on": f.on, "note": f.note} for f in r.follow_ups.all()]
    out["repeat_rescue"] = r.person.rescues.filter(found_at__lt=r.found_at).exists()
    return out


def _warning(w: WeatherWarning) -> dict:
    return {"id": w.pk, "kind": w.kind, "kind_label": w.get_kind_display(), "level": w.level,
            "level_label": w.get_level_display(), "issued_at": w.issued_at, "issuer": w.issuer}


def _campaign(c: Campaign) -> dict:
    return {"id": c.pk, "name": c.name, "kind": c.kind, "kind_label": c.get_kind_display(),
            "warning": _warning(c.warning), "starts_on": c.starts_on, "ends_on": c.ends_on}


def _shift(s: PatrolShift) -> dict:
    return {"id": s.pk, "street": s.street_id, "street_name": s.street.name, "starts_at": s.starts_at,
            "ends_at": s.ends_at, "team": s.team, "people_met": s.people_met, "people_refused": s.people_refused,
            "people_helped": getattr(s, "helped", None) if hasattr(s, "helped") else s.rescues.count()}


def _merge(m: PersonMerge) -> dict:
    return {"id": m.pk, "keep_id": m.keep_id, "duplicate_id": m.duplicate_id, "reason": m.reason,
            "rescues_moved": len(m.rescue_ids), "merged_at": m.merged_at, "undone_at": m.undone_at}


def _kind(model, code: str):
    return model.objects.get(code=code, active=True)


@router.get("/homeless/kinds", response=responses(HomelessRescueKindsOut), operation_id="homeless_rescue_kinds",
            summary="发现来源和救助服务的代码与名称")
def kinds(request: HttpRequest) -> dict:
    call_service(lambda: selectors.rescues_visible(request.user).none())
    return {"finder_kinds": [{"code": k.code, "label": k.label} for k in selectors.finder_kinds()],
            "service_kinds": [{"code": k.code, "label": k.label, "unit": k.unit} for k in selectors.service_kinds()]}


@router.get("/homeless/rescues", response=responses(HomelessRescuePage), operation_id="homeless_rescue_rescues",
            summary="流浪乞讨人员救助记录（本辖区；按发现时间倒序）")
def rescue_list(request: HttpRequest, street: str | None = Query(None, pattern=r"^\d{9}$", description="街镇区划代码"),
                year: int | None = Query(None, ge=EARLIEST_YEAR, le=LATEST_YEAR, description="发现年度"),
                campaign_id: int | None = Query(None, ge=1, le=2**63 - 1, description="专项行动编号"),
                limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.rescues_visible(request.user))
    if street:
        rows = rows.filter(street_id=street)
    if year:
        rows = rows.filter(found_at__year=year)
    if campaign_id:
        rows = rows.filter(campaign_id=campaign_id)
    return {"count": rows.count(), "results": [_rescue(r) for r in rows.order_by("-found_at", "-id")[offset:offset + limit]]}


@router.post("/homeless/rescues", response=responses(HomelessRescueDetailOut, 201), operation_id="homeless_rescue_record",
             summary="登记救助（有身份证号的自动归入已有受助人员；身份不明须填体貌特征）")
def rescue_record(request: HttpRequest, payload: HomelessRescueIn) -> Status:
    def run():
        person = selectors.person_get(request.user, payload.person_id) if payload.person_id else None
        shift = selectors.shift_get(request.user, payload.shift_id) if payload.shift_id else None
        return services.rescue_record(
            actor=request.user, found_at=payload.found_at, street=payload.street, place=payload.place,
            latitude=payload.latitude, longitude=payload.longitude,
            finder_kind=_kind(FinderKind, payload.finder_kind), finder_unit=payload.finder_unit, needs=payload.needs,
            person=person, id_number=payload.id_number, name=payload.name, sex=payload.sex,
            age_estimate=payload.age_estimate, description=payload.description, hometown=payload.hometown,
            shift=shift)
    return Status(201, _rescue_detail(call_service(run)))


@router.get("/homeless/rescues/{rescue_id}", response=responses(HomelessRescueDetailOut),
            operation_id="homeless_rescue_rescue", summary="一条救助记录（服务、结果、回访）")
def rescue_detail(request: HttpRequest, rescue_id: int = path_id("救助记录编号")) -> dict:
    return _rescue_detail(call_service(lambda: selectors.rescue_get(request.user, rescue_id)))


@router.post("/homeless/rescues/{rescue_id}/services", response=responses(HomelessRescueDetailOut, 201),
             operation_id="homeless_rescue_service_give", summary="登记救助服务（餐食、衣被、住宿、医疗转送、返乡车票…）")
def service_give(request: HttpRequest, payload: HomelessRescueServiceIn,
                 rescue_id: int = path_id("救助记录编号")) -> Status:
    def run():
        rescue = selectors.rescue_get(request.user, rescue_id)
        services.service_give(actor=request.user, rescue=rescue, kind=_kind(ServiceKind, payload.kind),
                              quantity=payload.quantity, given_on=day_check(payload.given_on, "服务日期"),
                              note=payload.note)
        return selectors.rescue_get(request.user, rescue_id)
    return Status(201, _rescue_detail(call_service(run)))


@router.post("/homeless/rescues/{rescue_id}/outcome", response=responses(HomelessRescueDetailOut),
             operation_id="homeless_rescue_outcome_record", summary="登记救助结果（护送返乡·情暖归途、安置、自行离开、死亡）")
def outcome_record(request: HttpRequest, payload: HomelessRescueOutcomeIn,
                   rescue_id: int = path_id("救助记录编号")) -> dict:
    def run():
        rescue = selectors.rescue_get(request.user, rescue_id)
        services.outcome_record(actor=request.user, rescue=rescue, outcome=payload.outcome,
                                on=day_check(payload.on, "结果日期"), note=payload.note)
        return selectors.rescue_get(request.user, rescue_id)
    return _rescue_detail(call_service(run))


@router.post("/homeless/rescues/{rescue_id}/follow-ups", response=responses(HomelessRescueDetailOut, 201),
             operation_id="homeless_rescue_follow_up", summary="登记救助回访")
def follow_up(request: HttpRequest, payload: HomelessRescueFollowUpIn, rescue_id: int = path_id("救助记录编号")) -> Status:
    def run():
        rescue = selectors.rescue_get(request.user, rescue_id)
        services.follow_up_record(actor=request.user, rescue=rescue, on=day_check(payload.on, "回访日期"),
                                  note=payload.note)
        return selectors.rescue_get(request.user, rescue_id)
    return Status(201, _rescue_detail(call_service(run)))


@router.get("/homeless/persons", response=responses(HomelessRescuePersonPage), operation_id="homeless_rescue_persons",
            summary="受助人员（本辖区登记或受助的；不含已合并的记录）")
def person_list(request: HttpRequest, pending: bool | None = Query(None, description="true：只列身份待查"),
                limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.persons_visible(request.user))
    if pending is not None:
        rows = rows.filter(identity="pending" if pending else "identified")
    return {"count": rows.count(), "results": [_person(p) for p in rows.order_by("-id")[offset:offset + limit]]}


@router.get("/homeless/persons/{person_id}", response=responses(HomelessRescuePersonOut),
            operation_id="homeless_rescue_person", summary="一名受助人员")
def person_detail(request: HttpRequest, person_id: int = path_id("受助人员编号")) -> dict:
    return _person(call_service(lambda: selectors.person_get(request.user, person_id)))


@router.post("/homeless/persons/{person_id}/identify", response=responses(HomelessRescuePersonOut),
             operation_id="homeless_rescue_person_identify",
             summary="核实身份待查人员的身份证号（号码已属另一条记录时返回422，应合并）")
def person_identify(request: HttpRequest, payload: HomelessRescueIdentifyIn,
                    person_id: int = path_id("受助人员编号")) -> dict:
    def run():
        person = selectors.person_get(request.user, person_id)
        return services.person_identify(actor=request.user, person=person, id_number=payload.id_number,
                                        name=payload.name)
    return _person(call_service(run))


@router.post("/homeless/persons/{person_id}/merge", response=responses(HomelessRescueMergeOut, 201),
             operation_id="homeless_rescue_person_merge", summary="把同一人的另一条记录并入本记录（可撤销）")
def person_merge(request: HttpRequest, payload: HomelessRescueMergeIn, person_id: int = path_id("受助人员编号")) -> Status:
    def run():
        keep = selectors.person_get(request.user, person_id)
        duplicate = selectors.person_get(request.user, payload.duplicate_id)
        return services.person_merge(actor=request.user, keep=keep, duplicate=duplicate, reason=payload.reason)
    return Status(201, _merge(call_service(run)))


@router.post("/homeless/merges/{merge_id}/undo", response=responses(HomelessRescueMergeOut),
             operation_id="homeless_rescue_person_unmerge", summary="撤销受助人员合并")
def person_unmerge(request: HttpRequest, payload: HomelessRescueUndoIn, merge_id: int = path_id("合并记录编号")) -> dict:
    def run():
        merge = PersonMerge.objects.get(pk=merge_id)
        selectors.person_get(request.user, merge.keep_id)
        return services.person_unmerge(actor=request.user, merge=merge, reason=payload.reason)
    return _merge(call_service(run))


@router.post("/homeless/persons/{person_id}/photos", response=responses(HomelessRescuePhotoOut, 201),
             operation_id="homeless_rescue_photo_attach", summary="上传受助人员照片（PNG或JPEG，不超过5MB）")
def photo_attach(request: HttpRequest, person_id: int = path_id("受助人员编号"),
                 file: UploadedFile = File(..., description="照片")) -> Status:
    def run():
        person = selectors.person_get(request.user, person_id)
        upload_check(file)
        return services.photo_attach(actor=request.user, person=person, name=file.name or "",
                                     content=file.read(services.PHOTO_MAX_BYTES + 1))
    photo = call_service(run)
    return Status(201, {"id": photo.pk, "content_type": photo.content_type, "size": photo.size, "sha256": photo.sha256})


@router.get("/homeless/photos/{photo_id}/download", response=error_responses(),
            operation_id="homeless_rescue_photo_download",
            openapi_extra={"responses": {200: {"description": "照片（作为附件下载）", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}},
            summary="下载受助人员照片（附件；记入审计日志）")
def photo_download(request: HttpRequest, photo_id: int = path_id("照片编号")) -> HttpResponse:
    photo = call_service(lambda: selectors.photo_get(request.user, photo_id))
    services.photo_download_record(actor=request.user, photo=photo)
    response = HttpResponse(photo_bytes(photo).getvalue(), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="rescued-person-{photo.person_id}-{photo.pk}.{photo.content_type.split("/")[-1]}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/homeless/warnings", response=responses(HomelessRescueWarningOut, 201),
             operation_id="homeless_rescue_warning_record", summary="录入气象预警（区民政局）")
def warning_record(request: HttpRequest, payload: HomelessRescueWarningIn) -> Status:
    warning = call_service(lambda: services.warning_record(actor=request.user, kind=payload.kind, level=payload.level,
                                                           issued_at=payload.issued_at, issuer=payload.issuer,
                                                           note=payload.note))
    return Status(201, _warning(warning))


@router.get("/homeless/campaigns", response=responses(list[HomelessRescueCampaignOut]),
            operation_id="homeless_rescue_campaigns", summary="极端天气专项救助行动")
def campaign_list(request: HttpRequest) -> list[dict]:
    return [_campaign(c) for c in call_service(lambda: selectors.campaigns_visible(request.user))[:200]]


@router.post("/homeless/campaigns", response=responses(HomelessRescueCampaignOut, 201),
             operation_id="homeless_rescue_campaign_create", summary="发起专项行动（由同类气象预警触发）")
def campaign_create(request: HttpRequest, payload: HomelessRescueCampaignIn) -> Status:
    def run():
        require(request.user, "homeless_rescue.campaign")  # role first: the warning lookup may 404 (ADR 0010)
        return services.campaign_create(actor=request.user, name=payload.name, kind=payload.kind,
                                        warning=WeatherWarning.objects.get(pk=payload.warning_id),
                                        starts_on=day_check(payload.starts_on, "开始日期"),
                                        ends_on=day_check(payload.ends_on, "结束日期") if payload.ends_on else None)
    return Status(201, _campaign(call_service(run)))


def _campaign_detail(request: HttpRequest, campaign: Campaign) -> dict:
    out = _campaign(campaign)
    out["shifts"] = [_shift(s) for s in selectors.campaign_shifts(request.user, campaign)]
    rescues = selectors.rescues_visible(request.user).filter(campaign=campaign)
    out["rescues"] = rescues.count()
    out["returned_home"] = rescues.filter(outcome=Outcome.RETURNED_HOME).count()
    return out


@router.get("/homeless/campaigns/{campaign_id}", response=responses(HomelessRescueCampaignDetailOut),
            operation_id="homeless_rescue_campaign", summary="专项行动（巡查班次和救助人次）")
def campaign_detail(request: HttpRequest, campaign_id: int = path_id("专项行动编号")) -> dict:
    return _campaign_detail(request, call_service(lambda: selectors.campaign_get(request.user, campaign_id)))


@router.post("/homeless/campaigns/{campaign_id}/shifts", response=responses(HomelessRescueShiftOut, 201),
             operation_id="homeless_rescue_shift_create", summary="安排巡查班次（街镇）")
def shift_create(request: HttpRequest, payload: HomelessRescueShiftIn,
                 campaign_id: int = path_id("专项行动编号")) -> Status:
    def run():
        campaign = selectors.campaign_get(request.user, campaign_id)
        return services.shift_create(actor=request.user, campaign=campaign, street=payload.street,
                                     starts_at=payload.starts_at, ends_at=payload.ends_at, team=payload.team)
    return Status(201, _shift(call_service(run)))


@router.post("/homeless/shifts/{shift_id}/report", response=responses(HomelessRescueShiftOut),
             operation_id="homeless_rescue_shift_report", summary="登记巡查情况（发现人数、拒绝救助人数）")
def shift_report(request: HttpRequest, payload: HomelessRescueShiftReportIn, shift_id: int = path_id("巡查班次编号")) -> dict:
    def run():
        shift = selectors.shift_get(request.user, shift_id)
        return services.shift_report(actor=request.user, shift=shift, people_met=payload.people_met,
                                     people_refused=payload.people_refused, note=payload.note)
    return _shift(call_service(run))


@router.get("/homeless/figures", response=responses(HomelessRescueFiguresOut), operation_id="homeless_rescue_figures",
            summary="年度救助统计（按月按街镇人次、情暖归途、专项行动）")
def figures(request: HttpRequest, year: int = Query(..., ge=EARLIEST_YEAR, le=LATEST_YEAR, description="年度")) -> dict:
    f = call_service(lambda: selectors.year_figures(request.user, year))
    return {"year": f.year, "total": f.total, "persons": f.persons, "repeat_persons": f.repeat_persons,
            "unidentified": f.unidentified, "returned_home": f.returned_home, "in_campaigns": f.in_campaigns,
            "by_month": f.by_month,
            "by_street": [{"street": s.code, "street_name": s.name, "months": f.by_street_month.get(s.code, [0] * 12),
                           "total": f.by_street.get(s.code, 0)} for s in f.streets],
            "outcomes": [{"label": label, "count": n} for label, n in f.outcomes],
            "finders": [{"label": label, "count": n} for label, n in f.finders],
            "campaigns": [{"campaign_id": c.campaign.pk, "name": c.campaign.name, "shifts": c.shifts,
                           "people_met": c.people_met, "people_refused": c.people_refused, "rescues": c.rescues,
                           "returned_home": c.returned_home} for c in f.campaigns],
            "reported": f.reported.rescues if f.reported else None,
            "reported_source": f.reported.source if f.reported else None}
