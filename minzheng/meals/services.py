"""Every write of the meal assistance (ADR 0032): one transaction, the
permission, the canteen in the actor's sight (``facility_get``: 404 outside),
an audit entry each. Business refusals are ``ValidationError`` in Chinese.

Imports and settlements take one lock (the rate rows, ``_lock``): two imports
never decide the same elder's day at once, and a settlement never counts a
file half written. A plain-name actor is the operator (command line, demo).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from typing import IO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from minzheng.care_facilities.models import MEAL_KINDS, Facility
from minzheng.care_facilities.selectors import facility_get
from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.months import month_of, month_parse
from minzheng.core.permissions import SeparationOfDuties, require
from minzheng.meals.daily_files import (
    HEADERS as HEADERS,  # the daily file's columns (the demo writes files)
)
from minzheng.meals.daily_files import read_chunks
from minzheng.meals.models import (
    Certainty,
    ImportSource,
    MealImport,
    MealRecord,
    Settlement,
    SettlementStatus,
    SubsidyRate,
    Tier,
)
from minzheng.meals.recording import CHUNK, Counts, record_chunks, record_rows
from minzheng.meals.rules import RateTable, month_first, month_last

ACTOR = User | str


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _canteen(actor: ACTOR, canteen_id: int) -> Facility:
    if isinstance(actor, str):
        canteen = Facility.objects.filter(pk=canteen_id).first()
        if canteen is None:
            raise ValidationError(f"没有编号为 {canteen_id} 的助餐点")
    else:
        canteen = facility_get(actor, canteen_id)
    if canteen.kind not in MEAL_KINDS:
        raise ValidationError(f"{canteen.name}不是社区长者食堂或助餐点")
    return canteen


def _lock() -> RateTable:
    """Serialise imports and settlements (the rate rows, locked); the rates in force."""
    return RateTable(SubsidyRate.objects.select_for_update().order_by("valid_from"))


def _counts_changes(counts: Counts) -> dict:
    return {"rows": counts.total, "recorded": counts.recorded, "repeated": counts.repeated,
            "quarantined": counts.quarantined, "subsidised": counts.subsidised, "subsidy_fen": counts.subsidy_fen}


def meal_file_import(*, actor: ACTOR, canteen_id: int, stream: IO[bytes], file_name: str,
                     progress=None) -> tuple[MealImport, bool]:
    """Import a canteen's daily file; ``(import, created)``. The same content
    for the same canteen again returns the first import (``created`` False)
    and changes nothing; rows already recorded from another file are counted
    as repeated. A file that cannot be read at all is refused
    (``ImportFileError``), nothing is kept."""
    require(actor, "meals.record", allow_job=True)
    canteen = _canteen(actor, canteen_id)
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    stream.seek(0)
    sha = digest.hexdigest()
    with transaction.atomic():
        rates = _lock()
        existing = MealImport.objects.filter(canteen=canteen, source=ImportSource.FILE, file_sha256=sha).first()
        if existing is not None:
            audit_record(actor=actor, action="meals.import_repeat", object_type="MealImport", object_id=existing.pk,
                         scope_code=canteen.committee_id, changes={"file": file_name[:200]})
            return existing, False
        meal_import = MealImport.objects.create(canteen=canteen, file_name=file_name[:200], file_sha256=sha,
                                                imported_by=_name(actor))
        counts = record_chunks(canteen=canteen, meal_import=meal_import, chunks=read_chunks(stream, file_name, CHUNK),
                               today=timezone.localdate(), rates=rates, progress=progress)
        _save_counts(meal_import, counts)
        audit_record(actor=actor, action="meals.import", object_type="MealImport", object_id=meal_import.pk,
                     scope_code=canteen.committee_id, changes={"file": file_name[:200], **_counts_changes(counts)})
    return meal_import, True


def _save_counts(meal_import: MealImport, counts: Counts) -> None:
    meal_import.rows_total += counts.total
    meal_import.rows_recorded += counts.recorded
    meal_import.rows_repeated += counts.repeated
    meal_import.rows_quarantined += counts.quarantined
    meal_import.save(update_fields=["rows_total", "rows_recorded", "rows_repeated", "rows_quarantined"])


def meal_counter_record(*, actor: ACTOR, canteen_id: int, id_number: str, day: dt.date, slot: str, kind: str,
                        name: str = "") -> MealRecord | None:
    """One meal entered at the canteen's counter (窗口登记), checked like a file
    row; the day's counter entries form one import of source 窗口登记. Returns
    the record, or ``None`` when the same meal was already recorded; a bad
    entry is refused with the reason (nothing quarantined: the person at the
    counter corrects it). Without ``name`` the registry's name is taken."""
    require(actor, "meals.record", allow_job=True)
    canteen = _canteen(actor, canteen_id)
    day_check(day, "用餐日期")  # the page's form and the API alike: no year 1 or 9999 meal
    from minzheng.meals.recording import KINDS, SLOTS

    if not name.strip():  # the fast form: the ID number alone names the elder
        from minzheng.core.personal_data import blind_index
        from minzheng.registry.models import Person
        from minzheng.registry.services import InvalidIdNumber, parse_id_number

        try:
            number = parse_id_number(id_number).number
        except InvalidIdNumber as err:
            raise ValidationError(f"【身份证号】{err}") from err
        person = Person.objects.filter(id_number_index=blind_index(number)).first()
        if person is None:
            raise ValidationError("【身份证号】人口库中没有该身份证号，请核对或先登记人员")
        name = person.name
    slot_label = dict((v, k) for k, v in SLOTS.items()).get(slot, slot)
    kind_label = dict((v, k) for k, v in KINDS.items()).get(kind, kind)
    with transaction.atomic():
        rates = _lock()
        meal_import, _ = MealImport.objects.get_or_create(
            canteen=canteen, source=ImportSource.COUNTER, file_name=f"窗口登记 {day.isoformat()}",
            defaults={"imported_by": _name(actor)})
        row = {"身份证号": id_number, "姓名": name, "用餐日期": day.isoformat(), "餐次": slot_label,
               "用餐方式": kind_label}
        counts = record_rows(canteen=canteen, meal_import=meal_import, rows=[(meal_import.rows_total + 2, row)],
                             today=timezone.localdate(), rates=rates)
        if counts.quarantined:  # the whole entry rolls back: the person at the counter corrects it
            raise ValidationError(meal_import.quarantined.order_by("-id").first().reason)
        _save_counts(meal_import, counts)
        if not counts.recorded:
            return None
        record = (MealRecord.objects.filter(canteen=canteen, day=day, slot=slot)
                  .select_related("person").order_by("-id").first())
        audit_record(actor=actor, action="meals.counter", object_type="MealRecord", object_id=record.pk,
                     scope_code=canteen.committee_id,
                     changes={"person": record.person_id, "day": day.isoformat(), "slot": record.slot,
                              "kind": record.kind, "subsidy_fen": record.subsidy_fen, "reason": record.reason})
    return record


