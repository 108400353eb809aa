"""一键通和居家安全监测 endpoints (mounted at /api/v1/elder-alerts, ADR 0033):
devices, calls and their response-time figures, alerts' tasks and closing a
task with its outcome; the desk's writes of the pages too (registering a
terminal or a sensor, a terminal's status, a sensor's status and quiet hours,
a call's dispatch, arrival and resolution), through the same services. Scoped
like the pages by the elder's committee: another committee's record is 404;
the wrong role 403; a broken rule 422 with the Chinese reason."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import (
    STAFF_AUTH,
    Limit,
    Offset,
    RecordId,
    call_service,
    coded,
    path_id,
    responses,
)
from minzheng.core.bounds import day_check, moment_check
from minzheng.core.permissions import require
from minzheng.elder_alerts import selectors, services
from minzheng.elder_alerts.models import (
    CallKind,
    DeviceStatus,
    Outcome,
    Responder,
    SensorKind,
    TaskStatus,
)
from minzheng.registry.selectors import person_get

router = Router(tags=["一键通和居家安全监测"], auth=STAFF_AUTH)

KindCode = coded(CallKind.choices, "呼叫类型")
StatusCode = coded(TaskStatus.choices, "任务状态")
OutcomeCode = coded(Outcome.choices, "处置结果")
DeviceStatusCode = coded(DeviceStatus.choices, "设备状态")
SensorKindCode = coded(SensorKind.choices, "设备类型")
ResponderCode = coded(Responder.choices, "派单对象")


class ElderAlertDeviceOut(Schema):
    id: int
    number: str
    kind_label: str = Field(description="设备类型")
    person_name: str
    id_number_masked: str
    committee: str = Field(description="居村委区划代码")
    committee_name: str
    installed_on: dt.date
    status: str
    status_label: str
    quiet_hours: int | None = Field(None, description="无用水提醒时长（白天小时，仅智能水表）；为空按规则默认")


class ElderAlertDevicePage(Schema):
    count: int
    results: list[ElderAlertDeviceOut]


class ElderAlertCallOut(Schema):
    id: int
    called_at: dt.datetime
    kind: str
    kind_label: str
    device: str
    person_name: str
    committee_name: str
    responder_label: str | None = Field(description="派单对象；未派单为空")
    dispatched_at: dt.datetime | None
    arrived_at: dt.datetime | None
    resolved_at: dt.datetime | None
    response_minutes: float | None = Field(description="呼叫至到达的分钟数；未到达为空")


class ElderAlertCallPage(Schema):
    count: int
    results: list[ElderAlertCallOut]


class ElderAlertFigureOut(Schema):
    calls: int
    arrived: int
    p50_minutes: float | None = Field(description="中位数（最近秩法）；到达少于5次为空（事件过少）")
    p90_minutes: float | None = Field(description="第90百分位（最近秩法）；到达少于10次为空（事件过少）")
    overdue: int = Field(description="超过应到达时限（到达迟或超时未到达）")


class ElderAlertKindStreetFigureOut(ElderAlertFigureOut):
    kind_label: str
    street_name: str


class ElderAlertFiguresOut(Schema):
    since: dt.datetime
    until: dt.datetime
    by_kind: dict[str, ElderAlertFigureOut]
    by_kind_street: list[ElderAlertKindStreetFigureOut]
    total: ElderAlertFigureOut


class ElderAlertTaskOut(Schema):
    id: int
    kind_label: str
    rule_label: str
    detail: str
    person_name: str
    id_number_masked: str
    committee: str
    committee_name: str
    triggered_at: dt.datetime
    due_at: dt.datetime
    status: str
    status_label: str
    overdue: bool
    outcome_label: str | None
    cause: str
    visited_at: dt.datetime | None
    closed_at: dt.datetime | None


class ElderAlertTaskPage(Schema):
    count: int
    results: list[ElderAlertTaskOut]


class ElderAlertTaskCloseIn(Schema):
    outcome: OutcomeCode  # type: ignore[valid-type]
    cause: str = Field("", max_length=200, description="误报原因（结果为误报时必填）")
    note: str = Field("", max_length=500)
    visited_at: dt.datetime | None = None


def _device(d) -> dict:
    return {"id": d.pk, "number": d.number, "kind_label": d.get_kind_display() if hasattr(d, "kind") else "一键通终端",
            "person_name": d.person.name, "id_number_masked": d.person.id_number_masked,
            "committee": d.person.committee_id, "committee_name": d.person.committee.name,
            "installed_on": d.installed_on, "status": d.status, "status_label": d.get_status_display(),
            "quiet_hours": getattr(d, "quiet_hours", None)}


def _call(c) -> dict:
    return {"id": c.pk, "called_at": c.called_at, "kind": c.kind, "kind_label": c.get_kind_display(),
            "device": c.device.number, "person_name": c.device.person.name,
            "committee_name": c.device.person.committee.name, "responder_label": c.get_responder_display() or None,
            "dispatched_at": c.dispatched_at, "arrived_at": c.arrived_at, "resolved_at": c.resolved_at,
            "response_minutes": None if c.response_minutes is None else round(c.response_minutes, 1)}


def _task(t) -> dict:
    return {"id": t.pk, "kind_label": t.get_kind_display(), "rule_label": t.alert.rule.label, "detail": t.alert.detail,
            "person_name": t.alert.person.name, "id_number_masked": t.alert.person.id_number_masked,
            "committee": t.committee_id, "committee_name": t.committee.name, "triggered_at": t.alert.triggered_at,
            "due_at": t.due_at, "status": t.status, "status_label": t.get_status_display(),
            "overdue": t.is_overdue(timezone.now()), "outcome_label": t.get_outcome_display() or None,
            "cause": t.cause, "visited_at": t.visited_at, "closed_at": t.closed_at}


def _figure(f) -> dict:
    return {"calls": f.calls, "arrived": f.arrived, "p50_minutes": f.p50, "p90_minutes": f.p90, "overdue": f.overdue}


@router.get("/elder-alerts/call-devices", response=responses(ElderAlertDevicePage), summary="一键通终端",
            operation_id="elder_alerts_call_devices")
def call_devices(request: HttpRequest, limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.call_devices(request.user))
    return {"count": rows.count(), "results": [_device(d) for d in rows.order_by("number")[offset: offset + limit]]}


@router.get("/elder-alerts/sensors", response=responses(ElderAlertDevicePage), summary="居家安全监测设备（智能水表、燃气报警器）",
            operation_id="elder_alerts_sensors")
def sensors(request: HttpRequest, limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.sensor_devices(request.user))
    return {"count": rows.count(), "results": [_device(d) for d in rows.order_by("number")[offset: offset + limit]]}


@router.get("/elder-alerts/calls", response=responses(ElderAlertCallPage), summary="一键通呼叫记录",
            operation_id="elder_alerts_calls")
def calls(request: HttpRequest, kind: KindCode | None = Query(None),  # type: ignore[valid-type]
          limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.calls(request.user))
    if kind:
        rows = rows.filter(kind=kind)
    return {"count": rows.count(), "results": [_call(c) for c in rows.order_by("-called_at")[offset: offset + limit]]}


@router.get("/elder-alerts/calls/figures", response=responses(ElderAlertFiguresOut), summary="呼叫响应时间（P50/P90，按类型和街镇）",
            operation_id="elder_alerts_call_figures")
def call_figures(request: HttpRequest, days: int = Query(30, ge=1, le=366, description="最近天数")) -> dict:
    now = timezone.now()
    since = now - dt.timedelta(days=days)
    f = call_service(lambda: selectors.response_figures(request.user, since, now, now))
    labels = dict(CallKind.choices)
    return {"since": since, "until": now, "by_kind": {k: _figure(v) for k, v in f.by_kind.items()},
            "by_kind_street": [{**_figure(v), "kind_label": labels[k], "street_name": f.streets.get(s, s)}
                               for (k, s), v in sorted(f.by_kind_street.items())], "total": _figure(f.total)}


@router.get("/elder-alerts/tasks", response=responses(ElderAlertTaskPage), summary="居家安全提醒处置任务",
            operation_id="elder_alerts_tasks")
def tasks(request: HttpRequest, status: StatusCode | None = Query(None),  # type: ignore[valid-type]
          limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.tasks(request.user))
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_task(t) for t in rows.order_by("due_at")[offset: offset + limit]]}


@router.get("/elder-alerts/tasks/{task_id}", response=responses(ElderAlertTaskOut), summary="处置任务详情",
            operation_id="elder_alerts_task_detail")
def task_detail(request: HttpRequest, task_id: int = path_id("任务编号")) -> dict:
    return _task(call_service(lambda: selectors.task_get(request.user, task_id)))


@router.post("/elder-alerts/tasks/{task_id}/close", response=responses(ElderAlertTaskOut, conflict=True),
             summary="办结处置任务（登记处置结果）", operation_id="elder_alerts_task_close")
def task_close(request: HttpRequest, payload: ElderAlertTaskCloseIn, task_id: int = path_id("任务编号")) -> dict:
    task = call_service(lambda: selectors.task_get(request.user, task_id))
    closed = call_service(lambda: services.task_close(actor=request.user, task=task, outcome=payload.outcome,
                                                      cause=payload.cause, note=payload.note,
                                                      visited_at=payload.visited_at and moment_check(
                                                          payload.visited_at, "到场时间")))
    return _task(selectors.task_get(request.user, closed.pk))


# --- the desk's writes (the pages' forms, through the same services) ---------------------

class ElderAlertCallDeviceIn(Schema):
    person_id: RecordId = Field(description="老人的人员编号")
    number: str = Field(min_length=1, max_length=32, description="终端编号（全区唯一）")
    installed_on: dt.date = Field(description="安装日期（不晚于今天）")
    status: DeviceStatusCode = DeviceStatus.IN_USE  # type: ignore[valid-type]
    note: str = Field("", max_length=200)


class ElderAlertDeviceStatusIn(Schema):
    status: DeviceStatusCode  # type: ignore[valid-type]


class ElderAlertSensorIn(Schema):
    person_id: RecordId = Field(description="老人的人员编号")
    kind: SensorKindCode  # type: ignore[valid-type]
    number: str = Field(min_length=1, max_length=32, description="设备编号（全区唯一）")
    installed_on: dt.date = Field(description="安装日期（不晚于今天）")
    quiet_hours: int | None = Field(None, ge=1, le=72, description="无用水提醒时长（白天小时，仅智能水表）；省略：按规则默认")
    status: DeviceStatusCode = DeviceStatus.IN_USE  # type: ignore[valid-type]


class ElderAlertSensorUpdateIn(Schema):
    status: DeviceStatusCode | None = Field(None, description="设备状态；省略：不变")  # type: ignore[valid-type]
    quiet_hours: int | None = Field(None, ge=1, le=72, description="无用水提醒时长（仅智能水表）；省略：不变")
    clear_quiet_hours: bool = Field(False, description="清除本人的无用水提醒时长（改按规则默认）")


class ElderAlertCallResponseIn(Schema):
    """Only the fields sent change; a field sent as null is cleared."""

    responder: ResponderCode | None = Field(None, description="派单对象；null：未派单")  # type: ignore[valid-type]
    dispatched_at: dt.datetime | None = Field(None, description="派单时间（不带时区按北京时间）")
    arrived_at: dt.datetime | None = Field(None, description="到达时间（不带时区按北京时间）")
    resolved_at: dt.datetime | None = Field(None, description="处置完成时间（不带时区按北京时间）")


RESPONSE_LABELS = {"dispatched_at": "派单时间", "arrived_at": "到达时间", "resolved_at": "处置完成时间"}


@router.post("/elder-alerts/call-devices", response=responses(ElderAlertDeviceOut, 201), summary="登记一键通终端",
             operation_id="elder_alerts_call_device_create")
def call_device_create(request: HttpRequest, payload: ElderAlertCallDeviceIn) -> Status:
    def run():
        require(request.user, "elder_alerts.devices")
        person = person_get(request.user, payload.person_id)
        return services.call_device_create(actor=request.user, person=person, number=payload.number,
                                           installed_on=day_check(payload.installed_on, "安装日期"),
                                           status=payload.status, note=payload.note)

    device = call_service(run)
    return Status(201, _device(selectors.call_device_get(request.user, device.pk)))


@router.post("/elder-alerts/call-devices/{device_id}/status", response=responses(ElderAlertDeviceOut),
             summary="变更一键通终端状态（在用、停用、故障）", operation_id="elder_alerts_call_device_status")
def call_device_status(request: HttpRequest, payload: ElderAlertDeviceStatusIn,
                       device_id: int = path_id("终端编号")) -> dict:
    def run():
        require(request.user, "elder_alerts.devices")
        device = selectors.call_device_get(request.user, device_id)
        return services.call_device_set_status(actor=request.user, device=device, status=payload.status)

    call_service(run)
    return _device(selectors.call_device_get(request.user, device_id))


@router.post("/elder-alerts/sensors", response=responses(ElderAlertDeviceOut, 201),
             summary="登记居家安全监测设备（智能水表、燃气报警器）", operation_id="elder_alerts_sensor_create")
def sensor_create(request: HttpRequest, payload: ElderAlertSensorIn) -> Status:
    def run():
        require(request.user, "elder_alerts.devices")
        person = person_get(request.user, payload.person_id)
        return services.sensor_device_create(actor=request.user, person=person, kind=payload.kind,
                                             number=payload.number,
                                             installed_on=day_check(payload.installed_on, "安装日期"),
                                             quiet_hours=payload.quiet_hours, status=payload.status)

    device = call_service(run)
    return Status(201, _device(selectors.sensor_device_get(request.user, device.pk)))


@router.patch("/elder-alerts/sensors/{device_id}", response=responses(ElderAlertDeviceOut),
              summary="修改监测设备的状态或无用水提醒时长", operation_id="elder_alerts_sensor_update")
def sensor_update(request: HttpRequest, payload: ElderAlertSensorUpdateIn,
                  device_id: int = path_id("设备编号")) -> dict:
    def run():
        require(request.user, "elder_alerts.devices")
        device = selectors.sensor_device_get(request.user, device_id)
        return services.sensor_device_update(actor=request.user, device=device, status=payload.status,
                                             quiet_hours=payload.quiet_hours,
                                             clear_quiet_hours=payload.clear_quiet_hours)

    call_service(run)
    return _device(selectors.sensor_device_get(request.user, device_id))


@router.post("/elder-alerts/calls/{call_id}/response", response=responses(ElderAlertCallOut),
             summary="登记一键通呼叫的派单、到达和处置完成（只改所传字段；传 null 清空）",
             operation_id="elder_alerts_call_response")
def call_response(request: HttpRequest, payload: ElderAlertCallResponseIn, call_id: int = path_id("呼叫编号")) -> dict:
    def run():
        require(request.user, "elder_alerts.respond")
        call = selectors.call_get(request.user, call_id)
        sent = payload.model_fields_set
        values = {name: getattr(call, name) for name in RESPONSE_LABELS}
        for name, label in RESPONSE_LABELS.items():
            if name in sent:
                value = getattr(payload, name)
                values[name] = None if value is None else moment_check(value, label)
        responder = (payload.responder or "") if "responder" in sent else call.responder
        return services.call_response_record(actor=request.user, call=call, responder=responder, **values)

    call_service(run)
    return _call(selectors.call_get(request.user, call_id))
