"""Figures per cemetery and day (ADR 0026): reservations and people reserved,
arrived, no-shows, cancelled, and proxy services done — counted from the
booking core's statuses, so they agree with the gate and the no-show job
(``bookings_expire_holds`` marks a past unattended reservation 未到场 the next
morning; until then a past reservation still counts as 已确认, shown as
待核验).

A reserved reservation is one that occupies its places: 已确认, 已到场 or
未到场 (cancelled ones gave their places back and are counted apart).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from minzheng.bookings.models import BookingStatus
from minzheng.core.permissions import require
from minzheng.sweeping.access import scoped
from minzheng.sweeping.models import ProxyOrder, ProxyStatus, Reservation

MAX_DAYS = 366
_RESERVED = (BookingStatus.CONFIRMED, BookingStatus.ARRIVED, BookingStatus.NO_SHOW)
COLUMNS = (
    ("reserved", "预约（笔）"), ("reserved_people", "预约人数"), ("arrived", "已入园（笔）"),
    ("arrived_people", "入园人数"), ("no_show", "未到场（笔）"), ("pending", "待核验（笔）"),
    ("cancelled", "已取消（笔）"), ("proxy_done", "代客祭扫完成（单）"),
)


@dataclass
class FigureRow:
    cemetery: str
    day: dt.date
    counts: dict[str, int] = field(default_factory=dict)

    def cells(self) -> list[int]:
        return [self.counts[key] for key, _label in COLUMNS]


def figures(user, date_from: dt.date, date_to: dt.date, *, cemetery_id: int | None = None) -> list[FigureRow]:
    require(user, "sweeping.statistics", allow_job=True)
    if date_to < date_from:
        from django.core.exceptions import ValidationError

        raise ValidationError("截止日期不能早于起始日期")
    reservations = scoped(Reservation.objects.filter(day__range=(date_from, date_to)), user)
    proxies = scoped(ProxyOrder.objects.filter(service_date__range=(date_from, date_to),
                                               status=ProxyStatus.DONE), user)
    if cemetery_id:
        reservations = reservations.filter(cemetery_id=cemetery_id)
        proxies = proxies.filter(cemetery_id=cemetery_id)
    status = "booking__status"
    rows: dict[tuple[str, dt.date], FigureRow] = {}
    for r in (reservations.values("cemetery__name", "day").annotate(
            reserved=Count("pk", filter=Q(**{f"{status}__in": _RESERVED})),
            reserved_people=Sum("booking__places", filter=Q(**{f"{status}__in": _RESERVED})),
            arrived=Count("pk", filter=Q(**{status: BookingStatus.ARRIVED})),
            arrived_people=Sum("booking__places", filter=Q(**{status: BookingStatus.ARRIVED})),
            no_show=Count("pk", filter=Q(**{status: BookingStatus.NO_SHOW})),
            pending=Count("pk", filter=Q(**{status: BookingStatus.CONFIRMED})),
            cancelled=Count("pk", filter=Q(**{status: BookingStatus.CANCELLED})))):
        row = rows.setdefault((r["cemetery__name"], r["day"]), FigureRow(r["cemetery__name"], r["day"]))
        row.counts.update({key: r.get(key) or 0 for key, _label in COLUMNS if key != "proxy_done"})
    for p in proxies.values("cemetery__name", "service_date").annotate(n=Count("pk")):
        row = rows.setdefault((p["cemetery__name"], p["service_date"]),
                              FigureRow(p["cemetery__name"], p["service_date"]))
        row.counts["proxy_done"] = p["n"]
    for row in rows.values():
        for key, _label in COLUMNS:
            row.counts.setdefault(key, 0)
    return sorted(rows.values(), key=lambda r: (r.day, r.cemetery))


def totals(rows: list[FigureRow]) -> dict[str, int]:
    return {key: sum(r.counts[key] for r in rows) for key, _label in COLUMNS}


def figures_workbook(rows: list[FigureRow], date_from: dt.date, date_to: dt.date) -> bytes:
    from openpyxl import Workbook

    from minzheng.core.spreadsheets import sheet_append

    book = Workbook(write_only=True)
    sheet = book.create_sheet("祭扫统计")
    sheet_append(sheet, [f"祭扫统计（{date_from:%Y年%m月%d日}至{date_to:%Y年%m月%d日}）"])
    sheet_append(sheet, ["日期", "公墓", *[label for _key, label in COLUMNS]])
    for row in rows:
        sheet_append(sheet, [row.day.isoformat(), row.cemetery, *[row.counts[key] for key, _label in COLUMNS]])
    total = totals(rows)
    sheet_append(sheet, ["合计", "", *[total[key] for key, _label in COLUMNS]])
    sheet_append(sheet, [])
    sheet_append(sheet, ["说明", "预约含已确认、已入园和未到场；待核验为已确认但尚未入园、也尚未登记未到场的预约；人数含同行人员。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