def rate_add(*, actor: ACTOR, tier: str, valid_from: dt.date, amount_fen: int, source: str, certainty: str,
             date_approximate: bool = False) -> SubsidyRate:
    """A new dated rate of a tier (the bureau, when a notice changes it). The
    rate applies to meals recorded from then on; recorded meals keep theirs."""
    require(actor, "meals.rates", allow_job=True)
    if tier not in Tier.values:
        raise ValidationError("请选择补贴档次")
    if certainty not in Certainty.values:
        raise ValidationError("请选择可靠程度")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError("每餐补贴必须是大于0的整数（分）")
    if not source.strip():
        raise ValidationError("请填写依据（文件名称、文号或来源）")
    with transaction.atomic():
        if SubsidyRate.objects.filter(tier=tier, valid_from=valid_from).exists():
            raise ValidationError(f"该档次在 {valid_from} 已有补贴标准")
        rate = SubsidyRate.objects.create(tier=tier, valid_from=valid_from, amount_fen=amount_fen,
                                          source=source.strip()[:300], certainty=certainty,
                                          date_approximate=date_approximate, recorded_by=_name(actor))
        audit_record(actor=actor, action="meals.rate_add", object_type="SubsidyRate", object_id=rate.pk,
                     changes={"tier": tier, "valid_from": valid_from.isoformat(), "amount_fen": amount_fen,
                              "certainty": certainty, "date_approximate": date_approximate})
    return rate


