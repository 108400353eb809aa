"""Events derived from department data, each recorded once.

Rules (a source lists the rules it feeds in its YAML ``events:``):

* ``death`` — public security ``死亡注销`` or a cremation record. One death
  per person (key ``death:<index>``), whichever source reports it first. A
  matched living person is marked dead in the registry through
  ``registry.services.person_record_death_from_source`` (audited, with the
  source as provenance).
* ``moved_out`` — public security ``迁出`` to a division outside the district
  (destination code not starting with the district's code, or no code).
* ``disability_certificate`` — a certificate number not seen before for the
  person is ``disability_new``; the same number with another kind or grade
  is ``disability_changed``.
* ``job_loss`` — an employment record with an end date, unless the reason is
  retirement.
* ``large_medical_bill`` — one settlement whose out-of-pocket amount is at
  least the source's ``large_medical_bill_yuan`` (medical_oop.yaml).

Uniqueness is the database's: ``FeedEvent.dedupe_key`` is unique, so
re-deriving (an overlapping file, a re-run) never records an event twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.feeds.catalogue import Source
from minzheng.feeds.models import EventKind, FeedEvent, FeedFile, FeedRecord
from minzheng.feeds.validation import masked_filename
from minzheng.registry.models import Person
from minzheng.registry.services import person_record_death_from_source

DEFAULT_DISTRICT_CODE = "310117"


@dataclass
class DerivedEvents:
    events_created: int = 0
    deaths_recorded: int = 0


@dataclass(frozen=True)
class _Candidate:
    kind: str
    key: str
    day: dt.date
    record: FeedRecord
    details: dict


def _short(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def district_code() -> str:
    root = Division.objects.filter(level=DivisionLevel.DISTRICT).order_by("code").first()
    return root.code if root else DEFAULT_DISTRICT_CODE


def _death(source: Source, record: FeedRecord) -> Iterator[_Candidate]:
    if source.code == "police_hukou" and record.data.get("change") != "死亡注销":
        return
    if record.event_date is None:
        return
    yield _Candidate(EventKind.DEATH, f"death:{record.person_index}", record.event_date, record,
                     {"source": source.name})


def _moved_out(source: Source, record: FeedRecord, district: str) -> Iterator[_Candidate]:
    if record.data.get("change") != "迁出" or record.event_date is None:
        return
    destination = str(record.data.get("destination_code", ""))
    if destination.startswith(district):
        return
    yield _Candidate(EventKind.MOVED_OUT, f"moved_out:{record.person_index}:{record.event_date}", record.event_date,
                     record, {"destination": record.data.get("destination", ""), "destination_code": destination})


def _disability(record: FeedRecord) -> Iterator[_Candidate]:
    cert = record.data.get("certificate", "")
    earlier = FeedRecord.objects.filter(
        source=record.source, person_index=record.person_index, data__certificate=cert, id__lt=record.id
    ).order_by("-id").first()
    kind = EventKind.DISABILITY_NEW if earlier is None else EventKind.DISABILITY_CHANGED
    details = {"certificate": cert, "kind": record.data.get("kind"), "grade": record.data.get("grade")}
    if earlier is not None:
        details["previous"] = {"kind": earlier.data.get("kind"), "grade": earlier.data.get("grade")}
    yield _Candidate(kind, f"{kind}:{record.person_index}:{_short(cert, details['kind'], details['grade'])}",
                     record.event_date or dt.date.today(), record, details)


def _job_loss(record: FeedRecord) -> Iterator[_Candidate]:
    end = record.data.get("end_date")
    if not end or record.data.get("end_reason") == "退休":
        return
    employer = record.data.get("employer", "")
    yield _Candidate(EventKind.JOB_LOSS, f"job_loss:{record.person_index}:{_short(employer, end)}",
                     dt.date.fromisoformat(end), record, {"employer": employer, "reason": record.data.get("end_reason", "")})


def _large_medical_bill(source: Source, record: FeedRecord) -> Iterator[_Candidate]:
    if record.amount_fen is None or record.amount_fen < source.large_medical_bill_fen or record.event_date is None:
        return
    number = record.data.get("settlement_no", "")
    yield _Candidate(EventKind.LARGE_MEDICAL_BILL, f"large_medical_bill:{record.person_index}:{_short(number)}",
                     record.event_date, record,
                     {"out_of_pocket_fen": record.amount_fen, "threshold_fen": source.large_medical_bill_fen,
                      "hospital": record.data.get("hospital", ""), "settlement_no": number})


def _candidates(source: Source, feed_file: FeedFile) -> Iterator[_Candidate]:
    district = district_code()
    records = FeedRecord.objects.filter(file=feed_file).order_by("id")
    for record in records.iterator(chunk_size=2000):
        for rule in source.events:
            if rule == "death":
                yield from _death(source, record)
            elif rule == "moved_out":
                yield from _moved_out(source, record, district)
            elif rule == "disability_certificate":
                yield from _disability(record)
            elif rule == "job_loss":
                yield from _job_loss(record)
            elif rule == "large_medical_bill":
                yield from _large_medical_bill(source, record)


def derive_events(*, actor: User, source: Source, feed_file: FeedFile) -> DerivedEvents:
    """Record the events of ``feed_file``'s new records (runs inside the import's transaction)."""
    result = DerivedEvents()
    if not source.events:
        return result
    batch: list[_Candidate] = []
    for candidate in _candidates(source, feed_file):
        batch.append(candidate)
        if len(batch) >= 1000:
            _store(actor, source, feed_file, batch, result)
            batch = []
    if batch:
        _store(actor, source, feed_file, batch, result)
    return result


def _store(actor: User, source: Source, feed_file: FeedFile, batch: list[_Candidate], result: DerivedEvents) -> None:
    known = set(FeedEvent.objects.filter(dedupe_key__in=[c.key for c in batch]).values_list("dedupe_key", flat=True))
    persons = Person.objects.in_bulk([c.record.person_id for c in batch if c.record.person_id])
    for candidate in batch:
        if candidate.key in known:
            continue
        known.add(candidate.key)
        record = candidate.record
        person = persons.get(record.person_id) if record.person_id else None
        event = FeedEvent(
            kind=candidate.kind, dedupe_key=candidate.key, person=person, person_index=record.person_index,
            id_number_masked=record.id_number_masked, name=str(record.data.get("name", ""))[:64],
            event_date=candidate.day, source=source.code, record=record, details=candidate.details,
        )
        if candidate.kind == EventKind.DEATH and person is not None:
            try:
                event.registry_updated = person_record_death_from_source(
                    actor=actor, person=person, death_date=candidate.day, source=source.code,
                    source_name=source.name, file_name=masked_filename(feed_file.filename), file_sha256=feed_file.file_sha256,
                    record_id=record.pk,
                )
                result.deaths_recorded += int(event.registry_updated)
            except ValidationError as err:
                event.details = {**event.details, "registry_note": "；".join(err.messages)}
        event.save()
        result.events_created += 1