def settlement_month_check(month: str, today: dt.date) -> str:
    try:
        month = month_parse(month)
    except (ValueError, TypeError) as err:
        raise ValidationError("结算月份格式应为 YYYY-MM") from err
    if month >= month_of(today):
        raise ValidationError(f"{month} 尚未结束，月度结算须在次月进行")
    return month


def settlement_run(*, actor: ACTOR, canteen_id: int, month: str) -> tuple[Settlement, bool]:
    """The canteen's settlement of ``month``: ``(settlement, created)``.

    Made once: a second run returns it unchanged. It takes the month's
    records not yet settled, and the records of earlier months that arrived
    after those months were settled (补报, as adjustments per month)."""
    require(actor, "meals.settle", allow_job=True)
    canteen = _canteen(actor, canteen_id)
    month = settlement_month_check(month, timezone.localdate())
    with transaction.atomic():
        _lock()
        existing = Settlement.objects.filter(canteen=canteen, month=month).first()
        if existing is not None:
            return existing, False
        (settlement,) = _settle(actor, [canteen], month)
    return settlement, True


def _uncovered(settled: list[tuple[str, int]], month: str) -> list[tuple[dt.date | None, dt.date, int]]:
    """The records of one canteen that its settlements ``settled`` (month,
    watermark) do not cover, up to the end of ``month``, as ``(first day or
    None, last day, id above)`` ranges.

    A settlement covers the records of its month and before with an id up to
    its watermark, so a record of day *d* is covered when its id is at most
    the largest watermark of the settlements of *d*'s month or later — one
    threshold per month, the same for runs of months: a few day ranges each
    with an id floor, which the indexes answer (the canteen's past is not
    read again at every settlement)."""
    floors: dict[str, int] = {}
    for m, last_id in settled:
        floors[m] = max(floors.get(m, 0), last_id)
    ranges: list[tuple[dt.date | None, dt.date, int]] = []
    end = month_last(month)
    floor = max((last_id for m, last_id in floors.items() if m > month), default=0)
    # back through the settled months: the days after a settled month's end keep the floor so far
    for m in sorted((m for m in floors if m <= month), reverse=True):
        if month_last(m) < end:
            ranges.append((month_last(m) + dt.timedelta(days=1), end, floor))
            end = month_last(m)
        floor = max(floor, floors[m])
    ranges.append((None, end, floor))
    return ranges


def _pending(canteens: list[Facility], month: str, watermark: int) -> dict[int, list[tuple]]:
    """Per canteen: (day, subsidised, reason, meals, fen) of the records its
    next settlement of ``month`` takes — grouped in the database, one query
    for up to ``ARMS_PER_QUERY`` (canteen, day range) parts: each part reads
    its canteen's days through the (canteen, day) index, or the few records
    above its id floor through the primary key."""
    if not canteens:
        return {}
    settled: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for canteen_id, m, last_id in Settlement.objects.filter(canteen__in=canteens).values_list(
            "canteen_id", "month", "last_record_id"):
        settled[canteen_id].append((m, last_id))
    arms: list[tuple[str, list]] = []
    for canteen in canteens:
        for first, last, floor in _uncovered(settled[canteen.pk], month):
            arms.append((f"SELECT canteen_id, day, subsidised, reason, subsidy_fen FROM {MealRecord._meta.db_table} "
                         "WHERE canteen_id = %s AND day <= %s" + (" AND day >= %s" if first else "")
                         + " AND id > %s AND id <= %s",
                         [canteen.pk, last, *([first] if first else []), floor, watermark]))
    rows: dict[int, list[tuple]] = defaultdict(list)
    with connection.cursor() as cursor:
        for i in range(0, len(arms), ARMS_PER_QUERY):  # each arm planned on its own (its index), SQLite's limit kept
            part = arms[i:i + ARMS_PER_QUERY]
            cursor.execute("SELECT canteen_id, day, subsidised, reason, COUNT(*), SUM(subsidy_fen) FROM ("
                           + " UNION ALL ".join(sql for sql, _ in part)
                           + ") AS pending GROUP BY canteen_id, day, subsidised, reason",
                           [p for _, params in part for p in params])
            for canteen_id, day, subsidised, reason, n, fen in cursor.fetchall():
                if isinstance(day, str):  # SQLite
                    day = dt.date.fromisoformat(day)
                rows[canteen_id].append((day, bool(subsidised), reason, n, fen or 0))
    return rows


ARMS_PER_QUERY = 100  # SELECTs joined by UNION ALL in one statement (SQLite allows 500)


def _settle(actor: ACTOR, canteens: list[Facility], month: str) -> list[Settlement]:
    """The settlements of ``month`` for ``canteens`` (none settled yet), under
    the lock: one watermark, one grouped query, one audit entry each."""
    first = month_first(month)
    watermark = MealRecord.objects.aggregate(m=Max("id"))["m"] or 0  # under the lock: no record is being written
    pending = _pending(canteens, month, watermark)
    made = []
    for canteen in canteens:
        current = Counter()
        adjustments: dict[str, Counter] = defaultdict(Counter)
        anomalies: Counter = Counter()
        for day, subsidised, reason, n, fen in pending.get(canteen.pk, ()):
            bucket = current if day >= first else adjustments[month_of(day)]
            bucket["meals"] += n
            bucket["subsidised"] += n if subsidised else 0
            bucket["fen"] += fen
            if reason:
                anomalies[reason] += n
        lines = [{"month": m, "meals": c["meals"], "subsidised": c["subsidised"], "fen": c["fen"]}
                 for m, c in sorted(adjustments.items())]
        settlement = Settlement.objects.create(
            canteen=canteen, street_id=canteen.street_id, month=month, meals=current["meals"],
            subsidised_meals=current["subsidised"], subsidy_fen=current["fen"],
            adjustment_meals=sum(x["meals"] for x in lines),
            adjustment_subsidised=sum(x["subsidised"] for x in lines),
            adjustment_fen=sum(x["fen"] for x in lines), adjustments=lines, anomalies=dict(sorted(anomalies.items())),
            total_fen=current["fen"] + sum(x["fen"] for x in lines), prepared_by=_name(actor),
            last_record_id=watermark)
        audit_record(actor=actor, action="meals.settle", object_type="Settlement", object_id=settlement.pk,
                     scope_code=canteen.committee_id,
                     changes={"canteen": canteen.pk, "month": month, "meals": settlement.meals,
                              "subsidised": settlement.subsidised_meals, "subsidy_fen": settlement.subsidy_fen,
                              "adjustment_fen": settlement.adjustment_fen, "total_fen": settlement.total_fen})
        made.append(settlement)
    return made


def settlements_run_all(*, actor: ACTOR, month: str, progress=None) -> dict[str, int]:
    """Every canteen in the actor's sight settled for ``month`` (those already
    settled are left as they are), in one transaction under the lock: one
    grouped query for all of them. Returns counts."""
    require(actor, "meals.settle", allow_job=True)
    month = settlement_month_check(month, timezone.localdate())
    if isinstance(actor, str):
        canteens = Facility.objects.filter(kind__in=MEAL_KINDS)
    else:
        from minzheng.care_facilities.selectors import facilities_visible

        canteens = facilities_visible(actor).filter(kind__in=MEAL_KINDS)
    every = list(canteens.order_by("pk"))
    with transaction.atomic():
        _lock()
        done = set(Settlement.objects.filter(month=month, canteen__in=[c.pk for c in every])
                   .values_list("canteen_id", flat=True))
        todo = [c for c in every if c.pk not in done]
        for i in range(0, len(todo), SETTLE_BATCH):
            _settle(actor, todo[i:i + SETTLE_BATCH], month)
            if progress:
                progress("逐个助餐点结算", min(i + SETTLE_BATCH, len(todo)), len(todo))
    return {"canteens": len(every), "settled": len(todo), "already_settled": len(done)}


SETTLE_BATCH = 200  # canteens per grouped query (a district has about 200 canteens and meal points)


def settlement_approve(*, actor: User, settlement_id: int) -> Settlement:
    """Approve a settlement (maker-checker: not by the one who made it)."""
    require(actor, "meals.approve")
    with transaction.atomic():
        settlement = Settlement.objects.select_for_update().filter(pk=settlement_id).first()
        if settlement is None:
            raise ValidationError("未找到该结算")
        _canteen(actor, settlement.canteen_id)
        if settlement.status != SettlementStatus.PREPARED:
            raise StateConflict(f"该结算{settlement.get_status_display()}，不能再次审批")
        if settlement.prepared_by == _name(actor):
            raise SeparationOfDuties("结算人不能审批自己生成的结算，请由另一名工作人员审批")
        settlement.status, settlement.approved_by, settlement.approved_at = (
            SettlementStatus.APPROVED, _name(actor), timezone.now())
        settlement.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(actor=actor, action="meals.approve", object_type="Settlement", object_id=settlement.pk,
                     scope_code=settlement.canteen.committee_id,
                     changes={"month": settlement.month, "total_fen": settlement.total_fen})
    return settlement



PAYMENT_PROGRAM = "meal_subsidy"


def settlement_payment_request(*, actor: User, settlement_id: int, bank_name: str, account_number: str) -> Settlement:
    """Request the payment of an approved settlement through the payments app:
    a one-off payment (program 老年人助餐补贴) to the canteen's operator as an
    organisation payee (its name and USCC from the facility register, the
    account given here), reference ``meals.Settlement:<id>`` — idempotent.
    The bureau then takes it into a one-off batch (review, approval, bank file
    and returns as every batch)."""
    from minzheng.payments.services import one_off_request_organisation, payee_organisation_register

    require(actor, "meals.approve")
    with transaction.atomic():
        settlement = Settlement.objects.select_for_update().filter(pk=settlement_id).first()
        if settlement is None:
            raise ValidationError("未找到该结算")
        canteen = _canteen(actor, settlement.canteen_id)
        if settlement.status == SettlementStatus.PAYMENT_REQUESTED:
            return settlement
        if settlement.status != SettlementStatus.APPROVED:
            raise StateConflict("结算审批后才能申请拨付")
        if settlement.total_fen <= 0:
            raise ValidationError("该结算应拨付金额为0，无需申请拨付")
        organisation = payee_organisation_register(
            actor=actor, name=canteen.operator_name or canteen.name, uscc=canteen.operator_uscc, bank_name=bank_name,
            number=account_number, reason=f"{canteen.name}助餐补贴收款账户")
        reference = f"meals.Settlement:{settlement.pk}"
        one_off_request_organisation(
            actor=actor, program=PAYMENT_PROGRAM, organisation=organisation, street_id=canteen.street_id,
            committee_id=canteen.committee_id, amount_fen=settlement.total_fen, reference=reference,
            reason=f"{canteen.name}{settlement.month}老年人助餐补贴")
        settlement.status, settlement.payment_reference = SettlementStatus.PAYMENT_REQUESTED, reference
        settlement.save(update_fields=["status", "payment_reference"])
        audit_record(actor=actor, action="meals.payment_request", object_type="Settlement", object_id=settlement.pk,
                     scope_code=canteen.committee_id,
                     changes={"month": settlement.month, "total_fen": settlement.total_fen, "reference": reference})
    return settlement
